//! A workspace storm: while a document is being typed in, a branch switch
//! changes thousands of files on disk, announced with
//! `workspace/didChangeWatchedFiles` in batches, and removes a nested
//! project root on the way. Afterwards the server must report
//! exactly what a fresh server reports for the same files.
//!
//! Nothing here is timed: the test waits (bounded) until the diagnostics
//! of the two servers agree, and fails with the difference if they never
//! do.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::{Duration, Instant},
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

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Changed files announced per `didChangeWatchedFiles`.
const BATCH: usize = 200;

/// The generated modules of one side of the branch switch.
fn module(index: usize, after: bool) -> String {
    let var = if after { "NEW" } else { "OLD" };
    let mut text = format!("import os\n\nVALUE_{index} = {index}\n");
    if index.is_multiple_of(250) {
        text.push_str(&format!("SETTING = os.environ.get(\"{var}_{index}\")\n"));
    }
    text
}

/// The workspace before the switch: the service, `modules` generated
/// modules, and a nested project `legacy/` (its own `pyproject.toml`).
fn before(root: &Path, modules: usize) {
    copy_dir(&repo_root().join("tests/workspaces/service"), root);
    for index in 0..modules {
        write(
            &root.join(format!("pkg/m{:02}/mod_{index:04}.py", index / 100)),
            &module(index, false),
        );
    }
    write(
        &root.join("legacy/pyproject.toml"),
        "[project]\nname = \"legacy\"\ndependencies = [\"flask\"]\n",
    );
    write(
        &root.join("legacy/app.py"),
        "import os\n\nTOKEN = os.environ[\"LEGACY_TOKEN\"]\n",
    );
    // The app module is long: its checks take a while on every key.
    let main = root.join("app/main.py");
    let mut text = std::fs::read_to_string(&main).unwrap();
    for index in 0..1500 {
        text.push_str(&format!(
            "\n\ndef helper_{index}(value):\n    return value + {index}\n"
        ));
    }
    write(&main, &text);
}

/// The branch switch on disk; returns the events to announce, in order.
fn switch(root: &Path, modules: usize) -> Vec<Value> {
    let mut events = Vec::new();
    let mut changed = |path: PathBuf, kind: u8| {
        events.push(json!({ "uri": file_uri(&path), "type": kind }));
    };
    for index in 0..modules {
        let path = root.join(format!("pkg/m{:02}/mod_{index:04}.py", index / 100));
        write(&path, &module(index, true));
        changed(path, 2);
    }
    // The Dockerfile now probes what the app serves; the open app module
    // is deleted and written again on disk (the editor's text still wins).
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile)
        .unwrap()
        .replace("/healthz", "/health");
    write(&dockerfile, &text);
    changed(dockerfile, 2);
    let main = root.join("app/main.py");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::remove_file(&main).unwrap();
    changed(main.clone(), 3);
    write(&main, &text.replace("\"/health\"", "\"/ready\""));
    changed(main, 1);
    // The nested project `legacy/` goes away (its manifest first) ...
    let manifest = root.join("legacy/pyproject.toml");
    std::fs::remove_file(&manifest).unwrap();
    changed(manifest, 3);
    // ... its code stays, now part of the service.
    let legacy = root.join("legacy/app.py");
    write(
        &legacy,
        "import os\n\nTOKEN = os.environ[\"LEGACY_TOKEN_V2\"]\n",
    );
    changed(legacy, 2);
    events
}

/// The latest diagnostics published for each URI, as sorted
/// (code, range, message) triples; files whose latest list is empty are
/// left out.
#[derive(Default)]
struct Published(BTreeMap<String, Vec<String>>);

impl Published {
    fn take(&mut self, server: &mut LspServer) {
        // Taken in one step: a publication arriving between a read and a
        // clear would be lost, and the view would never converge.
        for params in server.take_notifications("textDocument/publishDiagnostics") {
            let uri = params["uri"].as_str().unwrap().to_string();
            let mut found: Vec<String> = params["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|diagnostic| {
                    format!(
                        "{} {} {}",
                        diagnostic["code"], diagnostic["range"], diagnostic["message"]
                    )
                })
                .collect();
            found.sort();
            if found.is_empty() {
                self.0.remove(&uri);
            } else {
                self.0.insert(uri, found);
            }
        }
    }
}

fn diff(left: &Published, right: &Published) -> String {
    let mut out = String::new();
    for uri in left.0.keys().chain(right.0.keys()) {
        let (a, b) = (left.0.get(uri), right.0.get(uri));
        if a != b && !out.contains(uri.as_str()) {
            out.push_str(&format!("{uri}:\n  storm: {a:?}\n  fresh: {b:?}\n"));
        }
    }
    out
}

fn options(root: &Path) -> ClientOptions {
    ClientOptions {
        root: Some(root.to_path_buf()),
        ..ClientOptions::new(Enc::Utf16, false)
    }
}

/// 2,000 files (and a project root) change on disk in batches of 200
/// while a document is typed in; the server then reports what a fresh
/// server reports.
#[test]
fn a_storm_of_changed_files_converges_to_a_fresh_servers_diagnostics() {
    let modules = 2000;
    let root = std::env::temp_dir().join(format!("shipshape-storm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    before(&root, modules);

    let (mut server, _) = LspServer::start(binary(), &options(&root));
    let notes = root.join("app/main.py");
    let mut document = ClientDocument::open(
        &mut server,
        &file_uri(&notes),
        "python",
        &std::fs::read_to_string(&notes).unwrap(),
    );
    document.diagnostics(&mut server, false);

    let events = switch(&root, modules);
    for batch in events.chunks(BATCH) {
        server.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": batch }),
        );
        // A key typed between batches.
        let end = document.text.len();
        document.edit(&mut server, &[(end..end, "\n")]);
    }

    // A fresh server on the same files, with the same open document.
    let (mut fresh, _) = LspServer::start(binary(), &options(&root));
    ClientDocument::open(&mut fresh, &document.uri, "python", &document.text);

    let (mut storm_view, mut fresh_view) = (Published::default(), Published::default());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        storm_view.take(&mut server);
        fresh_view.take(&mut fresh);
        if storm_view.0 == fresh_view.0 && !fresh_view.0.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the storm's diagnostics never matched a fresh server's:\n{}",
            diff(&storm_view, &fresh_view)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // The switch's effects are visible: the Dockerfile's probe is served.
    let dockerfile = file_uri(&root.join("Dockerfile"));
    assert!(
        !storm_view.0.get(&dockerfile).is_some_and(|found| found
            .iter()
            .any(|line| line.contains("healthcheck-path-not-served"))),
        "{:?}",
        storm_view.0.get(&dockerfile)
    );
    assert!(server.shutdown_and_exit().success());
    assert!(fresh.shutdown_and_exit().success());
    let _ = std::fs::remove_dir_all(&root);
}

/// A document's own diagnostics never wait for the project model: while
/// the model takes in one batch of 2,000 changed files, a key typed in an
/// open document is published before anything that batch changed. The
/// document is a YAML file the model does not hold (before, its every key
/// waited until the model had taken in its text).
#[test]
fn a_document_publishes_while_the_model_is_busy() {
    let modules = 2000;
    let root = std::env::temp_dir().join(format!("shipshape-busy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    before(&root, modules);
    let settings = root.join("config/settings.yaml");
    write(&settings, "debug: false\nworkers: 4\n");

    let (mut server, _) = LspServer::start(binary(), &options(&root));
    let dockerfile = file_uri(&root.join("Dockerfile"));
    server.wait_notification("textDocument/publishDiagnostics", |params| {
        params["uri"] == dockerfile.as_str()
    });
    let mut document = ClientDocument::open(
        &mut server,
        &file_uri(&settings),
        "yaml",
        &std::fs::read_to_string(&settings).unwrap(),
    );
    document.diagnostics(&mut server, false);
    server.clear_notifications("textDocument/publishDiagnostics");

    // One batch: every module changes.
    let events = switch(&root, modules);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": events }),
    );
    // The model is being written when the server logs the batch.
    let deadline = Instant::now() + Duration::from_secs(60);
    let big_batch = |log: &str| {
        log.lines().any(|line| {
            line.split("applying changes to the workspace changes=")
                .nth(1)
                .and_then(|count| count.trim().parse::<usize>().ok())
                .is_some_and(|count| count >= modules / 2)
        })
    };
    while !big_batch(&server.stderr_text()) {
        assert!(Instant::now() < deadline, "{}", server.stderr_text());
        std::thread::sleep(Duration::from_millis(5));
    }
    document.edit(&mut server, &[(0..0, "# a key\n")]);
    let version = document.version;
    let uri = document.uri.clone();
    // Publications in the order they arrive, until the batch's effect:
    // `.env.example` misses the variable the last modules read.
    let example = file_uri(&root.join(".env.example"));
    let mut order: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let arrived = server.take_notifications("textDocument/publishDiagnostics");
        let mut done = false;
        for params in arrived {
            if params["uri"] == uri.as_str() && params["version"] == version {
                order.push("document".to_string());
            }
            if params["uri"] == example.as_str()
                && params["diagnostics"].to_string().contains("NEW_1750")
            {
                order.push("model".to_string());
                done = true;
            }
        }
        if done {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{order:?}\n{}",
            server.stderr_text()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        order.first().map(String::as_str),
        Some("document"),
        "the key's diagnostics waited for the model: {order:?}"
    );
    assert!(server.shutdown_and_exit().success());
    let _ = std::fs::remove_dir_all(&root);
}
