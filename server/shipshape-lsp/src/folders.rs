//! Workspace folders: the settings of each one, pulled with
//! `workspace/configuration` and a `scopeUri` per folder (a folder's
//! `.vscode/settings.json` applies to its files only), and folders added or
//! removed while the server runs (`workspace/didChangeWorkspaceFolders`): a
//! folder added is scanned and its findings appear, a folder removed has
//! its findings cleared.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeWorkspaceFoldersParams, Uri};

use crate::{blocking::blocking, session::file_path, settings::Settings, state::Inner, workspace};

/// The settings section the server reads.
const SECTION: &str = "shipshape";

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

    fn replace(&self, by_folder: HashMap<PathBuf, Arc<Settings>>) {
        *self
            .by_folder
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = by_folder;
    }

    fn remove(&self, folder: &Path) {
        self.by_folder
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(folder);
    }
}

/// Asks the client for the `shipshape` section: once without a scope (the
/// workspace's settings; a `null` answer keeps what
/// `initializationOptions` said) and once per workspace folder with its
/// URI as `scopeUri` (a `null` answer: the workspace's settings apply).
pub async fn pull_configuration(inner: &Inner) {
    let Some(session) = inner.session.get() else {
        return;
    };
    let roots: Vec<(PathBuf, Uri)> = session
        .roots()
        .into_iter()
        .filter_map(|root| {
            let uri = Uri::from_file_path(&root)?;
            Some((root, uri))
        })
        .collect();
    let items = std::iter::once(None)
        .chain(roots.iter().map(|(_, uri)| Some(uri.clone())))
        .map(|scope_uri| ConfigurationItem {
            scope_uri,
            section: Some(SECTION.to_string()),
        })
        .collect();
    let values = match inner.client.configuration(items).await {
        Ok(values) => values,
        Err(error) => {
            tracing::debug!("workspace/configuration failed: {error}");
            return;
        }
    };
    let mut values = values.into_iter();
    if let Some(workspace_wide) = values.next()
        && !workspace_wide.is_null()
    {
        workspace::apply_settings(inner, &workspace_wide);
    }
    let mut by_folder = HashMap::new();
    for ((root, _), value) in roots.into_iter().zip(values) {
        if value.is_null() {
            continue;
        }
        let (settings, problems) = Settings::from_json(&value);
        for problem in problems {
            tracing::warn!(folder = %root.display(), "settings: {problem}");
        }
        tracing::info!(folder = %root.display(), ?settings, "folder settings");
        by_folder.insert(root, Arc::new(settings));
    }
    inner.workspace.folders.replace(by_folder);
}

/// Workspace folders added and removed: the session's roots change, the
/// settings are pulled again, the new folders' projects are loaded and the
/// removed ones' forgotten, then every file is published or refreshed (the
/// removed folders' files with no diagnostics).
pub async fn change_folders(inner: Arc<Inner>, params: DidChangeWorkspaceFoldersParams) {
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
        pull_configuration(&inner).await;
    }
    let task_inner = Arc::clone(&inner);
    blocking("changing workspace folders", move || {
        workspace::change_folders(&task_inner, &added, &removed, &roots)
    })
    .await;
    workspace::settings_changed(&inner).await;
}
