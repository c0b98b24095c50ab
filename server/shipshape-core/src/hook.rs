//! What a rule's Rust hook sees and is: the captures of a match, the
//! file's shared facts, the hook's context ([`HookCx`]) and the hook
//! function types. Below the engine (`check`, `incremental`) that runs
//! hooks, the hook table (`hooks`) and the predicates that use them.

use std::{
    cell::{OnceCell, RefCell},
    ops::Range,
    path::Path,
};

use tree_sitter::{Node, Tree};

use crate::{
    compose::Compose,
    dockerfile::Dockerfile,
    emit::{Emit, ProjectEmit},
    fix::Fix,
    kind::FileKind,
    parse::SourceFile,
    project::{Project, ProjectContext, view::ProjectView},
    python,
    rule::Rule,
    text::TextEdit,
};

/// The captures of one query match, by name, and the ranges the engine's
/// binding predicates bound (see [`crate::predicates`]).
#[derive(Clone)]
pub struct Captures<'t> {
    pub(crate) items: Vec<(&'static str, Node<'t>)>,
    pub(crate) bound: Vec<(String, Range<usize>)>,
    /// The values of bound names that differ from their range's text (a
    /// shell word without its quotes); messages and fixes use the value.
    pub(crate) values: Vec<(String, String)>,
    /// What a per-occurrence binding predicate found: each occurrence's
    /// bindings (name, range, value) continue the match on their own.
    pub(crate) occurrences: Vec<Vec<Binding>>,
    /// The ranges after the first of names bound to several (what to
    /// delete to take several words out).
    pub(crate) more: Vec<(String, Vec<Range<usize>>)>,
}

/// One binding of an occurrence: a name, its range, and the value it
/// stands for when that is not the range's text.
pub type Binding = (String, Range<usize>, Option<String>);

impl<'t> Captures<'t> {
    pub fn empty() -> Self {
        Captures::of(Vec::new())
    }

    /// Captures of the given nodes (a query match's).
    pub(crate) fn of(items: Vec<(&'static str, Node<'t>)>) -> Self {
        Captures {
            items,
            bound: Vec::new(),
            values: Vec::new(),
            occurrences: Vec::new(),
            more: Vec::new(),
        }
    }

    /// Binds a range to a name, for a binding predicate.
    pub fn bind(&mut self, name: &str, range: Range<usize>) {
        self.values.retain(|(bound, _)| bound != name);
        self.more.retain(|(bound, _)| bound != name);
        self.bound.push((name.to_string(), range));
    }

    /// Binds a range to a name, standing for `value` (not the range's text)
    /// in messages and fixes.
    pub fn bind_value(&mut self, name: &str, range: Range<usize>, value: String) {
        self.bind(name, range);
        self.values.push((name.to_string(), value));
    }

    /// Adds an occurrence found by a per-occurrence binding predicate: its
    /// bindings (name, range, and a value when it is not the range's
    /// text) continue the match as a match of their own.
    pub fn add_occurrence(&mut self, bindings: Vec<Binding>) {
        self.occurrences.push(bindings);
    }

    /// Binds several ranges to a name: [`Captures::range`] gives the first,
    /// [`Captures::ranges`] all; a `delete` edit deletes them all.
    pub fn bind_all(&mut self, name: &str, ranges: Vec<Range<usize>>) {
        let mut ranges = ranges.into_iter();
        let Some(first) = ranges.next() else {
            return;
        };
        self.bind(name, first);
        self.more.push((name.to_string(), ranges.collect()));
    }

    /// Every range bound to `name`: its range, then the others
    /// [`Captures::bind_all`] bound with it.
    pub fn ranges(&self, name: &str) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = self.range(name).into_iter().collect();
        if let Some((_, more)) = self.more.iter().rev().find(|(bound, _)| bound == name) {
            out.extend(more.iter().cloned());
        }
        out
    }

    /// The value bound to `name` when it differs from its range's text.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)
            .map(|(_, value)| value.as_str())
    }

    /// What `name` stands for in `text` (the file's text): the value bound
    /// to it, else the text of its range.
    pub fn text<'s>(&'s self, name: &str, text: &'s str) -> Option<&'s str> {
        match self.value(name) {
            Some(value) => Some(value),
            None => self.range(name).and_then(|range| text.get(range)),
        }
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
    /// Module facts the caller already has (an incremental check's),
    /// borrowed: never cloned per check.
    given_python: Option<&'a python::Module>,
    dockerfile: OnceCell<Option<Dockerfile<'a>>>,
    compose: OnceCell<Option<Compose<'a>>>,
    /// The top-level nodes of the tree, in order (for finding a node's
    /// statement by binary search).
    statements: OnceCell<Vec<Node<'a>>>,
    /// Per scope (a function's body, by node id): how each name is bound in
    /// it, built the first time a hook asks (see [`HookCx::scope_index`]).
    scopes: RefCell<std::collections::HashMap<usize, std::rc::Rc<ScopeIndex>>>,
    /// Per scope (a function, or a top-level statement outside any): the
    /// assignments of each name in it (see [`HookCx::flow_index`]).
    flows: RefCell<std::collections::HashMap<usize, std::rc::Rc<FlowIndex>>>,
    /// The module facts hooks and predicates read, by key, with the span
    /// of the match they were handling (reads of hook-only rules, which
    /// have none, are not recorded).
    pub(crate) reads: python::FactReads,
    /// When the caller asked for them ([`FileFacts::walking`]): the nodes
    /// the kind's query matched with the engine's own patterns
    /// (`KindQuery::walked`) in a walk of the whole tree, in document order,
    /// and whether that walk ended (not stopped by the time budget or the
    /// match limit): then they are every such node of the tree.
    walked: Option<RefCell<Vec<Node<'a>>>>,
    walked_whole: std::cell::Cell<bool>,
    /// The node [`HookCx::qualified_name`] was last asked for (by id), its
    /// answer and the head whose import it read: the rules' patterns rooted
    /// at a call match it one after another, and each asks.
    last_qualified: RefCell<Option<QualifiedMemo>>,
}

/// See `FileFacts::last_qualified`.
struct QualifiedMemo {
    node: usize,
    /// The qualified name and the head whose import it read.
    found: Option<(std::rc::Rc<str>, String)>,
}

impl<'a> FileFacts<'a> {
    /// The facts of an incremental check: the Python module facts are
    /// already known, and the facts each match reads are recorded
    /// ([`python::FactReads::recording`]).
    pub fn incremental(module: &'a python::Module) -> FileFacts<'a> {
        FileFacts {
            given_python: Some(module),
            reads: python::FactReads::recording(),
            ..FileFacts::default()
        }
    }

    /// The facts of a full check that also keeps the nodes its query walks
    /// to for the project facts ([`FileFacts::walked`]); no other check
    /// keeps them.
    pub fn walking() -> FileFacts<'a> {
        FileFacts {
            walked: Some(RefCell::default()),
            ..FileFacts::default()
        }
    }

    /// The Python module facts, if a hook asked for them (a caller that
    /// derives more from the same tree uses them instead of deriving them
    /// again).
    pub fn python_if_derived(&self) -> Option<&python::Module> {
        self.given_python.or_else(|| self.python.get())
    }

    /// Every node of the project facts' kinds ([`crate::project::WALKED_KINDS`])
    /// in the tree, in document order (a node before those inside it), if
    /// the check's query walked the whole tree to its end: found by that
    /// walk, so the project facts need not walk the tree again. Only
    /// [`FileFacts::walking`] keeps them.
    pub fn walked(&self) -> Option<std::cell::Ref<'_, [Node<'a>]>> {
        let walked = self.walked.as_ref()?;
        self.walked_whole
            .get()
            .then(|| std::cell::Ref::map(walked.borrow(), Vec::as_slice))
    }

    /// Whether a walk of the whole tree keeps its nodes here.
    pub(crate) fn keeps_walked(&self) -> bool {
        self.walked.is_some()
    }

    /// Starts a walk of the whole tree: what an earlier one found is dropped.
    pub(crate) fn start_walk(&self) {
        if let Some(walked) = &self.walked {
            walked.borrow_mut().clear();
        }
        self.walked_whole.set(false);
    }

    pub(crate) fn walked_to(&self, node: Node<'a>) {
        if let Some(walked) = &self.walked {
            walked.borrow_mut().push(node);
        }
    }

    /// The walk reached the end of the tree. Its nodes are in document
    /// order already: a query cursor returns a match when it ends, and a
    /// pattern of a single node ends on entering the node, which a cursor
    /// does in document order (`check::tests` compares them with a walk).
    pub(crate) fn end_walk(&self) {
        self.walked_whole.set(true);
    }
}

/// What a hook derived from a scope, by name.
pub type ScopeMap<V> = std::collections::HashMap<String, V>;

/// A scope's bindings by name, as a hook derived them from the scope.
pub type ScopeIndex = ScopeMap<Option<String>>;

/// A scope's assignments by name, in source order: what local dataflow
/// (`predicates::dataflow`) follows a name through.
pub type FlowIndex = ScopeMap<Vec<FlowAssignment>>;

/// A scope's index as a match reads it: by name, each name recorded as a
/// read of the match when the scope is a top-level function's (the
/// incremental check runs the match again when an edit inside that
/// function's body may bind the name; see [`python::FactKey::Local`]).
pub struct ScopeView<'c, V> {
    index: std::rc::Rc<ScopeMap<V>>,
    reads: Option<(&'c python::FactReads, Option<Range<usize>>)>,
}

impl<V> ScopeView<'_, V> {
    /// What the scope holds for `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        if let Some((reads, span)) = &self.reads {
            reads.push(span, || python::FactKey::Local(name.to_string()));
        }
        self.index.get(name)
    }
}

/// One binding of a name in a scope.
#[derive(Clone, Debug)]
pub struct FlowAssignment {
    /// Where the binding starts (a use after it may see it).
    pub at: usize,
    /// The block holding the binding: a plain assignment in a block that
    /// holds the use hides the assignments before it.
    pub block: Range<usize>,
    /// The assigned value; `None` for a binding whose value is not an
    /// expression of the scope (a parameter, a `for` or `with` target).
    pub value: Option<Range<usize>>,
    /// `NAME += value` (any augmented operator): adds to what came before.
    pub augmented: bool,
    /// Not a binding: the object the name holds may change here (a method
    /// called on it, an item assigned or deleted, the name passed to a
    /// call). Dataflow skips these; a question about a dict's keys
    /// (`**kwargs`) gives up on a name that has one.
    pub mutates: bool,
}

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

    /// Whether `node` is a top-level node: a child of the tree's root, when
    /// that root is not an `ERROR` node. Binary search in the top-level
    /// nodes, no walk.
    pub fn is_top_level(&self, node: Node<'_>) -> bool {
        self.tree.is_some_and(|tree| !tree.root_node().is_error())
            && self
                .statement_holding(node.byte_range())
                .is_some_and(|statement| statement.id() == node.id())
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

    /// Whether `scope` (a function, or its body) is a top-level function,
    /// which the incremental check splits into its body statements.
    fn is_split_function(&self, scope: Node<'_>) -> bool {
        let function = if scope.kind() == "block" {
            scope.parent()
        } else {
            Some(scope)
        };
        let Some(function) = function.filter(|node| node.kind() == "function_definition") else {
            return false;
        };
        let statement = function
            .parent()
            .filter(|parent| parent.kind() == "decorated_definition")
            .unwrap_or(function);
        self.is_top_level(statement)
    }

    /// Records that the match reads `scope` (a function, or its body)
    /// whole beyond its own statement: its text. The incremental check
    /// splits a top-level function into its body statements and keeps the
    /// findings of those an edit left alone; a match that read the
    /// function's body this way runs again (see [`python::FactKey::Scope`]).
    /// Scopes inside the match's statement (a nested function) are part of
    /// it: no record.
    pub fn reads_scope(&self, scope: Node<'_>) {
        if self.span.is_some() && self.is_split_function(scope) {
            self.facts.reads.push(&self.span, || python::FactKey::Scope);
        }
    }

    /// The view of a scope's index that records each name read, when the
    /// scope is a top-level function's (see [`python::FactKey::Local`]).
    fn scope_view<V>(&self, scope: Node<'_>, index: std::rc::Rc<ScopeMap<V>>) -> ScopeView<'_, V> {
        let reads = (self.span.is_some() && self.is_split_function(scope))
            .then(|| (&self.facts.reads, self.span.clone()));
        ScopeView { index, reads }
    }

    /// An index a hook derives from a scope (a node of its match's
    /// statement), built once per scope and check and shared by every
    /// match in it: a per-match walk of the scope made long functions
    /// quadratic. `build` must depend on the scope's nodes and the module
    /// facts only. Names are read through the view, which records them.
    pub fn scope_index(
        &self,
        scope: Node<'_>,
        build: impl FnOnce() -> ScopeIndex,
    ) -> ScopeView<'_, Option<String>> {
        self.cached_index(&self.facts.scopes, scope, build)
    }

    /// The assignments of each name in a scope (a node of the match's
    /// statement), built once per scope and check and shared by every match
    /// in it, as [`HookCx::scope_index`]. `build` must depend on the scope's
    /// nodes only.
    pub fn flow_index(
        &self,
        scope: Node<'_>,
        build: impl FnOnce() -> FlowIndex,
    ) -> ScopeView<'_, Vec<FlowAssignment>> {
        self.cached_index(&self.facts.flows, scope, build)
    }

    /// The index of `scope` in `cache`, built the first time, as a view
    /// that records the names read.
    fn cached_index<V>(
        &self,
        cache: &RefCell<std::collections::HashMap<usize, std::rc::Rc<ScopeMap<V>>>>,
        scope: Node<'_>,
        build: impl FnOnce() -> ScopeMap<V>,
    ) -> ScopeView<'_, V> {
        crate::work::facts(1);
        let cached = cache.borrow().get(&scope.id()).cloned();
        let index = cached.unwrap_or_else(|| {
            let index = std::rc::Rc::new(build());
            cache.borrow_mut().insert(scope.id(), index.clone());
            index
        });
        self.scope_view(scope, index)
    }

    /// The node of a module-level constant's value (a read the incremental
    /// check keeps track of).
    pub fn constant(&self, name: &str) -> Option<Node<'a>> {
        let range = self.constant_range(name)?;
        let statement = self.statement_holding(range.clone())?;
        statement.named_descendant_for_byte_range(range.start, range.end)
    }

    /// Every module-level assignment of `name` (`NAME = value`,
    /// `NAME += value`), in order: where its statement starts, the value's
    /// node, whether it is augmented (a read the incremental check keeps
    /// track of, as [`HookCx::constant`]).
    pub fn module_assignments(&self, name: &str) -> Vec<(usize, Node<'a>, bool)> {
        self.python()
            .assignments(name)
            .iter()
            .filter_map(|(at, range, augmented)| {
                let statement = self.statement_holding(range.clone())?;
                let value = statement.named_descendant_for_byte_range(range.start, range.end)?;
                Some((*at, value, *augmented))
            })
            .collect()
    }

    /// The byte range of a module-level constant's value (a read the
    /// incremental check keeps track of).
    pub fn constant_range(&self, name: &str) -> Option<Range<usize>> {
        self.python().constant_range(name)
    }

    /// The named children of `node`, counted as nodes visited by the work
    /// counter: how hooks and predicates list a node's children (a raw
    /// `Node::named_children` walk is work the counter does not see).
    pub fn named_children<'t>(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        crate::work::nodes(children.len());
        children
    }

    /// The text of a node.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        &self.file.text[node.byte_range()]
    }

    /// The dotted name of `node` qualified through the module's imports, or
    /// as written when its head is not imported ([`python::ModuleView::qualified_name`]).
    /// Asked again for the node it was last asked for, it answers from the
    /// last answer, and records the answer's one read again with the span
    /// of the match asking (a no-op where reads are not recorded).
    pub fn qualified_name(&self, node: Node<'_>) -> Option<std::rc::Rc<str>> {
        if let Some(memo) = &*self.facts.last_qualified.borrow()
            && memo.node == node.id()
        {
            let (name, head) = memo.found.as_ref()?;
            self.python().read_import(head);
            return Some(name.clone());
        }
        crate::work::qualified();
        let found = self
            .python()
            .qualified_name(self.file.text, node)
            .map(|(name, head)| (std::rc::Rc::<str>::from(name), head));
        let name = found.as_ref().map(|(name, _)| name.clone());
        *self.facts.last_qualified.borrow_mut() = Some(QualifiedMemo {
            node: node.id(),
            found,
        });
        name
    }

    /// Module-level facts of a Python file (imports, constants...), read
    /// by key: each read is recorded with the match's span, so the
    /// incremental check re-runs this match when a key it read changes.
    pub fn python(&self) -> python::ModuleView<'_> {
        let module = match self.facts.given_python {
            Some(module) => module,
            None => self.facts.python.get_or_init(|| match self.tree {
                Some(tree) => python::Module::new(tree.root_node(), self.file.text),
                None => python::Module::default(),
            }),
        };
        python::ModuleView::new(module, &self.facts.reads, &self.span)
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

    /// Fills `${name}` with the text of capture `name`; `$${` stands for a
    /// literal `${` (`$${${name}:?required}` gives `${API_KEY:?required}`).
    pub fn interpolate(&self, template: &str, captures: &Captures<'_>) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            if rest[..start].ends_with('$') {
                out.push_str(&rest[..start - 1]);
                out.push_str("${");
                rest = &rest[start + 2..];
                continue;
            }
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    match (captures.value(name), captures.range(name)) {
                        (Some(value), _) => out.push_str(value),
                        (None, Some(range)) => out.push_str(&self.file.text[range]),
                        (None, None) => out.push_str(&rest[start..start + 3 + end]),
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
        self.fix_importing(edits, &template.imports)
    }

    /// [`HookCx::fix`] with these imports in place of the template's.
    fn fix_importing(&self, mut edits: Vec<TextEdit>, imports: &[String]) -> Option<Fix> {
        let template = self.rule.meta.fix.as_ref()?;
        if self.file.kind == FileKind::Python {
            for module in imports {
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
        self.template_fix_variant(captures, None)
    }

    /// [`HookCx::template_fix`] with the edits and imports of the fix's
    /// variant `variant` (`[fix.variants.NAME]`) when one is named.
    pub fn template_fix_variant(
        &self,
        captures: &Captures<'_>,
        variant: Option<&str>,
    ) -> Option<Fix> {
        let template = self.rule.meta.fix.as_ref()?;
        let (edit_templates, imports) = match variant {
            Some(name) => {
                let variant = template.variants.get(name)?;
                (&variant.edits, &variant.imports)
            }
            None => (&template.edits, &template.imports),
        };
        if edit_templates.is_empty() {
            return None;
        }
        let mut edits = Vec::new();
        for edit in edit_templates {
            let range = captures.range(&edit.capture)?;
            if let Some(text) = &edit.replace {
                let mut text = self.interpolate(text, captures);
                if edit.match_case
                    && self.file.text[range.clone()]
                        .chars()
                        .all(|c| c.is_ascii_lowercase())
                {
                    text = text.to_ascii_lowercase();
                }
                edits.push(TextEdit::replace(range.clone(), text));
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
                for range in captures.ranges(&edit.capture) {
                    edits.push(TextEdit::delete(range));
                }
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
            if let Some(value) = &edit.set_environment {
                let value = self.interpolate(value, captures);
                edits.push(
                    self.compose()?
                        .environment_at(range.clone())?
                        .set_value_edit(self.file.text, &value)?,
                );
            }
            if let Some(host) = &edit.bind_port {
                let host = self.interpolate(host, captures);
                edits.push(
                    self.compose()?
                        .port_at(range.clone())?
                        .bind_edit(self.file.text, &host)?,
                );
            }
            if let Some(target) = &edit.add_volume {
                let target = self.interpolate(target, captures);
                let name = self.interpolate(&edit.volume_name, captures);
                edits.extend(
                    self.compose()?
                        .add_named_volume(range.clone(), &name, &target)?,
                );
            }
            if let Some(condition) = &edit.set_condition {
                let condition = self.interpolate(condition, captures);
                let compose = self.compose()?;
                let read = |path: &std::path::Path| self.project.files.read(path);
                let healthy = |name: &str| compose.service_healthy(self.file.path, name, &read);
                edits.extend(compose.set_condition_edits(range.clone(), &condition, &healthy)?);
            }
            if let Some(argument) = &edit.append_argument {
                let node = captures.get(&edit.capture)?;
                let arguments = match node.kind() {
                    "call" => node.child_by_field_name("arguments")?,
                    _ => node,
                };
                edits.push(python::append_argument(
                    self.file.text,
                    arguments,
                    &self.interpolate(argument, captures),
                )?);
            }
            if !edit.append_arguments.is_empty() {
                let node = captures.get(&edit.capture)?;
                let arguments = match node.kind() {
                    "call" => node.child_by_field_name("arguments")?,
                    _ => node,
                };
                let appended: Vec<String> = edit
                    .append_arguments
                    .iter()
                    .map(|argument| self.interpolate(argument, captures))
                    .collect();
                let appended: Vec<&str> = appended.iter().map(String::as_str).collect();
                edits.push(python::append_arguments(
                    self.file.text,
                    arguments,
                    &appended,
                )?);
            }
            if let Some(command) = &edit.append_command {
                let run = captures.get(&edit.capture)?;
                let command = self.interpolate(command, captures);
                edits.push(self.dockerfile()?.append_command(run, &command)?);
            }
            if edit.exec_form {
                let node = captures.get(&edit.capture)?;
                edits.push(self.dockerfile()?.exec_form_edit(node)?);
            }
        }
        self.fix_importing(edits, imports)
    }

    /// What a rule without a hook reports for a match.
    pub fn default_emit(&self, captures: &Captures<'_>) -> Option<Emit> {
        self.default_emit_with(captures, None, None)
    }

    /// [`HookCx::default_emit`] with the message a pattern sets
    /// (`(#set! message "...")`) in place of the rule's, and the variant of
    /// the rule's fix it names (`(#set! fix "NAME")`).
    pub fn default_emit_with(
        &self,
        captures: &Captures<'_>,
        message: Option<&str>,
        fix: Option<&str>,
    ) -> Option<Emit> {
        Some(Emit {
            range: self.finding_range(captures)?,
            message: match message {
                Some(message) => self.interpolate(message, captures),
                None => self.message(captures),
            },
            fix: self.template_fix_variant(captures, fix),
        })
    }
}

/// The signature of a rule hook: look at one match (or, for a hook-only
/// rule, the whole file with no captures) and push what to report.
pub type HookFn = for<'a> fn(&HookCx<'a>, &Captures<'a>, &mut Vec<Emit>);

/// What a project hook sees: its rule, and the project model through the
/// fact kinds `R` only (it derefs to the [`ProjectView`]).
pub struct ProjectCx<'a, R> {
    view: ProjectView<'a, R>,
    pub rule: &'static Rule,
}

impl<'a, R> ProjectCx<'a, R> {
    /// The context of `rule` over `project`, reading `R` (built by the hook
    /// table only, from the rule's declared kinds).
    pub(crate) fn new(project: &'a Project, rule: &'static Rule) -> ProjectCx<'a, R> {
        ProjectCx {
            view: ProjectView::new(project),
            rule,
        }
    }

    /// The context of the same rule over the nested project a compose
    /// service builds from (its folder relative to the root; see
    /// [`Project::linked`]).
    pub fn linked(&self, folder: &std::path::Path) -> Option<ProjectCx<'a, R>> {
        Some(ProjectCx {
            view: self.view.linked(folder)?,
            rule: self.rule,
        })
    }

    /// A fix with the rule's title and safety.
    pub fn fix(
        &self,
        edits: Vec<TextEdit>,
        other_files: Vec<crate::fix::FileChange>,
    ) -> Option<Fix> {
        Some(self.rule.meta.fix.as_ref()?.fix(edits, other_files))
    }

    /// A report at `path`/`range` with the rule's message (where
    /// `${name}` is replaced by the value given for `name`).
    pub fn emit(
        &self,
        path: impl Into<std::path::PathBuf>,
        range: Range<usize>,
        values: &[(&str, &str)],
        fix: Option<Fix>,
    ) -> ProjectEmit {
        let mut message = self.rule.meta.message.clone();
        for (name, value) in values {
            message = message.replace(&format!("${{{name}}}"), value);
        }
        ProjectEmit {
            path: path.into(),
            range,
            message,
            fix,
            related: Vec::new(),
        }
    }
}

impl<'a, R> std::ops::Deref for ProjectCx<'a, R> {
    type Target = ProjectView<'a, R>;

    fn deref(&self) -> &ProjectView<'a, R> {
        &self.view
    }
}

/// A project rule's hook, as the hook table runs it: the view of the model
/// it gets is built inside from the kinds the rule declares.
pub type ProjectHookFn = fn(&Project, &'static Rule, &mut Vec<ProjectEmit>);

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Captures, FileFacts, HookCx};
    use crate::{kind::FileKind, parse::SourceFile, project::ProjectContext, registry::registry};

    #[test]
    fn templates_fill_names_and_keep_an_escaped_dollar_brace() {
        let text = "API_KEY";
        let file = SourceFile {
            path: Path::new("compose.yaml"),
            kind: FileKind::Compose,
            text,
            tree: None,
        };
        let project = ProjectContext::default();
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Compose).next().unwrap();
        let cx = HookCx::new(&file, &project, rule, &facts, None);
        let mut captures = Captures::empty();
        captures.bind("name", 0..7);
        assert_eq!(
            cx.interpolate("$${${name}:?${name} must be set} ${other} $$ $", &captures),
            "${API_KEY:?API_KEY must be set} ${other} $$ $"
        );
        assert_eq!(cx.interpolate("${name}=$${", &captures), "API_KEY=${");
    }

    /// A hook's walk of a node's children is work the counter sees, and
    /// so is a predicate's built on it (`#has-string-element?` reads a
    /// list's elements one by one).
    #[test]
    fn listing_children_and_reading_a_lists_elements_are_counted() {
        let elements: Vec<String> = (0..500).map(|n| format!("\"h{n}\"")).collect();
        let text = format!("ALLOWED_HOSTS = [{}]\n", elements.join(", "));
        let tree = crate::parse::parse(FileKind::Python, &text, None).unwrap();
        let file = SourceFile {
            path: Path::new("settings.py"),
            kind: FileKind::Python,
            text: &text,
            tree: Some(&tree),
        };
        let project = ProjectContext::default();
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Python).next().unwrap();
        let cx = HookCx::new(&file, &project, rule, &facts, None);
        let list = tree
            .root_node()
            .named_descendant_for_byte_range(text.find('[').unwrap(), text.len() - 2)
            .unwrap();
        assert_eq!(list.kind(), "list");
        let (children, work) = crate::work::measure(|| cx.named_children(list));
        assert_eq!(children.len(), 500);
        assert_eq!(work.nodes, 500);
        // `#has-string-element?` over a list without the text: every
        // element and its literal part.
        let pattern = "((expression_statement (assignment right: (list) @hosts)) (#has-string-element? @hosts \"*\"))";
        // Capture names are `'static`, as the registry's queries are.
        let query: &'static tree_sitter::Query = Box::leak(Box::new(
            tree_sitter::Query::new(&FileKind::Python.language().unwrap(), pattern).unwrap(),
        ));
        let extras = crate::predicates::compile_pattern(query, 0, FileKind::Python).unwrap();
        let mut cursor = tree_sitter::QueryCursor::new();
        let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
        let found = streaming_iterator::StreamingIterator::next(&mut matches).unwrap();
        let captures = Captures::of(
            found
                .captures()
                .iter()
                .map(|capture| (query.capture_names()[capture.index as usize], capture.node))
                .collect(),
        );
        let (held, work) =
            crate::work::measure(|| crate::predicates::hold_each(&cx, captures, &extras).len());
        assert_eq!(held, 0);
        assert!(work.nodes >= 1_000, "{work:?}");
    }
}
