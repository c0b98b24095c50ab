//! Hooks of the Python rules: what their queries cannot say (import
//! resolution, project context, names split into words, the shape of a
//! whole `except` body).

use crate::python::PythonNode as _;
use tree_sitter::Node;

use super::HookFn;
use crate::predicates::python::{
    catches_everything, django_development_settings, flask_cors_call, flask_cors_wildcard,
    resolved_string, wildcard_origins, wildcard_regex,
};
use crate::rule::{RuleId, ids};
use crate::{
    check::{Captures, Emit, HookCx},
    fix::{line_break, line_indent},
    python::{
        self, append_argument, decorator_name, decorators, has_keyword_splat, is_main_guard,
        is_placeholder_secret, is_script_path, is_secret_name, is_test_path, key_format,
        keyword_argument, remove_argument, string_value, url_password,
    },
    text::TextEdit,
};

pub static HOOKS: &[(RuleId, HookFn)] = &[
    (ids::CORS_WILDCARD_ORIGIN, cors_wildcard_origin),
    (ids::SILENT_EXCEPT, silent_except),
    (ids::PRINT_IN_SERVICE_CODE, print_in_service_code),
    (ids::HARDCODED_SECRET, hardcoded_secret),
    (ids::EMPTY_SECRET_DEFAULT, empty_secret_default),
    (ids::UNBOUNDED_REQUEST_FIELD, unbounded_request_field),
];

/// Allowed origins read from the environment: the expression the CORS fixes write.
const ORIGINS_FROM_ENVIRONMENT: &str =
    r#"[origin for origin in os.environ.get("ALLOWED_ORIGINS", "").split(",") if origin]"#;

fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn cors_wildcard_origin(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    if is_test_path(cx.file.path) {
        return;
    }
    let text = cx.file.text;
    // Django: `CORS_ALLOW_ALL_ORIGINS = True`.
    if let Some(setting) = captures.get("setting") {
        let Some(assignment) = setting.parent() else {
            return;
        };
        let fix = cx.fix(vec![TextEdit::replace(
            assignment.byte_range(),
            format!("CORS_ALLOWED_ORIGINS = {ORIGINS_FROM_ENVIRONMENT}"),
        )]);
        out.push(Emit {
            range: assignment.byte_range(),
            message: format!(
                "`{}` lets every website call this API from a browser; list the allowed origins in `CORS_ALLOWED_ORIGINS` instead.",
                cx.text(setting)
            ),
            fix,
        });
        return;
    }
    // flask-cors.
    if let Some(function) = captures.get("function") {
        let Some(call) = captures.get("call") else {
            return;
        };
        if !flask_cors_call(cx, function) {
            return;
        }
        let Some((at, wildcard)) = flask_cors_wildcard(cx, call) else {
            return;
        };
        let Some(arguments) = call.field("arguments") else {
            return;
        };
        let edit = match wildcard {
            Some(wildcard) => Some(TextEdit::replace(wildcard, ORIGINS_FROM_ENVIRONMENT)),
            None => append_argument(
                text,
                arguments,
                &format!("origins={ORIGINS_FROM_ENVIRONMENT}"),
            ),
        };
        let range = if at.id() == call.id() {
            function.start_byte()..call.end_byte()
        } else {
            at.byte_range()
        };
        out.push(Emit {
            range,
            message: "flask-cors allows every origin here (its default is `*`); pass the allowed origins, e.g. from an `ALLOWED_ORIGINS` environment variable.".into(),
            fix: edit.and_then(|edit| cx.fix(vec![edit])),
        });
        return;
    }
    // Starlette / FastAPI `CORSMiddleware`.
    let (Some(key), Some(value), Some(argument)) = (
        captures.get("key"),
        captures.get("value"),
        captures.get("finding"),
    ) else {
        return;
    };
    if cx.text(key) == "allow_origin_regex" {
        if resolved_string(cx, value).is_some_and(|pattern| wildcard_regex(&pattern)) {
            out.push(Emit {
                range: argument.byte_range(),
                message: "`allow_origin_regex` matches every origin, so every website can call this API from a browser; match only your own domains.".into(),
                fix: None,
            });
        }
        return;
    }
    let Some(wildcard) = wildcard_origins(cx, value, 0) else {
        return;
    };
    let via = if wildcard == value.byte_range() {
        String::new()
    } else {
        format!(" (through `{}`)", cx.text(value))
    };
    out.push(Emit {
        range: argument.byte_range(),
        message: format!(
            "`allow_origins` allows every origin{via}, so any website can call this API from a user's browser; list the allowed origins, e.g. from an `ALLOWED_ORIGINS` environment variable."
        ),
        fix: cx.fix(vec![TextEdit::replace(wildcard, ORIGINS_FROM_ENVIRONMENT)]),
    });
}

fn silent_except(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    if is_test_path(cx.file.path) {
        return;
    }
    let (Some(clause), Some(body)) = (captures.get("clause"), captures.get("body")) else {
        return;
    };
    if !catches_everything(cx, clause) {
        return;
    }
    let statements: Vec<Node<'_>> = cx
        .named_children(body)
        .into_iter()
        .filter(|child| child.kind_name() != "comment")
        .collect();
    let silent = |statement: &Node<'_>| match statement.kind_name() {
        "pass_statement" | "continue_statement" => true,
        "expression_statement" => statement
            .named_child(0)
            .is_some_and(|child| child.kind_name() == "ellipsis"),
        _ => false,
    };
    let Some(first) = statements.first() else {
        return;
    };
    if !statements.iter().all(silent) {
        return;
    }
    // A comment in the clause says why the error is ignored: a decision, not an accident.
    let last = statements.last().unwrap_or(first);
    let clause_end = crate::fix::next_line_start(cx.file.text, last.end_byte());
    if cx.file.text[clause.start_byte()..clause_end].contains('#') {
        return;
    }
    let text = cx.file.text;
    let module = cx.python();
    let logger_ready = match module.logger() {
        Some(name) => cx
            .constant_range(name)
            .is_some_and(|range| range.end <= clause.start_byte()),
        None => clause.start_byte() >= module.logger_defined_at(),
    };
    let fix = logger_ready.then(|| {
        let (logger, mut edits) = module.ensure_logger(text);
        let place = cx
            .enclosing_function(clause)
            .and_then(|function| function.field("name"))
            .map_or_else(
                || "module setup".to_string(),
                |name| format!("`{}`", cx.text(name)),
            );
        let call = format!(
            "{logger}.exception(\"Ignored error in {}\")",
            place.replace('`', "")
        );
        if first.kind_name() == "continue_statement" {
            let indent = line_indent(text, first.start_byte());
            let same_line = first.start_position().row == clause.start_position().row;
            if same_line {
                edits.push(TextEdit::insert(first.start_byte(), format!("{call}; ")));
            } else {
                edits.push(TextEdit::insert(
                    first.start_byte(),
                    format!("{call}{}{indent}", line_break(text)),
                ));
            }
        } else {
            edits.push(TextEdit::replace(first.byte_range(), call));
        }
        edits
    });
    let Some(keyword) = captures.get("finding") else {
        return;
    };
    out.push(Emit {
        range: keyword.start_byte()..body.start_byte().max(keyword.end_byte()),
        message: cx.message(captures),
        fix: fix.and_then(|edits| cx.fix(edits)),
    });
}

/// Packages whose import makes a module service code.
const SERVICE_PACKAGES: [&str; 14] = [
    "fastapi",
    "starlette",
    "flask",
    "django",
    "celery",
    "aiohttp",
    "sanic",
    "litestar",
    "quart",
    "tornado",
    "falcon",
    "dramatiq",
    "rq",
    "arq",
];

/// Packages whose import makes a module a command-line program.
const CLI_PACKAGES: [&str; 6] = ["click", "typer", "argparse", "fire", "docopt", "rich"];

fn print_in_service_code(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    let (Some(call), Some(arguments)) = (captures.get("finding"), captures.get("arguments")) else {
        return;
    };
    let path = cx.file.path;
    let module = cx.python();
    if is_test_path(path) || is_script_path(path) || module.has_import("print") {
        return;
    }
    let service = cx.project.is_service()
        || SERVICE_PACKAGES
            .iter()
            .any(|package| module.uses_package(package));
    if !service
        || CLI_PACKAGES
            .iter()
            .any(|package| module.uses_package(package))
    {
        return;
    }
    let text = cx.file.text;
    if cx
        .ancestors(call)
        .any(|ancestor| is_main_guard(text, ancestor))
    {
        return;
    }
    // Click/typer commands print on purpose.
    let in_command = cx
        .ancestors(call)
        .filter(|node| node.kind_name() == "function_definition")
        .any(|function| {
            decorators(function).into_iter().any(|decorator| {
                decorator_name(text, decorator).is_some_and(|name| {
                    matches!(last_segment(&name), "command" | "group" | "callback")
                        || name.starts_with("click.")
                })
            })
        });
    if in_command {
        return;
    }
    let items: Vec<Node<'_>> = cx
        .named_children(arguments)
        .into_iter()
        .filter(|child| child.kind_name() != "comment")
        .collect();
    let plain = !items.is_empty()
        && items.iter().all(|item| {
            !matches!(
                item.kind_name(),
                "keyword_argument" | "list_splat" | "dictionary_splat"
            )
        });
    let logger_ready = match module.logger() {
        Some(name) => cx
            .constant_range(name)
            .is_some_and(|range| range.end <= call.start_byte()),
        None => call.start_byte() >= module.logger_defined_at(),
    };
    let fix = (plain && logger_ready)
        .then(|| {
            let function = call.field("function")?;
            let (logger, mut edits) = module.ensure_logger(text);
            edits.push(TextEdit::replace(
                function.byte_range(),
                format!("{logger}.info"),
            ));
            if items.len() > 1 {
                let format = vec!["%s"; items.len()].join(" ");
                edits.push(TextEdit::insert(
                    items[0].start_byte(),
                    format!("\"{format}\", "),
                ));
            }
            cx.fix(edits)
        })
        .flatten();
    out.push(Emit {
        range: call.byte_range(),
        message: cx.message(captures),
        fix,
    });
}

/// The environment variable name a secret would be read from.
fn environment_name(name: &str) -> String {
    let words = python::name_words(name);
    if words.is_empty() {
        "SECRET".into()
    } else {
        words.join("_").to_ascii_uppercase()
    }
}

/// The class a statement is a field of, when the statement is directly in a
/// class body.
fn enclosing_class_of_field(statement: Node<'_>) -> Option<Node<'_>> {
    let block = statement
        .parent()
        .filter(|parent| parent.kind_name() == "block")?;
    block
        .parent()
        .filter(|parent| parent.kind_name() == "class_definition")
}

/// Whether a class is a pydantic settings class (`BaseSettings` or a
/// `*Settings` base).
fn is_settings_class(cx: &HookCx<'_>, class: Node<'_>) -> bool {
    let Some(bases) = class.field("superclasses") else {
        return false;
    };
    cx.named_children(bases).into_iter().any(|base| {
        let base = cx.text(base);
        last_segment(base).ends_with("Settings") || base == "BaseSettings"
    })
}

/// Whether a node sits in example data (`example=`, `examples=`,
/// `json_schema_extra`, an `"example"` key).
fn in_example(cx: &HookCx<'_>, node: Node<'_>) -> bool {
    cx.ancestors(node).any(|ancestor| {
        let key = match ancestor.kind_name() {
            "keyword_argument" => ancestor.field("name").map(|name| cx.text(name).to_string()),
            "pair" => ancestor
                .field("key")
                .and_then(|key| string_value(cx.file.text, key)),
            "assignment" => ancestor.field("left").map(|left| cx.text(left).to_string()),
            _ => None,
        };
        key.is_some_and(|key| {
            let key = key.to_ascii_lowercase();
            key.contains("example") || key.contains("schema_extra") || key.contains("sample")
        })
    })
}

fn hardcoded_secret(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    let text = cx.file.text;
    if is_test_path(cx.file.path) {
        return;
    }
    // Any literal with a well-known key format.
    if let Some(literal) = captures.get("literal") {
        let Some(value) = string_value(text, literal) else {
            return;
        };
        let Some((provider, variable)) = key_format(&value) else {
            return;
        };
        let fix = (!value.contains('\n')).then(|| {
            let mut edits = vec![TextEdit::replace(
                literal.byte_range(),
                format!("os.environ[\"{variable}\"]"),
            )];
            edits.extend(cx.python().ensure_import(text, "os"));
            edits
        });
        out.push(Emit {
            range: literal.byte_range(),
            message: format!("This string is {provider}: a credential in source code leaks with every copy of the repository; rotate it and read it from the environment (`{variable}`)."),
            fix: fix.and_then(|edits| cx.fix(edits)),
        });
        return;
    }
    if let (Some(url), Some(connect)) = (captures.get("url"), captures.get("connect")) {
        connection_url_password(cx, connect, url, out);
        return;
    }
    let (Some(name_node), Some(value_node)) = (captures.get("name"), captures.get("value")) else {
        return;
    };
    let name = match name_node.kind_name() {
        "string" => match string_value(text, name_node) {
            Some(name) => name,
            None => return,
        },
        "attribute" => match name_node.field("attribute") {
            Some(attribute) => cx.text(attribute).to_string(),
            None => return,
        },
        _ => cx.text(name_node).to_string(),
    };
    if !is_secret_name(&name) {
        return;
    }
    // `password=pw`: the literal that flows into the name (local dataflow),
    // unless the name itself is named as a secret (its assignment reports).
    let through = value_node.kind_name() == "identifier";
    let literal = if through {
        if is_secret_name(cx.text(value_node)) {
            return;
        }
        let flowed = crate::predicates::dataflow::flow(cx, value_node);
        let leaves: Vec<_> = flowed.iter().filter(|value| value.leaf).collect();
        match leaves.as_slice() {
            [only] if only.node.kind_name() == "string" => only.node,
            _ => return,
        }
    } else {
        value_node
    };
    let Some(value) = string_value(text, literal) else {
        return;
    };
    if key_format(&value).is_some() {
        // The `literal` pattern reports it, with the provider named.
        return;
    }
    if is_placeholder_secret(&value, &name) || in_example(cx, literal) {
        return;
    }
    // A pydantic settings field: drop the default so it must come from the environment.
    let field = name_node
        .parent()
        .filter(|parent| parent.kind_name() == "assignment")
        .filter(|assignment| assignment.field("type").is_some());
    let settings_field = field.and_then(|assignment| {
        let statement = assignment.parent()?;
        let class = enclosing_class_of_field(statement)?;
        is_settings_class(cx, class).then_some(assignment)
    });
    let variable = environment_name(&name);
    let fix = match settings_field {
        Some(assignment) => {
            let Some(kind) = assignment.field("type") else {
                return;
            };
            cx.fix(vec![TextEdit::delete(
                kind.end_byte()..assignment.end_byte(),
            )])
        }
        None => {
            let mut edits = vec![TextEdit::replace(
                value_node.byte_range(),
                format!("os.environ[\"{variable}\"]"),
            )];
            edits.extend(cx.python().ensure_import(text, "os"));
            cx.fix(edits)
        }
    };
    let hint = if settings_field.is_some() {
        "drop the default so the setting must come from the environment"
    } else {
        "read it from the environment"
    };
    let via = if through {
        format!(" (through `{}`)", cx.text(value_node))
    } else {
        String::new()
    };
    out.push(Emit {
        range: value_node.byte_range(),
        message: format!("`{name}` is a secret written in the source{via}: it leaks with every copy of the repository and cannot be rotated without a deploy; {hint}."),
        fix,
    });
}

/// The user, password and host of a URL with credentials
/// (`scheme://user:password@host/...`), when the password is written out:
/// read by `python::url_password`, and not a template (`{password}`,
/// `%(password)s`, `<password>`) or one character repeated.
fn url_credentials(url: &str) -> Option<(&str, &str, &str)> {
    let range = url_password(url)?;
    let user = &url[url.find("://")? + 3..range.start - 1];
    let password = &url[range.clone()];
    let host = url[range.end + 1..].split(['/', '?', '#']).next()?;
    let written = !password.contains(['{', '}', '%', '<', '>', '*'])
        && !password
            .chars()
            .all(|c| c == password.chars().next().unwrap_or(c));
    written.then_some((user, password, host))
}

/// A connection URL that carries a password written in the source: the
/// first argument of a database, cache or broker client, or a string that
/// flows into it through local dataflow (`url = "postgresql://app:...@db/app"`
/// before `create_engine(url)`). Local hosts (`scott:tiger@localhost`) and
/// placeholder passwords (`user:password`, `guest:guest`) are development
/// setups.
fn connection_url_password(cx: &HookCx<'_>, connect: Node<'_>, url: Node<'_>, out: &mut Vec<Emit>) {
    let text = cx.file.text;
    let through = url.kind_name() == "identifier";
    let flowed = crate::predicates::dataflow::flow(cx, url);
    let found = flowed.iter().find_map(|flowed| {
        if !flowed.leaf || flowed.node.kind_name() != "string" {
            return None;
        }
        let value = string_value(text, flowed.node)?;
        let (user, password, host) = url_credentials(&value)?;
        let host_name = host
            .rsplit_once(':')
            .map_or(host, |(name, _)| name)
            .trim_matches(['[', ']']);
        let local = matches!(
            host_name.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "::1" | "0.0.0.0" | "host" | "hostname"
        );
        let placeholder = password == user
            || is_placeholder_secret(password, "password")
            || ["pass", "pwd", "passwd", "user", "username"].contains(&password);
        (!local && !placeholder && !in_example(cx, flowed.node)).then(|| format!("{user}:…@{host}"))
    });
    let Some(shown) = found else {
        return;
    };
    let qualified = cx
        .python()
        .qualify(text, connect)
        .unwrap_or_else(|| cx.text(connect).to_string());
    let variable = match qualified.split('.').next().unwrap_or_default() {
        "redis" => "REDIS_URL",
        "pymongo" | "motor" => "MONGODB_URL",
        "pika" | "aio_pika" => "AMQP_URL",
        _ => "DATABASE_URL",
    };
    let fix = (!through).then(|| {
        let mut edits = vec![TextEdit::replace(
            url.byte_range(),
            format!("os.environ[\"{variable}\"]"),
        )];
        edits.extend(cx.python().ensure_import(text, "os"));
        edits
    });
    let via = if through {
        format!(", through `{}`", cx.text(url))
    } else {
        String::new()
    };
    out.push(Emit {
        range: url.byte_range(),
        message: format!("The URL passed to `{}` carries a password written in the source (`{shown}`{via}): it leaks with every copy of the repository and cannot be rotated without a deploy; read the URL from the environment (`{variable}`).", cx.text(connect)),
        fix: fix.and_then(|edits| cx.fix(edits)),
    });
}

/// Whether an empty default for this secret opens a hole rather than
/// leaving an optional integration unconfigured: secrets the service signs
/// or checks with (`SECRET_KEY`, `JWT_SECRET`, `SESSION_SECRET`). An empty
/// `OPENAI_API_KEY` or `SMTP_PASSWORD` only makes the outgoing call fail,
/// loudly, and an empty `ADMIN_PASSWORD` usually means "create no admin".
fn empty_default_matters(name: &str) -> bool {
    const OWN: [&str; 7] = [
        "secret",
        "signing",
        "jwt",
        "session",
        "encryption",
        "hmac",
        "salt",
    ];
    let words = python::name_words(name);
    let client_secret = words
        .windows(2)
        .any(|pair| pair[0] == "client" && pair[1] == "secret");
    !client_secret && words.iter().any(|word| OWN.contains(&word.as_str()))
}

/// Whether the module checks the variable an empty default lands in
/// (`if not SECRET_KEY`, `SECRET_KEY == ""`), so that an unset secret
/// stops the service or is replaced rather than used.
fn empty_case_handled(cx: &HookCx<'_>, call: Node<'_>) -> bool {
    let Some(target) = cx
        .ancestors(call)
        .find(|ancestor| ancestor.kind_name() == "assignment")
        .and_then(|assignment| assignment.field("left"))
    else {
        return false;
    };
    // The whole module counts, so this is a module fact.
    cx.python().tests_empty(cx.text(target))
}

fn empty_secret_default(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    let text = cx.file.text;
    if is_test_path(cx.file.path) {
        return;
    }
    // `os.getenv("SECRET_KEY", "dev")`, `os.environ.get("X", "")`.
    if let (Some(call), Some(function), Some(arguments)) = (
        captures.get("call"),
        captures.get("function"),
        captures.get("arguments"),
    ) {
        let Some(function_name) = cx.qualified_name(function) else {
            return;
        };
        if captures.get("name").is_none() {
            // `dj_database_url.config(default="postgres://...")`.
            database_url_default(cx, call, arguments, out);
            return;
        }
        // python-decouple's `config("X", default=...)` and django-environ's
        // `env("X", default=...)`/`env.str(...)` (an `environ.Env()`): their
        // default is the `default=` keyword, and the fix drops it (the read
        // then fails when the variable is missing, as `os.environ[...]`).
        let reader_variable = match function.kind_name() {
            "identifier" => Some(cx.text(function)),
            // `env.str(...)`, and the URL readers: `env.db("DATABASE_URL", default=...)`.
            "attribute"
                if function.field("attribute").is_some_and(|attribute| {
                    matches!(
                        cx.text(attribute),
                        "str" | "url" | "db" | "db_url" | "cache" | "cache_url" | "email_url"
                    )
                }) =>
            {
                function
                    .field("object")
                    .filter(|object| object.kind_name() == "identifier")
                    .map(|object| cx.text(object))
            }
            _ => None,
        };
        let keyword_reader = &*function_name == "decouple.config"
            || reader_variable.is_some_and(|variable| {
                cx.python().built_by(variable).as_deref() == Some("environ.Env")
            });
        if !keyword_reader
            && !matches!(
                &*function_name,
                "os.getenv" | "os.environ.get" | "os.environ.setdefault"
            )
        {
            return;
        }
        let Some(name_node) = captures.get("name") else {
            return;
        };
        let Some(name) = string_value(text, name_node) else {
            return;
        };
        // `settings/local.py`, `settings/test.py`: the fallback only ever
        // runs on a developer's machine or in CI.
        if django_development_settings(cx) {
            return;
        }
        let secret = is_secret_name(&name);
        let positional: Vec<Node<'_>> = cx
            .named_children(arguments)
            .into_iter()
            .filter(|child| !matches!(child.kind_name(), "comment" | "keyword_argument"))
            .collect();
        let keyword = keyword_argument(text, arguments, "default");
        let default = if keyword_reader {
            keyword.and_then(|argument| argument.field("value"))
        } else {
            positional
                .get(1)
                .copied()
                .or_else(|| keyword.and_then(|argument| argument.field("value")))
        };
        let Some(default) = default else { return };
        let Some(value) = string_value(text, default) else {
            return;
        };
        // `DATABASE_URL` is no secret's name, but its default may hold one.
        let url_with_password = !secret && literal_url_password(&value);
        if !secret && !url_with_password {
            return;
        }
        if value.trim().is_empty() && !empty_default_matters(&name) {
            return;
        }
        // `if not SECRET_KEY: raise ...` later in the module handles the empty case.
        if value.trim().is_empty() && empty_case_handled(cx, call) {
            return;
        }
        let shown = if value.is_empty() {
            "an empty string".to_string()
        } else {
            format!("`{}`", cx.text(default))
        };
        let fix = match keyword.filter(|_| keyword_reader) {
            // The reader fails without a default: drop it.
            Some(keyword) => cx.fix(vec![remove_argument(arguments, keyword)]),
            None => {
                let replacement = format!("os.environ[{}]", cx.text(name_node));
                cx.fix(
                    std::iter::once(TextEdit::replace(call.byte_range(), replacement))
                        .chain(cx.python().ensure_import(text, "os"))
                        .collect(),
                )
            }
        };
        let message = if url_with_password {
            url_default_message(&name, cx.text(default))
        } else {
            format!(
                "`{name}` silently falls back to {shown} when the environment does not set it, so the service starts with a known or empty secret; make it required."
            )
        };
        out.push(Emit {
            range: call.byte_range(),
            message,
            fix,
        });
        return;
    }
    // A settings class field.
    let (Some(name_node), Some(default), Some(assignment)) = (
        captures.get("name"),
        captures.get("default"),
        captures.get("finding"),
    ) else {
        return;
    };
    let Some(class) = enclosing_class_of_field(assignment) else {
        return;
    };
    if !is_settings_class(cx, class) {
        return;
    }
    let name = cx.text(name_node);
    let secret = is_secret_name(name);
    let Some(assignment_node) = assignment.named_child(0) else {
        return;
    };
    let Some(kind) = assignment_node.field("type") else {
        return;
    };
    let (value, edit) = if let Some(value) = string_value(text, default) {
        (
            value,
            TextEdit::delete(kind.end_byte()..assignment_node.end_byte()),
        )
    } else if default.kind_name() == "call"
        && default
            .field("function")
            .is_some_and(|function| last_segment(cx.text(function)) == "Field")
    {
        let Some(arguments) = default.field("arguments") else {
            return;
        };
        if let Some(keyword) = keyword_argument(text, arguments, "default") {
            let Some(value) = keyword
                .field("value")
                .and_then(|value| string_value(text, value))
            else {
                return;
            };
            (value, remove_argument(arguments, keyword))
        } else {
            let Some(first) = arguments
                .named_child(0)
                .filter(|first| first.kind_name() == "string")
            else {
                return;
            };
            let Some(value) = string_value(text, first) else {
                return;
            };
            (value, TextEdit::replace(first.byte_range(), "..."))
        }
    } else {
        return;
    };
    if !secret {
        // `database_url: str = "postgresql://app:s3cret@db/app"`.
        if literal_url_password(&value) {
            out.push(Emit {
                range: assignment.byte_range(),
                message: url_default_message(name, &format!("\"{value}\"")),
                fix: cx.fix(vec![edit]),
            });
        }
        return;
    }
    if !is_placeholder_secret(&value, name) {
        // A real value: hardcoded-secret reports it.
        return;
    }
    if value.trim().is_empty() && !empty_default_matters(name) {
        return;
    }
    let shown = if value.is_empty() {
        "an empty string".to_string()
    } else {
        format!("`\"{value}\"`")
    };
    out.push(Emit {
        range: assignment.byte_range(),
        message: format!("Settings field `{name}` defaults to {shown}: when the environment does not set it the service starts with a known or empty secret; make the field required."),
        fix: cx.fix(vec![edit]),
    });
}

/// Whether a default is a connection URL with a literal password, and not
/// the template of one (`postgres://user:pass@host:port/dbname`, whose host
/// is `host` or whose port is no number: it connects nowhere).
fn literal_url_password(url: &str) -> bool {
    let Some(password) = url_password(url) else {
        return false;
    };
    let authority = url[password.end + 1..]
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let (host, port) = match authority.strip_prefix('[') {
        // `[::1]:5432`.
        Some(bracketed) => match bracketed.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => (bracketed, None),
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let template_host = matches!(
        host.to_ascii_lowercase().as_str(),
        "host" | "hostname" | "your-host" | "your_host" | "dbhost" | "db_host"
    );
    let template_port = port.is_some_and(|port| !port.chars().all(|c| c.is_ascii_digit()));
    !template_host && !template_port
}

/// The message about a setting whose default is a connection URL with a
/// literal password.
fn url_default_message(name: &str, default: &str) -> String {
    format!(
        "`{name}` falls back to a connection URL with a literal password (`{default}`): wherever the environment does not set it, the password committed with the code is the one in use; make it required."
    )
}

/// `dj_database_url.config(default="postgres://app:s3cret@db/app")`: the
/// default is used when `DATABASE_URL` (or the `env=` variable) is unset;
/// the fix drops it (Django then stops on the unconfigured database).
fn database_url_default(cx: &HookCx<'_>, call: Node<'_>, arguments: Node<'_>, out: &mut Vec<Emit>) {
    let text = cx.file.text;
    let Some(keyword) = keyword_argument(text, arguments, "default") else {
        return;
    };
    let Some(default) = keyword.field("value") else {
        return;
    };
    let Some(value) = string_value(text, default) else {
        return;
    };
    if !literal_url_password(&value) || django_development_settings(cx) {
        return;
    }
    // `env="REPLICA_URL"`, `env=REPLICA_ENV` (a name for it), else
    // `DATABASE_URL` (`dj_database_url.DEFAULT_ENV`).
    let variable = match keyword_argument(text, arguments, "env").and_then(|env| env.field("value"))
    {
        Some(env) => string_value(text, env).unwrap_or_else(|| {
            let written = cx.text(env);
            if written.ends_with("DEFAULT_ENV") {
                "DATABASE_URL".to_string()
            } else {
                written.to_string()
            }
        }),
        None => "DATABASE_URL".to_string(),
    };
    out.push(Emit {
        range: call.byte_range(),
        message: url_default_message(&variable, cx.text(default)),
        fix: cx.fix(vec![remove_argument(arguments, keyword)]),
    });
}

/// Whether a type annotation is an unbounded string, bytes or list, and
/// which (`str`, `list`).
fn unbounded_type(annotation: &str) -> Option<&'static str> {
    let compact: String = annotation.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = compact
        .strip_prefix("Optional[")
        .and_then(|rest| rest.strip_suffix(']'))
        .or_else(|| compact.strip_suffix("|None"))
        .unwrap_or(&compact);
    if matches!(inner, "str" | "bytes") {
        return Some("str");
    }
    if (inner.starts_with("list[") || inner.starts_with("List[") || inner == "list")
        && !inner.contains("conlist")
    {
        return Some("list");
    }
    None
}

/// Class names whose models are request input by convention. The payload
/// of a token (`TokenPayload`, `JWTPayload`) is not: the service builds it
/// from claims it decoded and verified (`TokenPayload(**payload)`), never
/// from a request body.
fn is_request_model_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if ["tokenpayload", "jwtpayload", "claimspayload"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
    {
        return false;
    }
    ["Create", "Request", "In", "Update", "Payload", "Body"]
        .iter()
        .any(|suffix| {
            name.strip_suffix(suffix).is_some_and(|rest| {
                !rest.is_empty()
                    && rest.chars().next_back().is_some_and(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c.is_ascii_uppercase()
                    })
            })
        })
}

/// Whether a class is used as a body parameter of a route handler in this module.
fn used_as_request_body(cx: &HookCx<'_>, name: &str) -> bool {
    cx.python().used_as_request_body(name)
}

fn unbounded_request_field(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    let (Some(class), Some(field), Some(name), Some(annotation)) = (
        captures.get("class"),
        captures.get("finding"),
        captures.get("name"),
        captures.get("type"),
    ) else {
        return;
    };
    let text = cx.file.text;
    let Some(class_name) = class.field("name").map(|name| cx.text(name)) else {
        return;
    };
    let is_model = class.field("superclasses").is_some_and(|bases| {
        let bases = cx.text(bases);
        (bases.contains("BaseModel") || bases.contains("SQLModel") || bases.contains("Schema"))
            && !bases.contains("table=True")
    });
    if !is_model
        || is_test_path(cx.file.path)
        || !(is_request_model_name(class_name) || used_as_request_body(cx, class_name))
    {
        return;
    }
    let annotation_text = cx.text(annotation);
    if annotation_text.contains("max_length")
        || annotation_text.contains("StringConstraints")
        || annotation_text.contains("constr")
        || annotation_text.contains("conlist")
        || annotation_text.contains("Literal")
    {
        return;
    }
    let Some(kind) = unbounded_type(annotation_text) else {
        return;
    };
    let value = captures.get("value");
    let bound = if kind == "str" {
        "max_length=1000"
    } else {
        "max_length=100"
    };
    let field_name = cx.text(name);
    let edits = match value {
        Some(value) if value.kind_name() == "call" => {
            let Some(function) = value.field("function") else {
                return;
            };
            if last_segment(cx.text(function)) != "Field" {
                return;
            }
            let Some(arguments) = value.field("arguments") else {
                return;
            };
            if keyword_argument(text, arguments, "max_length").is_some()
                || has_keyword_splat(arguments)
            {
                return;
            }
            append_argument(text, arguments, bound).map(|edit| vec![edit])
        }
        Some(value) => {
            let mut edits = vec![TextEdit::replace(
                value.byte_range(),
                format!("Field(default={}, {bound})", cx.text(value)),
            )];
            edits.extend(cx.python().ensure_from_import(text, "pydantic", "Field"));
            Some(edits)
        }
        None => {
            let mut edits = vec![TextEdit::insert(
                annotation.end_byte(),
                format!(" = Field({bound})"),
            )];
            if !cx.python().has_import("Field") {
                edits.extend(cx.python().ensure_from_import(text, "pydantic", "Field"));
            }
            Some(edits)
        }
    };
    out.push(Emit {
        range: field.byte_range(),
        message: format!("`{class_name}.{field_name}` is request input with no upper bound: one request can send megabytes into memory, the database or an LLM prompt; add `max_length`."),
        fix: edits.and_then(|edits| cx.fix(edits)),
    });
}
