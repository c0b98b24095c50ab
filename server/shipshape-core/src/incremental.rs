//! Re-checking an edited Python file by re-running the rules only over the
//! units an edit touched (see [`check_file_incremental`]): top-level
//! statements, and within a literal table, a class or a function, its
//! elements (records, body statements; see [`Split`]).

use std::{ops::Range, sync::Arc};

use tree_sitter::{Node, Tree};

use crate::{
    check::{
        FileFacts, Finding, RULES_TIME_BUDGET, SourceFile, run_hook_only_rules, run_matches,
        sort_and_dedup,
    },
    kind::FileKind,
    parse,
    pragmas::Suppressions,
    project::ProjectContext,
    python,
    rule::Rule,
    settings::FileSettings,
    user_rules::UserRules,
};

pub use crate::text::Shift;

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
    /// For each top-level node split into element units (a literal table
    /// `NAME = [...]`, `{...}`, `(...)`, a class or a function), its
    /// elements: each element is a unit of its own (see [`Split`]).
    splits: Vec<Option<Arc<Split>>>,
    /// The module facts hooks and predicates read, by key, per unit of the
    /// matches that read them (see [`python::ModuleView`]), in unit order:
    /// each key once per unit, shared, so a kept unit's reads move as one
    /// entry however many reads its rules made.
    reads: Vec<UnitReads>,
    /// What each top-level node contributes to the module facts.
    statements: Vec<Arc<python::StatementFacts>>,
    project: ProjectContext,
    /// The user rules the check ran (another set needs a full check).
    user_rules: UserRules,
    /// For each top-level node, whether it held a syntax error.
    errors: Vec<bool>,
    /// For each top-level node, whether it starts a line.
    line_starts: Vec<bool>,
    /// The kind of the tree's root: `module`, or `ERROR` when error
    /// recovery could not make a module of the text.
    root: u16,
    /// Whether the text may hold a suppression comment or a peer's pragma
    /// ([`Suppressions::possible`]).
    suppressions: bool,
    /// The tree of the text. A re-parse shares its unchanged subtrees, so
    /// the next check can tell cheaply that a node holding a syntax error
    /// parsed as before ([`parse::same_parse`]).
    tree: Tree,
}

/// A unit and the fact keys its matches read, each once.
type UnitReads = (Range<usize>, Arc<[python::FactKey]>);

/// What a partial check keeps for the next: the raw findings and the
/// reads by unit.
type Kept = (Vec<Raw>, Vec<UnitReads>);

/// Groups fact reads by unit, each key once per unit.
fn group_reads(reads: Vec<(Range<usize>, python::FactKey)>) -> Vec<UnitReads> {
    let mut units: std::collections::HashMap<
        Range<usize>,
        std::collections::HashSet<python::FactKey>,
    > = std::collections::HashMap::new();
    for (origin, key) in reads {
        units.entry(origin).or_default().insert(key);
    }
    let mut grouped: Vec<UnitReads> = units
        .into_iter()
        .map(|(origin, keys)| (origin, keys.into_iter().collect()))
        .collect();
    grouped.sort_by_key(|(origin, _)| (origin.start, origin.end));
    grouped
}

impl PreviousCheck {
    /// The module facts of the text this check was made from.
    pub fn module(&self) -> &python::Module {
        &self.module
    }
}

#[derive(Clone, Debug)]
struct Raw {
    finding: Finding,
    /// The unit the match lay in (its top-level node, or an element of a
    /// literal table); `None` for hook-only rules, which look at the whole
    /// file and run again every time.
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
    /// The work the check did (see [`crate::work`]).
    pub work: crate::work::Work,
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
    check_file_incremental_within(previous, edit, file, project, RULES_TIME_BUDGET)
}

/// [`check_file_incremental`] with another time budget for the rules than
/// [`RULES_TIME_BUDGET`] (tests of large files on slow machines).
pub fn check_file_incremental_within(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    budget: std::time::Duration,
) -> IncrementalCheck {
    check_enabled(
        previous,
        edit,
        file,
        project,
        &|_| true,
        budget,
        &UserRules::default(),
    )
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
    check_file_incremental_with_settings_within(
        previous,
        edit,
        file,
        project,
        settings,
        RULES_TIME_BUDGET,
    )
}

/// [`check_file_incremental_with_settings`] with another time budget for
/// the rules than [`RULES_TIME_BUDGET`] (a replay under callgrind).
pub fn check_file_incremental_with_settings_within(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    settings: &FileSettings,
    budget: std::time::Duration,
) -> IncrementalCheck {
    if settings.excluded {
        return IncrementalCheck {
            findings: Vec::new(),
            mode: Mode::Full,
            work: crate::work::Work::default(),
            previous: None,
        };
    }
    let mut checked = check_enabled(
        previous,
        edit,
        file,
        project,
        &|rule| settings.is_enabled(rule),
        budget,
        &settings.user_rules,
    );
    settings.apply_severities(&mut checked.findings);
    checked
}

fn check_enabled(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
    budget: std::time::Duration,
    user: &UserRules,
) -> IncrementalCheck {
    let (mut checked, work) = crate::work::measure(|| {
        check_measured(previous, edit, file, project, enabled, budget, user)
    });
    checked.work = work;
    checked
}

fn check_measured(
    previous: Option<&PreviousCheck>,
    edit: Option<&Shift>,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
    budget: std::time::Duration,
    user: &UserRules,
) -> IncrementalCheck {
    let full = || {
        crate::check::check_file_checked_with_user(file, project, enabled, budget, user).findings
    };
    let Some(tree) = file.tree.filter(|_| file.kind == FileKind::Python) else {
        return IncrementalCheck {
            findings: full(),
            mode: Mode::Full,
            work: crate::work::Work::default(),
            previous: None,
        };
    };
    // The root's children, walked once per check (see `python::children`).
    let top_level_nodes = python::children(tree.root_node());
    let (top_level, errors) = top_level_ranges(&top_level_nodes);
    let line_starts = top_level
        .iter()
        .map(|(range, _)| range.start == 0 || file.text.as_bytes()[range.start - 1] == b'\n')
        .collect();
    let root = tree.root_node().kind_id();
    // Syntax errors do not force a full check: a kept top-level node that
    // holds one (before or after the edit) keeps its facts and findings
    // only when the re-parse left it as it was (error recovery may parse it
    // differently once the text around it changed; see `parsed_again`);
    // an unchanged node without errors parses the same. The root's kind must not change: when error recovery
    // turns the whole module into an `ERROR` node (or back), patterns
    // anchored at the module match differently in nodes the edit left alone.
    let usable = match (previous, edit) {
        (Some(previous), Some(edit))
            if previous.project == *project
                && previous.user_rules == *user
                && previous.root == root =>
        {
            Some((previous, edit))
        }
        _ => {
            tracing::debug!(
                previous = previous.is_some(),
                edit = edit.is_some(),
                "no previous check to start from: full check"
            );
            None
        }
    };
    let (prefix, suffix) = usable.map_or((0, 0), |(previous, edit)| {
        unchanged_ends(
            &previous.top_level,
            &top_level,
            edit,
            file.text,
            Some(&previous.line_starts),
        )
    });
    // Facts and splits of unchanged top-level nodes are reused; the others derived.
    let (old_statements, old_splits, old_count) =
        usable.map_or((&[][..], &[][..], 0), |(previous, _)| {
            (
                &previous.statements[..],
                &previous.splits[..],
                previous.top_level.len(),
            )
        });
    let new_count = top_level.len();
    // A kept node with a syntax error, now or before, is derived again
    // unless the re-parse left it as it was.
    let parsed_again = usable.map_or_else(Vec::new, |(previous, _)| {
        parsed_again(previous, &top_level_nodes, &errors, (prefix, suffix))
    });
    let reuse = |index: usize| {
        kept_index(index, (prefix, suffix), (old_count, new_count)).filter(|_| !parsed_again[index])
    };
    let nest = tables_nest(user);
    let changed = usable.and_then(|(previous, edit)| {
        changed_split(
            previous,
            edit,
            tree,
            file.text,
            &top_level,
            (prefix, suffix),
            nest,
        )
    });
    let splits = split_statements(
        &top_level_nodes,
        file.text,
        (bodies_split(user), nest),
        old_splits,
        reuse,
        changed.as_ref(),
    );
    // A changed split statement whose module facts cannot have changed
    // keeps its old ones (deriving them walks the whole table or class).
    let statements =
        python::statement_facts(&top_level_nodes, file.text, old_statements, |index| {
            reuse(index).or_else(|| {
                changed
                    .as_ref()
                    .filter(|changed| changed.index == index && changed.same_facts)
                    .map(|_| index + old_count - new_count)
            })
        });
    let module = python::Module::from_statements(
        &top_level_nodes,
        file.text,
        &statements,
        usable.map(|(previous, _)| (&previous.module, &previous.statements[..])),
    );
    let units = Units {
        top_level: &top_level,
        splits: &splits,
        errors: &errors,
        parsed_again: &parsed_again,
        changed: changed.as_ref(),
        error_root: tree.root_node().is_error(),
    };
    let partial = usable.and_then(|(previous, edit)| {
        partial_raw(
            previous,
            edit,
            file,
            project,
            &module,
            &units,
            (prefix, suffix),
            budget,
            user,
        )
    });
    let (raw, reads, mode) = match partial {
        Some(((raw, reads), bytes)) => (raw, reads, Mode::Partial { bytes }),
        None => match full_raw(file, project, &module, &units, budget, user) {
            Some((raw, reads)) => (raw, group_reads(reads), Mode::Full),
            None => {
                return IncrementalCheck {
                    findings: full(),
                    mode: Mode::Full,
                    work: crate::work::Work::default(),
                    previous: None,
                };
            }
        },
    };
    // Whether the text may hold a suppression: known without a search of
    // the whole text when the last one could hold none.
    let suppressions = match previous.zip(edit) {
        Some((previous, edit)) if !previous.suppressions => {
            Suppressions::possible_after(file.kind, file.text, edit)
        }
        _ => Suppressions::possible(file.kind, file.text),
    };
    let mut previous = PreviousCheck {
        suppressions,
        raw,
        module,
        top_level,
        splits,
        reads,
        statements,
        project: project.clone(),
        user_rules: user.clone(),
        errors,
        line_starts,
        root,
        tree: tree.clone(),
    };
    let findings = finish(file, &mut previous.raw, enabled, user, suppressions);
    IncrementalCheck {
        findings,
        mode,
        work: crate::work::Work::default(),
        previous: Some(previous),
    }
}

/// Where the node at `index` of a new list was in the old one, when it is
/// among the `prefix` first or `suffix` last nodes an edit left alone
/// ([`unchanged_ends`]).
pub(crate) fn kept_index(
    index: usize,
    (prefix, suffix): (usize, usize),
    (old_count, new_count): (usize, usize),
) -> Option<usize> {
    if index < prefix {
        Some(index)
    } else if index >= new_count - suffix {
        Some(index + old_count - new_count)
    } else {
        None
    }
}

/// For each top-level node, whether it is kept (among the `prefix` first or
/// `suffix` last, see [`unchanged_ends`]) but must be checked again: it
/// holds a syntax error now or held one before, and the re-parse did not
/// leave it as it was ([`parse::same_parse`]; error recovery may parse
/// unchanged text otherwise once the text around it changed). A node
/// without errors before and after parses the same.
fn parsed_again(
    previous: &PreviousCheck,
    nodes: &[Node<'_>],
    errors: &[bool],
    (prefix, suffix): (usize, usize),
) -> Vec<bool> {
    let (old_count, new_count) = (previous.top_level.len(), nodes.len());
    let mut again = vec![false; new_count];
    let mut old_nodes = None;
    for index in (0..prefix).chain(new_count - suffix..new_count) {
        let Some(old) = kept_index(index, (prefix, suffix), (old_count, new_count)) else {
            continue;
        };
        if !errors[index] && !previous.errors[old] {
            continue;
        }
        // Listed once, and only when a kept node holds an error.
        let old_nodes =
            old_nodes.get_or_insert_with(|| python::children(previous.tree.root_node()));
        again[index] = !old_nodes
            .get(old)
            .is_some_and(|old| parse::same_parse(*old, nodes[index]));
    }
    again
}

/// The byte range and kind of each top-level node, and whether it holds a
/// syntax error.
fn top_level_ranges(top_level: &[Node<'_>]) -> (Vec<(Range<usize>, u16)>, Vec<bool>) {
    let (nodes, errors): (Vec<_>, Vec<_>) = top_level
        .iter()
        .map(|node| ((node.byte_range(), node.kind_id()), node.has_error()))
        .unzip();
    crate::work::top_level(nodes.len());
    (nodes, errors)
}

/// The node whose children are a top-level node's element units, and what
/// kind of split that is: the collection a literal table assigns
/// (`NAME = [...]`, or a dict, set or tuple, annotated or not), or the body
/// of a class or function (decorated or not) when `bodies` says bodies
/// split.
fn elements_of(statement: Node<'_>, bodies: bool) -> Option<(Node<'_>, SplitKind)> {
    if bodies && let Some((definition, body)) = python::definition_body(statement) {
        let kind = match definition.kind() {
            "class_definition" => SplitKind::Class,
            _ => SplitKind::Function,
        };
        return (body.kind() == "block" && body.child_count() > 0).then_some((body, kind));
    }
    if statement.kind() != "expression_statement" || statement.named_child_count() != 1 {
        return None;
    }
    let assignment = statement.named_child(0)?;
    if assignment.kind() != "assignment" {
        return None;
    }
    let right = assignment.child_by_field_name("right")?;
    matches!(right.kind(), "list" | "dictionary" | "set" | "tuple")
        .then_some((right, SplitKind::Table))
}

/// The element units of a split node: a table's named children (its
/// records), every child of a class or function body (its statements).
fn element_nodes(node: Node<'_>, kind: SplitKind) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    match kind {
        SplitKind::Table => node.named_children(&mut cursor).collect(),
        SplitKind::Class | SplitKind::Function => node.children(&mut cursor).collect(),
    }
}

/// The smallest element (in bytes) whose literal table is split into
/// units of its own ([`nested_split`]): below it, re-running the element
/// costs less than keeping its parts apart.
const NESTED_MIN: usize = 1024;

/// The literal table an element is made of, through the wrappers a table
/// sits in: a dict's `key: value` pair, a statement that is an expression,
/// an assignment's right side, an `assert`'s condition, a comparison's last
/// operand (`assert response.json() == {...}`), a `return`'s value. Not
/// through calls: hooks read a call's arguments together.
fn table_of(node: Node<'_>) -> Option<Node<'_>> {
    let mut node = node;
    loop {
        node = match node.kind() {
            "list" | "dictionary" | "set" | "tuple" => return Some(node),
            "pair" => node.child_by_field_name("value")?,
            "assignment" => node.child_by_field_name("right")?,
            "expression_statement" | "return_statement" | "assert_statement" => {
                node.named_child(0)?
            }
            "comparison_operator" => {
                let last = u32::try_from(node.named_child_count().checked_sub(1)?).ok()?;
                node.named_child(last)?
            }
            _ => return None,
        };
    }
}

/// The wrappers [`table_of`] looks through, and the tables themselves: a
/// rule whose predicate reads the whole text of such an ancestor reads
/// more than one element of a nested table, so tables do not nest then
/// ([`tables_nest`]).
const TABLE_WRAPPERS: [&str; 10] = [
    "list",
    "dictionary",
    "set",
    "tuple",
    "pair",
    "assignment",
    "expression_statement",
    "return_statement",
    "assert_statement",
    "comparison_operator",
];

/// The split of a large element (a table's record, a class's or function's
/// body statement) into the elements of the literal table it is made of
/// (see [`table_of`]), each of them split the same way when large: a
/// 7,000-line `assert response.json() == {...}` in a test is one body
/// statement, and a key in it re-runs one innermost record, plus the
/// matches rooted in the head and tail of each table around it. The
/// elements' ranges are relative to the element's start, so a kept element
/// keeps its split as it moves. `facts` says whether the element is a body
/// statement whose facts the split may keep ([`Split::plain`]).
fn nested_split(element: Node<'_>, text: &str, facts: bool) -> Option<Arc<Split>> {
    let (table, nodes, elements) = table_elements(element)?;
    let nested = nodes
        .iter()
        .map(|&node| nested_split(node, text, false))
        .collect();
    let bindless = facts && is_plain(table);
    let plain = bindless && !python::has_text_facts(&text[element.byte_range()]);
    Some(Split::nested_table(elements, (plain, bindless), nested))
}

/// A table node, its elements, and their ranges relative to a start.
type TableElements<'t> = (Node<'t>, Vec<Node<'t>>, Vec<(Range<usize>, u16)>);

/// The literal table a large element is made of ([`NESTED_MIN`],
/// [`table_of`]), its elements, and their ranges relative to the element's
/// start; `None` when the element is small, not made of a table, or the
/// table is empty.
fn table_elements(element: Node<'_>) -> Option<TableElements<'_>> {
    if element.end_byte() - element.start_byte() < NESTED_MIN {
        return None;
    }
    let table = table_of(element)?;
    let nodes = element_nodes(table, SplitKind::Table);
    if nodes.is_empty() {
        return None;
    }
    crate::work::top_level(nodes.len());
    let start = element.start_byte();
    let elements = nodes
        .iter()
        .map(|node| {
            (
                node.start_byte() - start..node.end_byte() - start,
                node.kind_id(),
            )
        })
        .collect();
    Some((table, nodes, elements))
}

/// A changed element's new nested split, when the edit lies among the
/// elements of its old one (the element's head and tail are unchanged):
/// the unchanged elements keep their splits, the one changed element (when
/// one) is followed down. `changed` are the innermost changed elements,
/// `changed_text` the text between the unchanged ones around them, on
/// whole lines.
struct NestedChange<'t> {
    split: Arc<Split>,
    changed: Vec<Node<'t>>,
    changed_text: Range<usize>,
}

fn changed_nested<'t>(
    old: &Split,
    old_start: usize,
    element: Node<'t>,
    edit: &Shift,
    text: &str,
    facts: bool,
) -> Option<NestedChange<'t>> {
    let (first_element, last_element) = (old.elements.first()?, old.elements.last()?);
    if element.start_byte() != old_start
        || !(old_start + first_element.0.start <= edit.old.start
            && edit.old.end <= old_start + last_element.0.end)
    {
        return None;
    }
    let (_, nodes, elements) = table_elements(element)?;
    let start = element.start_byte();
    let old_abs = absolute(&old.elements, old_start);
    let new_abs = absolute(&elements, start);
    let (first, last) = unchanged_ends(&old_abs, &new_abs, edit, text, None);
    let NestedAfter {
        nested,
        changed,
        changed_text,
        ..
    } = nested_after(
        old,
        &old_abs,
        &nodes,
        (first, last),
        element.byte_range(),
        (edit, text),
        (true, true),
        false,
    );
    let bindless = facts && old.bindless && changed.iter().all(|node| is_plain(*node));
    let plain = bindless && old.plain && !python::has_text_facts(&text[changed_text.clone()]);
    Some(NestedChange {
        split: Split::nested_table(elements, (plain, bindless), nested),
        changed,
        changed_text,
    })
}

/// What an edit changed among a split's elements (`nodes`, whose old
/// absolute ranges are `old_abs`, `first` and `last` of them at each end
/// left alone, all of them within `bounds`): their nested splits when
/// tables `nest` (a kept element keeps its split, the one changed element,
/// when one changed, is followed down with [`changed_nested`], any other
/// is split afresh), and the innermost changed elements.
struct NestedAfter<'t> {
    nested: Vec<Option<Arc<Split>>>,
    /// The new nested split of the one changed element, when followed down.
    followed: Option<Arc<Split>>,
    /// The innermost changed elements, and the text the edit can have
    /// changed: between the unchanged elements around them, on whole lines.
    changed: Vec<Node<'t>>,
    changed_text: Range<usize>,
}

#[allow(clippy::too_many_arguments)] // one split's old and new elements, and the edit
fn nested_after<'t>(
    old: &Split,
    old_abs: &[(Range<usize>, u16)],
    nodes: &[Node<'t>],
    (first, last): (usize, usize),
    bounds: Range<usize>,
    (edit, text): (&Shift, &str),
    (nest, follow): (bool, bool),
    facts: bool,
) -> NestedAfter<'t> {
    let (old_count, new_count) = (old_abs.len(), nodes.len());
    let single = follow && old_count - first - last == 1 && new_count - first - last == 1;
    let mut inner = None;
    let nested = if nest {
        nodes
            .iter()
            .enumerate()
            .map(|(index, &node)| {
                let old_index = kept_index(index, (first, last), (old_count, new_count));
                if let Some(Some(kept)) = old_index.and_then(|old_index| old.nested.get(old_index))
                {
                    return Some(Arc::clone(kept));
                }
                if old_index.is_none()
                    && single
                    && let Some(Some(old_nested)) = old.nested.get(first)
                    && let Some(change) =
                        changed_nested(old_nested, old_abs[first].0.start, node, edit, text, facts)
                {
                    let split = Arc::clone(&change.split);
                    inner = Some(change);
                    return Some(split);
                }
                nested_split(node, text, facts)
            })
            .collect()
    } else {
        Vec::new()
    };
    match inner {
        Some(inner) => NestedAfter {
            nested,
            followed: Some(inner.split),
            changed: inner.changed,
            changed_text: inner.changed_text,
        },
        None => NestedAfter {
            nested,
            followed: None,
            changed: nodes[first..new_count - last].to_vec(),
            changed_text: changed_lines(
                text,
                first
                    .checked_sub(1)
                    .and_then(|index| nodes.get(index))
                    .map_or(bounds.start, Node::end_byte),
                nodes
                    .get(new_count - last)
                    .map_or(bounds.end, Node::start_byte),
            ),
        },
    }
}

/// The whole lines from `from` to `to`, as the facts read from text cut
/// them: at `\n` only (not `fix::line_start`, which also breaks at a lone
/// `\r`).
fn changed_lines(text: &str, from: usize, to: usize) -> Range<usize> {
    let from = text[..from].rfind('\n').map_or(0, |at| at + 1);
    let to = text[to..].find('\n').map_or(text.len(), |at| to + at);
    from..to.max(from)
}

/// Element ranges relative to `start`, made absolute.
fn absolute(elements: &[(Range<usize>, u16)], start: usize) -> Vec<(Range<usize>, u16)> {
    elements
        .iter()
        .map(|(range, kind)| (start + range.start..start + range.end, *kind))
        .collect()
}

/// What a split top-level node is split into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SplitKind {
    /// A literal table's records.
    Table,
    /// A class body's statements (methods, fields, nested classes...).
    Class,
    /// A function body's statements. Matches that read the function's body
    /// beyond their own statement record it: a name its dataflow follows
    /// ([`python::FactKey::Local`]), its whole text
    /// ([`python::FactKey::Scope`]); they run again when an edit of another
    /// of its statements may have changed what they read.
    Function,
}

/// A top-level statement split into element units, each re-checked on its
/// own: a literal table (its records), a class or a function (its body's
/// statements). What lies around the elements (a table's `NAME = [` and
/// `]`, a class's or function's decorators and `class Name(bases):`,
/// `def name(parameters):`) belongs to the statement itself.
#[derive(Clone, Debug)]
pub(crate) struct Split {
    kind: SplitKind,
    /// The elements' ranges (relative to the statement's start) and kinds.
    elements: Vec<(Range<usize>, u16)>,
    /// For a table: whether none of the elements holds a binding (an
    /// assignment or an `as` pattern, which only odd code puts in a
    /// literal) and its text nothing the facts read from text look for
    /// ([`python::has_text_facts`]; for a changed table, on the changed
    /// lines): then the statement's module facts come from its head alone.
    /// For the nested split of a class's or function's body statement
    /// ([`nested_split`]): the same of its table and the whole statement's
    /// text; then an edit among the table's elements that leaves it so
    /// keeps the statement's facts. Other nested splits: false (unused).
    plain: bool,
    /// For the nested split of a class's or function's body statement:
    /// whether its table holds no binding; then an edit among the table's
    /// elements that leaves it so keeps the facts a walk of the statement
    /// derives, and those read from its text are read again
    /// ([`python::body_statement_facts_from_text`], a scan, not a walk).
    /// Otherwise false.
    bindless: bool,
    /// For a class or function: what each element contributes to the
    /// module facts, derived as if it were a top-level node. A class's or
    /// function's facts are its head's and its body statements' taken in
    /// order (a walk meets them one after the other, the facts read from
    /// text read them piece by piece), so when an edit inside the body left
    /// every changed element's facts equal, the statement's are equal too.
    facts: Vec<Arc<python::StatementFacts>>,
    /// For a function: the names each element mentions (see [`Names`]),
    /// so that an edit of some elements runs again only the kept ones
    /// whose dataflow follows a name the changed ones mention.
    names: Vec<Names>,
    /// For each element, the split of the literal table it is made of when
    /// it is large ([`nested_split`]); empty when tables do not nest.
    nested: Vec<Option<Arc<Split>>>,
}

impl Split {
    /// The split of an element's nested table ([`nested_split`]).
    fn nested_table(
        elements: Vec<(Range<usize>, u16)>,
        (plain, bindless): (bool, bool),
        nested: Vec<Option<Arc<Split>>>,
    ) -> Arc<Split> {
        Arc::new(Split {
            kind: SplitKind::Table,
            elements,
            plain,
            bindless,
            facts: Vec::new(),
            names: Vec::new(),
            nested,
        })
    }
}

/// The identifiers a subtree mentions, as a 128-bit Bloom filter: a name
/// it mentions is always found, one it does not mostly not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Names(u128);

impl Names {
    fn bits(name: &str) -> u128 {
        // FNV-1a: the filter is rebuilt from the same text by every
        // process, and needs no protection from chosen collisions.
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        (1u128 << (hash & 127)) | (1u128 << ((hash >> 7) & 127))
    }

    /// Adds an identifier. The filters of a function's body statements
    /// are filled by the walk that derives their facts
    /// ([`python::body_statement_facts`]).
    fn add(&mut self, name: &str) {
        self.0 |= Names::bits(name);
    }

    fn may_hold(self, name: &str) -> bool {
        let bits = Names::bits(name);
        self.0 & bits == bits
    }
}

/// [`python::body_statement_facts`], filling `names` (one per node, kept
/// ones already set) with the identifiers of the statements it derives.
fn body_statement_facts_naming(
    nodes: &[Node<'_>],
    text: &str,
    previous: &[Arc<python::StatementFacts>],
    reuse: impl Fn(usize) -> Option<usize>,
    mut names: Option<&mut Vec<Names>>,
) -> Vec<Arc<python::StatementFacts>> {
    python::body_statement_facts(nodes, text, previous, reuse, |index, name| {
        if let Some(entry) = names.as_mut().and_then(|names| names.get_mut(index)) {
            entry.add(name);
        }
    })
}

/// Adds the identifiers of `node`'s subtree to `names`.
fn add_identifiers(names: &mut Names, node: Node<'_>, text: &str) {
    let _ = walk_subtree(node, |current| {
        if current.kind() == "identifier" {
            names.add(&text[current.byte_range()]);
        }
        std::ops::ControlFlow::Continue(())
    });
}

/// Whether a subtree holds no binding (see [`Split::plain`]).
fn is_plain(node: Node<'_>) -> bool {
    walk_subtree(node, |current| {
        if matches!(current.kind(), "assignment" | "as_pattern") {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    })
    .is_continue()
}

/// Visits every node of `node`'s subtree in order with one cursor (counted
/// as nodes visited, whole), until `visit` breaks.
fn walk_subtree<'t>(
    node: Node<'t>,
    mut visit: impl FnMut(Node<'t>) -> std::ops::ControlFlow<()>,
) -> std::ops::ControlFlow<()> {
    crate::work::nodes(node.descendant_count());
    let mut cursor = node.walk();
    loop {
        visit(cursor.node())?;
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == node.id() {
                return std::ops::ControlFlow::Continue(());
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return std::ops::ControlFlow::Continue(());
            }
        }
    }
}

/// The split of the one changed top-level node, when the edit lies among
/// its elements: the elements of the new node, walking only the elements
/// that changed for what decides its module facts (the old split holds
/// the others').
struct ChangedSplit {
    index: usize,
    split: Arc<Split>,
    /// Whether the node's module facts equal the old node's: the edit
    /// strictly between the start of the first element and the end of the
    /// last one (the head and tail are unchanged), and for a table both
    /// plain, for a class or function the changed elements' facts equal.
    same_facts: bool,
    /// How many elements at each end the edit left alone, and the re-parse
    /// too ([`kept_elements_parsed_the_same`]).
    ends: (usize, usize),
}

fn changed_split(
    previous: &PreviousCheck,
    edit: &Shift,
    tree: &Tree,
    text: &str,
    top_level: &[(Range<usize>, u16)],
    (prefix, suffix): (usize, usize),
    nest: bool,
) -> Option<ChangedSplit> {
    let old = &previous.top_level;
    if old.len() - prefix - suffix != 1 || top_level.len() - prefix - suffix != 1 {
        return None;
    }
    let old_split = previous.splits.get(prefix)?.as_ref()?;
    let (old_node, new_node) = (&old[prefix], &top_level[prefix]);
    if old_node.0.start != new_node.0.start || old_node.1 != new_node.1 {
        return None;
    }
    let statement = tree
        .root_node()
        .first_child_for_byte(new_node.0.start)
        .filter(|node| node.byte_range() == new_node.0)?;
    // Under a root that error recovery made an `ERROR`, hooks take no
    // statement for a split function's (`HookCx::is_top_level`) and record
    // none of the reads that narrowing needs: the statement runs whole.
    if tree.root_node().is_error() {
        return None;
    }
    // A statement holding a syntax error, before or after the edit, keeps
    // only the elements the re-parse left as they were, and its elements
    // are not followed down (see `kept_elements_parsed_the_same`).
    let errors = *previous.errors.get(prefix)? || statement.has_error();
    let (parent, kind) = elements_of(statement, old_split.kind != SplitKind::Table)?;
    if kind != old_split.kind {
        return None;
    }
    let start = statement.start_byte();
    let nodes = element_nodes(parent, kind);
    crate::work::top_level(nodes.len());
    let elements: Vec<(Range<usize>, u16)> = nodes
        .iter()
        .map(|element| {
            let range = element.byte_range();
            (range.start - start..range.end - start, element.kind_id())
        })
        .collect();
    let old_elements = absolute(&old_split.elements, start);
    let new_elements = absolute(&elements, start);
    let (mut first, mut last) = unchanged_ends(&old_elements, &new_elements, edit, text, None);
    if errors {
        (first, last) =
            kept_elements_parsed_the_same(previous, old_node, old_split, &nodes, (first, last))?;
    }
    // The statement's head (`NAME = [`, `class Name(bases):`) and tail are
    // unchanged when the edit lies between the start of the first element
    // and the end of the last one.
    let among_elements = old_elements.first().zip(old_elements.last()).is_some_and(
        |(first_element, last_element)| {
            first_element.0.start <= edit.old.start && edit.old.end <= last_element.0.end
        },
    );
    let (old_count, new_count) = (old_split.elements.len(), elements.len());
    let body = kind != SplitKind::Table;
    // The elements' nested tables: a kept element keeps its split, the one
    // changed element is followed down when the edit lies among the
    // elements of its table.
    let NestedAfter {
        nested,
        followed,
        changed,
        changed_text,
    } = nested_after(
        old_split,
        &old_elements,
        &nodes,
        (first, last),
        statement.byte_range(),
        (edit, text),
        (nest, !errors),
        body,
    );
    // A body statement keeps its facts when the edit lay among the
    // elements of its table and left it plain (see `Split::plain`), the
    // facts a walk derives when it left its table without a binding.
    let keeps_facts = body && followed.as_ref().is_some_and(|split| split.bindless);
    let keeps_text_facts = keeps_facts && followed.as_ref().is_some_and(|split| split.plain);
    let mut names = Vec::new();
    let (plain, facts, same_facts) = match kind {
        SplitKind::Table => {
            let plain = old_split.plain
                && !python::has_text_facts(&text[changed_text])
                && changed.iter().all(|element| is_plain(*element));
            (
                plain,
                Vec::new(),
                old_split.plain && plain && among_elements,
            )
        }
        SplitKind::Class | SplitKind::Function => {
            // A kept statement keeps its facts and, in a function, its
            // identifiers (an old split without them derives both again).
            let kept = |index| {
                kept_index(index, (first, last), (old_count, new_count))
                    .or_else(|| (keeps_facts && index == first).then_some(first))
                    .filter(|&old| kind != SplitKind::Function || old < old_split.names.len())
            };
            // A function's statements' identifiers: the kept ones' from the
            // old split, the others' met while deriving their facts. One
            // that keeps its facts adds its changed elements' identifiers
            // to its old ones (the old ones stay: a superset only runs more
            // kept statements again).
            if kind == SplitKind::Function {
                names = (0..nodes.len())
                    .map(|index| {
                        kept(index)
                            .and_then(|old| old_split.names.get(old).copied())
                            .unwrap_or_default()
                    })
                    .collect();
                if keeps_facts && let Some(entry) = names.get_mut(first) {
                    for node in &changed {
                        add_identifiers(entry, *node, text);
                    }
                }
            }
            let mut facts = body_statement_facts_naming(
                &nodes,
                text,
                &old_split.facts,
                kept,
                (kind == SplitKind::Function).then_some(&mut names),
            );
            if keeps_facts
                && !keeps_text_facts
                && let Some(entry) = facts.get_mut(first)
            {
                *entry = python::body_statement_facts_from_text(entry, nodes[first], text);
            }
            let same = among_elements
                && old_split.facts.len() == old_count
                && facts.len() == new_count
                && old_split.facts[first..old_count - last] == facts[first..new_count - last];
            (false, facts, same)
        }
    };
    Some(ChangedSplit {
        index: prefix,
        split: Arc::new(Split {
            kind,
            elements,
            plain,
            bindless: false,
            facts,
            names,
            nested,
        }),
        same_facts,
        ends: (first, last),
    })
}

/// The elements among the `first` and `last` an edit left alone whose
/// parse is also the same: each holding a syntax error before or after is
/// compared with its old node ([`parse::same_parse`]); the first that
/// parsed otherwise ends the kept ones on its side. `None` when the old
/// statement's elements cannot be listed as the split had them.
fn kept_elements_parsed_the_same(
    previous: &PreviousCheck,
    old_node: &(Range<usize>, u16),
    old_split: &Split,
    nodes: &[Node<'_>],
    (first, last): (usize, usize),
) -> Option<(usize, usize)> {
    let old_statement = previous
        .tree
        .root_node()
        .first_child_for_byte(old_node.0.start)
        .filter(|node| node.byte_range() == old_node.0)?;
    let (parent, kind) = elements_of(old_statement, old_split.kind != SplitKind::Table)?;
    let old_nodes = element_nodes(parent, kind);
    crate::work::top_level(old_nodes.len());
    if kind != old_split.kind || old_nodes.len() != old_split.elements.len() {
        return None;
    }
    let same = |old: Node<'_>, new: Node<'_>| {
        !(old.has_error() || new.has_error()) || parse::same_parse(old, new)
    };
    let first = (0..first)
        .find(|&index| !same(old_nodes[index], nodes[index]))
        .unwrap_or(first);
    let (old_count, new_count) = (old_nodes.len(), nodes.len());
    let last = (0..last)
        .find(|&back| !same(old_nodes[old_count - 1 - back], nodes[new_count - 1 - back]))
        .unwrap_or(last);
    Some((first, last))
}

/// The split statements among the top-level nodes (see
/// [`PreviousCheck::splits`]); `reuse(index)` names the old entry of an
/// unchanged node, `changed` gives the one of a changed split.
fn split_statements(
    top_level: &[Node<'_>],
    text: &str,
    (bodies, nest): (bool, bool),
    old: &[Option<Arc<Split>>],
    reuse: impl Fn(usize) -> Option<usize>,
    changed: Option<&ChangedSplit>,
) -> Vec<Option<Arc<Split>>> {
    top_level
        .iter()
        .copied()
        .enumerate()
        .map(|(index, statement)| {
            if let Some(kept) = reuse(index).and_then(|old_index| old.get(old_index)) {
                return kept.clone();
            }
            if let Some(changed) = changed.filter(|changed| changed.index == index) {
                return Some(changed.split.clone());
            }
            let (parent, kind) = elements_of(statement, bodies)?;
            let start = statement.start_byte();
            let mut plain = true;
            let nodes = element_nodes(parent, kind);
            let mut names = match kind {
                SplitKind::Function => vec![Names::default(); nodes.len()],
                _ => Vec::new(),
            };
            let elements: Vec<_> = nodes
                .iter()
                .map(|&element| {
                    plain = plain && kind == SplitKind::Table && is_plain(element);
                    let range = element.byte_range();
                    (range.start - start..range.end - start, element.kind_id())
                })
                .collect();
            crate::work::top_level(elements.len());
            let plain = plain && !python::has_text_facts(&text[statement.byte_range()]);
            let facts = match kind {
                SplitKind::Table => Vec::new(),
                SplitKind::Class | SplitKind::Function => body_statement_facts_naming(
                    &nodes,
                    text,
                    &[],
                    |_| None,
                    (kind == SplitKind::Function).then_some(&mut names),
                ),
            };
            let nested = if nest {
                nodes
                    .iter()
                    .map(|&node| nested_split(node, text, kind != SplitKind::Table))
                    .collect()
            } else {
                Vec::new()
            };
            Some(Arc::new(Split {
                kind,
                elements,
                plain,
                bindless: false,
                facts,
                names,
                nested,
            }))
        })
        .collect()
}

/// Whether class and function bodies split into units: not when a rule's
/// predicate reads the whole text of an ancestor that may be a class or
/// hold one (`#ancestor-matches?` of a `class_definition`, `block`...): a
/// match in one body statement would read its siblings. The text of a
/// function around a match is a read of its body that the predicate
/// records ([`HookCx::reads_scope`](crate::hook::HookCx::reads_scope)).
fn bodies_split(user: &UserRules) -> bool {
    static BUILT_IN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    none_reads_ancestor_text(
        &[
            "class_definition",
            "decorated_definition",
            "block",
            "module",
        ],
        &BUILT_IN,
        user,
    )
}

/// Whether large elements split into the elements of the literal table
/// they are made of ([`nested_split`]): not when a rule's predicate reads
/// the whole text of a table or of a wrapper around one
/// (`#ancestor-matches?` of a `dictionary`, `pair`, `assignment`...): a
/// match in one element would read its siblings.
fn tables_nest(user: &UserRules) -> bool {
    static BUILT_IN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    none_reads_ancestor_text(&TABLE_WRAPPERS, &BUILT_IN, user)
}

/// Whether no Python rule has a predicate that reads the whole text of an
/// ancestor of one of `kinds`: no built-in one (answered once, into
/// `built_in`), no user one.
fn none_reads_ancestor_text(
    kinds: &[&str],
    built_in: &std::sync::OnceLock<bool>,
    user: &UserRules,
) -> bool {
    let reads = |extras: &[crate::predicates::PatternExtras]| {
        extras
            .iter()
            .any(|extras| extras.reads_ancestor_text(kinds))
    };
    *built_in.get_or_init(|| {
        crate::registry::registry()
            .query_for(FileKind::Python)
            .is_none_or(|query| !reads(&query.extras))
    }) && user
        .for_kind(FileKind::Python)
        .all(|rule| !reads(&rule.extras))
}

/// The units a match can lie in: the top-level nodes, and the elements of
/// split statements.
struct Units<'a> {
    top_level: &'a [(Range<usize>, u16)],
    splits: &'a [Option<Arc<Split>>],
    /// Whether each top-level node holds a syntax error.
    errors: &'a [bool],
    /// Whether each kept top-level node must be checked again: it holds a
    /// syntax error, or held one, and the re-parse changed it (see
    /// [`parsed_again`]).
    parsed_again: &'a [bool],
    /// The split of the one changed top-level node, when it was derived
    /// from its old one.
    changed: Option<&'a ChangedSplit>,
    /// Whether error recovery made the root an `ERROR` (then no statement
    /// is narrowed to its changed elements, see [`changed_split`]).
    error_root: bool,
}

impl Units<'_> {
    /// The smallest unit holding all of `span`; `None` when no top-level
    /// node does.
    fn origin_of(&self, span: &Range<usize>) -> Option<Range<usize>> {
        let index = self
            .top_level
            .partition_point(|(range, _)| range.end < span.end.max(span.start + 1));
        let (range, _) = self.top_level.get(index)?;
        if !(range.start <= span.start && span.end <= range.end) {
            return None;
        }
        // Down the splits: an element, an element of its nested table...
        let mut unit = range.clone();
        let mut split = self.splits.get(index).and_then(Option::as_ref);
        while let Some(current) = split {
            let start = unit.start;
            let at = current
                .elements
                .partition_point(|(element, _)| start + element.end < span.end.max(span.start + 1));
            match current.elements.get(at) {
                Some((element, _))
                    if start + element.start <= span.start && span.end <= start + element.end =>
                {
                    unit = start + element.start..start + element.end;
                    split = current.nested.get(at).and_then(Option::as_ref);
                }
                _ => break,
            }
        }
        Some(unit)
    }
}

/// How many nodes at the start and at the end of a list (top-level nodes,
/// or a table's elements) an edit left alone (same kind, same text, the
/// same range after the shift, no line shared with the edit).
fn unchanged_ends(
    old: &[(Range<usize>, u16)],
    new: &[(Range<usize>, u16)],
    edit: &Shift,
    text: &str,
    old_line_starts: Option<&[bool]>,
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
    // A node that starts a line, after an edit that ends one, has its
    // lines to itself when it started a line before the edit too (a
    // function pasted or deleted whole before a class leaves the class's
    // lines as they were).
    let starts_line = |index: usize| {
        let start = new[index].0.start;
        start == edit_end
            && (start == 0 || text.as_bytes()[start - 1] == b'\n')
            && old_line_starts
                .and_then(|starts| starts.get(index + old.len() - new.len()))
                .copied()
                .unwrap_or(false)
    };
    while suffix > 0
        && !text[edit_end..new[new.len() - suffix].0.start].contains('\n')
        && !starts_line(new.len() - suffix)
    {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// The rules' findings and constant reads over `range` (or the whole
/// file), each with the unit it came from; `None` when the rules stopped
/// early or a match spans several top-level nodes. Over a range, only
/// what comes from units overlapping it is returned (the rest is kept
/// from the previous check).
type Run = (Vec<Raw>, Vec<(Range<usize>, python::FactKey)>);

#[allow(clippy::too_many_arguments)]
fn run_raw<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    facts: &'a FileFacts<'a>,
    units: &Units<'_>,
    range: Option<Range<usize>>,
    budget: std::time::Duration,
    user: &UserRules,
) -> Option<Run> {
    let (matched, incomplete) =
        run_matches(file, project, None, budget, facts, range.clone(), user);
    if incomplete.is_some() {
        return None;
    }
    let overlaps = |origin: &Range<usize>| {
        range
            .as_ref()
            .is_none_or(|range| !(origin.end <= range.start || origin.start >= range.end))
    };
    let mut raw = Vec::with_capacity(matched.len());
    for (finding, span) in matched {
        let Some(origin) = units.origin_of(&span) else {
            tracing::debug!(
                rule = finding.rule.id,
                ?span,
                "a match spans top-level nodes: full check"
            );
            return None;
        };
        if !overlaps(&origin) {
            // A match of a unit outside the range: its findings are kept.
            continue;
        }
        raw.push(Raw {
            finding,
            origin: Some(origin),
            fix_check: None,
        });
    }
    let mut reads = Vec::new();
    for (span, key) in facts.reads.take() {
        // Reads of hook-only rules are not kept: those rules run every time.
        let Some(span) = span else { continue };
        let origin = units.origin_of(&span)?;
        if overlaps(&origin) {
            reads.push((origin, key));
        }
    }
    Some((raw, reads))
}

fn full_raw(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    module: &python::Module,
    units: &Units<'_>,
    budget: std::time::Duration,
    user: &UserRules,
) -> Option<Run> {
    let facts = FileFacts::incremental(module);
    let (mut raw, reads) = run_raw(file, project, &facts, units, None, budget, user)?;
    raw.extend(hook_only(file, project, &facts));
    Some((raw, reads))
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

/// The old and the new range the rules must run over again: between the
/// unchanged top-level nodes, narrowed to the changed elements when only
/// one split statement changed, and further down to the changed elements
/// of a nested table when only one element changed and the edit lies among
/// the elements of its table. Then also, for each split statement or
/// element narrowed through, outermost first, its range and its head and
/// tail (a table's `NAME = [` and `]`, a class's `class Name(bases):`, a
/// dict pair's `"key": {` and `}`): the matches rooted there belong to it
/// and must run again too.
struct Gaps {
    old: Range<usize>,
    new: Range<usize>,
    levels: Vec<(Range<usize>, [Range<usize>; 2])>,
    /// When the changed statement is a function narrowed to its changed
    /// body statements: its old range, where kept units that read its body
    /// ([`python::FactKey::Scope`], [`python::FactKey::Local`]) lie, and
    /// the names its changed statements mention, before and after.
    scope: Option<(Range<usize>, Names)>,
}

fn gaps(
    previous: &PreviousCheck,
    edit: &Shift,
    text: &str,
    units: &Units<'_>,
    (prefix, suffix): (usize, usize),
) -> Gaps {
    let text_len = text.len();
    let old = &previous.top_level;
    let new = units.top_level;
    let old_gap = prefix.checked_sub(1).map_or(0, |index| old[index].0.end)
        ..old
            .get(old.len() - suffix)
            .map_or(usize::MAX, |node| node.0.start);
    let new_gap = prefix.checked_sub(1).map_or(0, |index| new[index].0.end)
        ..new
            .get(new.len() - suffix)
            .map_or(text_len, |node| node.0.start);
    // One changed top-level node on both sides, split on both: narrow the
    // gap to its changed elements.
    let unnarrowed = Gaps {
        old: old_gap.clone(),
        new: new_gap.clone(),
        levels: Vec::new(),
        scope: None,
    };
    if old.len() - prefix - suffix != 1 || new.len() - prefix - suffix != 1 || units.error_root {
        return unnarrowed;
    }
    // A statement holding a syntax error, before or after the edit, is
    // narrowed to the elements its changed split kept (whose parse it
    // compared), and not followed down.
    let errors = previous.errors.get(prefix).is_none_or(|error| *error)
        || units.errors.get(prefix).is_none_or(|error| *error);
    let changed_ends = units
        .changed
        .filter(|changed| changed.index == prefix)
        .map(|changed| changed.ends);
    if errors && changed_ends.is_none() {
        return unnarrowed;
    }
    let (Some(Some(old_table)), Some(Some(new_table))) =
        (previous.splits.get(prefix), units.splits.get(prefix))
    else {
        return unnarrowed;
    };
    let (old_elements, new_elements) = (&old_table.elements, &new_table.elements);
    let (old_node, new_node) = (&old[prefix].0, &new[prefix].0);
    if old_node.start != new_node.start
        || edit.old.start <= old_node.start
        || old_elements.is_empty()
        || new_elements.is_empty()
        || old_table.kind != new_table.kind
    {
        return unnarrowed;
    }
    // A class's or function's head (decorators, name, bases, parameters)
    // is read by the matches of every element (hooks walk up to it: a
    // settings class's fields, a decorated class's methods, a route
    // handler's statements): an edit there runs the whole statement.
    let old_start = old_node.start;
    if old_table.kind != SplitKind::Table
        && !(old_start + old_elements[0].0.start <= edit.old.start
            && edit.old.end <= old_start + old_elements[old_elements.len() - 1].0.end)
    {
        return unnarrowed;
    }
    let old_abs = absolute(old_elements, old_node.start);
    let new_abs = absolute(new_elements, new_node.start);
    crate::work::top_level(old_abs.len() + new_abs.len());
    // The changed split compared the kept elements' parse (the same errors
    // decided it); without errors its ends are these.
    let (first, last) = match changed_ends {
        Some(ends) if errors => ends,
        _ => unchanged_ends(&old_abs, &new_abs, edit, text, None),
    };
    let scope = (old_table.kind == SplitKind::Function).then(|| {
        let old_names = old_table.names.get(first..old_abs.len() - last);
        let new_names = new_table.names.get(first..new_abs.len() - last);
        let changed = match (old_names, new_names) {
            (Some(old_names), Some(new_names)) => old_names
                .iter()
                .chain(new_names)
                .fold(0, |names, element| names | element.0),
            // Every name (not expected: a function's split has names).
            _ => u128::MAX,
        };
        (old_node.clone(), Names(changed))
    });
    // Down the nested tables while one element changed and the edit lies
    // among the elements of its table.
    let (mut old_node, mut new_node) = (old_node.clone(), new_node.clone());
    let (mut old_split, mut new_split) = (old_table, new_table);
    let (mut old_abs, mut new_abs, mut first, mut last) = (old_abs, new_abs, first, last);
    let mut levels = Vec::new();
    loop {
        let head = new_node.start..new_abs[0].0.start;
        let tail = new_abs[new_abs.len() - 1].0.end..new_node.end;
        levels.push((new_node.clone(), [head, tail]));
        if errors {
            break;
        }
        let single = old_abs.len() - first - last == 1 && new_abs.len() - first - last == 1;
        let (Some(Some(old_nested)), Some(Some(new_nested))) =
            (old_split.nested.get(first), new_split.nested.get(first))
        else {
            break;
        };
        let (old_element, new_element) = (old_abs[first].0.clone(), new_abs[first].0.clone());
        let among = old_nested
            .elements
            .first()
            .zip(old_nested.elements.last())
            .is_some_and(|(first_element, last_element)| {
                old_element.start + first_element.0.start <= edit.old.start
                    && edit.old.end <= old_element.start + last_element.0.end
            });
        if !single || !among || old_element.start != new_element.start {
            break;
        }
        old_abs = absolute(&old_nested.elements, old_element.start);
        new_abs = absolute(&new_nested.elements, new_element.start);
        if old_abs.is_empty() || new_abs.is_empty() {
            break;
        }
        crate::work::top_level(old_abs.len() + new_abs.len());
        (first, last) = unchanged_ends(&old_abs, &new_abs, edit, text, None);
        (old_node, new_node) = (old_element, new_element);
        (old_split, new_split) = (old_nested, new_nested);
    }
    let old_inner = first
        .checked_sub(1)
        .map_or(old_node.start, |index| old_abs[index].0.end)
        ..old_abs
            .get(old_abs.len() - last)
            .map_or(old_node.end, |element| element.0.start);
    let new_inner = first
        .checked_sub(1)
        .map_or(new_node.start, |index| new_abs[index].0.end)
        ..new_abs
            .get(new_abs.len() - last)
            .map_or(new_node.end, |element| element.0.start);
    Gaps {
        old: old_inner,
        new: new_inner,
        levels,
        scope,
    }
}

/// The findings after `edit` from those before it, re-running the rules
/// over the changed units only, and over the kept units that must run
/// again: those that read a module fact the edit changed (by key, see
/// [`python::ModuleChanges::affects`]) and the top-level nodes that hold a
/// syntax error; `None` when that would not be correct. Also returns the
/// fact reads and how many bytes the rules ran over.
#[allow(clippy::too_many_arguments)] // the parts of one check, as `check_measured` has them
fn partial_raw(
    previous: &PreviousCheck,
    edit: &Shift,
    file: &SourceFile<'_>,
    project: &ProjectContext,
    module: &python::Module,
    units: &Units<'_>,
    ends: (usize, usize),
    budget: std::time::Duration,
    user: &UserRules,
) -> Option<(Kept, usize)> {
    let changes = previous.module.changes_after(edit, module);
    let Gaps {
        old: old_gap,
        new: new_gap,
        levels,
        scope,
    } = gaps(previous, edit, file.text, units, ends);
    let outside = |range: &Range<usize>| range.end <= old_gap.start || range.start >= old_gap.end;
    // Kept units to run again, in the new text: those that read a changed
    // fact, and whole top-level nodes that hold a syntax error.
    let mut again: std::collections::HashSet<Range<usize>> = std::collections::HashSet::new();
    if !changes.is_empty() {
        for (origin, keys) in &previous.reads {
            if !outside(origin) {
                continue;
            }
            crate::work::facts(keys.len());
            if let Some(key) = keys.iter().find(|key| changes.affects(key)) {
                tracing::debug!(?key, ?origin, "a kept unit read a changed fact: run again");
                again.insert(edit.range(origin)?);
            }
        }
    }
    // Kept statements of the changed function that read its body.
    if let Some((scope, names)) = &scope {
        let first = previous
            .reads
            .partition_point(|(origin, _)| origin.start < scope.start);
        for (origin, keys) in &previous.reads[first..] {
            if origin.start >= scope.end {
                break;
            }
            if !outside(origin) || origin.end > scope.end {
                continue;
            }
            crate::work::facts(keys.len());
            let reads_changed = keys.iter().any(|key| match key {
                python::FactKey::Scope => true,
                python::FactKey::Local(name) => names.may_hold(name),
                _ => false,
            });
            if reads_changed {
                tracing::debug!(
                    ?origin,
                    "a kept statement read its function's body: run again"
                );
                again.insert(edit.range(origin)?);
            }
        }
    }
    let (prefix, suffix) = ends;
    let new_count = units.top_level.len();
    let mut broken: Vec<Range<usize>> = (0..prefix)
        .chain(new_count - suffix..new_count)
        .filter(|&index| units.parsed_again[index])
        .map(|index| units.top_level[index].0.clone())
        .collect();
    broken.sort_by_key(|range| range.start);
    let in_broken = |origin: &Range<usize>| {
        let at = broken.partition_point(|node| node.end < origin.end.max(origin.start + 1));
        broken
            .get(at)
            .is_some_and(|node| node.start <= origin.start && origin.end <= node.end)
    };
    again.retain(|unit| !in_broken(unit));
    let runs_again = |origin: &Range<usize>| again.contains(origin) || in_broken(origin);
    let mut kept_reads = Vec::new();
    crate::work::top_level(previous.reads.len());
    for (origin, keys) in &previous.reads {
        if !outside(origin) {
            continue;
        }
        let origin = edit.range(origin)?;
        if !runs_again(&origin) {
            kept_reads.push((origin, Arc::clone(keys)));
        }
    }
    let mut reads = Vec::new();
    let mut kept = Vec::new();
    crate::work::top_level(previous.raw.len());
    for raw in &previous.raw {
        let Some(origin) = &raw.origin else { continue };
        if !outside(origin) {
            continue;
        }
        let moved = edit.range(origin)?;
        if runs_again(&moved) {
            continue;
        }
        let mut raw_kept = raw.clone();
        raw_kept.origin = Some(moved);
        raw_kept.finding.range = edit.range(&raw.finding.range)?;
        if let Some(fix) = &raw.finding.fix {
            raw_kept.finding.fix = Some(edit.fix(fix)?);
        }
        raw_kept.fix_check = match &raw.fix_check {
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
        kept.push(raw_kept);
    }
    let facts = FileFacts::incremental(module);
    let (mut changed, new_reads) = run_raw(
        file,
        project,
        &facts,
        units,
        Some(new_gap.clone()),
        budget,
        user,
    )?;
    reads.extend(new_reads);
    let mut bytes = new_gap.end - new_gap.start;
    for (statement, ends) in levels {
        // Matches of the whole statement (or element of a nested table)
        // rooted in its head or tail (the cursor over the elements only
        // finds those rooted around them).
        let seen = changed
            .iter()
            .filter(|raw| raw.origin.as_ref() == Some(&statement))
            .map(|raw| {
                (
                    raw.finding.rule.id,
                    raw.finding.range.clone(),
                    raw.finding.message.clone(),
                )
            })
            .collect();
        let (more, more_reads) = statement_ends(
            file, project, &facts, units, &statement, ends, seen, budget, user,
        )?;
        changed.extend(more);
        reads.extend(more_reads);
    }
    // The kept units that run again: a whole broken node (every unit in it),
    // or one unit (a table statement's head and tail when it is one).
    for node in &broken {
        let (more, more_reads) = run_raw(
            file,
            project,
            &facts,
            units,
            Some(node.clone()),
            budget,
            user,
        )?;
        let within = |origin: &Range<usize>| node.start <= origin.start && origin.end <= node.end;
        changed.extend(
            more.into_iter()
                .filter(|raw| raw.origin.as_ref().is_some_and(within)),
        );
        reads.extend(more_reads.into_iter().filter(|(origin, _)| within(origin)));
        bytes += node.end - node.start;
    }
    let mut again: Vec<Range<usize>> = again.into_iter().collect();
    again.sort_by_key(|unit| unit.start);
    for unit in &again {
        let index = units
            .top_level
            .partition_point(|(range, _)| range.end < unit.end.max(unit.start + 1));
        let table_ends = units
            .top_level
            .get(index)
            .filter(|(range, _)| range == unit)
            .and_then(|(range, _)| {
                // A class or function runs whole: matches rooted at its
                // body (`block`) lie in neither its head nor its tail.
                let table = units
                    .splits
                    .get(index)?
                    .as_ref()
                    .filter(|split| split.kind == SplitKind::Table)?;
                let first = table.elements.first()?;
                let last = table.elements.last()?;
                Some([
                    range.start..range.start + first.0.start,
                    range.start + last.0.end..range.end,
                ])
            });
        let (more, more_reads) = match table_ends {
            Some(ends) => statement_ends(
                file,
                project,
                &facts,
                units,
                unit,
                ends,
                std::collections::HashSet::new(),
                budget,
                user,
            )?,
            None => {
                let (more, more_reads) = run_raw(
                    file,
                    project,
                    &facts,
                    units,
                    Some(unit.clone()),
                    budget,
                    user,
                )?;
                (
                    more.into_iter()
                        .filter(|raw| raw.origin.as_ref() == Some(unit))
                        .collect(),
                    more_reads
                        .into_iter()
                        .filter(|(origin, _)| origin == unit)
                        .collect(),
                )
            }
        };
        changed.extend(more);
        reads.extend(more_reads);
        bytes += unit.end - unit.start;
    }
    let mut raw = kept;
    raw.extend(changed);
    // In unit order, as a full check finds them (stable: a unit's matches
    // keep their order).
    raw.sort_by_key(|raw| {
        raw.origin
            .as_ref()
            .map_or(usize::MAX, |origin| origin.start)
    });
    raw.extend(hook_only(file, project, &facts));
    kept_reads.extend(group_reads(reads));
    // In unit order, as `group_reads` leaves them (two sorted runs: a
    // linear merge).
    kept_reads.sort_by_key(|(origin, _)| (origin.start, origin.end));
    Some(((raw, kept_reads), bytes))
}

/// The matches of a table statement rooted in its head or tail (`ends`),
/// those of the statement itself only, leaving out those in `seen`.
#[allow(clippy::too_many_arguments)]
fn statement_ends<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    facts: &'a FileFacts<'a>,
    units: &Units<'_>,
    statement: &Range<usize>,
    ends: [Range<usize>; 2],
    mut seen: std::collections::HashSet<(&'static str, Range<usize>, String)>,
    budget: std::time::Duration,
    user: &UserRules,
) -> Option<Run> {
    let mut found = Vec::new();
    let mut reads = Vec::new();
    for range in ends {
        if range.is_empty() {
            continue;
        }
        let (more, more_reads) = run_raw(file, project, facts, units, Some(range), budget, user)?;
        for raw in more {
            if raw.origin.as_ref() != Some(statement) {
                continue;
            }
            let key = (
                raw.finding.rule.id,
                raw.finding.range.clone(),
                raw.finding.message.clone(),
            );
            if seen.insert(key) {
                found.push(raw);
            }
        }
        reads.extend(
            more_reads
                .into_iter()
                .filter(|(origin, _)| origin == statement),
        );
    }
    Some((found, reads))
}

/// What `run_rules` and `check_file` do after the rules ran: sort and
/// deduplicate, drop fixes that break a clean parse (cached per finding),
/// apply suppressions.
fn finish(
    file: &SourceFile<'_>,
    raw: &mut [Raw],
    enabled: &dyn Fn(&Rule) -> bool,
    user: &UserRules,
    suppressions: bool,
) -> Vec<Finding> {
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
    // Without a suppression nothing is suppressed or unused.
    if suppressions {
        crate::suppress::apply_suppressions_with(file, &mut findings, enabled, user);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Fix;

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
