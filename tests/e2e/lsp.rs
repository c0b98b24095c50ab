//! End-to-end tests of `shipshape server`: the real binary driven over stdio
//! by the client in `tests/support/lsp.rs`, whose position and edit helpers
//! are written independently of the server's.
//!
//! The expected diagnostics come from `shipshape_core::check_file` on the
//! client's copy of the text, mapped to LSP positions by the client-side
//! helpers, so these tests keep holding (and test more) as rules are added.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use shipshape_core::{
    FileKind, SourceFile, check_file, parse::parse, project::ProjectContext, workspace::Workspace,
};
use shipshape_tests::{
    files_under,
    lsp::{
        ClientDocument, ClientOptions, Enc, LspServer, byte_range, edits_for, file_uri, lsp_range,
    },
    repo_root,
};

const MODES: [bool; 2] = [false, true];

/// The binary built from this tree (this file is a test target of the
/// `shipshape` package).
fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_shipshape"))
}

/// Python with emoji (surrogate pairs in UTF-16) and CJK text on the lines
/// of its findings, before and after them.
const SAMPLE: &str = "# 設定 😀 config\nimport os\n\n\ndef handler(event):\n    name = \"日本語 😀 text\"\n    try:\n        return os.environ[name]\n    except:  # 😀 中文 swallow\n        return None\n";

fn mode_name(pull: bool) -> &'static str {
    if pull { "pull" } else { "push" }
}

/// A scratch workspace root under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shipshape-lsp-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The project context of a file: found in the nearest folder holding a
/// project file, up to the workspace root (as the fixture harness and
/// `shipshape check` decide).
fn project_of(root: &Path, relative: &Path) -> ProjectContext {
    let file = root.join(relative);
    for folder in file.ancestors().skip(1) {
        let marked = ["pyproject.toml", "requirements.txt", "setup.py"]
            .iter()
            .any(|name| folder.join(name).is_file());
        if marked {
            return ProjectContext::discover(folder);
        }
        if folder == root {
            break;
        }
    }
    ProjectContext::discover(root)
}

/// What the core finds in `text`, as the JSON diagnostics the server should
/// send: (range, code, message, severity), sorted.
fn expected(root: &Path, relative: &Path, text: &str, encoding: Enc) -> Vec<Value> {
    let Some(kind) = FileKind::detect(relative, text) else {
        return Vec::new();
    };
    let tree = parse(kind, text, None);
    let file = SourceFile {
        path: relative,
        kind,
        text,
        tree: tree.as_ref(),
    };
    // Paths the rules read (another file of the fixture) are under the
    // workspace folder, as the server resolves them.
    let project = project_of(root, relative).with_base(root);
    // The project findings in this file, with the editor's text in the
    // model (open documents show both).
    let mut workspace = Workspace::load(&[root.to_path_buf()]);
    let absolute = root.join(relative);
    workspace.update_file(&absolute, text);
    let project_findings: Vec<_> = workspace
        .findings_in(&absolute)
        .into_iter()
        .map(|found| found.finding.clone())
        .collect();
    let mut out: Vec<Value> = check_file(&file, &project)
        .iter()
        .chain(&project_findings)
        .map(|finding| {
            json!({
                "range": lsp_range(text, finding.range.clone(), encoding),
                "code": finding.rule.id,
                "message": finding.message,
                "severity": match finding.rule.severity() {
                    shipshape_core::Severity::Error => 1,
                    shipshape_core::Severity::Warning => 2,
                    shipshape_core::Severity::Information => 3,
                    shipshape_core::Severity::Hint => 4,
                },
                "fix": finding.fix.as_ref().map(|fix| fix.edits.iter().map(|edit| json!({
                    "range": lsp_range(text, edit.range.clone(), encoding),
                    "newText": edit.new_text,
                })).collect::<Vec<_>>()),
            })
        })
        .collect();
    out.sort_by_key(|value| value.to_string());
    out
}

/// The comparable part of the server's diagnostics, checking on the way the
/// fields every diagnostic must have.
fn comparable(diagnostics: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            assert_eq!(diagnostic["source"], "shipshape", "{diagnostic}");
            let code = diagnostic["code"].as_str().expect("code is the rule id");
            let href = diagnostic["codeDescription"]["href"]
                .as_str()
                .expect("codeDescription.href");
            assert!(href.ends_with(&format!("{code}.md")), "{href}");
            json!({
                "range": diagnostic["range"],
                "code": code,
                "message": diagnostic["message"],
                "severity": diagnostic["severity"],
                "fix": diagnostic["data"]["fix"].get("edits").cloned(),
            })
        })
        .collect();
    out.sort_by_key(|value| value.to_string());
    out
}

fn bare_excepts(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic["code"] == "bare-except")
        .cloned()
        .collect()
}

fn options(encoding: Enc, pull: bool, root: &Path) -> ClientOptions {
    ClientOptions {
        root: Some(root.to_path_buf()),
        ..ClientOptions::new(encoding, pull)
    }
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    let cases = [
        (Some(vec![Enc::Utf16, Enc::Utf8]), "utf-8"),
        (Some(vec![Enc::Utf16, Enc::Utf32]), "utf-32"),
        (Some(vec![Enc::Utf16]), "utf-16"),
        (None, "utf-16"),
    ];
    for (index, (offered, chosen)) in cases.into_iter().enumerate() {
        let pull = index % 2 == 1;
        let client = ClientOptions {
            encodings: offered.clone(),
            ..ClientOptions::new(Enc::Utf16, pull)
        };
        let (server, result) = LspServer::start(binary(), &client);
        let capabilities = &result["capabilities"];
        assert_eq!(
            capabilities["positionEncoding"], chosen,
            "offered {offered:?}"
        );
        assert_eq!(
            capabilities["textDocumentSync"]["change"], 2,
            "incremental sync"
        );
        assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
        let kinds = &capabilities["codeActionProvider"]["codeActionKinds"];
        assert_eq!(kinds, &json!(["quickfix", "source.fixAll.shipshape"]));
        // Pull diagnostics are offered exactly to clients that support them.
        assert_eq!(
            capabilities.get("diagnosticProvider").is_some(),
            pull,
            "{capabilities}"
        );
        assert_eq!(result["serverInfo"]["name"], "shipshape");
        assert!(server.shutdown_and_exit().success());
    }
}

#[test]
fn diagnostics_match_the_core_under_every_encoding_and_mode() {
    let root = scratch("sample");
    for encoding in Enc::ALL {
        for pull in MODES {
            let context = format!("{} {}", encoding.name(), mode_name(pull));
            let (mut server, _) = LspServer::start(binary(), &options(encoding, pull, &root));
            let uri = file_uri(&root.join("app/handlers.py"));
            let document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
            let diagnostics = document.diagnostics(&mut server, pull);
            assert_eq!(
                comparable(&diagnostics),
                expected(&root, Path::new("app/handlers.py"), SAMPLE, encoding),
                "{context}"
            );

            let found = bare_excepts(&diagnostics);
            assert_eq!(found.len(), 1, "{context}: {diagnostics:?}");
            let range = byte_range(SAMPLE, &found[0]["range"], encoding);
            assert_eq!(&SAMPLE[range], "except:", "{context}");
            // The line holds emoji and CJK after the finding; the column of
            // its end is 7 in every encoding, its line is 8.
            assert_eq!(
                found[0]["range"],
                json!({"start": {"line": 8, "character": 4}, "end": {"line": 8, "character": 11}})
            );
            assert_eq!(
                found[0]["severity"], 2,
                "bare-except is high priority: a warning"
            );
            assert!(server.shutdown_and_exit().success(), "{context}");
        }
    }
}

/// Every fixture file opened in the server yields exactly what the core
/// finds, under every encoding: the data-driven fixtures become position
/// tests as rules are added.
#[test]
fn every_fixture_gets_the_cores_diagnostics_over_the_protocol() {
    let roots = [
        repo_root().join("tests/fixtures"),
        repo_root().join("server/shipshape-core/rules"),
    ];
    for encoding in Enc::ALL {
        let pull = encoding == Enc::Utf16;
        for kind_dir in roots
            .iter()
            .flat_map(|root| std::fs::read_dir(root).unwrap().flatten())
            .map(|entry| entry.path())
        {
            if !kind_dir.is_dir() {
                continue;
            }
            let (mut server, _) = LspServer::start(binary(), &options(encoding, pull, &kind_dir));
            for path in files_under(&kind_dir) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let relative = path.strip_prefix(&kind_dir).unwrap();
                if FileKind::detect(relative, &text).is_none() {
                    continue;
                }
                let document = ClientDocument::open(&mut server, &file_uri(&path), "", &text);
                let want = expected(&kind_dir, relative, &text, encoding);
                let diagnostics = if pull {
                    // A pull client without refresh support gets the
                    // project findings in its first answer.
                    document.pull(&mut server)
                } else {
                    complete_publication(&mut server, &file_uri(&path), &want)
                };
                server.clear_notifications("textDocument/publishDiagnostics");
                assert_eq!(
                    comparable(&diagnostics),
                    want,
                    "{} under {}",
                    path.display(),
                    encoding.name()
                );
            }
            assert!(server.shutdown_and_exit().success());
        }
    }
}

/// The publication of a just-opened document (version 1) that holds what the
/// core finds. A document's own findings may go out first and its project
/// findings follow when the model is written (the worker republishes it), so
/// this waits for the complete one; after the time-out it returns the last
/// publication seen, for the caller's assertion to show.
fn complete_publication(server: &mut LspServer, uri: &str, want: &[Value]) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut last = server.published(uri, 1);
    while comparable(&last) != want && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        if let Some(newer) = server
            .pending_notifications("textDocument/publishDiagnostics")
            .into_iter()
            .rfind(|params| params["uri"] == uri && params["version"] == 1)
        {
            last = newer["diagnostics"].as_array().cloned().unwrap_or_default();
        }
    }
    last
}

#[test]
fn incremental_edits_with_non_ascii_text_keep_the_server_in_step() {
    let root = scratch("incremental");
    let relative = Path::new("service/worker.py");
    for encoding in Enc::ALL {
        for pull in MODES {
            let context = format!("{} {}", encoding.name(), mode_name(pull));
            let (mut server, _) = LspServer::start(binary(), &options(encoding, pull, &root));
            let uri = file_uri(&root.join(relative));
            let initial = "x = \"😀😀中\"\ntry:\n    pass\nexcept ValueError:  # 日本\n    pass\n";
            let mut document = ClientDocument::open(&mut server, &uri, "python", initial);
            let check = |server: &mut LspServer, document: &ClientDocument, step: &str| {
                let diagnostics = document.diagnostics(server, pull);
                assert_eq!(
                    comparable(&diagnostics),
                    expected(&root, relative, &document.text, encoding),
                    "{context}, after {step}; text:\n{}",
                    document.text
                );
                bare_excepts(&diagnostics).len()
            };
            assert_eq!(check(&mut server, &document, "open"), 0);

            // Make the except bare: delete " ValueError" (after CJK on the line).
            let at = document.text.find(" ValueError").unwrap();
            document.edit(&mut server, &[(at..at + " ValueError".len(), "")]);
            assert_eq!(check(&mut server, &document, "deleting the type"), 1);

            // Insert emoji and CJK before the finding on earlier lines and
            // replace a character between two surrogate pairs.
            let cjk = document.text.find('中').unwrap();
            document.edit(
                &mut server,
                &[(cjk..cjk + '中'.len_utf8(), "🎉文字🎉"), (0..0, "# 👩‍👩‍👧 ✓\n")],
            );
            assert_eq!(check(&mut server, &document, "emoji inserts"), 1);

            // Several changes in one notification, each relative to the
            // previous: add a second try/except at the end, then edit inside it.
            let end = document.text.len();
            document.edit(
                &mut server,
                &[
                    (end..end, "try:\n    y = '😀'\nexcept:\n    y = '中'\n"),
                    (end + 4..end + 4, "\r\n"),
                ],
            );
            assert_eq!(check(&mut server, &document, "a batch of changes"), 2);

            // Ranges spanning lines with CJK text, and one between two
            // surrogate pairs, in one notification.
            let from = document.text.find("try:").unwrap();
            let to = document.text.rfind("try:").unwrap();
            let emoji = document.text.find("😀😀").unwrap() + "😀".len();
            document.edit(
                &mut server,
                &[(from..to, ""), (emoji..emoji + "😀".len(), "")],
            );
            assert_eq!(check(&mut server, &document, "deletions across lines"), 1);

            // Undo-like: restore a typed exception.
            let at = document.text.find("except:").unwrap() + "except".len();
            document.edit(&mut server, &[(at..at, " Exception")]);
            assert_eq!(check(&mut server, &document, "typing the type"), 0);
            assert!(server.shutdown_and_exit().success(), "{context}");
        }
    }
}

/// Asks for the code actions of one diagnostic.
fn code_actions(
    server: &mut LspServer,
    uri: &str,
    diagnostic: &Value,
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [diagnostic] });
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let result = server.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"], "context": context }),
    );
    result.as_array().cloned().unwrap_or_default()
}

#[test]
fn quick_fixes_apply_and_their_diagnostic_goes_away() {
    let root = scratch("quickfix");
    for encoding in Enc::ALL {
        for pull in MODES {
            let context = format!("{} {}", encoding.name(), mode_name(pull));
            let client = ClientOptions {
                document_changes: pull,
                ..options(encoding, pull, &root)
            };
            let (mut server, _) = LspServer::start(binary(), &client);

            // The rule's fix, preferred because it is safe.
            let uri = file_uri(&root.join("fix.py"));
            let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
            let found = bare_excepts(&document.diagnostics(&mut server, pull));
            let actions = code_actions(&mut server, &uri, &found[0], None);
            let fix = actions
                .iter()
                .find(|action| action["title"] == "Catch `Exception` instead")
                .unwrap_or_else(|| panic!("{context}: no quick fix in {actions:?}"));
            assert_eq!(fix["kind"], "quickfix");
            assert_eq!(fix["isPreferred"], true);
            assert_eq!(fix["diagnostics"][0]["code"], "bare-except");
            let (edits, version) = edits_for(&fix["edit"], &uri);
            if pull {
                assert_eq!(version, Some(document.version), "versioned documentChanges");
            }
            document.apply(&mut server, &edits);
            assert!(
                document
                    .text
                    .contains("    except Exception:  # 😀 中文 swallow\n"),
                "{context}: {}",
                document.text
            );
            let after = document.diagnostics(&mut server, pull);
            assert!(bare_excepts(&after).is_empty(), "{context}: {after:?}");
            assert_eq!(
                comparable(&after),
                expected(&root, Path::new("fix.py"), &document.text, encoding)
            );

            // "Ignore on this line" inserts a suppression comment.
            let uri = file_uri(&root.join("ignore.py"));
            let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
            let found = bare_excepts(&document.diagnostics(&mut server, pull));
            let actions = code_actions(&mut server, &uri, &found[0], Some(&["quickfix"]));
            let ignore = actions
                .iter()
                .find(|action| action["title"] == "Ignore bare-except on this line")
                .unwrap_or_else(|| panic!("{context}: no ignore action in {actions:?}"));
            assert_eq!(ignore["kind"], "quickfix");
            assert_eq!(ignore["isPreferred"], false);
            assert!(
                actions.iter().all(|action| action["kind"] == "quickfix"),
                "only quickfix asked for"
            );
            let (edits, _) = edits_for(&ignore["edit"], &uri);
            document.apply(&mut server, &edits);
            assert!(
                document.text.contains("        return os.environ[name]\n    # shipshape: ignore[bare-except]\n    except:"),
                "{context}: {}",
                document.text
            );
            let after = document.diagnostics(&mut server, pull);
            assert!(bare_excepts(&after).is_empty(), "{context}: {after:?}");
            assert!(server.shutdown_and_exit().success());
        }
    }
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let root = scratch("fixall");
    let text = "try:\n    a = '😀'\nexcept:\n    pass\ntry:\n    b = '中'\nexcept:  # 日本\n    pass\n\ndef f():\n    try:\n        pass\n    except:\n        pass\n";
    for encoding in Enc::ALL {
        let pull = encoding != Enc::Utf8;
        let (mut server, _) = LspServer::start(binary(), &options(encoding, pull, &root));
        let uri = file_uri(&root.join("many.py"));
        let mut document = ClientDocument::open(&mut server, &uri, "python", text);
        let found = bare_excepts(&document.diagnostics(&mut server, pull));
        assert_eq!(found.len(), 3);
        let actions = code_actions(&mut server, &uri, &found[0], Some(&["source.fixAll"]));
        assert_eq!(actions.len(), 1, "{actions:?}");
        assert_eq!(actions[0]["kind"], "source.fixAll.shipshape");
        let (edits, _) = edits_for(&actions[0]["edit"], &uri);
        document.apply(&mut server, &edits);
        assert_eq!(
            document.text.matches("except Exception:").count(),
            3,
            "{}",
            document.text
        );
        assert!(bare_excepts(&document.diagnostics(&mut server, pull)).is_empty());
        // Nothing left to fix: no action.
        let result = server.call(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": found[0]["range"],
                "context": { "diagnostics": [], "only": ["source"] },
            }),
        );
        assert_eq!(result, json!([]));
        assert!(server.shutdown_and_exit().success());
    }
}

#[test]
fn code_actions_for_an_older_version_are_not_offered() {
    let root = scratch("stale");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, false, &root));
    let uri = file_uri(&root.join("stale.py"));
    let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    let found = bare_excepts(&document.diagnostics(&mut server, false));
    document.edit(&mut server, &[(0..0, "\n\n")]);
    let actions = code_actions(&mut server, &uri, &found[0], Some(&["quickfix"]));
    assert!(
        actions.is_empty(),
        "edits of version 1 must not be offered at version 2: {actions:?}"
    );
    let fresh = bare_excepts(&document.diagnostics(&mut server, false));
    assert_eq!(
        code_actions(&mut server, &uri, &fresh[0], Some(&["quickfix"])).len(),
        2
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn pulled_reports_are_unchanged_until_the_document_changes_and_never_published() {
    let root = scratch("pull");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf8, true, &root));
    let uri = file_uri(&root.join("pull.py"));
    let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    let first = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(first["kind"], "full");
    let result_id = first["resultId"].as_str().expect("a result id").to_string();
    let again = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": result_id }),
    );
    assert_eq!(again, json!({ "kind": "unchanged", "resultId": result_id }));
    document.edit(&mut server, &[(0..0, "# edited\n")]);
    let changed = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": result_id }),
    );
    assert_eq!(changed["kind"], "full");
    assert_ne!(changed["resultId"], json!(result_id));
    assert_eq!(
        bare_excepts(changed["items"].as_array().unwrap())[0]["range"]["start"]["line"],
        9
    );
    // Unknown documents get an empty report rather than an error.
    let unknown = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///nowhere.py" } }),
    );
    assert_eq!(unknown["items"], json!([]));
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    // A round trip, so anything published would have arrived by now.
    server.call("textDocument/codeAction", json!({
        "textDocument": { "uri": uri },
        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
        "context": { "diagnostics": [] },
    }));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        server
            .pending_notifications("textDocument/publishDiagnostics")
            .is_empty(),
        "pull mode never publishes"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn published_diagnostics_carry_their_version_and_are_cleared_on_close() {
    let root = scratch("push");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, false, &root));
    let uri = file_uri(&root.join("push.py"));
    let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    assert_eq!(bare_excepts(&server.published(&uri, 1)).len(), 1);
    let at = document.text.find("except:").unwrap() + "except".len();
    document.edit(&mut server, &[(at..at, " OSError")]);
    assert!(bare_excepts(&server.published(&uri, 2)).is_empty());
    document.edit(&mut server, &[(at..at + " OSError".len(), "")]);
    assert_eq!(bare_excepts(&server.published(&uri, 3)).len(), 1);
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let cleared = server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == uri && params["diagnostics"] == json!([])
    });
    assert!(
        cleared.get("version").is_none_or(Value::is_null),
        "{cleared}"
    );
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_burst_of_changes_ends_with_diagnostics_for_the_latest_version() {
    let root = scratch("burst");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, false, &root));
    let uri = file_uri(&root.join("burst.py"));
    let mut document = ClientDocument::open(&mut server, &uri, "python", "");
    let body = "try:\n    s = '😀中'\nexcept:\n    pass\n";
    // Type the text one character at a time, 3 times over.
    for _ in 0..3 {
        for c in body.chars() {
            let end = document.text.len();
            let mut buffer = [0; 4];
            let typed: &str = c.encode_utf8(&mut buffer);
            document.edit(&mut server, &[(end..end, typed)]);
        }
    }
    let last = document.version;
    let diagnostics = server.published(&uri, last);
    assert_eq!(
        comparable(&diagnostics),
        expected(&root, Path::new("burst.py"), &document.text, Enc::Utf16)
    );
    assert_eq!(bare_excepts(&diagnostics).len(), 3);
    // Publications arrived in version order, and the burst was coalesced
    // into fewer checks than changes.
    let versions: Vec<i64> = server
        .pending_notifications("textDocument/publishDiagnostics")
        .iter()
        .filter_map(|params| params["version"].as_i64())
        .collect();
    assert!(
        versions.windows(2).all(|pair| pair[0] < pair[1]),
        "{versions:?}"
    );
    assert!(versions.iter().all(|&version| version < last));
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn bad_input_is_answered_or_ignored_and_the_server_lives_on() {
    let root = scratch("robust");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, false, &root));
    let uri = file_uri(&root.join("robust.py"));
    let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    assert_eq!(bare_excepts(&server.published(&uri, 1)).len(), 1);

    // Malformed JSON: a parse error, with a null id.
    server.send_raw(b"Content-Length: 10\r\n\r\n{bad json}");
    let error = server.response_to(&Value::Null);
    assert_eq!(error["error"]["code"], -32700, "{error}");
    // JSON that is not a JSON-RPC message.
    server.send_raw(b"Content-Length: 7\r\n\r\n[1,2,3]");
    let error = server.response_to(&Value::Null);
    assert!(error["error"]["code"].as_i64().is_some(), "{error}");

    // A header that is not a length, then a length that is too short: each
    // is answered with an error, and the stream resynchronises on the next
    // message's header.
    server.send_raw(b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
    let error = server.response_to(&Value::Null);
    assert_eq!(error["error"]["code"], -32700, "{error}");
    let body = r#"{"jsonrpc":"2.0","id":"short","method":"shipshape/unknown"}"#;
    server.send_raw(format!("Content-Length: 20\r\n\r\n{body}").as_bytes());
    let error = server.response_to(&Value::Null);
    assert_eq!(error["error"]["code"], -32700, "{error}");
    let response = server.request("shipshape/unknown", json!({}));
    assert_eq!(
        response["error"]["code"], -32601,
        "answered after resynchronising: {response}"
    );

    // Unknown methods: requests get MethodNotFound, notifications nothing.
    let response = server.request("shipshape/unknown", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    server.notify("shipshape/unknownNotification", json!({ "x": 1 }));
    server.notify("$/setTrace", json!({ "value": "off" }));
    // Known methods with bad params.
    let response = server.request("textDocument/diagnostic", json!({ "nope": true }));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    server.notify("textDocument/didChange", json!({ "textDocument": 7 }));

    // Changes to a document that is not open.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": file_uri(&root.join("never-opened.py")), "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "x" }],
        }),
    );
    // A range past the end, an inverted range, a stale version: all
    // rejected, the document keeps its text and version.
    let change = |version: i64, start: (u32, u32), end: (u32, u32)| {
        json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [
                { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "junk" },
                { "range": { "start": { "line": start.0, "character": start.1 }, "end": { "line": end.0, "character": end.1 } }, "text": "!" },
            ],
        })
    };
    server.notify("textDocument/didChange", change(2, (99, 0), (100, 0)));
    server.notify("textDocument/didChange", change(2, (3, 5), (1, 0)));
    server.notify("textDocument/didChange", change(1, (0, 0), (0, 0)));
    // The server still holds version 1's text: an edit computed on it lands right.
    let at = document.text.find("except:").unwrap() + "except".len();
    document.edit(&mut server, &[(at..at, " KeyError")]);
    let diagnostics = server.published(&uri, 2);
    assert_eq!(
        comparable(&diagnostics),
        expected(&root, Path::new("robust.py"), &document.text, Enc::Utf16)
    );
    assert!(bare_excepts(&diagnostics).is_empty());

    // Binary junk as a Python file, a lone surrogate (invalid JSON string),
    // a huge document.
    let binary: String = (0u8..=255)
        .cycle()
        .take(4096)
        .map(char::from)
        .chain(['\0', '\u{1}', '\u{fffd}'])
        .collect();
    let binary_uri = file_uri(&root.join("binary.py"));
    ClientDocument::open(&mut server, &binary_uri, "python", &binary);
    server.published(&binary_uri, 1);
    let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///s.py","languageId":"python","version":1,"text":"\ud800"}}}"#;
    server.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let huge = "try:\n    pass\nexcept:\n    pass\n".repeat(200_000);
    let huge_uri = file_uri(&root.join("huge.py"));
    let mut huge_document = ClientDocument::open(&mut server, &huge_uri, "python", &huge);
    assert!(
        server.published(&huge_uri, 1).is_empty(),
        "documents over the size limit are not checked"
    );
    huge_document.edit(&mut server, &[(0..0, "# 😀\n")]);
    server.published(&huge_uri, 2);

    // Code actions for documents that are not open.
    let none = server.call("textDocument/codeAction", json!({
        "textDocument": { "uri": "file:///nowhere.py" },
        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
        "context": { "diagnostics": [] },
    }));
    assert!(none.is_null(), "{none}");

    // Still alive and correct.
    document.edit(&mut server, &[(at..at + " KeyError".len(), "")]);
    assert_eq!(bare_excepts(&server.published(&uri, 3)).len(), 1);
    assert!(server.is_alive());
    let log = server.stderr_text();
    assert!(
        log.contains("didChange rejected"),
        "bad changes are logged:\n{log}"
    );
    assert!(!log.contains("panicked"), "{log}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn requests_before_initialize_are_refused_and_exit_works_without_shutdown() {
    let mut server = LspServer::spawn(binary());
    let response = server.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": "file:///a.py" } }),
    );
    assert_eq!(response["error"]["code"], -32002, "{response}");
    server.initialize(&ClientOptions::new(Enc::Utf16, false));
    server.notify("exit", Value::Null);
    let status = server.wait_exit();
    assert!(status.code().is_some(), "exited by itself: {status:?}");
}

#[test]
fn rejected_changes_leave_a_document_equal_to_a_fresh_open_of_its_text() {
    let root = scratch("rejected");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, true, &root));
    let uri = file_uri(&root.join("app.py"));
    let mut document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    document.edit(&mut server, &[(0..0, "import sys\n")]);
    // Past the end (lines after the last), inverted across lines and
    // within a line, then a stale version: each rejected whole, even when
    // an earlier change of the same notification was fine. (A column past
    // the end of a line is not an error: LSP clamps it to the line's end.)
    let last_line = SAMPLE.lines().count() as u32 + 1;
    let bad_ranges = [
        ((last_line + 5, 0), (last_line + 6, 0)),
        ((5, 3), (2, 0)),
        ((1, 4), (1, 2)),
    ];
    for (start, end) in bad_ranges {
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": document.version + 1 },
                "contentChanges": [
                    { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "junk = 1\n" },
                    { "range": { "start": { "line": start.0, "character": start.1 }, "end": { "line": end.0, "character": end.1 } }, "text": "except:\n" },
                ],
            }),
        );
    }
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": document.version },
            "contentChanges": [{ "text": "stale = True\n" }],
        }),
    );
    // The full diagnostic report equals a fresh open of the client's text
    // (under another name) and the core's findings on it.
    let after = comparable(&document.pull(&mut server));
    let fresh_uri = file_uri(&root.join("fresh.py"));
    let fresh = ClientDocument::open(&mut server, &fresh_uri, "python", &document.text);
    assert_eq!(after, comparable(&fresh.pull(&mut server)));
    assert_eq!(
        after,
        expected(&root, Path::new("app.py"), &document.text, Enc::Utf16)
    );
    assert_eq!(bare_excepts(&after).len(), 1);
    // And the document still takes edits computed on that text.
    let at = document.text.find("except:").unwrap() + "except".len();
    document.edit(&mut server, &[(at..at, " KeyError")]);
    assert!(bare_excepts(&document.pull(&mut server)).is_empty());
    let log = server.stderr_text();
    assert!(log.contains("didChange rejected"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn hostile_headers_and_notifications_for_unopened_documents_are_survived() {
    let root = scratch("headers");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, false, &root));
    let alive = |server: &mut LspServer| {
        let response = server.request("shipshape/unknown", json!({}));
        assert_eq!(response["error"]["code"], -32601, "{response}");
    };
    // A Content-Length over the limit, a negative one, none at all, two
    // conflicting ones with garbage before the header: each is answered
    // with a parse error and the next message is served.
    for raw in [
        &b"Content-Length: 99999999999999\r\n\r\n"[..],
        b"Content-Length: -12\r\n\r\n",
        b"Content-Type: application/vscode-jsonrpc\r\n\r\n",
        b"\x00\xff garbage\r\nContent-Length: 1x\r\n\r\n",
    ] {
        server.send_raw(raw);
        let error = server.response_to(&Value::Null);
        assert_eq!(error["error"]["code"], -32700, "{error}");
        alive(&mut server);
    }
    // A body that is not UTF-8 inside a JSON string.
    let body = b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":\"\xff\xfe\"}";
    let mut raw = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    raw.extend_from_slice(body);
    server.send_raw(&raw);
    let error = server.response_to(&Value::Null);
    assert_eq!(error["error"]["code"], -32700, "{error}");
    alive(&mut server);
    // Every document notification for a document never opened.
    let never = file_uri(&root.join("never.py"));
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": never } }),
    );
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": never } }),
    );
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": never, "version": 3 }, "contentChanges": [{ "text": "x = 1\n" }] }),
    );
    // Closed twice.
    let uri = file_uri(&root.join("twice.py"));
    let document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    assert_eq!(bare_excepts(&server.published(&uri, 1)).len(), 1);
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    // Reopened, it is checked afresh.
    drop(document);
    ClientDocument::open(&mut server, &uri, "python", SAMPLE);
    assert_eq!(bare_excepts(&server.published(&uri, 1)).len(), 1);
    alive(&mut server);
    let log = server.stderr_text();
    assert!(!log.contains("panicked"), "{log}");
    assert!(server.shutdown_and_exit().success());
}

#[test]
fn a_frame_cut_short_by_the_end_of_input_ends_the_server_cleanly() {
    let root = scratch("truncated");
    let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, false, &root));
    let body = r#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#;
    server.send_raw(format!("Content-Length: {}\r\n\r\n{}", body.len(), &body[..20]).as_bytes());
    server.close_stdin();
    let status = server.wait_exit();
    assert!(status.code().is_some(), "exited by itself: {status:?}");
    let log = server.stderr_text();
    assert!(log.contains("input ended inside a message"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

/// Hovering a diagnostic shows its rule's documentation — the page
/// `shipshape explain RULE` prints — and the fix it offers, as Markdown;
/// hovering where there is no diagnostic shows nothing.
#[test]
fn hover_on_a_diagnostic_shows_the_rules_page_and_its_fix() {
    let root = scratch("hover");
    for pull in MODES {
        let context = mode_name(pull);
        let (mut server, result) = LspServer::start(binary(), &options(Enc::Utf16, pull, &root));
        assert_eq!(result["capabilities"]["hoverProvider"], true, "{context}");
        let uri = file_uri(&root.join("hover.py"));
        let document = ClientDocument::open(&mut server, &uri, "python", SAMPLE);
        let found = bare_excepts(&document.diagnostics(&mut server, pull));
        let diagnostic = &found[0];
        let hover = server.call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": diagnostic["range"]["start"] }),
        );
        assert_eq!(hover["contents"]["kind"], "markdown", "{context}: {hover}");
        assert_eq!(hover["range"], diagnostic["range"], "{context}");
        let text = hover["contents"]["value"].as_str().unwrap();
        let explain = shipshape_tests::shipshape(binary())
            .args(["explain", "bare-except"])
            .output()
            .unwrap();
        assert!(explain.status.success());
        let page = String::from_utf8(explain.stdout).unwrap();
        assert!(
            text.starts_with(page.trim_end()),
            "{context}: the hover starts with the explain page:\n{text}\n---\n{page}"
        );
        assert!(
            text.contains("**Catch `Exception` instead** (safe"),
            "{context}: the fix is named: {text}"
        );

        // The first line holds no diagnostic: no hover.
        let nothing = server.call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 } }),
        );
        assert!(nothing.is_null(), "{context}: {nothing}");
        assert!(server.shutdown_and_exit().success());
    }
}

/// A suppression comment that suppresses nothing is reported with the
/// `Unnecessary` tag (editors fade it out); other diagnostics carry no tag.
#[test]
fn unused_suppressions_are_tagged_unnecessary() {
    let root = scratch("unnecessary");
    for pull in MODES {
        let context = mode_name(pull);
        let (mut server, _) = LspServer::start(binary(), &options(Enc::Utf16, pull, &root));
        let uri = file_uri(&root.join("unused.py"));
        let text = "import os\nx = os.environ  # shipshape: ignore[bare-except]\ntry:\n    pass\nexcept:\n    pass\n";
        let document = ClientDocument::open(&mut server, &uri, "python", text);
        let found = document.diagnostics(&mut server, pull);
        let unused: Vec<&Value> = found
            .iter()
            .filter(|diagnostic| diagnostic["code"] == "unused-suppression")
            .collect();
        assert_eq!(unused.len(), 1, "{context}: {found:?}");
        assert_eq!(unused[0]["tags"], json!([1]), "{context}: Unnecessary is 1");
        let bare = bare_excepts(&found);
        assert_eq!(bare.len(), 1, "{context}: {found:?}");
        assert!(bare[0].get("tags").is_none_or(Value::is_null), "{context}");
        assert!(server.shutdown_and_exit().success());
    }
}
