//! Predicates for Python rules: calls and their arguments, names through
//! imports, where code runs.

use tree_sitter::Node;

use super::def::{Arg, Param, PredicateDef, bind, node, regex, text, texts};
use crate::{
    check::{Captures, HookCx},
    kind::FileKind,
    python::{
        decorators, dotted_name, has_keyword_splat, is_async_function, is_main_guard,
        is_route_handler, keyword_argument, string_value,
    },
};

const PYTHON: &[FileKind] = &[FileKind::Python];

pub static PREDICATES: &[PredicateDef] = &[
    PredicateDef {
        name: "has-kwarg",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the call (or argument list) passes one of these keyword arguments, or `**kwargs` that may hold it",
        eval: has_kwarg,
    },
    PredicateDef {
        name: "kwarg-matches",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Text, Param::Regex],
        doc: "the call passes keyword argument NAME and the text of its value matches the regular expression",
        eval: kwarg_matches,
    },
    PredicateDef {
        name: "kwarg",
        binds: true,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Text, Param::Text],
        doc: "the call passes keyword argument NAME; binds the whole `NAME=value` to the capture named last",
        eval: kwarg,
    },
    PredicateDef {
        name: "resolves-to",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the name or attribute resolves through the module's imports and aliases to one of these dotted names (`requests.get`; `requests.*` for any member)",
        eval: resolves_to,
    },
    PredicateDef {
        name: "imports",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Texts],
        doc: "the module imports one of these packages or a submodule of one",
        eval: imports,
    },
    PredicateDef {
        name: "in-async",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the node runs in the body of an `async def` (not in a nested `def` or `lambda`)",
        eval: in_async,
    },
    PredicateDef {
        name: "in-main-guard",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the node is inside `if __name__ == \"__main__\":`",
        eval: in_main_guard,
    },
    PredicateDef {
        name: "string-matches",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Regex],
        doc: "the node is a string literal, or a name of a module constant holding one, whose value matches the regular expression",
        eval: string_matches,
    },
    PredicateDef {
        name: "built-by",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the object (a name, or an attribute such as `self.session`) was built by a call that resolves to one of these dotted names (`requests.Session`; `requests.*` for any member): the innermost function binding the name decides (a parameter says nothing), else the module's bindings",
        eval: built_by,
    },
    PredicateDef {
        name: "in-route-handler",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the node runs in the body of a web route handler (a function decorated with `@app.get(...)`, `@router.post(...)`, `@bp.route(...)`, `@app.websocket(...)`; not in a nested `def` or `lambda`)",
        eval: in_route_handler,
    },
    PredicateDef {
        name: "in-function-decorated",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the node runs in a function (at any depth, a method's class too) with a decorator that resolves through the imports to one of these dotted names (`tenacity.retry`; `backoff.*` for any member)",
        eval: in_function_decorated,
    },
];

/// The argument list of a call, or the node itself when it is one.
fn arguments(node: Node<'_>) -> Option<Node<'_>> {
    match node.kind() {
        "argument_list" => Some(node),
        "call" => node
            .child_by_field_name("arguments")
            .filter(|arguments| arguments.kind() == "argument_list"),
        "decorator" => {
            let mut cursor = node.walk();
            let call = node
                .named_children(&mut cursor)
                .find(|child| child.kind() == "call")?;
            arguments(call)
        }
        _ => None,
    }
}

fn has_kwarg<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    has_keyword_splat(arguments)
        || texts(args, 1).any(|name| keyword_argument(cx.file.text, arguments, name).is_some())
}

fn kwarg_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    let Some(value) = keyword_argument(cx.file.text, arguments, text(args, 1))
        .and_then(|argument| argument.child_by_field_name("value"))
    else {
        return false;
    };
    regex(args, 2).is_some_and(|regex| regex.is_match(cx.text(value)))
}

fn kwarg<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    match keyword_argument(cx.file.text, arguments, text(args, 1)) {
        Some(argument) => {
            bind(captures, args, argument.byte_range());
            true
        }
        None => false,
    }
}

/// Whether `name` is `pattern`, or a member of it when `pattern` ends in `.*`.
fn name_matches(name: &str, pattern: &str) -> bool {
    match pattern.strip_suffix(".*") {
        Some(prefix) => name
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.')),
        None => name == pattern,
    }
}

fn resolves_to<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    let Some(name) = cx
        .python()
        .qualify(cx.file.text, node)
        .or_else(|| dotted_name(cx.file.text, node))
    else {
        return false;
    };
    texts(args, 1).any(|pattern| name_matches(&name, pattern))
}

fn imports<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, args: &[Arg]) -> bool {
    let module = cx.python();
    texts(args, 0).any(|package| module.uses_package(package))
}

fn in_async<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    for ancestor in cx.ancestors(node) {
        match ancestor.kind() {
            "lambda" => return false,
            "function_definition" => return is_async_function(ancestor),
            _ => {}
        }
    }
    false
}

fn in_main_guard<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    node(captures, args, 0).is_some_and(|node| {
        cx.ancestors(node)
            .any(|ancestor| is_main_guard(cx.file.text, ancestor))
    })
}

fn in_route_handler<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    for ancestor in cx.ancestors(node) {
        match ancestor.kind() {
            "lambda" => return false,
            "function_definition" => return is_route_handler(cx.file.text, ancestor),
            _ => {}
        }
    }
    false
}

fn in_function_decorated<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    cx.ancestors(node)
        .filter(|ancestor| matches!(ancestor.kind(), "function_definition" | "class_definition"))
        .flat_map(decorators)
        .any(|decorator| {
            let Some(mut expression) = decorator.named_child(0) else {
                return false;
            };
            if expression.kind() == "call" {
                match expression.child_by_field_name("function") {
                    Some(function) => expression = function,
                    None => return false,
                }
            }
            qualified(cx, expression)
                .is_some_and(|name| texts(args, 1).any(|pattern| name_matches(&name, pattern)))
        })
}

fn string_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    let value = match node.kind() {
        "identifier" => cx
            .constant(cx.text(node))
            .and_then(|value| string_value(cx.file.text, value)),
        _ => string_value(cx.file.text, node),
    };
    value.is_some_and(|value| regex(args, 1).is_some_and(|regex| regex.is_match(&value)))
}

/// The qualified name of a called expression (`r.get` → `requests.get`), or
/// its dotted text when its head is not imported.
fn qualified(cx: &HookCx<'_>, node: Node<'_>) -> Option<String> {
    cx.python()
        .qualify(cx.file.text, node)
        .or_else(|| dotted_name(cx.file.text, node))
}

fn built_by<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(maker) = node(captures, args, 0).and_then(|object| builder_of(cx, object)) else {
        return false;
    };
    texts(args, 1).any(|pattern| name_matches(&maker, pattern))
}

/// What call built the object a method is called on (`session` in
/// `session.get(...)`): the innermost function that binds the name decides
/// (an assignment or `with ... as`, or a parameter, which says nothing);
/// module-level names and attributes (`self.session`) come from the
/// module-wide map.
pub(crate) fn builder_of(cx: &HookCx<'_>, object: Node<'_>) -> Option<String> {
    let name = cx.text(object);
    if object.kind() == "identifier" {
        for function in cx
            .ancestors(object)
            .filter(|node| node.kind() == "function_definition")
        {
            if let Some(parameters) = function.child_by_field_name("parameters") {
                let mut cursor = parameters.walk();
                let is_parameter = parameters.named_children(&mut cursor).any(|parameter| {
                    let identifier = match parameter.kind() {
                        "identifier" => Some(parameter),
                        _ => parameter
                            .child_by_field_name("name")
                            .or_else(|| parameter.named_child(0)),
                    };
                    identifier.is_some_and(|identifier| cx.text(identifier) == name)
                });
                if is_parameter {
                    return None;
                }
            }
            let Some(body) = function.child_by_field_name("body") else {
                continue;
            };
            if let Some(bound) = local_binding(cx, body, name) {
                return bound;
            }
        }
        // Not bound in any enclosing function: a module-level name.
        return cx.python().module_bindings.get(name).cloned().flatten();
    }
    cx.python().built_by.get(name).cloned()
}

/// How a name is bound in a scope (not looking into nested functions,
/// lambdas or classes): `Some(Some(call))` when a call builds it,
/// `Some(None)` when something else is assigned, `None` when unbound here.
fn local_binding(cx: &HookCx<'_>, scope: Node<'_>, name: &str) -> Option<Option<String>> {
    cx.scope_index(scope, || scope_bindings(cx, scope))
        .get(name)
        .cloned()
}

/// Every name bound in a scope, as [`local_binding`] answers for it: a
/// walk of the scope meets the bindings in one order; the first one that
/// a call makes wins, else the last one met.
fn scope_bindings(cx: &HookCx<'_>, scope: Node<'_>) -> crate::check::ScopeIndex {
    let mut found: crate::check::ScopeIndex = std::collections::HashMap::new();
    let mut stack = vec![scope];
    let mut visited = 0;
    while let Some(node) = stack.pop() {
        visited += 1;
        if node.id() != scope.id()
            && matches!(
                node.kind(),
                "function_definition" | "lambda" | "class_definition"
            )
        {
            continue;
        }
        if let Some((target, value)) = crate::python::binding_parts(node) {
            let name = cx.text(target);
            if !matches!(found.get(name), Some(Some(_))) {
                let value = if value.kind() == "await" {
                    value.named_child(0).unwrap_or(value)
                } else {
                    value
                };
                let maker = (value.kind() == "call")
                    .then(|| value.child_by_field_name("function"))
                    .flatten()
                    .and_then(|function| qualified(cx, function));
                found.insert(name.to_string(), maker);
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    crate::work::nodes(visited);
    found
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::name_matches;
    use crate::{check::SourceFile, kind::FileKind, parse::parse, project::ProjectContext};

    /// The lines where `unverified-tls` (whose second pattern is
    /// `#built-by?`) reports in a service module.
    fn unverified_tls_lines(text: &str) -> Vec<usize> {
        let tree = parse(FileKind::Python, text, None);
        let file = SourceFile {
            path: Path::new("app/client.py"),
            kind: FileKind::Python,
            text,
            tree: tree.as_ref(),
        };
        crate::check::check_file(&file, &ProjectContext::default())
            .iter()
            .filter(|finding| finding.rule.id == "unverified-tls")
            .map(|finding| text[..finding.range.start].matches('\n').count())
            .collect()
    }

    #[test]
    fn built_by_follows_the_binding_of_the_object() {
        // Built in the enclosing function, at module level, or as an attribute.
        let positive = [
            "import requests\ndef f(u):\n    s = requests.Session()\n    s.get(u, verify=False)\n",
            "import httpx\nclient = httpx.Client()\nclient.get(u, verify=False)\n",
            "from aiohttp import ClientSession\nasync def f(u):\n    async with ClientSession() as s:\n        await s.get(u, ssl=False)\n",
        ];
        for text in positive {
            assert_eq!(unverified_tls_lines(text).len(), 1, "{text}");
        }
        // Built by another package, or a parameter that shadows the module's name.
        let negative = [
            "import foo\ndef f(u):\n    s = foo.Session()\n    s.get(u, verify=False)\n",
            "import requests\ns = requests.Session()\ndef f(s, u):\n    s.get(u, verify=False)\n",
            "import requests\ndef f(u):\n    s = make()\n    s.get(u, verify=False)\n",
        ];
        for text in negative {
            assert!(unverified_tls_lines(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_star_pattern_matches_members_only() {
        assert!(name_matches("requests.get", "requests.*"));
        assert!(name_matches("requests.get", "requests.get"));
        assert!(!name_matches("requests", "requests.*"));
        assert!(!name_matches("requestsx.get", "requests.*"));
    }
}
