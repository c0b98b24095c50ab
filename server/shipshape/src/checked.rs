//! A checked file and what is known of it: the record the `check` command
//! fills and the outputs and the baseline read (below all of them).

use std::{
    fs,
    path::{Component, Path, PathBuf},
};

use shipshape_core::{Finding, config::FailOn, fixall::AppliedFix};

/// A checked file: its path as shown (relative to the working directory,
/// absolute outside it), its text and its findings.
pub struct CheckedFile {
    pub display_path: String,
    /// The absolute path.
    pub path: PathBuf,
    /// The text checked (after fixes, with --fix or --diff).
    pub text: String,
    pub findings: Vec<Finding>,
    /// The configuration's `fail-on` for this file.
    pub fail_on: Option<FailOn>,
    /// Fixes applied (or, with --diff, that would be).
    pub fixed: Vec<AppliedFix>,
    /// The text before fixes, when fixes changed it.
    pub original: Option<String>,
    /// Per finding, with a baseline: whether it is in it.
    pub baseline: Vec<State>,
    /// Per finding: its fingerprint (see `shipshape_core::fingerprint`).
    pub fingerprints: Vec<String>,
    /// A fix creates this file (with --fix it was written; with --diff it
    /// would be).
    pub created: bool,
    /// The text came from stdin: there is no file to write.
    pub from_stdin: bool,
}

impl CheckedFile {
    /// A file with its text and nothing found or fixed yet.
    pub fn new(display_path: String, path: PathBuf, text: String, fail_on: Option<FailOn>) -> Self {
        CheckedFile {
            display_path,
            path,
            text,
            findings: Vec::new(),
            fail_on,
            fixed: Vec::new(),
            original: None,
            baseline: Vec::new(),
            fingerprints: Vec::new(),
            created: false,
            from_stdin: false,
        }
    }
}

/// A finding's state against the baseline (SARIF's `baselineState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    New,
    Unchanged,
}

impl State {
    pub fn sarif_name(self) -> &'static str {
        match self {
            State::New => "new",
            State::Unchanged => "unchanged",
        }
    }
}

/// The working directory, read once: a check never changes it, and a tree
/// asked it several times per file.
fn cwd() -> Option<&'static Path> {
    static CWD: std::sync::LazyLock<Option<PathBuf>> =
        std::sync::LazyLock::new(|| std::env::current_dir().ok());
    CWD.as_deref()
}

/// The absolute form of a path (canonical when it exists).
pub fn absolute(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| {
        cwd()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|| path.to_path_buf())
    })
}

pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `path` made absolute (against the working directory) and normalised
/// without touching the file system: `.` dropped, `..` taken off.
pub fn lexically_absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// How a path is shown: relative to the working directory, so that it
/// opens and clicks from where the user is; absolute when it is outside it.
pub fn shown(path: &Path) -> String {
    let full = lexically_absolute(path);
    let Some(cwd) = cwd() else {
        return display(path);
    };
    let relative = full
        .strip_prefix(cwd)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            // A path through a symbolic link to a folder inside it.
            let canonical = fs::canonicalize(&full).ok()?;
            canonical.strip_prefix(cwd).ok().map(Path::to_path_buf)
        });
    match relative {
        Some(relative) if relative.as_os_str().is_empty() => ".".to_string(),
        Some(relative) => display(&relative),
        None => display(&full),
    }
}
