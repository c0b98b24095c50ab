//! The rule engine: runs every rule of a file's kind over its tree and
//! turns matches into findings, through a rule's hook where it has one.

use std::{
    cell::{OnceCell, RefCell},
    ops::{ControlFlow, Range},
    path::Path,
    time::{Duration, Instant},
};

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, QueryCursorOptions, Tree};

use crate::{
    compose::Compose,
    config::FileSettings,
    dockerfile::Dockerfile,
    fix::Fix,
    kind::FileKind,
    project::ProjectContext,
    python,
    rule::{Rule, Severity, registry},
    suppress,
    text::TextEdit,
};

/// A file to check: its path (for context such as "is this a test?"), kind,
/// text and, for kinds with a grammar, its parsed tree.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub kind: FileKind,
    pub text: &'a str,
    pub tree: Option<&'a Tree>,
}

/// A problem found by a rule, located by byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
    /// The effective severity: the rule's default unless configuration
    /// overrides it (see [`crate::config`]).
    pub severity: Severity,
}

impl Finding {
    /// A finding with its rule's default severity.
    pub fn new(
        rule: &'static Rule,
        range: Range<usize>,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) -> Finding {
        Finding {
            rule,
            range,
            message: message.into(),
            fix,
            severity: rule.severity(),
        }
    }
}

/// What a hook reports: the range, and optionally its own message and fix
/// (else the rule's message and fix template).
#[derive(Clone, Debug)]
pub struct Emit {
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
}

/// The captures of one query match, by name, and the ranges the engine's
/// binding predicates bound (see [`crate::predicates`]).
pub struct Captures<'t> {
    items: Vec<(&'static str, Node<'t>)>,
    bound: Vec<(String, Range<usize>)>,
}

impl<'t> Captures<'t> {
    pub fn empty() -> Self {
        Captures {
            items: Vec::new(),
            bound: Vec::new(),
        }
    }

    /// Captures of the given nodes (for tests of predicates).
    #[cfg(test)]
    pub(crate) fn of(items: Vec<(&'static str, Node<'t>)>) -> Self {
        Captures {
            items,
            bound: Vec::new(),
        }
    }

    /// Binds a range to a name, for a binding predicate.
    pub fn bind(&mut self, name: &str, range: Range<usize>) {
        self.bound.push((name.to_string(), range));
    }

    /// The range of `name`: a range a predicate bound, else the first node
    /// captured as `name`.
    pub fn range(&self, name: &str) -> Option<Range<usize>> {
        self.bound
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)
            .map(|(_, range)| range.clone())
            .or_else(|| self.get(name).map(|node| node.byte_range()))
    }

    /// The first node captured as `name`.
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.items
            .iter()
            .find(|(capture, _)| *capture == name)
            .map(|(_, node)| *node)
    }

    /// Every node captured as `name` (quantified captures).
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = Node<'t>> + 's {
        self.items
            .iter()
            .filter(move |(capture, _)| *capture == name)
            .map(|(_, node)| *node)
    }
}

/// Facts about a file that several rules need, computed at most once per
/// file: a hook runs for every match, so it must never rebuild a
/// whole-file model itself (that made checking a large module quadratic).
#[derive(Default)]
pub struct FileFacts<'a> {
    python: OnceCell<python::Module>,
    dockerfile: OnceCell<Option<Dockerfile<'a>>>,
    compose: OnceCell<Option<Compose<'a>>>,
    /// The top-level nodes of the tree, in order (for finding a node's
    /// statement by binary search).
    statements: OnceCell<Vec<Node<'a>>>,
    /// Per scope (a function's body, by node id): how each name is bound in
    /// it, built the first time a hook asks (see [`HookCx::scope_index`]).
    scopes: RefCell<std::collections::HashMap<usize, std::rc::Rc<ScopeIndex>>>,
    /// The module constants whose value or position a hook read, with the
    /// span of the match it was handling (`None` for hook-only rules).
    pub(crate) constant_reads: RefCell<Vec<(Option<Range<usize>>, String)>>,
}

impl<'a> FileFacts<'a> {
    /// Facts whose Python module facts are already known.
    pub fn with_python(module: python::Module) -> FileFacts<'a> {
        let facts = FileFacts::default();
        let _ = facts.python.set(module);
        facts
    }
}

/// A scope's bindings by name, as a hook derived them from the scope.
pub type ScopeIndex = std::collections::HashMap<String, Option<String>>;

/// What a hook may know of its file: path, kind and text. Not the tree: a
/// hook reaches nodes only through its match's captures and their
/// ancestors up to the top-level statement ([`HookCx::ancestors`]), and
/// the rest of the file only through module facts.
#[derive(Clone, Copy)]
pub struct FileView<'a> {
    pub path: &'a Path,
    pub kind: FileKind,
    pub text: &'a str,
}

/// What a hook sees: the file (without its tree), the project, the rule
/// and shared facts.
pub struct HookCx<'a> {
    pub file: FileView<'a>,
    pub project: &'a ProjectContext,
    pub rule: &'static Rule,
    tree: Option<&'a Tree>,
    facts: &'a FileFacts<'a>,
    /// The span of the match being handled (`None` for hook-only rules).
    span: Option<Range<usize>>,
}

impl<'a> HookCx<'a> {
    pub(crate) fn new(
        file: &'a SourceFile<'a>,
        project: &'a ProjectContext,
        rule: &'static Rule,
        facts: &'a FileFacts<'a>,
        span: Option<Range<usize>>,
    ) -> HookCx<'a> {
        HookCx {
            file: FileView {
                path: file.path,
                kind: file.kind,
                text: file.text,
            },
            project,
            rule,
            tree: file.tree,
            facts,
            span,
        }
    }

    /// The top-level nodes of the tree, listed once per check.
    fn statements(&self) -> &[Node<'a>] {
        self.facts.statements.get_or_init(|| {
            let Some(tree) = self.tree else {
                return Vec::new();
            };
            let root = tree.root_node();
            let mut cursor = root.walk();
            let statements: Vec<Node<'a>> = root.children(&mut cursor).collect();
            crate::work::top_level(statements.len());
            statements
        })
    }

    /// The top-level node holding `range` (binary search).
    fn statement_holding(&self, range: Range<usize>) -> Option<Node<'a>> {
        let statements = self.statements();
        let index =
            statements.partition_point(|node| node.end_byte() < range.end.max(range.start + 1));
        let statement = *statements.get(index)?;
        (statement.start_byte() <= range.start && range.end <= statement.end_byte())
            .then_some(statement)
    }

    /// The nodes from `node`'s parent up to its top-level statement, parent
    /// first; never the module itself. Found by one walk down from the
    /// statement (tree-sitter keeps long runs of siblings as balanced
    /// trees, so each level costs about the logarithm of its width).
    pub fn ancestors<'t>(&self, node: Node<'t>) -> impl Iterator<Item = Node<'t>> + use<'t>
    where
        'a: 't,
    {
        let chain: Vec<Node<'t>> = match self.statement_holding(node.byte_range()) {
            Some(statement) if statement.id() != node.id() => {
                let statement: Node<'t> = statement;
                let mut chain = Vec::new();
                let mut current = statement;
                while current.id() != node.id() {
                    chain.push(current);
                    match current.child_with_descendant(node) {
                        Some(next) => current = next,
                        None => break,
                    }
                }
                chain.reverse();
                chain
            }
            _ => Vec::new(),
        };
        crate::work::nodes(chain.len());
        chain.into_iter()
    }

    /// The innermost function around a node of this file's tree.
    pub fn enclosing_function<'t>(&self, node: Node<'t>) -> Option<Node<'t>>
    where
        'a: 't,
    {
        self.ancestors(node)
            .find(|ancestor| ancestor.kind() == "function_definition")
    }

    /// An index a hook derives from a scope (a node of its match's
    /// statement), built once per scope and check and shared by every
    /// match in it: a per-match walk of the scope made long functions
    /// quadratic. `build` must depend on the scope's nodes and the module
    /// facts only.
    pub fn scope_index(
        &self,
        scope: Node<'_>,
        build: impl FnOnce() -> ScopeIndex,
    ) -> std::rc::Rc<ScopeIndex> {
        crate::work::facts(1);
        if let Some(index) = self.facts.scopes.borrow().get(&scope.id()) {
            return index.clone();
        }
        let index = std::rc::Rc::new(build());
        self.facts
            .scopes
            .borrow_mut()
            .insert(scope.id(), index.clone());
        index
    }

    /// The node of a module-level constant's value (a read the incremental
    /// check keeps track of).
    pub fn constant(&self, name: &str) -> Option<Node<'a>> {
        let range = self.constant_range(name)?;
        let statement = self.statement_holding(range.clone())?;
        statement.named_descendant_for_byte_range(range.start, range.end)
    }

    /// The byte range of a module-level constant's value (a read the
    /// incremental check keeps track of).
    pub fn constant_range(&self, name: &str) -> Option<Range<usize>> {
        let range = self.python().constant_range(name)?;
        self.facts
            .constant_reads
            .borrow_mut()
            .push((self.span.clone(), name.to_string()));
        Some(range)
    }

    /// The text of a node.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        &self.file.text[node.byte_range()]
    }

    /// Module-level facts of a Python file (imports, constants).
    pub fn python(&self) -> &python::Module {
        self.facts.python.get_or_init(|| match self.tree {
            Some(tree) => python::Module::new(tree.root_node(), self.file.text),
            None => python::Module::default(),
        })
    }

    /// The Dockerfile model (stages, instructions) of the file.
    pub fn dockerfile(&self) -> Option<&Dockerfile<'a>> {
        self.facts
            .dockerfile
            .get_or_init(|| {
                let tree = self.tree?;
                Some(Dockerfile::new(tree.root_node(), self.file.text))
            })
            .as_ref()
    }

    /// The compose model (services and their keys) of the file.
    pub fn compose(&self) -> Option<&Compose<'a>> {
        self.facts
            .compose
            .get_or_init(|| {
                let tree = self.tree?;
                Some(Compose::new(tree.root_node(), self.file.text))
            })
            .as_ref()
    }

    /// The range of a match: `@finding`, extended to `@finding.end` when the
    /// query marks one.
    pub fn finding_range(&self, captures: &Captures<'_>) -> Option<Range<usize>> {
        let start = captures.range("finding")?;
        let end = captures.range("finding.end").unwrap_or(start.clone());
        Some(start.start..end.end.max(start.start))
    }

    /// The rule's message with `${capture}` references filled in.
    pub fn message(&self, captures: &Captures<'_>) -> String {
        self.interpolate(&self.rule.meta.message, captures)
    }

    /// Fills `${name}` with the text of capture `name`.
    pub fn interpolate(&self, template: &str, captures: &Captures<'_>) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    match captures.range(name) {
                        Some(range) => out.push_str(&self.file.text[range]),
                        None => out.push_str(&rest[start..start + 3 + end]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A fix with the rule's title and safety, from edits a hook built;
    /// `imports` are added to a Python file when missing.
    pub fn fix(&self, edits: Vec<TextEdit>) -> Option<Fix> {
        let template = self.rule.meta.fix.as_ref()?;
        let mut edits = edits;
        if self.file.kind == FileKind::Python {
            for module in &template.imports {
                if let Some(edit) = self.python().ensure_import(self.file.text, module) {
                    edits.push(edit);
                }
            }
        }
        Some(template.fix(edits, Vec::new()))
    }

    /// The rule's fix template expanded for these captures; `None` when the
    /// rule has no template edits or a capture they name is missing.
    pub fn template_fix(&self, captures: &Captures<'_>) -> Option<Fix> {
        let template = self.rule.meta.fix.as_ref()?;
        if template.edits.is_empty() {
            return None;
        }
        let mut edits = Vec::new();
        for edit in &template.edits {
            let range = captures.range(&edit.capture)?;
            if let Some(text) = &edit.replace {
                edits.push(TextEdit::replace(
                    range.clone(),
                    self.interpolate(text, captures),
                ));
            }
            if let Some(text) = &edit.insert_before {
                edits.push(TextEdit::insert(
                    range.start,
                    self.interpolate(text, captures),
                ));
            }
            if let Some(text) = &edit.insert_after {
                edits.push(TextEdit::insert(
                    range.end,
                    self.interpolate(text, captures),
                ));
            }
            if edit.delete {
                edits.push(TextEdit::delete(range.clone()));
            }
            if edit.delete_item {
                let node = captures.get(&edit.capture)?;
                edits.push(python::remove_argument(node.parent()?, node));
            }
            if let Some(path) = &edit.add_key {
                let after: Vec<&str> = edit.after.iter().map(String::as_str).collect();
                edits.push(self.compose()?.add_to_service(
                    range.clone(),
                    path,
                    &edit.add_value,
                    &after,
                )?);
            }
        }
        self.fix(edits)
    }

    /// What a rule without a hook reports for a match.
    pub fn default_emit(&self, captures: &Captures<'_>) -> Option<Emit> {
        self.default_emit_with(captures, None)
    }

    /// [`HookCx::default_emit`] with the message a pattern sets
    /// (`(#set! message "...")`) in place of the rule's.
    pub fn default_emit_with(
        &self,
        captures: &Captures<'_>,
        message: Option<&str>,
    ) -> Option<Emit> {
        Some(Emit {
            range: self.finding_range(captures)?,
            message: match message {
                Some(message) => self.interpolate(message, captures),
                None => self.message(captures),
            },
            fix: self.template_fix(captures),
        })
    }
}

/// The signature of a rule hook: look at one match (or, for a hook-only
/// rule, the whole file with no captures) and push what to report.
pub type HookFn = for<'a> fn(&HookCx<'a>, &Captures<'a>, &mut Vec<Emit>);

/// How long the rules may run over one file. Pathological input (a 5 MB
/// line holding one list literal) would otherwise keep the query cursor
/// busy for many seconds; past this budget the rules stop and the check
/// says so ([`Checked::incomplete`]).
pub const RULES_TIME_BUDGET: Duration = Duration::from_secs(2);

/// The most in-progress matches a query cursor keeps (tree-sitter drops the
/// oldest beyond it and says so); bounds memory on pathological input.
pub const MATCH_LIMIT: u32 = 4096;

/// Why the rules stopped before they had seen the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incomplete {
    /// The rules ran out of [`RULES_TIME_BUDGET`].
    TimeBudget(Duration),
    /// The query cursor exceeded [`MATCH_LIMIT`] in-progress matches, so
    /// some matches may be missing.
    MatchLimit(u32),
}

impl std::fmt::Display for Incomplete {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Incomplete::TimeBudget(budget) => write!(
                f,
                "rules stopped after {} ms; findings past that point are missing",
                budget.as_millis()
            ),
            Incomplete::MatchLimit(limit) => write!(
                f,
                "more than {limit} query matches were in progress at once; some may be missing"
            ),
        }
    }
}

/// The findings of a file and whether the rules saw all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub incomplete: Option<Incomplete>,
    /// The work the check did (see [`crate::work`]).
    pub work: crate::work::Work,
}

/// Runs every rule for the file's kind and returns its findings, sorted by
/// position, with suppressed ones removed (and unused suppressions
/// reported as `unused-suppression`).
pub fn check_file(file: &SourceFile<'_>, project: &ProjectContext) -> Vec<Finding> {
    let (mut findings, _) = run_rules(file, project, None, RULES_TIME_BUDGET);
    suppress::apply_suppressions(file, &mut findings, &|_| true);
    findings
}

/// Like [`check_file`], but only the rules for which `enabled` says yes.
pub fn check_file_with(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Vec<Finding> {
    check_file_checked(file, project, enabled, RULES_TIME_BUDGET).findings
}

/// [`check_file_with`], also saying whether the rules stopped early.
pub fn check_file_checked(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
    budget: Duration,
) -> Checked {
    let ((findings, incomplete), work) = crate::work::measure(|| {
        let (mut findings, incomplete) = run_rules(file, project, Some(enabled), budget);
        suppress::apply_suppressions(file, &mut findings, enabled);
        (findings, incomplete)
    });
    Checked {
        findings,
        incomplete,
        work,
    }
}

/// Checks a file under its resolved configuration: rules that are off are
/// not run, severities are overridden, and suppressions apply. An excluded
/// file has no findings.
pub fn check_file_with_settings(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Vec<Finding> {
    check_file_with_settings_checked(file, project, settings).findings
}

/// [`check_file_with_settings`], also saying whether the rules stopped early.
pub fn check_file_with_settings_checked(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Checked {
    if settings.excluded {
        return Checked {
            findings: Vec::new(),
            incomplete: None,
            work: crate::work::Work::default(),
        };
    }
    let enabled = |rule: &Rule| settings.is_enabled(rule);
    let mut checked = check_file_checked(file, project, &enabled, RULES_TIME_BUDGET);
    settings.apply_severities(&mut checked.findings);
    checked
}

fn run_rules(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    budget: Duration,
) -> (Vec<Finding>, Option<Incomplete>) {
    let facts = FileFacts::default();
    let (matched, incomplete) = run_matches(file, project, enabled, budget, &facts, None);
    let mut findings: Vec<Finding> = matched.into_iter().map(|(finding, _)| finding).collect();
    findings.extend(run_hook_only_rules(file, project, enabled, &facts));
    sort_and_dedup(&mut findings);
    drop_fixes_that_break_parsing(file, &mut findings);
    if let Some(incomplete) = &incomplete {
        tracing::warn!(path = %file.path.display(), "{incomplete}");
    }
    (findings, incomplete)
}

pub(crate) fn sort_and_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule.id).cmp(&(b.range.start, b.range.end, b.rule.id))
    });
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.range == b.range);
}

/// Runs the kind's combined query (over `range` only, when given) and
/// turns its matches into findings, in match order. Stops when `budget` is
/// spent.
pub(crate) fn run_matches<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    budget: Duration,
    facts: &'a FileFacts<'a>,
    range: Option<Range<usize>>,
) -> (Vec<(Finding, Range<usize>)>, Option<Incomplete>) {
    let registry = registry();
    let is_enabled = |rule: &Rule| enabled.is_none_or(|enabled| enabled(rule));
    let mut findings = Vec::new();
    let (Some(kind_query), Some(tree)) = (registry.query_for(file.kind), file.tree) else {
        return (findings, None);
    };
    let started = Instant::now();
    let mut out_of_time = false;
    crate::work::nodes(crate::work::query_nodes(tree.root_node(), range.as_ref()));
    let names = kind_query.query.capture_names();
    let mut cursor = QueryCursor::new();
    cursor.set_match_limit(MATCH_LIMIT);
    if let Some(range) = range {
        cursor.set_byte_range(range);
    }
    let mut over_budget = |_: &tree_sitter::QueryCursorState| {
        if started.elapsed() > budget {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let options = QueryCursorOptions::new().progress_callback(&mut over_budget);
    let mut matches = cursor.matches_with_options(
        &kind_query.query,
        tree.root_node(),
        file.text.as_bytes(),
        options,
    );
    let mut emits = Vec::new();
    while let Some(found) = matches.next() {
        // Hooks run between matches; the cursor's callback only sees the walk.
        if started.elapsed() > budget {
            out_of_time = true;
            break;
        }
        let rule = &registry.rules[kind_query.pattern_rule[found.pattern_index]];
        if !is_enabled(rule) {
            continue;
        }
        let mut captures = Captures {
            items: found
                .captures()
                .iter()
                .map(|capture| (names[capture.index as usize], capture.node))
                .collect(),
            bound: Vec::new(),
        };
        // The span of the match: what its findings were computed from.
        let span = found
            .captures()
            .iter()
            .map(|capture| capture.node.byte_range())
            .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
            .unwrap_or(0..0);
        crate::work::matched();
        let cx = HookCx::new(file, project, rule, facts, Some(span.clone()));
        let extras = &kind_query.extras[found.pattern_index];
        if !crate::predicates::hold(&cx, &mut captures, extras) {
            continue;
        }
        match rule.hook {
            Some(hook) => hook(&cx, &captures, &mut emits),
            None => emits.extend(cx.default_emit_with(&captures, extras.message.as_deref())),
        }
        for emit in emits.drain(..) {
            findings.push((
                Finding::new(rule, emit.range, emit.message, emit.fix),
                span.clone(),
            ));
        }
    }
    drop(matches);
    let incomplete = if out_of_time || started.elapsed() > budget {
        Some(Incomplete::TimeBudget(budget))
    } else if cursor.did_exceed_match_limit() {
        Some(Incomplete::MatchLimit(MATCH_LIMIT))
    } else {
        None
    };
    (findings, incomplete)
}

/// Hook-only rules of this kind look at the whole file once.
pub(crate) fn run_hook_only_rules<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    facts: &'a FileFacts<'a>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in registry().rules_for(file.kind) {
        if rule.has_query() || !enabled.is_none_or(|enabled| enabled(rule)) {
            continue;
        }
        let Some(hook) = rule.hook else { continue };
        let cx = HookCx::new(file, project, rule, facts, None);
        let mut emits = Vec::new();
        hook(&cx, &Captures::empty(), &mut emits);
        for emit in emits {
            findings.push(Finding::new(rule, emit.range, emit.message, emit.fix));
        }
    }
    findings
}

/// A fix must never turn a file that parses into one that does not: such a
/// fix is dropped (the finding stays, with "ignore on this line" only).
/// One [`FixValidator`](crate::parse::FixValidator) serves every fix.
fn drop_fixes_that_break_parsing(file: &SourceFile<'_>, findings: &mut [Finding]) {
    let Some(tree) = file.tree else { return };
    if !findings.iter().any(|finding| finding.fix.is_some()) {
        return;
    }
    let Some(mut validator) = crate::parse::FixValidator::new(file.kind, file.text, tree) else {
        return;
    };
    for finding in findings {
        let breaks = finding
            .fix
            .as_ref()
            .is_some_and(|fix| !validator.keeps_clean_parse(&fix.edits));
        if breaks {
            tracing::debug!(
                rule = finding.rule.id,
                "dropped a fix that would leave a syntax error"
            );
            finding.fix = None;
        }
    }
}

/// Parses `text` as `kind` and checks it: what the command line does for
/// each file.
pub fn check_text(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
) -> Vec<Finding> {
    check_text_with_settings(path, kind, text, project, &FileSettings::default())
}

/// [`check_text`] under a file's resolved configuration.
pub fn check_text_with_settings(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Vec<Finding> {
    check_text_with_settings_checked(path, kind, text, project, settings).findings
}

/// [`check_text_with_settings`], also saying whether the rules stopped early.
pub fn check_text_with_settings_checked(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Checked {
    let tree = crate::parse::parse(kind, text, None);
    let file = SourceFile {
        path,
        kind,
        text,
        tree: tree.as_ref(),
    };
    check_file_with_settings_checked(&file, project, settings)
}

/// A finding of a project rule, in the file (relative to the project root)
/// where a person would act on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFinding {
    pub path: std::path::PathBuf,
    pub finding: Finding,
    /// The places in other files the finding is about (the route a
    /// `HEALTHCHECK` should probe, the `COPY` a `.dockerignore` serves).
    pub related: Vec<RelatedLocation>,
}

/// A place a project finding concerns besides its own range: a file
/// (relative to the project root), a byte range in it and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelatedLocation {
    pub path: std::path::PathBuf,
    pub range: Range<usize>,
    pub message: String,
}

/// What a project hook reports.
#[derive(Clone, Debug)]
pub struct ProjectEmit {
    pub path: std::path::PathBuf,
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
    pub related: Vec<RelatedLocation>,
}

impl ProjectEmit {
    /// The report with one more place in another file it concerns.
    pub fn related(
        mut self,
        path: impl Into<std::path::PathBuf>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> ProjectEmit {
        self.related.push(RelatedLocation {
            path: path.into(),
            range,
            message: message.into(),
        });
        self
    }
}

/// What a project hook sees: its rule and the fact kinds it declares.
pub use crate::project::view::ProjectCx;

/// A project rule's hook, as the hook table runs it: the view of the model
/// it gets is built inside from the kinds the rule declares.
pub type ProjectHookFn = fn(&crate::project::Project, &'static Rule, &mut Vec<ProjectEmit>);

/// Runs every project rule on the project model; findings are sorted by
/// path and position, suppression comments in their files are honoured.
pub fn check_project(project: &crate::project::Project) -> Vec<ProjectFinding> {
    check_project_with(project, &|_| true)
}

/// Like [`check_project`], but only the rules for which `enabled` says yes
/// (an editor re-runs only the rules that read the facts that changed).
pub fn check_project_with(
    project: &crate::project::Project,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Vec<ProjectFinding> {
    let registry = registry();
    let mut by_file: std::collections::BTreeMap<
        std::path::PathBuf,
        Vec<(Finding, Vec<RelatedLocation>)>,
    > = std::collections::BTreeMap::new();
    for rule in &registry.rules {
        let (crate::rule::Target::Project, Some(hook)) = (rule.target, rule.project_hook) else {
            continue;
        };
        if !enabled(rule) {
            continue;
        }
        let mut emits = Vec::new();
        hook(project, rule, &mut emits);
        for emit in emits {
            by_file.entry(emit.path).or_default().push((
                Finding::new(rule, emit.range, emit.message, emit.fix),
                emit.related,
            ));
        }
    }
    let mut out = Vec::new();
    for (path, mut emitted) in by_file {
        emitted.sort_by(|(a, _), (b, _)| {
            (a.range.start, a.range.end, a.rule.id).cmp(&(b.range.start, b.range.end, b.rule.id))
        });
        emitted.dedup_by(|(a, _), (b, _)| a.rule.id == b.rule.id && a.range == b.range);
        // Suppressions work on findings; the related places are joined
        // back by rule and range (unique after the dedup).
        let mut related: std::collections::HashMap<(&'static str, Range<usize>), _> =
            std::collections::HashMap::new();
        let mut findings = Vec::with_capacity(emitted.len());
        for (finding, places) in emitted {
            related.insert((finding.rule.id, finding.range.clone()), places);
            findings.push(finding);
        }
        if let Some(file) = project.file(&path) {
            file.suppressions
                .retain_unsuppressed(&file.text, &mut findings);
        }
        out.extend(findings.into_iter().map(|finding| {
            ProjectFinding {
                path: path.clone(),
                related: related
                    .remove(&(finding.rule.id, finding.range.clone()))
                    .unwrap_or_default(),
                finding,
            }
        }));
    }
    out
}

/// The project findings after a change, given the findings before it and
/// the fact kinds that changed (from `Project::update_file`): the rules that
/// read a changed kind run again, the others keep their findings. Every
/// rule reads the kinds of the files it reports in, so kept findings never
/// point into text that changed.
pub fn recheck_project(
    project: &crate::project::Project,
    changed: &std::collections::BTreeSet<crate::project::FactKind>,
    previous: Vec<ProjectFinding>,
) -> Vec<ProjectFinding> {
    let rerun = crate::hooks::project::rules_reading(changed);
    let mut findings: Vec<ProjectFinding> = previous
        .into_iter()
        .filter(|found| !rerun.contains(&found.finding.rule.id))
        .collect();
    findings.extend(check_project_with(project, &|rule| {
        rerun.contains(&rule.id)
    }));
    findings.sort_by(|a, b| {
        (&a.path, a.finding.range.start, a.finding.rule.id).cmp(&(
            &b.path,
            b.finding.range.start,
            b.finding.rule.id,
        ))
    });
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python_file<'a>(text: &'a str, tree: &'a Tree) -> SourceFile<'a> {
        SourceFile {
            path: Path::new("app/main.py"),
            kind: FileKind::Python,
            text,
            tree: Some(tree),
        }
    }

    /// A single line holding a huge list literal: the rules stop at their
    /// budget and say so instead of running for as long as the input asks.
    #[test]
    fn a_huge_single_line_stops_at_the_budget_and_says_so() {
        let text = format!(
            "DATA = [{}]\nprint(DATA)\n",
            (0..200_000)
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let tree = crate::parse::parse(FileKind::Python, &text, None).unwrap();
        let file = python_file(&text, &tree);
        let checked = check_file_checked(
            &file,
            &ProjectContext::default(),
            &|_| true,
            Duration::from_millis(1),
        );
        assert_eq!(
            checked.incomplete,
            Some(Incomplete::TimeBudget(Duration::from_millis(1)))
        );
        assert!(checked.incomplete.unwrap().to_string().contains("stopped"));
    }

    #[test]
    fn ordinary_files_are_checked_completely() {
        let text = "try:\n    pass\nexcept:\n    pass\n";
        let tree = crate::parse::parse(FileKind::Python, text, None).unwrap();
        let checked = check_file_checked(
            &python_file(text, &tree),
            &ProjectContext::default(),
            &|_| true,
            RULES_TIME_BUDGET,
        );
        assert_eq!(checked.incomplete, None);
        assert!(checked.findings.iter().any(|f| f.rule.id == "bare-except"));
    }
}
