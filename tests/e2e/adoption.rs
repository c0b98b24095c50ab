//! End-to-end tests of what a team needs to adopt shipshape: configuration,
//! suppressions, baselines, the CI output formats, `--fix`/`--diff`, and the
//! README's examples (which are run here, so they stay true).

use std::{
    fs,
    path::{Path, PathBuf},
    process::Output,
    sync::atomic::{AtomicUsize, Ordering},
};

use serde_json::Value;
use shipshape_tests::repo_root;

fn shipshape(args: &[&str], dir: &Path) -> Output {
    shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run shipshape")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Vec<Value> {
    let value: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", stdout(output)));
    value.as_array().expect("an array").clone()
}

/// A scratch project: files written from (path, text) pairs.
struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "shipshape-adoption-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // A marker so that configuration discovery stops here in a
        // predictable way (the temp folder's parents have no config).
        let project = Project { dir };
        for (path, text) in files {
            project.write(path, text);
        }
        project
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        shipshape(args, &self.dir)
    }

    /// (path, line, rule, severity) of each finding of `check --format json`.
    fn findings(&self, args: &[&str]) -> Vec<(String, u64, String, String)> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        json(&self.run(&all))
            .iter()
            .map(|finding| {
                (
                    finding["path"].as_str().unwrap().to_string(),
                    finding["line"].as_u64().unwrap(),
                    finding["rule"].as_str().unwrap().to_string(),
                    finding["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

const BARE: &str = "try:\n    connect()\nexcept:\n    raise\n";

fn finding(path: &str, line: u64, rule: &str, severity: &str) -> (String, u64, String, String) {
    (path.into(), line, rule.into(), severity.into())
}

#[test]
fn configuration_overrides_severity_turns_rules_off_and_excludes() {
    let project = Project::new(&[
        (
            "pyproject.toml",
            "[project]\nname = \"svc\"\n\n[tool.shipshape]\nexclude = [\"migrations\", \"scripts/*.py\"]\n\n[tool.shipshape.rules]\nbare-except = \"error\"\n\n[tool.shipshape.per-path-ignores]\n\"tests/**\" = [\"bare-except\"]\n",
        ),
        ("app/main.py", BARE),
        ("tests/test_main.py", BARE),
        ("migrations/0001.py", BARE),
        ("scripts/seed.py", BARE),
        ("scripts/deep/keep.py", BARE),
    ]);
    assert_eq!(
        project.findings(&["."]),
        [
            finding("app/main.py", 3, "bare-except", "error"),
            finding("scripts/deep/keep.py", 3, "bare-except", "error"),
        ]
    );
    // An excluded file named on the command line (as pre-commit does) is
    // excluded too.
    assert_eq!(project.findings(&["migrations/0001.py"]), []);
    // --no-config ignores it all.
    assert_eq!(project.findings(&["--no-config", "."]).len(), 5);
}

#[test]
fn categories_and_the_nearest_file_decide() {
    let project = Project::new(&[
        ("shipshape.toml", "[categories]\nreliability = false\n"),
        ("a.py", BARE),
        // A nested project's own config replaces the parent's.
        (
            "svc/pyproject.toml",
            "[tool.shipshape.rules]\nbare-except = \"hint\"\n",
        ),
        ("svc/b.py", BARE),
        // A pyproject.toml without [tool.shipshape] does not count.
        ("other/pyproject.toml", "[project]\nname = \"other\"\n"),
        ("other/c.py", BARE),
    ]);
    assert_eq!(
        project.findings(&["."]),
        [finding("svc/b.py", 3, "bare-except", "hint")]
    );
}

#[test]
fn fail_on_comes_from_the_configuration_unless_given() {
    let project = Project::new(&[("shipshape.toml", "fail-on = \"error\"\n"), ("a.py", BARE)]);
    assert_eq!(project.run(&["check", "."]).status.code(), Some(0));
    assert_eq!(
        project
            .run(&["check", "--fail-on", "warning", "."])
            .status
            .code(),
        Some(1)
    );
    project.write(
        "shipshape.toml",
        "[rules]\nbare-except = \"error\"\nfail-on = 1\n",
    );
    assert_eq!(project.run(&["check", "."]).status.code(), Some(1));
}

#[test]
fn a_broken_configuration_is_reported_on_itself_and_the_rest_applies() {
    let config = "[tool.shipshape]\ncolour = \"blue\"\n\n[tool.shipshape.rules]\nbare-exept = \"off\"\nbare-except = \"hint\"\nunused-suppression = \"loud\"\n";
    let project = Project::new(&[("pyproject.toml", config), ("app.py", BARE)]);
    let output = project.run(&["check", "--format", "json", "."]);
    let findings = json(&output);
    let summary: Vec<(String, u64, u64, String, String)> = findings
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap(),
                finding["rule"].as_str().unwrap().to_string(),
                finding["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("app.py".into(), 3, 1, "bare-except".into(), "hint".into()),
            (
                "pyproject.toml".into(),
                2,
                1,
                "invalid-config".into(),
                "warning".into()
            ),
            (
                "pyproject.toml".into(),
                5,
                1,
                "invalid-config".into(),
                "warning".into()
            ),
            (
                "pyproject.toml".into(),
                7,
                22,
                "invalid-config".into(),
                "warning".into()
            ),
        ],
        "{}",
        stdout(&output)
    );
    assert!(
        findings[2]["message"]
            .as_str()
            .unwrap()
            .contains("unknown rule `bare-exept`")
    );
    // A syntax error is a finding too, never a crash.
    project.write(
        "pyproject.toml",
        "[tool.shipshape.rules\nbare-except = \"off\"\n",
    );
    let output = project.run(&["check", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        json(&output)
            .iter()
            .any(|finding| finding["rule"] == "invalid-config")
    );
}

#[test]
fn unused_suppressions_are_hints_with_a_safe_fix() {
    let project = Project::new(&[(
        "app.py",
        "x = 1  # shipshape: ignore[bare-except]\ntry:\n    pass\n# shipshape: ignore[bare-except] -- legacy\nexcept:\n    raise\n",
    )]);
    assert_eq!(
        project.findings(&["."]),
        [finding("app.py", 1, "unused-suppression", "hint")]
    );
    let fixed = project.run(&["check", "--fix", "."]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));
    assert_eq!(
        project.read("app.py"),
        "x = 1\ntry:\n    pass\n# shipshape: ignore[bare-except] -- legacy\nexcept:\n    raise\n"
    );
}

#[test]
fn peer_pragmas_silence_their_equivalent_rule() {
    let project = Project::new(&[(
        "app.py",
        "try:\n    pass\nexcept:  # noqa: E722\n    raise\ntry:\n    pass\nexcept:  # noqa\n    raise\n",
    )]);
    assert_eq!(
        project.findings(&["."]),
        [finding("app.py", 7, "bare-except", "warning")]
    );
}

#[test]
fn a_baseline_hides_known_findings_even_when_lines_move() {
    let project = Project::new(&[("app/main.py", BARE)]);
    let wrote = project.run(&["check", "--baseline-write", "baseline.json", "app"]);
    assert_eq!(wrote.status.code(), Some(0));
    let recorded: Value = serde_json::from_str(&project.read("baseline.json")).unwrap();
    assert_eq!(
        recorded["findings"][0]["path"], "app/main.py",
        "relative to the baseline"
    );
    assert_eq!(recorded["findings"][0]["rule"], "bare-except");

    // The same findings, with lines moved: nothing new, exit 0.
    project.write("app/main.py", &format!("import os\n\n\n{BARE}"));
    let output = project.run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        "baseline.json",
        ".",
    ]);
    assert_eq!(json(&output), Vec::<Value>::new());
    assert_eq!(output.status.code(), Some(0));
    let text = project.run(&[
        "check",
        "--baseline",
        "baseline.json",
        "--color",
        "never",
        ".",
    ]);
    assert!(
        stdout(&text).contains("1 in the baseline not shown"),
        "{}",
        stdout(&text)
    );

    // A new one fails, and only it is reported.
    project.write("app/main.py", &format!("import os\n\n\n{BARE}{BARE}"));
    let output = project.run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        "baseline.json",
        ".",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let findings = json(&output);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 10, "the second `except:`");

    // SARIF keeps both, with their baseline state.
    let sarif = project.run(&[
        "check",
        "--format",
        "sarif",
        "--baseline",
        "baseline.json",
        ".",
    ]);
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let states: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["unchanged", "new"]);
    assert_eq!(sarif.status.code(), Some(1));

    // A broken baseline is an error, not an empty one.
    project.write("baseline.json", "{");
    assert_eq!(
        project
            .run(&["check", "--baseline", "baseline.json", "."])
            .status
            .code(),
        Some(2)
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(repo_root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let validator = sarif_validator();
    // The schema is strict enough to catch a wrong document.
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"tool": {}}]})));

    let example = repo_root().join("examples/fastapi-service");
    let output = shipshape(&["check", "--format", "sarif", "."], &example);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid_sarif(&validator, &log);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), shipshape_core::registry().rules.len());
    for rule in rules {
        assert!(rule["helpUri"].as_str().unwrap().ends_with(".md"));
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Why it matters")
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(
            result["partialFingerprints"]["shipshape/v1"]
                .as_str()
                .unwrap()
                .starts_with("v1:")
        );
        assert!(result.get("baselineState").is_none(), "no baseline given");
    }
    assert!(results.iter().any(|result| result["fixes"].is_array()));

    // Odd paths, unicode and no findings at all are valid too.
    let project = Project::new(&[
        ("dir with space/é.py", &format!("# ünïcode ✓\n{BARE}")),
        ("clean.py", "x = 1\n"),
        ("shipshape.toml", "[rules]\nnope = 1\n"),
    ]);
    let log: Value =
        serde_json::from_slice(&project.run(&["check", "--format", "sarif", "."]).stdout).unwrap();
    assert_valid_sarif(&validator, &log);
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 2);
    let clean = Project::new(&[("clean.py", "x = 1\n")]);
    let log: Value =
        serde_json::from_slice(&clean.run(&["check", "--format", "sarif", "."]).stdout).unwrap();
    assert_valid_sarif(&validator, &log);
}

#[test]
fn github_annotations_and_junit_xml() {
    let project = Project::new(&[("app, v2/main.py", BARE), ("ok.py", "x = 1\n")]);
    let output = project.run(&["check", "--format", "github", "."]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let annotation = text.lines().next().unwrap();
    assert!(
        annotation.starts_with(
            "::warning file=app%2C v2/main.py,line=3,col=1,endLine=3,endColumn=8,title=shipshape bare-except::Bare `except:`"
        ),
        "{text}"
    );

    let output = project.run(&["check", "--format", "junit", "."]);
    let xml = stdout(&output);
    let document =
        roxmltree::Document::parse(&xml).unwrap_or_else(|error| panic!("{error}\n{xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("2"));
    assert_eq!(root.attribute("failures"), Some("1"));
    let failures: Vec<_> = document
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0]
            .attribute("message")
            .unwrap()
            .starts_with("Bare `except:`")
    );
    assert_eq!(
        failures[0].parent().unwrap().attribute("classname"),
        Some("app, v2/main.py")
    );
}

#[cfg(unix)]
#[test]
fn fix_writes_atomically_keeps_permissions_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(&[("app/main.py", BARE), ("other/keep.py", BARE)]);
    let path = project.dir.join("app/main.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o751)).unwrap();

    // --diff shows the change and writes nothing.
    let diff = project.run(&["check", "--diff", "app"]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(
        stdout(&diff).contains("--- a/app/main.py\n+++ b/app/main.py\n"),
        "{}",
        stdout(&diff)
    );
    assert!(
        stdout(&diff).contains("-except:\n+except Exception:\n"),
        "{}",
        stdout(&diff)
    );
    assert_eq!(project.read("app/main.py"), BARE);

    let fixed = project.run(&["check", "--fix", "app"]);
    assert_eq!(fixed.status.code(), Some(0), "nothing remains");
    let stderr = String::from_utf8_lossy(&fixed.stderr);
    assert!(
        stderr.contains("fixed app/main.py: bare-except"),
        "{stderr}"
    );
    assert!(stdout(&fixed).contains("1 fixed"), "{}", stdout(&fixed));
    assert_eq!(
        project.read("app/main.py"),
        BARE.replace("except:", "except Exception:")
    );
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o751);
    // Only the files asked for; no temporary file left behind.
    assert_eq!(project.read("other/keep.py"), BARE);
    let leftovers: Vec<_> = fs::read_dir(project.dir.join("app"))
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name() != "main.py")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Again: nothing to do.
    let again = project.run(&["check", "--diff", "app"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout(&again), "");

    // --unsafe-fixes alone is a usage error.
    assert_eq!(
        project.run(&["check", "--unsafe-fixes", "."]).status.code(),
        Some(2)
    );
}

/// The fenced blocks of a language under a README heading (up to the next
/// heading of the same or a higher level, outside code blocks).
fn readme_blocks(heading: &str, language: &str) -> Vec<String> {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let level = heading.split(' ').next().unwrap().len();
    let mut lines = readme.lines().skip_while(|line| *line != heading);
    assert!(lines.next().is_some(), "README has no `{heading}`");
    let mut blocks = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for line in lines {
        match &mut current {
            Some((wanted, body)) => {
                if line.starts_with("```") {
                    if *wanted {
                        blocks.push(std::mem::take(body));
                    }
                    current = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    current = Some((info.trim() == language, String::new()));
                    continue;
                }
                let hashes = line.chars().take_while(|c| *c == '#').count();
                if hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
                    break;
                }
            }
        }
    }
    blocks
}

#[test]
fn the_readme_configuration_example_parses_and_applies() {
    let blocks = readme_blocks("## Configuration", "toml");
    let config = blocks.first().expect("a toml example");
    let project = Project::new(&[
        (
            "pyproject.toml",
            &format!("[project]\nname = \"svc\"\n\n{config}"),
        ),
        ("app/main.py", BARE),
        ("tests/test_main.py", BARE),
        ("legacy/old.py", BARE),
        ("migrations/0001.py", BARE),
        ("app/stale.py", "x = 1  # shipshape: ignore[bare-except]\n"),
    ]);
    // No invalid-config: every key and value is understood. bare-except is
    // an error, off in tests (per-path ignore) and legacy (category), the
    // migrations are excluded and unused-suppression is off.
    assert_eq!(
        project.findings(&["."]),
        [finding("app/main.py", 3, "bare-except", "error")]
    );
    assert_eq!(
        project.run(&["check", "."]).status.code(),
        Some(1),
        "fail-on = warning"
    );
}

#[test]
fn the_readme_suppression_example_suppresses() {
    let blocks = readme_blocks("## Suppressing a finding", "python");
    let code = blocks.first().expect("a python example");
    let project = Project::new(&[("app.py", code)]);
    assert_eq!(project.findings(&["."]), []);
    // Without the comment the finding is there.
    let without: String = code
        .lines()
        .filter(|line| !line.contains("shipshape:"))
        .map(|line| format!("{line}\n"))
        .collect();
    project.write("app.py", &without);
    assert_eq!(project.findings(&["."]).len(), 1);
}

#[test]
fn the_readme_baseline_and_ci_commands_run() {
    let project = Project::new(&[("app/main.py", BARE)]);
    let mut commands: Vec<String> = readme_blocks("## Baseline", "sh")
        .concat()
        .lines()
        .filter(|line| line.starts_with("shipshape "))
        .map(str::to_string)
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    let workflow = readme_blocks("### GitHub Actions", "yaml").concat();
    assert!(workflow.contains("github/codeql-action/upload-sarif"));
    commands.extend(
        workflow
            .lines()
            .filter_map(|line| line.trim().strip_prefix("run: shipshape "))
            .map(|rest| format!("shipshape {rest}")),
    );
    assert_eq!(commands.len(), 4, "{commands:?}");
    for command in &commands {
        let (command, redirect) = match command.split_once(" > ") {
            Some((command, file)) => (command, Some(file.trim())),
            None => (command.as_str(), None),
        };
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let output = project.run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "`{command}`: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        if redirect == Some("shipshape.sarif") {
            let log: Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_valid_sarif(&sarif_validator(), &log);
        }
    }
}

#[test]
fn the_pre_commit_hooks_run_shipshape_check() {
    let hooks = fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|line| line.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries.len(), 3);
    for entry in entries {
        assert!(entry.starts_with("shipshape check"), "{entry}");
        // The entry's arguments are real options (pre-commit appends files, except to the
        // project hook, which checks `.` itself).
        let project = Project::new(&[("a.py", "x = 1\n")]);
        let files = if entry.ends_with(" .") {
            vec![]
        } else {
            vec!["a.py"]
        };
        let args: Vec<&str> = entry.split_whitespace().skip(1).chain(files).collect();
        assert_eq!(project.run(&args).status.code(), Some(0), "{entry}");
    }
    assert!(
        hooks.contains("- id: shipshape\n")
            && hooks.contains("- id: shipshape-fix\n")
            && hooks.contains("- id: shipshape-project\n")
    );
}

/// The `$ shipshape ...` samples of the README: every fenced block (without
/// a language) whose first line is such a command, with the output below
/// it. A last line `...` makes the output a prefix of what is printed.
fn readme_samples() -> Vec<(String, Vec<String>, bool)> {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let mut samples = Vec::new();
    let mut block: Option<Vec<String>> = None;
    for line in readme.lines() {
        match &mut block {
            None if line == "```" => block = Some(Vec::new()),
            None if line.starts_with("```") => block = Some(vec!["(other language)".into()]),
            None => {}
            Some(lines) if line.starts_with("```") => {
                if let Some(command) = lines.first().and_then(|first| first.strip_prefix("$ ")) {
                    let mut expected: Vec<String> = lines[1..].to_vec();
                    let partial = expected.last().is_some_and(|last| last == "...");
                    if partial {
                        expected.pop();
                    }
                    samples.push((command.to_string(), expected, partial));
                }
                block = None;
            }
            Some(lines) => lines.push(line.to_string()),
        }
    }
    samples
}

#[test]
fn the_readme_samples_are_what_the_binary_prints() {
    let samples = readme_samples();
    assert!(samples.len() >= 3, "{samples:?}");
    for (command, expected, partial) in &samples {
        let args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(args[0], "shipshape", "{command}");
        let output = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"))
            .args(&args[1..])
            .current_dir(repo_root())
            .env_remove("FORCE_COLOR")
            .env("NO_COLOR", "1")
            .output()
            .expect("run shipshape");
        let printed = stdout(&output);
        let printed: Vec<&str> = printed.lines().collect();
        let shown: Vec<&str> = expected.iter().map(String::as_str).collect();
        if *partial {
            assert!(
                printed.len() >= shown.len() && printed[..shown.len()] == shown[..],
                "README sample `{command}` has drifted; the binary prints:\n{}",
                printed.join("\n")
            );
        } else {
            assert_eq!(
                printed,
                shown,
                "README sample `{command}` has drifted; the binary prints:\n{}",
                printed.join("\n")
            );
        }
    }
}

#[test]
fn the_readme_gitlab_job_writes_code_quality_json() {
    let job = readme_blocks("### GitLab CI", "yaml").concat();
    let command = job
        .lines()
        .find_map(|line| line.trim().strip_prefix("- shipshape "))
        .expect("a shipshape command");
    let (command, file) = command.split_once(" > ").expect("a redirect");
    assert!(job.contains(&format!("codequality: {file}")), "{job}");
    let project = Project::new(&[("app/main.py", BARE)]);
    let args: Vec<&str> = command.split_whitespace().collect();
    let output = project.run(&args);
    assert_eq!(output.status.code(), Some(1), "findings fail the job");
    let issues = json(&output);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["check_name"], "bare-except");
    assert_eq!(issues[0]["location"]["path"], "app/main.py");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 3);
}
