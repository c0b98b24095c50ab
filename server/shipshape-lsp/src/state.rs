//! The server's shared state: the open documents, the session and the
//! workspace, which the handlers (`server.rs`) and the background workers
//! (`diagnostics`, `workspace`, `publish`, `folders`, `cross_file`) share.
//! It imports no worker and no handler: their functions take an `Inner`.

use std::{
    path::PathBuf,
    sync::{Arc, OnceLock, atomic::AtomicU64},
};

use dashmap::DashMap;
use shipshape_core::{config::FileSettings, project::ProjectContext};
use tower_lsp_server::{
    Client,
    ls_types::{Diagnostic, Uri},
};

use crate::{
    document::{Analysis, Document, Snapshot},
    session::Session,
    settings::Settings,
    workspace_state::WorkspaceState,
};

/// The diagnostics of one document version.
pub struct Computed {
    pub version: i32,
    /// Identifies this result for `previousResultId` in pull requests.
    pub result_id: String,
    /// The file findings' diagnostics, not stamped with `version` (it is
    /// added as they are sent: `convert::Stamped`).
    pub diagnostics: Vec<Arc<Diagnostic>>,
    /// What they were converted from, for the next version's conversion.
    pub basis: crate::convert::Basis,
    /// How many findings were converted rather than reused.
    pub converted: usize,
}

/// State shared by handlers and background workers.
pub struct Inner {
    pub client: Client,
    /// Frames written to the client next to tower-lsp's own messages:
    /// every `publishDiagnostics` goes this way (one path keeps them in
    /// order), serialized once from borrowed diagnostics.
    pub frames: tokio::sync::mpsc::UnboundedSender<Vec<u8>>,
    pub documents: DashMap<Uri, OpenDocument>,
    pub session: OnceLock<Session>,
    /// The projects of the workspace folders, settings, configuration files.
    pub workspace: WorkspaceState,
    pub(crate) next_open_id: AtomicU64,
}

/// An open document and its bookkeeping.
pub struct OpenDocument {
    pub document: Document,
    /// Its file system path, for `file:` documents.
    pub absolute: Option<PathBuf>,
    pub project: Arc<ProjectContext>,
    /// Its resolved configuration (editor settings and configuration files).
    pub settings: Arc<FileSettings>,
    /// Distinguishes this opening from a later one of the same URI.
    pub open_id: u64,
    /// Changed since the worker last took a snapshot (push mode).
    pub dirty: bool,
    /// A worker is checking this document (push mode).
    pub worker_running: bool,
    /// Orders publications of this document against the clearing one of
    /// `didClose`.
    pub publisher: Arc<tokio::sync::Mutex<Publisher>>,
    /// The latest diagnostics computed, possibly for an older version.
    pub last: Option<Arc<Computed>>,
}

/// What a document's new check replaced (see [`Inner::accept`]): its last
/// diagnostics and check.
pub type Replaced = (
    Option<Arc<Computed>>,
    Option<Arc<shipshape_core::incremental::PreviousCheck>>,
);

#[derive(Default)]
pub struct Publisher {
    pub closed: bool,
    /// The version and body of the last publication: the same
    /// diagnostics are not published twice (the document's worker and the
    /// workspace's may both publish a version).
    pub last: Option<(i32, Vec<u8>)>,
    /// The JSON of the diagnostics it sent.
    pub encoded: crate::convert::Encodings,
}

impl OpenDocument {
    pub fn snapshot(&self) -> Snapshot {
        self.document
            .snapshot(Arc::clone(&self.project))
            .with_settings(Arc::clone(&self.settings))
    }
}

impl Inner {
    /// The workspace roots settled at `initialize`.
    pub fn session_roots(&self) -> Vec<PathBuf> {
        self.session.get().map(Session::roots).unwrap_or_default()
    }

    /// The settings that apply to the file at `path` (absolute): those of
    /// its workspace folder, else the workspace's.
    pub fn settings_for(&self, path: &std::path::Path) -> Arc<Settings> {
        let folder = self.session.get().and_then(|session| session.root_of(path));
        self.workspace.settings_of(folder.as_deref())
    }

    /// The file system paths and texts of the open documents.
    pub fn open_texts(&self) -> Vec<(PathBuf, Arc<String>)> {
        self.documents
            .iter()
            .filter_map(|open| Some((open.absolute.clone()?, open.document.shared_text())))
            .collect()
    }

    /// The text of the open document at `path`, if one is open.
    pub fn open_text(&self, path: &std::path::Path) -> Option<Arc<String>> {
        self.documents
            .iter()
            .find(|open| open.absolute.as_deref() == Some(path))
            .map(|open| open.document.shared_text())
    }

    /// The tree and check of the open document at `path` when they were
    /// made from `text` (see [`crate::document::Document::checked`]): the
    /// model takes them instead of parsing the text and deriving its module
    /// facts again.
    #[allow(clippy::type_complexity)]
    pub fn checked_parts(
        &self,
        path: &std::path::Path,
        text: &Arc<String>,
    ) -> Option<(
        shipshape_core::FileKind,
        tree_sitter::Tree,
        Option<Arc<shipshape_core::incremental::PreviousCheck>>,
    )> {
        let open = self
            .documents
            .iter()
            .find(|open| open.absolute.as_deref() == Some(path))?;
        let own = open.document.shared_text();
        if !(Arc::ptr_eq(&own, text) || own.as_str() == text.as_str()) {
            return None;
        }
        open.document.checked()
    }

    /// The URI of the open document at `path`, if one is open.
    pub fn open_uri(&self, path: &std::path::Path) -> Option<Uri> {
        self.documents
            .iter()
            .find(|open| open.absolute.as_deref() == Some(path))
            .map(|open| open.key().clone())
    }

    /// Records what a check found if the document is still at the checked
    /// version; returns, if it was, what this check replaced. Dropping that
    /// frees a file's worth of diagnostics: the caller does it after
    /// publishing, off the path from keystroke to squiggle.
    pub fn accept(
        &self,
        uri: &Uri,
        open_id: u64,
        analysis: &Analysis,
        computed: &Arc<Computed>,
    ) -> Option<Replaced> {
        match self.documents.get_mut(uri) {
            Some(mut open)
                if open.open_id == open_id && open.document.version() == analysis.version =>
            {
                let previous = open.document.accept(analysis);
                let last = open.last.replace(Arc::clone(computed));
                Some((last, previous))
            }
            _ => None,
        }
    }
}
