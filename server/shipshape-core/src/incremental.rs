//! Re-checking an edited Python file by re-running the rules only over the
//! top-level statements an edit touched (see [`check_file_incremental`]).

use std::{ops::Range, sync::Arc};

use tree_sitter::Tree;

use crate::{
    check::{
        FileFacts, Finding, RULES_TIME_BUDGET, SourceFile, run_hook_only_rules, run_matches,
        sort_and_dedup,
    },
    config::FileSettings,
    fix::Fix,
    kind::FileKind,
    project::ProjectContext,
    python,
    rule::Rule,
};

/// One edit of a text: `old` (bytes of the text before) became `new_len`
/// bytes. Maps offsets and ranges of the old text into the new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    pub old: Range<usize>,
    pub new_len: usize,
}

impl Shift {
    pub fn new(old: Range<usize>, new_len: usize) -> Shift {
        Shift { old, new_len }
    }

    /// No edit at all (what the server holds right after a check).
    pub fn identity() -> Shift {
        Shift::new(0..0, 0)
    }

    pub fn is_identity(&self) -> bool {
        self.old.is_empty() && self.new_len == 0
    }

    /// The new offset of an old one; `None` strictly inside the replaced text.
    pub fn offset(&self, offset: usize) -> Option<usize> {
        if offset <= self.old.start {
            Some(offset)
        } else if offset >= self.old.end {
            Some(offset - self.old.end + self.old.start + self.new_len)
        } else {
            None
        }
    }

    /// A fix with every edit moved over this edit; `None` when one of them
    /// touches the replaced text.
    pub fn fix(&self, fix: &Fix) -> Option<Fix> {
        let mut moved = fix.clone();
        for edit in &mut moved.edits {
            edit.range = self.range(&edit.range)?;
        }
        Some(moved)
    }

    /// The new range of an old one whose text the edit left alone; `None`
    /// when the range overlaps the replaced text, holds an insertion point
    /// strictly inside, or is empty at one (ambiguous).
    pub fn range(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let (start, end) = (self.old.start, self.old.end);
        let moved = |range: &Range<usize>| {
            range.start - end + start + self.new_len..range.end - end + start + self.new_len
        };
        if start == end {
            if range.end < start || (range.end == start && range.start < start) {
                Some(range.clone())
            } else if range.start > start || (range.start == start && range.end > start) {
                Some(moved(range))
            } else {
                None
            }
        } else if range.end <= start {
            Some(range.clone())
        } else if range.start >= end {
            Some(moved(range))
        } else {
            None
        }
    }
}

impl Shift {
    /// This edit followed by `next` (in the coordinates of the text after
    /// this one), as one edit of the original text covering both.
    pub fn then(&self, next: &Shift) -> Shift {
        if self.is_identity() {
            return next.clone();
        }
        if next.is_identity() {
            return self.clone();
        }
        let ours_end = self.old.start + self.new_len;
        let start = self.old.start.min(next.old.start);
        let end = ours_end.max(next.old.end);
        Shift {
            old: start..end - ours_end + self.old.end,
            new_len: end - start - (next.old.end - next.old.start) + next.new_len,
        }
    }
}

/// What an incremental check keeps of a check for the next one. Tied to the
/// text it was made from: the next check must pass the edits since then.
#[derive(Clone, Debug)]
pub struct PreviousCheck {
    /// Every finding of the rules' matches and hooks before sorting,
    /// deduplication, the fix check and suppressions, in match order.
    raw: Vec<Raw>,
    /// The module facts every rule may read.
    module: python::Module,
    /// The byte range and kind of each top-level node.
    top_level: Vec<(Range<usize>, u16)>,
    /// What each top-level node contributes to the module facts.
    statements: Vec<Arc<python::StatementFacts>>,
    project: ProjectContext,
    /// Whether the tree had no syntax errors.
    clean: bool,
}

#[derive(Clone, Debug)]
struct Raw {
    finding: Finding,
    /// The top-level node the match lay in; `None` for hook-only rules,
    /// which look at the whole file and run again every time.
    origin: Option<Range<usize>>,
    /// Whether the fix keeps a clean parse, and the text that answer
    /// depends on; computed when first needed.
    fix_check: Option<(bool, Vec<Range<usize>>)>,
}

/// How an incremental check went (for tests and logs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every rule ran over the whole file.
    Full,
    /// Rules ran over the changed top-level statements only, over this many bytes.
    Partial { bytes: usize },
}

/// The result of [`check_file_incremental`].
pub struct IncrementalCheck {
    pub findings: Vec<Finding>,
    pub mode: Mode,
    /// What the next check may start from; `None` when this file cannot be
    /// checked incrementally (not Python, or the rules stopped early).
    pub previous: Option<PreviousCheck>,
}

/// Checks `file` like [`check_file`](crate::check::check_file), re-running
/// the rules only where an edit can have changed their findings.
///
/// `previous` is the check of an earlier text and `edit` the edits since
/// then as one [`Shift`]. When both are known, both texts parse without
/// syntax errors, the file is Python, the
/// project context is the same and the module facts the rules read
/// (imports, constants, bindings, route handlers...) are equal up to the
/// shift, the rules run only over the top-level statements between the
/// first and last that changed (`QueryCursor::set_byte_range`), and
/// findings of the other statements are kept, shifted. Otherwise every
/// rule runs. Either way the findings equal a full check of the same text:
/// hooks read only their match's statement and the module facts, and
/// sorting, the fix check and suppressions run over the whole file each
/// time.
pub fn check_file_incremental(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
) -> IncrementalCheck {
    check_enabled(previous, edit, file, project, &|_| true)
}

/// [`check_file_incremental`] under a file's resolved configuration, with
/// the findings of
/// [`check_file_with_settings`](crate::check::check_file_with_settings):
/// rules that are off report nothing (and suppressions of them count as
/// they do there), severities are overridden, an excluded file has no
/// findings. What the next check starts from holds every rule's findings,
/// so a settings change between two checks needs no full check.
pub fn check_file_incremental_with_settings(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    settings: &FileSettings,
) -> IncrementalCheck {
    if settings.excluded {
        return IncrementalCheck {
            findings: Vec::new(),
            mode: Mode::Full,
            previous: None,
        };
    }
    let mut checked = check_enabled(previous, edit, file, project, &|rule| {
        settings.is_enabled(rule)
    });
    settings.apply_severities(&mut checked.findings);
    checked
}

fn check_enabled(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
) -> IncrementalCheck {
    let full =
        || crate::check::check_file_checked(file, project, enabled, RULES_TIME_BUDGET).findings;
    let Some(tree) = file.tree.filter(|_| file.kind == FileKind::Python) else {
        return IncrementalCheck {
            findings: full(),
            mode: Mode::Full,
            previous: None,
        };
    };
    let top_level = top_level_nodes(tree);
    // With syntax errors, error recovery may parse an unchanged statement
    // differently (its start state depends on the broken text around it),
    // so only clean trees before and after the edit allow a partial check.
    let clean = !tree.root_node().has_error();
    let usable = match (previous, edit) {
        (Some(previous), Some(edit)) if previous.project == *project && previous.clean && clean => {
            Some((previous, edit))
        }
        _ => {
            tracing::debug!(
                previous = previous.is_some(),
                edit = edit.is_some(),
                "no previous clean check to start from, or syntax errors: full check"
            );
            None
        }
    };
    let (prefix, suffix) = usable.map_or((0, 0), |(previous, edit)| {
        unchanged_ends(&previous.top_level, &top_level, edit, file.text)
    });
    // Facts of unchanged top-level nodes are reused; the others derived.
    let (old_statements, old_count) = usable.map_or((&[][..], 0), |(previous, _)| {
        (&previous.statements[..], previous.top_level.len())
    });
    let new_count = top_level.len();
    let statements =
        python::statement_facts(tree.root_node(), file.text, old_statements, |index| {
            if index < prefix {
                Some(index)
            } else if index >= new_count - suffix {
                Some(index + old_count - new_count)
            } else {
                None
            }
        });
    let module = python::Module::from_statements(tree.root_node(), file.text, &statements);
    let partial = usable.and_then(|(previous, edit)| {
        partial_raw(
            previous,
            edit,
            file,
            project,
            &module,
            &top_level,
            (prefix, suffix),
        )
    });
    let (raw, mode) = match partial {
        Some((raw, bytes)) => (raw, Mode::Partial { bytes }),
        None => match full_raw(file, project, &module, &top_level) {
            Some(raw) => (raw, Mode::Full),
            None => {
                return IncrementalCheck {
                    findings: full(),
                    mode: Mode::Full,
                    previous: None,
                };
            }
        },
    };
    let mut previous = PreviousCheck {
        raw,
        module,
        top_level,
        statements,
        project: project.clone(),
        clean,
    };
    let findings = finish(file, &mut previous.raw, enabled);
    IncrementalCheck {
        findings,
        mode,
        previous: Some(previous),
    }
}

fn top_level_nodes(tree: &Tree) -> Vec<(Range<usize>, u16)> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.children(&mut cursor)
        .map(|node| (node.byte_range(), node.kind_id()))
        .collect()
}

/// How many top-level nodes at the start and at the end an edit left
/// alone (same kind, same text, the same range after the shift, no line
/// shared with the edit).
fn unchanged_ends(
    old: &[(Range<usize>, u16)],
    new: &[(Range<usize>, u16)],
    edit: &Shift,
    text: &str,
) -> (usize, usize) {
    let same = |old: &(Range<usize>, u16), new: &(Range<usize>, u16)| {
        old.1 == new.1 && edit.range(&old.0).as_ref() == Some(&new.0)
    };
    let mut prefix = 0;
    while prefix < old.len()
        && prefix < new.len()
        && old[prefix].0.end <= edit.old.start
        && same(&old[prefix], &new[prefix])
    {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < old.len() - prefix
        && suffix < new.len() - prefix
        && old[old.len() - 1 - suffix].0.start >= edit.old.end
        && same(&old[old.len() - 1 - suffix], &new[new.len() - 1 - suffix])
    {
        suffix += 1;
    }
    // A kept node must not share a line with the change: hooks read the
    // rest of their lines (trailing comments, indentation).
    let edit_end = edit.old.start + edit.new_len;
    while prefix > 0 && !text[new[prefix - 1].0.end..edit.old.start].contains('\n') {
        prefix -= 1;
    }
    while suffix > 0 && !text[edit_end..new[new.len() - suffix].0.start].contains('\n') {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// The top-level node holding all of `span`.
fn origin_of(top_level: &[(Range<usize>, u16)], span: &Range<usize>) -> Option<Range<usize>> {
    let index = top_level.partition_point(|(range, _)| range.end < span.end.max(span.start + 1));
    let (range, _) = top_level.get(index)?;
    (range.start <= span.start && span.end <= range.end).then(|| range.clone())
}

/// Runs the rules over `range` (or the whole file) and records each
/// finding's origin; `None` when the rules stopped early or a match spans
/// several top-level nodes.
fn run_raw<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    facts: &'a FileFacts<'a>,
    top_level: &[(Range<usize>, u16)],
    range: Option<Range<usize>>,
) -> Option<Vec<Raw>> {
    let (matched, incomplete) =
        run_matches(file, project, None, RULES_TIME_BUDGET, facts, range.clone());
    if incomplete.is_some() {
        return None;
    }
    let mut raw = Vec::with_capacity(matched.len());
    for (finding, span) in matched {
        let Some(origin) = origin_of(top_level, &span) else {
            tracing::debug!(
                rule = finding.rule.id,
                ?span,
                "a match spans top-level nodes: full check"
            );
            return None;
        };
        if let Some(range) = &range
            && !(range.start <= origin.start && origin.end <= range.end)
        {
            // A match of a statement outside the range: its findings are kept.
            continue;
        }
        raw.push(Raw {
            finding,
            origin: Some(origin),
            fix_check: None,
        });
    }
    Some(raw)
}

fn full_raw(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    module: &python::Module,
    top_level: &[(Range<usize>, u16)],
) -> Option<Vec<Raw>> {
    let facts = FileFacts::with_python(module.clone());
    let mut raw = run_raw(file, project, &facts, top_level, None)?;
    raw.extend(hook_only(file, project, &facts));
    Some(raw)
}

fn hook_only<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    facts: &'a FileFacts<'a>,
) -> Vec<Raw> {
    run_hook_only_rules(file, project, None, facts)
        .into_iter()
        .map(|finding| Raw {
            finding,
            origin: None,
            fix_check: None,
        })
        .collect()
}

/// The findings after `edit` from those before it, re-running the rules
/// over the changed statements only; `None` when that would not be
/// correct. Also returns how many bytes the rules ran over.
fn partial_raw(
    previous: &PreviousCheck,
    edit: &Shift,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    module: &python::Module,
    top_level: &[(Range<usize>, u16)],
    (prefix, suffix): (usize, usize),
) -> Option<(Vec<Raw>, usize)> {
    if previous.module.shifted(edit).as_ref() != Some(module) {
        tracing::debug!("the module facts changed: full check");
        return None;
    }
    let old = &previous.top_level;
    let old_gap = prefix.checked_sub(1).map_or(0, |index| old[index].0.end)
        ..old
            .get(old.len() - suffix)
            .map_or(usize::MAX, |node| node.0.start);
    let new_gap = prefix
        .checked_sub(1)
        .map_or(0, |index| top_level[index].0.end)
        ..top_level
            .get(top_level.len() - suffix)
            .map_or(file.text.len(), |node| node.0.start);
    let outside = |range: &Range<usize>| range.end <= old_gap.start || range.start >= old_gap.end;
    let mut before = Vec::new();
    let mut after = Vec::new();
    for raw in &previous.raw {
        let Some(origin) = &raw.origin else { continue };
        if !outside(origin) {
            continue;
        }
        let mut kept = raw.clone();
        kept.origin = Some(edit.range(origin)?);
        kept.finding.range = edit.range(&raw.finding.range)?;
        if let Some(fix) = &raw.finding.fix {
            kept.finding.fix = Some(edit.fix(fix)?);
        }
        kept.fix_check = match &raw.fix_check {
            Some((ok, windows))
                if windows
                    .iter()
                    .all(|window| window.end < old_gap.start || window.start > old_gap.end) =>
            {
                let windows: Option<Vec<_>> = windows.iter().map(|w| edit.range(w)).collect();
                windows.map(|windows| (*ok, windows))
            }
            _ => None,
        };
        if origin.end <= old_gap.start {
            before.push(kept);
        } else {
            after.push(kept);
        }
    }
    let facts = FileFacts::with_python(module.clone());
    let changed = run_raw(file, project, &facts, top_level, Some(new_gap.clone()))?;
    let mut raw = before;
    raw.extend(changed);
    raw.extend(after);
    raw.extend(hook_only(file, project, &facts));
    Some((raw, new_gap.end - new_gap.start))
}

/// What `run_rules` and `check_file` do after the rules ran: sort and
/// deduplicate, drop fixes that break a clean parse (cached per finding),
/// apply suppressions.
fn finish(file: &SourceFile<'_>, raw: &mut [Raw], enabled: &dyn Fn(&Rule) -> bool) -> Vec<Finding> {
    let clean = file.tree.is_some_and(|tree| !tree.root_node().has_error());
    if clean && let Some(tree) = file.tree {
        let mut validator = None;
        for item in raw.iter_mut() {
            if item.fix_check.is_some() {
                continue;
            }
            let Some(fix) = &item.finding.fix else {
                continue;
            };
            let validator = validator
                .get_or_insert_with(|| crate::parse::FixValidator::new(file.kind, file.text, tree));
            if let Some(validator) = validator {
                item.fix_check = Some(validator.check(&fix.edits));
            }
        }
    }
    let mut findings: Vec<Finding> = raw
        .iter()
        .map(|item| {
            let mut finding = item.finding.clone();
            if clean && item.fix_check.as_ref().is_some_and(|(ok, _)| !ok) {
                finding.fix = None;
            }
            finding
        })
        .collect();
    findings.retain(|finding| enabled(finding.rule));
    sort_and_dedup(&mut findings);
    crate::suppress::apply_suppressions(file, &mut findings, enabled);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_map_offsets_around_an_edit() {
        let edit = Shift::new(10..15, 2);
        assert_eq!(edit.offset(3), Some(3));
        assert_eq!(edit.offset(12), None);
        assert_eq!(edit.offset(20), Some(17));
        assert_eq!(edit.range(&(0..10)), Some(0..10));
        assert_eq!(edit.range(&(9..11)), None);
        assert_eq!(edit.range(&(15..18)), Some(12..15));
        let insert = Shift::new(5..5, 3);
        assert_eq!(insert.range(&(0..5)), Some(0..5));
        assert_eq!(insert.range(&(5..7)), Some(8..10));
        assert_eq!(insert.range(&(4..6)), None);
        assert_eq!(insert.range(&(5..5)), None);
    }

    #[test]
    fn a_fix_moves_with_the_edit_or_not_at_all() {
        use crate::{fix::Applicability, text::TextEdit};
        let fix = |ranges: &[Range<usize>]| Fix {
            title: "t".into(),
            edits: ranges
                .iter()
                .map(|range| TextEdit::replace(range.clone(), "x"))
                .collect(),
            applicability: Applicability::Safe,
            other_files: Vec::new(),
        };
        let edit = Shift::new(10..15, 2);
        assert_eq!(edit.fix(&fix(&[0..3, 20..22])), Some(fix(&[0..3, 17..19])));
        assert_eq!(edit.fix(&fix(&[0..3, 12..13])), None);
    }

    #[test]
    fn composed_shifts_cover_both_edits() {
        // "abcdefghij": replace 2..4 with "XYZ" -> "abXYZefghij", then
        // delete 6..8 of that -> "abXYZehij"... covered as one edit of 2..7.
        let first = Shift::new(2..4, 3);
        let second = Shift::new(6..8, 0);
        let both = first.then(&second);
        assert_eq!(both, Shift::new(2..7, 4));
        let before = Shift::new(0..1, 1).then(&Shift::new(5..5, 2));
        assert_eq!(before, Shift::new(0..5, 7));
        // Nothing, then an edit: that edit (not a span from the start).
        assert_eq!(Shift::identity().then(&second), second);
        assert_eq!(second.then(&Shift::identity()), second);
    }
}
