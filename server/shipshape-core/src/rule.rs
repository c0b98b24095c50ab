//! Rules as data: a rule is a folder `rules/<kind>/<rule-id>/` whose
//! `rule.scm` starts with `;;` comment lines, its metadata in TOML, followed
//! by a tree-sitter query. The registry embeds and compiles them once.

use std::{
    collections::HashMap,
    fmt,
    sync::{LazyLock, OnceLock},
};

use serde::Deserialize;
use tree_sitter::Query;

use crate::{hooks, kind::FileKind};

/// How urgent a finding is in a review. Maps to an editor severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }

    /// The default severity: critical=error, high=warning,
    /// medium=information, low=hint.
    pub fn severity(self) -> Severity {
        match self {
            Priority::Critical => Severity::Error,
            Priority::High => Severity::Warning,
            Priority::Medium => Severity::Information,
            Priority::Low => Severity::Hint,
        }
    }
}

/// What an editor shows; ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    #[serde(rename = "info", alias = "information", alias = "note")]
    Information,
    #[serde(alias = "warn")]
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Information => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Reads a severity: the names [`Severity::name`] prints (`hint`,
    /// `info`, `warning`, `error`) and the common aliases other tools use
    /// (`information`, `note`, `warn`, `err`), in any case.
    pub fn from_name(name: &str) -> Option<Severity> {
        match name.to_ascii_lowercase().as_str() {
            "hint" => Some(Severity::Hint),
            "info" | "information" | "note" => Some(Severity::Information),
            "warning" | "warn" => Some(Severity::Warning),
            "error" | "err" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The report category of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Security,
    Reliability,
    Performance,
    Observability,
    DataSafety,
    Testing,
    Documentation,
    Scalability,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Security,
        Category::Reliability,
        Category::Performance,
        Category::Observability,
        Category::DataSafety,
        Category::Testing,
        Category::Documentation,
        Category::Scalability,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Reliability => "reliability",
            Category::Performance => "performance",
            Category::Observability => "observability",
            Category::DataSafety => "data-safety",
            Category::Testing => "testing",
            Category::Documentation => "documentation",
            Category::Scalability => "scalability",
        }
    }
}

/// What a rule looks at: the files of one kind, or the project as a whole.
/// Meta rules (`rules/meta/`) are about shipshape's own input —
/// suppression comments and configuration files — and are reported by the
/// engine and the configuration loader, not by a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    File(FileKind),
    Project,
    Meta,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::File(kind) => kind.name(),
            Target::Project => "project",
            Target::Meta => "meta",
        }
    }
}

/// One edit of a fix template, relative to a capture of the rule's query.
/// Text may refer to captures as `${name}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditTemplate {
    pub capture: String,
    #[serde(default)]
    pub replace: Option<String>,
    /// With `replace`: when the replaced text is all lowercase (`add`), so
    /// is the replacement (`copy`).
    #[serde(default)]
    pub match_case: bool,
    #[serde(default)]
    pub insert_before: Option<String>,
    #[serde(default)]
    pub insert_after: Option<String>,
    #[serde(default)]
    pub delete: bool,
    /// Deletes the captured node as an argument of its call, together with
    /// the comma that separates it from the others.
    #[serde(default)]
    pub delete_item: bool,
    /// Compose: adds the dotted key path `add_key` (`deploy.resources.limits.memory`)
    /// with the value `add_value` to the service whose key is the capture,
    /// at the file's indentation and inside the parts of the path it has;
    /// a new key goes after the first of `after` the service has.
    #[serde(default)]
    pub add_key: Option<String>,
    #[serde(default)]
    pub add_value: String,
    #[serde(default)]
    pub after: Vec<String>,
    /// Appends this argument (`timeout=30.0`) to the captured call (or
    /// argument list), following its layout.
    #[serde(default)]
    pub append_argument: Option<String>,
    /// Appends these arguments to the captured call (or argument list):
    /// one per line when its arguments are laid out one per line, else
    /// comma-separated.
    #[serde(default)]
    pub append_arguments: Vec<String>,
}

/// A rule's quick fix, as data. Rules whose fix needs logic build it in
/// their hook and keep only `title` and `safe` here.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixTemplate {
    pub title: String,
    /// Safe fixes keep the program's behaviour apart from the problem they
    /// fix; only they are applied by fix-all and `check --fix`, and they are
    /// the preferred quick fix.
    #[serde(default = "default_true")]
    pub safe: bool,
    #[serde(default)]
    pub edits: Vec<EditTemplate>,
    /// Python modules the fix needs imported (`import os`).
    #[serde(default)]
    pub imports: Vec<String>,
    /// Other edits under the same title and safety, by name: a pattern that
    /// says `(#set! fix "NAME")` gets `[fix.variants.NAME]`'s edits and
    /// imports instead of the ones above (a variant without edits offers
    /// no fix).
    #[serde(default)]
    pub variants: std::collections::BTreeMap<String, FixVariant>,
}

/// The edits of a named variant of a rule's fix (see [`FixTemplate::variants`]).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixVariant {
    #[serde(default)]
    pub edits: Vec<EditTemplate>,
    #[serde(default)]
    pub imports: Vec<String>,
}

impl FixTemplate {
    /// A fix with this template's title and safety, from edits a hook built.
    pub fn fix(
        &self,
        edits: Vec<crate::text::TextEdit>,
        other_files: Vec<crate::fix::FileChange>,
    ) -> crate::fix::Fix {
        crate::fix::Fix {
            title: self.title.clone(),
            edits,
            applicability: if self.safe {
                crate::fix::Applicability::Safe
            } else {
                crate::fix::Applicability::Unsafe
            },
            other_files,
        }
    }
}

/// Checks that the fix variant a pattern names (`(#set! fix "NAME")`) is
/// one of the rule's `[fix.variants]`; the error says which is missing.
pub(crate) fn check_fix_variant(
    extras: &crate::predicates::PatternExtras,
    fix: Option<&FixTemplate>,
) -> Result<(), String> {
    let Some(name) = &extras.fix else {
        return Ok(());
    };
    match fix {
        Some(template) if template.variants.contains_key(&**name) => Ok(()),
        Some(template) => Err(format!(
            "`#set! fix \"{name}\"`: the rule's `[fix]` has no `[fix.variants.{name}]` (it has: {})",
            if template.variants.is_empty() {
                "none".to_string()
            } else {
                template
                    .variants
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
        None => Err(format!("`#set! fix \"{name}\"`: the rule has no `[fix]`")),
    }
}

fn default_true() -> bool {
    true
}

/// The metadata header of a rule file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub priority: Priority,
    pub category: Category,
    /// One line for `shipshape rules` and tables.
    pub summary: String,
    /// The diagnostic message: what is wrong and what to do. May refer to
    /// captures as `${name}`.
    pub message: String,
    /// Markdown: what it finds, why it matters, example, fix, references.
    /// Required for built-in rules (the registry reports one without it);
    /// optional for user rules.
    #[serde(default)]
    pub docs: String,
    /// The file kind the rule looks at (`"python"`). A user rule must say
    /// it; a built-in rule gets it from its folder and may omit it, and
    /// when it says it, the two must agree.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub fix: Option<FixTemplate>,
    /// Codes of equivalent rules in other tools (hadolint `DL3007`, ruff
    /// `S113`, bandit `B501`), for search and for their pragmas.
    #[serde(default)]
    pub equivalents: Vec<String>,
}

/// A rule of the registry.
pub struct Rule {
    pub id: &'static str,
    pub target: Target,
    pub meta: RuleMeta,
    /// The query text (the whole file; its header is comments to tree-sitter).
    pub query_source: &'static str,
    /// Logic a query cannot express, from the hook table.
    pub hook: Option<hooks::HookFn>,
    /// The logic of a project rule (`rules/project/<id>/rule.scm`), from the
    /// project hook table.
    pub project_hook: Option<hooks::ProjectHookFn>,
    /// The file a user rule was loaded from (see [`crate::user_rules`]);
    /// `None` for the rules built into the binary.
    pub user_file: Option<std::path::PathBuf>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .field("target", &self.target)
            .finish()
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl Rule {
    /// Whether this is the built-in rule `id`.
    pub fn is(&self, id: RuleId) -> bool {
        self.user_file.is_none() && self.id == id.0
    }

    pub fn severity(&self) -> Severity {
        self.meta.priority.severity()
    }

    /// Where the rule's documentation lives, for `codeDescription`.
    pub fn doc_url(&self) -> String {
        format!("{DOCS_BASE_URL}{}.md", self.id)
    }

    /// Whether the query has patterns (project rules may be hook-only).
    pub fn has_query(&self) -> bool {
        query_body(self.query_source).trim().lines().any(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with(';')
        })
    }
}

/// The project's home, named once: `repository` in the workspace's Cargo.toml.
pub const PROJECT_HOME: &str = env!("CARGO_PKG_REPOSITORY");

/// Base of the rule documentation links: the generated docs in the repository, at this
/// version's release tag (`v<version>`), so a link shows the page of the rules this binary has.
/// Offline, `shipshape explain RULE` prints the same page.
pub const DOCS_BASE_URL: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/v",
    env!("CARGO_PKG_VERSION"),
    "/docs/rules/"
);

/// Splits a rule file into its TOML header and the rest.
pub fn split_header(source: &str) -> (String, &str) {
    let mut header = String::new();
    let mut rest = source;
    while let Some(line) = rest.lines().next() {
        let Some(stripped) = line.strip_prefix(";;") else {
            break;
        };
        header.push_str(stripped.strip_prefix(' ').unwrap_or(stripped));
        header.push('\n');
        rest = &rest[(line.len() + 1).min(rest.len())..];
    }
    (header, rest)
}

fn query_body(source: &str) -> &str {
    split_header(source).1
}

/// A problem with a rule file, found when the registry loads.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{kind}/{id}/rule.scm: unknown kind folder `{kind}`")]
    UnknownKind { kind: String, id: String },
    #[error("{kind}/{id}/rule.scm: bad metadata header: {message}")]
    Header {
        kind: String,
        id: String,
        message: String,
    },
    #[error("{kind}/{id}/rule.scm: query does not compile: {message}")]
    Query {
        kind: String,
        id: String,
        message: String,
    },
    #[error("{kind}/{id}/rule.scm: a query without a hook must capture @finding")]
    NoFinding { kind: String, id: String },
    #[error(
        "project/{id}/rule.scm: a project rule needs a hook in hooks/project.rs and no query patterns"
    )]
    ProjectRule { id: String },
}

/// A compiled query holding the patterns of every rule of one file kind, so
/// that one walk of a tree serves them all.
pub struct KindQuery {
    pub query: Query,
    /// The rule (index into [`Registry::rules`]) of each pattern.
    pub pattern_rule: Vec<usize>,
    /// The engine predicates and settings of each pattern.
    pub extras: Vec<crate::predicates::PatternExtras>,
}

/// What compiling one kind's rules gave: the combined query (of the rules
/// that compile) and the problems of the others.
struct CompiledKind {
    query: Option<KindQuery>,
    errors: Vec<RuleError>,
}

/// Every rule. Headers are read when the registry loads; the queries of a
/// file kind are compiled once, the first time a file of that kind is
/// checked (a run over Python files never compiles the Dockerfile queries).
pub struct Registry {
    pub rules: Vec<Rule>,
    by_id: HashMap<&'static str, usize>,
    /// Per file kind with query rules: the indices of those rules and the
    /// compiled query, made on first use.
    kinds: HashMap<FileKind, (Vec<usize>, OnceLock<CompiledKind>)>,
    /// Problems found while reading rule files (kinds, headers, project rules).
    load_errors: Vec<RuleError>,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));
}

/// The id of a built-in rule. Only the constants of [`ids`] (generated by
/// `build.rs`, one per rule folder) make one, so Rust code that names a
/// rule — a hook table, a meta rule's reporter, a test — names a constant,
/// and a misspelt or removed rule does not compile.
///
/// ```
/// use shipshape_core::{registry, rule::ids};
/// assert_eq!(registry().rule(ids::BARE_EXCEPT).unwrap().id, "bare-except");
/// ```
///
/// A `RuleId` cannot be made from a string outside this module:
///
/// ```compile_fail
/// let id = shipshape_core::rule::RuleId("bare-except");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.0
    }
}

impl PartialEq<RuleId> for str {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.0
    }
}

/// One constant per built-in rule: `ids::BARE_EXCEPT` is `bare-except`.
pub mod ids {
    use super::RuleId;
    include!(concat!(env!("OUT_DIR"), "/rule_ids.rs"));
}

/// Whether `id` is a well-formed rule id: lower-case ASCII letters and
/// digits in words joined by single dashes, starting with a letter
/// (`bare-except`). `build.rs` holds the rule folders to the same test.
pub fn valid_rule_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::load(embedded::RULE_FILES));

/// The registry of the rules built into this binary.
pub fn registry() -> &'static Registry {
    &REGISTRY
}

impl Registry {
    /// Loads rules from `(kind, id, source)` triples. A broken rule is left
    /// out (or, when only its query is broken, never run) and recorded in
    /// [`Registry::errors`]; it never stops the others.
    pub fn load(files: &[(&'static str, &'static str, &'static str)]) -> Registry {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for &(kind_name, id, source) in files {
            let target = if kind_name == "project" {
                Target::Project
            } else if kind_name == "meta" {
                Target::Meta
            } else if let Some(kind) = FileKind::from_name(kind_name) {
                Target::File(kind)
            } else {
                errors.push(RuleError::UnknownKind {
                    kind: kind_name.into(),
                    id: id.into(),
                });
                continue;
            };
            let (header, _) = split_header(source);
            let meta: RuleMeta = match toml::from_str(&header) {
                Ok(meta) => meta,
                Err(error) => {
                    errors.push(RuleError::Header {
                        kind: kind_name.into(),
                        id: id.into(),
                        message: error.to_string(),
                    });
                    continue;
                }
            };
            let header_problem = if meta.docs.trim().is_empty() {
                Some("`docs` is required for a built-in rule".to_string())
            } else {
                meta.kind
                    .as_deref()
                    .filter(|kind| *kind != kind_name)
                    .map(|kind| {
                        format!("`kind = \"{kind}\"` disagrees with its folder `{kind_name}`")
                    })
            };
            if let Some(message) = header_problem {
                errors.push(RuleError::Header {
                    kind: kind_name.into(),
                    id: id.into(),
                    message,
                });
                continue;
            }
            let rule = Rule {
                id,
                target,
                meta,
                query_source: source,
                hook: hooks::find(id),
                project_hook: hooks::find_project(id),
                user_file: None,
            };
            if target == Target::Project && (rule.project_hook.is_none() || rule.has_query()) {
                errors.push(RuleError::ProjectRule { id: id.into() });
                continue;
            }
            if let Target::File(kind) = target
                && rule.has_query()
                && kind.language().is_none()
            {
                errors.push(RuleError::Query {
                    kind: kind_name.into(),
                    id: id.into(),
                    message: "this kind has no grammar; use a hook-only rule".into(),
                });
                continue;
            }
            rules.push(rule);
        }
        let by_id = rules
            .iter()
            .enumerate()
            .map(|(index, rule)| (rule.id, index))
            .collect();
        let mut kinds: HashMap<FileKind, (Vec<usize>, OnceLock<CompiledKind>)> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            if let Target::File(kind) = rule.target
                && rule.has_query()
            {
                kinds.entry(kind).or_default().0.push(index);
            }
        }
        Registry {
            rules,
            by_id,
            kinds,
            load_errors: errors,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).map(|&index| &self.rules[index])
    }

    /// The rule of a built-in id; `None` only when its file did not load
    /// (a broken build, which `Registry::errors` reports and a test forbids).
    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.get(id.0)
    }

    fn compiled(&self, kind: FileKind) -> Option<&CompiledKind> {
        let (members, compiled) = self.kinds.get(&kind)?;
        Some(compiled.get_or_init(|| compile_kind(kind, &self.rules, members)))
    }

    /// The combined query of the rules of `kind`, compiled on first use.
    pub fn query_for(&self, kind: FileKind) -> Option<&KindQuery> {
        self.compiled(kind)?.query.as_ref()
    }

    /// Every problem with the rule files; compiles the queries of every
    /// kind not compiled yet. Empty in a good build (a test checks).
    pub fn errors(&self) -> Vec<&RuleError> {
        let mut kinds: Vec<FileKind> = self.kinds.keys().copied().collect();
        kinds.sort_by_key(|kind| kind.name());
        let mut errors: Vec<&RuleError> = self.load_errors.iter().collect();
        for kind in kinds {
            errors.extend(self.compiled(kind).into_iter().flat_map(|c| &c.errors));
        }
        errors
    }

    /// Rules that look at files of `kind` (with a query or a hook).
    pub fn rules_for(&self, kind: FileKind) -> impl Iterator<Item = &Rule> {
        self.rules
            .iter()
            .filter(move |rule| rule.target == Target::File(kind))
    }
}

/// Concatenates the queries of `members` into one and compiles it once. A
/// rule whose query does not compile (found by compiling the rules one by
/// one, which only happens in a broken build) or that lacks `@finding`
/// without a hook is reported and left out.
fn compile_kind(kind: FileKind, rules: &[Rule], members: &[usize]) -> CompiledKind {
    let mut errors = Vec::new();
    let Some(language) = kind.language() else {
        return CompiledKind {
            query: None,
            errors,
        };
    };
    let mut members: Vec<usize> = members.to_vec();
    loop {
        // Concatenate the rules' queries; remember where each starts so that
        // a pattern's start byte tells which rule it belongs to.
        let mut combined = String::new();
        let mut starts = Vec::new();
        for &index in &members {
            starts.push((combined.len(), index));
            combined.push_str(query_body(rules[index].query_source));
            combined.push('\n');
        }
        let query = match Query::new(&language, &combined) {
            Ok(query) => query,
            Err(_) => {
                let before = members.len();
                members.retain(|&index| {
                    match Query::new(&language, query_body(rules[index].query_source)) {
                        Ok(_) => true,
                        Err(error) => {
                            errors.push(RuleError::Query {
                                kind: kind.name().into(),
                                id: rules[index].id.into(),
                                message: error.to_string(),
                            });
                            false
                        }
                    }
                });
                if members.len() == before {
                    // Each compiles alone but not together: report the kind.
                    errors.push(RuleError::Query {
                        kind: kind.name().into(),
                        id: "(combined)".into(),
                        message: "the rules' queries compile alone but not together".into(),
                    });
                    return CompiledKind {
                        query: None,
                        errors,
                    };
                }
                continue;
            }
        };
        let pattern_rule: Vec<usize> = (0..query.pattern_count())
            .map(|pattern| {
                let start = query.start_byte_for_pattern(pattern);
                let position = starts.partition_point(|&(offset, _)| offset <= start);
                starts[position - 1].1
            })
            .collect();
        // The engine's own predicates, resolved per pattern; a rule that
        // uses one wrongly is reported and left out.
        let mut extras = Vec::with_capacity(pattern_rule.len());
        let mut bad_predicates: Vec<usize> = Vec::new();
        for (pattern, &index) in pattern_rule.iter().enumerate() {
            match crate::predicates::compile_pattern(&query, pattern, kind).and_then(|compiled| {
                check_fix_variant(&compiled, rules[index].meta.fix.as_ref())?;
                Ok(compiled)
            }) {
                Ok(pattern_extras) => extras.push(pattern_extras),
                Err(message) => {
                    extras.push(Default::default());
                    if !bad_predicates.contains(&index) {
                        bad_predicates.push(index);
                        errors.push(RuleError::Query {
                            kind: kind.name().into(),
                            id: rules[index].id.into(),
                            message,
                        });
                    }
                }
            }
        }
        if !bad_predicates.is_empty() {
            members.retain(|index| !bad_predicates.contains(index));
            if members.is_empty() {
                return CompiledKind {
                    query: None,
                    errors,
                };
            }
            continue;
        }
        // A rule without a hook reports at `@finding`: some pattern of it
        // must capture one.
        let finding = query.capture_index_for_name("finding");
        let without_finding: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&index| {
                rules[index].hook.is_none()
                    && !pattern_rule.iter().enumerate().any(|(pattern, &rule)| {
                        rule == index
                            && (finding.is_some_and(|capture| {
                                query.capture_quantifiers(pattern)[capture as usize]
                                    != tree_sitter::CaptureQuantifier::Zero
                            }) || extras[pattern].binds("finding"))
                    })
            })
            .collect();
        if without_finding.is_empty() {
            return CompiledKind {
                query: Some(KindQuery {
                    query,
                    pattern_rule,
                    extras,
                }),
                errors,
            };
        }
        for &index in &without_finding {
            errors.push(RuleError::NoFinding {
                kind: kind.name().into(),
                id: rules[index].id.into(),
            });
        }
        members.retain(|index| !without_finding.contains(index));
        if members.is_empty() {
            return CompiledKind {
                query: None,
                errors,
            };
        }
    }
}

/// The rule id nearest to a misspelt one (at most two edits, or a third of
/// its length for long ids).
pub fn closest_rule(name: &str) -> Option<&'static str> {
    let limit = (name.len() / 3).max(2);
    registry()
        .rules
        .iter()
        .map(|rule| (edit_distance(name, rule.id), rule.id))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, id)| id)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_the_leading_comment_block() {
        let (header, body) =
            split_header(";; a = 1\n;;\n;; b = \"x\"\n(call) @finding\n;; not header\n");
        assert_eq!(header, "a = 1\n\nb = \"x\"\n");
        assert_eq!(body, "(call) @finding\n;; not header\n");
    }

    #[test]
    fn a_broken_rule_is_reported_and_the_others_load() {
        const GOOD: &str = ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n(pass_statement) @finding\n";
        const BAD_QUERY: &str = ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n(no_such_node) @finding\n";
        const BAD_HEADER: &str = ";; priority = \"urgent\"\n(pass_statement) @finding\n";
        let registry = Registry::load(&[
            ("python", "good", GOOD),
            ("python", "bad-query", BAD_QUERY),
            ("python", "bad-header", BAD_HEADER),
            ("cobol", "bad-kind", GOOD),
        ]);
        // The rule with a broken query loads but never runs.
        assert_eq!(registry.rules.len(), 2);
        assert_eq!(registry.errors().len(), 3, "{:?}", registry.errors());
        let query = registry.query_for(FileKind::Python).unwrap();
        assert_eq!(query.pattern_rule, vec![0]);
        assert!(registry.query_for(FileKind::Dockerfile).is_none());
    }

    /// A built-in rule may say its kind (it must agree with its folder)
    /// and must have docs, which are optional for user rules only.
    #[test]
    fn a_built_in_rule_kind_must_agree_and_docs_are_required() {
        const SAYS_PYTHON: &str = ";; kind = \"python\"\n;; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n(pass_statement) @finding\n";
        const NO_DOCS: &str = ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n(pass_statement) @finding\n";
        let registry = Registry::load(&[
            ("python", "agrees", SAYS_PYTHON),
            ("dockerfile", "disagrees", SAYS_PYTHON),
            ("python", "no-docs", NO_DOCS),
        ]);
        let errors: Vec<String> = registry.errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(registry.rules.len(), 1, "{errors:?}");
        assert_eq!(registry.rules[0].id, "agrees");
        assert!(
            errors
                .iter()
                .any(|e| e.contains("disagrees with its folder `dockerfile`")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("`docs` is required")),
            "{errors:?}"
        );
    }

    #[test]
    fn queries_compile_per_kind_on_first_use() {
        const RULE: &str = ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n(pass_statement) @finding\n";
        const DOCKER: &str = ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n(from_instruction) @finding\n";
        let registry = Registry::load(&[("python", "a", RULE), ("dockerfile", "b", DOCKER)]);
        let compiled = |kind| registry.kinds[&kind].1.get().is_some();
        assert!(!compiled(FileKind::Python) && !compiled(FileKind::Dockerfile));
        assert!(registry.query_for(FileKind::Python).is_some());
        assert!(compiled(FileKind::Python) && !compiled(FileKind::Dockerfile));
        assert!(registry.errors().is_empty());
        assert!(compiled(FileKind::Dockerfile));
    }

    fn python_rule(query: &str) -> String {
        format!(
            ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n{query}\n"
        )
    }

    #[test]
    fn an_engine_predicate_used_wrongly_is_a_located_rule_error() {
        let cases = [
            (
                r#"((call) @finding (#no-such-thing? @finding))"#,
                "unknown predicate `#no-such-thing?`",
            ),
            (
                r#"((call) @finding (#has-kwarg? @finding))"#,
                "needs argument 2",
            ),
            (
                r#"((call) @finding (#has-kwarg? "timeout" @finding))"#,
                "argument 1 must be a capture",
            ),
            (
                r#"((call) @finding (#string-matches? @finding "("))"#,
                "bad regular expression",
            ),
            (
                r#"((call) @finding (#test-path? @finding))"#,
                "too many arguments",
            ),
            (
                r#"((call) @finding (#set! colour "red"))"#,
                "unknown setting",
            ),
            (
                r#"((call) @finding (#not-kwarg! @finding "a" "b"))"#,
                "unknown predicate `#not-kwarg!`",
            ),
        ];
        for (query, expected) in cases {
            let source: &'static str = Box::leak(python_rule(query).into_boxed_str());
            let registry =
                Registry::load(&[("python", "bad", source), ("python", "good", source_good())]);
            let errors: Vec<String> = registry.errors().iter().map(|e| e.to_string()).collect();
            assert_eq!(errors.len(), 1, "{query}: {errors:?}");
            assert!(errors[0].contains(expected), "{query}: {errors:?}");
            assert!(errors[0].starts_with("python/bad/rule.scm"), "{errors:?}");
            // The other rule still runs.
            assert_eq!(
                registry.query_for(FileKind::Python).unwrap().pattern_rule,
                vec![1]
            );
        }
    }

    fn source_good() -> &'static str {
        Box::leak(
            python_rule("((pass_statement) @finding (#not-in-async? @finding))").into_boxed_str(),
        )
    }

    #[test]
    fn a_predicate_of_another_kind_is_refused() {
        const DOCKER: &str = ";; priority = \"high\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; docs = \"d\"\n((from_instruction) @finding (#in-async? @finding))\n";
        let registry = Registry::load(&[("dockerfile", "b", DOCKER)]);
        let errors: Vec<String> = registry.errors().iter().map(|e| e.to_string()).collect();
        assert!(
            errors.len() == 1 && errors[0].contains("applies to python rules"),
            "{errors:?}"
        );
    }
}
