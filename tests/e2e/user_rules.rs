//! End-to-end tests of user rules (`rule-paths`): the real binary's
//! `check`, `report`, `rules --format json` and `test-rules` on a copy of
//! `examples/user-rules` (the README's example), and the language server
//! reloading a rule file that changes, without a restart.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Output,
};

use serde_json::{Value, json};
use shipshape_tests::{
    copy_dir,
    lsp::{ClientDocument, ClientOptions, Enc, LspServer, file_uri},
    repo_root,
};

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

/// A fresh copy of `examples/user-rules` for `test`.
fn example_copy(test: &str) -> PathBuf {
    let target = std::env::temp_dir().join(format!(
        "shipshape-user-rules-{}-{test}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&target);
    copy_dir(&repo_root().join("examples/user-rules"), &target);
    target
}

fn findings(output: &Output) -> Vec<Value> {
    let value: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    value.as_array().expect("a JSON array").clone()
}

fn of_rule<'a>(findings: &'a [Value], rule: &str) -> Vec<&'a Value> {
    findings
        .iter()
        .filter(|finding| finding["rule"] == rule)
        .collect()
}

const MESSAGE: &str =
    "`eval()` runs arbitrary code; parse the data with `ast.literal_eval` or `json.loads`.";

/// `check` reports a user rule with its own message and range, at the
/// severity the configuration gives it; suppression comments,
/// `--ignore` and `--select` apply to it like to a built-in rule.
#[test]
fn check_reports_a_user_rule_like_a_built_in_one() {
    let root = example_copy("check");
    fs::write(
        root.join("app/main.py"),
        "def parse_limits(request_body: str) -> dict:\n    return eval(request_body)\n\n\ndef quiet(text):\n    # shipshape: ignore[no-eval]\n    return eval(text)\n",
    )
    .unwrap();
    let output = shipshape(&["check", "--format", "json", "app"], &root);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let found = findings(&output);
    let no_eval = of_rule(&found, "no-eval");
    assert_eq!(no_eval.len(), 1, "{found:#?}");
    let finding = no_eval[0];
    assert_eq!(finding["path"], "app/main.py");
    assert_eq!(
        (
            &finding["line"],
            &finding["column"],
            &finding["end_line"],
            &finding["end_column"]
        ),
        (&json!(2), &json!(12), &json!(2), &json!(30))
    );
    assert_eq!(finding["message"], MESSAGE);
    assert_eq!(finding["severity"], "error", "raised by [rules] no-eval");
    assert_eq!(finding["category"], "security");
    assert!(
        of_rule(&found, "unused-suppression").is_empty(),
        "the suppression is used: {found:#?}"
    );

    let ignored = shipshape(
        &["check", "--format", "json", "--ignore", "no-eval", "app"],
        &root,
    );
    assert!(of_rule(&findings(&ignored), "no-eval").is_empty());
    let selected = shipshape(
        &["check", "--format", "json", "--select", "no-eval", "app"],
        &root,
    );
    let selected = findings(&selected);
    assert!(
        !selected.is_empty() && selected.iter().all(|finding| finding["rule"] == "no-eval"),
        "{selected:#?}"
    );

    // The unsafe fix replaces the call and adds the import it needs.
    let fixed = shipshape(&["check", "--fix", "--unsafe-fixes", "app"], &root);
    assert!(fixed.status.code().is_some(), "{fixed:?}");
    let text = fs::read_to_string(root.join("app/main.py")).unwrap();
    assert!(
        text.starts_with("import ast\n") && text.contains("return ast.literal_eval(request_body)"),
        "{text}"
    );
    assert!(text.contains("    return eval(text)"), "suppressed: {text}");
}

/// `report` counts user rules' findings too.
#[test]
fn report_includes_user_rules() {
    let root = example_copy("report");
    let output = shipshape(&["report", "--format", "json", "."], &root);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("no-eval") && text.contains(MESSAGE), "{text}");
}

/// A changed rule file changes the next run's findings (the result cache
/// is keyed by the rules' content).
#[test]
fn a_changed_rule_changes_the_next_check() {
    let root = example_copy("changed");
    let cache = tempfile::tempdir().unwrap();
    let check = || {
        let mut command = shipshape_tests::shipshape(binary());
        command
            .env("SHIPSHAPE_CACHE_DIR", cache.path())
            .args(["check", "--format", "json", "app"])
            .current_dir(&root);
        findings(&command.output().unwrap())
    };
    assert_eq!(of_rule(&check(), "no-eval")[0]["message"], MESSAGE);
    let rule = root.join("rules/no-eval.scm");
    let text = fs::read_to_string(&rule).unwrap();
    fs::write(&rule, text.replace("runs arbitrary code", "executes input")).unwrap();
    let after = check();
    let message = of_rule(&after, "no-eval")[0]["message"].clone();
    assert!(
        message.as_str().unwrap().contains("executes input"),
        "{message}"
    );
}

/// A broken rule is reported on stderr as `path:line:col: message` and as
/// an `invalid-config` finding in the rule file; the other rules run.
#[test]
fn a_broken_user_rule_is_located_and_the_others_still_run() {
    let root = example_copy("broken");
    fs::write(
        root.join("rules/bad-query.scm"),
        ";; kind = \"python\"\n;; priority = \"high\"\n;; category = \"security\"\n;; summary = \"s\"\n;; message = \"m\"\n((call function: (identifer)) @finding)\n",
    )
    .unwrap();
    fs::write(
        root.join("rules/bare-except.scm"),
        ";; kind = \"python\"\n;; priority = \"high\"\n;; category = \"security\"\n;; summary = \"s\"\n;; message = \"m\"\n(except_clause) @finding\n",
    )
    .unwrap();
    fs::write(
        root.join("rules/bad-header.scm"),
        ";; kind = \"python\"\n;; priority = urgent\n(call) @finding\n",
    )
    .unwrap();
    let output = shipshape(&["check", "--format", "json", "."], &root);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "rules/bad-query.scm:6:19: the query does not compile: unknown node type `identifer`",
        "rules/bare-except.scm:1:1: rule id `bare-except` is taken by a built-in rule",
        "rules/bad-header.scm:2:15: bad metadata header",
    ] {
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }
    let found = findings(&output);
    let invalid: Vec<(&str, &Value)> = of_rule(&found, "invalid-config")
        .into_iter()
        .map(|finding| (finding["path"].as_str().unwrap(), &finding["line"]))
        .collect();
    assert!(
        invalid.contains(&("rules/bad-query.scm", &json!(6))),
        "{found:#?}"
    );
    assert!(invalid.contains(&("rules/bare-except.scm", &json!(1))));
    assert!(invalid.contains(&("rules/bad-header.scm", &json!(2))));
    assert_eq!(of_rule(&found, "no-eval").len(), 1, "{found:#?}");
    assert_eq!(output.status.code(), Some(1));
}

/// `test-rules` passes the example's cases and fails, with a diff of
/// expected and found lines, when a line fires without a marker or a
/// marker finds nothing.
#[test]
fn test_rules_runs_the_cases_beside_a_rule() {
    let root = example_copy("test-rules");
    let passed = shipshape(&["test-rules"], &root);
    let stdout = String::from_utf8_lossy(&passed.stdout);
    assert_eq!(passed.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok   no-eval  rules/no-eval.py"),
        "{stdout}"
    );

    let case = root.join("rules/no-eval.py");
    fs::write(&case, "# expect: no-eval\nx = 1\ny = eval(data)\n").unwrap();
    let failed = shipshape(&["test-rules", "rules/no-eval.scm"], &root);
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL no-eval  rules/no-eval.py"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- 2: expected `no-eval`, not found  | x = 1"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("+ 3: found, not expected (no `# expect: no-eval` above)  | y = eval(data)"),
        "{stdout}"
    );

    let broken = root.join("rules/no-eval.scm");
    let original = fs::read_to_string(&broken).unwrap();
    fs::write(&broken, original.replace("\"python\"", "\"cobol\"")).unwrap();
    let failed = shipshape(&["test-rules", "rules"], &root);
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("rules/no-eval.scm:1:4: unknown kind `cobol`"),
        "{stdout}"
    );

    let nothing = shipshape(&["test-rules", "app"], &root);
    assert_eq!(nothing.status.code(), Some(2));
}

/// `test-rules` accepts a built-in rule folder (`<kind>/<id>/rule.scm`).
#[test]
fn test_rules_accepts_a_built_in_rule_folder() {
    let root = std::env::temp_dir().join(format!(
        "shipshape-user-rules-{}-builtin",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&root);
    let folder = root.join("python/bare-except");
    fs::create_dir_all(&folder).unwrap();
    let source = repo_root().join("server/shipshape-core/rules/python/bare-except/rule.scm");
    fs::copy(&source, folder.join("rule.scm")).unwrap();
    fs::write(
        folder.join("fixture.py"),
        "try:\n    pass\n# expect: bare-except\nexcept:\n    pass\n\ntry:\n    pass\nexcept Exception:\n    pass\n",
    )
    .unwrap();
    let output = shipshape(&["test-rules", "."], &root);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("ok   bare-except"), "{stdout}");
}

/// `rules --format json` says where each rule's logic comes from, and a
/// user rule's file.
#[test]
fn rules_json_says_where_each_rule_comes_from() {
    let root = example_copy("rules-json");
    let output = shipshape(&["rules", "--format", "json"], &root);
    let rules: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let user: Vec<&Value> = rules
        .iter()
        .filter(|rule| rule["source"] == "user")
        .collect();
    assert_eq!(user.len(), 1, "{user:?}");
    assert_eq!(user[0]["id"], "no-eval");
    assert_eq!(user[0]["path"], "rules/no-eval.scm");
    assert_eq!(user[0]["applies_to"], "python");
    let source_of = |id: &str| {
        rules
            .iter()
            .find(|rule| rule["id"] == id)
            .map(|rule| rule["source"].clone())
    };
    assert_eq!(source_of("uvicorn-reload"), Some(json!("query")));
    assert_eq!(source_of("http-call-without-timeout"), Some(json!("query")));
    assert_eq!(source_of("silent-except"), Some(json!("hook")));
    assert_eq!(source_of("ci-missing"), Some(json!("hook")));
    assert_eq!(source_of("invalid-config"), Some(json!("engine")));
    assert!(
        rules
            .iter()
            .filter(|rule| rule["source"] != "user")
            .all(|rule| rule.get("path").is_none())
    );
}

/// The language server reports a user rule in an open document, reloads
/// it when its file changes on disk (`workspace/didChangeWatchedFiles`) or
/// is saved (`textDocument/didSave`), publishes a broken rule's error on
/// the rule file (and the other rules keep running), and clears it once
/// the rule is fixed — no restart.
#[test]
fn the_server_reloads_user_rules_when_their_files_change() {
    let root = example_copy("lsp");
    let options = ClientOptions {
        root: Some(root.clone()),
        watch_files: true,
        ..ClientOptions::new(Enc::Utf16, false)
    };
    let (mut server, _) = LspServer::start(binary(), &options);
    let main = root.join("app/main.py");
    let uri = file_uri(&main);
    let text = fs::read_to_string(&main).unwrap()
        + "\n\ndef legacy():\n    try:\n        pass\n    except:\n        pass\n";
    let _document = ClientDocument::open(&mut server, &uri, "python", &text);
    let with_message = |server: &mut LspServer, message: &str| {
        server.wait_notification("textDocument/publishDiagnostics", |params| {
            params["uri"] == uri.as_str()
                && params["diagnostics"].as_array().is_some_and(|items| {
                    items
                        .iter()
                        .any(|item| item["code"] == "no-eval" && item["message"] == message)
                })
        })
    };
    let published = with_message(&mut server, MESSAGE);
    let diagnostic = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["code"] == "no-eval")
        .unwrap()
        .clone();
    assert_eq!(
        diagnostic["range"],
        json!({ "start": { "line": 1, "character": 11 }, "end": { "line": 1, "character": 29 } })
    );
    assert_eq!(diagnostic["severity"], 1, "error, from [rules] no-eval");
    // Its quick fix and "ignore on this line", like a built-in rule's.
    let actions = server.call(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic], "only": ["quickfix"] },
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|action| action["title"].as_str())
        .collect();
    assert!(titles.contains(&"Use `ast.literal_eval`"), "{titles:?}");
    assert!(
        titles.contains(&"Ignore no-eval on this line"),
        "{titles:?}"
    );

    // Changed on disk: the new message, without a restart.
    let rule = root.join("rules/no-eval.scm");
    let original = fs::read_to_string(&rule).unwrap();
    fs::write(
        &rule,
        original.replace("runs arbitrary code", "executes input"),
    )
    .unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&rule), "type": 2 }] }),
    );
    let changed = MESSAGE.replace("runs arbitrary code", "executes input");
    with_message(&mut server, &changed);

    // Broken and saved: an error on the rule file, located; the rule is
    // gone from the document and the built-in rules still report.
    fs::write(
        &rule,
        original.replace("(identifier) @name", "(identifer) @name"),
    )
    .unwrap();
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": file_uri(&rule) } }),
    );
    let rule_uri = file_uri(&rule);
    let error = server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == rule_uri.as_str()
            && params["diagnostics"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
    });
    let item = &error["diagnostics"][0];
    assert_eq!(item["code"], "invalid-config");
    assert_eq!(
        item["range"]["start"],
        json!({ "line": 12, "character": 18 })
    );
    assert!(
        item["message"]
            .as_str()
            .unwrap()
            .contains("unknown node type `identifer`"),
        "{item}"
    );
    server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == uri.as_str()
            && params["diagnostics"].as_array().is_some_and(|items| {
                items.iter().all(|item| item["code"] != "no-eval")
                    && items.iter().any(|item| item["code"] == "bare-except")
            })
    });
    // The log line is written before the diagnostics are sent; stderr is
    // read by another thread, so it may arrive a little later.
    let logged = (0..50).any(|_| {
        let found = server.stderr_text().contains("user rule not loaded");
        if !found {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        found
    });
    assert!(logged, "a log line: {}", server.stderr_text());

    // Fixed: the error is cleared and the rule reports again.
    fs::write(&rule, &original).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&rule), "type": 2 }] }),
    );
    server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == rule_uri.as_str() && params["diagnostics"] == json!([])
    });
    with_message(&mut server, MESSAGE);
    assert!(server.is_alive());
    assert!(server.shutdown_and_exit().success());
}
