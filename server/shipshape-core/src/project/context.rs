//! What rules need to know about the project around a file.
//!
//! Which web or worker frameworks the project depends on and whether its root
//! holds a container or deploy config (so that
//! `print-in-service-code` knows it is looking at a service). The project
//! model of the cross-file rules grows here.

use std::{
    collections::BTreeSet,
    fmt, fs,
    path::{Path, PathBuf},
    sync::Arc,
};

/// Frameworks that make a project a service (web app or worker).
pub const SERVICE_FRAMEWORKS: [&str; 12] = [
    "fastapi",
    "starlette",
    "flask",
    "django",
    "celery",
    "aiohttp",
    "sanic",
    "litestar",
    "quart",
    "tornado",
    "falcon",
    "dramatiq",
];

/// Files at a project's root that say it is built into a container or
/// deployed to a platform.
pub const DEPLOY_FILES: [&str; 11] = [
    "Dockerfile",
    "Containerfile",
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "railway.json",
    "railway.toml",
    "fly.toml",
    "Procfile",
    "render.yaml",
];

/// Facts about the project a file belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectContext {
    /// Service frameworks named in the project's dependency files.
    pub frameworks: BTreeSet<&'static str>,
    /// The root holds a container or deploy config (a Dockerfile, a compose
    /// file, `railway.json`/`railway.toml`, `fly.toml`, a `Procfile`,
    /// `render.yaml`): whatever its framework, the project is deployed.
    pub deployed: bool,
    /// The project's view of its other files, for a file rule that reads
    /// one (a compose file's Dockerfile).
    pub files: ProjectFiles,
}

/// Texts an editor holds for files it has open, by absolute path: they win
/// over the disk.
pub type Overlay = Arc<dyn Fn(&Path) -> Option<String> + Send + Sync>;

/// The project's view of its files: the editor's text of an open file,
/// else the file on disk. The only way a rule reads another file — rules
/// never use `std::fs` (`tests/layers.rs` checks it). Relative paths are
/// resolved against `base`, the folder the checked paths are relative to
/// (not the working directory).
#[derive(Clone, Default)]
pub struct ProjectFiles {
    base: Option<PathBuf>,
    overlay: Option<Overlay>,
}

impl ProjectFiles {
    /// The folder the checked paths are relative to (the folder a command
    /// walked), when known.
    pub fn base(&self) -> Option<&Path> {
        self.base.as_deref()
    }

    /// `path` as `read` resolves it: joined to the base when relative.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        match &self.base {
            Some(base) if path.is_relative() => base.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// The text of `path`: the editor's, else the disk's; `None` when it
    /// is neither open nor a readable regular file.
    pub fn read(&self, path: &Path) -> Option<String> {
        let path = match &self.base {
            Some(base) if path.is_relative() => base.join(path),
            _ => path.to_path_buf(),
        };
        if let Some(text) = self.overlay.as_ref().and_then(|overlay| overlay(&path)) {
            return Some(text);
        }
        super::disk::read_regular_file_uncounted(&path)
    }
}

impl PartialEq for ProjectFiles {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base
            && match (&self.overlay, &other.overlay) {
                (None, None) => true,
                (Some(one), Some(other)) => Arc::ptr_eq(one, other),
                _ => false,
            }
    }
}

impl Eq for ProjectFiles {}

impl fmt::Debug for ProjectFiles {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ProjectFiles")
            .field("base", &self.base)
            .field("overlay", &self.overlay.is_some())
            .finish()
    }
}

impl ProjectContext {
    /// Reads the dependency files at `root` (pyproject.toml, requirements
    /// files, Pipfile, setup.cfg/setup.py). Unreadable files are skipped.
    pub fn discover(root: &Path) -> ProjectContext {
        let mut text = String::new();
        for name in [
            "pyproject.toml",
            "Pipfile",
            "setup.cfg",
            "setup.py",
            "requirements.txt",
            "requirements.in",
        ] {
            if let Some(content) = super::disk::read_regular_file(&root.join(name)) {
                text.push_str(&content);
                text.push('\n');
            }
        }
        if let Ok(entries) = fs::read_dir(root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
                if name.starts_with("requirements")
                    && name.ends_with(".txt")
                    && let Some(content) = super::disk::read_regular_file(&entry.path())
                {
                    text.push_str(&content);
                    text.push('\n');
                }
            }
        }
        ProjectContext {
            frameworks: frameworks_named_in(&text),
            deployed: DEPLOY_FILES.iter().any(|name| root.join(name).is_file()),
            files: ProjectFiles::default(),
        }
    }

    /// The context with checked paths relative to `base` (the folder a
    /// command walked), so a rule reading a file never depends on the
    /// working directory.
    pub fn with_base(mut self, base: &Path) -> ProjectContext {
        self.files.base = Some(base.to_path_buf());
        self
    }

    /// The context with an editor's open texts winning over the disk.
    pub fn with_overlay(mut self, overlay: Overlay) -> ProjectContext {
        self.files.overlay = Some(overlay);
        self
    }

    /// Whether the project is a deployed service: it depends on a web or
    /// worker framework, or its root holds a container or deploy config (a
    /// Gradio or Streamlit app in a Dockerfile is a service too).
    pub fn is_service(&self) -> bool {
        !self.frameworks.is_empty() || self.deployed
    }
}

/// The service frameworks that appear as dependency names in a text.
pub fn frameworks_named_in(text: &str) -> BTreeSet<&'static str> {
    let lower = text.to_ascii_lowercase();
    SERVICE_FRAMEWORKS
        .into_iter()
        .filter(|framework| {
            lower.match_indices(framework).any(|(index, _)| {
                let before = lower[..index].chars().next_back();
                let after = lower[index + framework.len()..].chars().next();
                let boundary_before =
                    before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
                let boundary_after =
                    after.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
                boundary_before && boundary_after
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_are_matched_as_whole_names() {
        let found =
            frameworks_named_in("fastapi==0.110\nflask-cors\nuvicorn[standard]\n\"django>=4\"\n");
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["django", "fastapi"]);
    }
}
