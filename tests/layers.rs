//! Layers that cannot be crossed: no import circle between the source files
//! of a crate, no import from a higher layer into a lower one, and only the
//! disk layer of the core uses `std::fs`.
//!
//! The layer maps below are the ones `ARCHITECTURE.md` states ("Layers and
//! invariants"); a new top-level module fails [`every_module_has_a_layer`]
//! until it is given a layer in both places.
//!
//! How a file's dependencies are found: every `.rs` file under a crate's
//! `src/` is parsed with `syn` (so comments and strings never count), and
//! every path in it is resolved to the file that defines its target:
//! `use crate::…`, `crate::…`, `super::…`, `self::…` and `shipshape_<crate>::…`
//! paths naming the crate itself, names bound by a `use` of the file, child
//! modules named from their parent, and `crate::…`-style paths inside macro
//! calls (read token by token). A path that ends at a name a module re-exports
//! or imports (`pub use workspace::Workspace`) is followed to the file that
//! defines it. Not counted as dependencies: `mod x;` declarations, and
//! re-exports of a module's own children (`pub use check::Finding` in
//! `lib.rs`) — a re-export of anything else is a dependency of the file that
//! re-exports it —, and code under `#[cfg(test)]` or `#[test]` (a unit test
//! may run the engine above the module it tests). Paths into other crates (`std`, `tree_sitter`,
//! `shipshape_core` from the LSP crate) are not edges here: Cargo already
//! forbids circles between crates.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
};

use proc_macro2::{TokenStream, TokenTree};
use shipshape_tests::{files_under, repo_root};
use syn::visit::Visit;

/// A module path inside a crate: `["project", "workspace"]`; the crate root
/// is the empty path.
type ModPath = Vec<String>;

/// A crate's source files, by path relative to `src/` with `/` separators.
struct CrateSource {
    /// The crate's name as Rust code spells it (`shipshape_core`).
    name: String,
    files: BTreeMap<String, String>,
}

impl CrateSource {
    fn read(dir: &str, name: &str) -> CrateSource {
        let src = repo_root().join(dir).join("src");
        let files = files_under(&src)
            .into_iter()
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .map(|path| {
                let relative = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (relative, fs::read_to_string(&path).unwrap())
            })
            .collect();
        CrateSource {
            name: name.to_string(),
            files,
        }
    }
}

/// The module path of a file: `lib.rs`/`main.rs` → root, `a/mod.rs` and
/// `a.rs` → `a`, `a/b.rs` → `a::b`.
fn module_of(file: &str) -> ModPath {
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    let mut parts: ModPath = stem.split('/').map(str::to_string).collect();
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        return Vec::new();
    }
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// One name a `use` binds in a module.
#[derive(Clone)]
struct Binding {
    /// The absolute path it names, when it is inside the crate.
    target: Option<ModPath>,
}

/// What one file says, before resolution: the modules it defines (itself
/// and inline `mod x { … }`), the names they bind, and the paths it uses.
#[derive(Default)]
struct FileFacts {
    /// Modules defined in this file (the file's own and inline ones).
    modules: Vec<ModPath>,
    /// `(module, name) → binding` of every `use` in the file.
    bindings: BTreeMap<(ModPath, String), Binding>,
    /// Every path used, with the module it is used in and whether it is
    /// the target of a `pub use` re-export.
    uses: Vec<Use>,
    /// Paths that name `std::fs`, outside `#[cfg(test)]` code.
    fs_uses: Vec<String>,
}

struct Use {
    module: ModPath,
    segments: Vec<String>,
    /// A re-export (`pub use`, `pub(crate) use`).
    reexport: bool,
}

struct Collector<'a> {
    crate_name: &'a str,
    module: ModPath,
    in_test: usize,
    facts: FileFacts,
}

/// `#[cfg(test)]` (or any `cfg` that names `test`).
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| match &attr.meta {
        syn::Meta::List(list) => {
            list.path.is_ident("cfg")
                && list
                    .tokens
                    .clone()
                    .into_iter()
                    .any(|token| matches!(token, TokenTree::Ident(ident) if ident == "test"))
        }
        _ => false,
    })
}

impl Collector<'_> {
    fn record(&mut self, segments: Vec<String>, reexport: bool) {
        if segments.len() >= 2 && segments[0] == "std" && segments[1] == "fs" && self.in_test == 0 {
            self.facts.fs_uses.push(segments.join("::"));
        }
        // Unit tests may drive the engine above the module they test.
        if self.in_test > 0 {
            return;
        }
        self.facts.uses.push(Use {
            module: self.module.clone(),
            segments,
            reexport,
        });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>, reexport: bool) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(&path.tree, prefix, reexport);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let ident = name.ident.to_string();
                let mut full = prefix.clone();
                if ident != "self" {
                    full.push(ident.clone());
                }
                let bound = if ident == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    ident
                };
                self.bind(bound, full.clone());
                self.record(full, reexport);
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                let ident = rename.ident.to_string();
                if ident != "self" {
                    full.push(ident);
                }
                self.bind(rename.rename.to_string(), full.clone());
                self.record(full, reexport);
            }
            syn::UseTree::Glob(_) => self.record(prefix.clone(), reexport),
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(item, prefix, reexport);
                }
            }
        }
    }

    fn bind(&mut self, name: String, path: Vec<String>) {
        self.facts
            .bindings
            .insert((self.module.clone(), name), Binding { target: Some(path) });
    }

    /// `crate :: a :: b`-shaped runs of tokens inside a macro call.
    fn macro_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut index = 0;
        while index < tokens.len() {
            match &tokens[index] {
                TokenTree::Group(group) => {
                    self.macro_tokens(group.stream());
                    index += 1;
                }
                TokenTree::Ident(ident) => {
                    let mut segments = vec![ident.to_string()];
                    let mut next = index + 1;
                    while let (
                        Some(TokenTree::Punct(a)),
                        Some(TokenTree::Punct(b)),
                        Some(TokenTree::Ident(part)),
                    ) = (tokens.get(next), tokens.get(next + 1), tokens.get(next + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(part.to_string());
                        next += 3;
                    }
                    if segments.len() >= 2 {
                        self.record(segments, false);
                    }
                    index = next;
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => index += 1,
            }
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let test = is_cfg_test(&item.attrs);
        self.in_test += usize::from(test);
        if let Some((_, items)) = &item.content {
            self.module.push(item.ident.to_string());
            self.facts.modules.push(self.module.clone());
            for item in items {
                self.visit_item(item);
            }
            self.module.pop();
        }
        self.in_test -= usize::from(test);
    }

    fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
        // A `#[macro_export]` macro is named at the crate root but defined here.
        if let Some(ident) = &item.ident
            && item
                .attrs
                .iter()
                .any(|attr| attr.path().is_ident("macro_export"))
        {
            let mut target = vec!["crate".to_string()];
            target.extend(self.module.iter().cloned());
            target.push(ident.to_string());
            self.facts.bindings.insert(
                (Vec::new(), ident.to_string()),
                Binding {
                    target: Some(target),
                },
            );
        }
        syn::visit::visit_item_macro(self, item);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let test = is_cfg_test(&item.attrs) || item.attrs.iter().any(|a| a.path().is_ident("test"));
        self.in_test += usize::from(test);
        syn::visit::visit_item_fn(self, item);
        self.in_test -= usize::from(test);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let reexport = !matches!(item.vis, syn::Visibility::Inherited);
        let test = is_cfg_test(&item.attrs);
        self.in_test += usize::from(test);
        self.use_tree(&item.tree, &mut Vec::new(), reexport);
        self.in_test -= usize::from(test);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if path.leading_colon.is_none() {
            self.record(segments, false);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.macro_tokens(mac.tokens.clone());
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {
        // `pub(crate)` and `pub(super)` name no dependency.
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Attributes (`#[derive(…)]`, `#[serde(…)]`, doc comments) name no
        // module of the crate.
    }
}

/// Why one file depends on another: the first path that made it so.
type Edges = BTreeMap<String, BTreeMap<String, String>>;

/// A crate's file graph and the `std::fs` uses of each file.
struct Graph {
    edges: Edges,
    fs_uses: BTreeMap<String, Vec<String>>,
}

/// Resolves every path of every file of a crate to the file that defines
/// its target.
fn graph(krate: &CrateSource) -> Result<Graph, String> {
    let mut module_file: BTreeMap<ModPath, String> = BTreeMap::new();
    let mut all_facts = BTreeMap::new();
    let mut bindings: BTreeMap<(ModPath, String), Binding> = BTreeMap::new();
    for (file, text) in &krate.files {
        let parsed = syn::parse_file(text).map_err(|error| format!("{file}: {error}"))?;
        let own = module_of(file);
        let mut collector = Collector {
            crate_name: &krate.name,
            module: own.clone(),
            in_test: 0,
            facts: FileFacts::default(),
        };
        collector.facts.modules.push(own);
        collector.visit_file(&parsed);
        let _ = collector.crate_name;
        for module in &collector.facts.modules {
            module_file.insert(module.clone(), file.clone());
        }
        bindings.extend(
            collector
                .facts
                .bindings
                .iter()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
        all_facts.insert(file.clone(), collector.facts);
    }
    let resolver = Resolver {
        crate_name: &krate.name,
        module_file: &module_file,
        bindings: &bindings,
    };
    let mut edges: Edges = BTreeMap::new();
    let mut fs_uses = BTreeMap::new();
    for (file, facts) in &all_facts {
        let out = edges.entry(file.clone()).or_default();
        for used in &facts.uses {
            let Some(absolute) = resolver.absolute(&used.module, &used.segments) else {
                continue;
            };
            // A re-export of the module's own descendant is not a dependency.
            if used.reexport
                && absolute.starts_with(&used.module)
                && absolute.len() > used.module.len()
            {
                continue;
            }
            let Some(target) = resolver.file_of(&absolute, 0) else {
                continue;
            };
            if &target != file {
                out.entry(target)
                    .or_insert_with(|| used.segments.join("::"));
            }
        }
        if !facts.fs_uses.is_empty() {
            fs_uses.insert(file.clone(), facts.fs_uses.clone());
        }
    }
    Ok(Graph { edges, fs_uses })
}

struct Resolver<'a> {
    crate_name: &'a str,
    module_file: &'a BTreeMap<ModPath, String>,
    bindings: &'a BTreeMap<(ModPath, String), Binding>,
}

impl Resolver<'_> {
    /// The absolute module path a path written in `module` names, or `None`
    /// when it leaves the crate (or names a local item of `module` itself).
    fn absolute(&self, module: &ModPath, segments: &[String]) -> Option<ModPath> {
        self.absolute_at(module, segments, 0)
    }

    fn absolute_at(&self, module: &ModPath, segments: &[String], depth: usize) -> Option<ModPath> {
        if depth > 16 {
            return None;
        }
        let (first, rest) = segments.split_first()?;
        let mut base: ModPath;
        let mut rest = rest;
        match first.as_str() {
            "crate" => base = Vec::new(),
            name if name == self.crate_name => base = Vec::new(),
            "self" => base = module.clone(),
            "super" => {
                base = module.clone();
                base.pop();
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
            }
            name => {
                let mut child = module.clone();
                child.push(name.to_string());
                if self.module_file.contains_key(&child) {
                    base = child;
                } else if let Some(binding) = self.bindings.get(&(module.clone(), name.to_string()))
                {
                    let target = binding.target.as_ref()?;
                    base = self.absolute_at(module, target, depth + 1)?;
                } else {
                    return None;
                }
            }
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines what an absolute path names, following names
    /// that a module binds with `use`.
    fn file_of(&self, absolute: &ModPath, depth: usize) -> Option<String> {
        let mut prefix = absolute.clone();
        while !self.module_file.contains_key(&prefix) {
            prefix.pop();
        }
        if depth < 16 && absolute.len() > prefix.len() {
            let name = &absolute[prefix.len()];
            if let Some(binding) = self.bindings.get(&(prefix.clone(), name.clone())) {
                let target = binding.target.as_ref()?;
                if let Some(mut next) = self.absolute(&prefix, target) {
                    next.extend(absolute[prefix.len() + 1..].iter().cloned());
                    if next != *absolute {
                        return self.file_of(&next, depth + 1);
                    }
                }
            }
        }
        self.module_file.get(&prefix).cloned()
    }
}

/// The strongly connected components with more than one file (Tarjan).
fn cycles(edges: &Edges) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a Edges,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        let targets: Vec<&'a str> = state
            .edges
            .get(node)
            .map(|out| out.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for target in targets {
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[node].min(state.low[target]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.low[node].min(state.index[target]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}

/// One concrete circle through the files of a component, each step with
/// the path that makes it, for the failure message.
fn describe_cycle(edges: &Edges, component: &[String]) -> String {
    let members: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    let start = component[0].as_str();
    // Breadth-first from `start` back to `start` inside the component.
    let mut previous: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut end = None;
    'search: while let Some(node) = queue.pop_front() {
        for target in edges[node].keys().map(String::as_str) {
            if !members.contains(target) {
                continue;
            }
            if target == start {
                end = Some(node);
                break 'search;
            }
            if !previous.contains_key(target) {
                previous.insert(target, node);
                queue.push_back(target);
            }
        }
    }
    let mut path = vec![start];
    let mut node = end.unwrap_or(start);
    while node != start {
        path.push(node);
        node = previous[node];
    }
    path.push(start);
    path.reverse();
    path.windows(2)
        .map(|step| format!("  {} -> {} ({})", step[0], step[1], edges[step[0]][step[1]]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Layers of a crate, bottom first: each a name and the top-level modules
/// in it (a file belongs to the layer of its top-level module; `""` is the
/// crate root).
type Layers = &'static [(&'static str, &'static [&'static str])];

const CORE_LAYERS: Layers = &[
    (
        "text, kinds and parsing",
        &["text", "kind", "parse", "fix", "emit", "stats", "work"],
    ),
    (
        "file models",
        &["python", "dockerfile", "compose", "pragmas"],
    ),
    ("project model", &["project"]),
    (
        "rules and engine",
        &[
            "finding",
            "settings",
            "hook",
            "rule",
            "registry",
            "predicates",
            "hooks",
            "check",
            "incremental",
            "suppress",
            "fixall",
            "fingerprint",
            "docs",
            "user_rules",
            "fixture",
        ],
    ),
    ("analysis host", &["config", "report", "workspace", ""]),
];

const LSP_LAYERS: Layers = &[
    (
        "conversions",
        &["blocking", "convert", "settings", "document", "transport"],
    ),
    ("state", &["state", "session", "workspace_state", "status"]),
    (
        "workers",
        &[
            "publish",
            "diagnostics",
            "cross_file",
            "folders",
            "workspace",
        ],
    ),
    ("handlers", &["actions", "hover", "server", ""]),
];

const CLI_LAYERS: Layers = &[
    (
        "arguments and records",
        &["args", "checked", "atomic", "cache", "baseline"],
    ),
    ("outputs", &["output"]),
    (
        "commands",
        &["check", "report", "test_rules", "new_rule", ""],
    ),
];

/// The layer index of a file, or `None` when its top-level module has none.
fn layer_of(layers: Layers, file: &str) -> Option<usize> {
    let module = module_of(file);
    let top = module.first().map_or("", String::as_str);
    layers
        .iter()
        .position(|(_, modules)| modules.contains(&top))
}

/// Every problem of a crate's graph: circles, and imports from a higher
/// layer into a lower one.
fn problems(krate: &CrateSource, layers: Layers, known: &[(&str, &str)]) -> Vec<String> {
    let mut graph = match graph(krate) {
        Ok(graph) => graph,
        Err(error) => return vec![error],
    };
    let mut problems = Vec::new();
    for (from, to) in known {
        let removed = graph.edges.get_mut(*from).and_then(|out| out.remove(*to));
        if removed.is_none() {
            problems.push(format!(
                "{}: the known edge {from} -> {to} is gone: remove it from the KNOWN list",
                krate.name
            ));
        }
    }
    for component in cycles(&graph.edges) {
        problems.push(format!(
            "import circle in {} between {}:\n{}",
            krate.name,
            component.join(", "),
            describe_cycle(&graph.edges, &component)
        ));
    }
    for (file, out) in &graph.edges {
        let Some(from) = layer_of(layers, file) else {
            continue;
        };
        for (target, why) in out {
            let Some(to) = layer_of(layers, target) else {
                continue;
            };
            if to > from {
                problems.push(format!(
                    "{}: {file} (layer `{}`) imports {target} (higher layer `{}`) by `{why}`",
                    krate.name, layers[from].0, layers[to].0
                ));
            }
        }
    }
    problems
}

type Known = &'static [(&'static str, &'static str)];

/// Edges that still cross a layer or close a circle, per crate: the debt
/// left from before the layers were enforced. The list may only shrink — a
/// listed edge that no longer exists fails the test until it is removed
/// here — and nothing may be added to it.
const CORE_KNOWN: Known = &[];

const LSP_KNOWN: Known = &[];

const CLI_KNOWN: Known = &[];

fn crates() -> [(CrateSource, Layers, Known); 3] {
    [
        (
            CrateSource::read("server/shipshape-core", "shipshape_core"),
            CORE_LAYERS,
            CORE_KNOWN,
        ),
        (
            CrateSource::read("server/shipshape-lsp", "shipshape_lsp"),
            LSP_LAYERS,
            LSP_KNOWN,
        ),
        (
            CrateSource::read("server/shipshape", "shipshape"),
            CLI_LAYERS,
            CLI_KNOWN,
        ),
    ]
}

#[test]
fn no_import_circle_and_no_import_from_a_higher_layer() {
    let mut all = Vec::new();
    for (krate, layers, known) in crates() {
        all.extend(problems(&krate, layers, known));
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn every_module_has_a_layer() {
    let mut missing = Vec::new();
    for (krate, layers, _) in crates() {
        for file in krate.files.keys() {
            if layer_of(layers, file).is_none() {
                missing.push(format!("{}: {file}", krate.name));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "files in no layer (give their module a layer in tests/layers.rs and ARCHITECTURE.md):\n{}",
        missing.join("\n")
    );
}

/// The core's modules that may use `std::fs`: the project model, which
/// reads every file of a project (editor buffers replace its texts). Code
/// under `#[cfg(test)]` and `#[test]` is not counted (tests write fixtures).
const DISK_LAYER: &[&str] = &["project"];

#[test]
fn only_the_project_model_reads_the_disk() {
    let core = CrateSource::read("server/shipshape-core", "shipshape_core");
    let graph = graph(&core).unwrap();
    let offenders: Vec<String> = graph
        .fs_uses
        .iter()
        .filter(|(file, _)| {
            let module = module_of(file);
            !module
                .first()
                .is_some_and(|top| DISK_LAYER.contains(&top.as_str()))
        })
        .map(|(file, uses)| format!("{file}: {}", uses.join(", ")))
        .collect();
    assert!(
        offenders.is_empty(),
        "std::fs outside the disk layer ({DISK_LAYER:?}) of the core:\n{}",
        offenders.join("\n")
    );
}

/// Prints the graph (`cargo test --test layers print_graph -- --ignored --nocapture`).
#[test]
#[ignore = "a tool, not a check"]
fn print_graph() {
    for (krate, _, _) in crates() {
        let graph = graph(&krate).unwrap();
        for (file, out) in &graph.edges {
            for (target, why) in out {
                println!("{} {file} -> {target} ({why})", krate.name);
            }
        }
    }
}

fn synthetic(files: &[(&str, &str)]) -> CrateSource {
    CrateSource {
        name: "demo".to_string(),
        files: files
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect(),
    }
}

const DEMO_LAYERS: Layers = &[("low", &["a", "b"]), ("high", &["c", ""])];

#[test]
fn a_synthetic_circle_is_reported_with_its_files() {
    let krate = synthetic(&[
        ("lib.rs", "mod a; mod b; mod c; pub use a::A;"),
        ("a.rs", "use crate::b::B; pub struct A(B);"),
        ("b.rs", "pub struct B; fn f() -> super::a::A { todo!() }"),
        ("c.rs", ""),
    ]);
    let problems = problems(&krate, DEMO_LAYERS, &[]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("between a.rs, b.rs"), "{problems:?}");
    assert!(
        problems[0].contains("a.rs -> b.rs (crate::b::B)"),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("b.rs -> a.rs (super::a::A)"),
        "{problems:?}"
    );
}

#[test]
fn a_circle_through_a_reexport_a_macro_and_a_child_module_is_found() {
    // `c` names `a` through the root's re-export; `a` names `c` only inside
    // a macro call; `b` reaches `c` through a child-module path of the root.
    let krate = synthetic(&[
        ("lib.rs", "mod a; mod b; mod c; pub use c::C;"),
        ("a.rs", "fn f() { let _ = vec![crate::b::g()]; }"),
        ("b.rs", "pub fn g() -> crate::C { todo!() }"),
        ("c.rs", "use crate::a; pub struct C; fn h() { a::f(); }"),
    ]);
    let problems = problems(&krate, &[("one", &["a", "b", "c", ""])], &[]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("between a.rs, b.rs, c.rs"),
        "{problems:?}"
    );
}

#[test]
fn comments_strings_and_reexports_of_children_are_not_dependencies() {
    let krate = synthetic(&[
        ("lib.rs", "mod a; mod b; pub use a::A; pub use b::B;"),
        (
            "a.rs",
            "// use crate::b::B;\n/// [`crate::b::B`]\npub struct A; const S: &str = \"crate::b::B\";",
        ),
        ("b.rs", "use crate::a::A; pub struct B(A);"),
    ]);
    let problems = problems(&krate, &[("one", &["a", "b", ""])], &[]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn an_import_from_a_higher_layer_is_reported() {
    let krate = synthetic(&[
        ("lib.rs", "mod a; mod b; mod c;"),
        ("a.rs", "use crate::c::C;"),
        ("b.rs", ""),
        ("c.rs", "pub struct C; mod tests { use super::*; }"),
    ]);
    let problems = problems(&krate, DEMO_LAYERS, &[]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .contains("a.rs (layer `low`) imports c.rs (higher layer `high`) by `crate::c::C`"),
        "{problems:?}"
    );
}

#[test]
fn std_fs_outside_tests_is_seen() {
    let krate = synthetic(&[
        ("lib.rs", "mod a;"),
        (
            "a.rs",
            "use std::{fs, io};\nfn f() { let _ = std::fs::read(\"x\"); }\n#[cfg(test)]\nmod tests { use std::fs::write; }",
        ),
    ]);
    let graph = graph(&krate).unwrap();
    assert_eq!(graph.fs_uses["a.rs"], vec!["std::fs", "std::fs::read"]);
}
