//! The workspace part of the server's state (`WorkspaceState`, held by
//! `crate::state::Inner`): the project model, the queue of changes to it,
//! the settings of the workspace and of each folder, and what was last
//! published. Data only: the functions that feed the model and publish what
//! it finds are `crate::workspace`'s and `crate::publish`'s, above the
//! state.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    path::{Path, PathBuf},
    sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard},
};

use serde_json::Value as Json;
use shipshape_core::{
    Finding,
    config::{ConfigLoader, FileSettings},
    workspace::Workspace,
};
use tower_lsp_server::ls_types::DiagnosticRelatedInformation;

use crate::{convert::OtherFileData, settings::Settings};

/// Where a queued change takes a file's text from.
#[derive(Clone, Debug)]
pub enum Source {
    /// An open document's text.
    Text(Arc<String>),
    /// The file on disk (changed, created or deleted there, or closed in
    /// the editor).
    Disk,
}

#[derive(Default)]
pub(crate) struct Queue {
    pub(crate) changes: BTreeMap<PathBuf, Source>,
    /// Files to publish after the next batch even if their findings did not
    /// change (a document just closed shows its project findings again).
    pub(crate) force: BTreeSet<PathBuf>,
    /// The first scan is done: changes can be applied.
    pub(crate) ready: bool,
    /// When a document was last typed in (`didChange`).
    pub(crate) typed_at: Option<tokio::time::Instant>,
    pub(crate) running: bool,
}

/// The workspace part of the server's state.
#[derive(Default)]
pub struct WorkspaceState {
    /// The model. Written only by the queue's worker; readers never wait
    /// for each other, and an open document's diagnostics never wait for
    /// the writer (they use the last snapshot then).
    pub(crate) model: RwLock<Option<Workspace>>,
    pub(crate) queue: Mutex<Queue>,
    /// Configuration files, cached; invalidated when one changes.
    pub loader: ConfigLoader,
    pub(crate) settings: RwLock<Arc<Settings>>,
    /// The settings of each workspace folder, where the client gives them
    /// (`workspace/configuration` with a `scopeUri`).
    pub folders: FolderSettings,
    /// Unopened files with published, non-empty diagnostics (push mode).
    pub(crate) published: Mutex<BTreeSet<PathBuf>>,
    /// The project findings last composed into each open document.
    pub(crate) snapshots: Mutex<HashMap<PathBuf, Arc<ProjectSnapshot>>>,
    /// Open documents whose diagnostics went out with an older snapshot
    /// (or none) because the model was being written: the worker publishes
    /// them again (or asks for a refresh) once it is done.
    pub(crate) stale: Mutex<BTreeSet<PathBuf>>,
    /// User rule files (`.scm`) with published errors.
    pub(crate) rule_errors: Mutex<BTreeSet<PathBuf>>,
}

/// The settings each workspace folder has of its own.
#[derive(Default)]
pub struct FolderSettings {
    by_folder: RwLock<HashMap<PathBuf, Arc<Settings>>>,
}

impl FolderSettings {
    /// The settings of the workspace folder `folder`, if it has its own.
    pub fn get(&self, folder: &Path) -> Option<Arc<Settings>> {
        self.by_folder
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(folder)
            .cloned()
    }

    pub(crate) fn replace(&self, by_folder: HashMap<PathBuf, Arc<Settings>>) {
        *self
            .by_folder
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = by_folder;
    }

    pub(crate) fn remove(&self, folder: &Path) {
        self.by_folder
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(folder);
    }
}

/// The project findings of one file as the model last gave them, with the
/// text they point into: an open document's diagnostics use them, shifted
/// over the edits since, while the model is busy taking in a newer text.
#[derive(Default)]
pub struct ProjectSnapshot {
    /// Empty when there are no findings: nothing is shifted then.
    pub(crate) text: String,
    /// Each finding, the changes its fix makes to other files and the
    /// places in other files it concerns.
    pub(crate) findings: Vec<(
        Finding,
        Vec<OtherFileData>,
        Vec<DiagnosticRelatedInformation>,
    )>,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A read of the model unless it is being written right now.
pub(crate) fn try_read<T>(lock: &RwLock<T>) -> Option<RwLockReadGuard<'_, T>> {
    match lock.try_read() {
        Ok(guard) => Some(guard),
        Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

impl WorkspaceState {
    pub fn settings(&self) -> Arc<Settings> {
        Arc::clone(
            &self
                .settings
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    pub fn set_settings(&self, settings: Settings) {
        *self
            .settings
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(settings);
    }

    /// The settings of the workspace folder `folder`: its own, else the
    /// workspace's.
    pub fn settings_of(&self, folder: Option<&Path>) -> Arc<Settings> {
        folder
            .and_then(|folder| self.folders.get(folder))
            .unwrap_or_else(|| self.settings())
    }

    /// The resolved configuration of the file at `path` (absolute) in the
    /// workspace folder `folder`, under that folder's settings.
    pub fn file_settings(&self, folder: Option<&Path>, path: &Path) -> FileSettings {
        self.settings_of(folder)
            .file_settings(&self.loader, folder, path)
    }

    /// Parses and keeps the editor's settings; problems are logged, never
    /// fatal.
    pub fn apply_settings(&self, value: &Json) {
        let (settings, problems) = Settings::from_json(value);
        for problem in problems {
            tracing::warn!("settings: {problem}");
        }
        tracing::info!(?settings, "settings");
        self.set_settings(settings);
    }
}
