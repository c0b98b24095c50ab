//! Django settings as project facts: what a settings module sets at its top
//! level (the deployment settings only, with their values as far as the
//! code says them), which modules it star-imports (`from .base import *`),
//! and which settings module a `DJANGO_SETTINGS_MODULE` names. The project
//! rule `django-production-settings` resolves a production module with its
//! star imports into one configuration: the module's own value overrides
//! the imported one.

use crate::python::PythonNode as _;
use std::{collections::BTreeMap, ops::Range, path::Path, sync::LazyLock};

use regex::Regex;
use tree_sitter::Node;

use crate::python::string_value;

/// The settings whose values the facts keep.
pub const TRACKED_SETTINGS: [&str; 11] = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "CORS_ALLOW_ALL_ORIGINS",
    "CORS_ORIGIN_ALLOW_ALL",
    "CORS_ALLOW_CREDENTIALS",
    "CSRF_USE_SESSIONS",
];

/// What a settings module is for, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsRole {
    /// `dev.py`, `local.py`, `test.py`, `ci.py`, `dev_*`, `local_*`,
    /// `test_*`: meant to differ from production.
    Development,
    /// `base.py`, `common.py`, `defaults.py`, ...: the shared part the
    /// environment modules import and override.
    Base,
    /// `production.py`, `prod.py`, `live.py` (also `production_*`).
    Production,
    Other,
}

/// The role of a settings module by its path.
pub fn settings_role(path: &Path) -> SettingsRole {
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if matches!(
        stem.as_str(),
        "dev" | "development" | "local" | "test" | "tests" | "testing" | "ci"
    ) || stem.starts_with("dev_")
        || stem.starts_with("local_")
        || stem.starts_with("test_")
    {
        SettingsRole::Development
    } else if matches!(
        stem.as_str(),
        "base" | "common" | "defaults" | "default" | "shared" | "core"
    ) {
        SettingsRole::Base
    } else if matches!(stem.as_str(), "production" | "prod" | "live")
        || stem.starts_with("production_")
        || stem.starts_with("prod_")
    {
        SettingsRole::Production
    } else {
        SettingsRole::Other
    }
}

/// A value as far as the code says it.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingValue {
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<SettingValue>),
    /// Computed, conditional or read from the environment without a
    /// default: not known before run time.
    Unknown,
}

impl SettingValue {
    /// The value as a flag, as Django and the usual environment readers
    /// (`env.bool`, `strtobool`) read it; `None` when unknown.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            SettingValue::Bool(value) => Some(*value),
            SettingValue::Int(value) => Some(*value != 0),
            SettingValue::Str(text) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" | "y" | "t" => Some(true),
                "false" | "0" | "no" | "off" | "n" | "f" | "" => Some(false),
                other => other.parse::<i64>().ok().map(|number| number != 0),
            },
            SettingValue::List(items) => Some(!items.is_empty()),
            SettingValue::Unknown => None,
        }
    }

    /// Whether the value is or holds the string `*`.
    pub fn holds_wildcard(&self) -> bool {
        match self {
            SettingValue::Str(text) => text.split(',').any(|part| part.trim() == "*"),
            SettingValue::List(items) => items.iter().any(SettingValue::holds_wildcard),
            _ => false,
        }
    }
}

/// One top-level assignment of a tracked setting.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingFact {
    /// The whole statement.
    pub range: Range<usize>,
    /// The assigned value.
    pub value_range: Range<usize>,
    pub value: SettingValue,
    /// The value is written as a literal (`True`, `"..."`), not computed.
    pub literal: bool,
}

/// What a Django settings module sets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DjangoSettings {
    /// Modules imported with `from MODULE import *` at the top level, as
    /// absolute dotted names, in order.
    pub star_imports: Vec<String>,
    /// The tracked settings it assigns (the last top-level assignment of
    /// each).
    pub values: BTreeMap<String, SettingFact>,
    /// The first top-level statement that is not a docstring or an import:
    /// where a finding about the whole module goes (the first line when
    /// there is none).
    pub anchor: Range<usize>,
}

static SETTINGS_MODULE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"DJANGO_SETTINGS_MODULE["']\s*(?:,|\]\s*=)\s*["']([A-Za-z_][\w.]*)["']"#).unwrap()
});

/// The settings module a Python file selects: `os.environ.setdefault(
/// "DJANGO_SETTINGS_MODULE", "config.settings.production")` or
/// `os.environ["DJANGO_SETTINGS_MODULE"] = "..."` (`wsgi.py`, `asgi.py`,
/// `manage.py`).
pub fn settings_module_reference(text: &str) -> Option<(String, Range<usize>)> {
    SETTINGS_MODULE_REFERENCE
        .captures_iter(text)
        .filter_map(|found| found.get(1))
        .find(|name| {
            // Not in a comment (`# os.environ["DJANGO_SETTINGS_MODULE"] = ...`).
            let line_start = text[..name.start()].rfind('\n').map_or(0, |at| at + 1);
            !text[line_start..name.start()].contains('#')
        })
        .map(|name| (name.as_str().to_string(), name.range()))
}

/// The settings module `from`-imported by a statement of module `module`
/// (relative imports resolved).
fn absolute_module(module: &str, is_package: bool, imported: &str) -> Option<String> {
    let dots = imported.len() - imported.trim_start_matches('.').len();
    let rest = &imported[dots..];
    if dots == 0 {
        return Some(rest.to_string());
    }
    let mut parts: Vec<&str> = module.split('.').collect();
    // `.x` in `a/b/c.py` is `a.b.x`; in `a/b/__init__.py`, `a.b.x`.
    let drop = if is_package { dots - 1 } else { dots };
    if drop > parts.len() {
        return None;
    }
    parts.truncate(parts.len() - drop);
    if !rest.is_empty() {
        parts.push(rest);
    }
    Some(parts.join("."))
}

/// The Django settings facts of a module, when it is a settings module:
/// named `settings.py` or inside a `settings/` package, or mentioning
/// `INSTALLED_APPS`, or assigning one of the tracked settings next to a
/// star import.
pub fn extract(
    path: &Path,
    module_name: &str,
    text: &str,
    root: Node<'_>,
) -> Option<DjangoSettings> {
    let stem = path.file_stem().and_then(|stem| stem.to_str());
    let in_settings_package = path
        .parent()
        .and_then(|parent| parent.file_name())
        .is_some_and(|name| name == "settings");
    let is_package = stem == Some("__init__");
    let mut settings = DjangoSettings::default();
    let mut cursor = root.walk();
    let mut anchor = None;
    for statement in root.named_children(&mut cursor) {
        match statement.kind_name() {
            "import_from_statement" => {
                let mut children = statement.walk();
                let wildcard = statement
                    .named_children(&mut children)
                    .any(|child| child.kind_name() == "wildcard_import");
                if wildcard
                    && let Some(source) = statement.field("module_name")
                    && let Some(name) =
                        absolute_module(module_name, is_package, &text[source.byte_range()])
                {
                    settings.star_imports.push(name);
                }
                continue;
            }
            "import_statement" | "comment" | "future_import_statement" => continue,
            "expression_statement" => {
                if let Some(assignment) = statement.named_child(0)
                    && assignment.kind_name() == "assignment"
                    && let Some(left) = assignment.field("left")
                    && let Some(right) = assignment.field("right")
                {
                    let name = &text[left.byte_range()];
                    if TRACKED_SETTINGS.contains(&name) {
                        let value = evaluate(text, right);
                        let literal = matches!(
                            right.kind_name(),
                            "true" | "false" | "integer" | "string" | "list" | "tuple"
                        );
                        settings.values.insert(
                            name.to_string(),
                            SettingFact {
                                range: statement.byte_range(),
                                value_range: right.byte_range(),
                                value,
                                literal,
                            },
                        );
                    }
                } else if anchor.is_none()
                    && statement
                        .named_child(0)
                        .is_some_and(|child| child.kind_name() == "string")
                {
                    // A docstring.
                    continue;
                }
            }
            // Conditional settings (`if not DEBUG: SECURE_SSL_REDIRECT =
            // True`, `try: ... except`): set, with a value known only at
            // run time.
            "if_statement" | "try_statement" | "with_statement" => {
                conditional_assignments(text, statement, &mut settings);
            }
            _ => {}
        }
        if anchor.is_none() {
            anchor = Some(statement.byte_range());
        }
    }
    settings.anchor = anchor.unwrap_or_else(|| 0..text.find('\n').unwrap_or(text.len()));
    // A module that sets nothing (an empty `settings/__init__.py`) is not
    // settings, wherever it is.
    let sets_something = !settings.values.is_empty() || !settings.star_imports.is_empty();
    let is_settings = text.contains("INSTALLED_APPS")
        || sets_something
            && (stem == Some("settings")
                || in_settings_package
                || !settings.star_imports.is_empty());
    is_settings.then_some(settings)
}

/// Records the tracked settings assigned anywhere inside a conditional
/// top-level statement as set to an unknown value (unless set before).
fn conditional_assignments(text: &str, statement: Node<'_>, settings: &mut DjangoSettings) {
    let mut cursor = statement.walk();
    loop {
        let node = cursor.node();
        if node.kind_name() == "assignment"
            && let Some(left) = node.field("left")
            && let Some(right) = node.field("right")
        {
            let name = &text[left.byte_range()];
            if TRACKED_SETTINGS.contains(&name) {
                settings.values.insert(
                    name.to_string(),
                    SettingFact {
                        range: node.byte_range(),
                        value_range: right.byte_range(),
                        value: SettingValue::Unknown,
                        literal: false,
                    },
                );
            }
        }
        if node.kind_name() != "function_definition"
            && node.kind_name() != "class_definition"
            && cursor.goto_first_child()
        {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() || cursor.node() == statement {
                return;
            }
        }
    }
}

/// The value of an expression as far as the code says it: literals; an
/// environment read (`env.bool("X", default=True)`, `os.environ.get("X",
/// "True")`, `config("X", default=True, cast=bool)`) is its default, or
/// unknown without one; `int(...)`, `.lower()`, `.split(",")` and a
/// comparison of two known strings are followed.
pub fn evaluate(text: &str, node: Node<'_>) -> SettingValue {
    match node.kind_name() {
        "true" => SettingValue::Bool(true),
        "false" => SettingValue::Bool(false),
        "integer" => text[node.byte_range()]
            .replace('_', "")
            .parse()
            .map_or(SettingValue::Unknown, SettingValue::Int),
        "string" => string_value(text, node).map_or(SettingValue::Unknown, SettingValue::Str),
        "list" | "tuple" => {
            let mut cursor = node.walk();
            SettingValue::List(
                node.named_children(&mut cursor)
                    .filter(|child| child.kind_name() != "comment")
                    .map(|child| evaluate(text, child))
                    .collect(),
            )
        }
        "parenthesized_expression" => node
            .named_child(0)
            .map_or(SettingValue::Unknown, |inner| evaluate(text, inner)),
        "comparison_operator" => {
            let (Some(left), Some(right)) = (node.named_child(0), node.named_child(1)) else {
                return SettingValue::Unknown;
            };
            if node.named_child_count() != 2 {
                return SettingValue::Unknown;
            }
            let operator = text[left.end_byte()..right.start_byte()].trim();
            match (evaluate(text, left), evaluate(text, right)) {
                (SettingValue::Str(a), SettingValue::Str(b)) => match operator {
                    "==" => SettingValue::Bool(a == b),
                    "!=" => SettingValue::Bool(a != b),
                    _ => SettingValue::Unknown,
                },
                _ => SettingValue::Unknown,
            }
        }
        "call" => evaluate_call(text, node),
        _ => SettingValue::Unknown,
    }
}

fn evaluate_call(text: &str, call: Node<'_>) -> SettingValue {
    let (Some(function), Some(arguments)) = (call.field("function"), call.field("arguments"))
    else {
        return SettingValue::Unknown;
    };
    let mut cursor = arguments.walk();
    let args: Vec<Node<'_>> = arguments
        .named_children(&mut cursor)
        .filter(|child| child.kind_name() != "comment")
        .collect();
    let function_text = &text[function.byte_range()];
    // `int(x)`, `bool(x)`, `str(x)`.
    if matches!(function_text, "int" | "bool" | "str") && args.len() == 1 {
        let inner = evaluate(text, args[0]);
        return match (function_text, inner) {
            ("int", SettingValue::Str(number)) => number
                .trim()
                .parse()
                .map_or(SettingValue::Unknown, SettingValue::Int),
            ("bool", value) => value
                .truthy()
                .map_or(SettingValue::Unknown, SettingValue::Bool),
            (_, value) => value,
        };
    }
    // `x.lower()`, `x.strip()`, `x.split(",")`.
    if function.kind_name() == "attribute"
        && let Some(object) = function.field("object")
        && let Some(method) = function.field("attribute")
    {
        match &text[method.byte_range()] {
            "lower" | "upper" | "strip" | "casefold" if args.is_empty() => {
                return match evaluate(text, object) {
                    SettingValue::Str(value) if text[method.byte_range()].starts_with('u') => {
                        SettingValue::Str(value.to_uppercase())
                    }
                    SettingValue::Str(value) if &text[method.byte_range()] == "strip" => {
                        SettingValue::Str(value.trim().to_string())
                    }
                    SettingValue::Str(value) => SettingValue::Str(value.to_lowercase()),
                    other => other,
                };
            }
            "split" => {
                return match evaluate(text, object) {
                    SettingValue::Str(value) => {
                        let separator = args
                            .first()
                            .and_then(|arg| string_value(text, *arg))
                            .unwrap_or_else(|| " ".to_string());
                        SettingValue::List(
                            value
                                .split(separator.as_str())
                                .map(|part| SettingValue::Str(part.to_string()))
                                .collect(),
                        )
                    }
                    other => other,
                };
            }
            _ => {}
        }
    }
    // An environment read: its first argument names an environment
    // variable (an upper-case string), its default is the `default=`
    // keyword or the second positional argument.
    let names_variable = args.first().is_some_and(|first| {
        string_value(text, *first).is_some_and(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
    });
    if !names_variable {
        return SettingValue::Unknown;
    }
    let keyword = args.iter().find_map(|arg| {
        (arg.kind_name() == "keyword_argument"
            && arg
                .field("name")
                .is_some_and(|name| &text[name.byte_range()] == "default"))
        .then(|| arg.field("value"))
        .flatten()
    });
    let positional = args
        .get(1)
        .filter(|arg| arg.kind_name() != "keyword_argument")
        .copied();
    match keyword.or(positional) {
        Some(default) => evaluate(text, default),
        None => SettingValue::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kind::FileKind, parse::parse};

    fn settings(path: &str, text: &str) -> Option<DjangoSettings> {
        let tree = parse(FileKind::Python, text, None).unwrap();
        let root = tree.root_node();
        extract(
            Path::new(path),
            &crate::project::module_name(Path::new(path)),
            text,
            root,
        )
    }

    #[test]
    fn roles_by_name() {
        let role = |path: &str| settings_role(Path::new(path));
        assert_eq!(role("config/settings/local.py"), SettingsRole::Development);
        assert_eq!(
            role("config/settings/test_ci.py"),
            SettingsRole::Development
        );
        assert_eq!(role("config/settings/base.py"), SettingsRole::Base);
        assert_eq!(role("config/django/base.py"), SettingsRole::Base);
        assert_eq!(role("config/django/staging.py"), SettingsRole::Other);
        assert_eq!(
            role("config/settings/production.py"),
            SettingsRole::Production
        );
        assert_eq!(role("site/prod.py"), SettingsRole::Production);
        assert_eq!(role("site/settings.py"), SettingsRole::Other);
    }

    #[test]
    fn values_star_imports_and_the_anchor() {
        let text = "\"\"\"Production.\"\"\"\nimport os\nfrom .base import *  # noqa\nfrom ..other import *\nDEBUG = os.environ.get(\"DEBUG\", \"True\")\nSECURE_SSL_REDIRECT = os.environ.get(\"SECURE_SSL_REDIRECT\", \"True\").lower() == \"true\"\nSECURE_HSTS_SECONDS = int(os.environ.get(\"HSTS\", \"3600\"))\nSESSION_COOKIE_SECURE = env.bool(\"SESSION_COOKIE_SECURE\", default=False)\nCSRF_COOKIE_SECURE = config(\"CSRF_COOKIE_SECURE\", cast=bool)\nALLOWED_HOSTS = os.getenv(\"HOSTS\", \"*\").split(\",\")\nif not DEBUG:\n    CORS_ALLOW_ALL_ORIGINS = False\n";
        let found = settings("config/settings/production.py", text).unwrap();
        assert_eq!(found.star_imports, ["config.settings.base", "config.other"]);
        let value = |name: &str| found.values[name].value.clone();
        assert_eq!(value("DEBUG").truthy(), Some(true));
        assert_eq!(value("SECURE_SSL_REDIRECT"), SettingValue::Bool(true));
        assert_eq!(value("SECURE_HSTS_SECONDS"), SettingValue::Int(3600));
        assert_eq!(value("SESSION_COOKIE_SECURE"), SettingValue::Bool(false));
        assert_eq!(value("CSRF_COOKIE_SECURE"), SettingValue::Unknown);
        assert!(value("ALLOWED_HOSTS").holds_wildcard());
        assert_eq!(value("CORS_ALLOW_ALL_ORIGINS"), SettingValue::Unknown);
        assert_eq!(
            &text[found.anchor.clone()],
            "DEBUG = os.environ.get(\"DEBUG\", \"True\")"
        );
        // Not settings: no settings name, no INSTALLED_APPS.
        assert!(settings("app/views.py", "DEBUG = True\n").is_none());
        assert!(settings("app/views.py", "from .base import *\nDEBUG = True\n").is_some());
        // An empty package module sets nothing.
        assert!(settings("config/settings/__init__.py", "# License.\n").is_none());
    }

    #[test]
    fn settings_module_references() {
        let text = "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings.production\")\n";
        let (name, range) = settings_module_reference(text).unwrap();
        assert_eq!(name, "config.settings.production");
        assert_eq!(&text[range], "config.settings.production");
        assert_eq!(
            settings_module_reference("os.environ['DJANGO_SETTINGS_MODULE'] = 'site.prod'\n")
                .unwrap()
                .0,
            "site.prod"
        );
        assert!(
            settings_module_reference("x = os.environ[\"DJANGO_SETTINGS_MODULE\"]\n").is_none()
        );
    }
}
