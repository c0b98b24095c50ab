//! The project-rule harness. Every folder under `tests/projects/` is a
//! small service; the project model is loaded from it as `shipshape check`
//! loads a folder, and the exact set of (path, line, rule) findings of the
//! project rules must equal the project's expectations:
//!
//! - `# expect: rule-a, rule-b` on its own line above the line where a
//!   finding starts, in every file kind with `#` comments;
//! - `expect.txt` at the project root for files that cannot hold comments
//!   (JSON): `path:line rule` lines; and `ok: rule-a, rule-b` lines naming
//!   the rules whose negative cases the project holds (tidy checks that
//!   every project rule has both).
//!
//! Then every fix is applied on its own, to the finding's file and to the
//! other files it edits or creates: the files must parse with no more
//! syntax errors than before, a created file must not exist yet, and the
//! finding must go away. All fixes are applied until they converge and the
//! files they changed are snapshotted.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use ropey::Rope;
use shipshape_core::{
    FileKind, ProjectFinding, check_project,
    fix::{FileChange, Fix},
    parse::{error_count, parse},
    project::Project,
    text::{Encoding, LineIndex, apply_edits},
};
use shipshape_tests::{expectations, project_expectations, repo_root};

type Files = BTreeMap<PathBuf, String>;

fn line_of(text: &str, offset: usize) -> usize {
    let rope = Rope::from_str(text);
    LineIndex::new(&rope).position(offset, Encoding::Utf8).line as usize + 1
}

fn project_of(root: &Path, files: &Files) -> Project {
    Project::from_files(
        root,
        files
            .iter()
            .map(|(path, text)| (path.to_str().unwrap(), text.as_str())),
    )
}

fn errors_in(path: &Path, text: &str) -> usize {
    let Some(kind) = FileKind::detect(path, text) else {
        return 0;
    };
    parse(kind, text, None).as_ref().map_or(0, error_count)
}

/// Applies a fix to a copy of the files.
fn apply(files: &Files, path: &Path, fix: &Fix) -> Result<Files, String> {
    let mut out = files.clone();
    let own = out
        .get(path)
        .ok_or_else(|| format!("{}: not in the project", path.display()))?;
    if !fix.edits.is_empty() {
        let fixed = apply_edits(own, &fix.edits).map_err(|error| error.to_string())?;
        out.insert(path.to_path_buf(), fixed);
    }
    for change in &fix.other_files {
        match change {
            FileChange::Edit { path, edits } => {
                let text = out
                    .get(path)
                    .ok_or_else(|| format!("edits {} which does not exist", path.display()))?;
                let fixed = apply_edits(text, edits).map_err(|error| error.to_string())?;
                out.insert(path.clone(), fixed);
            }
            FileChange::Create { path, text } => {
                if out.contains_key(path) {
                    return Err(format!("creates {} which exists", path.display()));
                }
                out.insert(path.clone(), text.clone());
            }
        }
    }
    Ok(out)
}

fn key(files: &Files, finding: &ProjectFinding) -> (String, usize, String) {
    let text = files.get(&finding.path).map_or("", String::as_str);
    (
        finding.path.to_string_lossy().replace('\\', "/"),
        line_of(text, finding.finding.range.start),
        finding.finding.rule.id.to_string(),
    )
}

fn run_project(root: &Path) -> Result<Option<String>, Vec<String>> {
    let loaded = Project::load_standalone(root);
    let files: Files = loaded
        .files()
        .map(|file| (file.path.clone(), file.text.clone()))
        .collect();
    let mut failures = Vec::new();
    let mut expected = BTreeSet::new();
    for (path, text) in &files {
        let comments = FileKind::detect(path, text).is_none_or(FileKind::has_hash_comments);
        if comments {
            for (line, rule) in expectations(text) {
                expected.insert((path.to_string_lossy().replace('\\', "/"), line + 1, rule));
            }
        }
    }
    let sidecar = project_expectations(root);
    expected.extend(sidecar.findings.iter().cloned());

    let findings = check_project(&loaded);
    let actual: BTreeSet<_> = findings
        .iter()
        .map(|finding| key(&files, finding))
        .collect();
    for (path, line, rule) in expected.difference(&actual) {
        failures.push(format!("{path}:{line}: expected {rule}, not reported"));
    }
    for (path, line, rule) in actual.difference(&expected) {
        failures.push(format!("{path}:{line}: unexpected {rule}"));
    }

    // Each fix on its own.
    for finding in &findings {
        let Some(fix) = &finding.finding.fix else {
            continue;
        };
        let (path, line, rule) = key(&files, finding);
        let where_ = format!("{path}:{line}: fix `{}` of {rule}", fix.title);
        let fixed = match apply(&files, &finding.path, fix) {
            Ok(fixed) => fixed,
            Err(error) => {
                failures.push(format!("{where_}: {error}"));
                continue;
            }
        };
        for (changed, text) in &fixed {
            if files.get(changed) == Some(text) {
                continue;
            }
            let before = files.get(changed).map_or(0, |old| errors_in(changed, old));
            if errors_in(changed, text) > before {
                failures.push(format!(
                    "{where_}: leaves syntax errors in {}:\n{text}",
                    changed.display()
                ));
            }
        }
        let after = check_project(&project_of(root, &fixed));
        let count = |found: &[ProjectFinding]| {
            found
                .iter()
                .filter(|other| other.finding.rule.id == rule)
                .count()
        };
        if count(&after) >= count(&findings) {
            failures.push(format!("{where_}: the finding stays after the fix"));
        }
    }

    // All fixes, one at a time, until none is left.
    let mut all = files.clone();
    let mut fixed_any = false;
    for _round in 0..40 {
        let now = check_project(&project_of(root, &all));
        let Some((path, fix)) = now.iter().find_map(|found| {
            found
                .finding
                .fix
                .as_ref()
                .map(|fix| (found.path.clone(), fix))
        }) else {
            break;
        };
        match apply(&all, &path, fix) {
            Ok(next) if next != all => {
                all = next;
                fixed_any = true;
            }
            Ok(_) => {
                failures.push(format!("fix `{}` does not change anything", fix.title));
                break;
            }
            Err(error) => {
                failures.push(format!("fix `{}`: {error}", fix.title));
                break;
            }
        }
    }
    if !failures.is_empty() {
        return Err(failures);
    }
    if !fixed_any {
        return Ok(None);
    }
    let mut snapshot = String::new();
    for (path, text) in &all {
        match files.get(path) {
            Some(old) if old == text => {}
            Some(_) => snapshot.push_str(&format!("=== {} (edited)\n{text}\n", path.display())),
            None => snapshot.push_str(&format!("=== {} (created)\n{text}\n", path.display())),
        }
    }
    Ok(Some(snapshot))
}

fn project_dirs() -> Vec<PathBuf> {
    let root = repo_root().join("tests/projects");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|error| panic!("{}: {error}", root.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn project_fixtures() {
    let mut failures = Vec::new();
    let dirs = project_dirs();
    assert!(!dirs.is_empty(), "no projects under tests/projects");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match run_project(&dir) {
            Ok(Some(snapshot)) => {
                insta::with_settings!({ snapshot_path => repo_root().join("tests/snapshots"), prepend_module_to_snapshot => false, omit_expression => true }, {
                    insta::assert_snapshot!(format!("project__{name}"), snapshot);
                });
            }
            Ok(None) => {}
            Err(errors) => {
                failures.extend(errors.into_iter().map(|error| format!("{name}/{error}")))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} project fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Incrementality: changing one file changes the findings of others, and
/// the fact kinds reported by `update_file` select the rules to re-run.
#[test]
fn editing_one_file_updates_findings_in_others() {
    use shipshape_core::{check::check_project_with, hooks::project::rules_reading};
    let root = repo_root().join("tests/projects/flask-drift");
    let mut project = Project::load_standalone(&root);
    let drift = |project: &Project| {
        check_project(project)
            .into_iter()
            .filter(|found| found.finding.rule.id == "env-example-drift")
            .count()
    };
    assert_eq!(drift(&project), 1);
    let example = project
        .file(Path::new(".env.example"))
        .unwrap()
        .text
        .clone();
    let changed = project.update_file(
        Path::new(".env.example"),
        &format!("{example}DATABASE_URL=\nSENTRY_DSN=\n"),
    );
    let rules = rules_reading(&changed);
    assert!(rules.contains(&"env-example-drift"));
    assert!(!rules.contains(&"port-mismatch"));
    let rerun = check_project_with(&project, &|rule| rules.contains(&rule.id));
    assert!(
        rerun
            .iter()
            .all(|found| found.finding.rule.id != "env-example-drift")
    );
    assert_eq!(drift(&project), 0);

    // A route renamed in Python changes a finding in the Dockerfile.
    let ops = project.file(Path::new("web/ops.py")).unwrap().text.clone();
    let served = |project: &Project| {
        check_project(project)
            .into_iter()
            .filter(|found| found.finding.rule.id == "healthcheck-path-not-served")
            .count()
    };
    assert_eq!(served(&project), 1);
    project.update_file(
        Path::new("web/ops.py"),
        &ops.replace("PREFIX = \"/ops\"", "PREFIX = \"\"")
            .replace("/health\"", "/healthz\""),
    );
    assert_eq!(served(&project), 0);
}

/// A rule reads the fact kind of every file it reports in, so that a
/// finding kept by `recheck_project` never points into changed text.
#[test]
fn rules_read_the_files_they_report_in() {
    use shipshape_core::hooks::project::depends_on;
    for dir in project_dirs() {
        let project = Project::load_standalone(&dir);
        for found in check_project(&project) {
            let file = project.file(&found.path).unwrap();
            let kind = file.facts.kind();
            assert!(
                depends_on(found.finding.rule.id).contains(&kind),
                "{} reports in {} ({kind:?}) but does not read {kind:?}",
                found.finding.rule.id,
                found.path.display()
            );
        }
    }
}

fn sorted(mut findings: Vec<ProjectFinding>) -> Vec<(PathBuf, usize, &'static str, String)> {
    let mut out: Vec<_> = findings
        .drain(..)
        .map(|found| {
            (
                found.path,
                found.finding.range.start,
                found.finding.rule.id,
                found.finding.message,
            )
        })
        .collect();
    out.sort();
    out
}

/// Re-checking only the rules that read what changed gives the same
/// findings as checking everything, edit after edit, across files.
#[test]
fn incremental_recheck_equals_a_full_check() {
    use shipshape_core::check::recheck_project;
    let root = repo_root().join("tests/projects/fastapi-bare");
    let mut project = Project::load_standalone(&root);
    let mut findings = check_project(&project);
    let main = project.file(Path::new("app/main.py")).unwrap().text.clone();
    let edits: Vec<(&str, Option<String>)> = vec![
        (".gitignore", Some("__pycache__/\n.env\n".into())),
        (".env.example", Some("DATABASE_URL=\n".into())),
        (
            "app/main.py",
            Some(main.replace(
                "app = FastAPI(title=\"Notes\")\n",
                "app = FastAPI(title=\"Notes\")\n\n\n@app.get(\"/healthz\")\ndef healthz():\n    return {}\n",
            )),
        ),
        ("Dockerfile", None),
        (
            "Dockerfile",
            Some("FROM python:3.12-slim\nCOPY . .\nEXPOSE 8000\nCMD [\"uvicorn\", \"app.main:app\"]\n".into()),
        ),
        ("requirements.txt", Some("fastapi==0.115.6\n".into())),
        (".github/workflows/ci.yml", Some("jobs:\n  t:\n    steps:\n      - run: pytest\n".into())),
    ];
    for (path, text) in edits {
        let changed = match &text {
            Some(text) => project.update_file(Path::new(path), text),
            None => project.remove_file(Path::new(path)),
        };
        findings = recheck_project(&project, &changed, findings);
        assert_eq!(
            sorted(findings.clone()),
            sorted(check_project(&project)),
            "after editing {path}"
        );
    }
}

/// The workspace an editor keeps: nested project roots are projects of
/// their own, and editing `.env.example` in one changes the findings of
/// that project's other files, reported as the affected files.
#[test]
fn workspace_reports_the_files_an_edit_affects() {
    use shipshape_core::workspace::Workspace;
    let folder = repo_root().join("tests/projects");
    let workspace_root = std::fs::canonicalize(&folder).unwrap();
    let mut workspace = Workspace::load(std::slice::from_ref(&workspace_root));
    let flask = workspace_root.join("flask-drift");
    assert_eq!(
        workspace.root_of(&flask.join("web/app.py")),
        Some(flask.as_path())
    );
    let example = flask.join(".env.example");
    assert!(
        workspace
            .findings_in(&example)
            .iter()
            .any(|found| found.finding.rule.id == "env-example-drift")
    );
    // Renaming the blueprint's health route breaks the Dockerfile's and
    // railway's health checks: the Dockerfile is reported as affected.
    let ops = std::fs::read_to_string(flask.join("web/ops.py")).unwrap();
    let affected = workspace.update_file(
        &flask.join("web/ops.py"),
        &ops.replace("/health\"", "/status\""),
    );
    assert!(affected.contains(&flask.join("Dockerfile")), "{affected:?}");
    assert!(
        affected.contains(&flask.join("railway.toml")),
        "{affected:?}"
    );
    // Completing the example file clears its drift finding.
    let text = std::fs::read_to_string(&example).unwrap();
    let affected = workspace.update_file(&example, &format!("{text}DATABASE_URL=\nSENTRY_DSN=\n"));
    assert!(affected.contains(&example));
    assert!(
        workspace
            .findings_in(&example)
            .iter()
            .all(|found| found.finding.rule.id != "env-example-drift")
    );
    // Nothing else moved for an edit that changes no facts.
    assert!(
        workspace
            .update_file(&example, &format!("{text}DATABASE_URL=\nSENTRY_DSN=\n"))
            .is_empty()
    );
}

/// A monorepo root's compose file probes the service it builds from its
/// folder: a change of the service's code (a file of another project)
/// reports the compose file as affected, and so does a change of the build
/// context to another service, whose routes it is checked against then.
#[test]
fn a_root_compose_file_follows_the_services_it_builds() {
    use shipshape_core::workspace::Workspace;
    let base =
        std::env::temp_dir().join(format!("shipshape-projects-{}-relink", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let service = |route: &str| {
        format!(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"{route}\")\ndef health():\n    return {{}}\n"
        )
    };
    let compose = |context: &str| {
        format!(
            "services:\n  api:\n    build: {context}\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/healthz\"]\n"
        )
    };
    let files = [
        (".git/HEAD", "ref: refs/heads/main\n".to_string()),
        ("compose.yaml", compose("./a")),
        ("a/requirements.txt", "fastapi==0.115.0\n".to_string()),
        ("a/main.py", service("/healthz")),
        ("b/requirements.txt", "fastapi==0.115.0\n".to_string()),
        ("b/main.py", service("/health")),
    ];
    for (path, text) in &files {
        let path = base.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let root = std::fs::canonicalize(&base).unwrap();
    let mut workspace = Workspace::load(std::slice::from_ref(&root));
    let compose_path = root.join("compose.yaml");
    let probed = |workspace: &Workspace| {
        workspace
            .findings_in(&compose_path)
            .iter()
            .any(|found| found.finding.rule.id == "healthcheck-path-not-served")
    };
    assert!(!probed(&workspace));
    // `a` stops serving `/healthz`.
    let affected = workspace.update_file(&root.join("a/main.py"), &service("/health"));
    assert!(affected.contains(&compose_path), "{affected:?}");
    assert!(probed(&workspace));
    // Back; then the compose file builds `b`, which serves `/health`.
    workspace.update_file(&root.join("a/main.py"), &service("/healthz"));
    assert!(!probed(&workspace));
    workspace.update_file(&compose_path, &compose("./b"));
    assert!(probed(&workspace));
    let _ = std::fs::remove_dir_all(&base);
}
