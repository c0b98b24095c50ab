//! A small, synchronous LSP client that drives the real `shipshape server`
//! over stdio, and client-side text helpers (positions, edits) written
//! independently of the server's so that tests can catch its mistakes.
//!
//! Tests pass the binary's path: end-to-end tests are targets of the
//! `shipshape` package, where `env!("CARGO_BIN_EXE_shipshape")` names it.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader, Read, Write},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, ExitStatus, Stdio},
    sync::{
        Arc, Mutex,
        mpsc::{Receiver, RecvTimeoutError, channel},
    },
    thread,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

/// How long any single wait may take before a test fails (never hangs).
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A position encoding, as LSP names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

impl Enc {
    pub const ALL: [Enc; 3] = [Enc::Utf8, Enc::Utf16, Enc::Utf32];

    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
            Enc::Utf32 => "utf-32",
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Enc::Utf8 => c.len_utf8() as u32,
            Enc::Utf16 => c.len_utf16() as u32,
            Enc::Utf32 => 1,
        }
    }
}

/// How a test client presents itself at `initialize`.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Encodings offered in `general.positionEncodings` (`None`: the field is left out).
    pub encodings: Option<Vec<Enc>>,
    /// Whether the client supports pull diagnostics.
    pub pull: bool,
    pub document_changes: bool,
    pub root: Option<PathBuf>,
    /// More workspace folders (multi-root), after `root`.
    pub more_folders: Vec<PathBuf>,
    /// `CreateFile` in `documentChanges` (`resourceOperations: ["create"]`).
    pub create_files: bool,
    /// `workspace.diagnostics.refreshSupport` (pull clients).
    pub diagnostic_refresh: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub watch_files: bool,
    /// `initializationOptions`.
    pub initialization_options: Option<Value>,
    /// The answer to `workspace/configuration` (`None`: the client does not
    /// support the request).
    pub configuration: Option<Value>,
    /// Wait for the end of the server's first workspace scan (its work-done
    /// progress) before returning from `initialize`.
    pub wait_for_scan: bool,
}

impl ClientOptions {
    pub fn new(encoding: Enc, pull: bool) -> ClientOptions {
        ClientOptions {
            encodings: Some(vec![encoding]),
            pull,
            document_changes: false,
            root: None,
            more_folders: Vec::new(),
            create_files: false,
            diagnostic_refresh: false,
            watch_files: false,
            initialization_options: None,
            configuration: None,
            wait_for_scan: true,
        }
    }
}

/// A running `shipshape server` and the client end of its pipes.
pub struct LspServer {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// The encoding the server chose at initialize.
    pub encoding: Enc,
    /// What the client answers to `workspace/configuration`.
    pub configuration: Value,
    /// What it answers for an item whose `scopeUri` is a key here (a
    /// workspace folder's own settings), instead of `configuration`.
    pub scoped_configuration: std::collections::HashMap<String, Value>,
    /// Requests the server sent to the client, in order.
    pub server_requests: Vec<Value>,
}

impl LspServer {
    /// Starts `binary server` without initializing it.
    pub fn spawn(binary: &Path) -> LspServer {
        let mut child = Command::new(binary)
            .arg("server")
            .env("SHIPSHAPE_LOG", "debug")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start shipshape server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let stderr_pipe = child.stderr.take().expect("stderr");
        let (sender, incoming) = channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut pipe = stderr_pipe;
            let mut buffer = [0u8; 4096];
            while let Ok(read) = pipe.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..read]);
            }
        });
        LspServer {
            child,
            stdin,
            incoming,
            pending: VecDeque::new(),
            next_id: 1,
            stderr,
            encoding: Enc::Utf16,
            configuration: Value::Null,
            scoped_configuration: Default::default(),
            server_requests: Vec::new(),
        }
    }

    /// Starts and initializes a server; returns it and the initialize result.
    pub fn start(binary: &Path, options: &ClientOptions) -> (LspServer, Value) {
        let mut server = LspServer::spawn(binary);
        let result = server.initialize(options);
        (server, result)
    }

    pub fn initialize(&mut self, options: &ClientOptions) -> Value {
        let mut capabilities = json!({
            "general": {},
            "textDocument": {
                "synchronization": { "dynamicRegistration": false },
                "publishDiagnostics": { "versionSupport": true, "codeDescriptionSupport": true, "dataSupport": true },
                "codeAction": {
                    "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "source", "source.fixAll"] } },
                    "isPreferredSupport": true,
                    "dataSupport": true
                }
            },
            "workspace": { "workspaceEdit": { "documentChanges": options.document_changes } },
            "window": { "workDoneProgress": true }
        });
        if options.create_files {
            capabilities["workspace"]["workspaceEdit"]["resourceOperations"] = json!(["create"]);
        }
        if options.diagnostic_refresh {
            capabilities["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
        }
        if options.watch_files {
            capabilities["workspace"]["didChangeWatchedFiles"] =
                json!({ "dynamicRegistration": true, "relativePatternSupport": true });
        }
        if let Some(configuration) = &options.configuration {
            capabilities["workspace"]["configuration"] = json!(true);
            self.configuration = configuration.clone();
        }
        if let Some(encodings) = &options.encodings {
            capabilities["general"]["positionEncodings"] = json!(
                encodings
                    .iter()
                    .map(|encoding| encoding.name())
                    .collect::<Vec<_>>()
            );
        }
        if options.pull {
            capabilities["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
        }
        let mut params = json!({ "processId": null, "capabilities": capabilities });
        if let Some(root) = &options.root {
            let uri = file_uri(root);
            params["rootUri"] = json!(uri);
            let folders: Vec<Value> = std::iter::once(root)
                .chain(&options.more_folders)
                .map(|folder| json!({ "uri": file_uri(folder), "name": folder.display().to_string() }))
                .collect();
            params["workspaceFolders"] = json!(folders);
        }
        if let Some(initialization_options) = &options.initialization_options {
            params["initializationOptions"] = initialization_options.clone();
        }
        let response = self.request("initialize", params);
        let result = response
            .get("result")
            .cloned()
            .unwrap_or_else(|| panic!("initialize failed: {response}"));
        self.encoding = match result["capabilities"]["positionEncoding"].as_str() {
            Some("utf-8") => Enc::Utf8,
            Some("utf-32") => Enc::Utf32,
            _ => Enc::Utf16,
        };
        self.notify("initialized", json!({}));
        if options.wait_for_scan && options.root.is_some() {
            self.wait_for_scan();
        }
        result
    }

    /// Waits for the end of the first workspace scan (its `$/progress` end).
    pub fn wait_for_scan(&mut self) -> Value {
        self.wait_notification("$/progress", |params| params["value"]["kind"] == "end")
    }

    /// The server-to-client requests of `method` received so far.
    pub fn requests_of(&mut self, method: &str) -> Vec<Value> {
        while let Ok(message) = self.incoming.try_recv() {
            self.stash(message);
        }
        self.server_requests
            .iter()
            .filter(|request| request["method"] == method)
            .cloned()
            .collect()
    }

    /// Waits until the server has sent `count` requests of `method`.
    pub fn wait_requests(&mut self, method: &str, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self.requests_of(method);
            if found.len() >= count {
                return found;
            }
            let message = self.receive(deadline, &format!("{count} {method} requests"));
            self.stash(message);
        }
    }

    /// Writes raw bytes to the server's stdin (for malformed input).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Sends one JSON-RPC message with its header.
    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialize");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        self.send_raw(&framed);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response_to(&json!(id))
    }

    /// Waits for the response with this id.
    pub fn response_to(&mut self, id: &Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline, &format!("a response to request {id}"));
            if message.get("method").is_none() && message.get("id") == Some(id) {
                return message;
            }
            self.stash(message);
        }
    }

    /// A request's `result`, failing the test on an error response.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        match response.get("result") {
            Some(result) => result.clone(),
            None => panic!("{method} failed: {response}\n{}", self.stderr_text()),
        }
    }

    /// Waits for a notification `method` whose params satisfy `accept`.
    pub fn wait_notification(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self
            .pending
            .iter()
            .position(|message| message["method"] == method && accept(&message["params"]))
        {
            return self.pending.remove(index).expect("index")["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline, &format!("a {method} notification"));
            if message["method"] == method
                && message.get("id").is_none()
                && accept(&message["params"])
            {
                return message["params"].clone();
            }
            self.stash(message);
        }
    }

    /// Waits for the diagnostics published for `uri` at `version`.
    pub fn published(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_notification("textDocument/publishDiagnostics", |params| {
            params["uri"] == uri && params["version"] == version
        });
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Notifications received and not yet consumed.
    pub fn pending_notifications(&mut self, method: &str) -> Vec<Value> {
        // Drain whatever already arrived.
        while let Ok(message) = self.incoming.try_recv() {
            self.stash(message);
        }
        self.pending
            .iter()
            .filter(|message| message["method"] == method)
            .map(|m| m["params"].clone())
            .collect()
    }

    /// Removes and returns the notifications of `method` received so far,
    /// in order: [`Self::pending_notifications`] then
    /// [`Self::clear_notifications`] without losing one that arrives between
    /// the two calls.
    pub fn take_notifications(&mut self, method: &str) -> Vec<Value> {
        while let Ok(message) = self.incoming.try_recv() {
            self.stash(message);
        }
        let (taken, kept): (VecDeque<Value>, VecDeque<Value>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|message| message["method"] == method);
        self.pending = kept;
        taken
            .into_iter()
            .map(|message| message["params"].clone())
            .collect()
    }

    /// Forgets the notifications of `method` received so far.
    pub fn clear_notifications(&mut self, method: &str) {
        while let Ok(message) = self.incoming.try_recv() {
            self.stash(message);
        }
        self.pending.retain(|message| message["method"] != method);
    }

    /// Answers server-to-client requests (`workspace/configuration` with
    /// [`LspServer::configuration`], the others with `null`) and records
    /// them; keeps notifications.
    fn stash(&mut self, message: Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let result = if message["method"] == "workspace/configuration" {
                let items = message["params"]["items"].as_array().cloned();
                let answers: Vec<Value> = items
                    .unwrap_or_else(|| vec![Value::Null])
                    .iter()
                    .map(|item| {
                        item["scopeUri"]
                            .as_str()
                            .and_then(|scope| self.scoped_configuration.get(scope))
                            .unwrap_or(&self.configuration)
                            .clone()
                    })
                    .collect();
                json!(answers)
            } else {
                Value::Null
            };
            let reply = json!({ "jsonrpc": "2.0", "id": message["id"], "result": result });
            self.send(&reply);
            self.server_requests.push(message);
        } else if message.get("method").is_some() {
            self.pending.push_back(message);
        }
    }

    fn receive(&mut self, deadline: Instant, what: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "timed out waiting for {what}; server log:\n{}",
                    self.stderr_text()
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.try_wait();
                panic!(
                    "server closed its output ({status:?}) while waiting for {what}; log:\n{}",
                    self.stderr_text()
                )
            }
        }
    }

    /// What the server wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Closes the server's stdin: the end of its input.
    pub fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }

    /// Whether the process is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `shutdown` then `exit`, with stdin left open (the server must not
    /// wait for it to close); returns how the process ended.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert!(
            response.get("error").is_none(),
            "shutdown failed: {response}"
        );
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Waits for the process to end by itself.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit; log:\n{}",
                self.stderr_text()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for LspServer {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads one framed message; `None` at end of stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A `file://` URI for an absolute path (ASCII paths only, as in tests).
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The (line, character) of a byte offset, lines broken at `\n`, `\r\n`
/// and a lone `\r`, as LSP counts them.
pub fn position_of(text: &str, offset: usize, encoding: Enc) -> (u32, u32) {
    let mut line = 0;
    let mut line_start = 0;
    for (index, c) in text.char_indices() {
        if index >= offset {
            break;
        }
        if c == '\n' || c == '\r' && !text[index + 1..].starts_with('\n') {
            line += 1;
            line_start = index + 1;
        }
    }
    let column = text[line_start..offset]
        .chars()
        .map(|c| encoding.width(c))
        .sum();
    (line, column)
}

/// The byte offset of a (line, character); columns past the line's end
/// clamp to it. `None` for a line past the end.
pub fn offset_of(text: &str, line: u32, character: u32, encoding: Enc) -> Option<usize> {
    let mut line_start = 0;
    let mut current = 0;
    let mut chars = text.char_indices().peekable();
    while current < line {
        let (index, c) = chars.next()?;
        if c == '\n' || c == '\r' && !text[index + 1..].starts_with('\n') {
            current += 1;
            line_start = index + 1;
        }
    }
    let mut units = 0;
    for (index, c) in text[line_start..].char_indices() {
        if c == '\n' || c == '\r' || units + encoding.width(c) > character {
            return Some(line_start + index);
        }
        units += encoding.width(c);
    }
    Some(text.len())
}

/// A JSON LSP range for a byte range of `text`.
pub fn lsp_range(text: &str, range: std::ops::Range<usize>, encoding: Enc) -> Value {
    let (start_line, start_character) = position_of(text, range.start, encoding);
    let (end_line, end_character) = position_of(text, range.end, encoding);
    json!({
        "start": { "line": start_line, "character": start_character },
        "end": { "line": end_line, "character": end_character },
    })
}

/// The byte range of a JSON LSP range.
pub fn byte_range(text: &str, range: &Value, encoding: Enc) -> std::ops::Range<usize> {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().expect("line") as u32;
        let character = position["character"].as_u64().expect("character") as u32;
        offset_of(text, line, character, encoding).expect("position inside the text")
    };
    offset(&range["start"])..offset(&range["end"])
}

/// Applies LSP text edits (JSON) to a text, as an editor does: all ranges
/// refer to the original text.
pub fn apply_lsp_edits(text: &str, edits: &[Value], encoding: Enc) -> String {
    let mut resolved: Vec<(std::ops::Range<usize>, String)> = edits
        .iter()
        .map(|edit| {
            (
                byte_range(text, &edit["range"], encoding),
                edit["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    resolved.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::new();
    let mut cursor = 0;
    for (range, new_text) in resolved {
        assert!(range.start >= cursor, "overlapping edits");
        out.push_str(&text[cursor..range.start]);
        out.push_str(&new_text);
        cursor = range.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The text edits for `uri` in a workspace edit (`changes` or
/// `documentChanges`), with the version it names, if any.
pub fn edits_for(edit: &Value, uri: &str) -> (Vec<Value>, Option<i64>) {
    if let Some(changes) = edit.get("changes").and_then(|changes| changes.get(uri)) {
        return (changes.as_array().cloned().unwrap_or_default(), None);
    }
    let mut edits = Vec::new();
    let mut version = None;
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        if change["textDocument"]["uri"] == uri {
            version = change["textDocument"]["version"].as_i64();
            edits.extend(change["edits"].as_array().cloned().unwrap_or_default());
        }
    }
    (edits, version)
}

/// A document as the client holds it: edits are made here and sent to the
/// server as incremental changes.
pub struct ClientDocument {
    pub uri: String,
    pub text: String,
    pub version: i64,
}

impl ClientDocument {
    pub fn open(
        server: &mut LspServer,
        uri: &str,
        language_id: &str,
        text: &str,
    ) -> ClientDocument {
        server.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language_id, "version": 1, "text": text } }),
        );
        ClientDocument {
            uri: uri.to_string(),
            text: text.to_string(),
            version: 1,
        }
    }

    /// Replaces byte ranges (each relative to the text left by the previous
    /// one) and sends them as one `didChange`.
    pub fn edit(&mut self, server: &mut LspServer, edits: &[(std::ops::Range<usize>, &str)]) {
        let mut changes = Vec::new();
        for (range, new_text) in edits {
            changes.push(json!({ "range": lsp_range(&self.text, range.clone(), server.encoding), "text": new_text }));
            self.text.replace_range(range.clone(), new_text);
        }
        self.version += 1;
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": self.uri, "version": self.version }, "contentChanges": changes }),
        );
    }

    /// Applies LSP edits (from a code action) as an editor would: locally
    /// and as incremental changes to the server.
    pub fn apply(&mut self, server: &mut LspServer, edits: &[Value]) {
        let encoding = server.encoding;
        let mut resolved: Vec<(std::ops::Range<usize>, String)> = edits
            .iter()
            .map(|edit| {
                (
                    byte_range(&self.text, &edit["range"], encoding),
                    edit["newText"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        // Send from the end backwards so earlier ranges stay valid.
        resolved.sort_by_key(|(range, _)| std::cmp::Reverse((range.start, range.end)));
        let owned: Vec<(std::ops::Range<usize>, &str)> = resolved
            .iter()
            .map(|(range, text)| (range.clone(), text.as_str()))
            .collect();
        self.edit(server, &owned);
    }

    /// Pulls the diagnostics of this document (pull mode).
    pub fn pull(&self, server: &mut LspServer) -> Vec<Value> {
        let report = server.call(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": self.uri } }),
        );
        assert_eq!(report["kind"], "full", "{report}");
        report["items"].as_array().cloned().unwrap_or_default()
    }

    /// The diagnostics for the current version: pulled or waited for.
    pub fn diagnostics(&self, server: &mut LspServer, pull: bool) -> Vec<Value> {
        if pull {
            self.pull(server)
        } else {
            server.published(&self.uri, self.version)
        }
    }
}
