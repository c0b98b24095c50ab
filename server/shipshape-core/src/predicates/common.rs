//! Predicates for every file kind: where a node sits, what the file is.

use super::def::{Arg, Param, PredicateDef, node, regex, text, texts};
use crate::{
    check::{Captures, HookCx},
    dockerfile::secret_like_name,
    python::{is_script_path, is_test_path},
};

pub static PREDICATES: &[PredicateDef] = &[
    PredicateDef {
        name: "has-ancestor",
        binds: false,
        kinds: &[],
        params: &[Param::Capture, Param::Texts],
        doc: "the node has an ancestor (up to its top-level statement) of one of these node kinds",
        eval: has_ancestor,
    },
    PredicateDef {
        name: "has-parent",
        binds: false,
        kinds: &[],
        params: &[Param::Capture, Param::Texts],
        doc: "the node's parent is of one of these node kinds",
        eval: has_parent,
    },
    PredicateDef {
        name: "top-level",
        binds: false,
        kinds: &[],
        params: &[Param::Capture],
        doc: "the node is a top-level node of the file: a child of its root node (a Python `module`; not of an `ERROR` root, when error recovery could not make one). What `(module (NODE))` says, without a pattern rooted at the module, whose walk reaches every top-level statement at every keystroke",
        eval: top_level,
    },
    PredicateDef {
        name: "is-kind",
        binds: false,
        kinds: &[],
        params: &[Param::Capture, Param::Texts],
        doc: "the node is of one of these node kinds (with `#not-is-kind?`, a wildcard `(_)` leaves some out)",
        eval: is_kind,
    },
    PredicateDef {
        name: "ancestor-matches",
        binds: false,
        kinds: &[],
        params: &[Param::Capture, Param::Text, Param::Regex],
        doc: "the node's nearest ancestor (up to its top-level statement) of node kind KIND has a text that matches the regular expression (`(#not-ancestor-matches? @call \"function_definition\" \"model_validate\")`: the enclosing function never validates)",
        eval: ancestor_matches,
    },
    PredicateDef {
        name: "path-matches",
        binds: false,
        kinds: &[],
        params: &[Param::Regex],
        doc: "the file's path (with `/` separators) matches the regular expression",
        eval: path_matches,
    },
    PredicateDef {
        name: "test-path",
        binds: false,
        kinds: &[],
        params: &[],
        doc: "the file is test code (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`)",
        eval: test_path,
    },
    PredicateDef {
        name: "script-path",
        binds: false,
        kinds: &[],
        params: &[],
        doc: "the file is a script, not service code (`scripts/`, `bin/`, `manage.py`, ...)",
        eval: script_path,
    },
    PredicateDef {
        name: "service-project",
        binds: false,
        kinds: &[],
        params: &[],
        doc: "the project is a deployed service (it has a web framework, a Dockerfile or a deploy config)",
        eval: service_project,
    },
    PredicateDef {
        name: "secret-name",
        binds: false,
        kinds: &[],
        params: &[Param::Text],
        doc: "the name bound to NAME (the value it stands for, else its text: an `ENV`/`ARG` name, a compose environment variable's name) looks like the name of a secret: a `_`-separated part is `SECRET`, `PASSWORD`, `TOKEN`, ... or it holds `API_KEY`, `PRIVATE_KEY`, ... or ends in `_KEY`, unless its last part names something about the secret (`_FILE`, `_PATH`, `_URL`, `_EXPIRE_MINUTES`, ...) or it is a public key (`GPG_KEY`), a frontend build's public variable (`VITE_...`, `NEXT_PUBLIC_...`, `REACT_APP_...`) or a switch (a `USE`/`ENABLE`/`DISABLE` part)",
        eval: secret_name,
    },
];

fn has_ancestor<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    cx.ancestors(node)
        .any(|ancestor| texts(args, 1).any(|kind| ancestor.kind() == kind))
}

fn has_parent<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    cx.ancestors(node)
        .next()
        .is_some_and(|parent| texts(args, 1).any(|kind| parent.kind() == kind))
}

fn top_level<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    node(captures, args, 0).is_some_and(|node| cx.is_top_level(node))
}

fn is_kind<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    node(captures, args, 0).is_some_and(|node| texts(args, 1).any(|kind| node.kind() == kind))
}

fn ancestor_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(node) = node(captures, args, 0) else {
        return false;
    };
    let kind = text(args, 1);
    cx.ancestors(node)
        .find(|ancestor| ancestor.kind() == kind)
        .is_some_and(|ancestor| {
            // A function's text is its body's too.
            cx.reads_scope(ancestor);
            regex(args, 2).is_some_and(|regex| regex.is_match(cx.text(ancestor)))
        })
}

fn path_matches<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, args: &[Arg]) -> bool {
    let path = cx.file.path.to_string_lossy().replace('\\', "/");
    regex(args, 0).is_some_and(|regex| regex.is_match(&path))
}

fn test_path<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    is_test_path(cx.file.path)
}

fn script_path<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    is_script_path(cx.file.path)
}

fn service_project<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    cx.project.is_service()
}

fn secret_name<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    captures
        .text(text(args, 0), cx.file.text)
        .is_some_and(secret_like_name)
}
