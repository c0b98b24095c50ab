//! What rules need to know about the project around a file.
//!
//! For now: which web or worker frameworks the project depends on (so that
//! `print-in-service-code` knows it is looking at a service). The project
//! model of the cross-file rules grows here.

use std::{collections::BTreeSet, fs, path::Path};

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

/// Facts about the project a file belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectContext {
    /// Service frameworks named in the project's dependency files.
    pub frameworks: BTreeSet<&'static str>,
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
            if let Some(content) = super::read_regular_file(&root.join(name)) {
                text.push_str(&content);
                text.push('\n');
            }
        }
        if let Ok(entries) = fs::read_dir(root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
                if name.starts_with("requirements")
                    && name.ends_with(".txt")
                    && let Some(content) = super::read_regular_file(&entry.path())
                {
                    text.push_str(&content);
                    text.push('\n');
                }
            }
        }
        ProjectContext {
            frameworks: frameworks_named_in(&text),
        }
    }

    /// Whether the project is a web service or worker.
    pub fn is_service(&self) -> bool {
        !self.frameworks.is_empty()
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
