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
    Command::new(env!("CARGO_BIN_EXE_shipshape"))
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_shipshape"))
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
