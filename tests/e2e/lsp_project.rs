//! End-to-end tests of the server's workspace: project findings (cross-file
//! rules) in every affected file, open or not, kept current as files change
//! in the editor or on disk; progress of the first scan; the `scope` and
//! rule settings; cross-file quick fixes; `shipshape.report`.
//!
//! The real binary is driven over stdio by the client in
//! `tests/support/lsp.rs`, on a copy of `tests/workspaces/service`: a
//! FastAPI service whose Dockerfile probes `/healthz` while the app serves
//! `/health`, whose compose file reads `API_TOKEN` that `.env.example` does
//! not list, whose `.env` is not git-ignored and which has no
//! `.dockerignore`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use shipshape_core::project::ignore_text_matches;
use shipshape_tests::{
    copy_dir,
    lsp::{
        ClientDocument, ClientOptions, Enc, LspServer, apply_lsp_edits, byte_range, edits_for,
        file_uri,
    },
    repo_root,
};

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_shipshape"))
}

const MODES: [bool; 2] = [false, true];

fn mode_name(pull: bool) -> &'static str {
    if pull { "pull" } else { "push" }
}

/// A fresh copy of `tests/workspaces/<name>` (tests change files on disk).
fn workspace_copy(name: &str, test: &str) -> PathBuf {
    let target = std::env::temp_dir().join(format!(
        "shipshape-lsp-project-{}-{test}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&target);
    copy_dir(&repo_root().join("tests/workspaces").join(name), &target);
    target
}

fn client(root: &Path, pull: bool) -> ClientOptions {
    ClientOptions {
        root: Some(root.to_path_buf()),
        diagnostic_refresh: pull,
        ..ClientOptions::new(Enc::Utf16, pull)
    }
}

/// The server on a fresh copy of the workspace `name` (for `test`), with
/// the client's view of unopened files.
fn start(name: &str, test: &str, pull: bool) -> (PathBuf, LspServer, View) {
    let root = workspace_copy(name, test);
    let (server, _) = LspServer::start(binary(), &client(&root, pull));
    (root, server, View::new(pull))
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic["code"].as_str().map(str::to_string))
        .collect();
    codes.sort();
    codes
}

fn has(diagnostics: &[Value], code: &str) -> bool {
    codes(diagnostics).iter().any(|found| found == code)
}

/// Tells the server that `path` changed on disk (`kind`: 1 created, 2
/// changed, 3 deleted), as a client's file watcher does.
fn changed(server: &mut LspServer, path: &Path, kind: u32) {
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(path), "type": kind }] }),
    );
}

/// The client's view of the diagnostics of unopened files: what push
/// clients were sent, what pull clients pull with `workspace/diagnostic`.
struct View {
    pull: bool,
    /// Pull: the last result id per URI, and the items it stands for.
    pulled: std::collections::HashMap<String, (String, Vec<Value>)>,
}

impl View {
    fn new(pull: bool) -> View {
        View {
            pull,
            pulled: Default::default(),
        }
    }

    /// Pulls the workspace's diagnostics, sending the result ids held.
    fn pull_workspace(&mut self, server: &mut LspServer) {
        let previous: Vec<Value> = self
            .pulled
            .iter()
            .map(|(uri, (id, _))| json!({ "uri": uri, "value": id }))
            .collect();
        let report = server.call(
            "workspace/diagnostic",
            json!({ "previousResultIds": previous }),
        );
        for item in report["items"].as_array().expect("items") {
            let uri = item["uri"].as_str().unwrap().to_string();
            let id = item["resultId"].as_str().unwrap_or_default().to_string();
            match item["kind"].as_str() {
                Some("full") => {
                    let items = item["items"].as_array().cloned().unwrap_or_default();
                    self.pulled.insert(uri, (id, items));
                }
                Some("unchanged") => {
                    let held = self
                        .pulled
                        .get(&uri)
                        .expect("unchanged only for a held result");
                    assert_eq!(held.0, id, "unchanged keeps the id");
                }
                other => panic!("unexpected report kind {other:?}: {item}"),
            }
        }
    }

    /// Waits until the diagnostics of `path` (unopened) satisfy `accept`:
    /// published ones (push), or pulled after each refresh (pull).
    fn wait_until(
        &mut self,
        server: &mut LspServer,
        path: &Path,
        what: &str,
        accept: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let uri = file_uri(path);
        if !self.pull {
            let params = server.wait_notification("textDocument/publishDiagnostics", |params| {
                params["uri"] == uri.as_str()
                    && accept(
                        params["diagnostics"]
                            .as_array()
                            .map_or(&[][..], Vec::as_slice),
                    )
            });
            assert!(
                params.get("version").is_none_or(Value::is_null),
                "an unopened file's diagnostics carry no version: {params}"
            );
            return params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        for _ in 0..20 {
            let refreshes = server.requests_of("workspace/diagnostic/refresh").len();
            self.pull_workspace(server);
            let current = self
                .pulled
                .get(&uri)
                .map(|(_, items)| items.clone())
                .unwrap_or_default();
            if accept(&current) {
                return current;
            }
            // The server asks for a new pull when findings change.
            server.wait_requests("workspace/diagnostic/refresh", refreshes + 1);
        }
        panic!("{what}: the pulled diagnostics of {uri} never matched");
    }
}

/// Editing a route in `app/main.py` (open) changes the Dockerfile's
/// diagnostics (not open): the `HEALTHCHECK` probes a route that is now
/// served. The open document shows its own project findings too.
#[test]
fn editing_a_route_changes_the_dockerfile_diagnostics_without_opening_it() {
    for pull in MODES {
        let context = mode_name(pull);
        let root = workspace_copy("service", &format!("route-{context}"));
        let (mut server, result) = LspServer::start(binary(), &client(&root, pull));
        if pull {
            let provider = &result["capabilities"]["diagnosticProvider"];
            assert_eq!(provider["workspaceDiagnostics"], true, "{provider}");
            assert_eq!(provider["interFileDependencies"], true, "{provider}");
        }
        let mut view = View::new(pull);
        let dockerfile = root.join("Dockerfile");
        view.wait_until(&mut server, &dockerfile, context, |found| {
            has(found, "healthcheck-path-not-served")
        });

        let main = root.join("app/main.py");
        let text = std::fs::read_to_string(&main).unwrap();
        let mut document = ClientDocument::open(&mut server, &file_uri(&main), "python", &text);
        let own = document.diagnostics(&mut server, pull);
        assert!(
            has(&own, "missing-request-id") && has(&own, "missing-rate-limiting"),
            "{context}: an open document shows the project findings in it: {:?}",
            codes(&own)
        );

        let at = document.text.find("\"/health\"").unwrap() + "\"/health".len();
        document.edit(&mut server, &[(at..at, "z")]);
        let after = view.wait_until(&mut server, &dockerfile, context, |found| {
            !has(found, "healthcheck-path-not-served")
        });
        assert!(
            has(&after, "dockerignore-missing"),
            "{context}: the Dockerfile's other findings stay: {:?}",
            codes(&after)
        );
        // And back: the finding returns.
        document.edit(&mut server, &[(at..at + 1, "")]);
        view.wait_until(&mut server, &dockerfile, context, |found| {
            has(found, "healthcheck-path-not-served")
        });
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// A burst of typing reaches the project model once, after the typing
/// pauses: keys that add and then remove a character in a route leave the
/// unopened Dockerfile's diagnostics alone instead of flickering with every
/// key. A key after the pause still reaches it.
#[test]
fn a_burst_of_typing_reaches_other_files_once_it_pauses() {
    let (root, mut server, mut view) = start("service", "burst", false);
    let dockerfile = root.join("Dockerfile");
    let dockerfile_uri = file_uri(&dockerfile);
    view.wait_until(&mut server, &dockerfile, "push", |found| {
        has(found, "healthcheck-path-not-served")
    });
    let main = root.join("app/main.py");
    let text = std::fs::read_to_string(&main).unwrap();
    let mut document = ClientDocument::open(&mut server, &file_uri(&main), "python", &text);
    document.diagnostics(&mut server, false);
    let flicker = |server: &mut LspServer| {
        server
            .pending_notifications("textDocument/publishDiagnostics")
            .into_iter()
            .filter(|params| params["uri"] == dockerfile_uri.as_str())
            .filter(|params| {
                let found = params["diagnostics"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice);
                !has(found, "healthcheck-path-not-served")
            })
            .count()
    };
    assert_eq!(flicker(&mut server), 0);

    // `/health` → `/healthz` (what the Dockerfile probes) → `/health`, and
    // again, one key at a time.
    let at = document.text.find("\"/health\"").unwrap() + "\"/health".len();
    for _ in 0..2 {
        document.edit(&mut server, &[(at..at, "z")]);
        document.edit(&mut server, &[(at..at + 1, "")]);
    }
    document.diagnostics(&mut server, false);
    // Well past the pause the model waits for.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(
        flicker(&mut server),
        0,
        "the Dockerfile's diagnostics followed the keys of a burst"
    );

    document.edit(&mut server, &[(at..at, "z")]);
    view.wait_until(&mut server, &dockerfile, "push", |found| {
        !has(found, "healthcheck-path-not-served")
    });
    assert!(server.shutdown_and_exit().success());
}

/// Adding the missing variable to `.env.example` (open) clears the compose
/// file's finding (not open) and `.env.example`'s own.
#[test]
fn editing_env_example_changes_the_compose_diagnostics() {
    for pull in MODES {
        let context = mode_name(pull);
        let (root, mut server, mut view) = start("service", &format!("env-{context}"), pull);
        let compose = root.join("compose.yaml");
        view.wait_until(&mut server, &compose, context, |found| {
            has(found, "compose-env-undefined")
        });
        let example = root.join(".env.example");
        let text = std::fs::read_to_string(&example).unwrap();
        let mut document = ClientDocument::open(&mut server, &file_uri(&example), "", &text);
        assert!(
            has(
                &document.diagnostics(&mut server, pull),
                "env-example-drift"
            ),
            "{context}"
        );
        let end = document.text.len();
        document.edit(&mut server, &[(end..end, "API_TOKEN=\n")]);
        view.wait_until(&mut server, &compose, context, |found| {
            !has(found, "compose-env-undefined")
        });
        let own = if pull {
            document.diagnostics(&mut server, pull)
        } else {
            // The edit's first publication may carry the project findings
            // of the text before it, shifted (the model had not taken the
            // edit in yet); the model's own publication for the same
            // version follows.
            let uri = file_uri(&example);
            let version = document.version;
            let params = server.wait_notification("textDocument/publishDiagnostics", |params| {
                params["uri"] == uri.as_str()
                    && params["version"] == version
                    && !has(
                        params["diagnostics"]
                            .as_array()
                            .map_or(&[][..], Vec::as_slice),
                        "env-example-drift",
                    )
            });
            params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        };
        assert!(
            !has(&own, "env-example-drift"),
            "{context}: {:?}",
            codes(&own)
        );
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// A `Procfile` is a document of its own: its project findings land on
/// its process lines, unopened (the first scan) and open, and an edit of
/// the open document takes them away.
#[test]
fn a_procfile_shows_its_process_findings() {
    for pull in MODES {
        let context = mode_name(pull);
        let root = workspace_copy("service", &format!("procfile-{context}"));
        let procfile = root.join("Procfile");
        let text =
            "release: python -m app.migrate\nweb: uvicorn app.main:app --port $PORT --reload\n";
        std::fs::write(&procfile, text).unwrap();
        let (mut server, _) = LspServer::start(binary(), &client(&root, pull));
        let mut view = View::new(pull);
        let unopened = view.wait_until(&mut server, &procfile, context, |found| {
            has(found, "procfile-reload")
        });
        let line = |diagnostics: &[Value]| {
            diagnostics
                .iter()
                .find(|diagnostic| diagnostic["code"] == "procfile-reload")
                .map(|diagnostic| diagnostic["range"]["start"]["line"].clone())
        };
        assert_eq!(line(&unopened), Some(json!(1)), "{context}");
        let mut document = ClientDocument::open(&mut server, &file_uri(&procfile), "", text);
        let own = document.diagnostics(&mut server, pull);
        assert_eq!(line(&own), Some(json!(1)), "{context}: {:?}", codes(&own));
        let flag = text.find(" --reload").unwrap();
        document.edit(&mut server, &[(flag..flag + " --reload".len(), "")]);
        let uri = file_uri(&procfile);
        let version = document.version;
        let after = if pull {
            let mut after = document.diagnostics(&mut server, pull);
            for _ in 0..20 {
                if !has(&after, "procfile-reload") {
                    break;
                }
                let refreshes = server.requests_of("workspace/diagnostic/refresh").len();
                server.wait_requests("workspace/diagnostic/refresh", refreshes + 1);
                after = document.diagnostics(&mut server, pull);
            }
            after
        } else {
            let params = server.wait_notification("textDocument/publishDiagnostics", |params| {
                params["uri"] == uri.as_str()
                    && params["version"] == version
                    && !has(
                        params["diagnostics"]
                            .as_array()
                            .map_or(&[][..], Vec::as_slice),
                        "procfile-reload",
                    )
            });
            params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        };
        assert!(
            !has(&after, "procfile-reload"),
            "{context}: {:?}",
            codes(&after)
        );
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// Moving the Dockerfile (open) to another port makes the compose file's
/// port mapping wrong.
#[test]
fn editing_the_dockerfile_changes_the_compose_diagnostics() {
    for pull in MODES {
        let context = mode_name(pull);
        let (root, mut server, mut view) = start("service", &format!("docker-{context}"), pull);
        let compose = root.join("compose.yaml");
        let before = view.wait_until(&mut server, &compose, context, |found| !found.is_empty());
        assert!(
            !has(&before, "port-mismatch"),
            "{context}: {:?}",
            codes(&before)
        );
        let path = root.join("Dockerfile");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut document = ClientDocument::open(&mut server, &file_uri(&path), "dockerfile", &text);
        let edits: Vec<(std::ops::Range<usize>, &str)> = text
            .match_indices("8000")
            .map(|(at, _)| (at..at + 4, "5000"))
            .collect();
        document.edit(&mut server, &edits);
        let after = view.wait_until(&mut server, &compose, context, |found| {
            has(found, "port-mismatch")
        });
        let mismatch = after
            .iter()
            .find(|diagnostic| diagnostic["code"] == "port-mismatch")
            .unwrap();
        assert!(
            mismatch["message"].as_str().unwrap().contains("5000"),
            "{mismatch}"
        );
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// The first scan reports work-done progress: created, begun, ended.
#[test]
fn the_first_scan_reports_progress() {
    let root = workspace_copy("service", "progress");
    let options = ClientOptions {
        wait_for_scan: false,
        ..client(&root, false)
    };
    let (mut server, _) = LspServer::start(binary(), &options);
    let created = server.wait_requests("window/workDoneProgress/create", 1);
    let token = created[0]["params"]["token"].clone();
    let begin = server.wait_notification("$/progress", |params| {
        params["token"] == token && params["value"]["kind"] == "begin"
    });
    assert_eq!(begin["value"]["title"], "shipshape");
    let end = server.wait_notification("$/progress", |params| {
        params["token"] == token && params["value"]["kind"] == "end"
    });
    assert!(
        end["value"]["message"]
            .as_str()
            .unwrap()
            .contains("1 projects"),
        "{end}"
    );
    // Reports, if any, came between begin and end with a percentage.
    for report in server.pending_notifications("$/progress") {
        assert_eq!(report["value"]["kind"], "report", "{report}");
        assert!(report["value"]["percentage"].as_u64().unwrap() <= 100);
    }
    // Requests are answered while (and after) the scan runs.
    let response = server.request("shipshape/unknown", json!({}));
    assert_eq!(response["error"]["code"], -32601);
    assert!(server.shutdown_and_exit().success());
}

/// A file changed on disk (`workspace/didChangeWatchedFiles`, registered
/// dynamically) updates the findings of the files that depend on it.
#[test]
fn a_file_changed_on_disk_updates_other_files() {
    for pull in MODES {
        let context = mode_name(pull);
        let root = workspace_copy("service", &format!("watched-{context}"));
        let options = ClientOptions {
            watch_files: true,
            ..client(&root, pull)
        };
        let (mut server, _) = LspServer::start(binary(), &options);
        let registrations = server.wait_requests("client/registerCapability", 1);
        let registration = &registrations[0]["params"]["registrations"][0];
        assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
        let globs: Vec<&str> = registration["registerOptions"]["watchers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|watcher| watcher["globPattern"].as_str())
            .collect();
        for glob in ["**/*.py", "**/.env*", "**/Dockerfile*", "**/pyproject.toml"] {
            assert!(globs.contains(&glob), "{glob} in {globs:?}");
        }
        let mut view = View::new(pull);
        let compose = root.join("compose.yaml");
        view.wait_until(&mut server, &compose, context, |found| {
            has(found, "compose-env-undefined")
        });
        let example = root.join(".env.example");
        std::fs::write(&example, "DATABASE_URL=\nAPI_TOKEN=\n").unwrap();
        changed(&mut server, &example, 2);
        view.wait_until(&mut server, &compose, context, |found| {
            !has(found, "compose-env-undefined")
        });
        // Deleting it brings the finding back.
        std::fs::remove_file(&example).unwrap();
        changed(&mut server, &example, 3);
        view.wait_until(&mut server, &compose, context, |found| {
            has(found, "compose-env-undefined")
        });
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// `scope: "openFiles"` reports project findings only in open documents.
#[test]
fn scope_open_files_reports_only_in_open_documents() {
    for pull in MODES {
        let context = mode_name(pull);
        let root = workspace_copy("service", &format!("scope-{context}"));
        let options = ClientOptions {
            initialization_options: Some(json!({ "scope": "openFiles" })),
            ..client(&root, pull)
        };
        let (mut server, _) = LspServer::start(binary(), &options);
        let main = root.join("app/main.py");
        let text = std::fs::read_to_string(&main).unwrap();
        let document = ClientDocument::open(&mut server, &file_uri(&main), "python", &text);
        let own = document.diagnostics(&mut server, pull);
        assert!(
            has(&own, "missing-request-id"),
            "{context}: open documents still show project findings: {:?}",
            codes(&own)
        );
        if pull {
            let report = server.call("workspace/diagnostic", json!({ "previousResultIds": [] }));
            assert_eq!(report["items"], json!([]), "{context}");
        } else {
            // A round trip, then nothing may have been published for
            // unopened files.
            server.call("workspace/diagnostic", json!({ "previousResultIds": [] }));
            std::thread::sleep(std::time::Duration::from_millis(300));
            let others: Vec<Value> = server
                .pending_notifications("textDocument/publishDiagnostics")
                .into_iter()
                .filter(|params| params["uri"] != document.uri.as_str())
                .filter(|params| params["diagnostics"] != json!([]))
                .collect();
            assert!(others.is_empty(), "{context}: {others:?}");
        }
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// A rule turned off in the editor's settings (`didChangeConfiguration`
/// with the settings, or a pull of `workspace/configuration`) disappears
/// without a restart, from open and unopened files.
#[test]
fn a_settings_change_turns_a_rule_off_without_a_restart() {
    for pull in MODES {
        let context = mode_name(pull);
        let root = workspace_copy("service", &format!("settings-{context}"));
        // The pull client answers workspace/configuration; the push client
        // sends the settings in the notification.
        let options = ClientOptions {
            configuration: pull.then(|| json!({})),
            ..client(&root, pull)
        };
        let (mut server, _) = LspServer::start(binary(), &options);
        let mut view = View::new(pull);
        let dockerfile = root.join("Dockerfile");
        view.wait_until(&mut server, &dockerfile, context, |found| {
            has(found, "healthcheck-path-not-served")
        });
        let main = root.join("app/main.py");
        let text = std::fs::read_to_string(&main).unwrap();
        let document = ClientDocument::open(&mut server, &file_uri(&main), "python", &text);
        assert!(has(
            &document.diagnostics(&mut server, pull),
            "missing-rate-limiting"
        ));

        let settings = json!({ "rules": {
            "healthcheck-path-not-served": "off",
            "missing-rate-limiting": "off",
            "missing-request-id": "hint",
        } });
        if pull {
            server.configuration = settings;
            server.notify(
                "workspace/didChangeConfiguration",
                json!({ "settings": null }),
            );
        } else {
            server.notify(
                "workspace/didChangeConfiguration",
                json!({ "settings": { "shipshape": settings } }),
            );
        }
        view.wait_until(&mut server, &dockerfile, context, |found| {
            !has(found, "healthcheck-path-not-served") && has(found, "dockerignore-missing")
        });
        let own = if pull {
            document.pull(&mut server)
        } else {
            let uri = document.uri.clone();
            server.wait_notification("textDocument/publishDiagnostics", |params| {
                params["uri"] == uri.as_str()
                    && !has(
                        params["diagnostics"].as_array().unwrap(),
                        "missing-rate-limiting",
                    )
            })["diagnostics"]
                .as_array()
                .cloned()
                .unwrap()
        };
        assert!(
            !has(&own, "missing-rate-limiting"),
            "{context}: {:?}",
            codes(&own)
        );
        let request_id = own
            .iter()
            .find(|diagnostic| diagnostic["code"] == "missing-request-id")
            .unwrap_or_else(|| panic!("{context}: {:?}", codes(&own)));
        assert_eq!(request_id["severity"], 4, "{context}: set to hint");

        // `enable: false` clears everything, open or not.
        let disabled = json!({ "enable": false });
        if pull {
            server.configuration = disabled;
            server.notify(
                "workspace/didChangeConfiguration",
                json!({ "settings": null }),
            );
        } else {
            server.notify(
                "workspace/didChangeConfiguration",
                json!({ "settings": { "shipshape": disabled } }),
            );
        }
        view.wait_until(&mut server, &dockerfile, context, <[Value]>::is_empty);
        if pull {
            assert_eq!(document.pull(&mut server), Vec::<Value>::new(), "{context}");
        } else {
            let uri = document.uri.clone();
            server.wait_notification("textDocument/publishDiagnostics", |params| {
                params["uri"] == uri.as_str() && params["diagnostics"] == json!([])
            });
        }
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// The code action of a diagnostic.
fn actions_for(server: &mut LspServer, uri: &str, diagnostic: &Value) -> Vec<Value> {
    server
        .call(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": diagnostic["range"],
                "context": { "diagnostics": [diagnostic], "only": ["quickfix"] },
            }),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Applies a workspace edit's `documentChanges` to the files on disk as an
/// editor does (create, then edit), and returns the paths it touched.
fn apply_document_changes(edit: &Value, encoding: Enc) -> Vec<PathBuf> {
    let mut touched = Vec::new();
    for change in edit["documentChanges"].as_array().expect("documentChanges") {
        let path = |uri: &str| PathBuf::from(uri.strip_prefix("file://").expect("a file URI"));
        if change["kind"] == "create" {
            let path = path(change["uri"].as_str().unwrap());
            assert!(
                !path.exists(),
                "CreateFile of an existing file: {}",
                path.display()
            );
            std::fs::write(&path, "").unwrap();
            touched.push(path);
        } else {
            let path = path(change["textDocument"]["uri"].as_str().unwrap());
            let text = std::fs::read_to_string(&path).unwrap();
            let edits = change["edits"].as_array().unwrap();
            std::fs::write(&path, apply_lsp_edits(&text, edits, encoding)).unwrap();
            touched.push(path);
        }
    }
    touched
}

/// Cross-file fixes: adding `.env` to `.gitignore` (an edit of another
/// file) and creating `.dockerignore` (`CreateFile` then its text), applied
/// through `documentChanges`, leave valid files and clear their findings. A
/// client without `CreateFile` support gets plain `changes` and no fix that
/// would need to create a file.
#[test]
fn cross_file_fixes_apply_through_document_changes() {
    let root = workspace_copy("service", "fixes");
    let options = ClientOptions {
        document_changes: true,
        create_files: true,
        ..client(&root, false)
    };
    let (mut server, _) = LspServer::start(binary(), &options);
    let encoding = server.encoding;

    // `.env` is not ignored: the fix edits `.gitignore`.
    let env = root.join(".env");
    let env_text = std::fs::read_to_string(&env).unwrap();
    let env_document = ClientDocument::open(&mut server, &file_uri(&env), "", &env_text);
    let found = env_document.diagnostics(&mut server, false);
    let diagnostic = found
        .iter()
        .find(|diagnostic| diagnostic["code"] == "env-file-not-ignored")
        .unwrap_or_else(|| panic!("{:?}", codes(&found)));
    let actions = actions_for(&mut server, &env_document.uri, diagnostic);
    let fix = actions
        .iter()
        .find(|action| {
            action["edit"]["documentChanges"].is_array()
                && action["title"] != "Ignore env-file-not-ignored on this line"
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    let gitignore = root.join(".gitignore");
    let before = std::fs::read_to_string(&gitignore).unwrap();
    assert!(!ignore_text_matches(&before, Path::new(".env"), false));
    let touched = apply_document_changes(&fix["edit"], encoding);
    assert_eq!(touched, vec![gitignore.clone()]);
    let after = std::fs::read_to_string(&gitignore).unwrap();
    assert!(after.starts_with(&before), "{after}");
    assert!(
        ignore_text_matches(&after, Path::new(".env"), false),
        "{after}"
    );
    changed(&mut server, &gitignore, 2);
    let uri = env_document.uri.clone();
    server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == uri.as_str()
            && !has(
                params["diagnostics"].as_array().unwrap(),
                "env-file-not-ignored",
            )
    });

    // No `.dockerignore`: the fix creates it.
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    let document = ClientDocument::open(&mut server, &file_uri(&dockerfile), "dockerfile", &text);
    let found = document.diagnostics(&mut server, false);
    let diagnostic = found
        .iter()
        .find(|diagnostic| diagnostic["code"] == "dockerignore-missing")
        .unwrap_or_else(|| panic!("{:?}", codes(&found)))
        .clone();
    let actions = actions_for(&mut server, &document.uri, &diagnostic);
    let fix = actions
        .iter()
        .find(|action| {
            action["edit"]["documentChanges"]
                .as_array()
                .is_some_and(|changes| changes.iter().any(|change| change["kind"] == "create"))
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    let created = root.join(".dockerignore");
    assert_eq!(
        apply_document_changes(&fix["edit"], encoding),
        vec![created.clone(), created.clone()]
    );
    let written = std::fs::read_to_string(&created).unwrap();
    assert!(
        ignore_text_matches(&written, Path::new(".env"), false)
            && ignore_text_matches(&written, Path::new(".git"), true),
        "{written}"
    );
    changed(&mut server, &created, 1);
    let uri = document.uri.clone();
    server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == uri.as_str()
            && !has(
                params["diagnostics"].as_array().unwrap(),
                "dockerignore-missing",
            )
    });
    assert!(server.shutdown_and_exit().success());

    // A client with plain `changes` only: the edit of `.gitignore` is
    // offered as `changes`, the fix that creates a file is not offered.
    let root = workspace_copy("service", "fixes-plain");
    let (mut server, _) = LspServer::start(binary(), &client(&root, false));
    let env_document =
        ClientDocument::open(&mut server, &file_uri(&root.join(".env")), "", &env_text);
    let found = env_document.diagnostics(&mut server, false);
    let diagnostic = found
        .iter()
        .find(|diagnostic| diagnostic["code"] == "env-file-not-ignored")
        .unwrap();
    let actions = actions_for(&mut server, &env_document.uri, diagnostic);
    let gitignore_uri = file_uri(&root.join(".gitignore"));
    assert!(
        actions
            .iter()
            .any(|action| action["edit"]["changes"][&gitignore_uri].is_array()),
        "{actions:?}"
    );
    let document = ClientDocument::open(
        &mut server,
        &file_uri(&root.join("Dockerfile")),
        "dockerfile",
        &text,
    );
    let found = document.diagnostics(&mut server, false);
    let diagnostic = found
        .iter()
        .find(|diagnostic| diagnostic["code"] == "dockerignore-missing")
        .unwrap();
    let actions = actions_for(&mut server, &document.uri, diagnostic);
    assert!(
        actions
            .iter()
            .all(|action| action["title"].as_str().unwrap().starts_with("Ignore ")),
        "only the ignore action: {actions:?}"
    );
    assert!(server.shutdown_and_exit().success());
}

/// `workspace/executeCommand` `shipshape.report` returns the report's
/// Markdown and the same score as `shipshape report`.
#[test]
fn the_report_command_returns_markdown_and_the_clis_score() {
    let root = workspace_copy("service", "report");
    let (mut server, result) = LspServer::start(binary(), &client(&root, true));
    assert_eq!(
        result["capabilities"]["executeCommandProvider"]["commands"],
        json!(["shipshape.report"])
    );
    let report = server.call(
        "workspace/executeCommand",
        json!({ "command": "shipshape.report", "arguments": [] }),
    );
    let markdown = report["markdown"].as_str().expect("markdown");
    let score = report["score"].as_u64().expect("score");
    // The HTML page, with its score gauge and category bars, for a webview.
    let html = report["html"].as_str().expect("html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains("<svg") && html.contains("class=\"bar\""),
        "{html}"
    );
    assert!(html.contains(&score.to_string()), "{html}");
    let output = shipshape_tests::shipshape(binary())
        .args(["report", "--format", "json"])
        .arg(&root)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(score, cli["score"].as_u64().unwrap(), "{markdown}");
    assert!(markdown.contains(&format!("{score}/100")), "{markdown}");
    assert!(
        markdown.contains("healthcheck-path-not-served"),
        "{markdown}"
    );

    // An unknown command is an error, not a crash.
    let response = server.request(
        "workspace/executeCommand",
        json!({ "command": "shipshape.nope", "arguments": [] }),
    );
    assert!(response.get("error").is_some(), "{response}");
    assert!(server.shutdown_and_exit().success());
}

/// Several workspace folders are separate projects (and a project root
/// nested in a folder is its own project): an edit in one changes the
/// findings of its own project only.
#[test]
fn workspace_folders_and_nested_roots_are_separate_projects() {
    let first = workspace_copy("service", "multi-a");
    let second = workspace_copy("service", "multi-b");
    // A nested service inside the second folder.
    copy_dir(
        &repo_root().join("tests/workspaces/service"),
        &second.join("services/worker"),
    );
    let options = ClientOptions {
        more_folders: vec![second.clone()],
        ..client(&first, false)
    };
    let (mut server, _) = LspServer::start(binary(), &options);
    let mut view = View::new(false);
    let dockerfiles = [
        first.join("Dockerfile"),
        second.join("Dockerfile"),
        second.join("services/worker/Dockerfile"),
    ];
    for dockerfile in &dockerfiles {
        view.wait_until(&mut server, dockerfile, "multi-root", |found| {
            has(found, "healthcheck-path-not-served")
        });
    }
    // Fix the route of the nested service only.
    let main = second.join("services/worker/app/main.py");
    let text = std::fs::read_to_string(&main).unwrap();
    let mut document = ClientDocument::open(&mut server, &file_uri(&main), "python", &text);
    let at = document.text.find("\"/health\"").unwrap() + "\"/health".len();
    document.edit(&mut server, &[(at..at, "z")]);
    view.wait_until(&mut server, &dockerfiles[2], "nested", |found| {
        !has(found, "healthcheck-path-not-served")
    });
    // A round trip; the other projects' Dockerfiles were not published
    // without their finding.
    server.call(
        "workspace/executeCommand",
        json!({ "command": "shipshape.report" }),
    );
    for dockerfile in &dockerfiles[..2] {
        let uri = file_uri(dockerfile);
        let cleared: Vec<Value> = server
            .pending_notifications("textDocument/publishDiagnostics")
            .into_iter()
            .filter(|params| params["uri"] == uri.as_str())
            .filter(|params| {
                !has(
                    params["diagnostics"].as_array().unwrap(),
                    "healthcheck-path-not-served",
                )
            })
            .collect();
        assert!(cleared.is_empty(), "{uri}: {cleared:?}");
    }
    assert!(server.shutdown_and_exit().success());
}

/// A save of a file that is not open (the client has no file watcher)
/// reads it from disk.
#[test]
fn a_save_reads_the_file_again() {
    let (root, mut server, mut view) = start("service", "save", false);
    let compose = root.join("compose.yaml");
    view.wait_until(&mut server, &compose, "save", |found| {
        has(found, "compose-env-undefined")
    });
    let example = root.join(".env.example");
    std::fs::write(&example, "DATABASE_URL=\nAPI_TOKEN=\n").unwrap();
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": file_uri(&example) } }),
    );
    view.wait_until(&mut server, &compose, "save", |found| {
        !has(found, "compose-env-undefined")
    });
    assert!(server.shutdown_and_exit().success());
}

/// The related information of a diagnostic: (uri, range, message).
fn related(diagnostic: &Value) -> Vec<(String, Value, String)> {
    diagnostic["relatedInformation"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|info| {
            (
                info["location"]["uri"].as_str().unwrap().to_string(),
                info["location"]["range"].clone(),
                info["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A cross-file finding points at the other file it concerns: the
/// Dockerfile's `HEALTHCHECK` that probes an unserved path links the app's
/// health route (and the link follows the route when it moves), a compose
/// variable missing from `.env.example` links that file. After the
/// first scan and after a change the server says the findings changed
/// (`shipshape/findingsChanged`, which the VS Code status item listens to).
#[test]
fn cross_file_findings_carry_related_information() {
    for pull in MODES {
        let context = mode_name(pull);
        let (root, mut server, mut view) = start("service", &format!("related-{context}"), pull);
        server.wait_notification("shipshape/findingsChanged", |_| true);
        let dockerfile = root.join("Dockerfile");
        let main = root.join("app/main.py");
        let main_uri = file_uri(&main);
        let text = std::fs::read_to_string(&main).unwrap();
        let found = view.wait_until(&mut server, &dockerfile, context, |found| {
            has(found, "healthcheck-path-not-served")
        });
        let finding = found
            .iter()
            .find(|diagnostic| diagnostic["code"] == "healthcheck-path-not-served")
            .unwrap();
        let places = related(finding);
        assert_eq!(places.len(), 1, "{context}: {finding}");
        let (uri, range, message) = &places[0];
        assert_eq!(uri, &main_uri, "{context}");
        assert!(message.contains("`/health`"), "{context}: {message}");
        let pointed = &text[byte_range(&text, range, Enc::Utf16)];
        assert!(pointed.contains("\"/health\""), "{context}: {pointed:?}");
        let line = range["start"]["line"].as_u64().unwrap();

        // A variable compose reads and `.env.example` does not list: the
        // finding links the example file.
        let compose = view.wait_until(&mut server, &root.join("compose.yaml"), context, |found| {
            has(found, "compose-env-undefined")
        });
        let undefined = compose
            .iter()
            .find(|diagnostic| diagnostic["code"] == "compose-env-undefined")
            .unwrap();
        let places = related(undefined);
        assert_eq!(places.len(), 1, "{context}: {undefined}");
        assert_eq!(
            places[0].0,
            file_uri(&root.join(".env.example")),
            "{context}"
        );
        assert!(
            places[0].2.contains("does not list `API_TOKEN`"),
            "{context}: {}",
            places[0].2
        );

        // Two lines inserted above the route: the link moves with it.
        let mut document = ClientDocument::open(&mut server, &main_uri, "python", &text);
        document.edit(&mut server, &[(0..0, "# a\n# b\n")]);
        let moved = view.wait_until(&mut server, &dockerfile, context, |found| {
            found.iter().any(|diagnostic| {
                related(diagnostic)
                    .iter()
                    .any(|(_, range, _)| range["start"]["line"] == line + 2)
            })
        });
        assert!(has(&moved, "healthcheck-path-not-served"), "{context}");
        server.wait_notification("shipshape/findingsChanged", |_| true);
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// Each workspace folder has its own settings: the server asks for them
/// with each folder's URI as `scopeUri` and applies them to that folder's
/// files only. A folder added while the server runs is scanned and its
/// findings appear (under its own settings); a folder removed has its
/// findings cleared.
#[test]
fn workspace_folders_have_their_own_settings_and_come_and_go() {
    for pull in MODES {
        let context = mode_name(pull);
        let first = workspace_copy("service", &format!("folders-a-{context}"));
        let second = workspace_copy("service", &format!("folders-b-{context}"));
        let third = workspace_copy("service", &format!("folders-c-{context}"));
        let options = ClientOptions {
            more_folders: vec![second.clone()],
            configuration: Some(json!({})),
            ..client(&first, pull)
        };
        let mut server = LspServer::spawn(binary());
        let quiet = json!({ "rules": { "healthcheck-path-not-served": "off" } });
        server
            .scoped_configuration
            .insert(file_uri(&second), quiet.clone());
        server
            .scoped_configuration
            .insert(file_uri(&third), quiet.clone());
        let result = server.initialize(&options);
        let folders = &result["capabilities"]["workspace"]["workspaceFolders"];
        assert_eq!(folders["supported"], true, "{context}: {folders}");
        assert_eq!(folders["changeNotifications"], true, "{context}");
        let asked = server.requests_of("workspace/configuration");
        let scopes: Vec<Value> = asked[0]["params"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["scopeUri"].clone())
            .collect();
        assert!(
            scopes.contains(&json!(file_uri(&first))) && scopes.contains(&json!(file_uri(&second))),
            "{context}: {scopes:?}"
        );
        let mut view = View::new(pull);
        view.wait_until(&mut server, &first.join("Dockerfile"), context, |found| {
            has(found, "healthcheck-path-not-served")
        });
        let quiet_folder =
            view.wait_until(&mut server, &second.join("Dockerfile"), context, |found| {
                has(found, "dockerignore-missing")
            });
        assert!(
            !has(&quiet_folder, "healthcheck-path-not-served"),
            "{context}: the second folder's own settings turn it off: {:?}",
            codes(&quiet_folder)
        );

        // A third folder comes, the first goes.
        server.notify(
            "workspace/didChangeWorkspaceFolders",
            json!({ "event": {
                "added": [{ "uri": file_uri(&third), "name": "third" }],
                "removed": [{ "uri": file_uri(&first), "name": "first" }],
            } }),
        );
        let added = view.wait_until(&mut server, &third.join("Dockerfile"), context, |found| {
            has(found, "dockerignore-missing")
        });
        assert!(
            !has(&added, "healthcheck-path-not-served"),
            "{context}: the added folder's settings apply: {:?}",
            codes(&added)
        );
        view.wait_until(
            &mut server,
            &first.join("Dockerfile"),
            context,
            <[Value]>::is_empty,
        );
        // The settings were asked again, for the folders now open.
        let asked = server.requests_of("workspace/configuration");
        let last: Vec<Value> = asked.last().unwrap()["params"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["scopeUri"].clone())
            .collect();
        assert!(
            last.contains(&json!(file_uri(&third))) && !last.contains(&json!(file_uri(&first))),
            "{context}: {last:?}"
        );
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// A cross-file fix's edit of an open document carries that document's
/// version; once the document changes, the fix computed for its old text is
/// not offered, and the next one carries the new version.
#[test]
fn cross_file_edits_of_open_documents_carry_their_version() {
    let root = workspace_copy("service", "versioned");
    let options = ClientOptions {
        document_changes: true,
        create_files: true,
        ..client(&root, false)
    };
    let (mut server, _) = LspServer::start(binary(), &options);
    let gitignore = root.join(".gitignore");
    let gitignore_uri = file_uri(&gitignore);
    let mut ignore_document = ClientDocument::open(
        &mut server,
        &gitignore_uri,
        "ignore",
        &std::fs::read_to_string(&gitignore).unwrap(),
    );
    let env = root.join(".env");
    let env_document = ClientDocument::open(
        &mut server,
        &file_uri(&env),
        "",
        &std::fs::read_to_string(&env).unwrap(),
    );
    let fix_of = |server: &mut LspServer, diagnostic: &Value| {
        actions_for(server, &env_document.uri, diagnostic)
            .into_iter()
            .find(|action| action["title"] != "Ignore env-file-not-ignored on this line")
    };
    let (env_uri, env_version) = (env_document.uri.clone(), env_document.version);
    // A finding computed for the open `.env`, with its fix computed for the
    // `.gitignore` at `version`. (Under load, the project findings of `.env`
    // as an unopened file can be published after `.gitignore` opened and
    // before the server saw `.env` open: they carry no version, and their
    // fix is rightly not offered for the open document.)
    let finding_at = |server: &mut LspServer, version: i64| {
        let params = server.wait_notification("textDocument/publishDiagnostics", |params| {
            params["uri"] == env_uri.as_str()
                && params["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|diagnostic| {
                        diagnostic["code"] == "env-file-not-ignored"
                            && diagnostic["data"]["version"] == env_version
                            && diagnostic["data"]["fix"]["otherFiles"][0]["version"] == version
                    })
        });
        params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|diagnostic| diagnostic["code"] == "env-file-not-ignored")
            .unwrap()
            .clone()
    };
    let old = finding_at(&mut server, 1);
    let fix = fix_of(&mut server, &old).expect("the fix is offered");
    let (_, version) = edits_for(&fix["edit"], &gitignore_uri);
    assert_eq!(version, Some(1), "{fix}");

    // The user edits .gitignore: the old fix is stale and not offered.
    ignore_document.edit(&mut server, &[(0..0, "# build output\n")]);
    assert!(
        fix_of(&mut server, &old).is_none(),
        "a stale fix is offered"
    );
    // The next diagnostics carry a fix for version 2, which applies.
    let new = finding_at(&mut server, 2);
    let fix = fix_of(&mut server, &new).expect("the new fix is offered");
    let (edits, version) = edits_for(&fix["edit"], &gitignore_uri);
    assert_eq!(version, Some(2), "{fix}");
    ignore_document.apply(&mut server, &edits);
    assert!(
        ignore_document
            .text
            .starts_with("# build output\n__pycache__/\n")
            && ignore_text_matches(&ignore_document.text, Path::new(".env"), false),
        "{}",
        ignore_document.text
    );
    assert!(server.shutdown_and_exit().success());
}

/// A folder added right after `initialized`, while the first scan may
/// still run, is read all the same (the scan's result takes in the folders
/// changed meanwhile).
#[test]
fn a_folder_added_during_the_first_scan_is_read() {
    let first = workspace_copy("service", "early-a");
    let second = workspace_copy("service", "early-b");
    // Enough files that the folder change arrives while the scan runs.
    let package = first.join("app/generated");
    std::fs::create_dir_all(&package).unwrap();
    for index in 0..1500 {
        let text = format!(
            "import os\n\n\ndef handler_{index}(event):\n    return os.environ.get(\"KEY_{index}\")\n"
        );
        std::fs::write(package.join(format!("module_{index}.py")), text).unwrap();
    }
    let options = ClientOptions {
        wait_for_scan: false,
        ..client(&first, false)
    };
    let (mut server, _) = LspServer::start(binary(), &options);
    // The scan has begun: it read the folders before this one came.
    server.wait_notification("$/progress", |params| params["value"]["kind"] == "begin");
    server.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": {
            "added": [{ "uri": file_uri(&second), "name": "second" }],
            "removed": [],
        } }),
    );
    let mut view = View::new(false);
    for dockerfile in [first.join("Dockerfile"), second.join("Dockerfile")] {
        view.wait_until(&mut server, &dockerfile, "early", |found| {
            has(found, "healthcheck-path-not-served")
        });
    }
    assert!(server.shutdown_and_exit().success());
}

/// A compose file's rules read the service's Dockerfile through the
/// project's view of its files: the editor's unsaved text of the Dockerfile
/// wins over the disk, and the path is resolved against the workspace root,
/// not the server's working directory (the test's, elsewhere).
#[test]
fn a_compose_file_sees_the_unsaved_text_of_its_dockerfile() {
    let root = std::env::temp_dir().join(format!(
        "shipshape-lsp-project-{}-unsaved-dockerfile",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("api")).unwrap();
    std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"svc\"\n").unwrap();
    let on_disk = "FROM python:3.12-slim\nUSER app\nCMD [\"python\", \"-m\", \"app\"]\n";
    std::fs::write(root.join("api/Dockerfile"), on_disk).unwrap();
    let compose_text =
        "services:\n  api:\n    build: ./api\n    restart: unless-stopped\n    mem_limit: 512m\n";
    std::fs::write(root.join("compose.yaml"), compose_text).unwrap();
    let (mut server, _) = LspServer::start(binary(), &client(&root, false));

    let compose_uri = file_uri(&root.join("compose.yaml"));
    let mut compose =
        ClientDocument::open(&mut server, &compose_uri, "dockercompose", compose_text);
    let before = compose.diagnostics(&mut server, false);
    assert!(
        has(&before, "compose-no-healthcheck"),
        "the Dockerfile on disk has no HEALTHCHECK: {:?}",
        codes(&before)
    );

    let unsaved = format!("{on_disk}HEALTHCHECK CMD python -c \"print(1)\"\n");
    let _dockerfile = ClientDocument::open(
        &mut server,
        &file_uri(&root.join("api/Dockerfile")),
        "dockerfile",
        &unsaved,
    );
    // Any edit re-checks the compose file.
    let end = compose.text.len();
    compose.edit(&mut server, &[(end..end, "\n")]);
    let after = compose.diagnostics(&mut server, false);
    assert!(
        !has(&after, "compose-no-healthcheck"),
        "the editor's Dockerfile declares a HEALTHCHECK: {:?}",
        codes(&after)
    );
    assert!(server.shutdown_and_exit().success());
    let _ = std::fs::remove_dir_all(&root);
}

/// Writes `files` (path relative to `root`, text) under `root`.
fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A fresh, empty folder for `test`.
fn scratch(test: &str) -> PathBuf {
    let target = std::env::temp_dir().join(format!(
        "shipshape-lsp-project-{}-{test}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&target);
    std::fs::create_dir_all(&target).unwrap();
    target
}

/// A monorepo's root compose file builds `services/api`: its healthcheck
/// is checked against the routes of the service's code, and editing the
/// service's route (an open document of another project) updates the
/// compose file's diagnostics.
#[test]
fn a_root_compose_file_follows_the_routes_of_the_service_it_builds() {
    for pull in MODES {
        let context = mode_name(pull);
        let root = scratch(&format!("root-compose-{context}"));
        write_files(
            &root,
            &[
                (".git/HEAD", "ref: refs/heads/main\n"),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: ./services/api\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/healthz\"]\n",
                ),
                (
                    "services/api/pyproject.toml",
                    "[project]\nname = \"api\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi>=0.110\"]\n",
                ),
                ("services/api/app/__init__.py", ""),
                (
                    "services/api/app/main.py",
                    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n",
                ),
            ],
        );
        let (mut server, _) = LspServer::start(binary(), &client(&root, pull));
        let mut view = View::new(pull);
        let compose = root.join("compose.yaml");
        view.wait_until(&mut server, &compose, context, |found| {
            has(found, "healthcheck-path-not-served")
        });
        let main = root.join("services/api/app/main.py");
        let text = std::fs::read_to_string(&main).unwrap();
        let mut document = ClientDocument::open(&mut server, &file_uri(&main), "python", &text);
        let at = document.text.find("\"/health\"").unwrap() + "\"/health".len();
        document.edit(&mut server, &[(at..at, "z")]);
        view.wait_until(&mut server, &compose, context, |found| {
            !has(found, "healthcheck-path-not-served")
        });
        // And back.
        document.edit(&mut server, &[(at..at + 1, "")]);
        view.wait_until(&mut server, &compose, context, |found| {
            has(found, "healthcheck-path-not-served")
        });
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}

/// A workspace folder that is a member of a uv workspace: the lock file,
/// `.gitignore` and `.env.example` at the repository's root above it are
/// watched (relative patterns based on that folder), and creating or
/// deleting them updates the member's findings as a fresh server would
/// report them.
#[test]
fn files_above_the_workspace_folder_are_watched_and_read_again() {
    for pull in MODES {
        let context = mode_name(pull);
        let repository = scratch(&format!("outer-{context}"));
        write_files(
            &repository,
            &[
                (".git/HEAD", "ref: refs/heads/main\n"),
                (
                    "pyproject.toml",
                    "[tool.uv.workspace]\nmembers = [\"backend\"]\n",
                ),
                (
                    "backend/pyproject.toml",
                    "[project]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi>=0.110\"]\n",
                ),
                (
                    "backend/app/main.py",
                    "import os\n\nfrom fastapi import FastAPI\n\nDATABASE_URL = os.environ[\"DATABASE_URL\"]\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n",
                ),
            ],
        );
        let folder = repository.join("backend");
        let options = ClientOptions {
            watch_files: true,
            ..client(&folder, pull)
        };
        let (mut server, _) = LspServer::start(binary(), &options);
        let registrations = server.wait_requests("client/registerCapability", 1);
        let watchers =
            registrations[0]["params"]["registrations"][0]["registerOptions"]["watchers"]
                .as_array()
                .unwrap()
                .clone();
        let above: Vec<&str> = watchers
            .iter()
            .filter(|watcher| watcher["globPattern"]["baseUri"] == file_uri(&repository).as_str())
            .filter_map(|watcher| watcher["globPattern"]["pattern"].as_str())
            .collect();
        for name in ["uv.lock", ".gitignore", ".env*", ".github/workflows/*"] {
            assert!(
                above.iter().any(|pattern| pattern.contains(name)),
                "{name} in {above:?}"
            );
        }
        let mut view = View::new(pull);
        let pyproject = folder.join("pyproject.toml");
        let main = folder.join("app/main.py");
        view.wait_until(&mut server, &pyproject, context, |found| {
            has(found, "pyproject-no-lockfile") && has(found, "gitignore-missing")
        });
        view.wait_until(&mut server, &main, context, |found| {
            has(found, "env-example-missing")
        });
        let lock = repository.join("uv.lock");
        std::fs::write(
            &lock,
            "version = 1\n\n[manifest]\nmembers = [\"app\"]\n\n[[package]]\nname = \"fastapi\"\nversion = \"0.115.0\"\n",
        )
        .unwrap();
        changed(&mut server, &lock, 1);
        view.wait_until(&mut server, &pyproject, context, |found| {
            !has(found, "pyproject-no-lockfile") && has(found, "gitignore-missing")
        });
        let gitignore = repository.join(".gitignore");
        std::fs::write(&gitignore, ".env\n__pycache__/\n").unwrap();
        changed(&mut server, &gitignore, 1);
        view.wait_until(&mut server, &pyproject, context, |found| {
            !has(found, "gitignore-missing")
        });
        let example = repository.join(".env.example");
        std::fs::write(&example, "DATABASE_URL=\n").unwrap();
        changed(&mut server, &example, 1);
        view.wait_until(&mut server, &main, context, |found| {
            !has(found, "env-example-missing")
        });
        // Deleting the lock brings its finding back.
        std::fs::remove_file(&lock).unwrap();
        changed(&mut server, &lock, 3);
        view.wait_until(&mut server, &pyproject, context, |found| {
            has(found, "pyproject-no-lockfile")
        });
        // A folder of another repository added: the watchers are
        // registered again, with the folders above it.
        let other = scratch(&format!("outer-other-{context}"));
        write_files(
            &other,
            &[
                (".git/HEAD", "ref: refs/heads/main\n"),
                ("svc/requirements.txt", "fastapi==0.115.0\n"),
            ],
        );
        server.notify(
            "workspace/didChangeWorkspaceFolders",
            json!({ "event": {
                "added": [{ "uri": file_uri(&other.join("svc")), "name": "svc" }],
                "removed": [],
            } }),
        );
        let registrations = server.wait_requests("client/registerCapability", 2);
        let bases: Vec<&str> =
            registrations[1]["params"]["registrations"][0]["registerOptions"]["watchers"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|watcher| watcher["globPattern"]["baseUri"].as_str())
                .collect();
        for base in [file_uri(&repository), file_uri(&other)] {
            assert!(bases.contains(&base.as_str()), "{base} in {bases:?}");
        }
        assert!(server.shutdown_and_exit().success(), "{context}");
    }
}
