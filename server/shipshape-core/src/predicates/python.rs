//! Predicates for Python rules: calls and their arguments, names through
//! imports, where code runs.

use crate::python::PythonNode as _;
use std::{ops::Range, path::Path};

use tree_sitter::Node;

use super::{
    dataflow::{flow, splat_may_hold},
    def::{Arg, Param, PredicateDef, bind, node, regex, text, texts},
};
use crate::{
    check::{Captures, HookCx},
    kind::FileKind,
    project::django::{SettingsRole, settings_role},
    python::{
        decorator_name, decorators, has_keyword_splat, is_async_function, is_main_guard,
        is_route_handler, keyword_argument, string_value,
    },
};

const PYTHON: &[FileKind] = &[FileKind::Python];

pub static PREDICATES: &[PredicateDef] = &[
    PredicateDef {
        name: "has-string-element",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the list, tuple or set has an element that is a string with a literal part (`string_content`) of exactly one of these texts: what `(list (string (string_content) @part))` with `(#any-of? @part ...)` says, checked once the rest of the pattern matched instead of during the query's walk (which goes through every element of every long literal at every keystroke)",
        eval: has_string_element,
    },
    PredicateDef {
        name: "has-kwarg",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the call (or argument list) passes one of these keyword arguments, or `**kwargs` that may hold it: anything but a dict that local dataflow sees whole in the function around the call (dict displays with literal keys and `dict(...)` with keyword arguments, through names bound in the function and never changed in place: `kwargs.setdefault(\"timeout\", 10)`, `kwargs[...] = ...` or passing it to a call may add the key) and that lacks them",
        eval: has_kwarg,
    },
    PredicateDef {
        name: "has-kwargs-splat",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the call (or argument list) passes `**kwargs`",
        eval: has_kwargs_splat,
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
        name: "resolves-to-matches",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Regex],
        doc: "the name or attribute resolves (as for `#resolves-to?`, else its dotted text) to a dotted name that matches the regular expression (`(^|[.])FastAPI$` for any `FastAPI`)",
        eval: resolves_to_matches,
    },
    PredicateDef {
        name: "argument-of",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the node is a positional argument of a call whose function resolves to one of these dotted names (`os.getenv`; `os.*` for any member)",
        eval: argument_of,
    },
    PredicateDef {
        name: "django-settings-module",
        binds: false,
        kinds: PYTHON,
        params: &[],
        doc: "the module is Django settings: `settings.py`, a module of a `settings/` package, or a module that mentions `INSTALLED_APPS`; never a development one (`dev`, `local`, `test`, `ci`, `dev_*`, `local_*`, `test_*`), nor a base settings module (`base`, `common`, `defaults`, `shared`, `core`), whose values production may override (`django-production-insecure` judges them as production sees them)",
        eval: django_settings_module,
    },
    PredicateDef {
        name: "request-handler",
        binds: true,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Text],
        doc: "the innermost function around the node runs on every request: a route handler (`@app.get(...)`, `@router.post(...)`, `@api_view`, ...) or a dependency named in `Depends(...)`/`Security(...)` in this module; binds the function's name to the capture named last",
        eval: request_handler,
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
    PredicateDef {
        name: "defines-routes",
        binds: false,
        kinds: PYTHON,
        params: &[],
        doc: "the module defines a web route handler at its top level (`@app.get(...)`, `@router.post(...)`, `@bp.route(...)`, ...)",
        eval: defines_routes,
    },
    PredicateDef {
        name: "module-constant-matches",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Text, Param::Regex],
        doc: "the module assigns the name at its top level (the last such assignment counts) a value whose text matches the regular expression (`(#module-constant-matches? \"CORS_ALLOW_ALL_ORIGINS\" \"^True$\")`)",
        eval: module_constant_matches,
    },
    PredicateDef {
        name: "module-runs-as-script",
        binds: false,
        kinds: PYTHON,
        params: &[],
        doc: "the module has an `if __name__ == \"__main__\":` block at its top level: it is run as a program (an init job, a command-line tool), whose module-level setup is the program's own",
        eval: module_runs_as_script,
    },
    PredicateDef {
        name: "function-decorator-matches",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Regex],
        doc: "the innermost function around the node has a decorator whose name as written, without its arguments (`app.websocket` for `@app.websocket(\"/ws\")`), matches the regular expression",
        eval: function_decorator_matches,
    },
    PredicateDef {
        name: "function-mentions",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "the code of the innermost function around the node, from `def` to its end (signature and body; comments left out, case ignored), contains one of these texts",
        eval: function_mentions,
    },
    PredicateDef {
        name: "decorated-function-mentions",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Texts],
        doc: "as `#function-mentions?`, with the function's decorators counted as its code",
        eval: decorated_function_mentions,
    },
    PredicateDef {
        name: "parameter-annotated",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Regex],
        doc: "the node's text is the name of a parameter of the innermost function around it whose type annotation matches the regular expression (`file: UploadFile`)",
        eval: parameter_annotated,
    },
    PredicateDef {
        name: "builds-sql",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the expression builds SQL text (a string with a statement's keywords: `SELECT ... FROM`, `WHERE`, `INSERT INTO`, ...) from values: an f-string interpolating them, `.format(...)`, `%` or `+`, or an expression flowing into it through local dataflow (as `#flows-from?`: variables assigned or added to with `+=` before the use, module-level assignments), or SQL text such flows assemble with a value (`sql = \"SELECT ...\"; sql += name`); upper-case constants, numbers, `int(...)`/`len(...)` and names of the statement's structure (`table`, `columns`, `placeholders`, `where`, ...) are not values, nor `:name_{i}` parameter names",
        eval: builds_sql,
    },
    PredicateDef {
        name: "serves-requests",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the node runs in a function that serves requests: the innermost function around it is a request handler (as `#request-handler!`), or the module defines routes (`#defines-routes?`; framework and library code outside such modules is not a service's)",
        eval: serves_requests,
    },
    PredicateDef {
        name: "flows-from",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Regex],
        doc: "a value that flows into the expression matches the regular expression (its text as written, quotes included): the expression itself, or through local dataflow — the values assigned to a name before its use in its function (`x = ...`, `x += ...`, `x: T = ...`, `x := ...`; back to the last plain assignment in a block holding the use), else the module's top-level assignments — and on through `+`, `%`, f-string interpolations, `.format(...)`, `\"...\".join(...)`, parentheses and list, tuple or set items; a value not followed further (a literal, a call, an attribute, a parameter) is tested (at most 64 expressions per question)",
        eval: flows_from,
    },
    PredicateDef {
        name: "binds-parameters",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the call (or argument list) passes values beside its first argument: a second positional argument, `*args`, `**kwargs`, or a keyword argument other than a statement option (`multi`, `timeout`, `execution_options`, `bind_arguments`, `record_class`, `column`, `prepare`, `translations`, `using`)",
        eval: binds_parameters,
    },
    PredicateDef {
        name: "single-argument",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the call (or argument list) passes exactly one argument (comments aside)",
        eval: single_argument,
    },
    PredicateDef {
        name: "exposes-exception",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the expression shows an exception to whoever reads it: the name the nearest enclosing `except ... as NAME:` (in the same function) binds, alone, formatted (`str(e)`, `f\"{e}\"`) or as `e.args`/`e.message`/`e.msg` (not another attribute such as `e.status_code`, not `type(e)`), or `traceback.format_exc()`/`format_exception(...)`; in an exception handler (`@app.exception_handler(...)`, `add_exception_handler(...)`, Flask's `errorhandler`), the exception parameter (`exc.message` of a handler for specific types is the custom exception's own field); the branch of `x if ...DEBUG... else y` that development takes does not count",
        eval: exposes_exception_predicate,
    },
    PredicateDef {
        name: "in-narrow-except",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the nearest `except` clause around the node (in the same function) names the exception (`as e`) and catches specific types, not everything (bare, `Exception`, `BaseException`); outside one, the exception handler the node runs in is registered for specific types (not `Exception`, `BaseException` or a 5xx status)",
        eval: in_narrow_except,
    },
    PredicateDef {
        name: "leaks-exception",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture, Param::Capture],
        doc: "the expression (first capture) shows the exception being handled (as `#exposes-exception?`) and the error response or exception built by the call (second capture) sends it as a server error: outside a clause that catches specific types (as `#in-narrow-except?`), or with a 5xx status (`status_code=`, else the call's first positional argument)",
        eval: leaks_exception,
    },
    PredicateDef {
        name: "allows-every-origin",
        binds: false,
        kinds: PYTHON,
        params: &[Param::Capture],
        doc: "the CORS call allows every origin: flask-cors' `CORS(...)`/`cross_origin(...)` with `origins` or a `resources` entry holding `\"*\"`, or naming no origins (its default is `*`) in a module that sets no `CORS_ORIGINS`; else an `allow_origins=` holding `\"*\"` (a string, list, tuple or set, directly or through module constants), else an `allow_origin_regex=` that matches everything (`.*`, `https?://.*`)",
        eval: allows_every_origin,
    },
];

/// The argument list of a call, or the node itself when it is one.
fn arguments(node: Node<'_>) -> Option<Node<'_>> {
    match node.kind_name() {
        "argument_list" => Some(node),
        "call" => node
            .field("arguments")
            .filter(|arguments| arguments.kind_name() == "argument_list"),
        "decorator" => {
            let mut cursor = node.walk();
            let call = node
                .named_children(&mut cursor)
                .find(|child| child.kind_name() == "call")?;
            arguments(call)
        }
        _ => None,
    }
}

fn has_kwarg<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    if texts(args, 1).any(|name| keyword_argument(cx.file.text, arguments, name).is_some()) {
        return true;
    }
    // `**kwargs` may hold them, unless local dataflow knows every key it
    // can hold.
    let names: Vec<&str> = texts(args, 1).collect();
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|argument| argument.kind_name() == "dictionary_splat")
        .any(|splat| {
            splat
                .named_child(0)
                .is_none_or(|expression| splat_may_hold(cx, expression, &names))
        })
}

fn has_kwargs_splat<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    node(captures, args, 0)
        .and_then(arguments)
        .is_some_and(has_keyword_splat)
}

fn module_constant_matches<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, args: &[Arg]) -> bool {
    cx.constant_range(text(args, 0)).is_some_and(|range| {
        regex(args, 1).is_some_and(|regex| regex.is_match(&cx.file.text[range]))
    })
}

fn kwarg_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    let Some(value) = keyword_argument(cx.file.text, arguments, text(args, 1))
        .and_then(|argument| argument.field("value"))
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
    let Some(name) = cx.qualified_name(node) else {
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
        match ancestor.kind_name() {
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
        match ancestor.kind_name() {
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
        .filter(|ancestor| {
            matches!(
                ancestor.kind_name(),
                "function_definition" | "class_definition"
            )
        })
        .flat_map(decorators)
        .any(|decorator| {
            let Some(mut expression) = decorator.named_child(0) else {
                return false;
            };
            if expression.kind_name() == "call" {
                match expression.field("function") {
                    Some(function) => expression = function,
                    None => return false,
                }
            }
            cx.qualified_name(expression)
                .is_some_and(|name| texts(args, 1).any(|pattern| name_matches(&name, pattern)))
        })
}

fn defines_routes<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    cx.python().defines_routes()
}

fn module_runs_as_script<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    cx.python().runs_as_script()
}

fn function_decorator_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(function) = node(captures, args, 0).and_then(|node| cx.enclosing_function(node))
    else {
        return false;
    };
    let Some(regex) = regex(args, 1) else {
        return false;
    };
    decorators(function).into_iter().any(|decorator| {
        decorator_name(cx.file.text, decorator).is_some_and(|name| regex.is_match(&name))
    })
}

fn function_mentions<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    mentions(cx, captures, args, false)
}

fn decorated_function_mentions<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    mentions(cx, captures, args, true)
}

/// Whether the code of the innermost function around the capture (with
/// its decorators when `decorated`), comments left out and lower-cased,
/// contains one of the text arguments.
fn mentions<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
    decorated: bool,
) -> bool {
    let Some(function) = node(captures, args, 0).and_then(|node| cx.enclosing_function(node))
    else {
        return false;
    };
    let start = if decorated {
        function
            .parent()
            .filter(|parent| parent.kind_name() == "decorated_definition")
            .unwrap_or(function)
            .start_byte()
    } else {
        function.start_byte()
    };
    cx.reads_scope(function);
    let code = code_without_comments(cx, function, start..function.end_byte()).to_ascii_lowercase();
    texts(args, 1).any(|text| code.contains(&text.to_ascii_lowercase()))
}

/// The source text of `range` (within `scope`) with its comments left out,
/// so that words in comments do not count as code.
fn code_without_comments(cx: &HookCx<'_>, scope: Node<'_>, range: Range<usize>) -> String {
    let root = cx.ancestors(scope).last().unwrap_or(scope);
    let mut comments = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.end_byte() <= range.start || node.start_byte() >= range.end {
            continue;
        }
        if node.kind_name() == "comment" {
            comments.push(node.byte_range());
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    comments.sort_by_key(|comment| comment.start);
    let mut out = String::new();
    let mut at = range.start;
    for comment in comments {
        if comment.start > at {
            out.push_str(&cx.file.text[at..comment.start.min(range.end)]);
        }
        at = at.max(comment.end);
    }
    if at < range.end {
        out.push_str(&cx.file.text[at..range.end]);
    }
    out
}

fn parameter_annotated<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(name) = node(captures, args, 0) else {
        return false;
    };
    let Some(parameters) = cx
        .enclosing_function(name)
        .and_then(|function| function.field("parameters"))
    else {
        return false;
    };
    let Some(regex) = regex(args, 1) else {
        return false;
    };
    let wanted = cx.text(name);
    let mut cursor = parameters.walk();
    parameters.named_children(&mut cursor).any(|parameter| {
        let name = parameter.field("name").or_else(|| parameter.named_child(0));
        let annotation = parameter.field("type");
        name.is_some_and(|name| cx.text(name) == wanted)
            && annotation.is_some_and(|annotation| regex.is_match(cx.text(annotation)))
    })
}

fn builds_sql<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(start) = node(captures, args, 0) else {
        return false;
    };
    let flowed = flow(cx, start);
    flowed.iter().any(|value| formatted_sql(cx, value.node)) || assembled_sql(cx, &flowed)
}

/// Whether SQL text is assembled from values across statements: the
/// strings flowing in look like SQL together, and a value that is neither
/// a literal nor structure is added to them (`+`, `+=`, `%`, `.format`,
/// `.join`).
fn assembled_sql(cx: &HookCx<'_>, flowed: &[super::dataflow::Flowed<'_>]) -> bool {
    let literals: Vec<&str> = flowed
        .iter()
        .filter(|value| matches!(value.node.kind_name(), "string" | "concatenated_string"))
        .map(|value| cx.text(value.node))
        .collect();
    let value_added = flowed.iter().any(|value| {
        value.leaf
            && value.combined
            && !matches!(
                value.node.kind_name(),
                "string" | "concatenated_string" | "integer" | "float" | "true" | "false" | "none"
            )
            && !safe_interpolation(cx.text(value.node))
    });
    value_added && looks_like_sql(&literals.join(" "))
}

fn flows_from<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(start), Some(regex)) = (node(captures, args, 0), regex(args, 1)) else {
        return false;
    };
    flow(cx, start)
        .iter()
        .any(|value| value.leaf && regex.is_match(cx.text(value.node)))
}

/// Keyword arguments of statement-running calls that are options, not
/// values for the statement.
const STATEMENT_OPTIONS: [&str; 9] = [
    "multi",
    "timeout",
    "execution_options",
    "bind_arguments",
    "record_class",
    "column",
    "prepare",
    "translations",
    "using",
];

fn binds_parameters<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|argument| argument.kind_name() != "comment")
        .skip(1)
        .any(|argument| match argument.kind_name() {
            "keyword_argument" => !argument
                .field("name")
                .is_some_and(|name| STATEMENT_OPTIONS.contains(&cx.text(name))),
            _ => true,
        })
}

fn single_argument<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(arguments) = node(captures, args, 0).and_then(arguments) else {
        return false;
    };
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|argument| argument.kind_name() != "comment")
        .count()
        == 1
}

/// Whether text looks like SQL (a statement keyword at a word boundary).
fn looks_like_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .collect();
    let has = |word: &str| words.contains(&word);
    (has("SELECT") && has("FROM"))
        || (has("INSERT") && has("INTO"))
        || (has("UPDATE") && has("SET"))
        || (has("DELETE") && has("FROM"))
        || has("WHERE")
        || (has("DROP") && has("TABLE"))
        || (has("ALTER") && has("TABLE"))
        || (has("CREATE") && has("TABLE"))
        || has("TRUNCATE")
}

/// Whether an interpolated expression is safe to splice into SQL: an
/// upper-case constant, a placeholder list, a number.
fn safe_interpolation(text: &str) -> bool {
    // Parts of the statement's structure rather than values: table and column
    // names, generated placeholder lists, clauses built of placeholders.
    const STRUCTURE: [&str; 26] = [
        "table",
        "tablename",
        "tables",
        "column",
        "columns",
        "col",
        "cols",
        "schema",
        "index",
        "idx",
        "field",
        "fields",
        "placeholder",
        "placeholders",
        "where",
        "clause",
        "clauses",
        "conditions",
        "fn",
        "tbl",
        "length",
        "dim",
        "dimension",
        "dimensions",
        "dist",
        "m",
    ];
    let text = text.trim();
    let constant = text
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
        && text.chars().any(|c| c.is_ascii_uppercase());
    let cast = ["int(", "len(", "float("]
        .iter()
        .any(|cast| text.starts_with(cast));
    let last = text.rsplit('.').next().unwrap_or(text);
    let structure = crate::python::name_words(last)
        .iter()
        .any(|word| STRUCTURE.contains(&word.as_str()));
    constant || cast || structure || text.parse::<f64>().is_ok()
}

/// Whether an expression builds SQL from values: an f-string with
/// interpolations, `.format(...)`, `%` or `+` on a string that looks like SQL.
fn formatted_sql(cx: &HookCx<'_>, node: Node<'_>) -> bool {
    let text = cx.text(node);
    match node.kind_name() {
        "string" | "concatenated_string" => {
            let mut stack = vec![node];
            let mut interpolations = Vec::new();
            while let Some(current) = stack.pop() {
                if current.kind_name() == "interpolation" {
                    // `:tag_id_{index}` builds the name of a bound parameter.
                    let bind_name = current.prev_sibling().is_some_and(|before| {
                        let before = cx.text(before);
                        let tail = before
                            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
                        tail.ends_with(':') && !tail.ends_with("::")
                    });
                    if let Some(expression) = current.named_child(0)
                        && !bind_name
                    {
                        interpolations.push(cx.text(expression));
                    }
                    continue;
                }
                let mut cursor = current.walk();
                stack.extend(current.named_children(&mut cursor));
            }
            !interpolations.is_empty()
                && !interpolations.iter().all(|item| safe_interpolation(item))
                && looks_like_sql(text)
        }
        "call" => {
            let Some(function) = node.field("function") else {
                return false;
            };
            function.kind_name() == "attribute"
                && function
                    .field("attribute")
                    .is_some_and(|method| cx.text(method) == "format")
                && function.field("object").is_some_and(|object| {
                    matches!(object.kind_name(), "string" | "concatenated_string")
                        && looks_like_sql(cx.text(object))
                })
        }
        "binary_operator" => {
            let Some(operator) = node.field("operator") else {
                return false;
            };
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return false;
            };
            match cx.text(operator) {
                "%" => {
                    matches!(left.kind_name(), "string" | "concatenated_string")
                        && looks_like_sql(cx.text(left))
                        && !right_is_safe(cx, right)
                }
                "+" => {
                    let literal_sql = [left, right].iter().any(|side| {
                        matches!(side.kind_name(), "string" | "concatenated_string")
                            && looks_like_sql(cx.text(*side))
                    });
                    let value = [left, right].iter().any(|side| {
                        !matches!(side.kind_name(), "string" | "concatenated_string")
                            && !safe_interpolation(cx.text(*side))
                    });
                    (literal_sql && value) || formatted_sql(cx, left) || formatted_sql(cx, right)
                }
                _ => false,
            }
        }
        "parenthesized_expression" => node
            .named_child(0)
            .is_some_and(|inner| formatted_sql(cx, inner)),
        _ => false,
    }
}

fn right_is_safe(cx: &HookCx<'_>, right: Node<'_>) -> bool {
    match right.kind_name() {
        "tuple" | "parenthesized_expression" => {
            let mut cursor = right.walk();
            right
                .named_children(&mut cursor)
                .all(|item| safe_interpolation(cx.text(item)))
        }
        _ => safe_interpolation(cx.text(right)),
    }
}

fn exposes_exception_predicate<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    let caught = caught_exception(cx, node);
    exposes_exception(cx, node, caught.as_ref())
}

fn in_narrow_except<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    node(captures, args, 0)
        .and_then(|node| caught_exception(cx, node))
        .is_some_and(|caught| !caught.everything)
}

/// A server error status as written: `500`, `HTTP_500_INTERNAL_SERVER_ERROR`,
/// `status.HTTP_503_SERVICE_UNAVAILABLE`, `"502"`.
fn is_server_error_status(text: &str) -> bool {
    static SERVER_ERROR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new("500|INTERNAL_SERVER_ERROR|^5[^0-9]*[0-9][^0-9]*[0-9][^0-9]*$")
            .expect("valid regex")
    });
    SERVER_ERROR.is_match(text)
}

/// The status a call sends: its `status_code=`, else its first positional
/// argument.
fn sent_status<'t>(cx: &HookCx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let arguments = arguments(call)?;
    if let Some(argument) = keyword_argument(cx.file.text, arguments, "status_code") {
        return argument.field("value");
    }
    arguments
        .named_child(0)
        .filter(|first| first.kind_name() != "keyword_argument")
}

fn leaks_exception<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(shown), Some(call)) = (node(captures, args, 0), node(captures, args, 1)) else {
        return false;
    };
    let caught = caught_exception(cx, shown);
    if !exposes_exception(cx, shown, caught.as_ref()) {
        return false;
    }
    let narrow = caught.as_ref().is_some_and(|caught| !caught.everything);
    !narrow || sent_status(cx, call).is_some_and(|status| is_server_error_status(cx.text(status)))
}

/// Whether an except clause catches everything: bare, `Exception` or
/// `BaseException` (alone or in a tuple).
pub(crate) fn catches_everything(cx: &HookCx<'_>, clause: Node<'_>) -> bool {
    let mut cursor = clause.walk();
    let types: Vec<Node<'_>> = clause
        .children_by_field_name("value", &mut cursor)
        .collect();
    if types.is_empty() {
        return true;
    }
    let broad = |node: Node<'_>| {
        matches!(
            cx.text(node),
            "Exception" | "BaseException" | "builtins.Exception" | "builtins.BaseException"
        )
    };
    types.into_iter().any(|node| {
        let node = if node.kind_name() == "as_pattern" {
            node.named_child(0).unwrap_or(node)
        } else {
            node
        };
        if node.kind_name() == "tuple" || node.kind_name() == "parenthesized_expression" {
            let mut cursor = node.walk();
            node.named_children(&mut cursor).any(broad)
        } else {
            broad(node)
        }
    })
}

/// The exception a node handles: the name an enclosing `except ... as
/// name:` binds (in the same function), else the exception parameter of
/// the exception handler the node runs in; with whether it catches
/// everything.
struct Caught {
    name: String,
    everything: bool,
    /// An exception handler's parameter, not an `except` clause's name.
    handler: bool,
}

impl Caught {
    /// A handler registered for specific types answers with their own
    /// fields: `exc.message` of a custom exception is written for clients.
    fn message_is_chosen(&self) -> bool {
        self.handler && !self.everything
    }
}

fn caught_exception<'t>(cx: &HookCx<'t>, node: Node<'t>) -> Option<Caught> {
    let clause = cx
        .ancestors(node)
        .take_while(|ancestor| ancestor.kind_name() != "function_definition")
        .find(|ancestor| ancestor.kind_name() == "except_clause");
    let Some(clause) = clause else {
        return handled_exception(cx, node);
    };
    let mut cursor = clause.walk();
    let value = clause
        .children_by_field_name("value", &mut cursor)
        .find(|value| value.kind_name() == "as_pattern");
    let alias = match value {
        Some(pattern) => pattern.field("alias")?,
        None => clause.field("alias")?,
    };
    Some(Caught {
        name: cx.text(alias).to_string(),
        everything: catches_everything(cx, clause),
        handler: false,
    })
}

/// Whether the type (or status) an exception handler is registered for
/// covers every error: `Exception`, `BaseException`, a 5xx status.
fn handles_everything(cx: &HookCx<'_>, registered: Node<'_>) -> bool {
    let text = cx.text(registered);
    let last = text.rsplit('.').next().unwrap_or(text);
    matches!(last, "Exception" | "BaseException")
        || registered.kind_name() == "integer" && text.starts_with('5')
}

/// The exception parameter of the exception handler around a node, and
/// what the handler is registered for: a function decorated with
/// `@app.exception_handler(T)` (FastAPI, Starlette) or `@app.errorhandler(T)`
/// (Flask), or registered in the module with `add_exception_handler(T, f)`,
/// `register_error_handler(T, f)` or `exception_handlers={T: f}`. The
/// exception is the handler's last positional parameter of the first two
/// (`(request, exc)`, Flask's `(error)`).
fn handled_exception<'t>(cx: &HookCx<'t>, node: Node<'t>) -> Option<Caught> {
    let function = cx.enclosing_function(node)?;
    let parameters = function.field("parameters")?;
    let mut cursor = parameters.walk();
    let names: Vec<Node<'t>> = parameters
        .named_children(&mut cursor)
        .filter_map(|parameter| match parameter.kind_name() {
            "identifier" => Some(parameter),
            "typed_parameter" => parameter
                .named_child(0)
                .filter(|n| n.kind_name() == "identifier"),
            "default_parameter" | "typed_default_parameter" => parameter.field("name"),
            _ => None,
        })
        .take(2)
        .collect();
    let exception = *names.last()?;
    let registered_for_everything = handler_registration(cx, function)?;
    let name = cx.text(exception).to_string();
    // `if isinstance(exc, ValueError):` in a catch-all handler answers a
    // specific type, as a specific handler does.
    let checked_type = format!("isinstance({name},");
    let narrowed = cx
        .ancestors(node)
        .take_while(|ancestor| ancestor.id() != function.id())
        .filter(|ancestor| ancestor.kind_name() == "if_statement")
        .filter_map(|statement| statement.field("condition"))
        .any(|condition| {
            cx.text(condition)
                .replace(' ', "")
                .starts_with(&checked_type)
        });
    Some(Caught {
        everything: registered_for_everything && !narrowed,
        name,
        handler: true,
    })
}

/// Whether a function is registered as an exception handler, and if so
/// whether for every error (see [`handled_exception`]): by its decorator,
/// else by a registration elsewhere in the module (a module fact, read by
/// the function's name).
fn handler_registration(cx: &HookCx<'_>, function: Node<'_>) -> Option<bool> {
    for decorator in decorators(function) {
        let name = decorator_name(cx.file.text, decorator).unwrap_or_default();
        let last = name.rsplit('.').next().unwrap_or(&name);
        if matches!(last, "exception_handler" | "errorhandler")
            && let Some(registered) = arguments(decorator).and_then(|list| list.named_child(0))
        {
            return Some(handles_everything(cx, registered));
        }
    }
    let name = cx.text(function.field("name")?);
    cx.python().exception_handler(name)
}

/// Whether an expression shows an exception to the client: `str(e)`,
/// `repr(e)`, `e`, `f"...{e}"`, `e.args`, `traceback.format_exc()`; not
/// `type(e).__name__`, nor the branch of a `... if DEBUG else ...` taken
/// in development.
fn exposes_exception(cx: &HookCx<'_>, node: Node<'_>, caught: Option<&Caught>) -> bool {
    let exception = caught.map(|caught| caught.name.as_str());
    let message_is_chosen = caught.is_some_and(Caught::message_is_chosen);
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        match current.kind_name() {
            "identifier" if Some(cx.text(current)) == exception => return true,
            "call"
                if current
                    .field("function")
                    .and_then(|function| cx.qualified_name(function))
                    .is_some_and(|name| {
                        matches!(
                            &*name,
                            "traceback.format_exc" | "traceback.format_exception"
                        )
                    }) =>
            {
                return true;
            }
            // `type(e).__name__` names the class, not the exception's text.
            "call"
                if current
                    .field("function")
                    .is_some_and(|function| cx.text(function) == "type") =>
            {
                continue;
            }
            // `str(e) if settings.DEBUG else "Internal error"`: only a
            // development server shows the exception.
            "conditional_expression"
                if current.named_child(1).is_some_and(|condition| {
                    cx.text(condition).to_ascii_lowercase().contains("debug")
                }) =>
            {
                stack.extend(current.named_child(2));
                continue;
            }
            "attribute" => {
                // `e.message` is still the exception; `e.status_code` is a chosen field.
                if let Some(object) = current.field("object")
                    && Some(cx.text(object)) == exception
                {
                    let attribute = current
                        .field("attribute")
                        .map_or("", |attribute| cx.text(attribute));
                    if attribute == "args"
                        || !message_is_chosen && matches!(attribute, "message" | "msg")
                    {
                        return true;
                    }
                    continue;
                }
            }
            _ => {}
        }
        let mut cursor = current.walk();
        stack.extend(current.named_children(&mut cursor));
    }
    false
}

fn allows_every_origin<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(call) = node(captures, args, 0) else {
        return false;
    };
    let (Some(arguments), Some(function)) = (call.field("arguments"), call.field("function"))
    else {
        return false;
    };
    if flask_cors_call(cx, function) {
        flask_cors_wildcard(cx, call).is_some()
    } else if let Some(origins) = keyword_argument(cx.file.text, arguments, "allow_origins") {
        origins
            .field("value")
            .and_then(|value| wildcard_origins(cx, value, 0))
            .is_some()
    } else if let Some(regex) = keyword_argument(cx.file.text, arguments, "allow_origin_regex") {
        regex
            .field("value")
            .and_then(|value| resolved_string(cx, value))
            .is_some_and(|pattern| wildcard_regex(&pattern))
    } else {
        false
    }
}

/// The string value of a literal, or of a name a string flows into (local
/// dataflow: a variable, a module constant).
pub(crate) fn resolved_string<'a: 't, 't>(cx: &HookCx<'a>, node: Node<'t>) -> Option<String> {
    match node.kind_name() {
        "identifier" => flow(cx, node)
            .iter()
            .find(|value| value.node.kind_name() == "string")
            .and_then(|value| string_value(cx.file.text, value.node)),
        _ => string_value(cx.file.text, node),
    }
}

/// The node that makes an origins value allow every origin: `"*"`, a list,
/// tuple or set holding `"*"`, or a name either flows into (local dataflow:
/// a variable, a module constant).
pub(crate) fn wildcard_origins<'a: 't, 't>(
    cx: &HookCx<'a>,
    value: Node<'t>,
    depth: usize,
) -> Option<Range<usize>> {
    match value.kind_name() {
        "string" => {
            (string_value(cx.file.text, value)?.trim() == "*").then_some(value.byte_range())
        }
        "list" | "tuple" | "set" => {
            let mut cursor = value.walk();
            let mut children = value.named_children(&mut cursor);
            children
                .any(|item| string_value(cx.file.text, item).is_some_and(|text| text.trim() == "*"))
                .then_some(value.byte_range())
        }
        "identifier" if depth < 3 => flow(cx, value)
            .iter()
            .skip(1)
            .filter(|flowed| matches!(flowed.node.kind_name(), "string" | "list" | "tuple" | "set"))
            .find_map(|flowed| wildcard_origins(cx, flowed.node, depth + 1)),
        _ => None,
    }
}

/// Whether a regex of origins matches every origin (`.*`, `^https?://.*$`).
pub(crate) fn wildcard_regex(pattern: &str) -> bool {
    let core = pattern.trim().trim_start_matches('^').trim_end_matches('$');
    matches!(
        core,
        ".*" | ".+"
            | "(.*)"
            | "*"
            | "https?://.*"
            | "https?://.+"
            | "https://.*"
            | "http://.*"
            | "https?://.*?"
    )
}

/// Whether a call is flask-cors' `CORS(...)` or `cross_origin(...)`.
pub(crate) fn flask_cors_call(cx: &HookCx<'_>, function: Node<'_>) -> bool {
    cx.qualified_name(function)
        .is_some_and(|name| matches!(&*name, "flask_cors.CORS" | "flask_cors.cross_origin"))
}

/// Where a flask-cors call allows every origin: its `origins=` when that is
/// a wildcard, a `"origins": "*"` in its `resources`, or (with neither, and
/// no `CORS_ORIGINS` in the app config) the call itself.
pub(crate) fn flask_cors_wildcard<'t>(
    cx: &HookCx<'_>,
    call: Node<'t>,
) -> Option<(Node<'t>, Option<Range<usize>>)> {
    let arguments = call.field("arguments")?;
    if has_keyword_splat(arguments) {
        return None;
    }
    if let Some(origins) = keyword_argument(cx.file.text, arguments, "origins") {
        let value = origins.field("value")?;
        return wildcard_origins(cx, value, 0).map(|wildcard| (origins, Some(wildcard)));
    }
    if let Some(resources) = keyword_argument(cx.file.text, arguments, "resources") {
        let text = cx.text(resources);
        if text.contains("origins") {
            let mut stack = vec![resources];
            while let Some(node) = stack.pop() {
                if node.kind_name() == "pair"
                    && let (Some(key), Some(value)) = (node.field("key"), node.field("value"))
                    && string_value(cx.file.text, key).as_deref() == Some("origins")
                {
                    return wildcard_origins(cx, value, 0).map(|wildcard| (node, Some(wildcard)));
                }
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
            return None;
        }
    }
    if cx.python().mentions_cors_origins() || cx.python().has_constant("CORS_ORIGINS") {
        return None;
    }
    Some((call, None))
}

fn string_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    let value = match node.kind_name() {
        "identifier" => cx
            .constant(cx.text(node))
            .and_then(|value| string_value(cx.file.text, value)),
        _ => string_value(cx.file.text, node),
    };
    value.is_some_and(|value| regex(args, 1).is_some_and(|regex| regex.is_match(&value)))
}

fn resolves_to_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(name) = node(captures, args, 0).and_then(|node| cx.qualified_name(node)) else {
        return false;
    };
    regex(args, 1).is_some_and(|regex| regex.is_match(&name))
}

fn argument_of<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    let mut ancestors = cx.ancestors(node);
    let (Some(arguments), Some(call)) = (ancestors.next(), ancestors.next()) else {
        return false;
    };
    if arguments.kind_name() != "argument_list" {
        return false;
    }
    let Some(name) = call
        .field("function")
        .and_then(|function| cx.qualified_name(function))
    else {
        return false;
    };
    texts(args, 1).any(|pattern| name_matches(&name, pattern))
}

/// Whether the file is a Django settings module meant for development,
/// tests or CI (`settings/local.py`, `settings/test.py`, a `dev.py` that
/// sets `INSTALLED_APPS`): its values never run in production.
pub(crate) fn django_development_settings(cx: &HookCx<'_>) -> bool {
    let path = cx.file.path;
    settings_role(path) == SettingsRole::Development
        && (in_settings_package(path) || cx.python().mentions_installed_apps())
}

fn in_settings_package(path: &Path) -> bool {
    path.parent()
        .and_then(|parent| parent.file_name())
        .is_some_and(|name| name == "settings")
}

fn django_settings_module<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    let path = cx.file.path;
    if matches!(
        settings_role(path),
        SettingsRole::Development | SettingsRole::Base
    ) {
        return false;
    }
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    stem == "settings" || in_settings_package(path) || cx.python().mentions_installed_apps()
}

fn request_handler<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(function) = node(captures, args, 0).and_then(|node| cx.enclosing_function(node))
    else {
        return false;
    };
    if !is_request_scoped(cx, function) {
        return false;
    }
    if let Some(name) = function.field("name") {
        bind(captures, args, name.byte_range());
    }
    true
}

fn serves_requests<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(function) = node(captures, args, 0).and_then(|node| cx.enclosing_function(node))
    else {
        return false;
    };
    is_request_scoped(cx, function) || cx.python().defines_routes()
}

/// Whether a function is a route handler or a dependency of one
/// (`Depends(name)` in this module).
pub(crate) fn is_request_scoped(cx: &HookCx<'_>, function: Node<'_>) -> bool {
    if is_route_handler(cx.file.text, function) {
        return true;
    }
    let Some(name) = function.field("name") else {
        return false;
    };
    // A module fact, so that an edit of the statement that names the
    // dependency re-checks this one.
    cx.python().is_dependency(cx.text(name))
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
    if object.kind_name() == "identifier" {
        for function in cx
            .ancestors(object)
            .filter(|node| node.kind_name() == "function_definition")
        {
            if let Some(parameters) = function.field("parameters") {
                let mut cursor = parameters.walk();
                let is_parameter = parameters.named_children(&mut cursor).any(|parameter| {
                    let identifier = match parameter.kind_name() {
                        "identifier" => Some(parameter),
                        _ => parameter.field("name").or_else(|| parameter.named_child(0)),
                    };
                    identifier.is_some_and(|identifier| cx.text(identifier) == name)
                });
                if is_parameter {
                    return None;
                }
            }
            let Some(body) = function.field("body") else {
                continue;
            };
            if let Some(bound) = local_binding(cx, body, name) {
                return bound;
            }
        }
        // Not bound in any enclosing function: a module-level name.
        return cx.python().module_binding(name).flatten();
    }
    cx.python().built_by(name)
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
                node.kind_name(),
                "function_definition" | "lambda" | "class_definition"
            )
        {
            continue;
        }
        if let Some((target, value)) = crate::python::binding_parts(node) {
            let name = cx.text(target);
            if !matches!(found.get(name), Some(Some(_))) {
                let value = if value.kind_name() == "await" {
                    value.named_child(0).unwrap_or(value)
                } else {
                    value
                };
                let maker = (value.kind_name() == "call")
                    .then(|| value.field("function"))
                    .flatten()
                    .and_then(|function| cx.qualified_name(function));
                found.insert(name.to_string(), maker.map(|maker| maker.to_string()));
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    crate::work::nodes(visited);
    found
}

fn has_string_element<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    cx.named_children(node).into_iter().any(|element| {
        element.kind_name() == "string"
            && cx.named_children(element).into_iter().any(|part| {
                part.kind_name() == "string_content"
                    && texts(args, 1).any(|text| cx.text(part) == text)
            })
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::name_matches;
    use crate::python::PythonNode as _;
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
            .filter(|finding| finding.rule.is(crate::rule::ids::UNVERIFIED_TLS))
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

    /// Evaluates the Python predicate `predicate` with the first node of
    /// `kind` whose text is `wanted` as its capture and `strings` as its
    /// other arguments (a regex where the predicate takes one).
    fn holds(
        path: &str,
        text: &str,
        kind: &str,
        wanted: &str,
        predicate: &str,
        strings: &[&str],
    ) -> bool {
        eval(path, text, kind, wanted, predicate, strings).0
    }

    /// [`holds`], and the text a binding predicate bound to the name given last.
    fn eval(
        path: &str,
        text: &str,
        kind: &str,
        wanted: &str,
        predicate: &str,
        strings: &[&str],
    ) -> (bool, Option<String>) {
        use crate::{
            check::{Captures, FileFacts, HookCx},
            predicates::def::{Arg, Param},
            registry::registry,
        };
        fn find<'t>(
            node: tree_sitter::Node<'t>,
            text: &str,
            kind: &str,
            wanted: &str,
        ) -> Option<tree_sitter::Node<'t>> {
            if node.kind_name() == kind && &text[node.byte_range()] == wanted {
                return Some(node);
            }
            let mut cursor = node.walk();
            let children: Vec<_> = node.named_children(&mut cursor).collect();
            children
                .into_iter()
                .find_map(|child| find(child, text, kind, wanted))
        }
        let tree = parse(FileKind::Python, text, None).unwrap();
        let file = SourceFile {
            path: Path::new(path),
            kind: FileKind::Python,
            text,
            tree: Some(&tree),
        };
        let project = ProjectContext::default();
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Python).next().unwrap();
        let cx = HookCx::new(&file, &project, rule, &facts, None);
        let def = crate::predicates::all()
            .find(|def| def.name == predicate)
            .unwrap();
        let mut args = Vec::new();
        let mut captures = Captures::of(Vec::new());
        let mut strings = strings.iter();
        for param in def.params {
            match param {
                Param::Capture => {
                    let node =
                        find(tree.root_node(), text, kind, wanted).expect("the node in the text");
                    captures = Captures::of(vec![("node", node)]);
                    args.push(Arg::Capture("node".into()));
                }
                Param::Regex => args.push(Arg::Regex(
                    regex::Regex::new(strings.next().unwrap()).unwrap(),
                )),
                Param::Text => args.push(Arg::Text((*strings.next().unwrap()).into())),
                Param::Texts => {
                    args.extend(strings.by_ref().map(|string| Arg::Text((*string).into())))
                }
            }
        }
        let held = (def.eval)(&cx, &mut captures, &args);
        let bound = match args.last() {
            Some(Arg::Text(name)) if def.binds => {
                captures.range(name).map(|range| text[range].to_string())
            }
            _ => None,
        };
        (held, bound)
    }

    #[test]
    fn resolves_to_matches_tests_the_qualified_name() {
        let text = "from fastapi import FastAPI as F\nimport myapp\nF()\nmyapp.web.FastAPI()\napp.run()\nmake().run()\n";
        let any_fastapi = ["(^|[.])FastAPI$"];
        assert!(holds(
            "app.py",
            text,
            "identifier",
            "F",
            "resolves-to-matches",
            &any_fastapi
        ));
        assert!(holds(
            "app.py",
            text,
            "attribute",
            "myapp.web.FastAPI",
            "resolves-to-matches",
            &any_fastapi
        ));
        // Not imported: its dotted text counts.
        assert!(holds(
            "app.py",
            text,
            "attribute",
            "app.run",
            "resolves-to-matches",
            &["[.]run$"]
        ));
        // A call in the chain has no dotted name.
        assert!(!holds(
            "app.py",
            text,
            "attribute",
            "make().run",
            "resolves-to-matches",
            &["[.]run$"]
        ));
        assert!(!holds(
            "app.py",
            text,
            "identifier",
            "F",
            "resolves-to-matches",
            &["^F$"]
        ));
    }

    #[test]
    fn argument_of_is_a_positional_argument_of_the_call() {
        let text = "import os as o\na = o.getenv(\"DIR\", \"/tmp\")\nb = o.getenv(\"DIR\", default=\"/var/tmp\")\nc = open(\"/tmp/x\")\nd = o.getenv(\"/gen\" for _ in range(1))\nclass C(\"/srv\"):\n    pass\n";
        assert!(holds(
            "app.py",
            text,
            "string",
            "\"/tmp\"",
            "argument-of",
            &["os.getenv", "os.environ.get"]
        ));
        assert!(holds(
            "app.py",
            text,
            "string",
            "\"/tmp\"",
            "argument-of",
            &["os.*"]
        ));
        // A keyword argument's value, a generator's body, another function, a class's bases.
        assert!(!holds(
            "app.py",
            text,
            "string",
            "\"/gen\"",
            "argument-of",
            &["os.getenv"]
        ));
        assert!(!holds(
            "app.py",
            text,
            "string",
            "\"/var/tmp\"",
            "argument-of",
            &["os.getenv"]
        ));
        assert!(!holds(
            "app.py",
            text,
            "string",
            "\"/tmp/x\"",
            "argument-of",
            &["os.getenv"]
        ));
        assert!(holds(
            "app.py",
            text,
            "string",
            "\"/tmp/x\"",
            "argument-of",
            &["open"]
        ));
        assert!(!holds(
            "app.py",
            text,
            "string",
            "\"/srv\"",
            "argument-of",
            &["C"]
        ));
    }

    #[test]
    fn module_constant_matches_the_last_top_level_assignment() {
        let text = "CORS_ALLOW_ALL_ORIGINS = False\nCORS_ALLOW_ALL_ORIGINS = True\nx = 1\n";
        let holds_for = |name: &str, pattern: &str| {
            holds(
                "settings.py",
                text,
                "integer",
                "1",
                "module-constant-matches",
                &[name, pattern],
            )
        };
        assert!(holds_for("CORS_ALLOW_ALL_ORIGINS", "^True$"));
        assert!(!holds_for("CORS_ALLOW_ALL_ORIGINS", "^False$"));
        assert!(!holds_for("CORS_ORIGIN_ALLOW_ALL", "^True$"));
    }

    #[test]
    fn django_settings_module_by_path_or_installed_apps() {
        let plain = "DEBUG = True\n";
        let django = "INSTALLED_APPS = []\nDEBUG = True\n";
        let holds_for = |path: &str, text: &str| {
            holds(path, text, "true", "True", "django-settings-module", &[])
        };
        assert!(holds_for("site/settings.py", plain));
        assert!(holds_for("site/settings/production.py", plain));
        assert!(holds_for("site/config.py", django));
        assert!(!holds_for("site/config.py", plain));
        // Development settings may debug.
        assert!(!holds_for("site/settings/dev.py", plain));
        assert!(!holds_for("site/settings/local_alice.py", django));
        assert!(!holds_for("site/settings/test.py", plain));
        // A base module is judged as production sees it, by a project rule.
        assert!(!holds_for("site/settings/base.py", plain));
        assert!(!holds_for("config/django/base.py", django));
    }

    #[test]
    fn is_kind_tests_the_kind_of_the_node() {
        let text = "f(url=x)\n";
        assert!(holds(
            "app.py",
            text,
            "keyword_argument",
            "url=x",
            "is-kind",
            &["string", "keyword_argument"]
        ));
        assert!(!holds(
            "app.py",
            text,
            "identifier",
            "x",
            "is-kind",
            &["keyword_argument"]
        ));
    }

    #[test]
    fn request_handler_binds_the_name_of_a_route_or_a_dependency() {
        let text = "\
from fastapi import Depends, Security
def get_db():
    return open(1)
def get_key():
    return open(2)
def helper():
    return open(3)
@router.get(\"/a\")
async def route(db=Depends(get_db), key=Security(get_key)):
    def inner():
        return open(4)
    return open(5)
@get
def bare():
    return open(6)
@get(\"/c\")
def called():
    return open(7)
";
        let handler = |argument: &str| {
            eval(
                "app.py",
                text,
                "call",
                &format!("open({argument})"),
                "request-handler",
                &["handler"],
            )
        };
        assert_eq!(handler("1"), (true, Some("get_db".into())));
        assert_eq!(handler("2"), (true, Some("get_key".into())));
        assert_eq!(handler("5"), (true, Some("route".into())));
        assert_eq!(handler("7"), (true, Some("called".into())));
        // A helper, a function nested in a handler, a bare decorator that is no route.
        assert_eq!(handler("3"), (false, None));
        assert_eq!(handler("4"), (false, None));
        assert_eq!(handler("6"), (false, None));
    }

    #[test]
    fn has_kwargs_splat_is_a_double_star_argument() {
        let text = "f(a, **options)\ng(*args, timeout=None)\nh(**{})\n";
        let splat = |call: &str| holds("app.py", text, "call", call, "has-kwargs-splat", &[]);
        assert!(splat("f(a, **options)"));
        assert!(splat("h(**{})"));
        // A single star and keyword arguments are not `**`.
        assert!(!splat("g(*args, timeout=None)"));
    }

    #[test]
    fn function_predicates_look_at_the_innermost_function() {
        let text = "\
@app.websocket(\"/ws\", dependencies=[Depends(verify)])
async def chat(ws, file: UploadFile, other: Optional[str], plain):
    # no size check here
    await ws.accept()
    def inner(file):
        return file.read()
    return plain.read()

@sock.ws
def raw(ws):
    ws.accept()  # token checked by the proxy
";
        let at = |wanted: &str, predicate: &str, strings: &[&str]| {
            holds("app.py", text, "call", wanted, predicate, strings)
        };
        let decorator = ["(^|[.])(websocket|ws)$"];
        assert!(at("ws.accept()", "function-decorator-matches", &decorator));
        // The nested function has no decorator of its own.
        assert!(!at("file.read()", "function-decorator-matches", &decorator));
        // Decorators count only for `#decorated-function-mentions?`;
        // comments never count; case is ignored.
        assert!(at(
            "ws.accept()",
            "decorated-function-mentions",
            &["VERIFY"]
        ));
        assert!(!at("ws.accept()", "function-mentions", &["verify"]));
        assert!(at("ws.accept()", "function-mentions", &["uploadfile"]));
        assert!(!at("ws.accept()", "function-mentions", &["size"]));
        assert!(!at("file.read()", "function-mentions", &["uploadfile"]));
        let raw = "@sock.ws\ndef raw(ws):\n    ws.accept()  # token checked by the proxy\n";
        assert!(!holds(
            "app.py",
            raw,
            "call",
            "ws.accept()",
            "decorated-function-mentions",
            &["token"]
        ));
        assert!(holds(
            "app.py",
            raw,
            "call",
            "ws.accept()",
            "function-decorator-matches",
            &decorator
        ));
        // A parameter of the innermost function, by its annotation.
        let annotated = |name: &str, wanted: &str| {
            holds(
                "app.py",
                text,
                "identifier",
                name,
                "parameter-annotated",
                &[wanted],
            )
        };
        assert!(annotated("file", "UploadFile"));
        assert!(annotated("other", "^Optional"));
        assert!(!annotated("plain", "."));
        assert!(!annotated("ws", "."));
    }

    #[test]
    fn defines_routes_is_a_module_fact() {
        let routes = "@router.post(\"/a\")\ndef a():\n    x()\n";
        let plain = "@functools.cache\ndef a():\n    x()\n";
        assert!(holds(
            "app.py",
            routes,
            "call",
            "x()",
            "defines-routes",
            &[]
        ));
        assert!(!holds(
            "app.py",
            plain,
            "call",
            "x()",
            "defines-routes",
            &[]
        ));
    }

    #[test]
    fn runs_as_script_is_a_top_level_main_guard() {
        let script = "import logging\nlogging.basicConfig(level=logging.INFO)\n\nif __name__ == \"__main__\":\n    main()\n";
        let nested = "import logging\nlogging.basicConfig(level=logging.INFO)\n\ndef f():\n    if __name__ == \"__main__\":\n        main()\n";
        let other = "import logging\nlogging.basicConfig(level=logging.INFO)\n\nif __name__ == \"app\":\n    main()\n";
        let holds_in = |text: &str| {
            holds(
                "app/init.py",
                text,
                "call",
                "logging.basicConfig(level=logging.INFO)",
                "module-runs-as-script",
                &[],
            )
        };
        assert!(holds_in(script));
        assert!(!holds_in(nested));
        assert!(!holds_in(other));
    }

    #[test]
    fn builds_sql_from_values_not_from_structure() {
        let text = "\
def f(cursor, email, table, ids):
    query = \"DELETE FROM users WHERE id = \" + email
    run(f\"SELECT * FROM users WHERE email = '{email}'\")
    run(\"SELECT * FROM users WHERE id = %s\" % email)
    run(\"UPDATE users SET name = '{}'\".format(email))
    run((query))
    run(f\"SELECT * FROM {table} WHERE id = {int(email)}\")
    run(f\"SELECT * FROM {TABLE}\")
    run(f\"Hello {email}, welcome\")
    run(\"SELECT * FROM users WHERE id = %s\" % (LIMIT,))
    run(other)
";
        let sql = |kind: &str, wanted: &str| holds("app.py", text, kind, wanted, "builds-sql", &[]);
        assert!(sql(
            "string",
            "f\"SELECT * FROM users WHERE email = '{email}'\""
        ));
        assert!(sql(
            "binary_operator",
            "\"SELECT * FROM users WHERE id = %s\" % email"
        ));
        assert!(sql(
            "call",
            "\"UPDATE users SET name = '{}'\".format(email)"
        ));
        assert!(sql(
            "binary_operator",
            "\"DELETE FROM users WHERE id = \" + email"
        ));
        // A name assigned SQL earlier in the function.
        assert!(sql("parenthesized_expression", "(query)"));
        // Structure, constants, casts and text that is no SQL.
        assert!(!sql(
            "string",
            "f\"SELECT * FROM {table} WHERE id = {int(email)}\""
        ));
        assert!(!sql("string", "f\"SELECT * FROM {TABLE}\""));
        assert!(!sql("string", "f\"Hello {email}, welcome\""));
        assert!(!sql(
            "binary_operator",
            "\"SELECT * FROM users WHERE id = %s\" % (LIMIT,)"
        ));
        assert!(!sql("identifier", "other"));
        assert!(!sql("call", "run((query))"));
    }

    #[test]
    fn single_argument_leaves_comments_aside() {
        let text = "f(a)\ng(a, b)\nh(\n    a,  # why\n)\nk()\n";
        let single = |call: &str| holds("app.py", text, "call", call, "single-argument", &[]);
        assert!(single("f(a)"));
        assert!(single("h(\n    a,  # why\n)"));
        assert!(!single("g(a, b)"));
        assert!(!single("k()"));
    }

    #[test]
    fn exposes_exception_follows_the_nearest_except_clause() {
        let text = "\
import traceback as tb
def f():
    try:
        x()
    except ValueError as e:
        show(str(e))
        show(e.status_code)
        show(e.args)
        show(f\"{err}\")
    except Exception:
        show(tb.format_exc())
        show(\"failed\")
    try:
        y()
    except (KeyError, Exception) as err:
        show(f\"{err}\")
";
        let shows = |wanted: &str| {
            holds(
                "app.py",
                text,
                "argument_list",
                wanted,
                "exposes-exception",
                &[],
            )
        };
        assert!(shows("(str(e))"));
        assert!(shows("(e.args)"));
        assert!(shows("(tb.format_exc())"));
        // A chosen field, another clause's name, a constant message.
        assert!(!shows("(e.status_code)"));
        // The first `f"{err}"` is in the `ValueError as e` clause.
        assert!(!shows("(f\"{err}\")"));
        assert!(!shows("(\"failed\")"));
        let narrow = |wanted: &str| {
            holds(
                "app.py",
                text,
                "argument_list",
                wanted,
                "in-narrow-except",
                &[],
            )
        };
        assert!(narrow("(str(e))"));
        // `except Exception:` names nothing; a tuple with `Exception` catches everything.
        assert!(!narrow("(tb.format_exc())"));
        let last = "try:\n    y()\nexcept (KeyError, Exception) as err:\n    show(err)\n";
        assert!(!holds(
            "app.py",
            last,
            "argument_list",
            "(err)",
            "in-narrow-except",
            &[]
        ));
        assert!(holds(
            "app.py",
            last,
            "argument_list",
            "(err)",
            "exposes-exception",
            &[]
        ));
    }

    #[test]
    fn exposes_exception_reads_exception_handlers() {
        let text = "\
@app.exception_handler(Exception)
async def crash(request, exc):
    show(str(exc))
    show(type(exc).__name__)
    show(str(exc) if settings.DEBUG else \"failed\")
    if isinstance(exc, ValueError):
        show(repr(exc))

@app.exception_handler(ValueError)
async def invalid(request, error):
    show(repr(error))
    show(error.message)

async def registered(request, problem):
    show(f\"{problem}\")

app.add_exception_handler(KeyError, registered)

async def unregistered(request, other):
    show(str(other))
";
        let holds_at = |wanted: &str, predicate: &str| {
            holds("app.py", text, "argument_list", wanted, predicate, &[])
        };
        assert!(holds_at("(str(exc))", "exposes-exception"));
        assert!(!holds_at("(str(exc))", "in-narrow-except"));
        assert!(!holds_at("(type(exc).__name__)", "exposes-exception"));
        // A type checked in a catch-all handler narrows it.
        assert!(holds_at("(repr(exc))", "in-narrow-except"));
        assert!(!holds_at(
            "(str(exc) if settings.DEBUG else \"failed\")",
            "exposes-exception"
        ));
        assert!(holds_at("(repr(error))", "exposes-exception"));
        assert!(holds_at("(repr(error))", "in-narrow-except"));
        // A specific handler's `exc.message` is the custom exception's own field.
        assert!(!holds_at("(error.message)", "exposes-exception"));
        assert!(holds_at("(f\"{problem}\")", "exposes-exception"));
        assert!(holds_at("(f\"{problem}\")", "in-narrow-except"));
        // Not registered as a handler: its parameter is not an exception.
        assert!(!holds_at("(str(other))", "exposes-exception"));
    }

    #[test]
    fn allows_every_origin_reads_the_cors_call() {
        let text = "\
from flask_cors import CORS
ORIGINS = [\"*\"]
app.add_middleware(CORSMiddleware, allow_origins=ORIGINS)
app.add_middleware(CORSMiddleware, allow_origins=[\"https://a.example\"])
app.add_middleware(CORSMiddleware, allow_origin_regex=\"https?://.*\")
app.add_middleware(CORSMiddleware, allow_origin_regex=r\"https://.*[.]example[.]com\")
CORS(app)
CORS(api, origins=[\"https://a.example\"])
CORS(web, resources={r\"/api/*\": {\"origins\": \"*\"}})
";
        let every = |call: &str| holds("app.py", text, "call", call, "allows-every-origin", &[]);
        assert!(every(
            "app.add_middleware(CORSMiddleware, allow_origins=ORIGINS)"
        ));
        assert!(every(
            "app.add_middleware(CORSMiddleware, allow_origin_regex=\"https?://.*\")"
        ));
        // flask-cors allows every origin unless told otherwise.
        assert!(every("CORS(app)"));
        assert!(every(
            "CORS(web, resources={r\"/api/*\": {\"origins\": \"*\"}})"
        ));
        assert!(!every(
            "app.add_middleware(CORSMiddleware, allow_origins=[\"https://a.example\"])"
        ));
        assert!(!every(
            "app.add_middleware(CORSMiddleware, allow_origin_regex=r\"https://.*[.]example[.]com\")"
        ));
        assert!(!every("CORS(api, origins=[\"https://a.example\"])"));
    }

    #[test]
    fn a_star_pattern_matches_members_only() {
        assert!(name_matches("requests.get", "requests.*"));
        assert!(name_matches("requests.get", "requests.get"));
        assert!(!name_matches("requests", "requests.*"));
        assert!(!name_matches("requestsx.get", "requests.*"));
    }
}
