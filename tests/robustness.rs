//! Property tests: any text, of any kind, goes through parsing, every rule
//! and every fix without a panic; fixes apply cleanly, and a fix of text
//! that parsed cleanly leaves it parsing cleanly. Inputs are the fixtures themselves, mutated at random (so the
//! rules see near-valid code), and free-form text from a grammar-flavoured
//! alphabet. `PROPTEST_CASES` sets how many cases each property runs.

use std::{fs, path::PathBuf, sync::LazyLock};

use proptest::prelude::*;
use shipshape_core::{
    FileKind, check_text,
    parse::{error_count, parse},
    project::ProjectContext,
    text::apply_edits,
};
use shipshape_tests::{files_under, repo_root};

/// Every fixture file with its kind and the path the rules see.
static SEEDS: LazyLock<Vec<(PathBuf, FileKind, String)>> = LazyLock::new(|| {
    let root = repo_root().join("tests/fixtures");
    let mut seeds = Vec::new();
    for kind in FileKind::ALL {
        let kind_dir = root.join(kind.name());
        for path in files_under(&kind_dir) {
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let relative = path.strip_prefix(&kind_dir).unwrap().to_path_buf();
            if let Some(detected) = FileKind::detect(&relative, &text) {
                seeds.push((relative, detected, text));
            }
        }
    }
    seeds
});

fn service_project() -> ProjectContext {
    ProjectContext {
        frameworks: ["fastapi"].into_iter().collect(),
    }
}

/// Checks a text and applies each fix alone; panics (failing the property)
/// when a fix does not apply or adds syntax errors.
fn check_and_fix(relative: &std::path::Path, kind: FileKind, text: &str) {
    let project = service_project();
    let findings = check_text(relative, kind, text, &project);
    let errors_before = parse(kind, text, None).as_ref().map_or(0, error_count);
    for finding in findings {
        assert!(finding.range.start <= finding.range.end && finding.range.end <= text.len());
        let Some(fix) = finding.fix else { continue };
        let fixed = apply_edits(text, &fix.edits).unwrap_or_else(|error| {
            panic!(
                "{}: fix `{}` does not apply: {error}",
                finding.rule.id, fix.title
            )
        });
        let errors_after = parse(kind, &fixed, None).as_ref().map_or(0, error_count);
        // Broken text recovers differently after any edit; only a clean
        // parse must stay clean.
        assert!(
            errors_before > 0 || errors_after == 0,
            "{}: fix `{}` adds syntax errors:\n--- before\n{text}\n--- after\n{fixed}",
            finding.rule.id,
            fix.title
        );
    }
}

/// A random edit of a text: replace a char-aligned range with a snippet.
#[derive(Debug, Clone)]
struct Mutation {
    at: prop::sample::Index,
    len: usize,
    insert: String,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippet = prop_oneof![
        Just(String::new()),
        Just("\n".to_string()),
        Just("    ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just(":".to_string()),
        Just("#".to_string()),
        Just("\\\n".to_string()),
        Just("😀中".to_string()),
        "[a-zA-Z_=\\[\\]{},.* ]{0,12}",
    ];
    (any::<prop::sample::Index>(), 0usize..40, snippet).prop_map(|(at, len, insert)| Mutation {
        at,
        len,
        insert,
    })
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for mutation in mutations {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(index, _)| index)
            .chain([text.len()])
            .collect();
        let start = boundaries[mutation.at.index(boundaries.len())];
        let end = boundaries
            .iter()
            .copied()
            .filter(|&b| b >= start)
            .nth(mutation.len)
            .unwrap_or(text.len());
        text.replace_range(start..end, &mutation.insert);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_break_rules_or_fixes(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = &*SEEDS;
        prop_assume!(!seeds.is_empty());
        let (relative, kind, text) = &seeds[seed.index(seeds.len())];
        let mutated = mutate(text, &mutations);
        check_and_fix(relative, *kind, &mutated);
    }

    #[test]
    fn arbitrary_text_of_every_kind_is_handled(
        kind in prop::sample::select(FileKind::ALL.to_vec()),
        text in "(\\PC|[\\n\\r\\t \"'#:=\\[\\]{}()\\\\])*",
    ) {
        let name = match kind {
            FileKind::Python => "m.py",
            FileKind::Dockerfile => "Dockerfile",
            FileKind::Compose => "compose.yaml",
            FileKind::Yaml => "ci.yml",
            FileKind::Toml => "pyproject.toml",
            FileKind::Json => "railway.json",
            FileKind::Requirements => "requirements.txt",
            FileKind::DotEnv => ".env",
            FileKind::IgnoreFile => ".gitignore",
        };
        check_and_fix(std::path::Path::new(name), kind, &text);
    }
}

/// The files of every fixture project under `tests/projects/`.
static PROJECTS: LazyLock<Vec<Vec<(String, String)>>> = LazyLock::new(|| {
    let root = repo_root().join("tests/projects");
    let Ok(entries) = fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut projects = Vec::new();
    for entry in entries.flatten() {
        let dir = entry.path();
        let files: Vec<(String, String)> = files_under(&dir)
            .into_iter()
            .filter_map(|path| {
                let text = fs::read_to_string(&path).ok()?;
                let relative = path.strip_prefix(&dir).ok()?.to_string_lossy().into_owned();
                Some((relative, text))
            })
            .collect();
        projects.push(files);
    }
    projects.sort();
    projects
});

/// Runs the project rules and applies each fix's edits (its own file and
/// the other files it edits) without a panic.
fn check_project_and_fix(files: &[(String, String)]) {
    use shipshape_core::{check_project, fix::FileChange, project::Project};
    let project = Project::from_files(
        "/p",
        files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str())),
    );
    for found in check_project(&project) {
        let text = project
            .file(&found.path)
            .map_or("", |file| file.text.as_str());
        let range = &found.finding.range;
        assert!(range.start <= range.end && range.end <= text.len());
        let Some(fix) = &found.finding.fix else {
            continue;
        };
        apply_edits(text, &fix.edits).unwrap_or_else(|error| {
            panic!("{}: fix does not apply: {error}", found.finding.rule.id)
        });
        for change in &fix.other_files {
            if let FileChange::Edit { path, edits } = change {
                let other = project.file(path).map_or("", |file| file.text.as_str());
                apply_edits(other, edits).unwrap_or_else(|error| {
                    panic!(
                        "{}: fix of {} does not apply: {error}",
                        found.finding.rule.id,
                        path.display()
                    )
                });
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn mutated_project_files_never_break_project_rules(
        project in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let projects = &*PROJECTS;
        prop_assume!(!projects.is_empty());
        let mut files = projects[project.index(projects.len())].clone();
        prop_assume!(!files.is_empty());
        let index = file.index(files.len());
        files[index].1 = mutate(&files[index].1, &mutations);
        check_project_and_fix(&files);
    }
}
