//! Writing files atomically: the text goes to a temporary file in the same
//! folder, is synced, and the temporary file is renamed to the path, so a
//! reader sees the old content or the new, never a part.

use std::{fs, io::Write, path::Path};

/// What the written file does to what is at the path.
pub enum Target<'a> {
    /// Replaces an existing file and keeps its permissions.
    Replace(&'a fs::Metadata),
    /// Replaces whatever is there, or creates the file, with the usual
    /// permissions of a source file.
    Overwrite,
    /// Creates a new file; fails if something appeared at the path meanwhile.
    Create,
}

pub fn write(path: &Path, text: &str, target: Target<'_>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".shipshape-")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    match target {
        Target::Replace(metadata) => fs::set_permissions(temp.path(), metadata.permissions())?,
        // Not the temporary file's private permissions.
        Target::Overwrite | Target::Create => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o644))?;
            }
        }
    }
    let persisted = match target {
        Target::Create => temp.persist_noclobber(path),
        Target::Replace(_) | Target::Overwrite => temp.persist(path),
    };
    persisted.map(drop).map_err(|error| error.error)
}
