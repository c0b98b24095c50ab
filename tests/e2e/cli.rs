//! End-to-end tests of `shipshape check`, `rules` and `explain`: the real
//! binary on the example projects. The example files carry `# expect:`
//! lines, so the expected findings sit next to the code they describe.

use std::{
    collections::BTreeSet,
    fs,
    path::Path,
    process::{Command, Output},
};

use serde_json::Value;
use shipshape_tests::{expectations, files_under, repo_root};

fn shipshape(args: &[&str], dir: &Path) -> Output {
    shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run shipshape")
}

fn json_findings(output: &Output) -> Vec<Value> {
    let value: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    value.as_array().expect("a JSON array").clone()
}

/// (path, 1-based line, rule) of every `# expect:` line in a project.
fn expected_in(project: &Path) -> BTreeSet<(String, u64, String)> {
    let mut expected = BTreeSet::new();
    for path in files_under(project) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let relative = path
            .strip_prefix(project)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (line, rule) in expectations(&text) {
            expected.insert((relative.clone(), line as u64 + 1, rule));
        }
    }
    expected
}

#[test]
fn check_json_reports_exactly_the_expected_findings_of_the_example_service() {
    let project = repo_root().join("examples/fastapi-service");
    let output = shipshape(&["check", "--format", "json", "."], &project);
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings make the exit code 1"
    );
    let findings = json_findings(&output);
    let actual: BTreeSet<(String, u64, String)> = findings
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(actual, expected_in(&project));
    for finding in &findings {
        for key in ["column", "end_line", "end_column"] {
            assert!(
                finding[key].as_u64().is_some_and(|value| value >= 1),
                "{key} in {finding}"
            );
        }
        assert!(
            ["error", "warning", "info", "hint"].contains(&finding["severity"].as_str().unwrap())
        );
        assert!(finding["category"].is_string() && finding["message"].is_string());
        assert!(
            finding["fix"].is_null()
                || finding["fix"]["title"].is_string() && finding["fix"]["edits"].is_array()
        );
    }
}

#[test]
fn clean_code_has_no_findings_and_exits_zero() {
    let project = repo_root().join("examples/fastapi-clean");
    let output = shipshape(&["check", "--format", "json"], &project);
    assert_eq!(json_findings(&output), Vec::<Value>::new());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn text_output_is_compiler_style_with_a_code_frame() {
    let project = repo_root().join("examples/fastapi-service");
    let output = shipshape(&["check", "--color", "never", "app/main.py"], &project);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("warning[bare-except]"), "{text}");
    assert!(text.contains("--> app/main.py:"), "{text}");
    assert!(text.contains("|     except:"), "{text}");
    let concise = shipshape(&["check", "--format", "concise", "app/main.py"], &project);
    let concise = String::from_utf8(concise.stdout).unwrap();
    assert!(
        concise.lines().any(
            |line| line.starts_with("app/main.py:") && line.contains(": warning[bare-except] ")
        ),
        "{concise}"
    );
}

#[test]
fn fail_on_sets_the_threshold_of_the_exit_code() {
    let project = repo_root().join("examples/fastapi-service");
    let errors_only = shipshape(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "error",
            "app/main.py",
        ],
        &project,
    );
    let findings = json_findings(&errors_only);
    let has_error = findings
        .iter()
        .any(|finding| finding["severity"] == "error");
    assert_eq!(
        errors_only.status.code(),
        Some(if has_error { 1 } else { 0 })
    );
    let never = shipshape(&["check", "--fail-on", "never", "."], &project);
    assert_eq!(never.status.code(), Some(0));
}

#[test]
fn usage_and_io_errors_exit_two() {
    let root = repo_root();
    assert_eq!(
        shipshape(&["check", "does/not/exist"], &root).status.code(),
        Some(2)
    );
    assert_eq!(
        shipshape(&["check", "--format", "yaml"], &root)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        shipshape(&["explain", "no-such-rule"], &root).status.code(),
        Some(2)
    );
}

#[test]
fn binary_and_non_utf8_files_are_skipped_with_a_message() {
    let dir = std::env::temp_dir().join(format!("shipshape-cli-skip-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("binary.py"), b"import os\0\0\x01").unwrap();
    fs::write(dir.join("latin1.py"), b"name = '\xe9t\xe9'\n").unwrap();
    fs::write(dir.join("ok.py"), "try:\n    pass\nexcept:\n    raise\n").unwrap();
    let output = shipshape(&["check", "--format", "json", "."], &dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("binary.py: binary content"), "{stderr}");
    assert!(stderr.contains("latin1.py: not UTF-8 text"), "{stderr}");
    assert!(
        stderr.contains("skipped 2 files: binary.py, latin1.py"),
        "{stderr}"
    );
    // Skipped files found by the walk do not make an I/O error: the exit
    // code is the findings'.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let findings = json_findings(&output);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "ok.py");
    // Named on the command line, a binary file is skipped the same way.
    let output = shipshape(&["check", "binary.py"], &dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("binary.py: binary content"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

/// A scratch folder for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("shipshape-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `shipshape` like [`shipshape`], failing the test instead of hanging
/// when it does not end within a few minutes (a FIFO opened for reading
/// blocks forever).
fn shipshape_bounded(args: &[&str], dir: &Path) -> Output {
    use std::{
        io::Read,
        process::Stdio,
        thread,
        time::{Duration, Instant},
    };
    let mut command = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"));
    let mut child = command
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run shipshape");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("shipshape {args:?} did not finish in 300 s");
        }
        thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn assert_no_panic(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_skipped_and_named() {
    use std::os::unix::fs::symlink;
    let dir = scratch("symlinks");
    fs::write(dir.join("ok.py"), "try:\n    pass\nexcept:\n    raise\n").unwrap();
    fs::create_dir(dir.join("sub")).unwrap();
    // A folder loop, a file loop, a dangling link, and a link to a file.
    symlink("..", dir.join("sub/up")).unwrap();
    symlink(".", dir.join("self")).unwrap();
    symlink("b.py", dir.join("a.py")).unwrap();
    symlink("a.py", dir.join("b.py")).unwrap();
    symlink("missing.py", dir.join("dangling.py")).unwrap();
    symlink("ok.py", dir.join("link.py")).unwrap();
    let output = shipshape_bounded(&["check", "--format", "json", "."], &dir);
    assert_no_panic(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in ["a.py", "b.py", "dangling.py"] {
        assert!(stderr.contains(&format!("skipped {name}: ")), "{stderr}");
    }
    assert!(
        stderr.contains("skipped 3 files: a.py, b.py, dangling.py"),
        "{stderr}"
    );
    // Folder links are not followed (so loops are never walked); a link to
    // a file is checked like the file.
    let paths: BTreeSet<String> = json_findings(&output)
        .iter()
        .map(|finding| finding["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from(["link.py".to_string(), "ok.py".to_string()])
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // A loop named on the command line is an I/O error of that path.
    let output = shipshape_bounded(&["check", "a.py"], &dir);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn fix_through_a_symlink_edits_the_file_it_names() {
    use std::os::unix::fs::symlink;
    let dir = scratch("fix-link");
    fs::create_dir(dir.join("real")).unwrap();
    let text = "try:\n    pass\nexcept:\n    raise\n";
    fs::write(dir.join("real/app.py"), text).unwrap();
    symlink("real/app.py", dir.join("app.py")).unwrap();
    let output = shipshape_bounded(&["check", "--fix", "--unsafe-fixes", "app.py"], &dir);
    assert_no_panic(&output);
    assert!(
        fs::symlink_metadata(dir.join("app.py"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_ne!(fs::read_to_string(dir.join("real/app.py")).unwrap(), text);
    fs::remove_dir_all(&dir).unwrap();
}

/// Unreadable files. `chmod 000` does not stop root (tests often run as
/// root), so the test also uses what nobody can read: a link to
/// `/proc/self/mem` (reading offset 0 fails with EIO) on Linux, and FIFOs,
/// which must never be opened (opening one blocks until a writer comes).
#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_and_fifos_are_skipped_without_blocking() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = scratch("unreadable");
    fs::write(dir.join("ok.py"), "try:\n    pass\nexcept:\n    raise\n").unwrap();
    fs::write(dir.join("secret.py"), "x = 1\n").unwrap();
    fs::set_permissions(dir.join("secret.py"), fs::Permissions::from_mode(0o000)).unwrap();
    let root_reads_anyway = fs::read(dir.join("secret.py")).is_ok();
    symlink("/proc/self/mem", dir.join("mem.py")).unwrap();
    for fifo in ["fifo.py", "requirements.txt", ".env", "Dockerfile"] {
        let status = Command::new("mkfifo")
            .arg(dir.join(fifo))
            .status()
            .expect("mkfifo");
        assert!(status.success());
    }
    let output = shipshape_bounded(&["check", "--format", "json", "."], &dir);
    assert_no_panic(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("skipped mem.py: "), "{stderr}");
    for fifo in ["fifo.py", "requirements.txt", ".env", "Dockerfile"] {
        assert!(
            stderr.contains(&format!("skipped {fifo}: not a regular file")),
            "{stderr}"
        );
    }
    if root_reads_anyway {
        println!("running as root: chmod 000 does not stop reads; secret.py is checked");
    } else {
        assert!(stderr.contains("skipped secret.py: "), "{stderr}");
    }
    let skipped = if root_reads_anyway { 5 } else { 6 };
    assert!(
        stderr.contains(&format!("skipped {skipped} files: ")),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let findings = json_findings(&output);
    assert!(findings.iter().any(|finding| finding["path"] == "ok.py"));
    // Named on the command line, an unreadable file or a FIFO is an I/O
    // error of the command: exit code 2.
    for given in ["mem.py", "fifo.py"] {
        let output = shipshape_bounded(&["check", given], &dir);
        assert_no_panic(&output);
        assert_eq!(output.status.code(), Some(2), "{given}");
    }
    fs::set_permissions(dir.join("secret.py"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_dir_all(&dir).unwrap();
}

/// A 5 MB single line is checked to the end, not skipped. The Python one
/// is a string literal (one token); lines made of many small nodes cost
/// more per byte (the query engine walks a node with hundreds of
/// thousands of children), so those are kept smaller here: this test runs
/// the debug build on a shared machine. README "Robustness" has the
/// release build's times for 5 MB of each.
#[test]
fn a_five_megabyte_single_line_is_checked_to_the_end() {
    let dir = scratch("long-line");
    fs::write(
        dir.join("string.py"),
        format!("s = \"{}\"\n", "a".repeat(5 << 20)),
    )
    .unwrap();
    fs::write(
        dir.join("list.py"),
        format!("x = [{}]\n", "1, ".repeat(256 * 1024 / 3)),
    )
    .unwrap();
    fs::write(
        dir.join("Dockerfile"),
        format!("FROM python:3.12\nRUN echo {}\n", "a ".repeat(512 * 1024)),
    )
    .unwrap();
    let output = shipshape_bounded(&["check", "--format", "json", "."], &dir);
    assert_no_panic(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("skipped"), "{stderr}");
    assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
    json_findings(&output);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rules_and_explain_describe_every_rule() {
    let root = repo_root();
    let output = shipshape(&["rules", "--format", "json"], &root);
    let rules: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let explain = shipshape(&["explain", id], &root);
        assert_eq!(explain.status.code(), Some(0));
        let page = String::from_utf8(explain.stdout).unwrap();
        assert!(page.starts_with(&format!("# {id}\n")), "{page}");
        assert!(page.contains("## Why it matters"), "{id}");
    }
}

fn report_json(project: &Path) -> Value {
    let output = shipshape(&["report", "--format", "json"], project);
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).expect("report JSON")
}

#[test]
fn a_poorly_prepared_service_scores_clearly_below_a_prepared_one() {
    let poor = report_json(&repo_root().join("examples/fastapi-service"));
    let clean = report_json(&repo_root().join("examples/fastapi-clean"));
    let score = |report: &Value| report["score"].as_u64().unwrap();
    assert_eq!(score(&clean), 100, "{clean}");
    assert!(score(&poor) + 30 <= score(&clean), "{poor}");
    let categories = poor["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 8);
    assert!(
        categories
            .iter()
            .all(|category| category["name"].is_string()
                && category["score"].as_u64().unwrap() <= 100)
    );
    // Critical findings are the ones to fix before production.
    let must_fix: Vec<&str> = poor["must_fix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["rule"].as_str().unwrap())
        .collect();
    assert!(must_fix.contains(&"missing-rate-limiting"), "{must_fix:?}");
    assert!(must_fix.contains(&"env-file-not-ignored"), "{must_fix:?}");
    // What is in place is said too, from the project model.
    let strengths: Vec<&str> = clean["strengths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|strength| strength.as_str().unwrap())
        .collect();
    assert!(
        strengths.contains(&"Health route `/health`"),
        "{strengths:?}"
    );
    assert!(strengths.contains(&"Rate limiting"), "{strengths:?}");
    assert!(
        !poor["strengths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|strength| strength == "Rate limiting")
    );
    // A CI gate on the score.
    let poor_project = repo_root().join("examples/fastapi-service");
    let gate = shipshape(
        &["report", "--format", "json", "--fail-under", "80"],
        &poor_project,
    );
    assert_eq!(gate.status.code(), Some(1));
    let clean_project = repo_root().join("examples/fastapi-clean");
    let gate = shipshape(
        &["report", "--format", "json", "--fail-under", "80"],
        &clean_project,
    );
    assert_eq!(gate.status.code(), Some(0));
}

#[test]
fn report_markdown_and_html_group_findings_with_locations() {
    let project = repo_root().join("examples/fastapi-service");
    let markdown = shipshape(&["report"], &project);
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.contains("## Must fix before production (critical)"),
        "{markdown}"
    );
    assert!(markdown.contains("## Should fix soon (high)"));
    assert!(markdown.contains("## Nice to have (medium and low)"));
    assert!(markdown.contains("`app/main.py:"), "{markdown}");
    let html = shipshape(&["report", "--format", "html"], &project);
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("class=\"bar\""));
    assert!(html.contains("docs/rules/missing-rate-limiting.md"));
    // Stands alone: no scripts, no stylesheets or images from the network.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"));
}

// ---------------------------------------------------------------------------
// Conventions users of ruff, hadolint and semgrep rely on.

const BARE: &str = "try:\n    connect()\nexcept:\n    raise\n";

/// Runs `shipshape` with environment variables set (and `NO_COLOR`,
/// `FORCE_COLOR` cleared unless given).
fn shipshape_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run shipshape")
}

/// Runs `shipshape` with `stdin` as its standard input.
fn shipshape_stdin(args: &[&str], dir: &Path, stdin: &str) -> Output {
    use std::{io::Write, process::Stdio};
    let mut command = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"));
    let mut child = command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run shipshape");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("wait for shipshape")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The first column (`path:line:col`) of each line of concise output.
fn concise_places(output: &Output) -> Vec<String> {
    text(&output.stdout)
        .lines()
        .filter(|line| line.contains("[bare-except]"))
        .map(|line| line.split(": ").next().unwrap().to_string())
        .collect()
}

#[test]
fn paths_are_relative_to_the_working_directory_in_every_format() {
    let root = scratch("paths");
    fs::create_dir_all(root.join(".git")).unwrap();
    for service in ["a", "b/sub"] {
        fs::create_dir_all(root.join(service)).unwrap();
        fs::write(root.join(service).join("main.py"), BARE).unwrap();
    }
    // Two folder arguments: two different files, each named from here.
    let two = shipshape(&["check", "--format", "concise", "a", "b"], &root);
    assert_eq!(
        concise_places(&two),
        ["a/main.py:3:1", "b/sub/main.py:3:1"],
        "{}",
        text(&two.stdout)
    );
    // A subfolder, a file, `./`: the same paths.
    for args in [&["b/sub"][..], &["b/sub/main.py"], &["./b/sub/"]] {
        let mut all = vec!["check", "--format", "concise"];
        all.extend_from_slice(args);
        let output = shipshape(&all, &root);
        assert_eq!(concise_places(&output), ["b/sub/main.py:3:1"], "{args:?}");
    }
    let framed = shipshape(&["check", "--color", "never", "b"], &root);
    assert!(
        text(&framed.stdout).contains("--> b/sub/main.py:3:1"),
        "{}",
        text(&framed.stdout)
    );
    let json = json_findings(&shipshape(&["check", "--format", "json", "b"], &root));
    assert_eq!(json[0]["path"], "b/sub/main.py");
    // From inside a subfolder: files outside it are absolute.
    let inside = root.join("b");
    let outside = shipshape(&["check", "--format", "concise", "sub", "../a"], &inside);
    let absolute_a = format!(
        "{}:3:1",
        fs::canonicalize(&root).unwrap().join("a/main.py").display()
    );
    assert_eq!(
        concise_places(&outside),
        [absolute_a, "sub/main.py:3:1".to_string()],
        "{}",
        text(&outside.stdout)
    );

    // CI formats name files from the repository's root, wherever `check`
    // runs: SARIF with a `%SRCROOT%` base, GitHub and GitLab plainly.
    let sarif: Value =
        serde_json::from_slice(&shipshape(&["check", "--format", "sarif", "sub"], &inside).stdout)
            .unwrap();
    let run = &sarif["runs"][0];
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "b/sub/main.py", "{location}");
    assert_eq!(location["uriBaseId"], "SRCROOT");
    let base = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(
        base,
        format!("file://{}/", fs::canonicalize(&root).unwrap().display())
    );
    let github = text(&shipshape(&["check", "--format", "github", "sub"], &inside).stdout);
    assert!(
        github.contains("::warning file=b/sub/main.py,line=3,"),
        "{github}"
    );
    let gitlab: Value =
        serde_json::from_slice(&shipshape(&["check", "--format", "gitlab", "sub"], &inside).stdout)
            .unwrap();
    assert_eq!(gitlab[0]["location"]["path"], "b/sub/main.py");
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn gitlab_code_quality_has_the_fields_the_merge_request_widget_reads() {
    let project = repo_root().join("examples/fastapi-service");
    let output = shipshape(&["check", "--format", "gitlab", "."], &project);
    assert_eq!(output.status.code(), Some(1));
    let issues: Value = serde_json::from_slice(&output.stdout).expect("GitLab JSON");
    let issues = issues.as_array().unwrap();
    let expected = json_findings(&shipshape(&["check", "--format", "json", "."], &project));
    assert_eq!(issues.len(), expected.len());
    let mut fingerprints = BTreeSet::new();
    for issue in issues {
        assert!(
            issue["description"]
                .as_str()
                .is_some_and(|text| !text.is_empty())
        );
        assert!(issue["check_name"].is_string());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(
            path.starts_with("examples/fastapi-service/"),
            "relative to the repository's root: {path}"
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_string()));
    }
    let bare = issues
        .iter()
        .find(|issue| issue["check_name"] == "bare-except")
        .unwrap();
    assert_eq!(bare["severity"], "major", "a warning is major");
    assert_eq!(
        bare["location"]["path"],
        "examples/fastapi-service/app/main.py"
    );
}

#[test]
fn errors_are_never_followed_by_a_success_line() {
    let dir = scratch("honest");
    fs::write(dir.join("notes.txt"), "hello\n").unwrap();
    fs::create_dir(dir.join("empty")).unwrap();
    let missing = shipshape(&["check", "does-not-exist"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    let stdout = text(&missing.stdout);
    assert!(!stdout.contains("No findings"), "{stdout}");
    assert!(stdout.contains("could not be checked"), "{stdout}");
    assert!(text(&missing.stderr).contains("does-not-exist: no such file or folder"));
    let diff = shipshape(&["check", "--diff", "does-not-exist"], &dir);
    assert_eq!(diff.status.code(), Some(2));
    assert!(
        text(&diff.stderr)
            .ends_with("0 fixes would be applied; a path given could not be checked (see above)\n"),
        "{}",
        text(&diff.stderr)
    );

    let unknown = shipshape(&["check", "notes.txt"], &dir);
    assert_eq!(
        text(&unknown.stderr),
        "shipshape: notes.txt: not a kind shipshape checks\n"
    );
    assert_eq!(
        text(&unknown.stdout),
        "No files shipshape checks were found.\n"
    );

    let empty = shipshape(&["check", "empty"], &dir);
    assert_eq!(
        text(&empty.stdout),
        "No files shipshape checks were found.\n"
    );
    assert_eq!(empty.status.code(), Some(0));

    // A report needs a service to score: none, no score, exit 2.
    for args in [
        &["report", "empty"][..],
        &["report", "empty", "--format", "json"],
    ] {
        let report = shipshape(args, &dir);
        assert_eq!(report.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&report.stdout), "", "{args:?}");
        assert!(
            text(&report.stderr).contains("found no Python service"),
            "{}",
            text(&report.stderr)
        );
    }
    let file = shipshape(&["report", "notes.txt"], &dir);
    assert_eq!(file.status.code(), Some(2));
    assert!(text(&file.stderr).contains("notes.txt: not a folder"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn project_wide_findings_are_on_the_project_file_and_listed_as_project_findings() {
    let project = repo_root().join("examples/fastapi-service");
    let findings = json_findings(&shipshape(&["check", "--format", "json", "."], &project));
    for rule in ["ci-missing", "tests-missing"] {
        let finding = findings
            .iter()
            .find(|finding| finding["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule}"));
        assert_eq!(finding["path"], "requirements.txt");
        assert_eq!(
            (finding["line"].as_u64(), finding["column"].as_u64()),
            (Some(1), Some(1)),
            "the file's first line, not a dependency pin: {finding}"
        );
    }
    let markdown = text(&shipshape(&["report"], &project).stdout);
    assert!(
        markdown.contains("- project (`requirements.txt`) — The project has no CI configuration"),
        "{markdown}"
    );
    assert!(!markdown.contains("`requirements.txt:1`"), "{markdown}");
    let report = report_json(&project);
    let tests_missing = report["should_fix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|group| group["rule"] == "tests-missing")
        .unwrap();
    assert_eq!(tests_missing["locations"][0]["project_wide"], true);
}

#[test]
fn severity_names_are_the_same_everywhere() {
    let project = repo_root().join("examples/fastapi-service");
    let concise = text(&shipshape(&["check", "--format", "concise", "."], &project).stdout);
    assert!(concise.contains(": info["), "{concise}");
    assert!(!concise.contains("information"), "{concise}");
    let framed = text(&shipshape(&["check", "--color", "never", "."], &project).stdout);
    assert!(framed.contains("\ninfo["), "{framed}");
    let help = text(&shipshape(&["check", "--help"], &project).stdout);
    for name in ["hint", "info", "warning", "error", "never"] {
        assert!(help.contains(&format!("- {name}")), "{help}");
    }
    assert!(!help.contains("information"), "{help}");
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(readme.contains("`--fail-on hint\\|info\\|warning\\|error\\|never`"));
    // The aliases other tools use are accepted.
    let exit = |fail_on: &str| {
        shipshape(&["check", "--fail-on", fail_on, "app/main.py"], &project)
            .status
            .code()
    };
    for alias in ["info", "information", "note", "warn", "warning", "error"] {
        assert_eq!(exit(alias), Some(1), "--fail-on {alias}");
    }
    assert_eq!(exit("critical"), Some(2), "not a severity");
}

#[test]
fn stdin_is_checked_under_the_name_given() {
    let project = repo_root().join("examples/fastapi-service");
    let output = shipshape_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "app/worker.py",
            "--format",
            "json",
        ],
        &project,
        BARE,
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let findings = json_findings(&output);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["path"], "app/worker.py");
    assert_eq!(findings[0]["rule"], "bare-except");
    assert_eq!(findings[0]["line"], 3);
    // The name decides the kind: the same text as a Dockerfile.
    let dockerfile = shipshape_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "Dockerfile",
            "--format",
            "json",
        ],
        &project,
        "FROM python:latest\n",
    );
    let rules: Vec<Value> = json_findings(&dockerfile)
        .iter()
        .map(|finding| finding["rule"].clone())
        .collect();
    assert!(
        rules.contains(&Value::from("dockerfile-unpinned-base-image")),
        "{rules:?}"
    );
    // Without a name it is Python, shown as `-`.
    let unnamed = shipshape_stdin(&["check", "-", "--format", "concise"], &project, BARE);
    assert!(
        text(&unnamed.stdout).starts_with("-:3:1: warning[bare-except]"),
        "{}",
        text(&unnamed.stdout)
    );
    // --fix prints the fixed text (for editors that fix through stdin) and
    // writes no file.
    let fixed = shipshape_stdin(
        &["check", "-", "--stdin-filename", "app/worker.py", "--fix"],
        &project,
        BARE,
    );
    assert_eq!(
        text(&fixed.stdout),
        BARE.replace("except:", "except Exception:")
    );
    assert_eq!(fixed.status.code(), Some(0));
    assert!(!project.join("app/worker.py").exists());
}

#[test]
fn select_ignore_and_extend_select_take_rule_ids_and_categories() {
    let dir = scratch("select");
    fs::write(
        dir.join("main.py"),
        format!("{BARE}import requests\nrequests.get('https://x')\nCACHE = '/tmp/cache.json'\n"),
    )
    .unwrap();
    let rules = |args: &[&str]| -> BTreeSet<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("main.py");
        json_findings(&shipshape(&all, &dir))
            .iter()
            .map(|finding| finding["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let everything = rules(&[]);
    assert!(
        [
            "bare-except",
            "http-call-without-timeout",
            "hardcoded-tmp-path"
        ]
        .iter()
        .all(|rule| everything.contains(*rule)),
        "{everything:?}"
    );
    assert_eq!(
        rules(&["--select", "bare-except"]),
        BTreeSet::from(["bare-except".to_string()])
    );
    let reliability = rules(&["--select", "reliability"]);
    assert_eq!(
        reliability,
        BTreeSet::from([
            "bare-except".to_string(),
            "http-call-without-timeout".to_string()
        ])
    );
    let without = rules(&["--ignore", "bare-except,hardcoded-tmp-path"]);
    assert!(!without.contains("bare-except") && !without.contains("hardcoded-tmp-path"));
    assert!(without.contains("http-call-without-timeout"));
    // --ignore wins over --select.
    assert_eq!(
        rules(&["--select", "reliability", "--ignore", "reliability"]),
        BTreeSet::new()
    );
    // --extend-select turns on what the configuration turns off.
    fs::write(
        dir.join("shipshape.toml"),
        "[rules]\nbare-except = \"off\"\n",
    )
    .unwrap();
    assert!(!rules(&[]).contains("bare-except"));
    assert!(rules(&["--extend-select", "bare-except"]).contains("bare-except"));
    // A name that is neither is a usage error, with a suggestion.
    let typo = shipshape(&["check", "--select", "bare-exept", "main.py"], &dir);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        text(&typo.stderr)
            .contains("unknown rule or category `bare-exept`; did you mean `bare-except`?"),
        "{}",
        text(&typo.stderr)
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn config_file_output_format_alias_and_exit_zero() {
    let dir = scratch("config");
    fs::create_dir(dir.join("app")).unwrap();
    fs::write(dir.join("app/main.py"), BARE).unwrap();
    // The nearest file says error; the file given says off.
    fs::write(
        dir.join("shipshape.toml"),
        "[rules]\nbare-except = \"error\"\n",
    )
    .unwrap();
    fs::write(dir.join("strict.toml"), "[rules]\nbare-except = \"off\"\n").unwrap();
    let severities = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--output-format", "json"];
        all.extend_from_slice(args);
        all.push("app");
        json_findings(&shipshape(&all, &dir))
            .iter()
            .map(|finding| finding["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(severities(&[]), ["error"]);
    assert_eq!(
        severities(&["--config", "strict.toml"]),
        Vec::<String>::new()
    );
    assert_eq!(severities(&["--no-config"]), ["warning"]);
    let missing = shipshape(&["check", "--config", "nope.toml", "app"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("nope.toml: no such configuration file"));
    // A broken file given is reported on itself, like a discovered one.
    fs::write(dir.join("broken.toml"), "[rules]\nbare-except = \"loud\"\n").unwrap();
    let broken = shipshape(
        &[
            "check",
            "--format",
            "concise",
            "--config",
            "broken.toml",
            "app",
        ],
        &dir,
    );
    assert!(
        text(&broken.stdout).contains("broken.toml:2:15: warning[invalid-config]"),
        "{}",
        text(&broken.stdout)
    );

    let findings = shipshape(&["check", "app"], &dir);
    assert_eq!(findings.status.code(), Some(1));
    let zero = shipshape(&["check", "--exit-zero", "app"], &dir);
    assert_eq!(zero.status.code(), Some(0));
    assert_eq!(zero.stdout, findings.stdout, "the same output");
    // An I/O error still exits 2.
    let missing = shipshape(&["check", "--exit-zero", "app", "nothing-here"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn force_color_and_no_color() {
    let project = repo_root().join("examples/fastapi-service");
    let escape = |env: &[(&str, &str)], args: &[&str]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.push("app/main.py");
        text(&shipshape_env(&all, &project, env).stdout).contains('\u{1b}')
    };
    // Not a terminal: plain unless forced.
    assert!(!escape(&[], &[]));
    assert!(escape(&[("FORCE_COLOR", "1")], &[]));
    assert!(!escape(&[("FORCE_COLOR", "")], &[]), "empty means unset");
    assert!(!escape(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    // --color decides over both.
    assert!(!escape(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(escape(&[("NO_COLOR", "1")], &["--color", "always"]));
}

#[test]
fn report_output_picks_the_format_from_the_extension() {
    let project = repo_root().join("examples/fastapi-service");
    let dir = scratch("report-output");
    for (name, starts) in [
        ("review.md", "# Deployment readiness: fastapi-service"),
        ("review.html", "<!DOCTYPE html>"),
        ("review.json", "{"),
    ] {
        let path = dir.join(name);
        let output = shipshape(&["report", "-o", path.to_str().unwrap()], &project);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), "", "nothing on stdout");
        let written = fs::read_to_string(&path).unwrap();
        assert!(written.starts_with(starts), "{name}: {written}");
    }
    let json: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("review.json")).unwrap()).unwrap();
    assert!(json["score"].as_u64().is_some());
    // --format wins over the extension; an unknown extension without it
    // is a usage error.
    let path = dir.join("review.txt");
    let output = shipshape(&["report", "--output", path.to_str().unwrap()], &project);
    assert_eq!(output.status.code(), Some(2));
    assert!(!path.exists());
    let output = shipshape(
        &[
            "report",
            "--output",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
        &project,
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(fs::read_to_string(&path).unwrap().starts_with('{'));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_markdown_report_has_bars_that_render_on_github() {
    let project = repo_root().join("examples/fastapi-service");
    let report = report_json(&project);
    let markdown = text(&shipshape(&["report"], &project).stdout);
    for category in report["categories"].as_array().unwrap() {
        let score = category["score"].as_u64().unwrap() as usize;
        let full = (score * 20 + 50) / 100;
        let bar = format!("`{}{}`", "█".repeat(full), "░".repeat(20 - full));
        let name = category["name"].as_str().unwrap();
        let row = markdown
            .lines()
            .find(|line| {
                line.to_lowercase()
                    .starts_with(&format!("| {} |", name.replace('-', " ")))
            })
            .unwrap_or_else(|| panic!("{name}: {markdown}"));
        assert!(row.contains(&bar), "{row} lacks {bar}");
    }
}

#[test]
fn server_accepts_stdio() {
    use std::{
        io::{BufRead, BufReader, Read, Write},
        process::Stdio,
    };
    let mut command = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"));
    let mut child = command
        .args(["server", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run shipshape server --stdio");
    let mut stdin = child.stdin.take().unwrap();
    let send = |stdin: &mut std::process::ChildStdin, message: &str| {
        write!(stdin, "Content-Length: {}\r\n\r\n{message}", message.len()).unwrap();
        stdin.flush().unwrap();
    };
    send(
        &mut stdin,
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
    );
    // The answer to `initialize`: a header, a blank line, the body.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut length = 0;
    loop {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        if let Some(value) = line.trim().strip_prefix("Content-Length:") {
            length = value.trim().parse().unwrap();
        }
        if line.trim().is_empty() {
            break;
        }
    }
    let mut body = vec![0; length];
    stdout.read_exact(&mut body).unwrap();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["id"], 1);
    assert!(answer["result"]["capabilities"].is_object(), "{answer}");
    send(
        &mut stdin,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
    );
    send(&mut stdin, r#"{"jsonrpc":"2.0","method":"exit"}"#);
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// Every file under `dir` (but `.git`) with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .filter(|path| !path.components().any(|part| part.as_os_str() == ".git"))
        .map(|path| {
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(&path).unwrap())
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for path in files_under(from) {
        let target = to.join(path.strip_prefix(from).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&path, &target).unwrap();
    }
}

#[test]
fn fix_and_diff_apply_cross_file_fixes_and_touch_nothing_else() {
    let dir = scratch("cross-file");
    copy_tree(&repo_root().join("examples/fastapi-service"), &dir);
    // A repository of its own, so no `.gitignore` above applies.
    fs::create_dir(dir.join(".git")).unwrap();
    assert!(!dir.join(".dockerignore").exists() && !dir.join(".env.example").exists());
    let before = snapshot(&dir);

    let diff = shipshape(&["check", "--diff", "."], &dir);
    assert_eq!(diff.status.code(), Some(1));
    let patch = text(&diff.stdout);
    assert!(
        patch.contains("--- /dev/null\n+++ b/.dockerignore\n"),
        "{patch}"
    );
    assert!(
        patch.contains("--- /dev/null\n+++ b/.env.example\n"),
        "{patch}"
    );
    assert!(
        patch.contains("--- a/.gitignore\n+++ b/.gitignore\n"),
        "{patch}"
    );
    assert!(patch.contains("+.env\n"), "{patch}");
    assert_eq!(snapshot(&dir), before, "--diff writes nothing");
    let touched: BTreeSet<String> = patch
        .lines()
        .filter_map(|line| line.strip_prefix("+++ b/"))
        .map(str::to_string)
        .collect();

    let fixed = shipshape(&["check", "--fix", "--format", "json", "."], &dir);
    let stderr = text(&fixed.stderr);
    assert!(stderr.contains("created .dockerignore"), "{stderr}");
    let after = snapshot(&dir);
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    assert_eq!(changed, touched, "--fix changes exactly what --diff showed");
    assert!(
        before.keys().all(|path| after.contains_key(path)),
        "nothing removed"
    );
    let gitignore = String::from_utf8(after[".gitignore"].clone()).unwrap();
    assert!(gitignore.lines().any(|line| line == ".env"), "{gitignore}");
    let remaining: BTreeSet<String> = json_findings(&fixed)
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap().to_string())
        .collect();
    for rule in [
        "env-file-not-ignored",
        "dockerignore-missing",
        "env-example-missing",
    ] {
        assert!(!remaining.contains(rule), "{rule} fixed: {remaining:?}");
    }
    // No temporary file left behind; a second run has nothing to do.
    assert!(
        !after.keys().any(|path| path.contains(".shipshape-")),
        "{:?}",
        after.keys()
    );
    let again = shipshape(&["check", "--diff", "."], &dir);
    assert_eq!(text(&again.stdout), "");
    assert_eq!(again.status.code(), Some(0));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_repository_root_does_not_report_its_intentional_fixtures() {
    let root = repo_root();
    let output = shipshape(&["check", "--format", "json", "."], &root);
    let findings = json_findings(&output);
    let fixture_folders = [
        "tests/fixtures/",
        "server/shipshape-core/rules/",
        "tests/projects/",
        "tests/workspaces/",
        "editors/vscode/test/fixture/",
        "editors/neovim/test/fixture/",
        "examples/fastapi-service/",
    ];
    let in_fixtures: Vec<&Value> = findings
        .iter()
        .filter(|finding| {
            let path = finding["path"].as_str().unwrap();
            fixture_folders
                .iter()
                .any(|folder| path.starts_with(folder))
        })
        .collect();
    assert!(in_fixtures.is_empty(), "{in_fixtures:?}");
    // Named, an excluded folder with a configuration of its own is checked.
    for folder in [
        "examples/fastapi-service",
        "server/shipshape-core/rules/python",
    ] {
        let named = json_findings(&shipshape(&["check", "--format", "json", folder], &root));
        assert!(
            named
                .iter()
                .all(|finding| finding["path"].as_str().unwrap().starts_with(folder)),
            "{folder}"
        );
        assert!(named.len() > 10, "{folder}: {}", named.len());
    }
}

/// A compose file's rules find the service's Dockerfile relative to the
/// compose file in the project, not to the working directory: checking a
/// project from its parent folder reports no missing healthcheck for a
/// service whose Dockerfile declares one (a false finding before).
#[test]
fn a_compose_files_dockerfile_is_found_from_any_working_directory() {
    let parent = tempfile::tempdir().unwrap();
    let project = parent.path().join("proj");
    std::fs::create_dir_all(project.join("api")).unwrap();
    std::fs::write(
        project.join("api/Dockerfile"),
        "FROM python:3.12-slim\nUSER app\nHEALTHCHECK CMD python -c \"print(1)\"\nCMD [\"python\", \"-m\", \"app\"]\n",
    )
    .unwrap();
    std::fs::write(
        project.join("compose.yaml"),
        "services:\n  api:\n    build: ./api\n    restart: unless-stopped\n    mem_limit: 512m\n  web:\n    build: ./web\n    restart: unless-stopped\n    mem_limit: 512m\n",
    )
    .unwrap();
    for (cwd, path) in [(parent.path(), "proj"), (project.as_path(), ".")] {
        let output = shipshape(&["check", "--format", "concise", path], cwd);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let flagged: Vec<&str> = stdout
            .lines()
            .filter(|line| line.contains("compose-no-healthcheck"))
            .collect();
        // `web` has no Dockerfile: reported (line 6); `api` is not.
        assert_eq!(flagged.len(), 1, "from {}: {stdout}", cwd.display());
        assert!(
            flagged[0].contains(":6:"),
            "from {}: {stdout}",
            cwd.display()
        );
    }
}

/// Writes files given as (path under `root`, text).
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// (path relative to `root`, rule) of each finding of `check` on `root`.
fn findings_under(root: &Path) -> BTreeSet<(String, String)> {
    let output = shipshape(
        &["check", "--format", "json", "--fail-on", "never", "."],
        root,
    );
    json_findings(&output)
        .iter()
        .map(|finding| {
            let path = finding["path"].as_str().unwrap().replace('\\', "/");
            let path = path.trim_start_matches("./").to_string();
            (path, finding["rule"].as_str().unwrap().to_string())
        })
        .collect()
}

/// A monorepo: a root compose file builds `services/api` (FastAPI) and
/// `services/worker` (a loop over a Redis queue, no web framework); the
/// `.gitignore`, `.env.example` and CI are at the repository's root.
#[test]
fn a_monorepo_root_connects_its_services() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            (".git/HEAD", "ref: refs/heads/main\n"),
            (".gitignore", ".env\n__pycache__/\n"),
            (
                ".env",
                "DATABASE_URL=postgresql://u:p@db/app\nREDIS_URL=redis://redis:6379/0\n",
            ),
            (".env.example", "DATABASE_URL=\nREDIS_URL=\nLOG_LEVEL=\n"),
            (
                ".github/workflows/ci.yml",
                "on: [push]\njobs:\n  api:\n    runs-on: ubuntu-latest\n    steps:\n      - run: uv run bash scripts/tests-start.sh\n        working-directory: services/api\n  worker:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n        working-directory: services/worker\n",
            ),
            (
                "compose.yaml",
                "services:\n  api:\n    build: ./services/api\n    restart: unless-stopped\n    mem_limit: 512m\n    healthcheck:\n      test: [\"CMD\", \"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')\"]\n  worker:\n    build:\n      context: ./services/worker\n    restart: unless-stopped\n    mem_limit: 256m\n",
            ),
            (
                "services/api/pyproject.toml",
                "[project]\nname = \"api\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi>=0.110\", \"pydantic-settings>=2\"]\n",
            ),
            (
                "services/api/uv.lock",
                "version = 1\n\n[[package]]\nname = \"fastapi\"\nversion = \"0.115.0\"\n",
            ),
            (
                "services/api/Dockerfile",
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN pip install --no-cache-dir .\nCOPY app ./app\nUSER nobody\nEXPOSE 8000\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\", \"--timeout-graceful-shutdown\", \"8\"]\n",
            ),
            ("services/api/.dockerignore", ".env\n"),
            ("services/api/app/__init__.py", ""),
            (
                "services/api/app/config.py",
                "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    database_url: str\n    log_level: str = \"INFO\"\n\n\nsettings = Settings()\n",
            ),
            (
                "services/api/app/main.py",
                "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n",
            ),
            (
                "services/api/tests/test_health.py",
                "def test_health():\n    assert True\n",
            ),
            (
                "services/worker/pyproject.toml",
                "[project]\nname = \"worker\"\nversion = \"0.1.0\"\ndependencies = [\"redis>=5\"]\n",
            ),
            (
                "services/worker/Dockerfile",
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\nRUN pip install --no-cache-dir .\nCOPY worker ./worker\nUSER nobody\nCMD [\"python\", \"-m\", \"worker.main\"]\n",
            ),
            ("services/worker/.dockerignore", ".env\n"),
            ("services/worker/worker/__init__.py", ""),
            (
                "services/worker/worker/main.py",
                "import os\nimport time\n\nimport redis\n\nqueue = redis.Redis.from_url(os.environ[\"REDIS_URL\"])\n\n\ndef main() -> None:\n    while True:\n        job = queue.lpop(\"jobs\")\n        if job is None:\n            time.sleep(1)\n            continue\n        print(\"handling\", job)\n\n\nif __name__ == \"__main__\":\n    main()\n",
            ),
            (
                "services/worker/tests/test_main.py",
                "def test_main():\n    assert True\n",
            ),
        ],
    );
    let found = findings_under(root);
    let has = |path: &str, rule: &str| found.contains(&(path.to_string(), rule.to_string()));
    // The root compose file's `api` service checks the health of the image
    // `services/api/Dockerfile` builds; `worker` checks nothing.
    assert!(
        !has("services/api/Dockerfile", "dockerfile-no-healthcheck"),
        "{found:?}"
    );
    assert!(has("compose.yaml", "compose-no-healthcheck"), "{found:?}");
    // The repository's `.gitignore`, `.env.example` and CI serve every service.
    for rule in [
        "env-example-missing",
        "env-file-not-ignored",
        "gitignore-missing",
        "ci-missing",
        "ci-runs-no-tests",
    ] {
        assert!(
            found.iter().all(|(_, found)| found != rule),
            "{rule}: {found:?}"
        );
    }
    // The worker imports no web framework but runs in a container: it is a
    // service, held to a lock file and to logging.
    assert!(
        has("services/worker/pyproject.toml", "pyproject-no-lockfile"),
        "{found:?}"
    );
    assert!(
        !has("services/api/pyproject.toml", "pyproject-no-lockfile"),
        "{found:?}"
    );
    assert!(
        has("services/worker/worker/main.py", "print-in-service-code"),
        "{found:?}"
    );
}

/// A member of a uv workspace is locked by the workspace's `uv.lock` at the
/// root; a project beside it that is not a member is not.
#[test]
fn a_uv_workspace_member_is_locked_by_the_root_lock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let service = |name: &str| {
        format!(
            "[project]\nname = \"{name}\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi>=0.110\"]\n"
        )
    };
    let (backend, lone) = (service("app"), service("lone"));
    write_tree(
        root,
        &[
            (".git/HEAD", "ref: refs/heads/main\n"),
            (
                "pyproject.toml",
                "[tool.uv.workspace]\nmembers = [\"backend\", \"packages/*\"]\n",
            ),
            (
                "uv.lock",
                "version = 1\n\n[manifest]\nmembers = [\"app\", \"svc\"]\n\n[[package]]\nname = \"fastapi\"\nversion = \"0.115.0\"\n",
            ),
            ("backend/pyproject.toml", &backend),
            (
                "packages/svc/pyproject.toml",
                "[project]\nname = \"renamed\"\ndependencies = [\"fastapi>=0.110\"]\n",
            ),
            ("tools/lone/pyproject.toml", &lone),
        ],
    );
    let locked: BTreeSet<String> = findings_under(root)
        .into_iter()
        .filter(|(_, rule)| rule == "pyproject-no-lockfile")
        .map(|(path, _)| path)
        .collect();
    // `backend` by its name in the lock, `packages/svc` by the glob.
    assert_eq!(
        locked.into_iter().collect::<Vec<_>>(),
        ["tools/lone/pyproject.toml"]
    );
}

/// A monorepo's root compose file probes and publishes the services it
/// builds from their folders: the health path is checked against the
/// routes of the code under the build context (`healthcheck-path-not-served`)
/// and the published port against the port its Dockerfile listens on
/// (`port-mismatch`), both reported in the compose file. A service checked
/// alone (`shipshape check services/api`) does not read compose files
/// above it.
#[test]
fn a_root_compose_file_probes_the_routes_of_the_services_it_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pyproject = |name: &str| {
        format!(
            "[project]\nname = \"{name}\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi>=0.110\"]\n"
        )
    };
    let (api, admin) = (pyproject("api"), pyproject("admin"));
    write_tree(
        root,
        &[
            (".git/HEAD", "ref: refs/heads/main\n"),
            (
                "compose.yaml",
                "services:\n  api:\n    build: ./services/api\n    ports:\n      - \"8080:8080\"\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/healthz\"]\n  admin:\n    build:\n      context: ./services/admin\n      dockerfile: docker/Dockerfile\n    ports:\n      - \"8001:8001\"\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -fsS http://localhost:8001/api/v1/utils/health-check/ || exit 1\"]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n  grafana:\n    image: grafana/grafana:11.0.0\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:3000/api/healthz\"]\n  analyzer:\n    build: ./services/analyzer\n    environment:\n      - PORT=5001\n    ports:\n      - \"5002:5001\"\n",
            ),
            // After presidio: the image listens on `$PORT`, which the
            // service sets.
            (
                "services/analyzer/requirements.txt",
                "flask==3.0.3\ngunicorn==22.0.0\n",
            ),
            (
                "services/analyzer/Dockerfile",
                "FROM python:3.12-slim\nENV PORT=3000\nCOPY . .\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n",
            ),
            (
                "services/analyzer/app.py",
                "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/health\")\ndef health():\n    return \"ok\"\n",
            ),
            ("services/api/pyproject.toml", &api),
            (
                "services/api/Dockerfile",
                "FROM python:3.12-slim\nCOPY . .\nEXPOSE 8000\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n",
            ),
            ("services/api/app/__init__.py", ""),
            (
                "services/api/app/main.py",
                "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n",
            ),
            ("services/admin/pyproject.toml", &admin),
            (
                "services/admin/docker/Dockerfile",
                "FROM python:3.12-slim\nCOPY . .\nCMD [\"fastapi\", \"run\", \"app/main.py\", \"--port\", \"8001\"]\n",
            ),
            ("services/admin/app/__init__.py", ""),
            (
                "services/admin/app/main.py",
                "from fastapi import FastAPI\n\nfrom app.api import utils\n\napp = FastAPI()\napp.include_router(utils.router, prefix=\"/api/v1\")\n",
            ),
            (
                "services/admin/app/api/utils.py",
                "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/utils\", tags=[\"utils\"])\n\n\n@router.get(\"/health-check/\")\ndef health_check() -> bool:\n    return True\n",
            ),
        ],
    );
    let found: BTreeSet<(String, String)> = findings_under(root)
        .into_iter()
        .filter(|(_, rule)| rule == "healthcheck-path-not-served" || rule == "port-mismatch")
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("compose.yaml", "healthcheck-path-not-served"),
        ("compose.yaml", "port-mismatch"),
    ]
    .iter()
    .map(|(path, rule)| (path.to_string(), rule.to_string()))
    .collect();
    assert_eq!(found, expected);
    // The lines: `api`'s probe and published port, nothing of `admin`.
    let output = shipshape(
        &["check", "--format", "json", "--fail-on", "never", "."],
        root,
    );
    let mut lines: Vec<(u64, String)> = json_findings(&output)
        .iter()
        .filter(|finding| finding["path"].as_str().unwrap().ends_with("compose.yaml"))
        .filter(|finding| {
            ["healthcheck-path-not-served", "port-mismatch"]
                .contains(&finding["rule"].as_str().unwrap())
        })
        .map(|finding| {
            (
                finding["line"].as_u64().unwrap(),
                finding["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            (5, "port-mismatch".to_string()),
            (7, "healthcheck-path-not-served".to_string())
        ]
    );
    // Checked alone, the service does not see the compose file above it.
    let alone = findings_under(&root.join("services/api"));
    assert!(
        alone
            .iter()
            .all(|(_, rule)| rule != "healthcheck-path-not-served" && rule != "port-mismatch"),
        "{alone:?}"
    );
}
