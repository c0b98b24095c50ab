//! What was settled at `initialize`: the position encoding, how diagnostics
//! reach the client (pulled or pushed), and the workspace roots with their
//! project context.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use shipshape_core::{FileKind, project::ProjectContext, text::Encoding};
use tower_lsp_server::ls_types::{InitializeParams, Uri};

use crate::convert;

/// The settings of one client connection, fixed at `initialize`.
pub struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); we then
    /// never publish them.
    pub pull_diagnostics: bool,
    /// The client accepts versioned `documentChanges` in workspace edits.
    pub document_changes: bool,
    /// Workspace roots, deepest first, each with its project context.
    roots: Vec<(PathBuf, Arc<ProjectContext>)>,
    /// The context of files outside every root.
    no_project: Arc<ProjectContext>,
}

/// Where an open document sits: the path its rules see, its kind and its
/// project.
pub struct Placement {
    pub path: PathBuf,
    pub kind: FileKind,
    pub kind_from_name: bool,
    pub project: Arc<ProjectContext>,
}

impl Session {
    pub fn new(params: &InitializeParams) -> Session {
        let capabilities = &params.capabilities;
        let encoding = convert::negotiate_encoding(
            capabilities
                .general
                .as_ref()
                .and_then(|general| general.position_encodings.as_deref()),
        );
        let pull_diagnostics = capabilities
            .text_document
            .as_ref()
            .is_some_and(|text_document| text_document.diagnostic.is_some());
        let document_changes = capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.workspace_edit.as_ref())
            .and_then(|edit| edit.document_changes)
            .unwrap_or(false);

        let mut root_paths: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| file_path(&folder.uri))
            .collect();
        #[allow(deprecated)] // rootUri is deprecated but still what some clients send.
        if root_paths.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(file_path)
        {
            root_paths.push(root);
        }
        Session::with_roots(encoding, pull_diagnostics, document_changes, root_paths)
    }

    pub fn with_roots(
        encoding: Encoding,
        pull_diagnostics: bool,
        document_changes: bool,
        root_paths: Vec<PathBuf>,
    ) -> Session {
        let mut roots: Vec<(PathBuf, Arc<ProjectContext>)> = root_paths
            .into_iter()
            .map(|root| {
                let project = ProjectContext::discover(&root);
                tracing::info!(root = %root.display(), frameworks = ?project.frameworks, "workspace root");
                (root, Arc::new(project))
            })
            .collect();
        roots.sort_by_key(|(root, _)| std::cmp::Reverse(root.components().count()));
        Session {
            encoding,
            pull_diagnostics,
            document_changes,
            roots,
            no_project: Arc::default(),
        }
    }

    /// Places a document: relative path under the nearest root containing
    /// it, and its kind by file name, then language id, then content.
    pub fn place(&self, uri: &Uri, language_id: &str, text: &str) -> Option<Placement> {
        let (path, project) = match file_path(uri) {
            Some(absolute) => match self
                .roots
                .iter()
                .find(|(root, _)| absolute.starts_with(root))
            {
                Some((root, project)) => {
                    let relative = absolute
                        .strip_prefix(root)
                        .map(Path::to_path_buf)
                        .unwrap_or(absolute);
                    (relative, Arc::clone(project))
                }
                None => (absolute, Arc::clone(&self.no_project)),
            },
            // untitled:, vscode-notebook-cell: ... — the last path segment.
            None => {
                let path = uri.path().as_str();
                let name = path.rsplit('/').next().unwrap_or(path);
                (PathBuf::from(name), Arc::clone(&self.no_project))
            }
        };
        let (kind, kind_from_name) = match FileKind::from_path(&path) {
            Some(kind) => (kind, true),
            None => (
                FileKind::from_language_id(language_id, text)
                    .or_else(|| FileKind::detect(&path, text))?,
                false,
            ),
        };
        Some(Placement {
            path,
            kind,
            kind_from_name,
            project,
        })
    }
}

/// The file system path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|path| path.into_owned())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn documents_are_placed_under_the_deepest_root() {
        let session = Session::with_roots(
            Encoding::Utf16,
            false,
            false,
            vec![
                PathBuf::from("/work/repo"),
                PathBuf::from("/work/repo/services/api"),
            ],
        );
        let uri = Uri::from_str("file:///work/repo/services/api/tests/test_x.py").unwrap();
        let placed = session.place(&uri, "python", "").unwrap();
        assert_eq!(placed.path, Path::new("tests/test_x.py"));
        assert_eq!(placed.kind, FileKind::Python);

        let outside = Uri::from_str("file:///elsewhere/compose.yaml").unwrap();
        assert_eq!(
            session.place(&outside, "yaml", "").unwrap().kind,
            FileKind::Compose
        );

        let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
        let placed = session.place(&untitled, "python", "").unwrap();
        assert_eq!(
            (placed.kind, placed.kind_from_name),
            (FileKind::Python, false)
        );
        assert!(session.place(&untitled, "plaintext", "hello").is_none());

        let stack = Uri::from_str("file:///elsewhere/stack.yml").unwrap();
        let content = "services:\n  api:\n    image: app:1\n";
        assert_eq!(
            session.place(&stack, "yaml", content).unwrap().kind,
            FileKind::Compose
        );
    }
}
