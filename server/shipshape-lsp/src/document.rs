//! Open documents, independent of the protocol: the text as a rope (for
//! positions) and as a string (for the rules), and a tree-sitter tree kept in
//! step with every edit.
//!
//! An edit goes into the rope, the string and the tree (`Tree::edit`) at once;
//! the re-parse with the edited old tree happens when the document is next
//! analysed ([`analyze`]), so a burst of edits costs one incremental parse.
//! Everything here is synchronous; the server runs [`analyze`] on a blocking
//! thread with a [`Snapshot`] that shares the text, rope and tree cheaply.

use std::{
    ops::Range,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use ropey::Rope;
use shipshape_core::{
    FileKind, Finding, SourceFile,
    check::RULES_TIME_BUDGET,
    config::FileSettings,
    incremental::{Mode, PreviousCheck, Shift, check_file_incremental_with_settings_within},
    parse::{input_edit, parse},
    project::ProjectContext,
    suppress,
    text::{Encoding, LineIndex, Position, PositionError, TextEdit},
    work::Work,
};
use tree_sitter::{InputEdit, Tree};

/// Documents larger than this are kept in sync but not parsed or checked:
/// rules are written for source files, not for generated blobs.
pub const MAX_ANALYZED_BYTES: usize = 4 * 1024 * 1024;

/// One content change of a `didChange` notification, positions already in
/// the core's types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The whole new text.
    Full(String),
    /// Replace the text between two positions.
    Range {
        start: Position,
        end: Position,
        text: String,
    },
}

/// Why a `didChange` was not applied. The document is left as it was.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChangeError {
    #[error("version {got} is not newer than the document's version {current}")]
    Stale { current: i32, got: i32 },
    #[error("change {index} has a bad range: {error}")]
    BadRange { index: usize, error: PositionError },
}

/// An open document.
pub struct Document {
    /// The path rules see: relative to its workspace root when inside one.
    path: PathBuf,
    kind: FileKind,
    /// Whether the kind came from the file name (else the language id or the
    /// content decided, and an edit may change it: YAML becoming compose).
    kind_from_name: bool,
    version: i32,
    rope: Rope,
    text: Arc<String>,
    /// The tree of the last parse, edited with every change since; `None`
    /// before the first parse, after a full replacement, for kinds without a
    /// grammar and for oversized texts.
    tree: Option<Tree>,
    /// Whether `tree` was parsed from exactly the current text.
    tree_is_current: bool,
    /// The last accepted check, for an incremental re-check.
    previous: Option<Arc<PreviousCheck>>,
    /// The edits since the text of `previous`, as one (`None` after a full
    /// replacement: the next check is a full one).
    pending: Option<Shift>,
}

impl Document {
    /// Opens a document. `kind_from_name` says whether `kind` was decided by
    /// the path alone.
    pub fn new(
        path: PathBuf,
        kind: FileKind,
        kind_from_name: bool,
        version: i32,
        text: String,
    ) -> Document {
        Document {
            path,
            kind,
            kind_from_name,
            version,
            rope: Rope::from_str(&text),
            text: Arc::new(text),
            tree: None,
            tree_is_current: false,
            previous: None,
            pending: None,
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn kind(&self) -> FileKind {
        self.kind
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, shared.
    pub fn shared_text(&self) -> Arc<String> {
        Arc::clone(&self.text)
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// Applies the changes of one `didChange`, in order, and moves to
    /// `version`. All or nothing: a stale version or a bad range leaves the
    /// document untouched.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: Vec<Change>,
        encoding: Encoding,
    ) -> Result<(), ChangeError> {
        if version <= self.version {
            return Err(ChangeError::Stale {
                current: self.version,
                got: version,
            });
        }
        // Work on copies so that a bad change in the middle of a batch leaves
        // nothing half-applied. Cloning a rope is cheap (shared nodes).
        let mut rope = self.rope.clone();
        let mut text = String::clone(&self.text);
        let mut input_edits = Vec::new();
        let mut replaced = false;
        let mut pending = self.pending.clone();
        for (index, change) in changes.into_iter().enumerate() {
            match change {
                Change::Full(new_text) => {
                    rope = Rope::from_str(&new_text);
                    text = new_text;
                    input_edits.clear();
                    replaced = true;
                    pending = None;
                }
                Change::Range {
                    start,
                    end,
                    text: new_text,
                } => {
                    let range = LineIndex::new(&rope)
                        .range(start, end, encoding)
                        .map_err(|error| ChangeError::BadRange { index, error })?;
                    let shift = Shift::new(range.clone(), new_text.len());
                    pending = pending.map(|before| before.then(&shift));
                    input_edits.push(replace(&mut rope, &mut text, range, &new_text));
                }
            }
        }
        if replaced {
            self.tree = None;
            self.previous = None;
        }
        self.pending = pending;
        if let Some(tree) = &mut self.tree {
            for edit in &input_edits {
                tree.edit(edit);
            }
        }
        if replaced || !input_edits.is_empty() {
            self.tree_is_current = false;
        }
        self.rope = rope;
        self.text = Arc::new(text);
        self.version = version;
        Ok(())
    }

    /// What an analysis needs, shared cheaply.
    pub fn snapshot(&self, project: Arc<ProjectContext>) -> Snapshot {
        Snapshot {
            path: self.path.clone(),
            kind: self.kind,
            kind_from_name: self.kind_from_name,
            version: self.version,
            rope: self.rope.clone(),
            text: Arc::clone(&self.text),
            tree: self.tree.clone(),
            tree_is_current: self.tree_is_current,
            previous: self.previous.clone(),
            pending: self.pending.clone(),
            project,
            settings: Arc::default(),
        }
    }

    /// Keeps the tree (and kind) an analysis produced, when the document has
    /// not changed since its snapshot: the next edit then re-parses from it.
    /// Takes in the analysis of the current version; returns the previous
    /// check it replaces (for the caller to drop when convenient).
    /// The tree of the current text and the check made from it (`None`
    /// when it has none: not Python, rules stopped early), when the text
    /// was checked since its last change; `None` otherwise.
    #[allow(clippy::type_complexity)]
    pub fn checked(&self) -> Option<(FileKind, Tree, Option<Arc<PreviousCheck>>)> {
        let current = self.tree_is_current && self.pending.as_ref().is_some_and(Shift::is_identity);
        let tree = self.tree.as_ref().filter(|_| current)?;
        Some((self.kind, tree.clone(), self.previous.clone()))
    }

    pub fn accept(&mut self, analysis: &Analysis) -> Option<Arc<PreviousCheck>> {
        if analysis.version != self.version {
            return None;
        }
        // The next check starts from this one: no edits since.
        let replaced = std::mem::replace(&mut self.previous, analysis.previous.clone());
        self.pending = Some(Shift::identity());
        if !(self.tree_is_current && analysis.kind == self.kind) {
            self.kind = analysis.kind;
            self.tree = analysis.tree.clone();
            self.tree_is_current = analysis.tree.is_some();
        }
        replaced
    }
}

/// Replaces `range` (bytes) of the text and rope with `new_text` and returns
/// the matching tree-sitter edit.
fn replace(rope: &mut Rope, text: &mut String, range: Range<usize>, new_text: &str) -> InputEdit {
    let edit = input_edit(text, range.clone(), new_text);
    let start_char = rope.byte_to_char(range.start);
    let end_char = rope.byte_to_char(range.end);
    rope.remove(start_char..end_char);
    rope.insert(start_char, new_text);
    text.replace_range(range, new_text);
    edit
}

/// A document as of one version, detached from the store.
#[derive(Clone)]
pub struct Snapshot {
    pub path: PathBuf,
    pub kind: FileKind,
    kind_from_name: bool,
    pub version: i32,
    pub rope: Rope,
    pub text: Arc<String>,
    tree: Option<Tree>,
    tree_is_current: bool,
    previous: Option<Arc<PreviousCheck>>,
    pending: Option<Shift>,
    pub project: Arc<ProjectContext>,
    /// The configuration of this file (editor settings and configuration
    /// files): which rules run, at which severity.
    pub settings: Arc<FileSettings>,
}

impl Snapshot {
    /// The edits since the document's last accepted check, as one (`None`
    /// after a full replacement).
    pub fn pending(&self) -> Option<&Shift> {
        self.pending.as_ref()
    }

    /// This snapshot under a file's resolved configuration.
    pub fn with_settings(mut self, settings: Arc<FileSettings>) -> Snapshot {
        self.settings = settings;
        self
    }

    /// A file for the core's functions, with this snapshot's text and `tree`.
    pub fn source_file<'a>(&'a self, tree: Option<&'a Tree>, kind: FileKind) -> SourceFile<'a> {
        SourceFile {
            path: &self.path,
            kind,
            text: &self.text,
            tree,
        }
    }
}

/// The result of checking a snapshot.
pub struct Analysis {
    pub version: i32,
    pub kind: FileKind,
    pub tree: Option<Tree>,
    pub findings: Vec<Finding>,
    /// What the next check of the document may start from.
    pub previous: Option<Arc<PreviousCheck>>,
    /// How the check went and the work it did (for logs and the replay
    /// bench, `examples/replay.rs`); `None` when nothing was checked.
    pub checked: Option<(Mode, Work)>,
}

/// Parses (incrementally, from the edited old tree) and checks a snapshot.
/// CPU work: the server calls it on a blocking thread.
pub fn analyze(snapshot: &Snapshot) -> Analysis {
    analyze_within(snapshot, RULES_TIME_BUDGET)
}

/// [`analyze`] with another time budget for the rules (a replay under
/// callgrind, which runs many times slower than the server).
pub fn analyze_within(snapshot: &Snapshot, budget: Duration) -> Analysis {
    let text = snapshot.text.as_str();
    if text.len() > MAX_ANALYZED_BYTES {
        tracing::warn!(
            path = %snapshot.path.display(),
            bytes = text.len(),
            "document too large to check (limit {MAX_ANALYZED_BYTES} bytes)"
        );
        return Analysis {
            version: snapshot.version,
            kind: snapshot.kind,
            tree: None,
            findings: Vec::new(),
            previous: None,
            checked: None,
        };
    }
    let mut kind = snapshot.kind;
    let mut old_tree = snapshot.tree.as_ref();
    if !snapshot.kind_from_name
        && matches!(kind, FileKind::Yaml | FileKind::Compose)
        && let Some(detected) = FileKind::detect(&snapshot.path, text)
    {
        // Compose and plain YAML share a grammar, so the old tree stays usable.
        kind = detected;
        if kind.language().is_none() {
            old_tree = None;
        }
    }
    let tree = if snapshot.tree_is_current && kind == snapshot.kind {
        snapshot.tree.clone()
    } else {
        parse(kind, text, old_tree)
    };
    // Only the statements the edits since the last check touched are
    // re-checked when that gives the same findings (see
    // `shipshape_core::incremental`); else every rule runs.
    let previous = snapshot
        .previous
        .as_deref()
        .filter(|_| kind == snapshot.kind);
    let checked = check_file_incremental_with_settings_within(
        previous,
        snapshot.pending.as_ref(),
        &snapshot.source_file(tree.as_ref(), kind),
        &snapshot.project,
        &snapshot.settings,
        budget,
    );
    tracing::debug!(path = %snapshot.path.display(), mode = ?checked.mode, work = ?checked.work, "checked");
    Analysis {
        version: snapshot.version,
        kind,
        tree,
        findings: checked.findings,
        previous: checked.previous.map(Arc::new),
        checked: Some((checked.mode, checked.work)),
    }
}

impl Snapshot {
    /// The tree of this snapshot's text: the document's when it is current,
    /// else a fresh parse.
    pub fn current_tree(&self) -> Option<Tree> {
        if self.tree_is_current {
            self.tree.clone()
        } else {
            parse(self.kind, &self.text, None)
        }
    }

    /// The edit behind "ignore `rule` on this line" for a finding starting
    /// at `offset`, computed when a client asks for code actions rather
    /// than sent with every diagnostic; `tree` (of this text, see
    /// [`Snapshot::current_tree`]) tells comments from strings.
    pub fn ignore_edit(&self, tree: Option<&Tree>, offset: usize, rule: &str) -> Option<TextEdit> {
        suppress::ignore_edit(&self.source_file(tree, self.kind), offset, rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python(text: &str) -> Document {
        Document::new(
            PathBuf::from("app/main.py"),
            FileKind::Python,
            true,
            1,
            text.to_string(),
        )
    }

    fn change(start: (u32, u32), end: (u32, u32), text: &str) -> Change {
        Change::Range {
            start: Position::new(start.0, start.1),
            end: Position::new(end.0, end.1),
            text: text.to_string(),
        }
    }

    fn parse_and_keep(document: &mut Document) -> Analysis {
        let analysis = analyze(&document.snapshot(Arc::default()));
        document.accept(&analysis);
        analysis
    }

    #[test]
    fn edits_keep_rope_text_and_tree_in_step() {
        let mut document = python("x = '😀'\ntry:\n    pass\nexcept ValueError:\n    pass\n");
        parse_and_keep(&mut document);
        // Delete " ValueError" on line 3 (UTF-16 columns; the emoji is on line 0).
        document
            .apply_changes(2, vec![change((3, 6), (3, 17), "")], Encoding::Utf16)
            .unwrap();
        assert_eq!(
            document.text(),
            "x = '😀'\ntry:\n    pass\nexcept:\n    pass\n"
        );
        assert_eq!(document.rope().to_string(), document.text());
        let analysis = parse_and_keep(&mut document);
        let bare_excepts = |findings: &[shipshape_core::Finding]| {
            findings
                .iter()
                .filter(|finding| finding.rule.is(shipshape_core::rule::ids::BARE_EXCEPT))
                .count()
        };
        assert_eq!(
            bare_excepts(&analysis.findings),
            1,
            "bare except after the edit"
        );
        let fresh = parse(FileKind::Python, document.text(), None).unwrap();
        assert_eq!(
            analysis.tree.unwrap().root_node().to_sexp(),
            fresh.root_node().to_sexp()
        );
    }

    #[test]
    fn a_bad_change_leaves_the_document_untouched() {
        let mut document = python("a = 1\n");
        let changes = vec![change((0, 0), (0, 0), "b"), change((9, 0), (9, 1), "c")];
        let error = document
            .apply_changes(2, changes, Encoding::Utf8)
            .unwrap_err();
        assert!(matches!(error, ChangeError::BadRange { index: 1, .. }));
        assert_eq!(document.text(), "a = 1\n");
        assert_eq!(document.version(), 1);
        let inverted = vec![change((0, 3), (0, 1), "")];
        assert!(document.apply_changes(2, inverted, Encoding::Utf8).is_err());
        assert_eq!(
            document.apply_changes(1, vec![Change::Full(String::new())], Encoding::Utf8),
            Err(ChangeError::Stale { current: 1, got: 1 })
        );
    }

    #[test]
    fn a_full_change_replaces_everything() {
        let mut document = python("a = 1\n");
        parse_and_keep(&mut document);
        let changes = vec![
            Change::Full("try:\n    pass\nexcept:\n    pass\n".into()),
            change((0, 0), (0, 0), "#\n"),
        ];
        document.apply_changes(5, changes, Encoding::Utf32).unwrap();
        assert_eq!(document.text(), "#\ntry:\n    pass\nexcept:\n    pass\n");
        let findings = parse_and_keep(&mut document).findings;
        assert_eq!(
            findings
                .iter()
                .filter(|finding| finding.rule.is(shipshape_core::rule::ids::BARE_EXCEPT))
                .count(),
            1
        );
    }
}
