//! Shared helpers of shipshape's tests: reading fixtures and their inline
//! expectations.

use std::{
    collections::BTreeSet,
    ffi::OsStr,
    fs,
    ops::{Deref, DerefMut},
    path::{Path, PathBuf},
    process::Command,
};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A `Command` that runs the `shipshape` binary under test with a result
/// cache of its own: `SHIPSHAPE_CACHE_DIR` names a fresh temporary folder,
/// removed when this value is dropped. Tests so never read or write the
/// user's cache folder (`~/.cache/shipshape`) and never see each other's
/// entries. It derefs to the `Command`; keep it alive while a spawned child
/// runs (bind it, then `spawn`), not only as a statement's temporary.
pub struct Shipshape {
    command: Command,
    _cache: tempfile::TempDir,
}

/// `binary` (the test's `env!("CARGO_BIN_EXE_shipshape")`) with a private
/// result cache; see [`Shipshape`].
pub fn shipshape(binary: impl AsRef<OsStr>) -> Shipshape {
    let cache = tempfile::Builder::new()
        .prefix("shipshape-test-cache-")
        .tempdir()
        .expect("a temporary cache folder");
    let mut command = Command::new(binary);
    command.env("SHIPSHAPE_CACHE_DIR", cache.path());
    Shipshape {
        command,
        _cache: cache,
    }
}

impl Shipshape {
    /// The private cache folder (`SHIPSHAPE_CACHE_DIR` of the command).
    pub fn cache_dir(&self) -> &Path {
        self._cache.path()
    }
}

impl Deref for Shipshape {
    type Target = Command;
    fn deref(&self) -> &Command {
        &self.command
    }
}

impl DerefMut for Shipshape {
    fn deref_mut(&mut self) -> &mut Command {
        &mut self.command
    }
}

/// Every file under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The rule folders: `server/shipshape-core/rules/<kind>/<rule-id>/`.
pub fn rules_root() -> PathBuf {
    repo_root().join("server/shipshape-core/rules")
}

/// One fixture file of the rule harness.
#[derive(Debug, Clone)]
pub struct FixtureFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// The folder it is checked from: its project context is discovered
    /// between it and this folder, and `relative` is the path under it.
    pub root: PathBuf,
    /// The path the rules see.
    pub relative: PathBuf,
    /// The rule folder that owns it (`<kind>/<rule-id>`), or `None` for a
    /// fixture under `tests/fixtures/` (about several rules or none).
    pub rule: Option<String>,
    /// Where its snapshot is stored, and under which name.
    pub snapshot_dir: PathBuf,
    pub snapshot_name: String,
}

/// Every fixture, sorted: in each rule folder the files `fixture.<ext>`
/// (checked as that name) and everything under `fixture/` (checked from
/// that folder, so a fixture can be a small project), then every file under
/// `tests/fixtures/<kind>/` (checked from its kind folder).
pub fn fixture_files() -> Vec<FixtureFile> {
    let mut out = Vec::new();
    for kind in sorted_dirs(&rules_root()) {
        for rule in sorted_dirs(&kind) {
            let owner = format!(
                "{}/{}",
                kind.file_name().unwrap().to_string_lossy(),
                rule.file_name().unwrap().to_string_lossy()
            );
            let snapshot_dir = rule.join("snapshots");
            let fixture_dir = rule.join("fixture");
            let mut entries: Vec<PathBuf> = fs::read_dir(&rule)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| {
                    path.is_file()
                        && path
                            .file_name()
                            .is_some_and(|name| name.to_string_lossy().starts_with("fixture."))
                })
                .collect();
            entries.sort();
            let singles = entries.into_iter().map(|path| (rule.clone(), path));
            let nested = files_under(&fixture_dir)
                .into_iter()
                .map(|path| (fixture_dir.clone(), path));
            for (root, path) in singles.chain(nested) {
                let relative = path.strip_prefix(&root).unwrap().to_path_buf();
                let snapshot_name = snapshot_name(path.strip_prefix(&rule).unwrap());
                out.push(FixtureFile {
                    path,
                    root,
                    relative,
                    rule: Some(owner.clone()),
                    snapshot_dir: snapshot_dir.clone(),
                    snapshot_name,
                });
            }
        }
    }
    let shared = repo_root().join("tests/fixtures");
    for kind in sorted_dirs(&shared) {
        for path in files_under(&kind) {
            let relative = path.strip_prefix(&kind).unwrap().to_path_buf();
            let snapshot_name = snapshot_name(path.strip_prefix(&shared).unwrap());
            out.push(FixtureFile {
                path,
                root: kind.clone(),
                relative,
                rule: None,
                snapshot_dir: repo_root().join("tests/snapshots"),
                snapshot_name,
            });
        }
    }
    out
}

fn snapshot_name(relative: &Path) -> String {
    relative.to_string_lossy().replace(['/', '\\'], "__")
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    out.sort();
    out
}

/// The expectations written in a fixture (see
/// [`shipshape_core::fixture::expectations`], which `shipshape test-rules`
/// uses too): (zero-based line, rule) pairs.
pub fn expectations(text: &str) -> BTreeSet<(usize, String)> {
    shipshape_core::fixture::expectations(text).unwrap_or_else(|error| panic!("{error}"))
}

/// Whether a fixture has a `# OK` section: code after it must not fire.
pub fn has_ok_section(text: &str) -> bool {
    let mut lines = text
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("# OK"));
    lines.next().is_some()
        && lines.any(|line| {
            let trimmed = line.trim();
            !trimmed.is_empty() && !trimmed.starts_with('#')
        })
}
pub mod lsp;

/// The `expect.txt` of a fixture project: findings in files that cannot
/// hold `# expect:` comments, and the rules whose negative cases it holds.
#[derive(Debug, Default)]
pub struct ProjectExpectations {
    /// (path, 1-based line, rule).
    pub findings: BTreeSet<(String, usize, String)>,
    /// Rules named on `ok:` lines: the project has code where they must
    /// not fire (the harness checks the exact set, so it is a real check).
    pub ok: BTreeSet<String>,
}

/// Reads `<project>/expect.txt`: `path:line rule` lines, `ok: a, b` lines,
/// `#` comments.
pub fn project_expectations(project: &Path) -> ProjectExpectations {
    let mut out = ProjectExpectations::default();
    let Ok(text) = fs::read_to_string(project.join("expect.txt")) else {
        return out;
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rules) = line.strip_prefix("ok:") {
            out.ok.extend(
                rules
                    .split(',')
                    .map(|rule| rule.trim().to_string())
                    .filter(|rule| !rule.is_empty()),
            );
            continue;
        }
        let (location, rule) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("expect.txt: `{line}` is not `path:line rule`"));
        let (path, number) = location
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("expect.txt: `{line}` is not `path:line rule`"));
        let number = number
            .parse()
            .unwrap_or_else(|_| panic!("expect.txt: bad line number in `{line}`"));
        out.findings
            .insert((path.to_string(), number, rule.trim().to_string()));
    }
    out
}

/// How many cases a property test runs: `PROPTEST_CASES` when it is set
/// (for long fuzzing runs), else the test's own small default (so the
/// suite stays short). Property tests set `cases` from this rather than a
/// literal, which would override the variable.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.trim().parse().ok())
        .unwrap_or(default)
}

/// The files of every fixture project under `tests/projects/`, each as
/// (path relative to the project, text); projects sorted by name.
pub fn fixture_projects() -> Vec<Vec<(String, String)>> {
    let root = repo_root().join("tests/projects");
    let Ok(entries) = fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    dirs.sort();
    dirs.iter()
        .map(|dir| {
            files_under(dir)
                .into_iter()
                .filter_map(|path| {
                    let text = fs::read_to_string(&path).ok()?;
                    let relative = path.strip_prefix(dir).ok()?.to_string_lossy().into_owned();
                    Some((relative, text))
                })
                .collect()
        })
        .collect()
}

/// Copies a folder and everything below it (test projects into a temporary
/// folder that a test may change).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let destination = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &destination);
        } else {
            std::fs::copy(&path, &destination).unwrap();
        }
    }
}

/// What a full check is held to after an incremental re-parse of a Python
/// text: tree-sitter's error recovery may build a different tree when it
/// re-parses erroneous text incrementally than when it parses it afresh.
/// The incremental check is held to a full check of the tree it was given;
/// that tree is held to the fresh one whenever the two parses agree.
pub struct ReferenceParse {
    pub fresh: tree_sitter::Tree,
    /// Whether the fresh parse and the re-parse agree.
    pub same: bool,
}

impl ReferenceParse {
    /// Parses `text` afresh and compares with `reparsed`.
    pub fn new(text: &str, reparsed: &tree_sitter::Tree) -> ReferenceParse {
        let fresh = shipshape_core::parse::parse(shipshape_core::FileKind::Python, text, None)
            .expect("a Python parser");
        let same = reparsed.root_node().to_sexp() == fresh.root_node().to_sexp();
        ReferenceParse { fresh, same }
    }

    /// Whether the fresh parse subscripts a starred expression,
    /// `(subscript value: (list_splat ...))`, as it does for `return
    /// *TABLE["key"]`: tree-sitter-python's grammar is ambiguous there (both
    /// trees hold no error), and a re-parse that reuses the subscript
    /// resolves it the other way, `(list_splat (subscript ...))`, which is
    /// how Python reads it. The one known case of valid text whose re-parse
    /// differs from a fresh parse (found by the literal-table property test
    /// at stop 33, `*` typed before `SERVICES["billing"]`); the incremental
    /// check is still held to a full check of its own tree.
    pub fn subscripts_a_splat(&self) -> bool {
        use streaming_iterator::StreamingIterator;
        let language = shipshape_core::FileKind::Python
            .language()
            .expect("Python's grammar");
        let query = tree_sitter::Query::new(&language, "(subscript value: (list_splat))")
            .expect("a valid query");
        tree_sitter::QueryCursor::new()
            .matches(&query, self.fresh.root_node(), &b""[..])
            .next()
            .is_some()
    }

    /// The tree a full check runs on: the fresh one when the parses agree,
    /// else `reparsed`.
    pub fn tree<'a>(&'a self, reparsed: &'a tree_sitter::Tree) -> &'a tree_sitter::Tree {
        if self.same { &self.fresh } else { reparsed }
    }
}

/// The findings of `a` not in `b`, one line each (rule, range, message, fix).
pub fn findings_only_in(
    a: &[shipshape_core::Finding],
    b: &[shipshape_core::Finding],
) -> Vec<String> {
    a.iter()
        .filter(|finding| !b.contains(finding))
        .map(|finding| {
            format!(
                "{} {:?} {:?} fix={:?}",
                finding.rule.id, finding.range, finding.message, finding.fix
            )
        })
        .collect()
}
