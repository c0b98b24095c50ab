//! What was settled at `initialize`: the position encoding, how diagnostics
//! reach the client (pulled or pushed), and the workspace roots with their
//! project context.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use dashmap::DashMap;
use shipshape_core::{FileKind, project::ProjectContext, text::Encoding};
use tower_lsp_server::ls_types::{InitializeParams, ResourceOperationKind, Uri};

use crate::convert;

/// The settings of one client connection, fixed at `initialize`.
pub struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); we then
    /// never publish them.
    pub pull_diagnostics: bool,
    /// The client accepts versioned `documentChanges` in workspace edits.
    pub document_changes: bool,
    /// The client accepts `CreateFile` operations in `documentChanges`.
    pub create_files: bool,
    /// The client handles `workspace/diagnostic/refresh` (pull mode).
    pub diagnostic_refresh: bool,
    /// The client lets the server register `workspace/didChangeWatchedFiles`.
    pub watch_files: bool,
    /// Its file watchers take a base folder (`RelativePattern`): files
    /// above the workspace folders can be watched.
    pub watch_relative: bool,
    /// The client shows server-initiated work-done progress.
    pub work_done_progress: bool,
    /// The client answers `workspace/configuration`.
    pub configuration: bool,
    /// Workspace roots, deepest first (folders come and go with
    /// `workspace/didChangeWorkspaceFolders`).
    roots: RwLock<Vec<PathBuf>>,
    /// Project contexts by project folder, discovered once per session.
    projects: DashMap<PathBuf, Arc<ProjectContext>>,
    /// The text of every open document, by absolute path: a rule that reads
    /// another file (a compose file's Dockerfile) sees the editor's text of
    /// it before the disk's (the core's `ProjectFiles`).
    pub open_texts: Arc<DashMap<PathBuf, Arc<String>>>,
}

/// What a client accepts in a workspace edit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EditSupport {
    /// Versioned `documentChanges`.
    pub document_changes: bool,
    /// `CreateFile` operations in `documentChanges`.
    pub create_files: bool,
}

/// Files whose folder is a project's root (as the command line decides).
const PROJECT_MARKERS: [&str; 3] = ["pyproject.toml", "requirements.txt", "setup.py"];

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
        let mut session =
            Session::with_roots(encoding, pull_diagnostics, document_changes, root_paths);
        let workspace = capabilities.workspace.as_ref();
        session.create_files = workspace
            .and_then(|workspace| workspace.workspace_edit.as_ref())
            .and_then(|edit| edit.resource_operations.as_ref())
            .is_some_and(|operations| operations.contains(&ResourceOperationKind::Create));
        session.diagnostic_refresh = workspace
            .and_then(|workspace| workspace.diagnostics.as_ref())
            .and_then(|diagnostics| diagnostics.refresh_support)
            .unwrap_or(false);
        session.watch_files = workspace
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        session.watch_relative = workspace
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.relative_pattern_support)
            .unwrap_or(false);
        session.configuration = workspace
            .and_then(|workspace| workspace.configuration)
            .unwrap_or(false);
        session.work_done_progress = capabilities
            .window
            .as_ref()
            .and_then(|window| window.work_done_progress)
            .unwrap_or(false);
        session
    }

    /// The workspace roots, deepest first.
    pub fn roots(&self) -> Vec<PathBuf> {
        self.roots
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The workspace root holding `path` (the deepest).
    pub fn root_of(&self, path: &Path) -> Option<PathBuf> {
        self.roots
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .find(|root| path.starts_with(root))
            .cloned()
    }

    /// Adds and removes workspace folders; returns the roots after.
    pub fn change_roots(&self, added: &[PathBuf], removed: &[PathBuf]) -> Vec<PathBuf> {
        let mut roots = self
            .roots
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        roots.retain(|root| !removed.contains(root));
        for root in added {
            if !roots.contains(root) {
                roots.push(root.clone());
            }
        }
        roots.sort_by_key(|root| std::cmp::Reverse(root.components().count()));
        roots.clone()
    }

    /// What the client accepts in workspace edits.
    pub fn edit_support(&self) -> EditSupport {
        EditSupport {
            document_changes: self.document_changes,
            create_files: self.create_files,
        }
    }

    pub fn with_roots(
        encoding: Encoding,
        pull_diagnostics: bool,
        document_changes: bool,
        mut roots: Vec<PathBuf>,
    ) -> Session {
        roots.sort_by_key(|root| std::cmp::Reverse(root.components().count()));
        let session = Session {
            encoding,
            pull_diagnostics,
            document_changes,
            create_files: false,
            diagnostic_refresh: false,
            watch_files: false,
            watch_relative: false,
            work_done_progress: false,
            configuration: false,
            roots: RwLock::new(roots),
            projects: DashMap::new(),
            open_texts: Arc::default(),
        };
        for root in session.roots() {
            let project = session.project(&root);
            tracing::info!(root = %root.display(), frameworks = ?project.frameworks, "workspace root");
        }
        session
    }

    /// The project context discovered in `folder`, cached.
    fn project(&self, folder: &Path) -> Arc<ProjectContext> {
        if let Some(project) = self.projects.get(folder) {
            return Arc::clone(&project);
        }
        let project = Arc::new(ProjectContext::discover(folder));
        self.projects
            .insert(folder.to_path_buf(), Arc::clone(&project));
        project
    }

    /// The project folder of a file: the nearest folder holding a project
    /// file, looking up to its workspace root (or a `.git` folder); else the
    /// workspace root. As `shipshape check` decides.
    fn project_folder(file: &Path, root: Option<&Path>) -> Option<PathBuf> {
        for folder in file.parent()?.ancestors() {
            if PROJECT_MARKERS
                .iter()
                .any(|name| folder.join(name).is_file())
            {
                return Some(folder.to_path_buf());
            }
            if Some(folder) == root || folder.join(".git").exists() {
                break;
            }
        }
        root.map(Path::to_path_buf)
    }

    /// Places a document: its path relative to the deepest workspace root
    /// containing it (else to its project folder), its project, and its
    /// kind by file name, then language id, then content.
    pub fn place(&self, uri: &Uri, language_id: &str, text: &str) -> Option<Placement> {
        let (path, project) = match file_path(uri) {
            Some(absolute) => {
                let root = self.root_of(&absolute);
                let folder = Session::project_folder(&absolute, root.as_deref());
                let base = root.as_ref().or(folder.as_ref());
                let project = match (&folder, base) {
                    (Some(folder), Some(base)) => {
                        let open_texts = Arc::clone(&self.open_texts);
                        Arc::new(
                            ProjectContext::clone(&self.project(folder))
                                .with_base(base)
                                .with_overlay(Arc::new(move |path: &Path| {
                                    open_texts.get(path).map(|text| text.as_str().to_string())
                                })),
                        )
                    }
                    _ => Arc::default(),
                };
                let relative = base
                    .and_then(|base| absolute.strip_prefix(base).ok())
                    .map(Path::to_path_buf)
                    .unwrap_or(absolute);
                (relative, project)
            }
            // untitled:, vscode-notebook-cell: ... — the last path segment.
            None => {
                let path = uri.path().as_str();
                let name = path.rsplit('/').next().unwrap_or(path);
                (PathBuf::from(name), Arc::default())
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
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
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

    #[test]
    fn the_project_is_the_nearest_folder_with_a_project_file() {
        let base = std::env::temp_dir().join(format!("shipshape-session-{}", std::process::id()));
        let service = base.join("services/api");
        std::fs::create_dir_all(service.join("app")).unwrap();
        std::fs::write(service.join("requirements.txt"), "fastapi\n").unwrap();
        std::fs::create_dir_all(base.join("tools")).unwrap();

        let session = Session::with_roots(Encoding::Utf8, false, false, vec![base.clone()]);
        let uri = |path: &Path| Uri::from_str(&format!("file://{}", path.display())).unwrap();
        let placed = session
            .place(&uri(&service.join("app/main.py")), "python", "")
            .unwrap();
        assert_eq!(placed.path, Path::new("services/api/app/main.py"));
        assert!(placed.project.is_service(), "{:?}", placed.project);
        let placed = session
            .place(&uri(&base.join("tools/script.py")), "python", "")
            .unwrap();
        assert!(!placed.project.is_service());

        // Without a workspace root, the project folder is the base of the path.
        let session = Session::with_roots(Encoding::Utf8, false, false, Vec::new());
        let placed = session
            .place(&uri(&service.join("app/main.py")), "python", "")
            .unwrap();
        assert_eq!(placed.path, Path::new("app/main.py"));
        assert!(placed.project.is_service());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
