//! The projects of the editor's workspace folders, kept in step with open
//! documents and files on disk, and their findings reported in every
//! affected file, open or not.
//!
//! The model is `shipshape_core::workspace::Workspace`; this module
//! only feeds it changes and turns what it returns into LSP messages:
//!
//! - at `initialized` the first scan runs on a blocking thread, reported as
//!   work-done progress; changes that arrive meanwhile wait in the queue;
//! - every change (an open document's new text, a save, a file changed on
//!   disk, a close) goes into one queue keyed by path (the latest text
//!   wins); one worker at a time applies the queued changes, which re-runs
//!   only the project rules reading what changed, then publishes the files
//!   whose findings changed (push) or asks the client to pull again;
//! - an open document shows its file findings and the project findings in
//!   it together, the latter only when the model holds exactly the text the
//!   file findings were computed on (otherwise the next publication brings
//!   them).

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    path::{Path, PathBuf},
    sync::Arc,
};

use ropey::Rope;
use serde_json::Value as Json;
use shipshape_core::{
    text::{Encoding, LineIndex},
    workspace::Workspace,
};
use tower_lsp_server::ls_types::{
    Diagnostic, DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    FileSystemWatcher, GlobPattern, NumberOrString, Registration, Uri,
};

use crate::{
    blocking::blocking,
    convert,
    publish::{
        project_diagnostics, project_part_blocking, publish_document, send_diagnostics, uri_of,
    },
    session::file_path,
    settings::Scope,
    state::Inner,
    workspace_state::{Source, lock, read, write},
};

/// The globs of the files the project model reads, watched on the client's
/// side (registered when the client allows dynamic registration).
pub const WATCHED: [&str; 19] = [
    "**/*.py",
    "**/Dockerfile*",
    "**/*.Dockerfile",
    "**/{compose,docker-compose}*.{yml,yaml}",
    "**/.env*",
    "**/requirements*.txt",
    "**/pyproject.toml",
    "**/shipshape.toml",
    "**/.shipshape.toml",
    "**/.gitignore",
    "**/.dockerignore",
    "**/railway.{json,toml}",
    "**/fly.toml",
    "**/Procfile",
    "**/.github/workflows/*",
    "**/{uv,poetry,Pipfile,pdm}.lock",
    "**/.python-version",
    "**/alembic.ini",
    // User rules (`rule-paths`): a change reloads them.
    "**/*.scm",
];

/// The names of configuration files: a change re-reads the configuration
/// of every file.
const CONFIG_FILES: [&str; 3] = ["pyproject.toml", "shipshape.toml", ".shipshape.toml"];

/// What changed after a batch.
enum Changed {
    Files(BTreeSet<PathBuf>),
    /// Configuration files changed, or a project root appeared: everything.
    All,
}

/// Queues a change of the file at `path` (absolute) and makes sure a worker
/// applies it. Bursts coalesce: the latest text of a path wins, and one
/// worker applies everything queued while it was busy in one batch.
pub fn enqueue(inner: &Arc<Inner>, path: PathBuf, source: Source) {
    if let Source::Text(text) = &source
        && text.len() > crate::document::MAX_ANALYZED_BYTES
    {
        // Not checked as a document either: the model keeps the disk's text.
        return;
    }
    let start = {
        let mut queue = lock(&inner.workspace.queue);
        queue.changes.insert(path, source);
        queue.ready && !std::mem::replace(&mut queue.running, true)
    };
    if start {
        tokio::spawn(worker(Arc::clone(inner)));
    }
}

/// How long the model waits after the last keystroke in any document
/// before it takes in the typed texts: a burst of typing costs one model
/// update, not one per key. Meanwhile each document's diagnostics carry its
/// project findings shifted over the edits (see [`project_diagnostics`]).
const TYPING_QUIET: std::time::Duration = std::time::Duration::from_millis(250);

/// [`enqueue`] for a document's new text after an edit: applied once the
/// typing pauses for [`TYPING_QUIET`].
pub fn enqueue_edit(inner: &Arc<Inner>, path: PathBuf, text: Arc<String>) {
    lock(&inner.workspace.queue).typed_at = Some(tokio::time::Instant::now());
    enqueue(inner, path, Source::Text(text));
}

/// Like [`enqueue`] for a document just closed: the file's text is read
/// from disk again and its project findings are published as for any
/// unopened file.
pub fn closed(inner: &Arc<Inner>, path: PathBuf) {
    lock(&inner.workspace.snapshots).remove(&path);
    lock(&inner.workspace.queue).force.insert(path.clone());
    enqueue(inner, path, Source::Disk);
}

async fn worker(inner: Arc<Inner>) {
    loop {
        let typed_at = lock(&inner.workspace.queue).typed_at;
        if let Some(typed_at) = typed_at
            && tokio::time::Instant::now() < typed_at + TYPING_QUIET
        {
            tokio::time::sleep_until(typed_at + TYPING_QUIET).await;
            continue;
        }
        let (batch, force) = {
            let mut queue = lock(&inner.workspace.queue);
            if queue.changes.is_empty() && queue.force.is_empty() {
                queue.running = false;
                return;
            }
            let batch = std::mem::take(&mut queue.changes);
            (batch, std::mem::take(&mut queue.force))
        };
        // Open documents of the batch are published whatever changed: their
        // last publication may have gone out without project findings.
        let open: Vec<PathBuf> = batch
            .iter()
            .filter(|(_, source)| matches!(source, Source::Text(_)))
            .map(|(path, _)| path.clone())
            .collect();
        tracing::info!(changes = batch.len(), "applying changes to the workspace");
        let task_inner = Arc::clone(&inner);
        let changed = blocking("updating the workspace", move || apply(&task_inner, batch))
            .await
            .unwrap_or(Changed::All);
        // Documents whose diagnostics went out while the model was being
        // written (taken after the write lock is released: see
        // `project_diagnostics`).
        let stale = std::mem::take(&mut *lock(&inner.workspace.stale));
        crate::status::findings_changed(&inner.client).await;
        // Pull clients re-pull the documents they change themselves: a
        // refresh only when project findings changed, or were answered
        // from an older snapshot.
        let pull = inner
            .session
            .get()
            .is_some_and(|session| session.pull_diagnostics);
        let changed = match changed {
            Changed::Files(files) if pull && files.is_empty() && stale.is_empty() => continue,
            Changed::Files(mut files) => {
                files.extend(force);
                files.extend(open);
                files.extend(stale);
                Changed::Files(files)
            }
            Changed::All => Changed::All,
        };
        publish(&inner, changed).await;
    }
}

/// Applies a batch of changes to the model (CPU and disk work: on a
/// blocking thread).
fn apply(inner: &Arc<Inner>, batch: BTreeMap<PathBuf, Source>) -> Changed {
    let state = &inner.workspace;
    let mut model = write(&state.model);
    let Some(workspace) = model.as_mut() else {
        return Changed::All;
    };
    // A project root appeared or went away (a manifest created or deleted,
    // in a folder of the batch): which project a file belongs to changed,
    // so the workspace is read again, once, from disk and the open
    // documents. Applying the batch file by file would leave files in a
    // project that no longer exists.
    if batch.keys().any(|path| workspace.roots_changed(path)) {
        tracing::info!("project roots changed: reloading the workspace");
        state.loader.invalidate();
        *workspace = Workspace::load(&inner.session_roots());
        for (open_path, open_text) in inner.open_texts() {
            workspace.update_file(&open_path, &open_text);
        }
        return Changed::All;
    }
    let mut everything = false;
    let mut changes = Vec::with_capacity(batch.len());
    let mut parts = Vec::with_capacity(batch.len());
    for (path, source) in batch {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        // A user rule file (`rule-paths`) changed: the configuration is
        // read again, which reloads its rules (unchanged ones are reused,
        // see `shipshape_core::user_rules`), and every file is re-checked.
        let user_rule = path.extension().is_some_and(|ext| ext == "scm");
        if CONFIG_FILES.contains(&name) || user_rule {
            state.loader.invalidate();
            everything = true;
        }
        if user_rule {
            continue;
        }
        let (text, part) = match source {
            // The document's own tree and module facts, when it was checked
            // at this text: not parsed and derived again.
            Source::Text(text) => (
                Some(text.as_ref().clone()),
                inner.checked_parts(&path, &text),
            ),
            // An open document's text is the editor's, whatever the disk
            // says (a branch switch deleting and writing it again).
            Source::Disk => (
                inner
                    .open_text(&path)
                    .map(|text| text.as_ref().clone())
                    .or_else(|| std::fs::read_to_string(&path).ok()),
                None,
            ),
        };
        parts.push(part);
        changes.push((path, text));
    }
    // One re-check per project for the whole batch.
    let affected: BTreeSet<PathBuf> = workspace
        .apply_parsed(changes.into_iter().zip(&parts).map(|((path, text), part)| {
            let parsed =
                part.as_ref()
                    .map(|(kind, tree, previous)| shipshape_core::workspace::Parsed {
                        kind: *kind,
                        tree,
                        module: previous.as_deref().map(|previous| previous.module()),
                    });
            (path, text, parsed)
        }))
        .into_iter()
        .collect();
    if everything {
        Changed::All
    } else {
        Changed::Files(affected)
    }
}

/// Tells the client about changed findings: publishes them (push), or asks
/// it to pull again (pull, when it supports the refresh).
async fn publish(inner: &Arc<Inner>, changed: Changed) {
    let Some(session) = inner.session.get() else {
        return;
    };
    if matches!(changed, Changed::All) {
        refresh_open_documents(inner);
        let (task_inner, encoding) = (Arc::clone(inner), session.encoding);
        blocking("publishing user rule errors", move || {
            publish_rule_errors(&task_inner, encoding)
        })
        .await;
    }
    if session.pull_diagnostics {
        if session.diagnostic_refresh
            && let Err(error) = inner.client.workspace_diagnostic_refresh().await
        {
            tracing::debug!("workspace/diagnostic/refresh failed: {error}");
        }
        return;
    }
    let files = match changed {
        Changed::Files(files) => files,
        Changed::All => all_files(inner),
    };
    for path in files {
        publish_file(inner, &path).await;
    }
}

/// Publishes the errors of the user rules of the configuration files in
/// use (every workspace root's and every open document's), as
/// `invalid-config` diagnostics on each broken rule file, logs each, and
/// clears the diagnostics of rule files that are no longer broken. Pushed
/// in pull mode too: a rule file is never a document shipshape checks, so
/// no pull result can duplicate them.
fn publish_rule_errors(inner: &Inner, encoding: Encoding) {
    let state = &inner.workspace;
    for root in inner.session_roots() {
        state.loader.nearest(&root);
    }
    let mut by_file: BTreeMap<PathBuf, Vec<shipshape_core::user_rules::UserRuleError>> =
        BTreeMap::new();
    for config in state.loader.loaded() {
        let Some(layer) = &config.layer else { continue };
        for error in layer.user_rules.errors() {
            let errors = by_file.entry(error.path.clone()).or_default();
            if !errors.contains(error) {
                errors.push(error.clone());
            }
        }
    }
    let mut published = lock(&state.rule_errors);
    for gone in published.iter().filter(|path| !by_file.contains_key(*path)) {
        if let Some(uri) = uri_of(gone) {
            send_diagnostics(inner, &uri, &[], None);
        }
    }
    for (path, errors) in &by_file {
        let Some(uri) = uri_of(path) else { continue };
        let Some(text) = errors.first().map(|error| error.text.clone()) else {
            continue;
        };
        let rope = Rope::from_str(&text);
        let index = LineIndex::new(&rope);
        let diagnostics: Vec<Diagnostic> = errors
            .iter()
            .filter_map(|error| {
                tracing::warn!("user rule not loaded: {error}");
                let finding = error.finding()?;
                Some(convert::diagnostic(&index, &finding, encoding))
            })
            .collect();
        send_diagnostics(inner, &uri, &[&diagnostics], None);
    }
    *published = by_file.into_keys().collect();
}

/// Every file that has or had project findings, and every open document.
fn all_files(inner: &Inner) -> BTreeSet<PathBuf> {
    let mut files = read(&inner.workspace.model)
        .as_ref()
        .map(Workspace::files_with_findings)
        .unwrap_or_default();
    files.extend(lock(&inner.workspace.published).iter().cloned());
    files.extend(inner.open_texts().into_iter().map(|(path, _)| path));
    files
}

/// Re-resolves the configuration of every open document and checks it
/// again (after the settings or a configuration file changed).
pub fn refresh_open_documents(inner: &Arc<Inner>) {
    let Some(session) = inner.session.get() else {
        return;
    };
    let uris: Vec<Uri> = inner
        .documents
        .iter()
        .map(|entry| entry.key().clone())
        .collect();
    for uri in uris {
        if let Some(mut open) = inner.documents.get_mut(&uri) {
            let settings = match &open.absolute {
                Some(path) => inner
                    .workspace
                    .file_settings(session.root_of(path).as_deref(), path),
                None => inner.workspace.file_settings(None, open.document.path()),
            };
            open.settings = Arc::new(settings);
            // The last result was computed under the old settings.
            open.last = None;
        }
        if !session.pull_diagnostics {
            crate::diagnostics::schedule(inner, &uri);
        }
    }
}

/// Publishes the diagnostics of one file (push mode): an open document's
/// file and project findings, or an unopened file's project findings.
pub async fn publish_file(inner: &Arc<Inner>, path: &Path) {
    if let Some(uri) = inner.open_uri(path) {
        publish_open(inner, &uri).await;
        return;
    }
    let settings = inner.settings_for(path);
    let diagnostics = if settings.enable && settings.scope == Scope::Workspace {
        let (task_inner, task_path) = (Arc::clone(inner), path.to_path_buf());
        blocking("project diagnostics", move || {
            project_diagnostics(&task_inner, &task_path, None, 0).unwrap_or_default()
        })
        .await
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let was_published = {
        let mut published = lock(&inner.workspace.published);
        if diagnostics.is_empty() {
            published.remove(path)
        } else {
            !published.insert(path.to_path_buf())
        }
    };
    if diagnostics.is_empty() && !was_published {
        return;
    }
    if let Some(uri) = uri_of(path) {
        send_diagnostics(inner, &uri, &[&diagnostics], None);
    }
}

/// Publishes an open document's diagnostics again if its last check is for
/// its current version (else its worker is about to publish).
async fn publish_open(inner: &Arc<Inner>, uri: &Uri) {
    let Some((publisher, computed)) = inner.documents.get(uri).and_then(|open| {
        let last = open.last.clone()?;
        (last.version == open.document.version()).then(|| (Arc::clone(&open.publisher), last))
    }) else {
        return;
    };
    let mut publisher = publisher.lock().await;
    if publisher.closed {
        return;
    }
    let project = project_part_blocking(inner, uri, &computed).await;
    publish_document(
        inner,
        &mut publisher,
        uri,
        &computed,
        project.as_deref(),
        computed.version,
    );
}

/// The unopened files' reports for `workspace/diagnostic`: every file with
/// project findings, and every file the client holds a result for (so that
/// findings that went away are cleared), as (path, diagnostics).
pub fn unopened_reports(inner: &Inner, previous: &[PathBuf]) -> Vec<(PathBuf, Vec<Diagnostic>)> {
    let mut files: BTreeSet<PathBuf> = read(&inner.workspace.model)
        .as_ref()
        .map(Workspace::files_with_findings)
        .unwrap_or_default();
    files.extend(previous.iter().cloned());
    let open: BTreeSet<PathBuf> = inner
        .open_texts()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    files
        .into_iter()
        .filter(|path| !open.contains(path))
        .map(|path| {
            let settings = inner.settings_for(&path);
            let diagnostics = if settings.enable && settings.scope == Scope::Workspace {
                project_diagnostics(inner, &path, None, 0).unwrap_or_default()
            } else {
                Vec::new()
            };
            (path, diagnostics)
        })
        .collect()
}

/// The first steps after `initialized`, off the protocol loop: the client's
/// settings, file watchers, then the first scan with progress.
pub async fn start(inner: Arc<Inner>) {
    let Some(session) = inner.session.get() else {
        return;
    };
    if session.configuration {
        crate::folders::pull_configuration(&inner).await;
    }
    if session.watch_files {
        register_watchers(&inner).await;
    }
    let folders = session.roots();
    let progress = if session.work_done_progress && !folders.is_empty() {
        let token = NumberOrString::String("shipshape/scan".to_string());
        match inner.client.create_work_done_progress(token.clone()).await {
            Ok(()) => Some(
                inner
                    .client
                    .progress(token, "shipshape")
                    .with_message("Reading the workspace")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            Err(error) => {
                tracing::debug!("no progress: {error}");
                None
            }
        }
    } else {
        None
    };
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(usize, usize, PathBuf)>();
    let started = std::time::Instant::now();
    let scanned_folders = folders.clone();
    let scan = blocking("scanning the workspace", move || {
        Workspace::load_with_progress(&folders, &mut |done, total, root| {
            let _ = sender.send((done, total, root.to_path_buf()));
        })
    });
    tokio::pin!(scan);
    let workspace = loop {
        tokio::select! {
            workspace = &mut scan => break workspace,
            Some((done, total, root)) = receiver.recv() => {
                if let Some(progress) = &progress {
                    let name = root.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
                    let percentage = (done * 100 / total.max(1)) as u32;
                    progress.report_with_message(format!("{done}/{total} projects ({name})"), percentage).await;
                }
            }
        }
    };
    let workspace = workspace.unwrap_or_default();
    let projects = workspace.roots().count();
    tracing::info!(projects, elapsed = ?started.elapsed(), "workspace scanned");
    // In place before the progress ends: a document opened once the client
    // saw the end gets its project findings with its first diagnostics.
    {
        let mut model = write(&inner.workspace.model);
        let mut workspace = workspace;
        // Folders added or removed during the scan (`change_folders` had
        // no model to change then).
        let now = session.roots();
        for gone in scanned_folders
            .iter()
            .filter(|folder| !now.contains(folder))
        {
            workspace.remove_folder(gone, &now);
        }
        for new in now
            .iter()
            .filter(|folder| !scanned_folders.contains(folder))
        {
            workspace.add_folder(new);
        }
        *model = Some(workspace);
    }
    if let Some(progress) = progress {
        progress
            .finish_with_message(format!("{projects} projects read"))
            .await;
    }
    // Open documents override the files on disk.
    let open = inner.open_texts();
    let start = {
        let mut queue = lock(&inner.workspace.queue);
        for (path, text) in open {
            queue.changes.insert(path, Source::Text(text));
        }
        queue.ready = true;
        !std::mem::replace(&mut queue.running, true)
    };
    publish(&inner, Changed::All).await;
    crate::status::findings_changed(&inner.client).await;
    if start {
        tokio::spawn(worker(Arc::clone(&inner)));
    }
}

/// The files the project model reads in a folder above its root (see
/// `shipshape_core::project::is_outer_input`), as a glob in that folder.
const OUTER_FILES: &str = "{uv.lock,pyproject.toml,.gitignore,.env*,example.env,sample.env,.gitlab-ci.yml,.travis.yml,azure-pipelines.yml,bitbucket-pipelines.yml,Jenkinsfile}";

/// The CI files the model reads at the repository's root, when that is
/// above a workspace folder.
const OUTER_CI: [&str; 2] = [".github/workflows/*", ".circleci/config.yml"];

/// The folders above the workspace `folders` whose files the project
/// models read (up to each folder's repository root, none outside a
/// repository), with whether each is a repository's root: string globs
/// are relative to the workspace folders, so these need watchers of their
/// own. Folders inside a workspace folder are watched already.
pub fn outer_watch_folders(folders: &[PathBuf]) -> Vec<(PathBuf, bool)> {
    let mut found: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for folder in folders {
        if folder.join(".git").exists() {
            continue;
        }
        let mut above = Vec::new();
        for dir in folder.ancestors().skip(1) {
            let repository = dir.join(".git").exists();
            above.push((dir.to_path_buf(), repository));
            if repository {
                found.extend(
                    above
                        .drain(..)
                        .filter(|(dir, _)| !folders.iter().any(|other| dir.starts_with(other))),
                );
                break;
            }
        }
    }
    found.into_iter().collect()
}

/// The id of the registration of the file watchers.
const WATCHERS_ID: &str = "shipshape/watched-files";

async fn register_watchers(inner: &Inner) {
    let mut watchers: Vec<FileSystemWatcher> = WATCHED
        .iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_string()),
            kind: None,
        })
        .collect();
    if inner
        .session
        .get()
        .is_some_and(|session| session.watch_relative)
    {
        for (dir, repository) in outer_watch_folders(&inner.session_roots()) {
            let Some(uri) = uri_of(&dir) else {
                continue;
            };
            let mut patterns = vec![OUTER_FILES];
            if repository {
                patterns.extend(OUTER_CI);
            }
            watchers.extend(patterns.into_iter().map(|pattern| FileSystemWatcher {
                glob_pattern: GlobPattern::Relative(tower_lsp_server::ls_types::RelativePattern {
                    base_uri: tower_lsp_server::ls_types::OneOf::Right(uri.clone()),
                    pattern: pattern.to_string(),
                }),
                kind: None,
            }));
        }
    }
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: WATCHERS_ID.to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    if let Err(error) = inner.client.register_capability(vec![registration]).await {
        tracing::warn!("registering file watchers failed: {error}");
    }
}

/// Workspace folders added and removed: the session's roots change, the
/// settings are pulled again, the new folders' projects are loaded and the
/// removed ones' forgotten, then every file is published or refreshed (the
/// removed folders' files with no diagnostics).
pub async fn folders_changed(inner: Arc<Inner>, params: DidChangeWorkspaceFoldersParams) {
    let Some(session) = inner.session.get() else {
        return;
    };
    let paths = |folders: &[tower_lsp_server::ls_types::WorkspaceFolder]| -> Vec<PathBuf> {
        folders
            .iter()
            .filter_map(|folder| file_path(&folder.uri))
            .collect()
    };
    let added = paths(&params.event.added);
    let removed = paths(&params.event.removed);
    tracing::info!(?added, ?removed, "workspace folders changed");
    let roots = session.change_roots(&added, &removed);
    for folder in &removed {
        inner.workspace.folders.remove(folder);
    }
    if session.configuration {
        crate::folders::pull_configuration(&inner).await;
    }
    let task_inner = Arc::clone(&inner);
    blocking("changing workspace folders", move || {
        change_folders(&task_inner, &added, &removed, &roots)
    })
    .await;
    // The folders above the workspace folders to watch may have changed.
    if session.watch_files && session.watch_relative {
        let unregistration = tower_lsp_server::ls_types::Unregistration {
            id: WATCHERS_ID.to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
        };
        if let Err(error) = inner
            .client
            .unregister_capability(vec![unregistration])
            .await
        {
            tracing::debug!("unregistering file watchers failed: {error}");
        }
        register_watchers(&inner).await;
    }
    settings_changed(&inner).await;
}

/// Loads the projects of workspace folders just added and forgets those of
/// folders removed (`roots`: the folders now). Open documents of the new
/// folders override their files on disk. Before the first scan is done
/// there is nothing to change: the scan reads the session's roots.
fn change_folders(inner: &Inner, added: &[PathBuf], removed: &[PathBuf], roots: &[PathBuf]) {
    let mut model = write(&inner.workspace.model);
    let Some(workspace) = model.as_mut() else {
        return;
    };
    for folder in removed {
        workspace.remove_folder(folder, roots);
    }
    for folder in added {
        workspace.add_folder(folder);
    }
    for (path, text) in inner.open_texts() {
        if added.iter().any(|folder| path.starts_with(folder)) {
            workspace.update_file(&path, &text);
        }
    }
}

/// The settings changed: check open documents again and publish or
/// refresh everything.
pub async fn settings_changed(inner: &Arc<Inner>) {
    publish(inner, Changed::All).await;
    crate::status::findings_changed(&inner.client).await;
}

/// The readiness report of the workspace (CPU work: run on a blocking
/// thread): `{ "markdown": ..., "html": ..., "score": N }` (the HTML page
/// has the score gauge and category bars an editor shows in a webview).
pub fn report(inner: &Inner) -> Json {
    let Some(session) = inner.session.get() else {
        return Json::Null;
    };
    // Open documents' texts are already in the model. Asked before the
    // first scan is done, the report scans the folders itself rather than
    // score an empty workspace.
    let model = read(&inner.workspace.model);
    let fallback;
    let workspace = match model.as_ref() {
        Some(workspace) => workspace,
        None => {
            fallback = Workspace::load(&inner.session_roots());
            &fallback
        }
    };
    let roots = session.roots();
    let base = roots.iter().min_by_key(|root| root.components().count());
    let name = base
        .and_then(|base| base.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".to_string());
    let report = workspace.report(
        &name,
        base.map(PathBuf::as_path).unwrap_or(Path::new("/")),
        &|path| {
            inner
                .workspace
                .file_settings(session.root_of(path).as_deref(), path)
        },
    );
    serde_json::json!({
        "markdown": shipshape_core::report::markdown(&report),
        "html": shipshape_core::report::html(&report),
        "score": report.score,
    })
}

/// Previous result ids by path.
pub fn previous_ids(
    previous: Vec<tower_lsp_server::ls_types::PreviousResultId>,
) -> HashMap<PathBuf, String> {
    previous
        .into_iter()
        .filter_map(|previous| Some((file_path(&previous.uri)?, previous.value)))
        .collect()
}
