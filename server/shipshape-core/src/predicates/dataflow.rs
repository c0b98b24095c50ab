//! Local dataflow: the expressions whose values flow into an expression,
//! within its function (or its top-level statement outside any function)
//! and through the module's top-level assignments.
//!
//! A name flows from the values assigned to it before the use (`x = ...`,
//! `x += ...`, `x: str = ...`, `(x := ...)`), back to the last plain
//! assignment in a block that holds the use (one in another branch does not
//! hide the ones before it); a name the function does not bind comes from
//! the module's top-level assignments (module facts, read by key). A value
//! flows on through `+`, `%`, f-string interpolations, `.format(...)`,
//! `"...".join(...)`, parentheses and the items of a list, tuple or set.
//! What is not followed (a parameter, a `for` or `with` target, a call, an
//! attribute such as `settings.DEBUG`) is a leaf.
//!
//! Cost: the assignments of a scope are indexed once per check (one walk of
//! the scope, shared by every question asked in it, [`HookCx::flow_index`]),
//! and one question follows at most [`MAX_VALUES`] expressions. Everything
//! it reads lies in the match's own top-level statement or in module facts
//! read by key, so the incremental check re-runs it when what it read
//! changes.

use crate::python::PythonNode as _;
use std::ops::Range;

use tree_sitter::Node;

use crate::check::{FlowAssignment, FlowIndex, HookCx, ScopeView};

/// How many expressions one question follows at most.
pub(crate) const MAX_VALUES: usize = 64;

/// An expression that flows into the one asked about.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Flowed<'t> {
    pub node: Node<'t>,
    /// Nothing is followed through it: a literal (a string is a leaf and
    /// its interpolations flow on), a call, an attribute, a name bound by
    /// something other than an assignment.
    pub leaf: bool,
    /// It reached the expression as an operand of `+`, `%`, `.format(...)`
    /// or `.join(...)`, or of an augmented assignment: combined with other
    /// text rather than being the whole value.
    pub combined: bool,
}

/// Every expression whose value flows into `start` (`start` first), at most
/// [`MAX_VALUES`], breadth first.
pub(crate) fn flow<'a: 't, 't>(cx: &HookCx<'a>, start: Node<'t>) -> Vec<Flowed<'t>> {
    let mut out: Vec<Flowed<'t>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut queue = std::collections::VecDeque::from([(start, false)]);
    while let Some((node, combined)) = queue.pop_front() {
        if out.len() >= MAX_VALUES {
            break;
        }
        if !seen.insert(node.id()) {
            continue;
        }
        crate::work::nodes(1);
        let (parts, leaf) = parts(cx, node, combined);
        out.push(Flowed {
            node,
            leaf,
            combined,
        });
        queue.extend(parts);
    }
    out
}

/// Whether the dict passed as `**expression` may hold one of `keys`. Yes,
/// unless local dataflow in the function around the call sees every value
/// it can hold: dict displays with literal keys (`{"headers": h}`, no
/// `**other` inside) and `dict(...)` calls with keyword arguments only,
/// reached through names the function binds and never changes in place (no
/// method called on them, no item assigned, not passed to a call — any of
/// which may add the key: `kwargs.setdefault("timeout", 10)`). A parameter,
/// an attribute (`**self._kwargs`), a module-level dict (which other code
/// may change) or anything else is unknown and may hold them.
pub(crate) fn splat_may_hold<'a: 't, 't>(
    cx: &HookCx<'a>,
    expression: Node<'t>,
    keys: &[&str],
) -> bool {
    let Some(function) = cx.enclosing_function(expression) else {
        return true;
    };
    let index = cx.flow_index(function, || index_scope(cx, function));
    let inside = function.byte_range();
    let flowed = flow(cx, expression);
    if flowed.len() >= MAX_VALUES {
        return true;
    }
    let literal_key = |key: Node<'_>| -> Option<String> {
        (key.kind_name() == "string")
            .then(|| crate::python::string_value(cx.file.text, key))
            .flatten()
    };
    for flowed in flowed {
        let node = flowed.node;
        if node.start_byte() < inside.start || node.end_byte() > inside.end {
            return true;
        }
        match node.kind_name() {
            "identifier" => {
                let changed = index
                    .get(cx.text(node))
                    .is_some_and(|entries| entries.iter().any(|entry| entry.mutates));
                if flowed.leaf || changed {
                    return true;
                }
            }
            "parenthesized_expression" => {}
            "dictionary" => {
                let mut cursor = node.walk();
                for item in node.named_children(&mut cursor) {
                    match item.kind_name() {
                        "comment" => {}
                        "pair" => {
                            let Some(key) = item.field("key").and_then(literal_key) else {
                                return true;
                            };
                            if keys.contains(&key.as_str()) {
                                return true;
                            }
                        }
                        _ => return true,
                    }
                }
            }
            "call" => {
                let is_dict = node
                    .field("function")
                    .is_some_and(|function| cx.text(function) == "dict");
                let Some(arguments) = node.field("arguments") else {
                    return true;
                };
                if !is_dict {
                    return true;
                }
                let mut cursor = arguments.walk();
                for argument in arguments.named_children(&mut cursor) {
                    match argument.kind_name() {
                        "comment" => {}
                        "keyword_argument" => {
                            let name = argument.field("name").map(|name| cx.text(name));
                            if name.is_none_or(|name| keys.contains(&name)) {
                                return true;
                            }
                        }
                        _ => return true,
                    }
                }
            }
            _ => return true,
        }
    }
    false
}

/// What flows into `node` directly (each with whether it is combined), and
/// whether `node` is (also) a leaf.
fn parts<'a: 't, 't>(
    cx: &HookCx<'a>,
    node: Node<'t>,
    combined: bool,
) -> (Vec<(Node<'t>, bool)>, bool) {
    let text = |node: Node<'_>| cx.text(node);
    let children = |node: Node<'t>| {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|child| child.kind_name() != "comment")
            .collect::<Vec<_>>()
    };
    match node.kind_name() {
        "parenthesized_expression" => (
            children(node).into_iter().map(|n| (n, combined)).collect(),
            false,
        ),
        "list" | "tuple" | "set" | "expression_list" => (
            children(node).into_iter().map(|n| (n, combined)).collect(),
            false,
        ),
        "string" | "concatenated_string" => {
            // The string is a leaf (its text), and what it interpolates
            // flows on.
            let mut found = Vec::new();
            let mut stack = vec![node];
            while let Some(current) = stack.pop() {
                if current.kind_name() == "interpolation" {
                    if let Some(expression) = current.named_child(0) {
                        found.push((expression, combined));
                    }
                    continue;
                }
                let mut cursor = current.walk();
                stack.extend(current.named_children(&mut cursor));
            }
            (found, true)
        }
        "binary_operator" => {
            let operator = node.field("operator").map(text);
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return (Vec::new(), true);
            };
            match operator {
                Some("+") => (vec![(left, true), (right, true)], false),
                Some("%") => {
                    let mut found = vec![(left, true)];
                    match right.kind_name() {
                        "dictionary" => found.extend(
                            children(right)
                                .into_iter()
                                .filter_map(|pair| pair.field("value"))
                                .map(|value| (value, true)),
                        ),
                        _ => found.push((right, true)),
                    }
                    (found, false)
                }
                _ => (Vec::new(), true),
            }
        }
        "call" => {
            let Some(function) = node.field("function") else {
                return (Vec::new(), true);
            };
            let method = (function.kind_name() == "attribute")
                .then(|| function.field("attribute"))
                .flatten()
                .map(text);
            let object = function.field("object");
            let arguments = node.field("arguments").map(children).unwrap_or_default();
            let on_string = object.is_some_and(|object| {
                matches!(
                    object.kind_name(),
                    "string" | "concatenated_string" | "identifier"
                )
            });
            match method {
                Some("format") if on_string => {
                    let mut found: Vec<(Node<'t>, bool)> =
                        object.into_iter().map(|object| (object, true)).collect();
                    for argument in arguments {
                        let value = match argument.kind_name() {
                            "keyword_argument" => argument.field("value"),
                            _ => Some(argument),
                        };
                        found.extend(value.map(|value| (value, true)));
                    }
                    (found, false)
                }
                Some("join")
                    if object.is_some_and(|object| {
                        matches!(object.kind_name(), "string" | "concatenated_string")
                    }) && arguments.len() == 1 =>
                {
                    let argument = arguments[0];
                    let joined = match argument.kind_name() {
                        // `", ".join("?" for _ in ids)`: the item's expression.
                        "generator_expression" | "list_comprehension" => argument.field("body"),
                        _ => Some(argument),
                    };
                    (joined.into_iter().map(|item| (item, true)).collect(), false)
                }
                _ => (Vec::new(), true),
            }
        }
        "identifier" => {
            let (values, opaque) = assigned_values(cx, node);
            let leaf = opaque || values.is_empty();
            (values, leaf)
        }
        _ => (Vec::new(), true),
    }
}

/// The values assigned to the name `use_` that reach it (each with whether
/// it comes from an augmented assignment), and whether something else may
/// reach it too (a parameter, a `for` target, an unbound name).
fn assigned_values<'a: 't, 't>(cx: &HookCx<'a>, use_: Node<'t>) -> (Vec<(Node<'t>, bool)>, bool) {
    let name = cx.text(use_);
    let ancestors: Vec<Node<'t>> = cx.ancestors(use_).collect();
    let functions = ancestors
        .iter()
        .filter(|ancestor| ancestor.kind_name() == "function_definition");
    let mut in_function = false;
    for function in functions {
        in_function = true;
        let index = cx.flow_index(*function, || index_scope(cx, *function));
        if let Some(entries) = bindings(&index, name) {
            return reaching(*function, entries, use_);
        }
    }
    let statement = ancestors.last().copied();
    if !in_function
        && let Some(statement) = statement
        // A compound statement (`with`, `if`, `for`, `try`): a simple one
        // binds nothing before its own expression (and a literal table
        // must not be walked for a question asked in one of its records).
        && !matches!(
            statement.kind_name(),
            "function_definition"
                | "class_definition"
                | "decorated_definition"
                | "expression_statement"
        )
    {
        let index = cx.flow_index(statement, || index_scope(cx, statement));
        if let Some(entries) = bindings(&index, name) {
            let (values, opaque) = reaching(statement, entries, use_);
            if !opaque {
                return (values, false);
            }
            // Only augmented assignments (or none) before the use in its
            // statement: the module's value before it flows in too.
            let mut values = values;
            let (module, opaque) = module_values(cx, name, statement.start_byte());
            values.extend(module);
            return (values, opaque);
        }
    }
    // A module-level name: its top-level assignments (before the use's
    // statement when the use runs at module level).
    let before = if in_function {
        usize::MAX
    } else {
        statement.map_or(use_.start_byte(), |statement| statement.start_byte())
    };
    module_values(cx, name, before)
}

/// The values of the module's top-level assignments of `name` that start
/// before `before`, back to the last plain one, and whether it may hold
/// something else (no plain assignment found).
fn module_values<'a: 't, 't>(
    cx: &HookCx<'a>,
    name: &str,
    before: usize,
) -> (Vec<(Node<'t>, bool)>, bool) {
    let mut values = Vec::new();
    for (at, value, augmented) in cx.module_assignments(name).into_iter().rev() {
        if at >= before {
            continue;
        }
        values.push((value, augmented));
        if !augmented {
            return (values, false);
        }
    }
    (values, true)
}

/// The entries of `name` in a scope's index, when the scope binds it (an
/// entry that only mutates the name's object leaves it to the scope around).
fn bindings<'i>(
    index: &'i ScopeView<'_, Vec<FlowAssignment>>,
    name: &str,
) -> Option<&'i [FlowAssignment]> {
    index
        .get(name)
        .filter(|entries| entries.iter().any(|entry| !entry.mutates))
        .map(Vec::as_slice)
}

/// The entries of one name in a scope that reach `use_`, last first.
fn reaching<'t>(
    scope: Node<'t>,
    entries: &[FlowAssignment],
    use_: Node<'t>,
) -> (Vec<(Node<'t>, bool)>, bool) {
    let at = use_.start_byte();
    let holds = |block: &Range<usize>| block.start <= at && use_.end_byte() <= block.end;
    let mut values = Vec::new();
    for entry in entries.iter().rev() {
        if entry.mutates {
            continue;
        }
        let Some(range) = &entry.value else {
            if entry.at < at && holds(&entry.block) {
                return (values, true);
            }
            continue;
        };
        if range.end > at {
            continue;
        }
        if let Some(value) = scope.named_descendant_for_byte_range(range.start, range.end) {
            crate::work::nodes(1);
            values.push((value, entry.augmented));
        }
        if !entry.augmented && holds(&entry.block) {
            return (values, false);
        }
    }
    // Nothing in a block holding the use assigned it plainly: it may hold
    // what it held before (a parameter, a module-level value).
    (values, true)
}

/// The bindings of each name in `scope` (a function, or a top-level
/// statement), not looking into nested functions, lambdas and classes.
fn index_scope(cx: &HookCx<'_>, scope: Node<'_>) -> FlowIndex {
    let mut index = FlowIndex::new();
    let mut add = |name: &str, entry: FlowAssignment| {
        index.entry(name.to_string()).or_default().push(entry);
    };
    let mut stack: Vec<(Node<'_>, Range<usize>)> = Vec::new();
    if scope.kind_name() == "function_definition" {
        if let Some(parameters) = scope.field("parameters") {
            let mut cursor = parameters.walk();
            for parameter in parameters.named_children(&mut cursor) {
                let identifier = match parameter.kind_name() {
                    "identifier" => Some(parameter),
                    _ => parameter
                        .field("name")
                        .or_else(|| parameter.named_child(0))
                        .filter(|name| name.kind_name() == "identifier"),
                };
                if let Some(identifier) = identifier {
                    add(
                        cx.text(identifier),
                        FlowAssignment {
                            at: scope.start_byte(),
                            block: scope.byte_range(),
                            value: None,
                            augmented: false,
                            mutates: false,
                        },
                    );
                }
            }
        }
        if let Some(body) = scope.field("body") {
            stack.push((body, body.byte_range()));
        }
    } else {
        stack.push((scope, 0..usize::MAX));
    }
    let mut visited = 0;
    while let Some((node, block)) = stack.pop() {
        visited += 1;
        let kind = node.kind_name();
        if node.id() != scope.id()
            && matches!(kind, "function_definition" | "class_definition" | "lambda")
        {
            if let Some(name) = node.field("name") {
                add(
                    cx.text(name),
                    FlowAssignment {
                        at: node.start_byte(),
                        block: block.clone(),
                        value: None,
                        augmented: false,
                        mutates: false,
                    },
                );
            }
            continue;
        }
        let mutate = |object: Node<'_>, add: &mut dyn FnMut(&str, FlowAssignment)| {
            if object.kind_name() == "identifier" {
                add(
                    cx.text(object),
                    FlowAssignment {
                        at: object.start_byte(),
                        block: block.clone(),
                        value: None,
                        augmented: false,
                        mutates: true,
                    },
                );
            }
        };
        let opaque = |target: Node<'_>, add: &mut dyn FnMut(&str, FlowAssignment)| {
            let mut targets = vec![target];
            while let Some(target) = targets.pop() {
                if target.kind_name() == "identifier" {
                    add(
                        cx.text(target),
                        FlowAssignment {
                            at: target.start_byte(),
                            block: block.clone(),
                            value: None,
                            augmented: false,
                            mutates: false,
                        },
                    );
                } else if matches!(
                    target.kind_name(),
                    "pattern_list"
                        | "tuple_pattern"
                        | "list_pattern"
                        | "as_pattern_target"
                        | "parenthesized_expression"
                        | "list_splat_pattern"
                ) {
                    let mut cursor = target.walk();
                    targets.extend(target.named_children(&mut cursor));
                }
            }
        };
        // An item or attribute of the name's object (`NAME[key]`,
        // `NAME.attribute`), or the name itself.
        let mutated = |target: Node<'_>, add: &mut dyn FnMut(&str, FlowAssignment)| {
            let object = match target.kind_name() {
                "subscript" => target.field("value"),
                "attribute" => target.field("object"),
                _ => None,
            };
            if let Some(object) = object {
                mutate(object, add);
            }
        };
        match kind {
            "assignment" | "augmented_assignment" | "named_expression" => {
                let (left, right) = if kind == "named_expression" {
                    (node.field("name"), node.field("value"))
                } else {
                    (node.field("left"), node.field("right"))
                };
                match (left, right) {
                    (Some(left), Some(right)) if left.kind_name() == "identifier" => add(
                        cx.text(left),
                        FlowAssignment {
                            at: node.start_byte(),
                            block: block.clone(),
                            value: Some(right.byte_range()),
                            augmented: kind == "augmented_assignment",
                            mutates: false,
                        },
                    ),
                    (Some(left), Some(_)) => opaque(left, &mut add),
                    _ => {}
                }
                // `NAME[key] = value`, `NAME.attribute = value`.
                if let Some(left) = left {
                    mutated(left, &mut add);
                }
            }
            "delete_statement" => {
                let mut cursor = node.walk();
                for target in node.named_children(&mut cursor) {
                    mutated(target, &mut add);
                }
            }
            "call" => {
                // `NAME.method(...)` and `f(NAME)`: what the name holds may
                // change.
                if let Some(function) = node.field("function")
                    && function.kind_name() == "attribute"
                    && let Some(object) = function.field("object")
                    && object.kind_name() == "identifier"
                {
                    mutate(object, &mut add);
                }
                if let Some(arguments) = node.field("arguments") {
                    let mut cursor = arguments.walk();
                    for argument in arguments.named_children(&mut cursor) {
                        let argument = match argument.kind_name() {
                            "keyword_argument" => argument.field("value"),
                            _ => Some(argument),
                        };
                        if let Some(argument) = argument
                            && argument.kind_name() == "identifier"
                        {
                            mutate(argument, &mut add);
                        }
                    }
                }
            }
            "for_statement" | "for_in_clause" => {
                if let Some(left) = node.field("left") {
                    opaque(left, &mut add);
                }
            }
            "as_pattern" => {
                if let Some(alias) = node.field("alias") {
                    opaque(alias, &mut add);
                }
            }
            _ => {}
        }
        let inner = if kind == "block" {
            node.byte_range()
        } else {
            block
        };
        let mut cursor = node.walk();
        stack.extend(
            node.named_children(&mut cursor)
                .map(|child| (child, inner.clone())),
        );
    }
    crate::work::nodes(visited);
    for entries in index.values_mut() {
        entries.sort_by_key(|entry| entry.at);
    }
    index
}
