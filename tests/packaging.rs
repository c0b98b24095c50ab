//! The distribution files agree with the workspace: one project home (Cargo.toml's
//! `repository`), one version (Cargo.toml's), and the pre-commit hooks of this repository are the
//! mirror's; the core's package ships its rules, and its build fails without them. (The artefacts
//! themselves are built and tried by `scripts/test-packaging.sh`.)

use std::{collections::BTreeSet, fs, path::Path, process::Command};

use shipshape_tests::repo_root;

fn read(relative: &str) -> String {
    fs::read_to_string(repo_root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn workspace_package() -> toml::Table {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    manifest["workspace"]["package"].as_table().unwrap().clone()
}

fn home() -> String {
    workspace_package()["repository"]
        .as_str()
        .unwrap()
        .to_string()
}

fn version() -> String {
    workspace_package()["version"].as_str().unwrap().to_string()
}

/// Every text file of the repository that people or tools read, skipping build output,
/// dependencies and the benchmark corpora.
fn text_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                ".git" | "target" | "node_modules" | "dist" | "bench"
            ) {
                text_files(&path, out);
            }
        } else if fs::read_to_string(&path).is_ok() {
            out.push(path);
        }
    }
}

#[test]
fn the_project_home_is_named_once_and_every_mention_agrees() {
    let home = home();
    assert!(
        home.starts_with("https://"),
        "Cargo.toml's repository is {home:?}"
    );
    // The addresses that name some `<owner>/shipshape...` repository on the same host.
    let host_and_owner = home.rsplit_once('/').unwrap().0.to_string();
    let host = host_and_owner.rsplit_once('/').unwrap().0.to_string();
    let mut files = Vec::new();
    text_files(&repo_root(), &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let relative = file
            .strip_prefix(repo_root())
            .unwrap()
            .display()
            .to_string();
        if relative.ends_with(".rs") && text.contains(&home) {
            wrong.push(format!(
                "{relative}: Rust code reads the home from CARGO_PKG_REPOSITORY"
            ));
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&format!("{host}/")) {
            let url: String = rest[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | ')' | '>' | '`'))
                .collect();
            rest = &rest[at + host.len()..];
            let mut parts = url.trim_start_matches(&format!("{host}/")).split('/');
            let (_owner, repository) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            if repository.starts_with("shipshape") && !url.starts_with(&host_and_owner) {
                wrong.push(format!("{relative}: {url} is not under {host_and_owner}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the project home is Cargo.toml's repository, {home}:\n{}",
        wrong.join("\n")
    );

    let package: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(package["repository"]["url"], format!("{home}.git"));
    assert_eq!(package["homepage"], home);
    let pyproject: toml::Table = read("pyproject.toml").parse().unwrap();
    assert_eq!(
        pyproject["project"]["urls"]["Repository"].as_str(),
        Some(home.as_str())
    );
    assert!(read("editors/neovim/mason/package.yaml").contains(&format!("homepage: {home}\n")));
}

#[test]
fn every_distribution_says_the_workspace_version() {
    let version = version();
    let package: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(package["version"], version, "editors/vscode/package.json");
    assert!(
        read("editors/vscode/CHANGELOG.md").contains(&format!("\n## {version}\n")),
        "editors/vscode/CHANGELOG.md has no section for {version}"
    );
    let pyproject: toml::Table = read("pyproject.toml").parse().unwrap();
    assert_eq!(pyproject["project"]["name"].as_str(), Some("shipshape-cli"));
    assert_eq!(
        pyproject["project"]["dynamic"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>(),
        ["version"],
        "the wheel takes its version from Cargo.toml"
    );
    let mirror: toml::Table = read("pre-commit-mirror/pyproject.toml").parse().unwrap();
    assert_eq!(
        mirror["project"]["dependencies"].as_array().unwrap()[0].as_str(),
        Some(format!("shipshape-cli=={version}").as_str()),
        "pre-commit-mirror/pyproject.toml"
    );
    assert!(
        read("editors/neovim/mason/package.yaml")
            .contains(&format!("id: pkg:pypi/shipshape-cli@{version}\n"))
    );
    // The tag users pin is the release tag `v<version>`, in every place that tells them to.
    for file in [
        "README.md",
        ".pre-commit-hooks.yaml",
        "pre-commit-mirror/README.md",
    ] {
        let text = read(file);
        let pins: Vec<&str> = text
            .lines()
            .filter_map(|l| {
                l.trim()
                    .trim_start_matches('#')
                    .trim()
                    .strip_prefix("rev: ")
            })
            .collect();
        assert!(!pins.is_empty(), "{file} pins no rev");
        for pin in pins {
            assert_eq!(pin, format!("v{version}"), "{file} pins {pin}");
        }
    }
}

#[test]
fn the_repository_hooks_are_the_mirrors_and_one_runs_on_the_whole_project() {
    let hooks = read(".pre-commit-hooks.yaml");
    assert_eq!(
        hooks,
        read("pre-commit-mirror/.pre-commit-hooks.yaml"),
        "the mirror's hooks differ"
    );
    let project = hooks
        .split("\n- id: ")
        .find(|h| h.starts_with("shipshape-project\n"))
        .expect("no shipshape-project hook");
    for line in [
        "  language: python\n",
        "  pass_filenames: false\n",
        "  always_run: true\n",
        "  entry: shipshape check --color never .\n",
    ] {
        assert!(
            project.contains(line),
            "the shipshape-project hook lacks {line:?}"
        );
    }
    assert!(
        !hooks.contains("language: system"),
        "every hook installs shipshape-cli (language: python)"
    );
}

#[test]
fn the_rules_live_in_the_crate_that_embeds_them() {
    let rules = repo_root().join("server/shipshape-core/rules");
    let count = fs::read_dir(&rules)
        .unwrap()
        .flatten()
        .filter(|kind| kind.path().is_dir())
        .flat_map(|kind| fs::read_dir(kind.path()).unwrap().flatten())
        .filter(|folder| folder.path().join("rule.scm").is_file())
        .count();
    assert_eq!(
        count,
        shipshape_core::registry().rules.len(),
        "every rule folder under {} is built in",
        rules.display()
    );
    for old in ["queries", "server/shipshape-core/queries"] {
        assert!(
            !repo_root().join(old).exists(),
            "{old}/ is the old layout: rules are folders under server/shipshape-core/rules/"
        );
    }
}

/// The rule folders under `server/shipshape-core/rules` that hold a rule, as `kind/id`.
fn rule_folders() -> Vec<String> {
    let rules = repo_root().join("server/shipshape-core/rules");
    let mut folders: Vec<String> = fs::read_dir(&rules)
        .unwrap()
        .flatten()
        .filter(|kind| kind.path().is_dir())
        .flat_map(|kind| fs::read_dir(kind.path()).unwrap().flatten())
        .filter(|folder| folder.path().join("rule.scm").is_file())
        .map(|folder| {
            folder
                .path()
                .strip_prefix(&rules)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    folders.sort();
    folders
}

/// `cargo package --list` of the core (no network, nothing built): every rule folder's
/// `rule.scm` is in the package, with `build.rs` that embeds them and the saved query analysis,
/// and nothing else of the rule folders (fixtures and snapshots are test data, `Cargo.toml`'s `exclude`).
#[test]
fn the_core_package_ships_every_rule_file_and_no_fixture() {
    let output = Command::new(env!("CARGO"))
        .args([
            "package",
            "--list",
            "-p",
            "shipshape-core",
            "--allow-dirty",
            "--offline",
        ])
        .current_dir(repo_root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo package --list failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: BTreeSet<&str> = stdout.lines().map(str::trim).collect();
    assert!(listed.contains("build.rs"), "{listed:?}");
    // The saved query analysis of the Python rules (registry::saved_analysis).
    assert!(listed.contains("analysis/python.bin"), "{listed:?}");
    let folders = rule_folders();
    assert!(!folders.is_empty());
    let missing: Vec<&String> = folders
        .iter()
        .filter(|folder| !listed.contains(format!("rules/{folder}/rule.scm").as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "rule files not in the package: {missing:?}"
    );
    let extra: Vec<&&str> = listed
        .iter()
        .filter(|path| path.starts_with("rules/") && !path.ends_with("/rule.scm"))
        .collect();
    assert!(
        extra.is_empty(),
        "rule-folder files that are not rules in the package: {extra:?}"
    );
}

/// The core's `build.rs`, run as the build script of a scratch crate with the given rule
/// files (`None`: no `rules/` folder at all): the build's output, and whether it succeeded.
fn build_with_rules(scratch: &Path, rules: Option<&[(&str, &str)]>) -> (bool, String) {
    let _ = fs::remove_dir_all(scratch.join("rules"));
    if let Some(rules) = rules {
        fs::create_dir_all(scratch.join("rules")).unwrap();
        for (path, text) in rules {
            let path = scratch.join("rules").join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            if !text.is_empty() {
                fs::write(&path, text).unwrap();
            }
        }
    }
    let output = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A build that finds no rule fails, as does a rule folder without its `rule.scm`; one with a
/// rule builds (the same script, so the failures are its checks, not a broken scratch crate).
#[test]
fn the_core_build_fails_without_rules() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("core-build-script");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(scratch.join("src")).unwrap();
    fs::write(
        scratch.join("Cargo.toml"),
        "[package]\nname = \"scratch-rules\"\nversion = \"0.0.0\"\nedition = \"2024\"\nbuild = \"build.rs\"\n\n[workspace]\n",
    )
    .unwrap();
    fs::write(scratch.join("src/lib.rs"), "").unwrap();
    fs::copy(
        repo_root().join("server/shipshape-core/build.rs"),
        scratch.join("build.rs"),
    )
    .unwrap();

    let (built, output) = build_with_rules(&scratch, None);
    assert!(!built, "a build without a rules folder succeeded");
    assert!(output.contains("cannot read the rule folder"), "{output}");

    let (built, output) = build_with_rules(&scratch, Some(&[]));
    assert!(!built, "a build with an empty rules folder succeeded");
    assert!(output.contains("no rules"), "{output}");

    // A folder (the empty text makes only the folder) without its rule.scm.
    let (built, output) = build_with_rules(&scratch, Some(&[("python/half-a-rule/notes.md", "")]));
    assert!(!built, "a rule folder without rule.scm built");
    assert!(output.contains("has no rule.scm"), "{output}");

    let rule = ";; priority = \"low\"\n(pass_statement) @finding\n";
    let (built, output) = build_with_rules(&scratch, Some(&[("python/a-rule/rule.scm", rule)]));
    assert!(built, "a build with one rule failed:\n{output}");
    let _ = fs::remove_dir_all(&scratch);
}
