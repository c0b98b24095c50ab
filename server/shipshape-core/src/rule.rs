//! Rules as data: a rule is a folder `rules/<kind>/<rule-id>/` whose
//! `rule.scm` starts with `;;` comment lines, its metadata in TOML, followed
//! by a tree-sitter query. The registry embeds and compiles them once.

use std::fmt;

use serde::Deserialize;

use crate::kind::FileKind;

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
    /// Deletes the capture (every range of a name bound to several).
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
    /// Compose: sets the captured `environment` entry (the `NAME=value`
    /// item in list form, the value in map form) to this value, quoted:
    /// single quotes stay, anything else becomes double-quoted.
    #[serde(default)]
    pub set_environment: Option<String>,
    /// Compose: binds the captured `ports` item to this host IP (short
    /// syntax: `0.0.0.0` replaced, else `IP:` put in front; long syntax:
    /// `host_ip` set or added). No fix when the ports come from a merge key.
    #[serde(default)]
    pub bind_port: Option<String>,
    /// Compose: mounts a named volume at this container path in the service
    /// whose key is the capture, and declares it under the top-level
    /// `volumes:`. The volume is named `volume_name`.
    #[serde(default)]
    pub add_volume: Option<String>,
    #[serde(default)]
    pub volume_name: String,
    /// Compose: sets the `condition` of the captured `depends_on` entry to
    /// this value (long syntax: replaced or added); a short-syntax list is
    /// rewritten in long syntax, where the dependencies with a health check
    /// wait for this condition and the others for `service_started`.
    #[serde(default)]
    pub set_condition: Option<String>,
    /// Appends this argument (`timeout=30.0`) to the captured call (or
    /// argument list), following its layout.
    #[serde(default)]
    pub append_argument: Option<String>,
    /// Appends these arguments to the captured call (or argument list):
    /// one per line when its arguments are laid out one per line, else
    /// comma-separated.
    #[serde(default)]
    pub append_arguments: Vec<String>,
    /// Dockerfile: appends this shell command to the captured `RUN`,
    /// following its layout.
    #[serde(default)]
    pub append_command: Option<String>,
    /// Dockerfile: rewrites the captured shell-form instruction (or its
    /// shell text) as a JSON array of its words.
    #[serde(default)]
    pub exec_form: bool,
}

/// The edits a fix template may make, one line each, for the
/// documentation of the query language (keep in step with
/// [`EditTemplate`]'s fields).
pub const EDIT_KINDS: &[(&str, &str)] = &[
    (
        "replace = \"text\"",
        "replaces the capture with the text; with `match_case = true`, lowercased when the replaced text is all lowercase (`add` → `copy`)",
    ),
    (
        "insert_before = \"text\"",
        "inserts the text before the capture",
    ),
    (
        "insert_after = \"text\"",
        "inserts the text after the capture",
    ),
    ("delete = true", "deletes the capture"),
    (
        "delete_item = true",
        "(python) deletes the captured argument of a call with the comma that separates it from the others",
    ),
    (
        "append_argument = \"name=value\"",
        "(python) appends the argument to the captured call (or argument list), following its layout",
    ),
    (
        "append_arguments = [\"a=1\", \"b=2\"]",
        "(python) appends the arguments to the captured call (or argument list): one per line when its arguments are laid out one per line, else comma-separated",
    ),
    (
        "add_key = \"a.b\", add_value = \"v\", after = [...]",
        "(compose) adds the dotted key path with the value to the service whose key is the capture, at the file's indentation and inside the parts of the path it has; a new key goes after the first key of `after` the service has",
    ),
    (
        "append_command = \"command\"",
        "(dockerfile) appends the shell command to the captured `RUN`, following its layout: ` && command` on a one-line `RUN`; on a multi-line one a new continuation line indented as the others (` && \\` at the line ends when its lines end in `&&`, else a line starting with `&& `); in a heredoc, the script's last line; no fix when the `RUN` ends in an operator",
    ),
    (
        "exec_form = true",
        "(dockerfile) rewrites the captured shell-form `CMD`/`ENTRYPOINT`/`RUN` (the instruction or its shell text) as a JSON array of its words, quotes removed, keeping words on continuation lines on their own lines; no fix unless the shell text is one simple command",
    ),
];

/// One line per fix edit kind, for the documentation of the query language.
pub fn edit_reference() -> String {
    EDIT_KINDS
        .iter()
        .map(|(edit, doc)| format!("- `{edit}`: {doc}"))
        .collect::<Vec<_>>()
        .join("\n")
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

/// Checks that the fix variant a pattern names (`(#set! fix "NAME")`), if
/// any, is one of the rule's `[fix.variants]`; the error says which is
/// missing.
pub(crate) fn check_fix_variant(
    variant: Option<&str>,
    fix: Option<&FixTemplate>,
) -> Result<(), String> {
    let Some(name) = variant else {
        return Ok(());
    };
    match fix {
        Some(template) if template.variants.contains_key(name) => Ok(()),
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

/// A rule: its id, what it looks at, its metadata and its query. Its hook,
/// where it has one, is bound by the registry (`crate::registry`), which
/// sits above both the rules and the hook table.
pub struct Rule {
    pub id: &'static str,
    pub target: Target,
    pub meta: RuleMeta,
    /// The query text (the whole file; its header is comments to tree-sitter).
    pub query_source: &'static str,
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

pub(crate) fn query_body(source: &str) -> &str {
    split_header(source).1
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
}
