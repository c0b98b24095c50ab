//! End-to-end tests of `shipshape new-rule`: a user rule scaffolded into the
//! `rule-paths` folder of a temporary project passes `shipshape test-rules`
//! and is reported by `shipshape check` as written, for every kind the
//! scaffold knows; a built-in rule folder gets `rule.scm` and `fixture.<ext>`;
//! taken and malformed ids are refused and nothing is written.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Output,
};

use serde_json::Value;

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_shipshape"))
}

fn shipshape(args: &[&str], dir: &Path) -> Output {
    shipshape_tests::shipshape(binary())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run shipshape")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary project whose configuration names `rules` as its user rule folder.
fn project() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("shipshape-new-rule-")
        .tempdir()
        .unwrap();
    fs::write(
        dir.path().join("shipshape.toml"),
        "rule-paths = [\"rules\"]\nexclude = [\"rules\"]\n",
    )
    .unwrap();
    dir
}

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

const KINDS: [(&str, &str, &str); 3] = [
    ("python", "py", "app/main.py"),
    ("dockerfile", "dockerfile", "Dockerfile"),
    ("compose", "yaml", "compose.yaml"),
];

#[test]
fn a_scaffolded_user_rule_passes_test_rules_and_is_checked() {
    let project = project();
    let dir = project.path();
    for (kind, extension, _) in KINDS {
        let id = format!("no-{kind}-example");
        let output = shipshape(&["new-rule", kind, &id, "--user"], dir);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let out = text(&output.stdout);
        assert!(
            out.contains(&format!("created rules/{id}.scm"))
                && out.contains(&format!("created rules/{id}.{extension}"))
                && out.contains(&format!("shipshape test-rules rules/{id}.scm")),
            "{out}"
        );
        let rule = fs::read_to_string(dir.join(format!("rules/{id}.scm"))).unwrap();
        assert!(rule.contains(&format!(";; kind = \"{kind}\"")), "{rule}");
    }
    let tested = shipshape(&["test-rules", "rules"], dir);
    let out = text(&tested.stdout);
    assert!(tested.status.success(), "{out}{}", text(&tested.stderr));
    assert!(out.contains("3 rules: 3 cases passed, 0 failed"), "{out}");
    for (kind, extension, _) in KINDS {
        assert!(
            out.contains(&format!(
                "ok   no-{kind}-example  rules/no-{kind}-example.{extension}  (1 expected finding)"
            )),
            "{out}"
        );
    }

    // The cases, copied into the project as its code, are what `check`
    // reports: the one finding of each rule where its case expects it.
    for (kind, extension, target) in KINDS {
        let case =
            fs::read_to_string(dir.join(format!("rules/no-{kind}-example.{extension}"))).unwrap();
        let target = dir.join(target);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, case).unwrap();
    }
    let checked = shipshape(
        &[
            "check",
            "--format",
            "json",
            "--select",
            "no-python-example,no-dockerfile-example,no-compose-example",
            ".",
        ],
        dir,
    );
    let findings: Value = serde_json::from_slice(&checked.stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {}{}",
            text(&checked.stdout),
            text(&checked.stderr)
        )
    });
    let mut found: Vec<(String, String, u64)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("no-compose-example".into(), "compose.yaml".into(), 3),
            ("no-dockerfile-example".into(), "Dockerfile".into(), 3),
            ("no-python-example".into(), "app/main.py".into(), 3),
        ],
        "{}",
        text(&checked.stdout)
    );
}

#[test]
fn taken_and_malformed_ids_are_refused_and_nothing_is_written() {
    let project = project();
    let dir = project.path();
    let made = shipshape(&["new-rule", "python", "no-eval", "--user"], dir);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let before = files(dir);
    let rule_before = fs::read_to_string(dir.join("rules/no-eval.scm")).unwrap();
    let cases: [(&[&str], &str); 9] = [
        (
            &["python", "no-eval", "--user"],
            "rules/no-eval.scm exists already",
        ),
        (
            &["python", "bare-except", "--user"],
            "`bare-except` is a built-in rule already (python/bare-except)",
        ),
        (
            &["dockerfile", "dockerfile-sudo", "--user"],
            "`dockerfile-sudo` is a built-in rule already",
        ),
        (&["python", "Bad_Id", "--user"], "`Bad_Id` is not a rule id"),
        (
            &["python", "no--eval", "--user"],
            "`no--eval` is not a rule id",
        ),
        (
            &["python", "--user", "--", "-no-eval"],
            "`-no-eval` is not a rule id",
        ),
        (&["python", "9lives", "--user"], "`9lives` is not a rule id"),
        (&["cobol", "no-goto", "--user"], "no file kind `cobol`"),
        (
            &["project", "no-readme", "--user"],
            "a project rule is a folder with a hook",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["new-rule"];
        all.extend_from_slice(args);
        let output = shipshape(&all, dir);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("shipshape new-rule: ") && err.contains(message),
            "{args:?}: {err}"
        );
        assert_eq!(files(dir), before, "{args:?} wrote something");
    }
    assert_eq!(
        fs::read_to_string(dir.join("rules/no-eval.scm")).unwrap(),
        rule_before
    );

    // Without `rule-paths` there is no user rule folder to guess.
    fs::write(dir.join("shipshape.toml"), "exclude = [\"rules\"]\n").unwrap();
    let output = shipshape(&["new-rule", "python", "no-exec", "--user"], dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("shipshape.toml has no `rule-paths`"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dir.join("rules/no-exec.scm").exists());
}

#[test]
fn a_built_in_rule_is_one_folder() {
    let rules = tempfile::Builder::new()
        .prefix("shipshape-new-rule-builtin-")
        .tempdir()
        .unwrap();
    let root = rules.path();
    fs::create_dir_all(root.join("compose/no-swap")).unwrap();
    let output = shipshape(
        &[
            "new-rule",
            "dockerfile",
            "no-ssh-port",
            "--dir",
            root.to_str().unwrap(),
        ],
        root,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        files(root),
        [
            PathBuf::from("dockerfile/no-ssh-port/fixture.dockerfile"),
            PathBuf::from("dockerfile/no-ssh-port/rule.scm"),
        ]
    );
    let rule = fs::read_to_string(root.join("dockerfile/no-ssh-port/rule.scm")).unwrap();
    // A built-in rule's kind is its folder's; its header has every key the
    // tidy test asks for.
    assert!(!rule.contains(";; kind ="), "{rule}");
    for key in ["priority", "category", "summary", "message", "docs"] {
        assert!(rule.contains(&format!(";; {key} = ")), "{key}: {rule}");
    }
    for section in [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## Fix",
    ] {
        assert!(rule.contains(section), "{section}: {rule}");
    }
    let out = text(&output.stdout);
    assert!(
        out.contains("UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy"),
        "{out}"
    );
    // An id taken by a folder of another kind is refused.
    let output = shipshape(
        &[
            "new-rule",
            "python",
            "no-swap",
            "--dir",
            root.to_str().unwrap(),
        ],
        root,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no-swap exists already"),
        "{}",
        text(&output.stderr)
    );
    assert!(!root.join("python").exists());
}
