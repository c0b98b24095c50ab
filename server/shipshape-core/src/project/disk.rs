//! Reading one file from disk: a regular file (symbolic links followed)
//! of a bounded size. The project model reads every file through here.

use std::{fs, path::Path};

/// The largest file the model reads.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The text of a regular file (symbolic links followed) of at most
/// `MAX_FILE_BYTES`; `None` for anything else. A FIFO, socket or device is
/// never opened: opening a FIFO blocks until a writer comes, maybe forever.
pub fn read_regular_file(path: &Path) -> Option<String> {
    let metadata = fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
        return None;
    }
    crate::stats::count_read();
    fs::read_to_string(path).ok()
}

/// [`read_regular_file`] without counting the read: a file rule reading a
/// file another step reads too (a compose file's Dockerfile, which the
/// check reads as a file of its own) is not a second file of the check.
pub(crate) fn read_regular_file_uncounted(path: &Path) -> Option<String> {
    let metadata = fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
        return None;
    }
    fs::read_to_string(path).ok()
}

/// The files of `folder` with extension `extension`, sorted (not recursive).
pub fn files_with_extension(
    folder: &Path,
    extension: &str,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<std::path::PathBuf> = fs::read_dir(folder)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    Ok(files)
}
