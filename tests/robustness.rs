//! Property tests: any text, of any kind, goes through parsing, every rule
//! and every fix without a panic; fixes apply cleanly, and a fix of text
//! that parsed cleanly leaves it parsing cleanly. Inputs are the fixtures themselves, mutated at random (so the
//! rules see near-valid code), and free-form text from a grammar-flavoured
//! alphabet, and arbitrary bytes (decoded as the editor would, lossily),
//! each under every file name a kind has (Python, Dockerfiles, compose,
//! requirements, pyproject, `.env`, Railway and Fly configuration, CI
//! workflows, ignore files). Besides each fix alone, `fix_all` (the
//! editor's and `check --fix`'s loop) runs to its end and must not break a
//! clean parse either. `PROPTEST_CASES` sets how many cases each property
//! runs (the defaults keep the suite short; see the README's "Fuzzing").

use std::{fs, path::PathBuf, sync::LazyLock};

use proptest::prelude::*;
use shipshape_core::{
    FileKind, check_text,
    config::FileSettings,
    fixall::fix_all,
    parse::{error_count, parse},
    project::ProjectContext,
    text::apply_edits,
};
use shipshape_tests::{fixture_files, fixture_projects, proptest_cases};

/// Every fixture file with its kind and the path the rules see.
static SEEDS: LazyLock<Vec<(PathBuf, FileKind, String)>> = LazyLock::new(|| {
    let mut seeds = Vec::new();
    for fixture in fixture_files() {
        let Ok(text) = fs::read_to_string(&fixture.path) else {
            continue;
        };
        if let Some(detected) = FileKind::detect(&fixture.relative, &text) {
            seeds.push((fixture.relative, detected, text));
        }
    }
    seeds
});

fn service_project() -> ProjectContext {
    ProjectContext {
        frameworks: ["fastapi"].into_iter().collect(),
        ..ProjectContext::default()
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
    // Every fix, safe and unsafe, applied until none is left.
    let all = fix_all(
        relative,
        kind,
        text,
        &project,
        &FileSettings::default(),
        true,
    );
    let errors_after = parse(kind, &all.text, None).as_ref().map_or(0, error_count);
    assert!(
        errors_before > 0 || errors_after == 0,
        "fix-all adds syntax errors:\n--- before\n{text}\n--- after\n{}",
        all.text
    );
    for finding in &all.remaining {
        assert!(finding.range.start <= finding.range.end && finding.range.end <= all.text.len());
    }
}

/// The file names each kind is found under: the rules of a kind look at
/// the name too (Railway vs Fly vs pyproject TOML, a workflow vs other
/// YAML, `.env` vs `.env.example`).
fn names_of(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Python => &[
            "app/main.py",
            "settings.py",
            "tests/test_api.py",
            "gunicorn.conf.py",
        ],
        FileKind::Dockerfile => &[
            "Dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "Dockerfile.prod",
        ],
        FileKind::Compose => &[
            "compose.yaml",
            "docker-compose.yml",
            "docker-compose.prod.yml",
        ],
        FileKind::Yaml => &[".github/workflows/ci.yml", "render.yaml", ".gitlab-ci.yml"],
        FileKind::Toml => &[
            "pyproject.toml",
            "railway.toml",
            "fly.toml",
            "shipshape.toml",
        ],
        FileKind::Json => &["railway.json", "package.json"],
        FileKind::Requirements => &[
            "requirements.txt",
            "requirements-dev.txt",
            "requirements.in",
        ],
        FileKind::DotEnv => &[".env", ".env.production", ".env.example"],
        FileKind::IgnoreFile => &[".gitignore", ".dockerignore"],
        FileKind::Procfile => &["Procfile", "deploy/Procfile"],
    }
}

/// A kind and one of its file names.
fn kind_and_name() -> impl Strategy<Value = (FileKind, &'static str)> {
    prop::sample::select(FileKind::ALL.to_vec()).prop_flat_map(|kind| {
        prop::sample::select(names_of(kind)).prop_map(move |name| (kind, name))
    })
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
    #![proptest_config(ProptestConfig {
        cases: proptest_cases(128),
        ..ProptestConfig::default()
    })]

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
        (kind, name) in kind_and_name(),
        text in "(\\PC|[\\n\\r\\t \"'#:=\\[\\]{}()\\\\])*",
    ) {
        check_and_fix(std::path::Path::new(name), kind, &text);
    }

    #[test]
    fn arbitrary_bytes_of_every_kind_are_handled(
        (kind, name) in kind_and_name(),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let text = String::from_utf8_lossy(&bytes);
        check_and_fix(std::path::Path::new(name), kind, &text);
    }

    /// A fixture of each kind under each of its kind's names, mutated.
    #[test]
    fn mutated_fixtures_under_every_name_of_their_kind(
        seed in any::<prop::sample::Index>(),
        name in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 0..4),
    ) {
        let seeds = &*SEEDS;
        prop_assume!(!seeds.is_empty());
        let (_, kind, text) = &seeds[seed.index(seeds.len())];
        let names = names_of(*kind);
        let mutated = mutate(text, &mutations);
        check_and_fix(std::path::Path::new(names[name.index(names.len())]), *kind, &mutated);
    }
}

/// The files of every fixture project under `tests/projects/`.
static PROJECTS: LazyLock<Vec<Vec<(String, String)>>> = LazyLock::new(fixture_projects);

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
    #![proptest_config(ProptestConfig {
        cases: proptest_cases(64),
        ..ProptestConfig::default()
    })]

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
