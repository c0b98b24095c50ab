//! The registry: every built-in rule, embedded at build time, each bound to
//! its hook from the hook table (`crate::hooks`) when it loads, and the
//! queries of each file kind compiled into one. It sits above the rules
//! (`crate::rule`), the hooks and the predicates it binds together: a
//! `Rule` names no hook.

use std::{
    collections::HashMap,
    sync::{LazyLock, OnceLock},
};

use tree_sitter::Query;

use crate::{
    hook::{HookFn, ProjectHookFn},
    hooks,
    kind::FileKind,
    project,
    rule::{Rule, RuleId, RuleMeta, Target, query_body, split_header},
};

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
    /// The rule (index into [`Registry::rules`]) of each pattern of a rule:
    /// the patterns before [`Self::walked`].
    pub pattern_rule: Vec<usize>,
    /// The first of the patterns the engine adds after the rules' (see
    /// [`walked_patterns`]), which belong to no rule: each matches a node
    /// the project facts are read from. The pattern count when there are
    /// none.
    pub walked: usize,
    /// The engine predicates and settings of each pattern.
    pub extras: Vec<crate::predicates::PatternExtras>,
    /// Whether every pattern has a single root ([`crate::predicates::all_rooted`]),
    /// answered once here rather than per check.
    pub rooted: bool,
    /// The words a file must hold for each pattern to match
    /// ([`crate::predicates::TextNeeds`]).
    pub needs: Option<crate::predicates::TextNeeds>,
    /// Whether the analysis of its patterns came from the kind's saved
    /// analysis ([`saved_analysis`]) rather than being computed.
    pub from_saved_analysis: bool,
}

/// What compiling one kind's rules gave: the combined query (of the rules
/// that compile) and the problems of the others.
struct CompiledKind {
    query: Option<KindQuery>,
    errors: Vec<RuleError>,
}

/// A rule's entries in the hook tables, found when the registry loads.
#[derive(Clone, Copy, Default)]
struct Hooks {
    /// Logic a query cannot express, from the hook table.
    file: Option<HookFn>,
    /// The logic of a project rule (`rules/project/<id>/rule.scm`), from the
    /// project hook table.
    project: Option<ProjectHookFn>,
}

/// Every rule, bound to its hook. Headers are read when the registry loads;
/// the queries of a file kind are compiled once, the first time a file of
/// that kind is checked (a run over Python files never compiles the
/// Dockerfile queries).
pub struct Registry {
    pub rules: Vec<Rule>,
    /// The hooks of each rule, by its index in `rules`.
    hooks: Vec<Hooks>,
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

mod saved {
    include!(concat!(env!("OUT_DIR"), "/saved_analysis.rs"));
}

/// The saved analysis of `kind`'s combined query of built-in rules
/// (`analysis/<kind>.bin` in this crate; empty when there is none).
///
/// Compiling a query analyses its patterns against the grammar's parse
/// table: about 80 ms for the Python rules, paid by every process before its
/// first Python file (`shipshape check` of a one-line file took 0.1 s, nearly
/// all of it this). The analysis is the same for the same query and grammar,
/// so it is saved with the rules and given back to tree-sitter
/// (`Query::new_with_analysis`, a change of the vendored tree-sitter), which
/// ignores an analysis made for another source or grammar and analyses the
/// patterns itself. The test `saved_analysis_is_current` checks each file
/// against a fresh analysis and writes them anew with
/// `SHIPSHAPE_SAVE_ANALYSIS=1`.
pub fn saved_analysis(kind: FileKind) -> &'static [u8] {
    saved::SAVED_ANALYSIS
        .iter()
        .find(|(name, _)| *name == kind.name())
        .map_or(&[], |(_, bytes)| bytes)
}

/// Compiles a kind's combined query, from its saved analysis where the
/// tree-sitter in use can take one; the `bool` tells whether it did.
fn compile_combined(
    kind: FileKind,
    language: &tree_sitter::Language,
    source: &str,
) -> Result<(Query, bool), tree_sitter::QueryError> {
    #[cfg(saved_analysis)]
    {
        Query::new_with_analysis(language, source, saved_analysis(kind))
    }
    #[cfg(not(saved_analysis))]
    {
        let _ = kind;
        Query::new(language, source).map(|query| (query, false))
    }
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
        let mut bound = Vec::new();
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
                user_file: None,
            };
            let rule_hooks = Hooks {
                file: hooks::find(id),
                project: hooks::find_project(id),
            };
            if target == Target::Project && (rule_hooks.project.is_none() || rule.has_query()) {
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
            bound.push(rule_hooks);
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
            hooks: bound,
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
        self.get(id.as_str())
    }

    /// The index in [`Registry::rules`] of this registry's `rule` (`None`
    /// for a user rule or a rule of another registry).
    fn index_of(&self, rule: &Rule) -> Option<usize> {
        let index = *self.by_id.get(rule.id)?;
        std::ptr::eq(&self.rules[index], rule).then_some(index)
    }

    /// The hook of a file rule, if it has one (user rules never do).
    pub fn hook(&self, rule: &Rule) -> Option<HookFn> {
        self.hooks[self.index_of(rule)?].file
    }

    /// The hook of a project rule.
    pub fn project_hook(&self, rule: &Rule) -> Option<ProjectHookFn> {
        self.hooks[self.index_of(rule)?].project
    }

    /// Whether Rust logic (a hook) runs for `rule`, not only its query.
    pub fn has_hook(&self, rule: &Rule) -> bool {
        self.hook(rule).is_some() || self.project_hook(rule).is_some()
    }

    /// The rule at `index` of [`Registry::rules`] (a [`KindQuery`]'s
    /// `pattern_rule` entry) with its hook.
    pub fn rule_at(&self, index: usize) -> (&Rule, Option<HookFn>) {
        (&self.rules[index], self.hooks[index].file)
    }

    fn compiled(&self, kind: FileKind) -> Option<&CompiledKind> {
        let (members, compiled) = self.kinds.get(&kind)?;
        Some(compiled.get_or_init(|| compile_kind(kind, &self.rules, &self.hooks, members)))
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

/// The queries of `members` concatenated, and where each starts (with its
/// rule's index): a pattern's start byte tells which rule it belongs to.
/// The queries of `members` one after another, with the byte where each
/// starts, then the [`walked_patterns`] of `kind`, from the byte returned
/// last.
fn combined_source(
    kind: FileKind,
    rules: &[Rule],
    members: &[usize],
) -> (String, Vec<(usize, usize)>, usize) {
    let mut combined = String::new();
    let mut starts = Vec::new();
    for &index in members {
        starts.push((combined.len(), index));
        combined.push_str(query_body(rules[index].query_source));
        combined.push('\n');
    }
    let walked = combined.len();
    combined.push_str(&walked_patterns(kind));
    (combined, starts, walked)
}

/// Patterns of no rule that the engine adds to a kind's query: for Python,
/// one per kind of node the project facts are read from
/// ([`project::WALKED_KINDS`]). The rules' query walks every node of
/// the tree anyway; its matches of these hand the nodes to the project
/// facts, which otherwise walk the whole tree again for them (a
/// whole-tree check of pip spent 1.2 of 14.2 billion instructions on that
/// walk).
fn walked_patterns(kind: FileKind) -> String {
    match kind {
        FileKind::Python => project::WALKED_KINDS
            .iter()
            .map(|kind| format!("({kind}) @walked\n"))
            .collect(),
        _ => String::new(),
    }
}

/// Concatenates the queries of `members` into one and compiles it once. A
/// rule whose query does not compile (found by compiling the rules one by
/// one, which only happens in a broken build) or that lacks `@finding`
/// without a hook is reported and left out.
fn compile_kind(
    kind: FileKind,
    rules: &[Rule],
    hooks: &[Hooks],
    members: &[usize],
) -> CompiledKind {
    let mut errors = Vec::new();
    let Some(language) = kind.language() else {
        return CompiledKind {
            query: None,
            errors,
        };
    };
    let mut members: Vec<usize> = members.to_vec();
    loop {
        let (combined, starts, walked_start) = combined_source(kind, rules, &members);
        let (query, from_saved_analysis) = match compile_combined(kind, &language, &combined) {
            Ok(compiled) => compiled,
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
        let walked = (0..query.pattern_count())
            .find(|&pattern| query.start_byte_for_pattern(pattern) >= walked_start)
            .unwrap_or(query.pattern_count());
        let pattern_rule: Vec<usize> = (0..walked)
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
                crate::rule::check_fix_variant(
                    compiled.fix.as_deref(),
                    rules[index].meta.fix.as_ref(),
                )?;
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
                hooks[index].file.is_none()
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
                    rooted: crate::predicates::all_rooted(&query),
                    needs: crate::predicates::TextNeeds::of(&query, &extras),
                    query,
                    pattern_rule,
                    walked,
                    extras,
                    from_saved_analysis,
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

    /// Every kind's built-in query compiles from its saved analysis, which is
    /// the one tree-sitter computes for it now; `analysis/` holds a file for
    /// those kinds only. `SHIPSHAPE_SAVE_ANALYSIS=1 cargo test -p
    /// shipshape-core saved_analysis` writes the files anew (after a rule's
    /// query or the grammar changed) and the next build embeds them.
    #[cfg(saved_analysis)]
    #[test]
    fn saved_analysis_is_current() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("analysis");
        let save = std::env::var_os("SHIPSHAPE_SAVE_ANALYSIS").is_some();
        let mut kinds: Vec<FileKind> = registry().kinds.keys().copied().collect();
        kinds.sort_by_key(|kind| kind.name());
        assert!(kinds.contains(&FileKind::Python), "{kinds:?}");
        if save {
            let _ = std::fs::remove_dir_all(&folder);
            std::fs::create_dir_all(&folder).unwrap();
        }
        for &kind in &kinds {
            let compiled = registry().query_for(kind).unwrap();
            let (source, _, _) =
                combined_source(kind, &registry().rules, &registry().kinds[&kind].0);
            let language = kind.language().unwrap();
            let fresh = Query::new(&language, &source).unwrap().analysis(&source);
            let path = folder.join(format!("{}.bin", kind.name()));
            if save {
                std::fs::write(&path, &fresh).unwrap();
                continue;
            }
            assert!(
                saved_analysis(kind) == fresh.as_slice() && compiled.from_saved_analysis,
                "{} is not the analysis of the {} rules' query: run `SHIPSHAPE_SAVE_ANALYSIS=1 cargo test -p shipshape-core saved_analysis`",
                path.display(),
                kind.name()
            );
        }
        let mut files: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let expected: Vec<String> = kinds
            .iter()
            .map(|kind| format!("{}.bin", kind.name()))
            .collect();
        assert_eq!(
            files,
            expected,
            "{}: one file per kind with query rules",
            folder.display()
        );
    }

    /// A query made from a saved analysis is the query tree-sitter analyses:
    /// the same analysis read back, the same matches on a real module. An
    /// analysis saved for another source, or cut short, is not used and the
    /// patterns are analysed as usual.
    #[cfg(saved_analysis)]
    #[test]
    fn a_saved_analysis_gives_the_analysed_query_and_only_for_its_source() {
        use streaming_iterator::StreamingIterator;
        let language = FileKind::Python.language().unwrap();
        let (source, _, _) = combined_source(
            FileKind::Python,
            &registry().rules,
            &registry().kinds[&FileKind::Python].0,
        );
        let source = &source;
        let analysed = Query::new(&language, source).unwrap();
        let saved = analysed.analysis(source);
        let (from_saved, used) = Query::new_with_analysis(&language, source, &saved).unwrap();
        assert!(used);
        assert_eq!(from_saved.analysis(source), saved);

        let text = include_str!("../../../examples/fastapi-service/app/main.py");
        let tree = crate::parse::parse(FileKind::Python, text, None).unwrap();
        let matches = |query: &Query| {
            let mut cursor = tree_sitter::QueryCursor::new();
            let mut found = Vec::new();
            let mut it = cursor.matches(query, tree.root_node(), text.as_bytes());
            while let Some(m) = it.next() {
                let nodes: Vec<(u32, usize)> = m
                    .captures()
                    .iter()
                    .map(|c| (c.index, c.node.id()))
                    .collect();
                found.push((m.pattern_index, nodes));
            }
            found
        };
        let expected = matches(&analysed);
        assert!(expected.len() > 20, "{}", expected.len());
        assert_eq!(matches(&from_saved), expected);

        let other = format!("{source}\n(pass_statement) @finding\n");
        let (query, used) = Query::new_with_analysis(&language, &other, &saved).unwrap();
        assert!(!used);
        assert_eq!(
            query.analysis(&other),
            Query::new(&language, &other).unwrap().analysis(&other)
        );
        let (_, used) =
            Query::new_with_analysis(&language, source, &saved[..saved.len() - 1]).unwrap();
        assert!(!used);
        let (_, used) = Query::new_with_analysis(&language, source, &[]).unwrap();
        assert!(!used);
    }
}
