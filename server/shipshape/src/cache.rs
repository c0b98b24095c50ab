//! The result cache of `shipshape check`, as ruff has one: an unchanged
//! file is not parsed or checked again, and an unchanged project model is
//! not loaded or checked again.
//!
//! - A file's entry holds its findings, keyed by its content, its path as
//!   shown, its kind, its project context, the effective severity of every
//!   rule under its configuration, and the build of shipshape (version and
//!   executable).
//! - A project root's entry holds the project rules' findings (before any
//!   configuration, which is applied after), keyed by the path and content
//!   of every file its model reads, the `.gitignore`s and CI facts above it,
//!   and the build.
//!
//! Entries live in the user's cache folder (`$XDG_CACHE_HOME/shipshape`,
//! `~/Library/Caches/shipshape`, `%LOCALAPPDATA%\shipshape`), or in
//! `--cache-dir` / `SHIPSHAPE_CACHE_DIR`. Each is one file, written to a
//! temporary file in the same folder and renamed into place, so concurrent
//! runs never see half an entry; an entry that does not read back (corrupt,
//! another version's) is a miss. The cache is bounded: after a run that
//! wrote entries, the oldest are removed once there are more than
//! [`MAX_ENTRIES`] or [`MAX_BYTES`].

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    time::SystemTime,
};

use serde::{Deserialize, Serialize};
use shipshape_core::{
    FileKind, Finding,
    check::{ProjectFinding, RelatedLocation},
    config::FileSettings,
    fix::{Applicability, FileChange, Fix},
    project::ProjectContext,
    registry,
    rule::Severity,
    text::TextEdit,
    user_rules::UserRules,
};

/// The most entries kept.
pub const MAX_ENTRIES: usize = 100_000;
/// The most bytes kept.
pub const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// The environment variable that names the cache folder.
pub const CACHE_DIR_VAR: &str = "SHIPSHAPE_CACHE_DIR";

/// An open cache.
pub struct Cache {
    /// The folder of this format's entries.
    dir: PathBuf,
    /// What identifies this build of shipshape.
    build: Vec<u8>,
    /// Whether this run wrote an entry (then the size is checked).
    wrote: std::sync::atomic::AtomicBool,
}

/// A key: a 128-bit hash of everything an entry depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(u128);

/// Builds a key from length-prefixed parts.
struct KeyBuilder(Vec<u8>);

impl KeyBuilder {
    fn new(kind: &str, build: &[u8]) -> KeyBuilder {
        let mut builder = KeyBuilder(Vec::new());
        builder.add(kind.as_bytes());
        builder.add(build);
        builder
    }

    fn add(&mut self, bytes: &[u8]) -> &mut KeyBuilder {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
        self
    }

    fn finish(&self) -> Key {
        Key(xxhash_rust::xxh3::xxh3_128(&self.0))
    }
}

impl Cache {
    /// The cache in `dir` (else `SHIPSHAPE_CACHE_DIR`, else the user's cache
    /// folder); `None` when there is no such folder and it cannot be made.
    pub fn open(dir: Option<&Path>) -> Option<Cache> {
        let base = match dir {
            Some(dir) => dir.to_path_buf(),
            None => match std::env::var_os(CACHE_DIR_VAR) {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir),
                _ => dirs::cache_dir()?.join("shipshape"),
            },
        };
        let dir = base.join("v1");
        if let Err(error) = fs::create_dir_all(&dir) {
            eprintln!("shipshape: no cache in {}: {error}", dir.display());
            return None;
        }
        Some(Cache {
            dir,
            build: build_identity(),
            wrote: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// The key of a file's findings.
    pub fn file_key(
        &self,
        shown_path: &str,
        kind: FileKind,
        context: &ProjectContext,
        settings: &FileSettings,
        text: &str,
    ) -> Key {
        let mut key = KeyBuilder::new("file", &self.build);
        key.add(shown_path.as_bytes())
            .add(format!("{kind:?}").as_bytes())
            .add(format!("{:?} {}", context.frameworks, context.deployed).as_bytes());
        // The rule set as configured: every rule and its severity here.
        let mut rules = String::new();
        for rule in &registry().rules {
            rules.push_str(rule.id);
            rules.push_str(&format!("={:?};", settings.severity(rule)));
        }
        // User rules: each one's file and content, and its severity here.
        for user in settings.user_rules.rules() {
            rules.push_str(&format!(
                "{}:{}={:?};",
                user.path().display(),
                user.rule.query_source,
                settings.severity(&user.rule)
            ));
        }
        key.add(rules.as_bytes()).add(text.as_bytes());
        key.finish()
    }

    /// The key of a project root's findings: `inputs` are the paths
    /// (relative to the root) and texts of every file its model reads,
    /// `outer` what it reads above the root.
    pub fn project_key(&self, root: &Path, inputs: &[(PathBuf, String)], outer: &str) -> Key {
        let mut key = KeyBuilder::new("project", &self.build);
        key.add(root.to_string_lossy().as_bytes())
            .add(outer.as_bytes());
        for (path, text) in inputs {
            key.add(path.to_string_lossy().as_bytes())
                .add(text.as_bytes());
        }
        key.finish()
    }

    fn path_of(&self, key: Key) -> PathBuf {
        let hex = format!("{:032x}", key.0);
        self.dir.join(&hex[..2]).join(format!("{hex}.json"))
    }

    fn read<T: for<'de> Deserialize<'de>>(&self, key: Key) -> Option<T> {
        let bytes = fs::read(self.path_of(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes an entry atomically (a temporary file in its folder, renamed
    /// over the entry). Failing to write only costs the next run time.
    fn write<T: Serialize>(&self, key: Key, value: &T) {
        let path = self.path_of(key);
        let Some(folder) = path.parent() else { return };
        let written = fs::create_dir_all(folder)
            .and_then(|()| tempfile::NamedTempFile::new_in(folder))
            .and_then(|mut file| {
                file.write_all(&serde_json::to_vec(value).map_err(std::io::Error::other)?)?;
                file.persist(&path).map_err(|error| error.error)?;
                Ok(())
            });
        match written {
            Ok(()) => self.wrote.store(true, std::sync::atomic::Ordering::Relaxed),
            Err(error) => eprintln!("shipshape: cache entry not written: {error}"),
        }
    }

    /// A file's findings, if cached.
    pub fn findings(&self, key: Key, user: &UserRules) -> Option<Vec<Finding>> {
        let cached: Vec<CachedFinding> = self.read(key)?;
        cached
            .into_iter()
            .map(|finding| finding.into_finding(user))
            .collect()
    }

    pub fn put_findings(&self, key: Key, findings: &[Finding]) {
        let cached: Vec<CachedFinding> = findings.iter().map(CachedFinding::of).collect();
        self.write(key, &cached);
    }

    /// A project root's findings, if cached.
    pub fn project_findings(&self, key: Key) -> Option<Vec<ProjectFinding>> {
        let cached: Vec<CachedProjectFinding> = self.read(key)?;
        cached
            .into_iter()
            .map(|(path, finding, related)| {
                Some(ProjectFinding {
                    path,
                    finding: finding.into_finding(&UserRules::default())?,
                    related: related
                        .into_iter()
                        .map(|(path, start, end, message)| RelatedLocation {
                            path,
                            range: start..end,
                            message,
                        })
                        .collect(),
                })
            })
            .collect()
    }

    pub fn put_project_findings(&self, key: Key, findings: &[ProjectFinding]) {
        let cached: Vec<CachedProjectFinding> = findings
            .iter()
            .map(|found| {
                (
                    found.path.clone(),
                    CachedFinding::of(&found.finding),
                    found
                        .related
                        .iter()
                        .map(|place| {
                            (
                                place.path.clone(),
                                place.range.start,
                                place.range.end,
                                place.message.clone(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        self.write(key, &cached);
    }

    /// Keeps the cache bounded: when this run wrote entries and there are
    /// more than [`MAX_ENTRIES`] or [`MAX_BYTES`], the least recently
    /// written go until it is at three quarters of both.
    pub fn evict(&self) {
        if !self.wrote.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        evict(&self.dir, MAX_ENTRIES, MAX_BYTES);
    }
}

/// See [`Cache::evict`].
pub fn evict(dir: &Path, max_entries: usize, max_bytes: u64) {
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
    for folder in fs::read_dir(dir).into_iter().flatten().flatten() {
        for entry in fs::read_dir(folder.path()).into_iter().flatten().flatten() {
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if metadata.is_file() {
                let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                entries.push((modified, metadata.len(), entry.path()));
            }
        }
    }
    let mut bytes: u64 = entries.iter().map(|(_, size, _)| size).sum();
    if entries.len() <= max_entries && bytes <= max_bytes {
        return;
    }
    entries.sort();
    let mut count = entries.len();
    for (_, size, path) in entries {
        if count <= max_entries * 3 / 4 && bytes <= max_bytes / 4 * 3 {
            break;
        }
        // Another run may have removed it already.
        let _ = fs::remove_file(&path);
        count -= 1;
        bytes = bytes.saturating_sub(size);
    }
}

/// This build of shipshape: its version and its executable (size and
/// modification time), so a rebuilt binary never reads another build's
/// results.
fn build_identity() -> Vec<u8> {
    let mut identity = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    if let Ok(metadata) = std::env::current_exe().and_then(fs::metadata) {
        identity.extend_from_slice(&metadata.len().to_le_bytes());
        if let Ok(modified) = metadata.modified()
            && let Ok(since) = modified.duration_since(SystemTime::UNIX_EPOCH)
        {
            identity.extend_from_slice(&since.as_nanos().to_le_bytes());
        }
    }
    identity
}

/// A finding as stored: its rule by id.
#[derive(Serialize, Deserialize)]
struct CachedFinding {
    rule: String,
    start: usize,
    end: usize,
    message: String,
    severity: u8,
    fix: Option<CachedFix>,
}

#[derive(Serialize, Deserialize)]
struct CachedFix {
    title: String,
    safe: bool,
    edits: Vec<(usize, usize, String)>,
    /// (path, edits) or (path, created text).
    other_files: Vec<(PathBuf, Option<Edits>, Option<String>)>,
}

/// A project finding as stored: its path, the finding, and its related
/// places as (path, start, end, message).
type CachedProjectFinding = (PathBuf, CachedFinding, Vec<(PathBuf, usize, usize, String)>);

/// Edits as (start, end, new text).
type Edits = Vec<(usize, usize, String)>;

fn edits_of(edits: &[TextEdit]) -> Vec<(usize, usize, String)> {
    edits
        .iter()
        .map(|edit| (edit.range.start, edit.range.end, edit.new_text.clone()))
        .collect()
}

fn edits_from(edits: Vec<(usize, usize, String)>) -> Vec<TextEdit> {
    edits
        .into_iter()
        .map(|(start, end, new_text)| TextEdit {
            range: start..end,
            new_text,
        })
        .collect()
}

const SEVERITIES: [Severity; 4] = [
    Severity::Hint,
    Severity::Information,
    Severity::Warning,
    Severity::Error,
];

impl CachedFinding {
    fn of(finding: &Finding) -> CachedFinding {
        CachedFinding {
            rule: finding.rule.id.to_string(),
            start: finding.range.start,
            end: finding.range.end,
            message: finding.message.clone(),
            severity: SEVERITIES
                .iter()
                .position(|severity| *severity == finding.severity)
                .unwrap_or(0) as u8,
            fix: finding.fix.as_ref().map(|fix| CachedFix {
                title: fix.title.clone(),
                safe: fix.applicability == Applicability::Safe,
                edits: edits_of(&fix.edits),
                other_files: fix
                    .other_files
                    .iter()
                    .map(|change| match change {
                        FileChange::Edit { path, edits } => {
                            (path.clone(), Some(edits_of(edits)), None)
                        }
                        FileChange::Create { path, text } => {
                            (path.clone(), None, Some(text.clone()))
                        }
                    })
                    .collect(),
            }),
        }
    }

    /// The finding; `None` when its rule is not in this build.
    fn into_finding(self, user: &UserRules) -> Option<Finding> {
        let rule = registry()
            .get(&self.rule)
            .or_else(|| user.get(&self.rule))?;
        let fix = match self.fix {
            Some(fix) => {
                let mut other_files = Vec::new();
                for (path, edits, created) in fix.other_files {
                    other_files.push(match (edits, created) {
                        (Some(edits), None) => FileChange::Edit {
                            path,
                            edits: edits_from(edits),
                        },
                        (None, Some(text)) => FileChange::Create { path, text },
                        _ => return None,
                    });
                }
                Some(Fix {
                    title: fix.title,
                    edits: edits_from(fix.edits),
                    applicability: if fix.safe {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    other_files,
                })
            }
            None => None,
        };
        let mut finding = Finding::new(rule, self.start..self.end, self.message, fix);
        finding.severity = *SEVERITIES.get(usize::from(self.severity))?;
        Some(finding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oldest entries go first, down to three quarters of the bound.
    #[test]
    fn eviction_keeps_the_newest_entries_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("ab");
        fs::create_dir_all(&folder).unwrap();
        for index in 0..20 {
            let path = folder.join(format!("{index:02}.json"));
            fs::write(&path, "[]").unwrap();
            let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000 + index);
            fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(time)
                .unwrap();
        }
        evict(dir.path(), 8, u64::MAX);
        let mut left: Vec<String> = fs::read_dir(&folder)
            .unwrap()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "14.json", "15.json", "16.json", "17.json", "18.json", "19.json"
            ]
        );
    }
}
