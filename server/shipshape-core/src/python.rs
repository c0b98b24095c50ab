//! Facts about a Python module that rules share (imports, module-level
//! constants, the logger), and edit builders that keep Python formatting.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    ops::Range,
    path::Path,
    sync::Arc,
};

use tree_sitter::Node;

use crate::{
    fix::{line_break, line_indent, next_line_start},
    text::TextEdit,
};

/// A top-level node's place in module order. A node an edit leaves alone
/// keeps its order; new nodes get orders between their neighbours', so
/// the name-keyed facts need no renumbering when statements come and go.
type Order = u64;

/// The gap between the orders of neighbouring nodes of a freshly derived
/// module: room for many nodes typed in between before a renumbering.
const STRIDE: Order = 1 << 24;

/// Module-level facts of one Python file. Rules read them for every match,
/// so nothing here is recomputed per match; and a keystroke updates them
/// from the top-level nodes it changed: the name-keyed facts ([`Names`])
/// are persistent maps, shared with the previous version but for the
/// entries of the changed nodes. Equal facts of two versions of a file
/// (after shifting byte offsets over an edit, see [`Module::changes_after`])
/// mean that every rule reading them sees the same module: the incremental
/// check relies on it.
#[derive(Clone, Debug, Default)]
pub struct Module {
    /// Every module's own number (see [`Module::derived`]).
    id: u64,
    /// The order of each top-level node (see [`Order`]).
    orders: Vec<Order>,
    /// The facts looked up by name, merged from every top-level node's
    /// [`StatementFacts`].
    names: Names,
    /// When these facts were updated from another module's: its id, and the
    /// names whose entries the update touched (see [`Module::changes_after`]).
    derived: Option<(u64, Arc<Touched>)>,
    /// Module-level `NAME = value` assignments: name → byte range of the
    /// value of the last such assignment. Private: hooks read a value
    /// through `HookCx::constant`, which records the read for the
    /// incremental check.
    constants: HashMap<String, Range<usize>>,
    /// Every module-level `NAME = value` and `NAME += value` (any augmented
    /// operator), in order: name → (where the statement starts, the byte
    /// range of the value, whether it is augmented). Read under the same
    /// key as `constants` (local dataflow, `predicates::dataflow`).
    assignments: HashMap<String, Vec<(usize, Range<usize>, bool)>>,
    /// The name of a module-level logger (`logger = logging.getLogger(...)`).
    logger: Option<String>,
    /// The file's line break (`\n` or `\r\n`), for inserted lines.
    newline: &'static str,
    /// Whether the text after the header is blank (an import inserted at
    /// the very start then needs no separating line).
    blank_after_header: bool,
    /// The first top-level `from module import ...` of each module: the
    /// module's name and where its last imported name ends.
    from_imports: Vec<(String, usize)>,
    /// Top-level import statements of the leading import block, in order.
    leading_imports: Vec<Range<usize>>,
    /// The start of the line after the leading import block (where a new
    /// line after the imports goes); 0 without leading imports.
    after_leading_imports: usize,
    /// Where a new import goes when the module has no leading imports: after
    /// the docstring, `__future__` imports and leading comments.
    header_end: usize,
}

/// Each statement's contributions to one name, in module order: (the
/// statement's order, the contribution's place in the statement, value).
/// Which one counts depends on the fact (the last import of a name wins,
/// the first builder of a variable).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ranked<V>(Vec<(Order, u32, V)>);

impl<V> Default for Ranked<V> {
    fn default() -> Self {
        Ranked(Vec::new())
    }
}

/// A multiset of strings (a count per string), ordered for prefix lookups.
type Counts = imbl::OrdMap<String, usize>;

/// The module facts looked up by name, merged from the statements' own.
#[derive(Clone, Debug, Default)]
struct Names {
    /// Local name → fully qualified name, from every import statement of the
    /// module (`import requests as r` gives `r → requests`, `from requests
    /// import post` gives `post → requests.post`); the last import of a name wins.
    imports: imbl::HashMap<String, Ranked<String>>,
    /// What built each variable, anywhere in the module: the text of an
    /// assignment target or `with ... as` name (`session`, `self.client`)
    /// → the dotted name of the call that made it (`requests.Session`,
    /// qualified when read); the first builder wins.
    builders: imbl::HashMap<String, Ranked<String>>,
    /// How each name is bound at module level (not looking into functions,
    /// lambdas or classes): the dotted name of the call that builds it, if
    /// any, in the order a walk from the root meets them (top-level nodes
    /// last to first); see [`Module::module_binding`].
    bindings: imbl::HashMap<String, Ranked<Option<String>>>,
    /// The type annotations of route handlers' parameters that may be the
    /// request body (not `Query(`, `Path(`, `Header(`, `Cookie(`,
    /// `Depends(`), anywhere in the module, indexed.
    body: BodyIndex,
    /// Names written right after `Depends(`, `Security(` or
    /// `Depends(dependency=` anywhere in the text (and followed by `)`, `,`
    /// or a space): functions FastAPI calls on every request.
    dependencies: Counts,
    /// Functions registered as exception handlers by a call or a keyword
    /// anywhere in the text (`add_exception_handler(T, f)`,
    /// `register_error_handler(T, f)`, `exception_handlers={T: f}`): the
    /// function's name → how many registrations cover every error
    /// (`Exception`, `BaseException`, a 5xx status) and how many do not.
    handlers: imbl::HashMap<String, [usize; 2]>,
    /// How many top-level nodes are route handlers (see [`Module::defines_routes`]).
    routes: usize,
    /// How many top-level nodes are `if __name__ == "__main__":` blocks.
    scripts: usize,
    /// How many top-level nodes mention `INSTALLED_APPS` (a Django settings module).
    installed_apps: usize,
    /// How many top-level nodes mention `"CORS_ORIGINS"` or `'CORS_ORIGINS'`.
    cors_origins: usize,
    /// Where the text tests a value for emptiness, see [`Module::tests_empty`].
    empty_tests: EmptyTests,
}

/// The names whose entries an update of [`Names`] added or removed.
#[derive(Debug, Default)]
struct Touched {
    imports: HashSet<String>,
    builders: HashSet<String>,
    bindings: HashSet<String>,
    dependencies: HashSet<String>,
    handlers: HashSet<String>,
    /// How many of each request-body annotation came (or went, below 0).
    body: HashMap<String, isize>,
    /// How many of each emptiness test (its kind and text) came or went.
    empty_tests: HashMap<(usize, String), isize>,
}

impl Touched {
    /// Every name of either facts, for facts not updated one from the other.
    fn every_name(old: &Names, new: &Names) -> Touched {
        fn both<V: Clone>(
            old: &imbl::HashMap<String, V>,
            new: &imbl::HashMap<String, V>,
        ) -> HashSet<String> {
            old.keys().chain(new.keys()).cloned().collect()
        }
        Touched {
            imports: both(&old.imports, &new.imports),
            builders: both(&old.builders, &new.builders),
            bindings: both(&old.bindings, &new.bindings),
            dependencies: old
                .dependencies
                .keys()
                .chain(new.dependencies.keys())
                .cloned()
                .collect(),
            handlers: both(&old.handlers, &new.handlers),
            body: HashMap::new(),
            empty_tests: HashMap::new(),
        }
    }

    fn names(&self) -> usize {
        self.imports.len()
            + self.builders.len()
            + self.bindings.len()
            + self.dependencies.len()
            + self.handlers.len()
    }

    fn body_changed(&self) -> bool {
        self.body.values().any(|delta| *delta != 0)
    }

    fn empty_tests_changed(&self) -> bool {
        self.empty_tests.values().any(|delta| *delta != 0)
    }
}

/// The change of a count by a statement's entry coming or going.
fn delta(add: bool) -> isize {
    if add { 1 } else { -1 }
}

/// Adds one to the count of `key`, or takes one away.
fn count(counts: &mut Counts, key: &str, add: bool) {
    if add {
        *counts.entry(key.to_string()).or_insert(0) += 1;
    } else if let Some(count) = counts.get_mut(key) {
        *count -= 1;
        if *count == 0 {
            counts.remove(key);
        }
    }
}

/// Whether some key of `counts` starts with `prefix`.
fn any_starts_with(counts: &Counts, prefix: &str) -> bool {
    counts
        .range::<_, str>((
            std::ops::Bound::Included(prefix),
            std::ops::Bound::Unbounded,
        ))
        .next()
        .is_some_and(|(key, _)| key.starts_with(prefix))
}

/// Adds a statement's contribution to a name, or takes it away.
fn rank<V: Clone>(
    map: &mut imbl::HashMap<String, Ranked<V>>,
    name: &str,
    (order, place, value): (Order, u32, V),
    add: bool,
) {
    if add {
        let ranked = map.entry(name.to_string()).or_default();
        let at = ranked
            .0
            .partition_point(|(other, other_place, _)| (*other, *other_place) < (order, place));
        ranked.0.insert(at, (order, place, value));
    } else if let Some(ranked) = map.get_mut(name) {
        ranked
            .0
            .retain(|(other, other_place, _)| (*other, *other_place) != (order, place));
        if ranked.0.is_empty() {
            map.remove(name);
        }
    }
}

/// [`rank`] of each of a statement's entries (at `order`, in their order
/// in the statement), noting the names touched.
fn rank_all<V: Clone>(
    map: &mut imbl::HashMap<String, Ranked<V>>,
    entries: &[(String, V)],
    order: Order,
    add: bool,
    touched: &mut HashSet<String>,
) {
    for (index, (name, value)) in entries.iter().enumerate() {
        let place = u32::try_from(index).unwrap_or(u32::MAX);
        rank(map, name, (order, place, value.clone()), add);
        touched.insert(name.clone());
    }
}

impl Names {
    /// Adds a statement's facts (at `order`) to the merged ones, or takes
    /// them away, noting the names touched.
    fn apply(&mut self, order: Order, facts: &StatementFacts, add: bool, touched: &mut Touched) {
        crate::work::facts(facts.entries());
        rank_all(
            &mut self.imports,
            &facts.imports,
            order,
            add,
            &mut touched.imports,
        );
        rank_all(
            &mut self.builders,
            &facts.builders,
            order,
            add,
            &mut touched.builders,
        );
        rank_all(
            &mut self.bindings,
            &facts.bindings,
            order,
            add,
            &mut touched.bindings,
        );
        for annotation in &facts.body_annotations {
            self.body.apply(annotation, add);
            *touched.body.entry(annotation.clone()).or_default() += delta(add);
        }
        for name in &facts.dependencies {
            count(&mut self.dependencies, name, add);
            touched.dependencies.insert(name.clone());
        }
        for (name, everything) in &facts.handlers {
            let counts = self.handlers.entry(name.clone()).or_insert([0, 0]);
            let slot = &mut counts[usize::from(*everything)];
            if add {
                *slot += 1;
            } else {
                *slot = slot.saturating_sub(1);
            }
            if *counts == [0, 0] {
                self.handlers.remove(name);
            }
            touched.handlers.insert(name.clone());
        }
        let change = |count: &mut usize, mentions: bool| {
            if mentions {
                *count = if add {
                    *count + 1
                } else {
                    count.saturating_sub(1)
                };
            }
        };
        change(&mut self.routes, facts.route);
        change(&mut self.scripts, facts.script);
        change(&mut self.installed_apps, facts.installed_apps);
        change(&mut self.cors_origins, facts.cors_origins);
        if !facts.empty_tests.is_empty() {
            self.empty_tests.apply(&facts.empty_tests, add);
            for (kind, texts) in facts.empty_tests.kinds().into_iter().enumerate() {
                for text in texts {
                    *touched.empty_tests.entry((kind, text.clone())).or_default() += delta(add);
                }
            }
        }
    }

    fn import(&self, name: &str) -> Option<&String> {
        let (_, _, qualified) = self.imports.get(name)?.0.last()?;
        Some(qualified)
    }

    fn builder(&self, name: &str) -> Option<&String> {
        let (_, _, dotted) = self.builders.get(name)?.0.first()?;
        Some(dotted)
    }

    /// The first binding with a call that a walk from the root meets (the
    /// top-level nodes last to first, each in walk order), else `None`;
    /// `None` outside for a name never bound.
    fn binding(&self, name: &str) -> Option<Option<&String>> {
        let ranked = &self.bindings.get(name)?.0;
        let made = ranked
            .iter()
            .filter_map(|(order, place, dotted)| {
                Some((std::cmp::Reverse(*order), *place, dotted.as_ref()?))
            })
            .min()
            .map(|(_, _, dotted)| dotted);
        Some(made)
    }

    fn handler(&self, name: &str) -> Option<bool> {
        self.handlers
            .get(name)
            .map(|[_, everything]| *everything > 0)
    }
}

impl Module {
    pub fn new(root: Node<'_>, text: &str) -> Module {
        crate::stats::count_module();
        let top_level = children(root);
        let statements = statement_facts(&top_level, text, &[], |_| None);
        Module::from_statements(&top_level, text, &statements, None)
    }

    /// The facts of a module from its top-level nodes (the children of its
    /// root, see [`children`]) and their facts (one per node, see
    /// [`statement_facts`]). With `base` (the
    /// facts of the previous version and its nodes' facts), the name-keyed
    /// facts are the base's, updated with the nodes whose facts differ
    /// (neither the very same `Arc` nor equal): the work follows the edit,
    /// not the module.
    pub fn from_statements(
        top_level: &[Node<'_>],
        text: &str,
        statements: &[Arc<StatementFacts>],
        base: Option<(&Module, &[Arc<StatementFacts>])>,
    ) -> Module {
        static IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut module = Module {
            id: IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Module::default()
        };
        match base.and_then(|(old, old_statements)| update(old, old_statements, statements)) {
            Some((orders, names, touched, base_id)) => {
                module.orders = orders;
                module.names = names;
                module.derived = Some((base_id, Arc::new(touched)));
            }
            None => {
                crate::work::top_level(statements.len());
                let mut touched = Touched::default();
                for (index, facts) in statements.iter().enumerate() {
                    let order = (index as Order + 1) * STRIDE;
                    module.orders.push(order);
                    module.names.apply(order, facts, true, &mut touched);
                }
            }
        }
        module.newline = line_break(text);
        let mut in_header = true;
        let mut in_import_block = true;
        for &statement in top_level.iter().filter(|node| node.is_named()) {
            let kind = statement.kind_name();
            if kind == "comment" {
                if in_header {
                    module.header_end = next_line_start(text, statement.end_byte());
                }
                continue;
            }
            let is_docstring = is_string_statement(statement);
            let is_future = kind == "future_import_statement";
            if in_header && (is_docstring || is_future) {
                module.header_end = next_line_start(text, statement.end_byte());
                continue;
            }
            in_header = false;
            let is_import = matches!(kind, "import_statement" | "import_from_statement");
            if in_import_block && is_import {
                module.leading_imports.push(statement.byte_range());
            } else if !(kind == "try_statement" && contains_import(statement)) {
                in_import_block = false;
            }
            if kind == "expression_statement"
                && let Some(assignment) = statement.named_child(0)
                && assignment.kind_name() == "assignment"
                && let (Some(left), Some(right)) =
                    (assignment.field("left"), assignment.field("right"))
                && left.kind_name() == "identifier"
            {
                let name = &text[left.byte_range()];
                module
                    .constants
                    .insert(name.to_string(), right.byte_range());
                module
                    .assignments
                    .entry(name.to_string())
                    .or_default()
                    .push((statement.start_byte(), right.byte_range(), false));
                let value = &text[right.byte_range()];
                if module.logger.is_none()
                    && (value.starts_with("logging.getLogger(")
                        || value.starts_with("getLogger(")
                        || value.starts_with("structlog.get_logger(")
                        || value.starts_with("structlog.getLogger("))
                {
                    module.logger = Some(name.to_string());
                }
            }
            if kind == "expression_statement"
                && let Some(assignment) = statement.named_child(0)
                && assignment.kind_name() == "augmented_assignment"
                && let (Some(left), Some(right)) =
                    (assignment.field("left"), assignment.field("right"))
                && left.kind_name() == "identifier"
            {
                module
                    .assignments
                    .entry(text[left.byte_range()].to_string())
                    .or_default()
                    .push((statement.start_byte(), right.byte_range(), true));
            }
            if kind == "import_from_statement"
                && let Some(name) = statement.field("module_name")
            {
                let name = &text[name.byte_range()];
                let mut names = statement.walk();
                if !module.from_imports.iter().any(|(known, _)| known == name)
                    && let Some(last) = statement.children_by_field_name("name", &mut names).last()
                {
                    module
                        .from_imports
                        .push((name.to_string(), last.end_byte()));
                }
            }
        }
        let at = module.header_end.min(text.len());
        module.blank_after_header = text[at..].trim().is_empty();
        module.after_leading_imports = module
            .leading_imports
            .last()
            .map_or(0, |last| next_line_start(text, last.end));
        module
    }

    /// Whether a class name is used in a request-body annotation: one of
    /// them is the name, or holds `[name`, `name]` or `name |`. An index
    /// lookup (a per-field scan of every annotation was quadratic).
    pub fn used_as_request_body(&self, name: &str) -> bool {
        self.names.body.mentions(name)
    }

    /// The fully qualified name of a dotted expression (`r.get` with
    /// `import requests as r` is `requests.get`) when its head is an imported
    /// name, else its dotted text (`None`: not a dotted name).
    pub fn qualified_name(&self, text: &str, node: Node<'_>) -> Option<String> {
        let dotted = dotted_name(text, node)?;
        Some(self.qualify_dotted(&dotted).unwrap_or(dotted))
    }

    /// Whether the text anywhere says `not NAME`, `NAME == ''`,
    /// `NAME == ""`, `if NAME:` or `if NAME and` (a name spanning lines
    /// never counts; a test is read within one top-level node, or one
    /// statement of a class body, see [`text_pieces`]).
    pub fn tests_empty(&self, name: &str) -> bool {
        !name.contains('\n') && self.names.empty_tests.mentions(name)
    }

    /// The fully qualified name of a dotted name's text; `None` if its head
    /// is not an imported name.
    pub fn qualify_dotted(&self, dotted: &str) -> Option<String> {
        let (head, tail) = match dotted.split_once('.') {
            Some((head, tail)) => (head, Some(tail)),
            None => (dotted, None),
        };
        let qualified = self.names.import(head)?;
        Some(match tail {
            Some(tail) => format!("{qualified}.{tail}"),
            None => qualified.clone(),
        })
    }

    /// A dotted name qualified when its head is imported, else as written.
    fn qualify_or_keep(&self, dotted: &str) -> String {
        self.qualify_dotted(dotted)
            .unwrap_or_else(|| dotted.to_string())
    }

    /// The qualified names of every import (for the project model, which
    /// derives a file's facts whole; rules read imports by name).
    pub fn imported(&self) -> impl Iterator<Item = &String> {
        self.names
            .imports
            .values()
            .filter_map(|ranked| ranked.0.last().map(|(_, _, qualified)| qualified))
    }

    /// Whether the module imports `module` itself (`import os`).
    pub fn imports_module(&self, module: &str) -> bool {
        self.names
            .import(module)
            .is_some_and(|qualified| qualified == module)
    }

    /// Whether any import of the module comes from `package` (or a submodule).
    pub fn uses_package(&self, package: &str) -> bool {
        self.imported().any(|qualified| {
            qualified == package
                || qualified
                    .strip_prefix(package)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// What built a variable, anywhere in the module (the first assignment
    /// or `with ... as` of the name that calls something): the call's
    /// qualified name (`requests.Session`).
    pub fn built_by(&self, name: &str) -> Option<String> {
        Some(self.qualify_or_keep(self.names.builder(name)?))
    }

    /// How a module-level name is bound: `Some(call)` when a call builds it
    /// (the first such binding a walk from the root meets), `None` when
    /// only other values are assigned; `None` outside when the name is never
    /// bound at module level.
    pub fn module_binding(&self, name: &str) -> Option<Option<String>> {
        let made = self.names.binding(name)?;
        Some(made.map(|dotted| self.qualify_or_keep(dotted)))
    }

    /// The byte range of a module-level constant's value (hooks use
    /// `HookCx::constant_range`, which records the read).
    pub(crate) fn constant_range(&self, name: &str) -> Option<Range<usize>> {
        self.constants.get(name).cloned()
    }

    /// Every module-level assignment of `name`, in order: where its
    /// statement starts, the range of its value, whether it is augmented
    /// (`+=`).
    pub(crate) fn assignments(&self, name: &str) -> &[(usize, Range<usize>, bool)] {
        self.assignments.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether the module assigns `name` at its top level.
    pub fn has_constant(&self, name: &str) -> bool {
        self.constants.contains_key(name)
    }

    /// What changed between these facts and `new`, once moved over
    /// `edit`, key by key (see [`ModuleChanges::affects`]): a rule that
    /// read a changed key must run again, one that read only unchanged
    /// keys sees the same module. When `new` was updated from these facts,
    /// only the names the update touched are compared; otherwise every
    /// name-keyed fact. The facts kept by position (constants, layout) are
    /// compared whole: one entry per top-level assignment or import.
    pub fn changes_after<'m>(
        &'m self,
        edit: &crate::text::Shift,
        new: &'m Module,
    ) -> ModuleChanges<'m> {
        let mut changes = ModuleChanges {
            old: self,
            new,
            imports: Default::default(),
            imported: Vec::new(),
            constants: Default::default(),
            built_by: Default::default(),
            bindings: Default::default(),
            dependencies: Default::default(),
            handlers: Default::default(),
            from_imports: Default::default(),
            logger: false,
            layout: false,
            body: false,
            routes: false,
            script: false,
            installed_apps: false,
            cors_origins: false,
            empty_tests: false,
        };
        let (old_names, new_names) = (&self.names, &new.names);
        let every_name;
        let touched = match &new.derived {
            Some((base, touched)) if *base == self.id => {
                changes.body = touched.body_changed();
                changes.empty_tests = touched.empty_tests_changed();
                &**touched
            }
            _ => {
                changes.body = old_names.body != new_names.body;
                changes.empty_tests = old_names.empty_tests != new_names.empty_tests;
                every_name = Touched::every_name(old_names, new_names);
                &every_name
            }
        };
        crate::work::facts(touched.names());
        let differing = |names: &HashSet<String>, same: &dyn Fn(&str) -> bool| {
            names
                .iter()
                .filter(|name| !same(name))
                .cloned()
                .collect::<HashSet<String>>()
        };
        changes.imports = differing(&touched.imports, &|name| {
            old_names.import(name) == new_names.import(name)
        });
        changes.built_by = differing(&touched.builders, &|name| {
            old_names.builder(name) == new_names.builder(name)
        });
        changes.bindings = differing(&touched.bindings, &|name| {
            old_names.binding(name) == new_names.binding(name)
        });
        changes.dependencies = differing(&touched.dependencies, &|name| {
            old_names.dependencies.contains_key(name) == new_names.dependencies.contains_key(name)
        });
        changes.handlers = differing(&touched.handlers, &|name| {
            old_names.handler(name) == new_names.handler(name)
        });
        for name in &changes.imports {
            changes
                .imported
                .extend(old_names.import(name).into_iter().cloned());
            changes
                .imported
                .extend(new_names.import(name).into_iter().cloned());
        }
        crate::work::facts(
            self.constants.len()
                + new.constants.len()
                + self.from_imports.len()
                + new.from_imports.len(),
        );
        diff_maps(
            &self.constants,
            &new.constants,
            |old, new| edit.range(old).as_ref() == Some(new),
            &mut changes.constants,
        );
        diff_maps(
            &self.assignments,
            &new.assignments,
            |old, new| {
                old.len() == new.len()
                    && old.iter().zip(new).all(|((start, value, augmented), new)| {
                        edit.offset(*start) == Some(new.0)
                            && edit.range(value).as_ref() == Some(&new.1)
                            && *augmented == new.2
                    })
            },
            &mut changes.constants,
        );
        changes.logger = self.logger != new.logger;
        changes.routes = self.defines_routes() != new.defines_routes();
        changes.script = self.runs_as_script() != new.runs_as_script();
        changes.installed_apps = self.mentions_installed_apps() != new.mentions_installed_apps();
        changes.cors_origins = self.mentions_cors_origins() != new.mentions_cors_origins();
        // What edit builders read of the leading imports: where the first
        // starts and the last ends (an import renamed inside the block
        // moves neither).
        let ends = |imports: &[Range<usize>]| {
            imports
                .first()
                .zip(imports.last())
                .map(|(first, last)| (first.start, last.end))
        };
        let moved_ends = ends(&self.leading_imports).map(|(start, end)| {
            (
                edit.offset(start).unwrap_or(usize::MAX),
                edit.offset(end).unwrap_or(usize::MAX),
            )
        });
        let from_import = |module: &Module, name: &str| {
            module
                .from_imports
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, end)| *end)
        };
        for (name, end) in &self.from_imports {
            if edit.offset(*end) != from_import(new, name) {
                changes.from_imports.insert(name.clone());
            }
        }
        for (name, _) in &new.from_imports {
            if from_import(self, name).is_none() {
                changes.from_imports.insert(name.clone());
            }
        }
        let layout_same = moved_ends == ends(&new.leading_imports)
            && edit.offset(self.header_end) == Some(new.header_end)
            && edit.offset(self.after_leading_imports) == Some(new.after_leading_imports)
            && self.blank_after_header == new.blank_after_header
            && self.newline == new.newline;
        changes.layout = !layout_same;
        changes
    }

    /// Whether the module defines a route handler at its top level.
    pub fn defines_routes(&self) -> bool {
        self.names.routes > 0
    }

    /// Whether the module has an `if __name__ == "__main__":` block at its
    /// top level (it is run as a program).
    pub fn runs_as_script(&self) -> bool {
        self.names.scripts > 0
    }

    /// Whether the text mentions `INSTALLED_APPS` (a Django settings module).
    pub fn mentions_installed_apps(&self) -> bool {
        self.names.installed_apps > 0
    }

    /// Whether the text mentions `"CORS_ORIGINS"` or `'CORS_ORIGINS'`.
    pub fn mentions_cors_origins(&self) -> bool {
        self.names.cors_origins > 0
    }

    /// An edit adding `import module`, or `None` when it is imported already.
    /// It goes before the first import of the leading block (keeping imports
    /// together), else after the docstring and `__future__` imports.
    pub fn ensure_import(&self, text: &str, module: &str) -> Option<TextEdit> {
        if self.imports_module(module) {
            return None;
        }
        let newline = self.newline;
        Some(match self.leading_imports.first() {
            Some(first) => TextEdit::insert(first.start, format!("import {module}{newline}")),
            None => self.header_insert(text, &format!("import {module}{newline}")),
        })
    }

    /// The module logger's name and the edits that create it when missing
    /// (`import logging` and `logger = logging.getLogger(__name__)` after
    /// the imports).
    pub fn ensure_logger(&self, text: &str) -> (String, Vec<TextEdit>) {
        if let Some(name) = &self.logger {
            return (name.clone(), Vec::new());
        }
        let newline = self.newline;
        let definition = format!("logger = logging.getLogger(__name__){newline}");
        let mut edits = Vec::new();
        match self.leading_imports.last() {
            Some(_) => {
                edits.extend(self.ensure_import(text, "logging"));
                let at = self.after_leading_imports;
                edits.push(TextEdit::insert(at, format!("{newline}{definition}")));
            }
            None => {
                let import = if self.imports_module("logging") {
                    String::new()
                } else {
                    format!("import logging{newline}{newline}")
                };
                edits.push(self.header_insert(text, &format!("{import}{definition}")));
            }
        }
        ("logger".to_string(), edits)
    }

    /// Where module-level code may first refer to a logger created by
    /// [`Module::ensure_logger`]: module-level statements before this offset
    /// would run before it exists.
    pub fn logger_defined_at(&self) -> usize {
        self.leading_imports
            .last()
            .map_or(self.header_end, |last| last.end)
    }

    fn header_insert(&self, text: &str, insertion: &str) -> TextEdit {
        let newline = self.newline;
        let at = self.header_end.min(text.len());
        if at == 0 {
            let separator = if self.blank_after_header { "" } else { newline };
            TextEdit::insert(at, format!("{insertion}{separator}"))
        } else {
            TextEdit::insert(at, format!("{newline}{insertion}"))
        }
    }
}

/// The orders and name-keyed facts of `statements` updated from the
/// previous version's (`old`, derived from `old_statements`): the nodes at
/// both ends whose facts are the very same keep their orders and entries,
/// the changed ones between are taken away and added. Also returns the
/// names touched and `old`'s id. `None` when the orders between the kept
/// ends leave no room for the new nodes (a full derivation renumbers).
fn update(
    old: &Module,
    old_statements: &[Arc<StatementFacts>],
    statements: &[Arc<StatementFacts>],
) -> Option<(Vec<Order>, Names, Touched, u64)> {
    let (old_count, new_count) = (old_statements.len(), statements.len());
    if old.orders.len() != old_count {
        return None;
    }
    // Facts derived again can equal the old ones: those of the edited
    // statement after most keystrokes, and those of a statement holding a
    // syntax error, derived again at every check wherever the edit was.
    // Either counts as unchanged, so an error far from the edit does not
    // make every statement between the two count as changed.
    let same =
        |old: &Arc<StatementFacts>, new: &Arc<StatementFacts>| Arc::ptr_eq(old, new) || old == new;
    let shorter = old_count.min(new_count);
    let mut prefix = 0;
    while prefix < shorter && same(&old_statements[prefix], &statements[prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < shorter - prefix
        && same(
            &old_statements[old_count - 1 - suffix],
            &statements[new_count - 1 - suffix],
        )
    {
        suffix += 1;
    }
    crate::work::top_level(prefix + suffix);
    let added = new_count - prefix - suffix;
    let low = prefix.checked_sub(1).map_or(0, |last| old.orders[last]);
    let mut orders = Vec::with_capacity(new_count);
    orders.extend_from_slice(&old.orders[..prefix]);
    if suffix > 0 {
        let gap = old.orders[old_count - suffix].checked_sub(low)?;
        if gap <= added as Order {
            return None;
        }
        let spread = |index: usize| {
            let step = u128::from(gap) * (index as u128 + 1) / (added as u128 + 1);
            low + step as Order
        };
        orders.extend((0..added).map(spread));
    } else {
        for index in 0..added {
            orders.push(low.checked_add(STRIDE.checked_mul(index as Order + 1)?)?);
        }
    }
    orders.extend_from_slice(&old.orders[old_count - suffix..]);
    let mut names = old.names.clone();
    let mut touched = Touched::default();
    let removed = old.orders.iter().zip(old_statements);
    for (order, facts) in removed.skip(prefix).take(old_count - prefix - suffix) {
        names.apply(*order, facts, false, &mut touched);
    }
    for (order, facts) in orders.iter().zip(statements).skip(prefix).take(added) {
        names.apply(*order, facts, true, &mut touched);
    }
    Some((orders, names, touched, old.id))
}

/// The names whose entries differ between two maps (present in one only,
/// or `same` says no).
fn diff_maps<V>(
    old: &HashMap<String, V>,
    new: &HashMap<String, V>,
    same: impl Fn(&V, &V) -> bool,
    changed: &mut std::collections::HashSet<String>,
) {
    for (name, value) in old {
        if !new.get(name).is_some_and(|other| same(value, other)) {
            changed.insert(name.clone());
        }
    }
    for name in new.keys() {
        if !old.contains_key(name) {
            changed.insert(name.clone());
        }
    }
}

/// One key of the module facts, as a rule reads it through a
/// [`ModuleView`]: the incremental check keeps the keys each statement
/// read, and re-checks a kept statement only when one of them changed
/// ([`ModuleChanges::affects`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FactKey {
    /// What a local name imports (`qualify`, `imports_module`, `has_import`).
    Import(String),
    /// Whether any import comes from a package (`uses_package`).
    Package(String),
    /// A module constant: whether it exists, its value and where it is.
    Constant(String),
    /// How a module-level name is bound (`module_binding`).
    Binding(String),
    /// What built a variable anywhere in the module (`built_by`).
    BuiltBy(String),
    /// The module logger's name.
    Logger,
    /// Where inserted lines go: where the leading imports start and end,
    /// the header, the line break.
    Layout,
    /// Where the first `from MODULE import ...` ends (names are appended
    /// there).
    FromImport(String),
    /// Whether a class is used as a request body.
    RequestBody(String),
    /// Whether the module defines a route handler at its top level.
    Routes,
    /// Whether the module has a top-level `if __name__ == "__main__":`.
    Script,
    /// Whether a name is a request dependency (`Depends(name)`).
    Dependency(String),
    /// Whether and for what a function is registered as an exception
    /// handler by a call or keyword.
    ExceptionHandler(String),
    /// Whether the text tests a name for emptiness.
    EmptyTest(String),
    /// Whether the text mentions `INSTALLED_APPS`.
    InstalledApps,
    /// Whether the text mentions `"CORS_ORIGINS"`.
    CorsOrigins,
    /// The whole body of the top-level function the match lies in, beyond
    /// the match's own statement (its text; see
    /// [`crate::hook::HookCx::reads_scope`]). Not a module fact: the
    /// incremental check runs such a match again when an edit inside that
    /// function's body left the match's statement alone.
    Scope,
    /// What the top-level function the match lies in binds to a name (its
    /// dataflow; see [`crate::hook::ScopeView`]). Not a module fact: the
    /// incremental check runs such a match again when an edit inside that
    /// function's body, leaving the match's statement alone, may bind the
    /// name (names it where it changed).
    Local(String),
}

/// What changed between two versions of a module's facts, by key (see
/// [`Module::changes_after`]).
pub struct ModuleChanges<'m> {
    old: &'m Module,
    new: &'m Module,
    imports: std::collections::HashSet<String>,
    /// The qualified names of the changed imports, old and new.
    imported: Vec<String>,
    constants: std::collections::HashSet<String>,
    built_by: std::collections::HashSet<String>,
    bindings: std::collections::HashSet<String>,
    dependencies: std::collections::HashSet<String>,
    handlers: std::collections::HashSet<String>,
    from_imports: std::collections::HashSet<String>,
    logger: bool,
    layout: bool,
    body: bool,
    routes: bool,
    script: bool,
    installed_apps: bool,
    cors_origins: bool,
    empty_tests: bool,
}

impl ModuleChanges<'_> {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.imports.is_empty()
            && self.constants.is_empty()
            && self.built_by.is_empty()
            && self.bindings.is_empty()
            && self.dependencies.is_empty()
            && self.handlers.is_empty()
            && self.from_imports.is_empty()
            && !(self.logger
                || self.layout
                || self.body
                || self.routes
                || self.script
                || self.installed_apps
                || self.cors_origins
                || self.empty_tests)
    }

    /// Whether a rule that read `key` may see something else now.
    pub fn affects(&self, key: &FactKey) -> bool {
        match key {
            FactKey::Import(name) => self.imports.contains(name),
            FactKey::Package(package) => self.imported.iter().any(|qualified| {
                qualified == package
                    || qualified
                        .strip_prefix(package.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            }),
            FactKey::Constant(name) => self.constants.contains(name),
            FactKey::Binding(name) => self.bindings.contains(name),
            FactKey::BuiltBy(name) => self.built_by.contains(name),
            FactKey::Logger => self.logger,
            FactKey::Layout => self.layout,
            FactKey::FromImport(module) => self.from_imports.contains(module),
            FactKey::RequestBody(name) => {
                self.body
                    && self.old.used_as_request_body(name) != self.new.used_as_request_body(name)
            }
            FactKey::Routes => self.routes,
            FactKey::Script => self.script,
            FactKey::Dependency(name) => self.dependencies.contains(name),
            FactKey::ExceptionHandler(name) => self.handlers.contains(name),
            FactKey::EmptyTest(name) => {
                self.empty_tests && self.old.tests_empty(name) != self.new.tests_empty(name)
            }
            FactKey::InstalledApps => self.installed_apps,
            FactKey::CorsOrigins => self.cors_origins,
            // Not module facts (see `FactKey::Scope`).
            FactKey::Scope | FactKey::Local(_) => false,
        }
    }
}

/// The module facts read during a check, by key, with the span of the match
/// that read each (see [`ModuleView`]). Only the incremental check looks at
/// them, so only its checks record them ([`FactReads::recording`]): a full
/// check made a key (most of them a `String`) per read and kept them all,
/// hundreds of thousands over a repository.
#[derive(Default)]
pub struct FactReads {
    recording: bool,
    reads: std::cell::RefCell<Vec<(Option<Range<usize>>, FactKey)>>,
}

impl FactReads {
    /// Reads that are recorded.
    pub fn recording() -> FactReads {
        FactReads {
            recording: true,
            ..FactReads::default()
        }
    }

    /// Records that the match of `span` read `key` (made only when recorded).
    /// Hook-only rules (no span) run on every check: nothing to keep.
    pub fn push(&self, span: &Option<Range<usize>>, key: impl FnOnce() -> FactKey) {
        if self.recording && span.is_some() {
            self.reads.borrow_mut().push((span.clone(), key()));
        }
    }

    /// The reads recorded so far, leaving none.
    pub fn take(&self) -> Vec<(Option<Range<usize>>, FactKey)> {
        self.reads.take()
    }
}

/// The facts of a module as a rule reads them: every read names the key it
/// depends on, and the view records it with the span of the match being
/// handled, so the incremental check knows which statements read what.
/// The only way hooks and predicates reach the module facts.
#[derive(Clone, Copy)]
pub struct ModuleView<'a> {
    module: &'a Module,
    reads: &'a FactReads,
    span: &'a Option<Range<usize>>,
}

impl<'a> ModuleView<'a> {
    pub fn new(
        module: &'a Module,
        reads: &'a FactReads,
        span: &'a Option<Range<usize>>,
    ) -> ModuleView<'a> {
        ModuleView {
            module,
            reads,
            span,
        }
    }

    fn read(&self, key: impl FnOnce() -> FactKey) {
        self.reads.push(self.span, key);
    }

    fn read_head(&self, dotted: &str) {
        let head = dotted.split_once('.').map_or(dotted, |(head, _)| head);
        self.read(|| FactKey::Import(head.to_string()));
    }

    /// The fully qualified name of a dotted expression; `None` if its head
    /// is not an imported name (see [`Module::qualify_dotted`]).
    pub fn qualify(&self, text: &str, node: Node<'_>) -> Option<String> {
        let dotted = dotted_name(text, node)?;
        self.qualify_dotted(&dotted)
    }

    /// See [`Module::qualify_dotted`].
    pub fn qualify_dotted(&self, dotted: &str) -> Option<String> {
        self.read_head(dotted);
        self.module.qualify_dotted(dotted)
    }

    /// See [`Module::qualified_name`]; with the head of the dotted name, the
    /// one fact it reads (`FactKey::Import(head)`), which a caller answering
    /// the same node again from memory records again ([`Self::read_import`]).
    pub fn qualified_name(&self, text: &str, node: Node<'_>) -> Option<(String, String)> {
        let dotted = dotted_name(text, node)?;
        let head = dotted.split('.').next().unwrap_or_default().to_string();
        Some((self.qualify_dotted(&dotted).unwrap_or(dotted), head))
    }

    /// Records the read [`Self::qualified_name`] makes of `head`'s import.
    pub fn read_import(&self, head: &str) {
        self.read(|| FactKey::Import(head.to_string()));
    }

    /// Whether a local name is bound by an import.
    pub fn has_import(&self, name: &str) -> bool {
        self.read(|| FactKey::Import(name.to_string()));
        self.module.names.import(name).is_some()
    }

    /// See [`Module::imports_module`].
    pub fn imports_module(&self, module: &str) -> bool {
        self.read(|| FactKey::Import(module.to_string()));
        self.module.imports_module(module)
    }

    /// See [`Module::uses_package`].
    pub fn uses_package(&self, package: &str) -> bool {
        self.read(|| FactKey::Package(package.to_string()));
        self.module.uses_package(package)
    }

    /// See [`Module::has_constant`].
    pub fn has_constant(&self, name: &str) -> bool {
        self.read(|| FactKey::Constant(name.to_string()));
        self.module.has_constant(name)
    }

    /// See [`Module::constant_range`].
    pub(crate) fn constant_range(&self, name: &str) -> Option<Range<usize>> {
        self.read(|| FactKey::Constant(name.to_string()));
        self.module.constant_range(name)
    }

    /// See [`Module::assignments`].
    pub(crate) fn assignments(&self, name: &str) -> &'a [(usize, Range<usize>, bool)] {
        self.read(|| FactKey::Constant(name.to_string()));
        self.module.assignments(name)
    }

    /// The module logger's name, if it has one.
    pub fn logger(&self) -> Option<&'a str> {
        self.read(|| FactKey::Logger);
        self.module.logger.as_deref()
    }

    /// See [`Module::logger_defined_at`].
    pub fn logger_defined_at(&self) -> usize {
        self.read(|| FactKey::Layout);
        self.module.logger_defined_at()
    }

    /// See [`Module::ensure_logger`].
    pub fn ensure_logger(&self, text: &str) -> (String, Vec<TextEdit>) {
        self.read(|| FactKey::Logger);
        self.read(|| FactKey::Layout);
        self.read(|| FactKey::Import("logging".to_string()));
        self.module.ensure_logger(text)
    }

    /// See [`Module::ensure_import`].
    pub fn ensure_import(&self, text: &str, module: &str) -> Option<TextEdit> {
        self.read(|| FactKey::Import(module.to_string()));
        self.read(|| FactKey::Layout);
        self.module.ensure_import(text, module)
    }

    /// See [`ensure_from_import`].
    pub fn ensure_from_import(&self, text: &str, module: &str, name: &str) -> Option<TextEdit> {
        self.read(|| FactKey::Import(name.to_string()));
        self.read(|| FactKey::FromImport(module.to_string()));
        self.read(|| FactKey::Layout);
        ensure_from_import(self.module, text, module, name)
    }

    /// See [`Module::used_as_request_body`].
    pub fn used_as_request_body(&self, name: &str) -> bool {
        self.read(|| FactKey::RequestBody(name.to_string()));
        self.module.used_as_request_body(name)
    }

    /// See [`Module::tests_empty`].
    pub fn tests_empty(&self, name: &str) -> bool {
        self.read(|| FactKey::EmptyTest(name.to_string()));
        self.module.tests_empty(name)
    }

    /// Whether `name` is a request dependency (see [`Names::dependencies`]).
    pub fn is_dependency(&self, name: &str) -> bool {
        self.read(|| FactKey::Dependency(name.to_string()));
        self.module.names.dependencies.contains_key(name)
    }

    /// Whether the function `name` is registered as an exception handler by
    /// a call or keyword, and if so whether for every error (see
    /// [`Names::handlers`]).
    pub fn exception_handler(&self, name: &str) -> Option<bool> {
        self.read(|| FactKey::ExceptionHandler(name.to_string()));
        self.module.names.handler(name)
    }

    /// See [`Module::defines_routes`].
    pub fn defines_routes(&self) -> bool {
        self.read(|| FactKey::Routes);
        self.module.defines_routes()
    }

    /// See [`Module::runs_as_script`].
    pub fn runs_as_script(&self) -> bool {
        self.read(|| FactKey::Script);
        self.module.runs_as_script()
    }

    /// See [`Module::mentions_installed_apps`].
    pub fn mentions_installed_apps(&self) -> bool {
        self.read(|| FactKey::InstalledApps);
        self.module.mentions_installed_apps()
    }

    /// See [`Module::mentions_cors_origins`].
    pub fn mentions_cors_origins(&self) -> bool {
        self.read(|| FactKey::CorsOrigins);
        self.module.mentions_cors_origins()
    }

    /// How a module-level name is bound (see [`Module::module_binding`]).
    /// The call's name is qualified when read, so the read depends on the
    /// import of its head too.
    pub fn module_binding(&self, name: &str) -> Option<Option<String>> {
        self.read(|| FactKey::Binding(name.to_string()));
        let made = self.module.names.binding(name)?;
        Some(made.map(|dotted| self.qualify_or_keep(dotted)))
    }

    /// What built a variable (see [`Module::built_by`]), qualified when
    /// read like [`ModuleView::module_binding`].
    pub fn built_by(&self, name: &str) -> Option<String> {
        self.read(|| FactKey::BuiltBy(name.to_string()));
        let dotted = self.module.names.builder(name)?;
        Some(self.qualify_or_keep(dotted))
    }

    fn qualify_or_keep(&self, dotted: &str) -> String {
        self.qualify_dotted(dotted)
            .unwrap_or_else(|| dotted.to_string())
    }
}

/// Request-body annotations indexed by the words next to their brackets
/// and bars, so that asking whether a class name appears costs a few
/// lookups instead of a scan of every annotation. Counted, so that a
/// statement's annotations can be taken away again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct BodyIndex {
    /// Whole annotations.
    annotations: Counts,
    /// The word after each `[`.
    after_open: Counts,
    /// The word before each `]`, reversed.
    before_close: Counts,
    /// The word before each ` |`, reversed.
    before_bar: Counts,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl BodyIndex {
    fn apply(&mut self, annotation: &str, add: bool) {
        count(&mut self.annotations, annotation, add);
        for (at, _) in annotation.match_indices('[') {
            let word: String = annotation[at + 1..]
                .chars()
                .take_while(|c| is_word_char(*c))
                .collect();
            count(&mut self.after_open, &word, add);
        }
        // The word before a position, reversed (see `mentions`).
        let before = |at: usize| -> String {
            annotation[..at]
                .chars()
                .rev()
                .take_while(|c| is_word_char(*c))
                .collect()
        };
        for (at, _) in annotation.match_indices(']') {
            count(&mut self.before_close, &before(at), add);
        }
        for (at, _) in annotation.match_indices(" |") {
            count(&mut self.before_bar, &before(at), add);
        }
    }

    /// What `annotation == name || annotation.contains("[name") ||
    /// annotation.contains("name]") || annotation.contains("name |")` gives
    /// for some annotation. A name of word characters is found in the
    /// index; any other name by the scan itself.
    fn mentions(&self, name: &str) -> bool {
        if name.is_empty() || !name.chars().all(is_word_char) {
            crate::work::facts(self.annotations.len());
            return self.annotations.keys().any(|annotation| {
                annotation == name
                    || annotation.contains(&format!("[{name}"))
                    || annotation.contains(&format!("{name}]"))
                    || annotation.contains(&format!("{name} |"))
            });
        }
        crate::work::facts(4);
        let reversed: String = name.chars().rev().collect();
        self.annotations.contains_key(name)
            || any_starts_with(&self.after_open, name)
            || any_starts_with(&self.before_close, &reversed)
            || any_starts_with(&self.before_bar, &reversed)
    }
}

/// The text around each `not `, `if ` (the rest of the line) and
/// ` == ''`, ` == ""` (the line before it, reversed) in one top-level
/// node's text: lines are cut at the node's ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct EmptyTestTexts {
    after_not: Vec<String>,
    after_if: Vec<String>,
    before_equals_empty: Vec<String>,
}

impl EmptyTestTexts {
    fn new(text: &str, hits: &MarkerHits) -> EmptyTestTexts {
        let rest_of_line = |from: usize| {
            let rest = &text[from..];
            rest[..rest.find('\n').unwrap_or(rest.len())].to_string()
        };
        let line_before_reversed = |to: usize| {
            let before = &text[..to];
            before[before.rfind('\n').map_or(0, |newline| newline + 1)..]
                .chars()
                .rev()
                .collect::<String>()
        };
        let mut tests = EmptyTestTexts::default();
        for &at in hits.at(Marker::Not) {
            tests.after_not.push(rest_of_line(at + Marker::Not.len()));
        }
        for &at in hits.at(Marker::If) {
            tests.after_if.push(rest_of_line(at + Marker::If.len()));
        }
        for marker in [Marker::EqualsEmptySingle, Marker::EqualsEmptyDouble] {
            for &at in hits.at(marker) {
                tests.before_equals_empty.push(line_before_reversed(at));
            }
        }
        tests
    }

    fn is_empty(&self) -> bool {
        self.after_not.is_empty() && self.after_if.is_empty() && self.before_equals_empty.is_empty()
    }

    fn extend(&mut self, other: EmptyTestTexts) {
        self.after_not.extend(other.after_not);
        self.after_if.extend(other.after_if);
        self.before_equals_empty.extend(other.before_equals_empty);
    }

    /// The texts of each kind of test, in the order [`EmptyTests`] keeps them.
    fn kinds(&self) -> [&Vec<String>; 3] {
        [&self.after_not, &self.after_if, &self.before_equals_empty]
    }

    fn len(&self) -> usize {
        self.after_not.len() + self.after_if.len() + self.before_equals_empty.len()
    }
}

/// Every top-level node's [`EmptyTestTexts`], counted and ordered for
/// prefix lookups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct EmptyTests {
    after_not: Counts,
    after_if: Counts,
    before_equals_empty: Counts,
}

impl EmptyTests {
    fn apply(&mut self, texts: &EmptyTestTexts, add: bool) {
        for (counts, texts) in [
            &mut self.after_not,
            &mut self.after_if,
            &mut self.before_equals_empty,
        ]
        .into_iter()
        .zip(texts.kinds())
        {
            for text in texts {
                count(counts, text, add);
            }
        }
    }

    /// See [`Module::tests_empty`].
    fn mentions(&self, name: &str) -> bool {
        crate::work::facts(4);
        let reversed: String = name.chars().rev().collect();
        any_starts_with(&self.after_not, name)
            || any_starts_with(&self.before_equals_empty, &reversed)
            || any_starts_with(&self.after_if, &format!("{name}:"))
            || any_starts_with(&self.after_if, &format!("{name} and"))
    }
}

/// What one top-level node of a module contributes to its [`Module`]
/// facts. Derived from the node's text alone, so a check after an edit
/// reuses those of the nodes the edit left alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementFacts {
    /// Imports, in order (a later one of a name wins).
    imports: Vec<(String, String)>,
    /// Assignment and `with ... as` targets built by a call, with the
    /// call's dotted name, in the order bindings are left by a walk.
    builders: Vec<(String, String)>,
    /// Module-level bindings (not in functions, lambdas or classes) in the
    /// order a walk from the root meets them, with the dotted name of the
    /// call that made the value, if any.
    bindings: Vec<(String, Option<String>)>,
    body_annotations: Vec<String>,
    /// Read from the node's text (see [`Names`]): request dependencies,
    /// exception handlers (sorted by name), the mentions, emptiness tests.
    dependencies: Vec<String>,
    handlers: Vec<(String, bool)>,
    /// Whether the node is a route handler, or a `__main__` guard.
    route: bool,
    script: bool,
    installed_apps: bool,
    cors_origins: bool,
    empty_tests: EmptyTestTexts,
}

impl StatementFacts {
    fn entries(&self) -> usize {
        self.imports.len()
            + self.builders.len()
            + self.bindings.len()
            + self.body_annotations.len()
            + self.dependencies.len()
            + self.handlers.len()
            + self.empty_tests.len()
    }
}

/// Whether `text` holds anything the facts read from a node's text look
/// for ([`StatementFacts`]): a literal table whose changed elements hold
/// none of it (nor bindings) keeps its facts without a walk of the table.
pub fn has_text_facts(text: &str) -> bool {
    TEXT_MARKERS
        .iter()
        .any(|finder| finder.find(text.as_bytes()).is_some())
}

/// What the facts read from a node's text look for, in the order of
/// [`TEXT_MARKERS`].
#[derive(Clone, Copy)]
enum Marker {
    InstalledApps,
    CorsOriginsDouble,
    CorsOriginsSingle,
    Depends,
    Security,
    AddExceptionHandler,
    RegisterErrorHandler,
    ExceptionHandlers,
    Not,
    If,
    EqualsEmptySingle,
    EqualsEmptyDouble,
}

/// The text of every [`Marker`], in its order.
const MARKER_TEXTS: [&str; 12] = [
    "INSTALLED_APPS",
    "\"CORS_ORIGINS\"",
    "'CORS_ORIGINS'",
    "Depends(",
    "Security(",
    "add_exception_handler(",
    "register_error_handler(",
    "exception_handlers",
    "not ",
    "if ",
    " == ''",
    " == \"\"",
];

impl Marker {
    /// The marker's length in bytes: where the text after it starts.
    fn len(self) -> usize {
        MARKER_TEXTS[self as usize].len()
    }
}

/// A searcher for every [`Marker`], built once.
static TEXT_MARKERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 12]> =
    std::sync::LazyLock::new(|| MARKER_TEXTS.map(memchr::memmem::Finder::new));

/// Where each [`Marker`] starts in a text, in order (as
/// `str::match_indices` gives them). Found with memchr's vectorized search:
/// a statement's facts read all of its text for every marker, and a
/// docstring left open makes the rest of the module one statement,
/// re-derived at every keystroke.
struct MarkerHits([Vec<usize>; 12]);

impl MarkerHits {
    fn of(text: &str) -> MarkerHits {
        MarkerHits(
            TEXT_MARKERS
                .each_ref()
                .map(|finder| finder.find_iter(text.as_bytes()).collect()),
        )
    }

    fn at(&self, marker: Marker) -> &[usize] {
        &self.0[marker as usize]
    }
}

/// The children of a node, in order. A check walks the root's once and
/// shares the list: a step to the next top-level node walks the hidden
/// nodes tree-sitter keeps a long run of siblings in, a few hundred
/// instructions per step.
pub fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

/// The facts of each of `nodes`, the children of a root; `reuse(index)` may
/// name an entry of `previous` that holds for the node at `index` (the node
/// is unchanged).
pub fn statement_facts(
    nodes: &[Node<'_>],
    text: &str,
    previous: &[Arc<StatementFacts>],
    reuse: impl Fn(usize) -> Option<usize>,
) -> Vec<Arc<StatementFacts>> {
    facts_of(nodes, text, previous, reuse, true, |_, _| {})
}

/// [`statement_facts`] of the statements of a class's or function's body
/// (the elements of a split top-level node), which tell whether the facts
/// of the class or function can have changed. They bind no module-level
/// name (a class or function binds none of its body's, see
/// [`collect_module_bindings`]), so their bindings are not walked for.
/// `identifiers(index, name)` is called for each identifier in the
/// statement at `index`, for the statements whose facts are derived (not
/// reused): the walk that derives them meets every node.
pub fn body_statement_facts(
    nodes: &[Node<'_>],
    text: &str,
    previous: &[Arc<StatementFacts>],
    reuse: impl Fn(usize) -> Option<usize>,
    identifiers: impl FnMut(usize, &str),
) -> Vec<Arc<StatementFacts>> {
    facts_of(nodes, text, previous, reuse, false, identifiers)
}

fn facts_of(
    nodes: &[Node<'_>],
    text: &str,
    previous: &[Arc<StatementFacts>],
    reuse: impl Fn(usize) -> Option<usize>,
    module_level: bool,
    mut identifiers: impl FnMut(usize, &str),
) -> Vec<Arc<StatementFacts>> {
    nodes
        .iter()
        .copied()
        .enumerate()
        .map(|(index, node)| {
            if let Some(old) = reuse(index).and_then(|old| previous.get(old)) {
                return Arc::clone(old);
            }
            let mut facts = StatementFacts::default();
            collect_imports(node, text, &mut facts.imports);
            // A walk of the statement for builders and annotations (at
            // module level without identifiers, so past expressions), and
            // one for bindings.
            let met = if module_level {
                let met = walk_statement(node, text, &mut facts, None);
                let (bindings, bindings_met) = collect_module_bindings(node, text);
                facts.bindings = bindings;
                met + bindings_met
            } else {
                walk_statement(
                    node,
                    text,
                    &mut facts,
                    Some(&mut |name| identifiers(index, name)),
                )
            };
            read_facts_from_text(node, text, &mut facts);
            crate::work::nodes(met);
            crate::work::facts(facts.entries());
            Arc::new(facts)
        })
        .collect()
}

/// The facts of a body statement (see [`body_statement_facts`]) after an
/// edit that changed nothing a walk of it derives facts from: an edit
/// among the elements of a literal table the statement is made of, which
/// holds no binding before and after (a literal holds no import, no
/// function, no assignment). The facts a walk derives are `old`'s; those
/// read from the node's kind and text are read again (a scan of its text,
/// no walk).
pub fn body_statement_facts_from_text(
    old: &StatementFacts,
    node: Node<'_>,
    text: &str,
) -> Arc<StatementFacts> {
    let mut facts = StatementFacts {
        imports: old.imports.clone(),
        builders: old.builders.clone(),
        bindings: old.bindings.clone(),
        body_annotations: old.body_annotations.clone(),
        ..StatementFacts::default()
    };
    read_facts_from_text(node, text, &mut facts);
    crate::work::facts(facts.entries());
    Arc::new(facts)
}

/// The facts read from a node's kind (a route handler, a `__main__` guard)
/// and its text, piece by piece (see [`text_pieces`]).
fn read_facts_from_text(node: Node<'_>, text: &str, facts: &mut StatementFacts) {
    facts.route = node.kind_name() == "decorated_definition"
        && node.field("definition").is_some_and(|definition| {
            definition.kind_name() == "function_definition" && is_route_handler(text, definition)
        });
    facts.script = node.kind_name() == "if_statement" && is_main_guard(text, node);
    let mut pieces = Vec::new();
    text_pieces(node, &mut pieces);
    let mut dependencies = BTreeSet::new();
    let mut handlers: HashMap<String, bool> = HashMap::new();
    for piece in pieces {
        let own = &text[piece];
        let hits = MarkerHits::of(own);
        facts.installed_apps |= !hits.at(Marker::InstalledApps).is_empty();
        facts.cors_origins |= !hits.at(Marker::CorsOriginsDouble).is_empty()
            || !hits.at(Marker::CorsOriginsSingle).is_empty();
        dependencies.extend(request_dependencies(own, &hits));
        for (name, everything) in exception_handlers(own, &hits) {
            *handlers.entry(name).or_default() |= everything;
        }
        facts.empty_tests.extend(EmptyTestTexts::new(own, &hits));
    }
    facts.dependencies = dependencies.into_iter().collect();
    facts.handlers = handlers.into_iter().collect();
    facts.handlers.sort();
}

/// The pieces of a node's text that the facts read from text scan one by
/// one: a class's or function's head and each statement of its body
/// (recursively), so that their text facts are their head's and their body
/// statements' (the incremental check splits a top-level class or function
/// into its body statements and keeps its facts when theirs are
/// unchanged); any other node whole.
fn text_pieces(node: Node<'_>, pieces: &mut Vec<Range<usize>>) {
    let Some((_, body)) = definition_body(node) else {
        // A docstring (or any string standing alone) is prose, not code:
        // `Depends(` or `if not TOKEN:` in it says nothing of the module.
        // (A docstring left open reads as the rest of the module.)
        if !is_string_statement(node) {
            pieces.push(node.byte_range());
        }
        return;
    };
    pieces.push(node.start_byte()..body.start_byte());
    let mut cursor = body.walk();
    for statement in body.children(&mut cursor) {
        text_pieces(statement, pieces);
    }
    pieces.push(body.end_byte()..node.end_byte().max(body.end_byte()));
}

/// Whether a statement is a string and nothing else: a docstring where it
/// comes first. Adjacent literals are one string to Python, so a docstring
/// split into several (`"x""Doc."""`, as a key typed into one can leave it)
/// is still one.
fn is_string_statement(statement: Node<'_>) -> bool {
    statement.kind_name() == "expression_statement"
        && statement.named_child_count() == 1
        && statement
            .named_child(0)
            .is_some_and(|child| matches!(child.kind_name(), "string" | "concatenated_string"))
}

/// The class or function a statement defines (decorated or not) and its
/// body: what the incremental check splits into body statements, and what
/// the facts read from text read statement by statement.
pub(crate) fn definition_body(statement: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    let definition = match statement.kind_name() {
        "decorated_definition" => statement.field("definition")?,
        _ => statement,
    };
    if !matches!(
        definition.kind_name(),
        "class_definition" | "function_definition"
    ) {
        return None;
    }
    Some((definition, definition.field("body")?))
}

/// See [`Names::dependencies`].
fn request_dependencies(text: &str, hits: &MarkerHits) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for marker in [Marker::Depends, Marker::Security] {
        for &index in hits.at(marker) {
            let mut rest = &text[index + marker.len()..];
            if matches!(marker, Marker::Depends) {
                rest = rest.strip_prefix("dependency=").unwrap_or(rest);
            }
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            if end > 0 && rest[end..].starts_with([')', ',', ' ']) {
                names.insert(rest[..end].to_string());
            }
        }
    }
    names
}

/// See [`Names::handlers`]: registrations in one node's text, the
/// function's name → whether one of them covers every error.
fn exception_handlers(text: &str, hits: &MarkerHits) -> HashMap<String, bool> {
    let mut handlers = HashMap::new();
    let mut register = |registered: &str, handler: &str| {
        let handler = handler.trim();
        if handler.is_empty()
            || !handler
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return;
        }
        let registered = registered.trim();
        let last = registered.rsplit('.').next().unwrap_or(registered);
        let everything = matches!(last, "Exception" | "BaseException")
            || registered.starts_with('5')
                && registered.len() == 3
                && registered.bytes().all(|b| b.is_ascii_digit());
        *handlers.entry(handler.to_string()).or_insert(false) |= everything;
    };
    for marker in [Marker::AddExceptionHandler, Marker::RegisterErrorHandler] {
        for &index in hits.at(marker) {
            let items = bracketed_items(&text[index + marker.len()..], ')');
            if let [registered, handler, ..] = items.as_slice() {
                register(registered, handler);
            }
        }
    }
    for &index in hits.at(Marker::ExceptionHandlers) {
        let rest = text[index + Marker::ExceptionHandlers.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('{') else {
            continue;
        };
        for item in bracketed_items(rest, '}') {
            if let Some((registered, handler)) = item.split_once(':') {
                register(registered, handler);
            }
        }
    }
    crate::work::facts(handlers.len());
    handlers
}

/// The comma-separated items of a bracketed list whose opening bracket was
/// just passed, up to its `close` (commas inside nested brackets or strings
/// do not split; an unclosed list yields its items up to the end of text).
fn bracketed_items(text: &str, close: char) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        if let Some(open) = quote {
            if c == open {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..index]);
                start = index + 1;
            }
            c if c == close && depth == 0 => {
                items.push(&text[start..index]);
                return items;
            }
            _ => {}
        }
    }
    items
}

/// Node kind and field ids of Python that walks compare (the module walk,
/// [`dotted_name`], the project facts' walk): cheaper than names, as a
/// kind name is a C string measured and checked for UTF-8 at every call
/// and a field name is looked up among the grammar's.
pub(crate) struct Kinds {
    pub(crate) assignment: u16,
    pub(crate) as_pattern: u16,
    pub(crate) function_definition: u16,
    pub(crate) lambda: u16,
    pub(crate) class_definition: u16,
    pub(crate) decorated_definition: u16,
    pub(crate) identifier: u16,
    pub(crate) attribute: u16,
    pub(crate) call: u16,
    pub(crate) subscript: u16,
    pub(crate) string: u16,
    /// Fields of an `attribute`.
    pub(crate) object_field: u16,
    pub(crate) attribute_field: u16,
    /// By kind id: kinds of expressions and simple statements, whose nodes
    /// hold no statement (so no assignment and no function definition) and,
    /// in code Python accepts, no `as` binding (see [`walk_statement`]).
    opaque: Vec<bool>,
    /// By kind id: what [`may_hold_imports`] says of the kind's name, and
    /// whether it is an `import` or a `from ... import` statement.
    holds_imports: Vec<bool>,
    imports: Vec<ImportKind>,
    /// By kind id: the kinds of [`IMPORT_PARENTS`].
    import_parents: Vec<bool>,
    /// By kind id: the kind's name (see [`PythonNode::kind_name`]).
    names: Vec<Box<str>>,
    /// Every field's name and id (see [`PythonNode::field`]).
    fields: Vec<(Box<str>, u16)>,
}

/// The kinds whose children can be statements that hold imports (the
/// grammar's `node-types.json` says so of no other kind [`may_hold_imports`]
/// accepts: the children of an `expression_statement` or a `return` are
/// expressions).
const IMPORT_PARENTS: &[&str] = &[
    "module",
    "block",
    "function_definition",
    "class_definition",
    "decorated_definition",
    "if_statement",
    "elif_clause",
    "else_clause",
    "for_statement",
    "while_statement",
    "try_statement",
    "except_clause",
    "finally_clause",
    "with_statement",
    "match_statement",
];

#[derive(Clone, Copy, PartialEq)]
enum ImportKind {
    None,
    Import,
    From,
}

/// The kinds [`Kinds::opaque`] marks: Python's expressions and the simple
/// statements made only of expressions. A statement (an assignment, a `def`)
/// is never inside one. An `as_pattern` is: tree-sitter's grammar takes `a
/// as b` for an expression anywhere (`f(a() as b)` parses without an
/// error), but Python accepts it only in `with`, `except` and `case`
/// clauses, which are not among these kinds.
const OPAQUE_KINDS: &[&str] = &[
    "call",
    "argument_list",
    "attribute",
    "subscript",
    "slice",
    "string",
    "concatenated_string",
    "binary_operator",
    "unary_operator",
    "comparison_operator",
    "boolean_operator",
    "not_operator",
    "conditional_expression",
    "lambda",
    "list",
    "tuple",
    "set",
    "dictionary",
    "pair",
    "list_comprehension",
    "dictionary_comprehension",
    "set_comprehension",
    "generator_expression",
    "parenthesized_expression",
    "keyword_argument",
    "list_splat",
    "dictionary_splat",
    "await",
    "named_expression",
    "decorator",
    "parameters",
    "type",
    "augmented_assignment",
    "return_statement",
    "raise_statement",
    "assert_statement",
    "delete_statement",
    "import_statement",
    "import_from_statement",
    "future_import_statement",
];

/// `of(name)` for every kind id of `language`, by the kind's name (`""`
/// for an id without one).
fn by_kind_name<T>(language: &tree_sitter::Language, of: impl Fn(&str) -> T) -> Vec<T> {
    (0..language.node_kind_count())
        .map(|id| {
            of(u16::try_from(id)
                .ok()
                .and_then(|id| language.node_kind_for_id(id))
                .unwrap_or_default())
        })
        .collect()
}

impl Kinds {
    /// Whether `node` is of an [`OPAQUE_KINDS`] kind and holds no syntax
    /// error (error recovery can leave a statement anywhere): no
    /// assignment, no `def` and no `as` binding Python accepts is inside.
    fn is_opaque(&self, node: Node<'_>) -> bool {
        self.opaque
            .get(usize::from(node.kind_id()))
            .is_some_and(|&opaque| opaque)
            && !node.has_error()
    }
}

/// A node's field and kind name, for nodes of Python trees, from tables of
/// the grammar built once. For Python nodes only: another grammar numbers
/// its fields and kinds otherwise.
pub(crate) trait PythonNode<'tree> {
    /// `child_by_field_name`, by the field's id: tree-sitter looks the name
    /// up among all of the grammar's fields on every call (a `strncmp` per
    /// field: about 800 instructions a call, 1.5% of a whole tree's check).
    fn field(&self, name: &str) -> Option<Node<'tree>>;
    /// `kind`, from the kind's id: `Node::kind` measures and validates the
    /// name (a C string) on every call, a few hundred instructions.
    fn kind_name(&self) -> &'tree str;
}

impl<'tree> PythonNode<'tree> for Node<'tree> {
    fn field(&self, name: &str) -> Option<Node<'tree>> {
        let id = KINDS.as_ref().and_then(|kinds| {
            kinds
                .fields
                .iter()
                .find(|(field, _)| **field == *name)
                .map(|&(_, id)| id)
        });
        match id {
            Some(id) => self.child_by_field_id(id),
            // Not a field of the grammar: tree-sitter finds no child either.
            None => self.child_by_field_name(name),
        }
    }

    fn kind_name(&self) -> &'tree str {
        match KINDS
            .as_ref()
            .and_then(|kinds| kinds.names.get(usize::from(self.kind_id())))
        {
            Some(name) => name,
            None => self.kind(),
        }
    }
}

pub(crate) static KINDS: std::sync::LazyLock<Option<Kinds>> = std::sync::LazyLock::new(|| {
    let language = crate::kind::FileKind::Python.language()?;
    let id = |kind: &str| language.id_for_node_kind(kind, true);
    Some(Kinds {
        assignment: id("assignment"),
        as_pattern: id("as_pattern"),
        function_definition: id("function_definition"),
        lambda: id("lambda"),
        class_definition: id("class_definition"),
        decorated_definition: id("decorated_definition"),
        identifier: id("identifier"),
        attribute: id("attribute"),
        call: id("call"),
        subscript: id("subscript"),
        string: id("string"),
        object_field: language.field_id_for_name("object")?.get(),
        attribute_field: language.field_id_for_name("attribute")?.get(),
        // Read from every kind's name: a name may have several ids.
        opaque: by_kind_name(&language, |name| OPAQUE_KINDS.contains(&name)),
        holds_imports: by_kind_name(&language, may_hold_imports),
        import_parents: by_kind_name(&language, |name| IMPORT_PARENTS.contains(&name)),
        names: by_kind_name(&language, |name| Box::from(name)),
        fields: (1..=language.field_count())
            .filter_map(|id| {
                let id = u16::try_from(id).ok()?;
                Some((language.field_name_for_id(id)?.into(), id))
            })
            .collect(),
        imports: by_kind_name(&language, |name| match name {
            "import_statement" => ImportKind::Import,
            "import_from_statement" => ImportKind::From,
            _ => ImportKind::None,
        }),
    })
});

/// One walk of a top-level node with a single cursor: what built each
/// variable (a name's first binding met when leaving nodes wins; see
/// [`Module::built_by`]) and the request-body annotations (a route handler
/// nested in another is not looked at); `identifiers`, when given, is
/// called with the text of every identifier. Returns the number of nodes
/// the walk met.
///
/// Without `identifiers` the walk does not enter the nodes of the
/// [`Kinds::opaque`] kinds (expressions, simple statements): no assignment
/// and no `def` is inside one. Most of a module's nodes are. A node holding
/// a syntax error is entered all the same: error recovery can leave a
/// statement anywhere.
fn walk_statement(
    statement: Node<'_>,
    text: &str,
    facts: &mut StatementFacts,
    mut identifiers: Option<&mut dyn FnMut(&str)>,
) -> usize {
    let Some(kinds) = KINDS.as_ref() else {
        return 0;
    };
    let prune = identifiers.is_none();
    let mut cursor = statement.walk();
    let mut depth = 0usize;
    let mut met = 0usize;
    let mut handler_depth: Option<usize> = None;
    'walk: loop {
        let node = cursor.node();
        met += 1;
        if handler_depth.is_none()
            && node.kind_id() == kinds.function_definition
            && is_route_handler(text, node)
        {
            handler_depth = Some(depth);
            collect_body_annotations(node, text, &mut facts.body_annotations);
        }
        let opaque = prune && kinds.is_opaque(node);
        if !opaque && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            let node = cursor.node();
            let kind = node.kind_id();
            if kind == kinds.identifier {
                if let Some(identifiers) = identifiers.as_mut() {
                    identifiers(&text[node.byte_range()]);
                }
            } else if kind == kinds.assignment || kind == kinds.as_pattern {
                record_builder(node, kind == kinds.assignment, text, &mut facts.builders);
            }
            if handler_depth == Some(depth) {
                handler_depth = None;
            }
            if depth == 0 {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            depth -= 1;
        }
    }
    met
}

fn record_builder(
    node: Node<'_>,
    is_assignment: bool,
    text: &str,
    builders: &mut Vec<(String, String)>,
) {
    let (target, value) = if is_assignment {
        (node.field("left"), node.field("right"))
    } else {
        (
            node.field("alias").and_then(|alias| alias.named_child(0)),
            node.named_child(0),
        )
    };
    let (Some(target), Some(mut value)) = (target, value) else {
        return;
    };
    if value.kind_name() == "await"
        && let Some(inner) = value.named_child(0)
    {
        value = inner;
    }
    if value.kind_name() == "call"
        && let Some(function) = value.field("function")
        && let Some(name) = dotted_name(text, function)
    {
        builders.push((text[target.byte_range()].to_string(), name));
    }
}

/// The annotations of a route handler's parameters that may be the body.
fn collect_body_annotations(handler: Node<'_>, text: &str, annotations: &mut Vec<String>) {
    let Some(parameters) = handler.field("parameters") else {
        return;
    };
    let mut cursor = parameters.walk();
    for parameter in parameters.named_children(&mut cursor) {
        // Query, path, header and dependency parameters are not the body
        // (and a URL bounds their size).
        let parameter_text = &text[parameter.byte_range()];
        let not_body = ["Query(", "Path(", "Header(", "Cookie(", "Depends("]
            .iter()
            .any(|marker| parameter_text.contains(marker));
        if let Some(annotation) = parameter.field("type")
            && !not_body
        {
            annotations.push(text[annotation.byte_range()].to_string());
        }
    }
}

/// The name and value a binding node binds: `target = value` or
/// `value as target` (`with` and `except` clauses).
pub fn binding_parts(node: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    match node.kind_name() {
        "assignment" => Some((node.field("left")?, node.field("right")?)),
        "as_pattern" => Some((node.field("alias")?.named_child(0)?, node.named_child(0)?)),
        _ => None,
    }
}

/// The module-level bindings of a top-level node (see
/// [`StatementFacts::bindings`]), in the order a walk from the root meets
/// them, and the number of nodes the walk met. It does not enter functions,
/// lambdas and classes (their bindings are not the module's), nor
/// expressions and simple statements (see [`Kinds::is_opaque`]).
fn collect_module_bindings(
    statement: Node<'_>,
    text: &str,
) -> (Vec<(String, Option<String>)>, usize) {
    let mut found = Vec::new();
    let Some(kinds) = KINDS.as_ref() else {
        return (found, 0);
    };
    let mut met = 0;
    let mut stack = vec![statement];
    // One cursor for every node's children (a cursor per node allocates).
    let mut cursor = statement.walk();
    while let Some(node) = stack.pop() {
        met += 1;
        let kind = node.kind_id();
        if kind == kinds.function_definition
            || kind == kinds.lambda
            || kind == kinds.class_definition
        {
            continue;
        }
        if (kind == kinds.assignment || kind == kinds.as_pattern)
            && let Some((target, value)) = binding_parts(node)
        {
            let value = if value.kind_name() == "await" {
                value.named_child(0).unwrap_or(value)
            } else {
                value
            };
            let dotted = (value.kind_name() == "call")
                .then(|| value.field("function"))
                .flatten()
                .and_then(|function| dotted_name(text, function));
            found.push((text[target.byte_range()].to_string(), dotted));
        }
        if kinds.is_opaque(node) {
            continue;
        }
        cursor.reset(node);
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.is_named() {
                    stack.push(child);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
    }
    (found, met)
}

fn contains_import(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).any(|child| {
        matches!(
            child.kind_name(),
            "import_statement" | "import_from_statement"
        ) || contains_import(child)
    })
}

/// Imports live in statements, never inside expressions.
fn may_hold_imports(kind: &str) -> bool {
    kind.ends_with("statement")
        || kind.ends_with("definition")
        || matches!(
            kind,
            "block"
                | "module"
                | "decorated_definition"
                | "except_clause"
                | "else_clause"
                | "finally_clause"
                | "elif_clause"
                | "with_clause"
        )
}

/// The imports of `node` when it is an import statement, or of the
/// statements below it when it is one of the [`IMPORT_PARENTS`] (nothing
/// for any other node).
fn collect_imports(node: Node<'_>, text: &str, imports: &mut Vec<(String, String)>) {
    let Some(kinds) = KINDS.as_ref() else {
        return;
    };
    // Kind ids, not names: this meets every statement of a module.
    let kind = usize::from(node.kind_id());
    match kinds.imports.get(kind).copied().unwrap_or(ImportKind::None) {
        ImportKind::Import => {
            let mut cursor = node.walk();
            for name in node.children_by_field_name("name", &mut cursor) {
                match name.kind_name() {
                    "dotted_name" => {
                        // `import a.b` binds `a`.
                        let full = &text[name.byte_range()];
                        let head = full.split('.').next().unwrap_or(full);
                        imports.push((head.to_string(), head.to_string()));
                    }
                    "aliased_import" => {
                        if let (Some(target), Some(alias)) =
                            (name.field("name"), name.field("alias"))
                        {
                            imports.push((
                                text[alias.byte_range()].to_string(),
                                text[target.byte_range()].to_string(),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
        ImportKind::From => {
            let Some(module) = node.field("module_name") else {
                return;
            };
            let module = &text[module.byte_range()];
            let mut cursor = node.walk();
            for name in node.children_by_field_name("name", &mut cursor) {
                let (target, local) = match name.kind_name() {
                    "dotted_name" => (&text[name.byte_range()], &text[name.byte_range()]),
                    "aliased_import" => match (name.field("name"), name.field("alias")) {
                        (Some(target), Some(alias)) => {
                            (&text[target.byte_range()], &text[alias.byte_range()])
                        }
                        _ => continue,
                    },
                    _ => continue,
                };
                imports.push((local.to_string(), format!("{module}.{target}")));
            }
        }
        ImportKind::None => {
            if !kinds.import_parents.get(kind).is_some_and(|&parent| parent) {
                return;
            }
            // An import statement says `import`: a statement whose text
            // does not holds none, and its body is not walked (one scan of
            // its text instead of a walk of its statements; simple
            // statements, a docstring left open among them, are not
            // scanned at all).
            if !crate::text::contains(text.get(node.byte_range()).unwrap_or_default(), "import") {
                return;
            }
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if kinds
                    .holds_imports
                    .get(usize::from(child.kind_id()))
                    .is_some_and(|&holds| holds)
                {
                    collect_imports(child, text, imports);
                }
            }
        }
    }
}

/// The dotted text of an identifier or attribute chain (`a.b.c`), without
/// calls or subscripts.
pub fn dotted_name(text: &str, node: Node<'_>) -> Option<String> {
    let mut name = String::new();
    push_dotted_name(text, node, &mut name).then_some(name)
}

/// Appends the dotted name of `node` to `name`; false (with `name` left
/// part-written) when it is not one. Called for most calls of a module by
/// several rules' `#resolves-to?`: one string, kinds and fields by id.
fn push_dotted_name(text: &str, node: Node<'_>, name: &mut String) -> bool {
    let Some(kinds) = KINDS.as_ref() else {
        return false;
    };
    let kind = node.kind_id();
    if kind == kinds.identifier {
        name.push_str(&text[node.byte_range()]);
        return true;
    }
    if kind != kinds.attribute {
        return false;
    }
    let (Some(object), Some(attribute)) = (
        node.child_by_field_id(kinds.object_field),
        node.child_by_field_id(kinds.attribute_field),
    ) else {
        return false;
    };
    if !push_dotted_name(text, object, name) {
        return false;
    }
    name.push('.');
    name.push_str(&text[attribute.byte_range()]);
    true
}

/// The value of a plain string literal (not an f-string; implicit
/// concatenations joined), escapes left as written.
pub fn string_value(text: &str, node: Node<'_>) -> Option<String> {
    match node.kind_name() {
        "string" => {
            let mut cursor = node.walk();
            let mut value = String::new();
            for child in node.named_children(&mut cursor) {
                match child.kind_name() {
                    "string_start" if text[child.byte_range()].contains(['f', 'F', 't', 'T']) => {
                        return None;
                    }
                    "string_content" => value.push_str(&text[child.byte_range()]),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(value)
        }
        "concatenated_string" => {
            let mut cursor = node.walk();
            let mut value = String::new();
            for child in node.named_children(&mut cursor) {
                if child.kind_name() == "string" {
                    value.push_str(&string_value(text, child)?);
                }
            }
            Some(value)
        }
        _ => None,
    }
}

/// The keyword argument `name=...` of an argument list.
pub fn keyword_argument<'t>(text: &str, arguments: Node<'t>, name: &str) -> Option<Node<'t>> {
    let mut cursor = arguments.walk();
    arguments.named_children(&mut cursor).find(|child| {
        child.kind_name() == "keyword_argument"
            && child
                .field("name")
                .is_some_and(|key| &text[key.byte_range()] == name)
    })
}

/// Whether an argument list passes `**kwargs` (any keyword may hide there).
pub fn has_keyword_splat(arguments: Node<'_>) -> bool {
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .any(|child| child.kind_name() == "dictionary_splat")
}

/// An edit appending `argument` (e.g. `timeout=10`) to a call's argument
/// list, following its layout: `f()` → `f(timeout=10)`, `f(a)` →
/// `f(a, timeout=10)`, and one argument per line when the call is laid out
/// so (keeping a trailing comma).
pub fn append_argument(text: &str, arguments: Node<'_>, argument: &str) -> Option<TextEdit> {
    let close = arguments.child(arguments.child_count().checked_sub(1)?)?;
    if close.kind_name() != ")" {
        return None;
    }
    let mut cursor = arguments.walk();
    let children: Vec<Node<'_>> = arguments.children(&mut cursor).collect();
    let last_argument = children
        .iter()
        .rev()
        .find(|child| child.is_named() && child.kind_name() != "comment");
    let Some(last_argument) = last_argument else {
        return Some(TextEdit::insert(close.start_byte(), argument.to_string()));
    };
    let trailing_comma = children
        .iter()
        .rev()
        .find(|child| child.kind_name() != "comment" && child.kind_name() != ")")
        .filter(|child| child.kind_name() == ",");
    let multiline = close.start_position().row > last_argument.end_position().row;
    if multiline {
        let indent = line_indent(text, last_argument.start_byte());
        let newline = line_break(text);
        return Some(match trailing_comma {
            Some(comma) => {
                TextEdit::insert(comma.end_byte(), format!("{newline}{indent}{argument},"))
            }
            None => TextEdit::insert(
                last_argument.end_byte(),
                format!(",{newline}{indent}{argument}"),
            ),
        });
    }
    Some(match trailing_comma {
        Some(comma) => TextEdit::insert(comma.end_byte(), format!(" {argument}")),
        None => TextEdit::insert(last_argument.end_byte(), format!(", {argument}")),
    })
}

/// Like [`append_argument`] for several arguments: one per line when the
/// call is laid out one argument per line, else comma-separated.
pub fn append_arguments(
    text: &str,
    arguments: Node<'_>,
    new_arguments: &[&str],
) -> Option<TextEdit> {
    let close = arguments.child(arguments.child_count().checked_sub(1)?)?;
    let mut cursor = arguments.walk();
    let last_argument = arguments
        .named_children(&mut cursor)
        .filter(|child| child.kind_name() != "comment")
        .last();
    let joined = match last_argument {
        Some(last) if close.start_position().row > last.end_position().row => {
            let separator = format!(
                ",{}{}",
                line_break(text),
                line_indent(text, last.start_byte())
            );
            new_arguments.join(&separator)
        }
        _ => new_arguments.join(", "),
    };
    append_argument(text, arguments, &joined)
}

/// An edit removing one argument of a call with its separating comma.
pub fn remove_argument(arguments: Node<'_>, argument: Node<'_>) -> TextEdit {
    let mut cursor = arguments.walk();
    let children: Vec<Node<'_>> = arguments.children(&mut cursor).collect();
    let index = children
        .iter()
        .position(|child| child.id() == argument.id())
        .unwrap_or(0);
    let next = children.get(index + 1);
    let previous = index
        .checked_sub(1)
        .and_then(|previous| children.get(previous));
    match (previous, next) {
        // `f(a, x)` → `f(a)`: take the comma before.
        (Some(previous), Some(next)) if previous.kind_name() == "," && next.kind_name() == ")" => {
            TextEdit::delete(previous.start_byte()..argument.end_byte())
        }
        // `f(x, a)` or `f(a, x, b)` → take the comma after and the space.
        (_, Some(next)) if next.kind_name() == "," => {
            let after = children
                .get(index + 2)
                .map_or(next.end_byte(), |following| {
                    if following.start_position().row == next.end_position().row {
                        following.start_byte()
                    } else {
                        next.end_byte()
                    }
                });
            TextEdit::delete(argument.start_byte()..after)
        }
        _ => TextEdit::delete(argument.byte_range()),
    }
}

/// The nodes from `node`'s parent up to `root`, found by one walk down
/// from `root`. `Node::parent` walks down from the root on every call,
/// through each level's children, so climbing with it costs the depth
/// times that: in a module of many statements that was the largest cost of
/// some rules.
pub fn ancestors<'t>(root: Node<'t>, node: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    let mut chain = Vec::new();
    let mut current = root;
    while current != node {
        chain.push(current);
        match current.child_with_descendant(node) {
            Some(next) => current = next,
            None => break,
        }
    }
    chain.into_iter().rev()
}

/// The innermost function around a node (under `root`).
pub fn enclosing_function<'t>(root: Node<'t>, node: Node<'t>) -> Option<Node<'t>> {
    ancestors(root, node).find(|ancestor| ancestor.kind_name() == "function_definition")
}

/// Whether a function definition is `async def`.
pub fn is_async_function(function: Node<'_>) -> bool {
    function
        .child(0)
        .is_some_and(|first| first.kind_name() == "async")
}

/// Whether a node sits under `if __name__ == "__main__":` (under `root`).
pub fn in_main_guard<'t>(text: &str, root: Node<'t>, node: Node<'t>) -> bool {
    ancestors(root, node).any(|ancestor| is_main_guard(text, ancestor))
}

/// Whether a node is `if __name__ == "__main__":`.
pub fn is_main_guard(text: &str, node: Node<'_>) -> bool {
    node.kind_name() == "if_statement"
        && node.field("condition").is_some_and(|condition| {
            let condition: String = text[condition.byte_range()]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let condition = condition.replace('\'', "\"");
            condition == "__name__==\"__main__\"" || condition == "\"__main__\"==__name__"
        })
}

/// Whether a path is test code: under `tests/` or `test/`, `test_*.py`,
/// `*_test.py` or `conftest.py`.
pub fn is_test_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
        || name == "tests.py"
        || path.components().any(|component| {
            matches!(
                component.as_os_str().to_str(),
                Some("tests" | "test" | "testing" | "__tests__")
            )
        })
}

/// Whether a path is a script or command-line entry point rather than
/// service code: `scripts/`, `bin/`, `tools/`, `cli/`, Django management
/// commands, `manage.py`, `__main__.py`, `cli.py`, `setup.py`, `noxfile.py`.
pub fn is_script_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    matches!(
        name,
        "manage.py"
            | "__main__.py"
            | "cli.py"
            | "setup.py"
            | "noxfile.py"
            | "fabfile.py"
            | "tasks.py"
            | "conf.py"
    ) || path.components().any(|component| {
        matches!(
            component.as_os_str().to_str(),
            Some(
                "scripts"
                    | "script"
                    | "bin"
                    | "tools"
                    | "cli"
                    | "commands"
                    | "examples"
                    | "docs"
                    | "migrations"
                    | "alembic"
                    | "docs_src"
                    | "example"
                    | "samples"
                    | "benchmarks"
                    | "bench"
            )
        )
    })
}

/// The words of an identifier or key: `SECRET_KEY` → `secret key`,
/// `apiKey` → `api key`, `x-api-token` → `x api token`, lower-cased.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether a name (variable, attribute, keyword, dict key, environment
/// variable) names a secret: one of the secret words (`secret`, `password`,
/// `passwd`, `token`, `credentials`, `apikey`, `api key`, `private key`,
/// `access key`), followed by nothing but `key`/`value`-like words. So
/// `SECRET_KEY`, `db_password`, `GITHUB_TOKEN`, `openaiApiKey` are secrets;
/// `token_url`, `token_type`, `password_field`, `TOKEN_EXPIRE_MINUTES`,
/// `max_tokens`, `SECRET_KEY_FALLBACKS` are not.
pub fn is_secret_name(name: &str) -> bool {
    const SINGLE: [&str; 9] = [
        "secret",
        "password",
        "passwd",
        "passphrase",
        "token",
        "credentials",
        "apikey",
        "pwd",
        "secretkey",
    ];
    const FIRST_OF_PAIR: [&str; 5] = ["api", "private", "access", "secret", "signing"];
    const AFTER: [&str; 8] = [
        "key", "value", "b64", "base64", "hex", "raw", "bytes", "str",
    ];
    // Counts, lifetimes, hashes and fakes are not secrets.
    const NEVER: [&str; 16] = [
        "max", "min", "num", "count", "expire", "expires", "expiry", "length", "hash", "hashed",
        "fake", "dummy", "example", "sample", "mock", "test",
    ];
    let words = name_words(name);
    if words.iter().any(|word| NEVER.contains(&word.as_str())) {
        return false;
    }
    let Some(last_secret) = words.iter().enumerate().rev().find_map(|(index, word)| {
        let pair = word == "key" && index > 0 && FIRST_OF_PAIR.contains(&words[index - 1].as_str());
        (SINGLE.contains(&word.as_str()) || pair).then_some(index)
    }) else {
        return false;
    };
    words[last_secret + 1..]
        .iter()
        .all(|word| AFTER.contains(&word.as_str()))
}

/// Text that marks a value as a placeholder wherever it appears.
const PLACEHOLDER_MARKERS: [&str; 14] = [
    "your",
    "change_me",
    "changeme",
    "change-me",
    "change_this",
    "changethis",
    "replace",
    "example",
    "placeholder",
    "xxxx",
    "****",
    "....",
    "dummy",
    "<",
];

/// The range of the literal password inside a connection URL
/// (`postgresql://app:s3cret@db:5432/app` gives `s3cret`): a scheme, `://`,
/// a user and a non-empty password before `@`, none of them holding `$`
/// (an interpolated `${DB_PASSWORD}` is not a literal) or a blank. `None`
/// for a URL without a password (`postgres://db/app`, `sqlite:///app.db`,
/// `redis://:@cache`). The one reading of credentials in URLs: the Python
/// rules' settings defaults and the compose rules' environment use it.
pub fn url_password(url: &str) -> Option<Range<usize>> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    {
        return None;
    }
    let rest_start = scheme_end + 3;
    let rest = &url[rest_start..];
    let at = rest.find(|c: char| matches!(c, '/' | '?' | '#' | '@') || c.is_whitespace())?;
    if !rest[at..].starts_with('@') {
        return None;
    }
    let userinfo = &rest[..at];
    let colon = userinfo.find(':')?;
    let (user, password) = (&userinfo[..colon], &userinfo[colon + 1..]);
    if user.contains('$') || password.is_empty() || password.contains('$') {
        return None;
    }
    let start = rest_start + colon + 1;
    Some(start..start + password.len())
}

/// Whether a secret-like value is an obvious placeholder rather than a real
/// secret: empty or very short; has spaces (a message or label); equals the
/// name it is assigned to; is a well-known filler (`changeme`, `secret`,
/// `password`, `dev`, `test`, `xxx`, `<your-key>`, `${TOKEN}`, `...`); a
/// single repeated character; or an environment variable name (`"API_KEY"`).
pub fn is_placeholder_secret(value: &str, name: &str) -> bool {
    const FILLERS: [&str; 30] = [
        "changeme",
        "changethis",
        "change",
        "secret",
        "password",
        "passwd",
        "token",
        "dummy",
        "example",
        "test",
        "testing",
        "fake",
        "placeholder",
        "none",
        "null",
        "todo",
        "tbd",
        "default",
        "dev",
        "development",
        "insecure",
        "string",
        "empty",
        "unset",
        "notset",
        "mysecret",
        "mypassword",
        "apikey",
        "key",
        "local",
    ];
    let trimmed = value.trim();
    if trimmed.chars().count() < 4 || trimmed.contains(char::is_whitespace) {
        return true;
    }
    let squashed: String = trimmed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let name_squashed: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let lower = trimmed.to_ascii_lowercase();
    if squashed.is_empty() || squashed == name_squashed || FILLERS.contains(&squashed.as_str()) {
        return true;
    }
    if PLACEHOLDER_MARKERS
        .iter()
        .any(|marker| lower.contains(marker))
        || trimmed.starts_with("${")
        || trimmed.starts_with("{{")
    {
        return true;
    }
    let mut chars = squashed.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return true;
    }
    // `"OPENAI_API_KEY"`: the name of a variable that holds the secret.
    let env_name = trimmed
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && trimmed
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase());
    // A URL, path or dotted import path is configuration, not a secret.
    let reference =
        trimmed.contains("://") || trimmed.starts_with('/') || trimmed.starts_with("./");
    // `"audio.tts.openai.api_key"`, `"csrftoken"`, `"Access-Control-Allow-Credentials"`:
    // a value that names a secret (a config key, header, cookie or form field) is not one.
    const SECRET_WORDS: [&str; 7] = [
        "secret",
        "password",
        "passwd",
        "token",
        "credential",
        "apikey",
        "privatekey",
    ];
    let names_a_secret = SECRET_WORDS.iter().any(|word| squashed.contains(word));
    let config_key = trimmed.contains('.')
        && trimmed.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        });
    const FLAGS: [&str; 10] = [
        "true", "false", "yes", "no", "on", "off", "enabled", "disabled", "required", "optional",
    ];
    env_name || reference || names_a_secret || config_key || FLAGS.contains(&squashed.as_str())
}

/// A well-known credential format a literal matches, as (provider, the
/// environment variable such a key usually lives in).
pub fn key_format(value: &str) -> Option<(&'static str, &'static str)> {
    static FORMATS: std::sync::LazyLock<Vec<(regex::Regex, &'static str, &'static str)>> =
        std::sync::LazyLock::new(|| {
            [
                (
                    r"^AKIA[0-9A-Z]{16}$",
                    "an AWS access key",
                    "AWS_ACCESS_KEY_ID",
                ),
                (
                    r"^sk-ant-[A-Za-z0-9_-]{20,}$",
                    "an Anthropic API key",
                    "ANTHROPIC_API_KEY",
                ),
                (
                    r"^sk-(proj-)?[A-Za-z0-9_-]{20,}$",
                    "an OpenAI API key",
                    "OPENAI_API_KEY",
                ),
                (
                    r"^gh[pousr]_[A-Za-z0-9]{30,}$",
                    "a GitHub token",
                    "GITHUB_TOKEN",
                ),
                (
                    r"^github_pat_[A-Za-z0-9_]{30,}$",
                    "a GitHub token",
                    "GITHUB_TOKEN",
                ),
                (
                    r"^xox[abposr]-[A-Za-z0-9-]{10,}$",
                    "a Slack token",
                    "SLACK_TOKEN",
                ),
                (r"^gsk_[A-Za-z0-9]{20,}$", "a Groq API key", "GROQ_API_KEY"),
                (
                    r"^AIza[0-9A-Za-z_-]{35}$",
                    "a Google API key",
                    "GOOGLE_API_KEY",
                ),
                (
                    r"^[sr]k_live_[0-9A-Za-z]{16,}$",
                    "a Stripe live key",
                    "STRIPE_SECRET_KEY",
                ),
                (
                    r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----",
                    "a private key",
                    "PRIVATE_KEY",
                ),
            ]
            .into_iter()
            .filter_map(|(pattern, provider, variable)| {
                Some((regex::Regex::new(pattern).ok()?, provider, variable))
            })
            .collect()
        });
    let trimmed = value.trim();
    FORMATS
        .iter()
        .find(|(pattern, _, _)| pattern.is_match(trimmed))
        .and_then(|(_, provider, variable)| {
            // `sk-xxxxxxxxxxxxxxxxxxxxxxxx`, `sk-your-key-goes-here-...`.
            let lower = trimmed.to_ascii_lowercase();
            let body = trimmed.rsplit(['-', '_']).next().unwrap_or(trimmed);
            let few_characters = body.chars().collect::<std::collections::HashSet<_>>().len() < 6;
            let placeholder = PLACEHOLDER_MARKERS
                .iter()
                .any(|marker| lower.contains(marker))
                || (few_characters && !trimmed.starts_with("-----BEGIN"));
            (!placeholder).then_some((*provider, *variable))
        })
}

/// An edit making `name` importable from `module`: appended to an existing
/// `from module import ...` line, or a new such line with the imports.
/// `None` when it is imported already.
pub fn ensure_from_import(
    module_facts: &Module,
    text: &str,
    module: &str,
    name: &str,
) -> Option<TextEdit> {
    if module_facts
        .names
        .import(name)
        .is_some_and(|qualified| qualified == &format!("{module}.{name}"))
    {
        return None;
    }
    if let Some((_, end)) = module_facts
        .from_imports
        .iter()
        .find(|(known, _)| known == module)
    {
        return Some(TextEdit::insert(*end, format!(", {name}")));
    }
    let newline = module_facts.newline;
    Some(match module_facts.leading_imports.last() {
        Some(_) => TextEdit::insert(
            module_facts.after_leading_imports,
            format!("from {module} import {name}{newline}"),
        ),
        None => module_facts.header_insert(text, &format!("from {module} import {name}{newline}")),
    })
}

/// The decorators of a function or class definition (empty when it has none).
pub fn decorators(definition: Node<'_>) -> Vec<Node<'_>> {
    let Some(parent) = definition
        .parent()
        .filter(|parent| parent.kind_name() == "decorated_definition")
    else {
        return Vec::new();
    };
    let mut cursor = parent.walk();
    parent
        .named_children(&mut cursor)
        .filter(|child| child.kind_name() == "decorator")
        .collect()
}

/// The called name of a decorator without its arguments: `app.get` for
/// `@app.get("/")`, `login_required` for `@login_required`.
pub fn decorator_name(text: &str, decorator: Node<'_>) -> Option<String> {
    let mut expression = decorator.named_child(0)?;
    if expression.kind_name() == "call" {
        expression = expression.field("function")?;
    }
    dotted_name(text, expression)
}

/// Whether a function is a web route handler: decorated with a route of
/// FastAPI/Starlette/Flask/Quart/Sanic/Litestar (`@app.get(...)`,
/// `@router.post(...)`, `@bp.route(...)`, `@app.websocket(...)`, `@get(...)`).
pub fn is_route_handler(text: &str, function: Node<'_>) -> bool {
    const ROUTES: [&str; 12] = [
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "route",
        "api_route",
        "websocket",
        "trace",
        "api_view",
    ];
    decorators(function).into_iter().any(|decorator| {
        decorator_name(text, decorator).is_some_and(|name| {
            let last = name.rsplit('.').next().unwrap_or(&name);
            ROUTES.contains(&last)
                && (name.contains('.')
                    || decorator
                        .named_child(0)
                        .is_some_and(|e| e.kind_name() == "call"))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables behind `PythonNode` give what tree-sitter's own lookups
    /// give, for every node of a module (syntax errors and aliased kinds
    /// included) and every field of the grammar, and a name that is no
    /// field finds no child.
    #[test]
    fn python_node_tables_agree_with_tree_sitters_lookups() {
        let text = "import os as o\nfrom a import (b as c)\n\n@app.get('/x')\nasync def f(x: int = 1, *a, **k) -> str:\n    with open(p) as h, g() as (i, j):\n        y = [z async for z in w if z]\n    match y:\n        case {'k': v, **rest} if v: return f'{v!r:>3}'\n    return (lambda q: q)(x) or None\n\nclass C(B, metaclass=M):\n    print 'py2'\n    def g(self): retur n\n";
        let language = crate::kind::FileKind::Python.language().unwrap();
        let fields: Vec<String> = (1..=language.field_count())
            .filter_map(|id| language.field_name_for_id(id as u16).map(str::to_string))
            .collect();
        assert!(fields.len() > 20, "{fields:?}");
        let tree = crate::parse::parse(crate::kind::FileKind::Python, text, None).unwrap();
        assert!(tree.root_node().has_error());
        let mut cursor = tree.root_node().walk();
        let (mut nodes, mut errors) = (0, 0);
        'walk: loop {
            let node = cursor.node();
            nodes += 1;
            errors += usize::from(node.is_error());
            assert_eq!(node.kind_name(), node.kind());
            for name in fields.iter().map(String::as_str).chain(["no_such_field"]) {
                assert_eq!(node.field(name), node.child_by_field_name(name), "{name}");
            }
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        assert!(nodes > 200 && errors > 0, "{nodes} nodes, {errors} errors");
    }

    #[test]
    fn url_password_reads_literal_passwords_only() {
        fn password(url: &str) -> Option<&str> {
            url_password(url).map(|range| &url[range])
        }
        assert_eq!(
            password("postgresql://app:s3cret@db:5432/app"),
            Some("s3cret")
        );
        assert_eq!(password("redis://:hunter2@cache:6379/0"), Some("hunter2"));
        assert_eq!(password("amqp://u:p:q@mq//"), Some("p:q"));
        for url in [
            "postgres://db/app",
            "postgres://app@db/app",
            "postgres://app:@db/app",
            "postgres://app:${DB_PASSWORD}@db/app",
            "postgres://$USER:pw@db/app",
            "sqlite:///app.db",
            "https://example.com/a:b@c",
            "not a url: x@y",
            "1http://u:p@h",
        ] {
            assert_eq!(password(url), None, "{url}");
        }
    }
    use crate::{kind::FileKind, parse::parse, text::apply_edits};

    fn with_module<R>(text: &str, run: impl FnOnce(&Module, Node<'_>) -> R) -> R {
        let tree = parse(FileKind::Python, text, None).unwrap();
        let module = Module::new(tree.root_node(), text);
        run(&module, tree.root_node())
    }

    /// Everything a rule can read of the name-keyed facts, in a stable order.
    fn name_facts(module: &Module) -> Vec<String> {
        let names = &module.names;
        let mut facts: Vec<String> = Vec::new();
        for name in names.imports.keys() {
            facts.push(format!("import {name} {:?}", names.import(name)));
        }
        for name in names.builders.keys() {
            facts.push(format!("built {name} {:?}", module.built_by(name)));
        }
        for name in names.bindings.keys() {
            facts.push(format!("bound {name} {:?}", module.module_binding(name)));
        }
        for name in names.dependencies.keys() {
            facts.push(format!("dependency {name}"));
        }
        for name in names.handlers.keys() {
            facts.push(format!("handler {name} {:?}", names.handler(name)));
        }
        facts.push(format!("{:?}", names.body));
        facts.push(format!("{:?}", names.empty_tests));
        facts.push(format!(
            "routes {} script {} apps {} cors {}",
            module.defines_routes(),
            module.runs_as_script(),
            module.mentions_installed_apps(),
            module.mentions_cors_origins()
        ));
        facts.sort();
        facts
    }

    /// The facts of `text` updated from those of `old` (top-level nodes
    /// with the same text at either end keep their facts, as the
    /// incremental check keeps them), and derived from scratch.
    fn updated_and_fresh(
        old: &(String, Module, Vec<Arc<StatementFacts>>),
        text: &str,
    ) -> ((String, Module, Vec<Arc<StatementFacts>>), Module) {
        let (old_text, old_module, old_statements) = old;
        let spans = |text: &str| -> Vec<String> {
            let tree = parse(FileKind::Python, text, None).unwrap();
            let root = tree.root_node();
            let mut cursor = root.walk();
            root.children(&mut cursor)
                .map(|node| text[node.byte_range()].to_string())
                .collect()
        };
        let (old_spans, new_spans) = (spans(old_text), spans(text));
        let shorter = old_spans.len().min(new_spans.len());
        let prefix = (0..shorter)
            .take_while(|&index| old_spans[index] == new_spans[index])
            .count();
        let suffix = (0..shorter - prefix)
            .take_while(|&back| {
                old_spans[old_spans.len() - 1 - back] == new_spans[new_spans.len() - 1 - back]
            })
            .count();
        let tree = parse(FileKind::Python, text, None).unwrap();
        let root = tree.root_node();
        let (old_count, new_count) = (old_spans.len(), new_spans.len());
        let top_level = children(root);
        let statements = statement_facts(&top_level, text, old_statements, |index| {
            crate::incremental::kept_index(index, (prefix, suffix), (old_count, new_count))
        });
        let updated = Module::from_statements(
            &top_level,
            text,
            &statements,
            Some((old_module, &old_statements[..])),
        );
        let fresh = Module::new(root, text);
        ((text.to_string(), updated, statements), fresh)
    }

    fn start(text: &str) -> (String, Module, Vec<Arc<StatementFacts>>) {
        let tree = parse(FileKind::Python, text, None).unwrap();
        let top_level = children(tree.root_node());
        let statements = statement_facts(&top_level, text, &[], |_| None);
        let module = Module::from_statements(&top_level, text, &statements, None);
        (text.to_string(), module, statements)
    }

    #[test]
    fn facts_updated_from_the_changed_statements_equal_fresh_ones() {
        let versions = [
            "import requests\nimport httpx as h\n\ns = requests.Session()\n\ndef f():\n    c = h.Client()\n    if not TOKEN:\n        pass\n",
            // An import of the same name later wins; a builder earlier wins.
            "import requests\nimport httpx as h\n\ns = requests.Session()\nimport niquests as requests\n\ndef f():\n    c = h.Client()\n    if not TOKEN:\n        pass\n",
            "import requests\nimport httpx as h\nc = h.AsyncClient()\n\ns = requests.Session()\nimport niquests as requests\n\ndef f():\n    c = h.Client()\n    if not TOKEN:\n        pass\n",
            // Text facts come and go with their statements.
            "import requests\nimport httpx as h\nc = h.AsyncClient()\n\ns = requests.Session()\n\n@app.get('/')\ndef f(body: Item, user=Depends(current_user)):\n    c = h.Client()\n    if TOKEN == '':\n        pass\n\napp.add_exception_handler(Exception, handle)\nINSTALLED_APPS = []\n",
            "import requests\n\n@app.get('/')\ndef f(body: list[Item], user=Depends(current_user)):\n    if TOKEN == '':\n        pass\n\napp.add_exception_handler(ValueError, handle)\n",
            "",
            "s = requests.Session()\n",
        ];
        let mut previous = start(versions[0]);
        for text in &versions[1..] {
            let (updated, fresh) = updated_and_fresh(&previous, text);
            assert!(updated.1.derived.is_some(), "{text:?} was not updated");
            assert_eq!(name_facts(&updated.1), name_facts(&fresh), "{text:?}");
            previous = updated;
        }
    }

    /// A docstring is prose: the facts read from text (a dependency, an
    /// exception handler, a test for emptiness, `INSTALLED_APPS`, CORS
    /// origins) are not read from a string standing alone, at module level,
    /// in a class or function body, or left open to the end of the module;
    /// the same words in code are.
    #[test]
    fn text_facts_are_read_from_code_not_from_docstrings() {
        let prose = "Depends(current_user) app.add_exception_handler(Exception, handle)\nif not TOKEN:\n\"CORS_ORIGINS\" INSTALLED_APPS";
        let code = "user = Depends(current_user)\napp.add_exception_handler(Exception, handle)\nif not TOKEN:\n    pass\nINSTALLED_APPS = [\"CORS_ORIGINS\"]\n";
        let facts = |module: &Module| {
            (
                module.names.dependencies.contains_key("current_user"),
                module.names.handler("handle"),
                module.tests_empty("TOKEN"),
                module.mentions_installed_apps(),
                module.mentions_cors_origins(),
            )
        };
        let found = (true, Some(true), true, true, true);
        let none = (false, None, false, false, false);
        for (text, expected) in [
            (code.to_string(), found),
            (format!("\"\"\"{prose}\"\"\"\n"), none),
            (format!("'{}'\n", prose.replace('\n', " ")), none),
            (
                format!("def f():\n    \"\"\"{prose}\"\"\"\n    return 1\n"),
                none,
            ),
            (format!("class C:\n    '''{prose}'''\n"), none),
            // Adjacent literals are one string.
            (format!("\"a\" \"\"\"{prose}\"\"\"\n"), none),
            // Left open: the rest of the module is the string.
            (format!("def f():\n    '''\n{code}"), none),
            // A string that is part of an expression is still read.
            (format!("x = \"\"\"{prose}\"\"\", 1\n"), found),
        ] {
            let tree = parse(FileKind::Python, &text, None).unwrap();
            let module = Module::new(tree.root_node(), &text);
            assert_eq!(facts(&module), expected, "{text}");
        }
    }

    /// Statements typed one after another at one place halve the room
    /// between their neighbours' orders each time; when none is left the
    /// facts are derived again, with the same result.
    #[test]
    fn statements_typed_at_one_place_renumber_when_orders_run_out() {
        let head = "import os\n";
        let tail = "\nlast = os.getenv('X')\n";
        let mut previous = start(&format!("{head}{tail}"));
        let mut body = String::new();
        let mut renumbered = false;
        for n in 0..40 {
            body.push_str(&format!("v{n} = os.path.join('a', '{n}')\n"));
            let (updated, fresh) = updated_and_fresh(&previous, &format!("{head}{body}{tail}"));
            renumbered |= updated.1.derived.is_none();
            assert_eq!(
                name_facts(&updated.1),
                name_facts(&fresh),
                "after {n} statements"
            );
            previous = updated;
        }
        assert!(
            renumbered,
            "the orders never ran out: the test tests nothing"
        );
    }

    #[test]
    fn imports_resolve_aliases() {
        let text = "import requests as r\nfrom httpx import AsyncClient as C\nimport os.path\ndef f():\n    import json\n";
        with_module(text, |module, _| {
            assert_eq!(module.qualify_dotted("r").unwrap(), "requests");
            assert_eq!(module.qualify_dotted("C").unwrap(), "httpx.AsyncClient");
            assert_eq!(module.qualify_dotted("os").unwrap(), "os");
            assert_eq!(module.qualify_dotted("json").unwrap(), "json");
        });
        let text = "import requests\nimport httpx\ns = requests.Session()\nasync def f():\n    async with httpx.AsyncClient() as client:\n        pass\n";
        with_module(text, |module, _| {
            assert_eq!(module.built_by("s").unwrap(), "requests.Session");
            assert_eq!(module.built_by("client").unwrap(), "httpx.AsyncClient");
        });
    }

    #[test]
    fn ensure_import_goes_with_imports_or_after_the_docstring() {
        let cases = [
            (
                "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nimport sys\nx = 1\n",
                "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nimport os\nimport sys\nx = 1\n",
            ),
            (
                "\"\"\"Doc.\"\"\"\nx = 1\n",
                "\"\"\"Doc.\"\"\"\n\nimport os\nx = 1\n",
            ),
            ("x = 1\n", "import os\n\nx = 1\n"),
            ("import os\nx = 1\n", "import os\nx = 1\n"),
            (
                "\"x\"\"Doc.\"\"\"\nx = 1\n",
                "\"x\"\"Doc.\"\"\"\n\nimport os\nx = 1\n",
            ),
        ];
        for (before, after) in cases {
            with_module(before, |module, _| {
                let edits: Vec<_> = module.ensure_import(before, "os").into_iter().collect();
                assert_eq!(apply_edits(before, &edits).unwrap(), after);
            });
        }
    }

    #[test]
    fn ensure_logger_adds_import_and_definition_once() {
        let before = "import sys\nfrom app import x\n\n\ndef f():\n    pass\n";
        let fixed = with_module(before, |module, _| {
            let (name, edits) = module.ensure_logger(before);
            assert_eq!(name, "logger");
            apply_edits(before, &edits).unwrap()
        });
        assert_eq!(
            fixed,
            "import logging\nimport sys\nfrom app import x\n\nlogger = logging.getLogger(__name__)\n\n\ndef f():\n    pass\n"
        );
        with_module(&fixed, |module, _| {
            assert!(module.ensure_logger(&fixed).1.is_empty())
        });
        let bare = "def f():\n    pass\n";
        let fixed = with_module(bare, |module, _| {
            apply_edits(bare, &module.ensure_logger(bare).1).unwrap()
        });
        assert_eq!(
            fixed,
            "import logging\n\nlogger = logging.getLogger(__name__)\n\ndef f():\n    pass\n"
        );
    }

    #[test]
    fn append_argument_follows_the_layout() {
        let cases = [
            ("f()\n", "f(timeout=10)\n"),
            ("f(a)\n", "f(a, timeout=10)\n"),
            ("f(a,)\n", "f(a, timeout=10)\n"),
            (
                "f(\n    a,\n    b,\n)\n",
                "f(\n    a,\n    b,\n    timeout=10,\n)\n",
            ),
            (
                "f(\n    a,\n    b\n)\n",
                "f(\n    a,\n    b,\n    timeout=10\n)\n",
            ),
        ];
        for (before, after) in cases {
            let tree = parse(FileKind::Python, before, None).unwrap();
            let call = tree
                .root_node()
                .named_child(0)
                .unwrap()
                .named_child(0)
                .unwrap();
            let arguments = call.field("arguments").unwrap();
            let edit = append_argument(before, arguments, "timeout=10").unwrap();
            assert_eq!(apply_edits(before, &[edit]).unwrap(), after, "{before:?}");
        }
    }

    #[test]
    fn append_arguments_puts_one_per_line_when_the_call_does() {
        let cases = [
            ("f(a)\n", "f(a, x=1, y=2)\n"),
            ("f(\n    a,\n)\n", "f(\n    a,\n    x=1,\n    y=2,\n)\n"),
        ];
        for (before, after) in cases {
            let tree = parse(FileKind::Python, before, None).unwrap();
            let call = tree
                .root_node()
                .named_child(0)
                .unwrap()
                .named_child(0)
                .unwrap();
            let arguments = call.field("arguments").unwrap();
            let edit = append_arguments(before, arguments, &["x=1", "y=2"]).unwrap();
            assert_eq!(apply_edits(before, &[edit]).unwrap(), after, "{before:?}");
        }
    }

    #[test]
    fn remove_argument_takes_its_comma() {
        let cases = [
            ("run(app, reload=True)\n", "run(app)\n"),
            ("run(reload=True, port=1)\n", "run(port=1)\n"),
            ("run(reload=True)\n", "run()\n"),
            ("run(a, reload=True, port=1)\n", "run(a, port=1)\n"),
        ];
        for (before, after) in cases {
            let tree = parse(FileKind::Python, before, None).unwrap();
            let call = tree
                .root_node()
                .named_child(0)
                .unwrap()
                .named_child(0)
                .unwrap();
            let arguments = call.field("arguments").unwrap();
            let argument = keyword_argument(before, arguments, "reload").unwrap();
            assert_eq!(
                apply_edits(before, &[remove_argument(arguments, argument)]).unwrap(),
                after
            );
        }
    }

    #[test]
    fn ancestors_walked_down_from_the_root_equal_the_parent_chain() {
        let text = "import x\n\nclass A:\n    def f(self):\n        if x:\n            return [y for y in x]\n\nz = 1\n";
        with_module(text, |_, root| {
            let mut stack = vec![root];
            let mut checked = 0;
            while let Some(node) = stack.pop() {
                let climbed: Vec<_> =
                    std::iter::successors(node.parent(), |node| node.parent()).collect();
                let walked: Vec<_> = ancestors(root, node).collect();
                assert_eq!(walked, climbed, "{}", node.kind_name());
                checked += 1;
                let mut cursor = node.walk();
                stack.extend(node.children(&mut cursor));
            }
            assert!(checked > 30);
        });
    }

    #[test]
    fn main_guard_and_paths_are_recognised() {
        let text = "if __name__ == '__main__':\n    print(1)\n";
        with_module(text, |_, root| {
            let print = root
                .descendant_for_byte_range(
                    text.find("print").unwrap(),
                    text.find("print").unwrap() + 1,
                )
                .unwrap();
            assert!(in_main_guard(text, root, print));
        });
        assert!(is_test_path(Path::new("tests/unit/test_api.py")));
        assert!(!is_test_path(Path::new("app/contest.py")));
        assert!(is_script_path(Path::new("scripts/seed.py")));
        assert!(is_script_path(Path::new("docs_src/tutorial001.py")));
        assert!(is_script_path(Path::new("benchmarks/gzip_benchmark.py")));
        assert!(!is_script_path(Path::new("app/routes.py")));
    }
    #[test]
    fn secret_names_are_told_from_their_neighbours() {
        for name in [
            "SECRET_KEY",
            "db_password",
            "GITHUB_TOKEN",
            "openaiApiKey",
            "api_key",
            "PRIVATE_KEY",
            "access_key",
            "x-api-key",
            "client_secret",
            "credentials",
            "AUTH_TOKEN",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "token_url",
            "tokenUrl",
            "max_tokens",
            "token_type",
            "password_field",
            "TOKEN_EXPIRE_MINUTES",
            "SECRET_KEY_FALLBACKS",
            "key",
            "monkey",
            "password_reset_timeout",
            "secretary",
            "tokens",
            "hashed_password",
            "fake_secret_token",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert_eq!(name_words("openaiAPIKey_v2"), ["openai", "apikey", "v2"]);
    }

    #[test]
    fn placeholders_are_not_secrets() {
        for (value, name) in [
            ("", "x"),
            ("changeme", "x"),
            ("your-api-key-here", "x"),
            ("SECRET_KEY", "SECRET_KEY"),
            ("secret_key", "SECRET_KEY"),
            ("Invalid password", "x"),
            ("${TOKEN}", "x"),
            ("xxxxxxxx", "x"),
            ("OPENAI_API_KEY", "api_key"),
            ("<token>", "x"),
            ("https://x/token", "x"),
        ] {
            assert!(is_placeholder_secret(value, name), "{value}");
        }
        for value in ["hunter22", "django-insecure-9a#k2$l", "s3cr3t-Pa55"] {
            assert!(!is_placeholder_secret(value, "password"), "{value}");
        }
    }

    #[test]
    fn key_formats_are_recognised() {
        assert_eq!(
            key_format("AKIA2OSFODNN7RT5WQ3Z").map(|f| f.1),
            Some("AWS_ACCESS_KEY_ID")
        );
        assert_eq!(
            key_format("sk-proj-4hT9dk2LmQz8Rw1xVb7NcY3e").map(|f| f.1),
            Some("OPENAI_API_KEY")
        );
        assert_eq!(
            key_format("gsk_8d7f6a5s4d3f2g1h0j9k8l7m").map(|f| f.1),
            Some("GROQ_API_KEY")
        );
        assert_eq!(
            key_format("-----BEGIN RSA PRIVATE KEY-----\nMIIE").map(|f| f.1),
            Some("PRIVATE_KEY")
        );
        assert_eq!(key_format("sk-xxxxxxxxxxxxxxxxxxxxxxxx"), None);
        assert_eq!(key_format("sk-your-openai-key-goes-here"), None);
        assert_eq!(key_format("sk-..."), None);
    }

    #[test]
    fn from_imports_extend_the_existing_line() {
        let cases = [
            (
                "from pydantic import BaseModel\n\nx = 1\n",
                "from pydantic import BaseModel, Field\n\nx = 1\n",
            ),
            (
                "import os\n\nx = 1\n",
                "import os\nfrom pydantic import Field\n\nx = 1\n",
            ),
        ];
        for (before, after) in cases {
            with_module(before, |module, _| {
                let edit = ensure_from_import(module, before, "pydantic", "Field").unwrap();
                assert_eq!(apply_edits(before, &[edit]).unwrap(), after);
            });
        }
        let done = "from pydantic import Field\n";
        with_module(done, |module, _| {
            assert!(ensure_from_import(module, done, "pydantic", "Field").is_none())
        });
    }

    #[test]
    fn route_handlers_are_found_by_their_decorators() {
        let text = "@router.post('/items')\nasync def create():\n    pass\n\n@functools.cache\ndef helper():\n    pass\n\n@app.route('/')\ndef index():\n    pass\n";
        with_module(text, |_, root| {
            let mut functions = Vec::new();
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                if node.kind_name() == "function_definition" {
                    functions.push(node);
                }
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
            let handlers: Vec<bool> = functions
                .iter()
                .map(|function| is_route_handler(text, *function))
                .collect();
            assert_eq!(handlers.iter().filter(|is| **is).count(), 2);
        });
    }
}

#[cfg(test)]
mod opaque_walk_tests {
    use super::*;
    use crate::kind::FileKind;
    use crate::parse::parse;

    /// The builders and annotations of each top-level statement of `text`,
    /// by a walk that skips the opaque kinds and by one that enters every
    /// node.
    fn both_walks(text: &str) -> Vec<(StatementFacts, StatementFacts, usize, usize)> {
        let tree = parse(FileKind::Python, text, None).unwrap();
        children(tree.root_node())
            .into_iter()
            .map(|node| {
                let (mut pruned, mut whole) =
                    (StatementFacts::default(), StatementFacts::default());
                let met_pruned = walk_statement(node, text, &mut pruned, None);
                let met_whole = walk_statement(node, text, &mut whole, Some(&mut |_| {}));
                (pruned, whole, met_pruned, met_whole)
            })
            .collect()
    }

    fn builders(facts: &StatementFacts) -> (&[(String, String)], &[String]) {
        (&facts.builders, &facts.body_annotations)
    }

    #[test]
    fn every_opaque_kind_is_a_python_kind() {
        let language = FileKind::Python.language().unwrap();
        for kind in OPAQUE_KINDS.iter().chain(IMPORT_PARENTS) {
            assert_ne!(language.id_for_node_kind(kind, true), 0, "{kind}");
        }
    }

    #[test]
    fn imports_are_found_in_every_compound_statement() {
        let text = r#"
import a
if x:
    import b
elif y:
    import c
else:
    import d
for i in items:
    import e
while w:
    import f
try:
    import g
except ImportError:
    import h
finally:
    import i
with lock:
    import j
match command:
    case _:
        import k
def fn():
    import l
class C:
    import m
@decorate
def decorated():
    import n
x = 1
"#;
        let tree = parse(FileKind::Python, text, None).unwrap();
        let mut imports = Vec::new();
        for node in children(tree.root_node()) {
            collect_imports(node, text, &mut imports);
        }
        let names: Vec<&str> = imports.iter().map(|(local, _)| local.as_str()).collect();
        // `case` bodies were never looked into.
        assert_eq!(
            names,
            [
                "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "l", "m", "n"
            ]
        );
    }

    #[test]
    fn a_walk_past_expressions_finds_what_a_walk_of_every_node_finds() {
        let text = r#"
import httpx
from requests import Session as S

client = httpx.Client()
a = b = S()
x, y = make(), other()

@app.post("/items")
async def create(item: Item, q: str = Query(None)):
    session = S()
    async with httpx.AsyncClient() as http, open(path) as handle:
        data = await http.get(url)
    try:
        conn = connect(dsn)
    except (OSError, ValueError) as error:
        log = get_logger()
    match command:
        case Point(x=0) as point:
            found = lookup(point)
    def inner():
        nested = httpx.Client()
    handler = lambda request: respond(request)
    values = [build(v) for v in items if check(v)]
    return {"session": session, "items": [make(i) for i in values]}

class Service(Base):
    pool = create_pool(size=4)

    def __init__(self):
        self.client = httpx.Client(timeout=5)
        with lock() as held:
            self.cache = Cache()

if __name__ == "__main__":
    engine = create_engine(url)
    for row in rows:
        while True:
            item = fetch(row)
"#;
        let walks = both_walks(text);
        let mut builders_found = 0;
        for (pruned, whole, met_pruned, met_whole) in &walks {
            assert_eq!(builders(pruned), builders(whole));
            assert!(met_pruned <= met_whole);
            builders_found += pruned.builders.len();
        }
        // client, b, session, http, handle, data, conn, log, found,
        // nested, pool, self.client, held, self.cache, engine, item.
        assert_eq!(builders_found, 16);
        let (met_pruned, met_whole) = walks
            .iter()
            .fold((0, 0), |(a, b), walk| (a + walk.2, b + walk.3));
        assert!(met_pruned * 2 < met_whole, "{met_pruned} of {met_whole}");
    }

    #[test]
    fn a_node_holding_a_syntax_error_is_walked_whole() {
        // What error recovery leaves inside an expression is entered: here
        // the `as` binding of the case below, in a call holding an error.
        let walks = both_walks("f(open(path) as handle, ])\n");
        assert_eq!(builders(&walks[0].0), builders(&walks[0].1));
        assert_eq!(walks[0].0.builders.len(), 1);
    }

    #[test]
    fn module_bindings_are_found_past_expressions_in_fewer_nodes() {
        let text = r#"
import httpx
client = httpx.Client(timeout=httpx.Timeout(5, connect=[1, 2, 3]))
a = b = make({"key": [value(i) for i in range(10)]})
if settings.debug:
    engine = create_engine(url, echo=True)
else:
    engine = create_engine(url)
for name in names:
    total = compute(name, factor=scale(2))
with open(path) as handle:
    data = handle.read()
try:
    pool = connect(dsn)
except (OSError, ValueError) as error:
    pool = None
def helper():
    hidden = httpx.Client()
handler = lambda request: respond(request)
"#;
        let tree = parse(FileKind::Python, text, None).unwrap();
        let (mut bindings, mut met, mut nodes) = (Vec::new(), 0, 0);
        for node in children(tree.root_node()) {
            let (found, count) = collect_module_bindings(node, text);
            bindings.extend(found.into_iter().map(|(name, _)| name));
            met += count;
            nodes += node.descendant_count();
        }
        assert_eq!(
            bindings,
            [
                "client", "a", "b", "engine", "engine", "total", "data", "handle", "pool", "error",
                "pool", "handler"
            ]
        );
        assert!(met * 2 < nodes, "{met} of {nodes}");
    }

    /// The one difference: `a as b` where Python accepts no `as` (tree-sitter
    /// parses it without an error), which a walk past expressions misses.
    #[test]
    fn an_as_binding_inside_an_expression_is_not_walked_to() {
        let walks = both_walks("f(open(path) as handle)\n");
        assert!(walks[0].0.builders.is_empty());
        assert_eq!(walks[0].1.builders.len(), 1);
    }
}
