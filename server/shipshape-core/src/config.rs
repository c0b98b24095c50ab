//! Configuration: `[tool.shipshape]` in `pyproject.toml` or the top level of
//! a `shipshape.toml`, and (through the language server) editor settings.
//!
//! ```toml
//! [tool.shipshape]
//! exclude = ["migrations", "scripts/*.py"]   # files never checked
//! fail-on = "warning"                          # `check` exits 1 from this severity up
//! rule-paths = ["rules"]                      # folders of user rules (see crate::user_rules)
//!
//! [tool.shipshape.rules]
//! print-in-service-code = "off"                # off | on | hint | info | warning | error
//! hardcoded-secret = "error"
//!
//! [tool.shipshape.categories]
//! documentation = false                        # every rule of the category off
//!
//! [tool.shipshape.per-path-ignores]
//! "tests/**" = ["hardcoded-secret"]            # rule ids or categories
//! "railway.json" = ["railway-no-restart-policy"]
//! ```
//!
//! **Which file**: the nearest to a checked file wins — the first folder at or
//! above the file's folder holding a `shipshape.toml` (or `.shipshape.toml`),
//! or a `pyproject.toml` with a `[tool.shipshape]` table; in one folder
//! `shipshape.toml` beats `pyproject.toml`. Files are not merged. Globs are
//! relative to the folder of the file that declares them.
//!
//! **Within a layer**: a `rules` entry beats the rule's `categories` entry;
//! a per-path ignore beats both (the rule is off for those paths).
//!
//! **Layers** ([`Config`]): the configuration of a file is a stack of layers,
//! highest precedence first; for each rule the first layer that says
//! anything about it (its id or its category) decides. Excludes and
//! per-path ignores of every layer apply. With editor settings the stack is
//! built by [`merge`]: by default ([`ConfigurationPreference::FilesystemFirst`])
//! the project's file wins and editor settings fill in what it leaves open,
//! so that the editor shows what CI enforces.
//!
//! Problems (unknown keys, bad values, unknown rule ids, bad globs) are
//! [`ConfigProblem`]s with a byte range in the file; the rest of the file
//! still applies. A broken file is never an error.

use std::{
    collections::{BTreeMap, HashMap},
    ops::Range,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::{
    check::Finding,
    registry::registry,
    rule::{Category, Rule, Severity},
    user_rules::UserRules,
};
pub use crate::{
    registry::closest_rule,
    settings::{FailOn, FileSettings},
};

/// The names a configuration file may have, in order of preference within
/// one folder.
pub const CONFIG_FILE_NAMES: [&str; 3] = ["shipshape.toml", ".shipshape.toml", "pyproject.toml"];

/// What a `rules` or `categories` entry says about a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    /// On, at the rule's default severity.
    On,
    At(Severity),
}

impl RuleLevel {
    pub fn from_name(name: &str) -> Option<RuleLevel> {
        match name {
            "off" => Some(RuleLevel::Off),
            "on" | "default" => Some(RuleLevel::On),
            other => Severity::from_name(other).map(RuleLevel::At),
        }
    }

    fn severity(self, rule: &Rule) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::On => Some(rule.severity()),
            RuleLevel::At(severity) => Some(severity),
        }
    }
}

impl Default for FailOn {
    /// Any finding fails.
    fn default() -> Self {
        FailOn::At(Severity::Hint)
    }
}

/// A problem with a configuration: where (bytes of the config text; empty
/// for editor settings) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub range: Range<usize>,
    pub message: String,
}

/// A value of a configuration, independent of its format, with its byte
/// range in the source (TOML here; the language server builds these from
/// JSON editor settings, with empty ranges).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    String(String),
    Bool(bool),
    Integer(i64),
    Float(f64),
    Array(Vec<Item>),
    /// Entries in source order: (key, key range, value).
    Table(Vec<(String, Range<usize>, Item)>),
    /// Something no key accepts (a date).
    Other,
}

/// A value and its byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub span: Range<usize>,
    pub value: Value,
}

impl Item {
    pub fn new(value: Value) -> Item {
        Item { span: 0..0, value }
    }

    fn type_name(&self) -> &'static str {
        match self.value {
            Value::String(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Other => "a date",
        }
    }
}

/// Any self-describing format (JSON editor settings, TOML) deserializes
/// into an [`Item`] with empty ranges; the language server does
/// `serde_json::from_value::<Item>(settings)`.
impl<'de> serde::Deserialize<'de> for Item {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
        struct ItemVisitor;

        impl<'de> serde::de::Visitor<'de> for ItemVisitor {
            type Value = Item;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a settings value")
            }

            fn visit_bool<E>(self, value: bool) -> Result<Item, E> {
                Ok(Item::new(Value::Bool(value)))
            }

            fn visit_i64<E>(self, value: i64) -> Result<Item, E> {
                Ok(Item::new(Value::Integer(value)))
            }

            fn visit_u64<E>(self, value: u64) -> Result<Item, E> {
                Ok(Item::new(Value::Integer(
                    i64::try_from(value).unwrap_or(i64::MAX),
                )))
            }

            fn visit_f64<E>(self, value: f64) -> Result<Item, E> {
                Ok(Item::new(Value::Float(value)))
            }

            fn visit_str<E>(self, value: &str) -> Result<Item, E> {
                Ok(Item::new(Value::String(value.to_string())))
            }

            fn visit_unit<E>(self) -> Result<Item, E> {
                Ok(Item::new(Value::Other))
            }

            fn visit_none<E>(self) -> Result<Item, E> {
                Ok(Item::new(Value::Other))
            }

            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Item, D::Error> {
                <Item as serde::Deserialize>::deserialize(deserializer)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Item>()? {
                    items.push(item);
                }
                Ok(Item::new(Value::Array(items)))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Item>()? {
                    entries.push((key, 0..0, value));
                }
                Ok(Item::new(Value::Table(entries)))
            }
        }

        deserializer.deserialize_any(ItemVisitor)
    }
}

/// The editor's settings object (`rules`, `categories`, `exclude`,
/// `per-path-ignores` or `perPathIgnores`, `fail-on`, and
/// `configurationPreference`): its layer (globs relative to `root`, the
/// workspace folder), its preference and its problems (empty ranges: show
/// them as messages).
pub fn editor_settings(
    settings: &Item,
    root: &Path,
) -> (ConfigLayer, ConfigurationPreference, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let mut preference = ConfigurationPreference::default();
    let mut rest = settings.clone();
    if let Value::Table(entries) = &mut rest.value {
        entries.retain(|(key, span, value)| {
            if key != "configurationPreference" {
                return true;
            }
            match &value.value {
                Value::String(name) if ConfigurationPreference::from_name(name).is_some() => {
                    preference = ConfigurationPreference::from_name(name).unwrap_or_default();
                }
                _ => problems.push(ConfigProblem {
                    range: span.clone(),
                    message: format!(
                        "`configurationPreference`: expected \"filesystemFirst\", \"editorFirst\" or \"editorOnly\", found {}",
                        describe(value)
                    ),
                }),
            }
            false
        });
    }
    let (layer, found) = ConfigLayer::from_table(&rest, root, None);
    problems.extend(found);
    (layer, preference, problems)
}

/// Globs relative to a base folder, matched against a path and each of its
/// parent folders (so a glob naming a folder covers everything under it). A
/// glob without `/` matches a name at any depth, as in `.gitignore`.
#[derive(Clone, Debug, Default)]
pub struct PathGlobs {
    set: GlobSet,
    pub patterns: Vec<String>,
}

impl PathGlobs {
    fn build(patterns: &[String]) -> Result<PathGlobs, (usize, String)> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
            let trimmed = trimmed.strip_prefix('/').unwrap_or(trimmed);
            let anchored = if trimmed.contains('/') {
                trimmed.to_string()
            } else {
                format!("**/{trimmed}")
            };
            let glob = GlobBuilder::new(&anchored)
                .literal_separator(true)
                .build()
                .map_err(|error| (index, error.kind().to_string()))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|error| (0, error.to_string()))?;
        Ok(PathGlobs {
            set,
            patterns: patterns.to_vec(),
        })
    }

    /// Whether `relative` (a path relative to the base) or one of its parent
    /// folders matches.
    pub fn matches(&self, relative: &Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        relative
            .ancestors()
            .filter(|path| !path.as_os_str().is_empty())
            .any(|path| self.set.is_match(path))
    }
}

/// One configuration source: a config file's `[tool.shipshape]`, or the
/// editor's settings.
#[derive(Clone, Debug, Default)]
pub struct ConfigLayer {
    /// The file it came from (none for editor settings).
    pub source: Option<PathBuf>,
    /// The folder its globs are relative to.
    pub base: PathBuf,
    pub rules: BTreeMap<String, RuleLevel>,
    pub categories: BTreeMap<Category, bool>,
    pub exclude: PathGlobs,
    /// Globs and the rule ids or category names they turn off.
    pub per_path_ignores: Vec<(PathGlobs, Vec<String>)>,
    pub fail_on: Option<FailOn>,
    /// The user rules of the folders `rule-paths` names (relative to
    /// `base`), loaded with the layer (see [`crate::user_rules`]).
    pub rule_paths: Vec<PathBuf>,
    pub user_rules: UserRules,
}

const KNOWN_KEYS: [&str; 6] = [
    "rules",
    "categories",
    "exclude",
    "per-path-ignores",
    "fail-on",
    "rule-paths",
];

fn canonical_key(key: &str) -> &str {
    match key {
        "rulePaths" | "rule_paths" => "rule-paths",
        "perPathIgnores" | "per_path_ignores" => "per-path-ignores",
        "failOn" | "fail_on" => "fail-on",
        other => other,
    }
}

impl ConfigLayer {
    /// Builds a layer from the shipshape table (`[tool.shipshape]`, the top
    /// of `shipshape.toml`, or the editor's settings object). Every problem
    /// is reported and skipped; the rest applies.
    pub fn from_table(
        table: &Item,
        base: &Path,
        source: Option<PathBuf>,
    ) -> (ConfigLayer, Vec<ConfigProblem>) {
        let mut layer = ConfigLayer {
            source,
            base: base.to_path_buf(),
            ..ConfigLayer::default()
        };
        let mut problems = Vec::new();
        let mut problem = |range: &Range<usize>, message: String| {
            problems.push(ConfigProblem {
                range: range.clone(),
                message,
            });
        };
        let Value::Table(entries) = &table.value else {
            problem(
                &table.span,
                format!(
                    "the shipshape settings must be a table, not {}",
                    table.type_name()
                ),
            );
            return (layer, problems);
        };
        // User rules first: the `rules` and `per-path-ignores` tables may
        // name them.
        if let Some((_, _, item)) = entries
            .iter()
            .find(|(key, _, _)| canonical_key(key) == "rule-paths")
        {
            let folders: Vec<(String, Range<usize>)> =
                string_list(item, "rule-paths", &mut problem);
            layer.rule_paths = folders
                .iter()
                .map(|(folder, _)| PathBuf::from(folder))
                .collect();
            let (user_rules, unreadable) = crate::user_rules::load_folders(base, &layer.rule_paths);
            for (folder, error) in unreadable {
                let span = folders
                    .iter()
                    .find(|(name, _)| base.join(name) == folder)
                    .map_or(item.span.clone(), |(_, span)| span.clone());
                problem(
                    &span,
                    format!("`rule-paths`: cannot read {}: {error}", folder.display()),
                );
            }
            layer.user_rules = user_rules;
        }
        let known_rule =
            |id: &str| registry().get(id).is_some() || layer.user_rules.get(id).is_some();
        for (key, key_span, item) in entries {
            match canonical_key(key) {
                "rule-paths" => {}
                "rules" => {
                    for (id, id_span, value) in table_entries(item, "rules", &mut problem) {
                        if !known_rule(id) {
                            problem(id_span, unknown_rule(id));
                            continue;
                        }
                        match level_of(value) {
                            Some(level) => {
                                layer.rules.insert(id.clone(), level);
                            }
                            None => problem(
                                &value.span,
                                format!(
                                    "`{id}`: expected \"off\", \"on\", \"hint\", \"info\", \"warning\" or \"error\", found {}",
                                    describe(value)
                                ),
                            ),
                        }
                    }
                }
                "categories" => {
                    for (name, name_span, value) in table_entries(item, "categories", &mut problem)
                    {
                        let Some(category) = Category::ALL
                            .into_iter()
                            .find(|category| category.name() == name)
                        else {
                            problem(
                                name_span,
                                format!(
                                    "unknown category `{name}`; the categories are {}",
                                    Category::ALL.map(Category::name).join(", ")
                                ),
                            );
                            continue;
                        };
                        let on = match &value.value {
                            Value::Bool(on) => Some(*on),
                            Value::String(text) if text == "on" => Some(true),
                            Value::String(text) if text == "off" => Some(false),
                            _ => None,
                        };
                        match on {
                            Some(on) => {
                                layer.categories.insert(category, on);
                            }
                            None => problem(
                                &value.span,
                                format!(
                                    "`{name}`: expected true, false, \"on\" or \"off\", found {}",
                                    describe(value)
                                ),
                            ),
                        }
                    }
                }
                "exclude" => {
                    let patterns = string_list(item, "exclude", &mut problem);
                    layer.exclude = globs(&patterns, &mut problem);
                }
                "per-path-ignores" => {
                    for (pattern, pattern_span, value) in
                        table_entries(item, "per-path-ignores", &mut problem)
                    {
                        let names = string_list(value, pattern, &mut problem);
                        let mut kept = Vec::new();
                        for (name, span) in names {
                            let known = name == "*"
                                || known_rule(&name)
                                || Category::ALL.iter().any(|category| category.name() == name);
                            if known {
                                kept.push(name);
                            } else {
                                problem(&span, unknown_rule(&name));
                            }
                        }
                        let matcher =
                            globs(&[(pattern.clone(), pattern_span.clone())], &mut problem);
                        if !matcher.patterns.is_empty() && !kept.is_empty() {
                            layer.per_path_ignores.push((matcher, kept));
                        }
                    }
                }
                "fail-on" => match &item.value {
                    Value::String(name) if FailOn::from_name(name).is_some() => {
                        layer.fail_on = FailOn::from_name(name);
                    }
                    _ => problem(
                        &item.span,
                        format!(
                            "`fail-on`: expected \"hint\", \"info\", \"warning\", \"error\" or \"never\", found {}",
                            describe(item)
                        ),
                    ),
                },
                _ => problem(
                    key_span,
                    format!(
                        "unknown setting `{key}`; shipshape reads {}",
                        KNOWN_KEYS.map(|key| format!("`{key}`")).join(", ")
                    ),
                ),
            }
        }
        (layer, problems)
    }

    /// The path of `path` relative to the layer's base, if it is under it.
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        path.strip_prefix(&self.base).ok()
    }

    /// Whether the layer excludes `path` (absolute, or relative to the same
    /// folder as the layer's base).
    pub fn excludes(&self, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|relative| self.exclude.matches(relative))
    }

    /// Whether a per-path ignore turns `rule` off for `path`.
    pub fn ignores(&self, path: &Path, rule: &Rule) -> bool {
        let Some(relative) = self.relative(path) else {
            return false;
        };
        self.per_path_ignores.iter().any(|(globs, names)| {
            names
                .iter()
                .any(|name| name == "*" || name == rule.id || name == rule.meta.category.name())
                && globs.matches(relative)
        })
    }

    /// The rule ids and categories that per-path ignores turn off for `path`.
    pub fn ignored_names(&self, path: &Path) -> Vec<&str> {
        let Some(relative) = self.relative(path) else {
            return Vec::new();
        };
        self.per_path_ignores
            .iter()
            .filter(|(globs, _)| globs.matches(relative))
            .flat_map(|(_, names)| names.iter().map(String::as_str))
            .collect()
    }

    /// What this layer says about `rule`: its `rules` entry, else its
    /// category's entry, else nothing.
    pub fn level(&self, rule: &Rule) -> Option<RuleLevel> {
        if let Some(level) = self.rules.get(rule.id) {
            return Some(*level);
        }
        self.categories
            .get(&rule.meta.category)
            .map(|on| if *on { RuleLevel::On } else { RuleLevel::Off })
    }
}

fn unknown_rule(name: &str) -> String {
    match closest_rule(name) {
        Some(id) => format!("unknown rule `{name}`; did you mean `{id}`?"),
        None => format!("unknown rule `{name}`; `shipshape rules` lists them"),
    }
}

fn describe(item: &Item) -> String {
    match &item.value {
        Value::String(text) => format!("\"{text}\""),
        _ => item.type_name().to_string(),
    }
}

fn level_of(item: &Item) -> Option<RuleLevel> {
    match &item.value {
        Value::String(name) => RuleLevel::from_name(name),
        Value::Bool(true) => Some(RuleLevel::On),
        Value::Bool(false) => Some(RuleLevel::Off),
        _ => None,
    }
}

fn table_entries<'a>(
    item: &'a Item,
    name: &str,
    problem: &mut impl FnMut(&Range<usize>, String),
) -> &'a [(String, Range<usize>, Item)] {
    match &item.value {
        Value::Table(entries) => entries,
        _ => {
            problem(
                &item.span,
                format!("`{name}` must be a table, not {}", item.type_name()),
            );
            &[]
        }
    }
}

/// The strings of an array (or a single string), each with its range.
fn string_list(
    item: &Item,
    name: &str,
    problem: &mut impl FnMut(&Range<usize>, String),
) -> Vec<(String, Range<usize>)> {
    match &item.value {
        Value::String(text) => vec![(text.clone(), item.span.clone())],
        Value::Array(items) => items
            .iter()
            .filter_map(|element| match &element.value {
                Value::String(text) => Some((text.clone(), element.span.clone())),
                _ => {
                    problem(
                        &element.span,
                        format!("`{name}`: expected a string, found {}", element.type_name()),
                    );
                    None
                }
            })
            .collect(),
        _ => {
            problem(
                &item.span,
                format!(
                    "`{name}` must be an array of strings, not {}",
                    item.type_name()
                ),
            );
            Vec::new()
        }
    }
}

/// Compiles globs; a bad one is reported and left out.
fn globs(
    patterns: &[(String, Range<usize>)],
    problem: &mut impl FnMut(&Range<usize>, String),
) -> PathGlobs {
    let mut good = Vec::new();
    for (pattern, span) in patterns {
        match PathGlobs::build(std::slice::from_ref(pattern)) {
            Ok(_) => good.push(pattern.clone()),
            Err((_, error)) => problem(span, format!("bad glob `{pattern}`: {error}")),
        }
    }
    PathGlobs::build(&good).unwrap_or_default()
}

/// Converts a parsed TOML value into a [`Item`].
fn from_toml(value: &toml::Spanned<toml::de::DeValue<'_>>) -> Item {
    use toml::de::DeValue;
    let span = value.span();
    let value = match value.get_ref() {
        DeValue::String(text) => Value::String(text.to_string()),
        DeValue::Boolean(flag) => Value::Bool(*flag),
        DeValue::Integer(number) => Value::Integer(number.to_string().parse().unwrap_or(0)),
        DeValue::Float(number) => Value::Float(number.to_string().parse().unwrap_or(0.0)),
        DeValue::Datetime(_) => Value::Other,
        DeValue::Array(items) => Value::Array(items.iter().map(from_toml).collect()),
        DeValue::Table(table) => Value::Table(table_from_toml(table)),
    };
    Item { span, value }
}

fn table_from_toml(table: &toml::de::DeTable<'_>) -> Vec<(String, Range<usize>, Item)> {
    let mut entries: Vec<_> = table
        .iter()
        .map(|(key, value)| (key.get_ref().to_string(), key.span(), from_toml(value)))
        .collect();
    entries.sort_by_key(|(_, span, _)| span.start);
    entries
}

/// A configuration file, read and checked.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub text: String,
    /// `None` for a `pyproject.toml` without a `[tool.shipshape]` table.
    pub layer: Option<ConfigLayer>,
    pub problems: Vec<ConfigProblem>,
}

impl ConfigFile {
    /// Parses a configuration file's text. `path` decides the format:
    /// `pyproject.toml` is read at `[tool.shipshape]`, other names at the
    /// top level. A TOML syntax error is a problem; what parsed still applies.
    pub fn parse(path: &Path, text: &str) -> ConfigFile {
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let is_pyproject = path
            .file_name()
            .is_some_and(|name| name == "pyproject.toml");
        let (document, errors) = toml::de::DeTable::parse_recoverable(text);
        let mut problems = Vec::new();
        // A pyproject.toml's syntax errors are shipshape's business only
        // when it configures shipshape.
        let ours = !is_pyproject || text.contains("tool.shipshape");
        if ours {
            for error in &errors {
                problems.push(ConfigProblem {
                    range: error.span().unwrap_or(0..0),
                    message: format!("TOML syntax error: {}", error.message()),
                });
            }
        }
        let root = Item {
            span: document.span(),
            value: Value::Table(table_from_toml(document.get_ref())),
        };
        let table = if is_pyproject {
            lookup(&root, &["tool", "shipshape"])
        } else {
            Some(&root)
        };
        let layer = table.map(|table| {
            let (layer, found) = ConfigLayer::from_table(table, &base, Some(path.to_path_buf()));
            problems.extend(found);
            layer
        });
        ConfigFile {
            path: path.to_path_buf(),
            text: text.to_string(),
            layer,
            problems,
        }
    }

    /// Reads and parses a file; `None` when it cannot be read.
    pub fn read(path: &Path) -> Option<ConfigFile> {
        let text = crate::project::read_regular_file(path)?;
        Some(ConfigFile::parse(path, &text))
    }

    /// The problems as findings of the meta rule `invalid-config`, on the
    /// configuration file itself.
    pub fn findings(&self) -> Vec<Finding> {
        let Some(rule) = registry().rule(crate::rule::ids::INVALID_CONFIG) else {
            return Vec::new();
        };
        self.problems
            .iter()
            .map(|problem| {
                let start = problem.range.start.min(self.text.len());
                let end = problem.range.end.clamp(start, self.text.len());
                Finding::new(rule, start..end, problem.message.clone(), None)
            })
            .collect()
    }
}

fn lookup<'a>(item: &'a Item, keys: &[&str]) -> Option<&'a Item> {
    let mut current = item;
    for key in keys {
        let Value::Table(entries) = &current.value else {
            return None;
        };
        current = entries
            .iter()
            .find(|(name, _, _)| name == key)
            .map(|(_, _, value)| value)?;
    }
    Some(current)
}

/// Whether editor settings or the project's configuration file win.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConfigurationPreference {
    /// The project's file wins; editor settings fill what it leaves open.
    #[default]
    FilesystemFirst,
    /// Editor settings win; the project's file fills what they leave open.
    EditorFirst,
    /// Only editor settings; configuration files are ignored.
    EditorOnly,
}

impl ConfigurationPreference {
    pub fn from_name(name: &str) -> Option<ConfigurationPreference> {
        match name {
            "filesystemFirst" | "filesystem-first" => Some(Self::FilesystemFirst),
            "editorFirst" | "editor-first" => Some(Self::EditorFirst),
            "editorOnly" | "editor-only" => Some(Self::EditorOnly),
            _ => None,
        }
    }
}

/// The configuration of a file: layers, highest precedence first.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub layers: Vec<ConfigLayer>,
}

/// The configuration stack for a file from the editor's settings and the
/// file's nearest configuration file, by `preference`.
pub fn merge(
    editor: Option<&ConfigLayer>,
    file: Option<&ConfigLayer>,
    preference: ConfigurationPreference,
) -> Config {
    let layers = match preference {
        ConfigurationPreference::FilesystemFirst => [file, editor],
        ConfigurationPreference::EditorFirst => [editor, file],
        ConfigurationPreference::EditorOnly => [editor, None],
    };
    Config {
        layers: layers.into_iter().flatten().cloned().collect(),
    }
}

impl Config {
    /// Resolves the settings of the file at `path` (absolute, like the
    /// layers' bases).
    pub fn settings_for(&self, path: &Path) -> FileSettings {
        settings_of(&self.layers.iter().collect::<Vec<_>>(), path)
    }
}

/// [`Config::settings_for`] over borrowed layers, highest precedence
/// first: resolving a file's settings copies no layer (a layer holds
/// compiled patterns, and a tree resolves the settings of every file).
fn settings_of(layers: &[&ConfigLayer], path: &Path) -> FileSettings {
    let excluded = layers.iter().any(|layer| layer.excludes(path));
    let fail_on = layers.iter().find_map(|layer| layer.fail_on);
    let mut levels = HashMap::new();
    let user_rules = UserRules::union(layers.iter().map(|layer| &layer.user_rules));
    if layers.is_empty() {
        return FileSettings {
            excluded,
            fail_on,
            levels,
            user_rules,
        };
    }
    // The per-path ignores that match this path, matched once.
    let ignored: Vec<&str> = layers
        .iter()
        .flat_map(|layer| layer.ignored_names(path))
        .collect();
    let user: Vec<&'static Rule> = user_rules.rules().iter().map(|rule| &rule.rule).collect();
    for rule in registry().rules.iter().chain(user) {
        let is_ignored = ignored
            .iter()
            .any(|name| *name == "*" || *name == rule.id || *name == rule.meta.category.name());
        let severity = if is_ignored {
            None
        } else {
            match layers.iter().find_map(|layer| layer.level(rule)) {
                Some(level) => level.severity(rule),
                None => Some(rule.severity()),
            }
        };
        if severity != Some(rule.severity()) {
            levels.insert(rule.id, severity);
        }
    }
    FileSettings {
        excluded,
        fail_on,
        levels,
        user_rules,
    }
}

/// Finds and caches configuration files, for many files checked at once
/// (shared between threads).
#[derive(Default)]
pub struct ConfigLoader {
    /// Per folder: the nearest configuration file at or above it.
    nearest: Mutex<HashMap<PathBuf, Option<Arc<ConfigFile>>>>,
    /// Layers above every file's own (e.g. from the command line).
    pub overrides: Option<ConfigLayer>,
}

impl ConfigLoader {
    pub fn new() -> ConfigLoader {
        ConfigLoader::default()
    }

    /// The configuration file that applies in `dir` (absolute): the nearest
    /// at or above it.
    pub fn nearest(&self, dir: &Path) -> Option<Arc<ConfigFile>> {
        if let Some(found) = self.lock().get(dir) {
            return found.clone();
        }
        let here = CONFIG_FILE_NAMES.iter().find_map(|name| {
            let path = dir.join(name);
            if !path.is_file() {
                return None;
            }
            let file = ConfigFile::read(&path)?;
            // A file that configures shipshape, or tried to (problems).
            (file.layer.is_some() || !file.problems.is_empty()).then(|| Arc::new(file))
        });
        let found = match here {
            Some(file) => Some(file),
            None => dir.parent().and_then(|parent| self.nearest(parent)),
        };
        self.lock().insert(dir.to_path_buf(), found.clone());
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Arc<ConfigFile>>>> {
        self.nearest
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The configuration of the file or folder at `path` (absolute): the
    /// nearest configuration file at or above its folder.
    pub fn config_for(&self, path: &Path) -> Config {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let file = self.nearest(dir);
        let mut layers: Vec<ConfigLayer> = self.overrides.iter().cloned().collect();
        layers.extend(file.and_then(|file| file.layer.clone()));
        Config { layers }
    }

    pub fn settings_for(&self, path: &Path) -> FileSettings {
        let file = self.nearest(path.parent().unwrap_or(Path::new("/")));
        let layers: Vec<&ConfigLayer> = self
            .overrides
            .iter()
            .chain(file.as_ref().and_then(|file| file.layer.as_ref()))
            .collect();
        settings_of(&layers, path)
    }

    /// The settings of `path` with the editor's settings merged in by
    /// `preference` (what the language server uses).
    pub fn settings_with_editor(
        &self,
        path: &Path,
        editor: Option<&ConfigLayer>,
        preference: ConfigurationPreference,
    ) -> FileSettings {
        let file = match preference {
            ConfigurationPreference::EditorOnly => None,
            _ => self
                .nearest(path.parent().unwrap_or(Path::new("/")))
                .and_then(|file| file.layer.clone()),
        };
        merge(editor, file.as_ref(), preference).settings_for(path)
    }

    /// Forgets every configuration file read (after one changed on disk).
    pub fn invalidate(&self) {
        self.lock().clear();
    }

    /// Every configuration file found so far, by path.
    pub fn loaded(&self) -> Vec<Arc<ConfigFile>> {
        let mut files: Vec<Arc<ConfigFile>> = Vec::new();
        for file in self.lock().values().flatten() {
            if !files.iter().any(|seen| seen.path == file.path) {
                files.push(file.clone());
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn layer(text: &str) -> (ConfigLayer, Vec<ConfigProblem>) {
        let file = ConfigFile::parse(Path::new("/p/shipshape.toml"), text);
        (file.layer.expect("a layer"), file.problems)
    }

    fn rule(id: crate::rule::RuleId) -> &'static Rule {
        registry().rule(id).expect("rule")
    }

    #[test]
    fn rules_categories_excludes_and_ignores_are_read() {
        let (layer, problems) = layer(
            "exclude = [\"migrations\", \"scripts/*.py\"]\nfail-on = \"warning\"\n[rules]\nbare-except = \"error\"\n[categories]\nreliability = false\n[per-path-ignores]\n\"tests/**\" = [\"bare-except\"]\n",
        );
        assert_eq!(problems, []);
        assert_eq!(layer.fail_on, Some(FailOn::At(Severity::Warning)));
        assert_eq!(
            layer.level(rule(crate::rule::ids::BARE_EXCEPT)),
            Some(RuleLevel::At(Severity::Error))
        );
        assert!(layer.excludes(Path::new("/p/migrations/0001_init.py")));
        assert!(layer.excludes(Path::new("/p/app/migrations/x.py")));
        assert!(layer.excludes(Path::new("/p/scripts/seed.py")));
        assert!(!layer.excludes(Path::new("/p/scripts/sub/seed.py")));
        assert!(!layer.excludes(Path::new("/p/app/main.py")));
        assert!(!layer.excludes(Path::new("/elsewhere/migrations/x.py")));
        assert!(layer.ignores(
            Path::new("/p/tests/unit/test_x.py"),
            rule(crate::rule::ids::BARE_EXCEPT)
        ));
        assert!(!layer.ignores(
            Path::new("/p/app/main.py"),
            rule(crate::rule::ids::BARE_EXCEPT)
        ));
    }

    #[test]
    fn problems_have_positions_and_the_rest_still_applies() {
        let text = "colour = 1\n[rules]\nno-such-rule = \"off\"\nbare-except = \"loud\"\n[categories]\nsecurity = \"off\"\nspeed = false\n";
        let (layer, problems) = layer(text);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            start..start + needle.len()
        };
        let ranges: Vec<_> = problems
            .iter()
            .map(|problem| problem.range.clone())
            .collect();
        assert_eq!(
            ranges,
            [
                at("colour"),
                at("no-such-rule"),
                at("\"loud\""),
                at("speed")
            ],
            "{problems:?}"
        );
        assert!(problems[0].message.contains("unknown setting `colour`"));
        assert!(
            problems[1]
                .message
                .ends_with("`shipshape rules` lists them")
        );
        assert_eq!(closest_rule("bare-exept"), Some("bare-except"));
        assert_eq!(closest_rule("something-else-entirely"), None);
        assert!(problems[2].message.contains("found \"loud\""));
        // The good entries apply.
        assert_eq!(layer.categories.get(&Category::Security), Some(&false));
        assert!(layer.level(rule(crate::rule::ids::BARE_EXCEPT)).is_none());
    }

    #[test]
    fn syntax_errors_and_wrong_types_never_fail() {
        let file = ConfigFile::parse(Path::new("/p/shipshape.toml"), "[rules\nbare-except = 3\n");
        assert!(!file.problems.is_empty());
        assert!(file.problems[0].message.starts_with("TOML syntax error"));
        let (_, problems) = layer(
            "rules = [1]\nexclude = 3\nfail-on = \"sometimes\"\n[per-path-ignores]\n\"[\" = [\"bare-except\"]\n\"x\" = [2]\n",
        );
        assert_eq!(problems.len(), 5, "{problems:?}");
        for text in [
            "",
            "=",
            "[[rules]]\n",
            "rules = {a = {b = 1}}",
            "\u{0}",
            "[tool]\nshipshape = 1",
        ] {
            let _ = ConfigFile::parse(Path::new("/p/pyproject.toml"), text);
            let _ = ConfigFile::parse(Path::new("/p/shipshape.toml"), text);
        }
    }

    #[test]
    fn pyproject_is_read_at_tool_shipshape_only() {
        let file = ConfigFile::parse(Path::new("/p/pyproject.toml"), "[project]\nname = \"x\"\n");
        assert!(file.layer.is_none() && file.problems.is_empty());
        let file = ConfigFile::parse(
            Path::new("/p/pyproject.toml"),
            "[project]\nname = \"x\"\n[tool.shipshape.rules]\nbare-except = \"off\"\n",
        );
        let layer = file.layer.unwrap();
        assert_eq!(
            layer.level(rule(crate::rule::ids::BARE_EXCEPT)),
            Some(RuleLevel::Off)
        );
        assert_eq!(layer.base, Path::new("/p"));
    }

    #[test]
    fn a_rule_entry_beats_its_category_and_a_per_path_ignore_beats_both() {
        let (layer, _) = layer(
            "[categories]\nreliability = false\n[rules]\nbare-except = \"info\"\n[per-path-ignores]\n\"legacy\" = [\"reliability\"]\n",
        );
        let config = Config {
            layers: vec![layer],
        };
        let settings = config.settings_for(Path::new("/p/app/main.py"));
        assert_eq!(
            settings.severity(rule(crate::rule::ids::BARE_EXCEPT)),
            Some(Severity::Information)
        );
        let legacy = config.settings_for(Path::new("/p/legacy/old.py"));
        assert!(!legacy.is_enabled(rule(crate::rule::ids::BARE_EXCEPT)));
        assert_eq!(
            FileSettings::default().severity(rule(crate::rule::ids::BARE_EXCEPT)),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn merge_orders_layers_by_preference() {
        let (file, _) = layer("[rules]\nbare-except = \"error\"\n");
        let (editor, problems) = ConfigLayer::from_table(
            &Item::new(Value::Table(vec![
                (
                    "rules".into(),
                    0..0,
                    Item::new(Value::Table(vec![(
                        "bare-except".into(),
                        0..0,
                        Item::new(Value::String("hint".into())),
                    )])),
                ),
                (
                    "categories".into(),
                    0..0,
                    Item::new(Value::Table(vec![(
                        "documentation".into(),
                        0..0,
                        Item::new(Value::Bool(false)),
                    )])),
                ),
            ])),
            Path::new("/p"),
            None,
        );
        assert_eq!(problems, []);
        let path = Path::new("/p/app.py");
        let severity = |preference| {
            merge(Some(&editor), Some(&file), preference)
                .settings_for(path)
                .severity(rule(crate::rule::ids::BARE_EXCEPT))
        };
        assert_eq!(
            severity(ConfigurationPreference::FilesystemFirst),
            Some(Severity::Error)
        );
        assert_eq!(
            severity(ConfigurationPreference::EditorFirst),
            Some(Severity::Hint)
        );
        assert_eq!(
            severity(ConfigurationPreference::EditorOnly),
            Some(Severity::Hint)
        );
        // What the file leaves open, the editor fills.
        let merged = merge(
            Some(&editor),
            Some(&file),
            ConfigurationPreference::FilesystemFirst,
        );
        assert_eq!(merged.layers.len(), 2);
        assert_eq!(
            merged.layers[1].categories.get(&Category::Documentation),
            Some(&false)
        );
        // Without a file, the editor's settings apply alone.
        assert_eq!(
            merge(
                Some(&editor),
                None,
                ConfigurationPreference::FilesystemFirst
            )
            .settings_for(path)
            .severity(rule(crate::rule::ids::BARE_EXCEPT)),
            Some(Severity::Hint)
        );
        // A higher layer's category setting hides a lower layer's rule entry.
        let (off, _) = layer("[categories]\nreliability = false\n");
        assert_eq!(
            merge(
                Some(&editor),
                Some(&off),
                ConfigurationPreference::FilesystemFirst
            )
            .settings_for(path)
            .severity(rule(crate::rule::ids::BARE_EXCEPT)),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_configuration_or_problems_never_a_panic(text in "\\PC{0,200}", header in 0..3usize) {
            let text = format!("{}{text}", ["", "[tool.shipshape]\n", "[tool.shipshape.rules]\n"][header]);
            let file = ConfigFile::parse(Path::new("/p/pyproject.toml"), &text);
            for problem in &file.problems {
                proptest::prop_assert!(problem.range.start <= problem.range.end);
            }
            let _ = file.findings();
            let _ = ConfigFile::parse(Path::new("/p/shipshape.toml"), &text).findings();
        }
    }

    #[test]
    fn editor_settings_deserialize_from_any_format() {
        // What the language server receives as JSON, here through TOML's
        // deserializer (core has no JSON): same keys, camelCase accepted.
        let settings: Item = toml::from_str(
            "configurationPreference = \"editorFirst\"\nexclude = [\"build\"]\nperPathIgnores = { \"tests/**\" = [\"bare-except\"] }\n[rules]\nbare-except = \"error\"\n",
        )
        .unwrap();
        let (layer, preference, problems) = editor_settings(&settings, Path::new("/ws"));
        assert_eq!(problems, []);
        assert_eq!(preference, ConfigurationPreference::EditorFirst);
        assert!(layer.excludes(Path::new("/ws/build/x.py")));
        assert!(layer.ignores(
            Path::new("/ws/tests/t.py"),
            rule(crate::rule::ids::BARE_EXCEPT)
        ));
        assert_eq!(
            layer.level(rule(crate::rule::ids::BARE_EXCEPT)),
            Some(RuleLevel::At(Severity::Error))
        );
        let bad: Item = toml::from_str("configurationPreference = 1\nrules = 2\n").unwrap();
        let (_, preference, problems) = editor_settings(&bad, Path::new("/ws"));
        assert_eq!(preference, ConfigurationPreference::FilesystemFirst);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn the_loader_finds_the_nearest_file() {
        let root = std::env::temp_dir().join(format!("shipshape-config-{}", std::process::id()));
        let nested = root.join("svc/app");
        fs::create_dir_all(&nested).unwrap();
        fs::write(
            root.join("pyproject.toml"),
            "[tool.shipshape.rules]\nbare-except = \"error\"\n",
        )
        .unwrap();
        fs::write(
            root.join("svc/pyproject.toml"),
            "[project]\nname = \"svc\"\n",
        )
        .unwrap();
        fs::write(
            root.join("svc/app/shipshape.toml"),
            "[rules]\nbare-except = \"off\"\n",
        )
        .unwrap();
        let loader = ConfigLoader::new();
        let bare = rule(crate::rule::ids::BARE_EXCEPT);
        assert_eq!(
            loader
                .settings_for(&root.join("svc/main.py"))
                .severity(bare),
            Some(Severity::Error),
            "a pyproject.toml without [tool.shipshape] is skipped"
        );
        assert_eq!(
            loader.settings_for(&nested.join("main.py")).severity(bare),
            None
        );
        assert_eq!(loader.loaded().len(), 2);
        // Editor settings under the file's (the default preference) and over it.
        let (editor, _) = ConfigLayer::from_table(
            &Item::new(Value::Table(vec![(
                "rules".into(),
                0..0,
                Item::new(Value::Table(vec![(
                    "bare-except".into(),
                    0..0,
                    Item::new(Value::String("info".into())),
                )])),
            )])),
            &root,
            None,
        );
        let main = root.join("svc/main.py");
        assert_eq!(
            loader
                .settings_with_editor(
                    &main,
                    Some(&editor),
                    ConfigurationPreference::FilesystemFirst
                )
                .severity(bare),
            Some(Severity::Error)
        );
        assert_eq!(
            loader
                .settings_with_editor(&main, Some(&editor), ConfigurationPreference::EditorOnly)
                .severity(bare),
            Some(Severity::Information)
        );
        // A changed file is read again after `invalidate`.
        fs::write(
            root.join("pyproject.toml"),
            "[tool.shipshape.rules]\nbare-except = \"hint\"\n",
        )
        .unwrap();
        assert_eq!(
            loader.settings_for(&main).severity(bare),
            Some(Severity::Error)
        );
        loader.invalidate();
        assert_eq!(
            loader.settings_for(&main).severity(bare),
            Some(Severity::Hint)
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
