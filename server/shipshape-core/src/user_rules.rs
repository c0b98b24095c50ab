//! User rules: `<rule-id>.scm` files in the folders a configuration's
//! `rule-paths` names, in the same header-plus-query format as the built-in
//! rules, loaded at run time (no rebuild).
//!
//! A user rule file says its file kind in its header (`kind = "python"`);
//! the other header fields are those of a built-in rule, with `docs`
//! optional. A user rule has no hook: it reports at its `@finding` capture
//! (extended to `@finding.end`), with its message (`${capture}` filled in)
//! and its fix template, and may use the engine's predicates
//! ([`crate::predicates`]).
//!
//! **Why interned and `'static`**: a [`Finding`](crate::check::Finding)
//! holds its rule as `&'static Rule`, and findings are kept across checks
//! (the incremental check, the server's caches). Rather than change that
//! type everywhere (an `Arc<Rule>` in every finding, a lifetime on every
//! consumer), a compiled user rule is interned by (path, content): the first
//! time a file's content compiles, its rule and query are leaked and
//! remembered; loading the same content again (a reload after another
//! rule changed, another project with the same rules) returns the same
//! `&'static UserRule` and allocates nothing. Only content that changed and
//! compiles allocates, once per distinct content; the language server
//! reloads rules when a rule file is saved or changes on disk (not per
//! keystroke), so that growth is bounded by the edits a person saves.
//! Broken rules are not interned: their errors are computed on each load.

use std::{
    collections::HashMap,
    fmt,
    ops::Range,
    path::{Path, PathBuf},
    sync::{Arc, LazyLock, Mutex},
};

use tree_sitter::{CaptureQuantifier, Query};

use crate::{
    kind::FileKind,
    predicates::PatternExtras,
    registry::registry,
    rule::{Rule, RuleMeta, Target},
};

/// A compiled user rule; lives for the rest of the process (see the module
/// documentation).
pub struct UserRule {
    pub rule: Rule,
    pub kind: FileKind,
    pub query: Query,
    /// The engine predicates and settings of each pattern of `query`.
    pub extras: Vec<PatternExtras>,
    /// Whether every pattern of `query` has a single root
    /// ([`crate::predicates::all_rooted`]).
    pub rooted: bool,
}

impl UserRule {
    /// The file the rule came from.
    pub fn path(&self) -> &Path {
        self.rule.user_file.as_deref().unwrap_or(Path::new(""))
    }
}

impl fmt::Debug for UserRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRule")
            .field("id", &self.rule.id)
            .field("path", &self.path())
            .finish()
    }
}

/// A problem with a user rule file, located in it. Displays as
/// `path:line:column: message` (line and column count from 1; the column
/// in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRuleError {
    pub path: PathBuf,
    /// The file's text (to place the error in it as a finding).
    pub text: Arc<str>,
    /// The bytes the problem is about.
    pub range: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for UserRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl UserRuleError {
    fn new(path: &Path, text: &str, range: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
        UserRuleError {
            path: path.to_path_buf(),
            text: Arc::from(text),
            range: start..end,
            line: text[..start].matches('\n').count() + 1,
            column: text[line_start..start].chars().count() + 1,
            message: message.into(),
        }
    }
}

impl UserRuleError {
    /// The error as a finding of the meta rule `invalid-config` in the rule
    /// file: a broken user rule is a broken piece of configuration.
    pub fn finding(&self) -> Option<crate::check::Finding> {
        let rule = registry().rule(crate::rule::ids::INVALID_CONFIG)?;
        Some(crate::check::Finding::new(
            rule,
            self.range.clone(),
            self.message.clone(),
            None,
        ))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The user rules of a configuration: the rules that compiled and the
/// problems of the others. Cheap to clone; two sets are equal when they
/// hold the same interned rules and the same errors.
#[derive(Clone, Debug, Default)]
pub struct UserRules {
    rules: Arc<[&'static UserRule]>,
    errors: Arc<[UserRuleError]>,
}

impl PartialEq for UserRules {
    fn eq(&self, other: &Self) -> bool {
        self.rules.len() == other.rules.len()
            && self
                .rules
                .iter()
                .zip(other.rules.iter())
                .all(|(a, b)| std::ptr::eq(*a, *b))
            && self.errors == other.errors
    }
}

impl Eq for UserRules {}

impl UserRules {
    /// A set of compiled rules (without errors).
    pub fn of(rules: Vec<&'static UserRule>) -> UserRules {
        UserRules {
            rules: rules.into(),
            errors: Arc::new([]),
        }
    }

    pub fn rules(&self) -> &[&'static UserRule] {
        &self.rules
    }

    pub fn errors(&self) -> &[UserRuleError] {
        &self.errors
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.errors.is_empty()
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&'static Rule> {
        self.rules
            .iter()
            .find(|rule| rule.rule.id == id)
            .map(|rule| &rule.rule)
    }

    /// The rules that look at files of `kind`.
    pub fn for_kind(&self, kind: FileKind) -> impl Iterator<Item = &'static UserRule> + '_ {
        self.rules
            .iter()
            .copied()
            .filter(move |rule| rule.kind == kind)
    }

    /// The rules of several sets, the first set's first: a later rule with
    /// an id already taken is an error of its file.
    pub fn union<'s>(sets: impl IntoIterator<Item = &'s UserRules>) -> UserRules {
        let sets: Vec<&UserRules> = sets.into_iter().collect();
        if sets.len() == 1 {
            return sets[0].clone();
        }
        let mut rules: Vec<&'static UserRule> = Vec::new();
        let mut errors: Vec<UserRuleError> = Vec::new();
        for set in sets {
            for rule in set.rules.iter() {
                if rules.iter().any(|seen| std::ptr::eq(*seen, *rule)) {
                    continue;
                }
                match rules.iter().find(|seen| seen.rule.id == rule.rule.id) {
                    Some(seen) => errors.push(clash(rule, seen.path())),
                    None => rules.push(rule),
                }
            }
            for error in set.errors.iter() {
                if !errors.contains(error) {
                    errors.push(error.clone());
                }
            }
        }
        UserRules {
            rules: rules.into(),
            errors: errors.into(),
        }
    }
}

fn clash(rule: &UserRule, other: &Path) -> UserRuleError {
    UserRuleError::new(
        rule.path(),
        rule.rule.query_source,
        0..0,
        format!(
            "rule id `{}` is also the id of {}; rule ids must be unique",
            rule.rule.id,
            other.display()
        ),
    )
}

/// Loads the `*.scm` files of each folder in `folders` (relative to `base`),
/// in name order. A folder that cannot be read is an error of the
/// configuration (reported by the caller), not of a rule; a broken rule is
/// an error and the others load.
pub fn load_folders(base: &Path, folders: &[PathBuf]) -> (UserRules, Vec<(PathBuf, String)>) {
    let mut rules: Vec<&'static UserRule> = Vec::new();
    let mut errors = Vec::new();
    let mut unreadable = Vec::new();
    for folder in folders {
        let folder = base.join(folder);
        let files = match crate::project::files_with_extension(&folder, "scm") {
            Ok(files) => files,
            Err(error) => {
                unreadable.push((folder, error.to_string()));
                continue;
            }
        };
        for path in files {
            let Some(text) = crate::project::read_regular_file(&path) else {
                errors.push(UserRuleError::new(&path, "", 0..0, "cannot read the file"));
                continue;
            };
            match compile(&path, &text) {
                Ok(rule) => match rules.iter().find(|seen| seen.rule.id == rule.rule.id) {
                    Some(seen) => errors.push(clash(rule, seen.path())),
                    None => rules.push(rule),
                },
                Err(error) => errors.push(error),
            }
        }
    }
    (
        UserRules {
            rules: rules.into(),
            errors: errors.into(),
        },
        unreadable,
    )
}

/// Compiled user rules by path; each path keeps every content that compiled.
static INTERNED: LazyLock<Mutex<HashMap<PathBuf, Vec<&'static UserRule>>>> =
    LazyLock::new(Default::default);

/// How many user rules were compiled and interned so far (each is an
/// allocation that lives for the process): for tests of reloading.
pub fn interned_count() -> usize {
    lock().values().map(Vec::len).sum()
}

fn lock() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Vec<&'static UserRule>>> {
    INTERNED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Compiles the user rule file at `path` with content `text` (its id is the
/// file's stem). The same path and content always give the same rule,
/// compiled once.
pub fn compile(path: &Path, text: &str) -> Result<&'static UserRule, UserRuleError> {
    if let Some(found) = lock()
        .get(path)
        .and_then(|rules| rules.iter().find(|rule| rule.rule.query_source == text))
    {
        return Ok(found);
    }
    let rule = compile_uninterned(path, text)?;
    let rule: &'static UserRule = Box::leak(Box::new(rule));
    lock().entry(path.to_path_buf()).or_default().push(rule);
    Ok(rule)
}

/// A header line: where its TOML starts in the file and in the header.
struct HeaderLine {
    file_offset: usize,
    header_offset: usize,
}

/// The TOML header of a rule file and where each of its lines is in the file.
fn header_of(text: &str) -> (String, Vec<HeaderLine>) {
    let mut header = String::new();
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let Some(stripped) = line.strip_prefix(";;") else {
            break;
        };
        let skip = if stripped.starts_with(' ') { 3 } else { 2 };
        lines.push(HeaderLine {
            file_offset: offset + skip,
            header_offset: header.len(),
        });
        header.push_str(line[skip.min(line.len())..].trim_end_matches(['\n', '\r']));
        header.push('\n');
        offset += line.len();
    }
    (header, lines)
}

/// The file offset of a header offset.
fn file_offset(lines: &[HeaderLine], header_offset: usize) -> usize {
    let index = lines
        .partition_point(|line| line.header_offset <= header_offset)
        .saturating_sub(1);
    lines.get(index).map_or(0, |line| {
        line.file_offset + header_offset - line.header_offset
    })
}

/// What tree-sitter's error says, as a sentence.
fn query_error_message(error: &tree_sitter::QueryError) -> String {
    use tree_sitter::QueryErrorKind;
    let first = error
        .message
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let what = match error.kind {
        QueryErrorKind::NodeType => format!("unknown node type `{first}`"),
        QueryErrorKind::Field => format!("unknown field `{first}`"),
        QueryErrorKind::Capture => format!("unknown capture `{first}`"),
        QueryErrorKind::Syntax => "syntax error".to_string(),
        QueryErrorKind::Structure => "impossible pattern (these nodes never nest so)".to_string(),
        QueryErrorKind::Predicate => format!("bad predicate: {first}"),
        QueryErrorKind::Language => format!("grammar mismatch: {first}"),
    };
    format!("the query does not compile: {what}")
}

fn compile_uninterned(path: &Path, text: &str) -> Result<UserRule, UserRuleError> {
    let error =
        |range: Range<usize>, message: String| UserRuleError::new(path, text, range, message);
    let id = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let valid_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err(error(
            0..0,
            format!(
                "`{id}` is not a rule id: name the file `<rule-id>.scm`, with lowercase letters, digits and `-`"
            ),
        ));
    }
    if registry().get(&id).is_some() {
        return Err(error(
            0..0,
            format!("rule id `{id}` is taken by a built-in rule; rename the file"),
        ));
    }
    let (header, lines) = header_of(text);
    if lines.is_empty() {
        return Err(error(
            0..0,
            "a rule file starts with its metadata header in `;;` comment lines (kind, priority, category, summary, message)".into(),
        ));
    }
    let meta: RuleMeta = toml::from_str(&header).map_err(|toml_error| {
        let range = toml_error.span().unwrap_or(0..0);
        error(
            file_offset(&lines, range.start)..file_offset(&lines, range.end),
            format!("bad metadata header: {}", toml_error.message()),
        )
    })?;
    let kind_range = || {
        header
            .lines()
            .scan(0, |offset, line| {
                let start = *offset;
                *offset += line.len() + 1;
                Some((start, line))
            })
            .find(|(_, line)| line.trim_start().starts_with("kind"))
            .map_or(0..0, |(start, line)| {
                file_offset(&lines, start)..file_offset(&lines, start + line.len())
            })
    };
    let Some(kind_name) = meta.kind.clone() else {
        return Err(error(
            0..0,
            "a user rule must say its file kind in its header, e.g. `kind = \"python\"`".into(),
        ));
    };
    let with_grammar: Vec<&str> = FileKind::ALL
        .into_iter()
        .filter(|kind| kind.language().is_some())
        .map(FileKind::name)
        .collect();
    let Some((kind, language)) = FileKind::from_name(&kind_name)
        .and_then(|kind| kind.language().map(|language| (kind, language)))
    else {
        return Err(error(
            kind_range(),
            format!(
                "unknown kind `{kind_name}`; a user rule's kind is one of {}",
                with_grammar.join(", ")
            ),
        ));
    };
    // The whole file is the query (its header is comments to tree-sitter),
    // so tree-sitter's positions are the file's.
    let query = Query::new(&language, text).map_err(|query_error| {
        error(
            query_error.offset..query_error.offset,
            query_error_message(&query_error),
        )
    })?;
    if query.pattern_count() == 0 {
        return Err(error(
            text.len()..text.len(),
            "the rule has no query pattern after its header".into(),
        ));
    }
    let mut extras = Vec::with_capacity(query.pattern_count());
    for pattern in 0..query.pattern_count() {
        let start = query.start_byte_for_pattern(pattern);
        let end = query.end_byte_for_pattern(pattern);
        let compiled = crate::predicates::compile_pattern(&query, pattern, kind)
            .and_then(|compiled| {
                crate::rule::check_fix_variant(compiled.fix.as_deref(), meta.fix.as_ref())?;
                Ok(compiled)
            })
            .map_err(|message| {
                // Point at the predicate the message names, else the pattern.
                let at = message
                    .split('`')
                    .nth(1)
                    .and_then(|named| {
                        let named = named.split_whitespace().next().unwrap_or(named);
                        text[start..end].find(named)
                    })
                    .map_or(start, |offset| start + offset);
                error(at..at, message)
            })?;
        extras.push(compiled);
    }
    let finding = query.capture_index_for_name("finding");
    for (pattern, compiled) in extras.iter().enumerate() {
        let captures_finding = finding.is_some_and(|capture| {
            query.capture_quantifiers(pattern)[capture as usize] != CaptureQuantifier::Zero
        });
        // A binding predicate may bind the finding (`(#kwarg! @call "timeout" "finding")`),
        // as in the built-in rules.
        if !captures_finding && !compiled.binds("finding") {
            let start = query.start_byte_for_pattern(pattern);
            return Err(error(
                start..start,
                "this pattern does not capture `@finding` (nor binds it with a predicate); a user rule reports at its `@finding` node".into(),
            ));
        }
    }
    let source: &'static str = Box::leak(text.to_string().into_boxed_str());
    let id: &'static str = Box::leak(id.into_boxed_str());
    Ok(UserRule {
        rule: Rule {
            id,
            target: Target::File(kind),
            meta,
            query_source: source,
            user_file: Some(path.to_path_buf()),
        },
        kind,
        rooted: crate::predicates::all_rooted(&query),
        query,
        extras,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = ";; kind = \"python\"\n;; priority = \"medium\"\n;; category = \"observability\"\n;; summary = \"s\"\n;; message = \"do not call `${name}`\"\n((call function: (identifier) @name) @finding (#eq? @name \"print\"))\n";

    fn compile_error(text: &str) -> UserRuleError {
        compile(Path::new("/rules/my-rule.scm"), text).unwrap_err()
    }

    #[test]
    fn the_same_content_is_compiled_once() {
        let path = Path::new("/interning/no-print.scm");
        let first = compile(path, GOOD).unwrap();
        let again = compile(path, GOOD).unwrap();
        assert!(std::ptr::eq(first, again));
        let changed = compile(path, &GOOD.replace("\"s\"", "\"t\"")).unwrap();
        assert!(!std::ptr::eq(first, changed));
        assert_eq!(first.rule.id, "no-print");
        assert_eq!(first.kind, FileKind::Python);
    }

    /// A folder removed when the test ends.
    struct Dir(PathBuf);

    impl Dir {
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Reloading a folder reuses every rule whose content did not change
    /// (the same `&'static` rule, no allocation) and compiles only the
    /// changed one; the sets before and after differ, the sets of two
    /// unchanged loads are equal.
    #[test]
    fn a_reload_compiles_only_changed_rules() {
        let root = std::env::temp_dir().join(format!(
            "shipshape-user-rules-reload-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let dir = Dir(root);
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("no-print.scm", GOOD);
        write("no-input.scm", &GOOD.replace("\"print\"", "\"input\""));
        let load = || load_folders(dir.path(), &[PathBuf::from(".")]).0;
        let first = load();
        let versions = |id: &str| {
            lock()
                .get(&dir.path().join(".").join(format!("{id}.scm")))
                .map_or(0, Vec::len)
        };
        assert_eq!((versions("no-print"), versions("no-input")), (1, 1));
        let again = load();
        assert_eq!(first, again);
        assert_eq!((versions("no-print"), versions("no-input")), (1, 1));
        write(
            "no-input.scm",
            &GOOD
                .replace("\"print\"", "\"input\"")
                .replace("\"s\"", "\"t\""),
        );
        let changed = load();
        assert_ne!(first, changed);
        assert_eq!((versions("no-print"), versions("no-input")), (1, 2));
        let same = |id: &str| {
            let find = |set: &UserRules| {
                set.rules()
                    .iter()
                    .copied()
                    .find(|rule| rule.rule.id == id)
                    .unwrap()
            };
            std::ptr::eq(find(&first), find(&changed))
        };
        assert!(same("no-print") && !same("no-input"));
    }

    /// The findings of one user rule in `source`, checked as `app/main.py`.
    fn check_with(rule: &'static UserRule, source: &str) -> Vec<crate::Finding> {
        let tree = crate::parse::parse(FileKind::Python, source, None);
        let file = crate::check::SourceFile {
            path: Path::new("app/main.py"),
            kind: FileKind::Python,
            text: source,
            tree: tree.as_ref(),
        };
        let settings = crate::config::FileSettings {
            user_rules: UserRules::of(vec![rule]),
            ..Default::default()
        };
        crate::check::check_file_with_settings(
            &file,
            &crate::project::ProjectContext::default(),
            &settings,
        )
    }

    /// A predicate that binds `finding` to another node (`#kwarg!`) puts
    /// the user rule's finding there.
    #[test]
    fn a_finding_bound_by_a_predicate_is_reported_there() {
        let text = GOOD.replace(
            "((call function: (identifier) @name) @finding (#eq? @name \"print\"))",
            "((call function: (identifier) @name) @call (#eq? @name \"print\") (#kwarg! @call \"flush\" \"finding\"))",
        );
        assert_ne!(text, GOOD);
        let rule = compile(Path::new("/bound/no-print.scm"), &text).unwrap();
        let source = "print(1)\nprint(2, flush=True)\n";
        let findings = check_with(rule, source);
        let found: Vec<(&str, &str)> = findings
            .iter()
            .map(|finding| (finding.rule.id, &source[finding.range.clone()]))
            .collect();
        assert_eq!(found, [("no-print", "flush=True")]);
    }

    /// A pattern that names a fix variant (`(#set! fix "NAME")`) offers
    /// that variant's edits and imports under the fix's title; the other
    /// patterns offer the default edits. A variant the header lacks is a
    /// located error.
    #[test]
    fn a_pattern_selects_its_fix_variant() {
        let text = ";; kind = \"python\"\n;; priority = \"low\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n;; [fix]\n;; title = \"Mend\"\n;; edits = [{ capture = \"name\", replace = \"log\" }]\n;; [fix.variants.loud]\n;; edits = [{ capture = \"name\", replace = \"shout\" }]\n;; imports = [\"sys\"]\n;; [fix.variants.quiet]\n((call function: (identifier) @name) @finding (#eq? @name \"print\"))\n((call function: (identifier) @name) @finding (#eq? @name \"yell\") (#set! fix \"loud\"))\n((call function: (identifier) @name) @finding (#eq? @name \"hush\") (#set! fix \"quiet\"))\n";
        let rule = compile(Path::new("/variants/mend.scm"), text).unwrap();
        let source = "print(1)\nyell(2)\nhush(3)\n";
        let findings = check_with(rule, source);
        let fixes: Vec<(&str, Option<Vec<&str>>)> = findings
            .iter()
            .map(|finding| {
                (
                    &source[finding.range.clone()],
                    finding.fix.as_ref().map(|fix| {
                        assert_eq!(fix.title, "Mend");
                        fix.edits
                            .iter()
                            .map(|edit| edit.new_text.as_str())
                            .collect()
                    }),
                )
            })
            .collect();
        assert_eq!(
            fixes,
            [
                ("print(1)", Some(vec!["log"])),
                ("yell(2)", Some(vec!["shout", "import sys\n\n"])),
                ("hush(3)", None),
            ]
        );
        let missing = compile_error(&text.replace("\"quiet\"))", "\"silent\"))"));
        assert!(
            missing.message.contains("no `[fix.variants.silent]`")
                && missing.message.contains("loud, quiet"),
            "{missing}"
        );
        assert_eq!((missing.line, missing.column), (15, 68), "{missing}");
    }

    /// Suppression comments name user rules like built-in ones: one that
    /// suppresses nothing is unused ("reports nothing here", not "not a
    /// shipshape rule"), one of a rule that is off is not reported.
    #[test]
    fn suppressions_know_user_rules() {
        let rule = compile(Path::new("/suppress/no-print.scm"), GOOD).unwrap();
        let text =
            "# shipshape: ignore[no-print]\nx = 1\n# shipshape: ignore[no-print]\nprint(x)\n";
        let findings = check_with(rule, text);
        let found: Vec<(&str, &str)> = findings
            .iter()
            .map(|finding| (finding.rule.id, finding.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "unused-suppression",
                "Unused suppression: `no-print` reports nothing here."
            )]
        );
        let off = crate::config::ConfigFile::parse(
            Path::new("/srv/shipshape.toml"),
            "[rules]\nbare-except = \"off\"\n",
        );
        let mut config = crate::config::Config {
            layers: off.layer.into_iter().collect(),
        };
        config.layers[0].user_rules = UserRules::of(vec![rule]);
        config.layers[0]
            .rules
            .insert("no-print".into(), crate::config::RuleLevel::Off);
        let settings = config.settings_for(Path::new("/srv/app/main.py"));
        assert!(!settings.is_enabled(&rule.rule));
        let tree = crate::parse::parse(FileKind::Python, text, None);
        let file = crate::check::SourceFile {
            path: Path::new("app/main.py"),
            kind: FileKind::Python,
            text,
            tree: tree.as_ref(),
        };
        let project = crate::project::ProjectContext::default();
        let findings = crate::check::check_file_with_settings(&file, &project, &settings);
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn broken_rules_are_located_errors() {
        let bad_toml =
            compile_error(";; kind = \"python\"\n;; priority = urgent\n(call) @finding\n");
        assert_eq!((bad_toml.line, bad_toml.column), (2, 15), "{bad_toml}");
        assert!(
            bad_toml.message.contains("bad metadata header"),
            "{bad_toml}"
        );

        let unknown_kind = compile_error(&GOOD.replace("\"python\"", "\"cobol\""));
        assert_eq!(
            (unknown_kind.line, unknown_kind.column),
            (1, 4),
            "{unknown_kind}"
        );
        assert!(unknown_kind.message.contains("unknown kind `cobol`"));

        let no_kind = compile_error(&GOOD.replace(";; kind = \"python\"\n", ""));
        assert!(no_kind.message.contains("must say its file kind"));

        let bad_query = compile_error(&GOOD.replace("(identifier)", "(no_such_node)"));
        assert_eq!((bad_query.line, bad_query.column), (6, 19), "{bad_query}");
        assert!(
            bad_query
                .message
                .contains("unknown node type `no_such_node`"),
            "{bad_query}"
        );

        let predicate = compile_error(&GOOD.replace("#eq?", "#no-such?"));
        assert_eq!((predicate.line, predicate.column), (6, 48), "{predicate}");
        assert!(
            predicate.message.contains("unknown predicate"),
            "{predicate}"
        );

        let no_finding = compile_error(&GOOD.replace(" @finding", ""));
        assert_eq!((no_finding.line, no_finding.column), (6, 1));
        assert!(no_finding.message.contains("@finding"));

        let builtin = compile(Path::new("/rules/bare-except.scm"), GOOD).unwrap_err();
        assert!(builtin.message.contains("built-in"), "{builtin}");
        assert_eq!(
            builtin.to_string(),
            "/rules/bare-except.scm:1:1: rule id `bare-except` is taken by a built-in rule; rename the file"
        );
    }
}
