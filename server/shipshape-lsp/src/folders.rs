//! The settings of the workspace and of each workspace folder, pulled with
//! `workspace/configuration` and a `scopeUri` per folder (a folder's
//! `.vscode/settings.json` applies to its files only); they are kept in
//! `crate::workspace_state::FolderSettings`. Folders added or removed while
//! the server runs are `crate::workspace::folders_changed`'s.

use std::{collections::HashMap, path::PathBuf, sync::Arc};

use tower_lsp_server::ls_types::{ConfigurationItem, Uri};

use crate::{settings::Settings, state::Inner};

/// The settings section the server reads.
const SECTION: &str = "shipshape";

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
        inner.workspace.apply_settings(&workspace_wide);
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
