//! Predicates for Python rules: calls and their arguments, names through
//! imports, where code runs.

use tree_sitter::Node;

use super::{Arg, Param, PredicateDef, bind, node, regex, text, texts};
use crate::{
    check::{Captures, HookCx},
    kind::FileKind,
    python::{
        dotted_name, has_keyword_splat, is_async_function, is_main_guard, keyword_argument,
        string_value,
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

#[cfg(test)]
mod tests {
    use super::name_matches;

    #[test]
    fn a_star_pattern_matches_members_only() {
        assert!(name_matches("requests.get", "requests.*"));
        assert!(name_matches("requests.get", "requests.get"));
        assert!(!name_matches("requests", "requests.*"));
        assert!(!name_matches("requestsx.get", "requests.*"));
    }
}
