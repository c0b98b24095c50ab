//! What every output format shares: paths as CI tools name them, spans
//! in lines and columns, and the summary line. The formats (the siblings of
//! this file) and `output/mod.rs` import it; it imports neither.

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use serde::Serialize;
use shipshape_core::text::{Encoding, LineIndex};

use crate::checked::CheckedFile;

/// The folder CI formats (SARIF, GitHub, GitLab) name paths from: the root
/// of the git repository holding the working directory, else the working
/// directory.
pub(crate) fn repository_root() -> Option<&'static Path> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let cwd = std::env::current_dir().ok()?;
        let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
        Some(
            cwd.ancestors()
                .find(|dir| dir.join(".git").exists())
                .unwrap_or(&cwd)
                .to_path_buf(),
        )
    })
    .as_deref()
}

/// A file's path relative to [`repository_root`] (`/`-separated), as code
/// scanning and annotations want it; the path shown when it is outside.
pub fn repository_path(file: &CheckedFile) -> String {
    if file.from_stdin && !file.path.is_absolute() {
        return file.display_path.clone();
    }
    repository_root()
        .and_then(|root| file.path.strip_prefix(root).ok())
        .map(|relative| relative.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|| file.display_path.clone())
}

/// A 1-based line and column; columns count Unicode characters.
#[derive(Serialize)]
pub(crate) struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub(crate) fn span(lines: &LineIndex<'_>, range: &std::ops::Range<usize>) -> Span {
    let start = lines.position(range.start, Encoding::Utf32);
    let end = lines.position(range.end, Encoding::Utf32);
    Span {
        line: start.line + 1,
        column: start.column + 1,
        end_line: end.line + 1,
        end_column: end.column + 1,
    }
}

/// The last line of the text formats. After an error it never reads as
/// success; with nothing checked it says so.
pub(crate) fn summary(files: &[CheckedFile], hidden: usize, io_error: bool) -> String {
    let count: usize = files.iter().map(|file| file.findings.len()).sum();
    let fixable: usize = files
        .iter()
        .flat_map(|file| &file.findings)
        .filter(|finding| finding.fix.is_some())
        .count();
    let fixed: usize = files.iter().map(|file| file.fixed.len()).sum();
    let checked = files.len();
    let files_word = if checked == 1 { "file" } else { "files" };
    let mut line = match count {
        0 if io_error => {
            format!("Checked {checked} {files_word}; a path given could not be checked (see above)")
        }
        0 if checked == 0 => "No files shipshape checks were found".to_string(),
        0 => format!("No findings in {checked} {files_word}"),
        _ => format!(
            "Found {count} finding{} in {checked} {files_word} checked ({fixable} with a quick fix)",
            if count == 1 { "" } else { "s" },
        ),
    };
    if io_error && count > 0 {
        line.push_str("; a path given could not be checked (see above)");
    }
    if fixed > 0 {
        line.push_str(&format!("; {fixed} fixed"));
    }
    if hidden > 0 {
        line.push_str(&format!("; {hidden} in the baseline not shown"));
    }
    line.push_str(".\n");
    line
}
