//! The rule engine: runs every rule of a file's kind over its tree and
//! turns matches into findings, through a rule's hook where it has one.

use std::{
    ops::{ControlFlow, Range},
    path::Path,
    time::{Duration, Instant},
};

use streaming_iterator::StreamingIterator;
use tree_sitter::{QueryCursor, QueryCursorOptions, Tree};

pub use crate::{
    emit::{Emit, ProjectEmit, RelatedLocation},
    finding::{Finding, ProjectFinding},
    hook::{
        Captures, FileFacts, FileView, FlowAssignment, FlowIndex, HookCx, HookFn, ProjectCx,
        ProjectHookFn, ScopeIndex, ScopeView,
    },
    parse::SourceFile,
};
use crate::{
    kind::FileKind, project::ProjectContext, registry::registry, rule::Rule,
    settings::FileSettings, suppress, user_rules::UserRules,
};

/// How long the rules may run over one file. Pathological input (a 5 MB
/// line holding one list literal) would otherwise keep the query cursor
/// busy for many seconds; past this budget the rules stop and the check
/// says so ([`Checked::incomplete`]).
pub const RULES_TIME_BUDGET: Duration = Duration::from_secs(2);

/// The most in-progress matches a query cursor keeps (tree-sitter drops the
/// oldest beyond it and says so); bounds memory on pathological input.
pub const MATCH_LIMIT: u32 = 4096;

/// Why the rules stopped before they had seen the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incomplete {
    /// The rules ran out of [`RULES_TIME_BUDGET`].
    TimeBudget(Duration),
    /// The query cursor exceeded [`MATCH_LIMIT`] in-progress matches, so
    /// some matches may be missing.
    MatchLimit(u32),
}

impl std::fmt::Display for Incomplete {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Incomplete::TimeBudget(budget) => write!(
                f,
                "rules stopped after {} ms; findings past that point are missing",
                budget.as_millis()
            ),
            Incomplete::MatchLimit(limit) => write!(
                f,
                "more than {limit} query matches were in progress at once; some may be missing"
            ),
        }
    }
}

/// The findings of a file and whether the rules saw all of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub incomplete: Option<Incomplete>,
    /// The work the check did (see [`crate::work`]).
    pub work: crate::work::Work,
}

/// Runs every rule for the file's kind and returns its findings, sorted by
/// position, with suppressed ones removed (and unused suppressions
/// reported as `unused-suppression`).
pub fn check_file(file: &SourceFile<'_>, project: &ProjectContext) -> Vec<Finding> {
    let (mut findings, _) = run_rules(
        file,
        project,
        None,
        RULES_TIME_BUDGET,
        &UserRules::default(),
        &FileFacts::default(),
    );
    suppress::apply_suppressions(file, &mut findings, &|_| true);
    findings
}

/// Like [`check_file`], but only the rules for which `enabled` says yes.
pub fn check_file_with(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Vec<Finding> {
    check_file_checked(file, project, enabled, RULES_TIME_BUDGET).findings
}

/// [`check_file_with`], also saying whether the rules stopped early.
pub fn check_file_checked(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
    budget: Duration,
) -> Checked {
    check_file_checked_with_user(file, project, enabled, budget, &UserRules::default())
}

/// [`check_file_checked`] with user rules (see [`crate::user_rules`]) run
/// besides the built-in ones.
pub fn check_file_checked_with_user(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
    budget: Duration,
    user: &UserRules,
) -> Checked {
    check_file_checked_with_facts(file, project, enabled, budget, user, &FileFacts::default())
}

/// [`check_file_checked_with_user`] with the file's facts held by the
/// caller, who may take what the hooks derived (the command line's project
/// model takes the Python module facts) instead of deriving it again.
fn check_file_checked_with_facts<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: &dyn Fn(&Rule) -> bool,
    budget: Duration,
    user: &UserRules,
    facts: &'a FileFacts<'a>,
) -> Checked {
    let ((findings, incomplete), work) = crate::work::measure(|| {
        let (mut findings, incomplete) =
            run_rules(file, project, Some(enabled), budget, user, facts);
        suppress::apply_suppressions_with(file, &mut findings, enabled, user);
        (findings, incomplete)
    });
    Checked {
        findings,
        incomplete,
        work,
    }
}

/// Checks a file under its resolved configuration: rules that are off are
/// not run, severities are overridden, and suppressions apply. An excluded
/// file has no findings.
pub fn check_file_with_settings(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Vec<Finding> {
    check_file_with_settings_checked(file, project, settings).findings
}

/// [`check_file_with_settings`], also saying whether the rules stopped early.
pub fn check_file_with_settings_checked(
    file: &SourceFile<'_>,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Checked {
    check_file_with_settings_and_facts(file, project, settings, &FileFacts::default())
}

/// [`check_file_with_settings_checked`] with the file's facts held by the
/// caller: what the hooks derived of the file (its Python module facts)
/// stays in `facts` afterwards ([`FileFacts::python_if_derived`]), so that a
/// project model made from the same tree does not derive it again.
pub fn check_file_with_settings_and_facts<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    settings: &FileSettings,
    facts: &'a FileFacts<'a>,
) -> Checked {
    if settings.excluded {
        return Checked {
            findings: Vec::new(),
            incomplete: None,
            work: crate::work::Work::default(),
        };
    }
    let enabled = |rule: &Rule| settings.is_enabled(rule);
    let mut checked = check_file_checked_with_facts(
        file,
        project,
        &enabled,
        RULES_TIME_BUDGET,
        &settings.user_rules,
        facts,
    );
    settings.apply_severities(&mut checked.findings);
    checked
}

fn run_rules<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    budget: Duration,
    user: &UserRules,
    facts: &'a FileFacts<'a>,
) -> (Vec<Finding>, Option<Incomplete>) {
    let (matched, incomplete) = run_matches(file, project, enabled, budget, facts, None, user);
    let mut findings: Vec<Finding> = matched.into_iter().map(|(finding, _)| finding).collect();
    findings.extend(run_hook_only_rules(file, project, enabled, facts));
    sort_and_dedup(&mut findings);
    drop_fixes_that_break_parsing(file, &mut findings);
    if let Some(incomplete) = &incomplete {
        tracing::warn!(path = %file.path.display(), "{incomplete}");
    }
    (findings, incomplete)
}

pub(crate) fn sort_and_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule.id).cmp(&(b.range.start, b.range.end, b.rule.id))
    });
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.range == b.range);
}

/// Runs the kind's combined query (over `range` only, when given), then
/// the query of each user rule of the kind, and turns their matches into
/// findings, in match order. Stops when `budget` is spent.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_matches<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    budget: Duration,
    facts: &'a FileFacts<'a>,
    range: Option<Range<usize>>,
    user: &UserRules,
) -> (Vec<(Finding, Range<usize>)>, Option<Incomplete>) {
    let registry = registry();
    let mut findings = Vec::new();
    let Some(tree) = file.tree else {
        return (findings, None);
    };
    let started = Instant::now();
    let mut run = QueryRun {
        file,
        project,
        enabled,
        facts,
        // A walk of the whole tree hands the nodes of the engine's own
        // patterns to facts that keep them; a walk over a range finds only
        // some.
        keep_walked: range.is_none() && facts.keeps_walked(),
        range,
        started,
        budget,
        out_of_time: false,
        exceeded_match_limit: false,
    };
    if let Some(kind_query) = registry.query_for(file.kind) {
        let whole = run.keep_walked;
        if whole {
            facts.start_walk();
        }
        run.run(
            tree,
            (&kind_query.query, kind_query.rooted),
            (
                &|pattern| registry.rule_at(kind_query.pattern_rule[pattern]),
                kind_query.walked,
            ),
            (&kind_query.extras, kind_query.needs.as_ref()),
            &mut findings,
        );
        if whole && !run.out_of_time && !run.exceeded_match_limit {
            facts.end_walk();
        }
    }
    for user_rule in user.for_kind(file.kind) {
        if run.out_of_time {
            break;
        }
        run.run(
            tree,
            (&user_rule.query, user_rule.rooted),
            (&|_| (&user_rule.rule, None), usize::MAX),
            (&user_rule.extras, None),
            &mut findings,
        );
    }
    let incomplete = if run.out_of_time || started.elapsed() > budget {
        Some(Incomplete::TimeBudget(budget))
    } else if run.exceeded_match_limit {
        Some(Incomplete::MatchLimit(MATCH_LIMIT))
    } else {
        None
    };
    (findings, incomplete)
}

/// One check's walk of its queries over a tree, under one time budget.
struct QueryRun<'a, 'e> {
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: Option<&'e dyn Fn(&Rule) -> bool>,
    facts: &'a FileFacts<'a>,
    /// Whether the matches of the engine's own patterns go to `facts`.
    keep_walked: bool,
    range: Option<Range<usize>>,
    started: Instant,
    budget: Duration,
    out_of_time: bool,
    exceeded_match_limit: bool,
}

impl<'a> QueryRun<'a, '_> {
    /// Runs `query`, whose pattern `n` belongs to the rule `rule_of(n)`
    /// (with its hook, if it has one) up to the pattern `walked`, and
    /// pushes its findings with the span of the match each came from. The
    /// patterns from `walked` on belong to no rule: in a walk of the whole
    /// tree their nodes go to facts that keep them ([`FileFacts::walked`]).
    ///
    /// Over a range, a cursor limited by `set_byte_range` alone walks on
    /// past the range's end through every later top-level statement once a
    /// pattern rooted at the module has started (and a pattern rooted at the
    /// module always starts: the module intersects every range). So when
    /// every pattern of the query has a single root (a match rooted in a
    /// statement then lies inside that statement), the matches are found in
    /// two walks whose work is bounded by the range: one held inside the
    /// top-level statements the range touches (`set_containing_byte_range`:
    /// the cursor does not enter the others), and one that starts patterns
    /// at the root only (`set_max_start_depth(0)`): one node, unless a
    /// pattern is rooted at the module, whose walk is then its own cost,
    /// counted as any other.
    fn run(
        &mut self,
        tree: &'a Tree,
        (query, rooted): (&'static tree_sitter::Query, bool),
        rule_of: (&dyn Fn(usize) -> (&'static Rule, Option<HookFn>), usize),
        (extras, needs): (
            &[crate::predicates::PatternExtras],
            Option<&crate::predicates::TextNeeds>,
        ),
        findings: &mut Vec<(Finding, Range<usize>)>,
    ) {
        let mut cursor = QueryCursor::new();
        cursor.set_match_limit(MATCH_LIMIT);
        let Some(range) = self.range.clone() else {
            // A walk of the whole file starts no pattern whose needs the
            // text does not meet (names it never spells). Only the vendored
            // tree-sitter can be told so; a build against crates.io's starts
            // every pattern, with the same findings.
            // Nor any pattern of a rule that is off for the file (`--select`,
            // `--ignore`, the configuration): its matches would be dropped.
            #[cfg(disabled_patterns)]
            if !starts_every_pattern()
                && let Some(disabled) = disabled_patterns(
                    query.pattern_count(),
                    needs,
                    self.file.text,
                    self.enabled,
                    rule_of,
                )
            {
                cursor.set_disabled_patterns(&disabled);
            }
            #[cfg(not(disabled_patterns))]
            let _ = needs;
            self.walk(&mut cursor, tree, query, rule_of, extras, findings);
            return;
        };
        cursor.set_byte_range(range.clone());
        if !rooted {
            // A pattern with several roots matches siblings anywhere
            // around the range: walk as far as it needs.
            self.walk(&mut cursor, tree, query, rule_of, extras, findings);
            return;
        }
        cursor.set_containing_byte_range(top_level_around(tree.root_node(), &range));
        self.walk(&mut cursor, tree, query, rule_of, extras, findings);
        if self.out_of_time {
            return;
        }
        let mut at_root = QueryCursor::new();
        at_root.set_match_limit(MATCH_LIMIT);
        at_root.set_byte_range(range).set_max_start_depth(Some(0));
        self.walk(&mut at_root, tree, query, rule_of, extras, findings);
    }

    /// One walk of `cursor` (its ranges set) over the tree: see [`Self::run`].
    fn walk(
        &mut self,
        cursor: &mut QueryCursor,
        tree: &'a Tree,
        query: &'static tree_sitter::Query,
        (rule_of, walked): (&dyn Fn(usize) -> (&'static Rule, Option<HookFn>), usize),
        extras: &[crate::predicates::PatternExtras],
        findings: &mut Vec<(Finding, Range<usize>)>,
    ) {
        let (file, started, budget) = (self.file, self.started, self.budget);
        let names = query.capture_names();
        // The clock is read at every 16th of the cursor's calls (each comes
        // after about a hundred steps of its walk) and at every 8th match: a
        // read costs as much as a few steps, and the budget is counted in
        // seconds.
        let mut calls = 0u32;
        let mut over_budget = |_: &tree_sitter::QueryCursorState| {
            calls = calls.wrapping_add(1);
            if calls.is_multiple_of(16) && started.elapsed() > budget {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = QueryCursorOptions::new().progress_callback(&mut over_budget);
        let mut matches =
            cursor.matches_with_options(query, tree.root_node(), file.text.as_bytes(), options);
        let mut emits = Vec::new();
        let mut found_count = 0u32;
        while let Some(found) = matches.next() {
            // Hooks run between matches; the cursor's callback only sees the walk.
            found_count = found_count.wrapping_add(1);
            if found_count.is_multiple_of(8) && started.elapsed() > budget {
                self.out_of_time = true;
                break;
            }
            if found.pattern_index >= walked {
                if self.keep_walked
                    && let Some(capture) = found.captures().first()
                {
                    self.facts.walked_to(capture.node);
                }
                continue;
            }
            let (rule, hook) = rule_of(found.pattern_index);
            if !self.enabled.is_none_or(|enabled| enabled(rule)) {
                continue;
            }
            let captures = Captures::of(
                found
                    .captures()
                    .iter()
                    .map(|capture| (names[capture.index as usize], capture.node))
                    .collect(),
            );
            // The span of the match: what its findings were computed from.
            let span = found
                .captures()
                .iter()
                .map(|capture| capture.node.byte_range())
                .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
                .unwrap_or(0..0);
            crate::work::matched();
            let cx = HookCx::new(file, self.project, rule, self.facts, Some(span.clone()));
            let pattern_extras = &extras[found.pattern_index];
            // One match, or one per occurrence a binding predicate found.
            for captures in crate::predicates::hold_each(&cx, captures, pattern_extras) {
                match hook {
                    Some(hook) => hook(&cx, &captures, &mut emits),
                    None => emits.extend(cx.default_emit_with(
                        &captures,
                        pattern_extras.message.as_deref(),
                        pattern_extras.fix.as_deref(),
                    )),
                }
            }
            for emit in emits.drain(..) {
                findings.push((
                    Finding::new(rule, emit.range, emit.message, emit.fix),
                    span.clone(),
                ));
            }
        }
        drop(matches);
        // What the cursor really walked, wherever its ranges let it go
        // (feature `walk-count`: only the vendored tree-sitter counts it).
        #[cfg(feature = "walk-count")]
        crate::work::nodes(cursor.visited_node_count() as usize);
        if started.elapsed() > budget {
            self.out_of_time = true;
        }
        self.exceeded_match_limit |= cursor.did_exceed_match_limit();
    }
}

/// Which of a query's `count` patterns a walk of the whole of `text` need
/// not start: those whose `needs` the text lacks, and those of a rule
/// `enabled` turns off (the first `walked` patterns belong to the rules
/// `rule_of` names). `None` when every pattern is to start.
#[cfg_attr(not(disabled_patterns), allow(dead_code))]
fn disabled_patterns(
    count: usize,
    needs: Option<&crate::predicates::TextNeeds>,
    text: &str,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    (rule_of, walked): (&dyn Fn(usize) -> (&'static Rule, Option<HookFn>), usize),
) -> Option<Vec<bool>> {
    let mut disabled = needs.map_or_else(Vec::new, |needs| needs.disabled(text));
    disabled.resize(count, false);
    if let Some(enabled) = enabled {
        for (pattern, off) in disabled.iter_mut().enumerate().take(walked) {
            *off = *off || !enabled(rule_of(pattern).0);
        }
    }
    disabled.contains(&true).then_some(disabled)
}

/// The bytes of the top-level nodes `range` touches (and `range` itself):
/// where every node of a match rooted inside them lies. Found by two
/// descents to the range's ends, not by listing the top-level nodes.
fn top_level_around(root: tree_sitter::Node<'_>, range: &Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (range.start, range.end);
    let mut cursor = root.walk();
    if cursor.goto_first_child_for_byte(range.start).is_some() {
        start = start.min(cursor.node().start_byte());
    }
    let mut cursor = root.walk();
    let last = range.end.saturating_sub(1).max(range.start);
    if cursor.goto_first_child_for_byte(last).is_some()
        && cursor.node().start_byte() < range.end.max(range.start + 1)
    {
        end = end.max(cursor.node().end_byte());
    }
    start..end
}

/// The built-in rules of `kind` that have a hook and no query, with their
/// hook: found once per process (whether a rule has a query is read from
/// its source text), not once per file.
fn hook_only_rules(kind: FileKind) -> &'static [(&'static Rule, HookFn)] {
    static BY_KIND: std::sync::OnceLock<
        std::collections::HashMap<FileKind, Vec<(&'static Rule, HookFn)>>,
    > = std::sync::OnceLock::new();
    BY_KIND
        .get_or_init(|| {
            let mut by_kind: std::collections::HashMap<_, Vec<_>> =
                std::collections::HashMap::new();
            let registry = registry();
            for rule in &registry.rules {
                if let (crate::rule::Target::File(kind), Some(hook)) =
                    (rule.target, registry.hook(rule))
                    && !rule.has_query()
                {
                    by_kind.entry(kind).or_default().push((rule, hook));
                }
            }
            by_kind
        })
        .get(&kind)
        .map_or(&[], Vec::as_slice)
}

/// Hook-only rules of this kind look at the whole file once.
pub(crate) fn run_hook_only_rules<'a>(
    file: &'a SourceFile<'a>,
    project: &'a ProjectContext,
    enabled: Option<&dyn Fn(&Rule) -> bool>,
    facts: &'a FileFacts<'a>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for &(rule, hook) in hook_only_rules(file.kind) {
        if !enabled.is_none_or(|enabled| enabled(rule)) {
            continue;
        }
        let cx = HookCx::new(file, project, rule, facts, None);
        let mut emits = Vec::new();
        hook(&cx, &Captures::empty(), &mut emits);
        for emit in emits {
            findings.push(Finding::new(rule, emit.range, emit.message, emit.fix));
        }
    }
    findings
}

/// A fix must never turn a file that parses into one that does not: such a
/// fix is dropped (the finding stays, with "ignore on this line" only).
/// One [`FixValidator`](crate::parse::FixValidator) serves every fix.
fn drop_fixes_that_break_parsing(file: &SourceFile<'_>, findings: &mut [Finding]) {
    let Some(tree) = file.tree else { return };
    if !findings.iter().any(|finding| finding.fix.is_some()) {
        return;
    }
    let Some(mut validator) = crate::parse::FixValidator::new(file.kind, file.text, tree) else {
        return;
    };
    for finding in findings {
        let breaks = finding
            .fix
            .as_ref()
            .is_some_and(|fix| !validator.keeps_clean_parse(&fix.edits));
        if breaks {
            tracing::debug!(
                rule = finding.rule.id,
                "dropped a fix that would leave a syntax error"
            );
            finding.fix = None;
        }
    }
}

/// Parses `text` as `kind` and checks it: what the command line does for
/// each file.
pub fn check_text(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
) -> Vec<Finding> {
    check_text_with_settings(path, kind, text, project, &FileSettings::default())
}

/// [`check_text`] under a file's resolved configuration.
pub fn check_text_with_settings(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Vec<Finding> {
    check_text_with_settings_checked(path, kind, text, project, settings).findings
}

/// [`check_text_with_settings`], also saying whether the rules stopped early.
pub fn check_text_with_settings_checked(
    path: &Path,
    kind: FileKind,
    text: &str,
    project: &ProjectContext,
    settings: &FileSettings,
) -> Checked {
    let tree = crate::parse::parse(kind, text, None);
    let file = SourceFile {
        path,
        kind,
        text,
        tree: tree.as_ref(),
    };
    check_file_with_settings_checked(&file, project, settings)
}

/// Runs every project rule on the project model; findings are sorted by
/// path and position, suppression comments in their files are honoured.
pub fn check_project(project: &crate::project::Project) -> Vec<ProjectFinding> {
    check_project_with(project, &|_| true)
}

/// Like [`check_project`], but only the rules for which `enabled` says yes
/// (an editor re-runs only the rules that read the facts that changed).
pub fn check_project_with(
    project: &crate::project::Project,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Vec<ProjectFinding> {
    let registry = registry();
    let mut by_file: std::collections::BTreeMap<
        std::path::PathBuf,
        Vec<(Finding, Vec<RelatedLocation>)>,
    > = std::collections::BTreeMap::new();
    for rule in &registry.rules {
        let (crate::rule::Target::Project, Some(hook)) = (rule.target, registry.project_hook(rule))
        else {
            continue;
        };
        if !enabled(rule) {
            continue;
        }
        let mut emits = Vec::new();
        hook(project, rule, &mut emits);
        for emit in emits {
            by_file.entry(emit.path).or_default().push((
                Finding::new(rule, emit.range, emit.message, emit.fix),
                emit.related,
            ));
        }
    }
    let mut out = Vec::new();
    for (path, mut emitted) in by_file {
        emitted.sort_by(|(a, _), (b, _)| {
            (a.range.start, a.range.end, a.rule.id).cmp(&(b.range.start, b.range.end, b.rule.id))
        });
        emitted.dedup_by(|(a, _), (b, _)| a.rule.id == b.rule.id && a.range == b.range);
        // Suppressions work on findings; the related places are joined
        // back by rule and range (unique after the dedup).
        let mut related: std::collections::HashMap<(&'static str, Range<usize>), _> =
            std::collections::HashMap::new();
        let mut findings = Vec::with_capacity(emitted.len());
        for (finding, places) in emitted {
            related.insert((finding.rule.id, finding.range.clone()), places);
            findings.push(finding);
        }
        if let Some(file) = project.file(&path) {
            suppress::retain_unsuppressed_by(&file.suppressions, &file.text, &mut findings);
        }
        out.extend(findings.into_iter().map(|finding| {
            ProjectFinding {
                path: path.clone(),
                related: related
                    .remove(&(finding.rule.id, finding.range.clone()))
                    .unwrap_or_default(),
                finding,
            }
        }));
    }
    out
}

/// The project findings after a change, given the findings before it and
/// the fact kinds that changed (from `Project::update_file`): the rules that
/// read a changed kind run again, the others keep their findings. Every
/// rule reads the kinds of the files it reports in, so kept findings never
/// point into text that changed.
pub fn recheck_project(
    project: &crate::project::Project,
    changed: &std::collections::BTreeSet<crate::project::FactKind>,
    previous: Vec<ProjectFinding>,
) -> Vec<ProjectFinding> {
    let rerun = crate::hooks::project::rules_reading(changed);
    let mut findings: Vec<ProjectFinding> = previous
        .into_iter()
        .filter(|found| !rerun.contains(&found.finding.rule.id))
        .collect();
    findings.extend(check_project_with(project, &|rule| {
        rerun.contains(&rule.id)
    }));
    findings.sort_by(|a, b| {
        (&a.path, a.finding.range.start, a.finding.rule.id).cmp(&(
            &b.path,
            b.finding.range.start,
            b.finding.rule.id,
        ))
    });
    findings
}

/// Whether a walk of a whole file starts every pattern, whatever its text
/// needs and its rules: never, but in a test that compares both
/// ([`tests::both_ways`]).
#[cfg(all(disabled_patterns, not(test)))]
fn starts_every_pattern() -> bool {
    false
}

#[cfg(all(disabled_patterns, test))]
fn starts_every_pattern() -> bool {
    tests::ALL_PATTERNS.with(std::cell::Cell::get)
}

#[cfg(test)]
mod tests {
    use tree_sitter::Tree;

    use super::*;

    thread_local! {
        /// Whether this thread's checks start every pattern (see
        /// [`both_ways`]).
        pub(super) static ALL_PATTERNS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// `check` run as the engine runs it (skipping the patterns a file's
    /// text or rules rule out), then starting every pattern.
    fn both_ways<T>(check: impl Fn() -> T) -> (T, T) {
        let skipping = check();
        ALL_PATTERNS.with(|all| all.set(true));
        let every = check();
        ALL_PATTERNS.with(|all| all.set(false));
        (skipping, every)
    }

    fn python_file<'a>(text: &'a str, tree: &'a Tree) -> SourceFile<'a> {
        SourceFile {
            path: Path::new("app/main.py"),
            kind: FileKind::Python,
            text,
            tree: Some(tree),
        }
    }

    /// A walk of a whole file starts no pattern whose `#resolves-to?` names
    /// or `#eq?` strings the text never spells (`predicates::TextNeeds`): the findings are
    /// those of a walk that starts every pattern, over every rule's
    /// fixtures and modules that reach the names through aliases, `from`
    /// imports and attributes. Some patterns are skipped, and some patterns
    /// with needs still report, so the comparison is not empty.
    #[test]
    fn patterns_skipped_for_the_words_a_text_lacks_change_no_finding() {
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/python");
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut folders = vec![rules];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|extension| extension == "py") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    texts.push((path.display().to_string(), text));
                }
            }
        }
        assert!(texts.len() > 40, "{} fixtures", texts.len());
        for text in [
            "import httpx as h\n\nasync def f():\n    async with h.AsyncClient() as c:\n        return await c.get('/')\n",
            "from httpx import AsyncClient as AC\n\nasync def f():\n    return AC()\n",
            "import requests\n\ndef f(u):\n    return requests.get(u)\n",
            "from requests import get as fetch\n\ndef f(u):\n    return fetch(u)\n",
            "import subprocess as sp\n\ndef f(c):\n    sp.run(c, shell=True)\n",
            "import time\n\nasync def f():\n    time.sleep(1)\n",
        ] {
            texts.push(("app/main.py".to_string(), text.to_string()));
        }
        let needs = registry()
            .query_for(FileKind::Python)
            .and_then(|query| query.needs.as_ref())
            .expect("the Python rules have patterns with needs");
        let (mut skipped, mut reported) = (0, 0);
        for (name, text) in &texts {
            let tree = crate::parse::parse(FileKind::Python, text, None).unwrap();
            let file = SourceFile {
                path: Path::new("app/main.py"),
                kind: FileKind::Python,
                text,
                tree: Some(&tree),
            };
            let project = ProjectContext::default();
            let disabled = needs.disabled(text);
            skipped += disabled.iter().filter(|&&off| off).count();
            let (with_needs, without) = both_ways(|| check_file(&file, &project));
            assert_eq!(with_needs, without, "{name}");
            let query = registry().query_for(FileKind::Python).unwrap();
            reported += with_needs
                .iter()
                .filter(|finding| {
                    (0..query.pattern_rule.len()).any(|pattern| {
                        needs.has_needs(pattern)
                            && registry().rule_at(query.pattern_rule[pattern]).0.id
                                == finding.rule.id
                    })
                })
                .count();
        }
        assert!(
            skipped > 0 && reported > 0,
            "{skipped} skipped, {reported} reported"
        );
    }

    /// A walk of a whole file does not start the patterns of a rule that is
    /// off for it (`--select`, `--ignore`, the configuration): with one rule
    /// on, every other rule's pattern is left out, and the findings are
    /// those of a walk that starts every pattern, over every Python rule's
    /// fixtures with that rule alone on.
    #[cfg(disabled_patterns)]
    #[test]
    fn patterns_of_rules_that_are_off_are_not_started_and_change_no_finding() {
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/python");
        let query = registry().query_for(FileKind::Python).unwrap();
        let rule_of = |pattern: usize| registry().rule_at(query.pattern_rule[pattern]);
        let mut compared = 0;
        for folder in std::fs::read_dir(&rules).unwrap() {
            let folder = folder.unwrap().path();
            let id = folder.file_name().unwrap().to_string_lossy().into_owned();
            let only = |rule: &Rule| rule.id == id;
            let disabled = disabled_patterns(
                query.query.pattern_count(),
                None,
                "",
                Some(&only),
                (&rule_of, query.walked),
            )
            .expect("other rules' patterns are left out");
            assert_eq!(disabled.len(), query.query.pattern_count());
            for (pattern, &off) in disabled.iter().enumerate() {
                let own = pattern < query.walked && rule_of(pattern).0.id == id;
                let engine = pattern >= query.walked;
                assert_eq!(off, !own && !engine, "{id}: pattern {pattern}");
            }
            for fixture in std::fs::read_dir(&folder).unwrap() {
                let path = fixture.unwrap().path();
                if path.extension().is_none_or(|extension| extension != "py") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let tree = crate::parse::parse(FileKind::Python, &text, None).unwrap();
                let file = SourceFile {
                    path: Path::new("app/main.py"),
                    kind: FileKind::Python,
                    text: &text,
                    tree: Some(&tree),
                };
                let project = ProjectContext::default();
                let (one, all) = both_ways(|| {
                    check_file_checked(&file, &project, &only, RULES_TIME_BUDGET).findings
                });
                assert_eq!(one, all, "{}", path.display());
                compared += one.len();
            }
        }
        assert!(compared > 50, "{compared} findings compared");
    }

    /// A single line holding a huge list literal: the rules stop at their
    /// budget and say so instead of running for as long as the input asks.
    #[test]
    fn a_huge_single_line_stops_at_the_budget_and_says_so() {
        let text = format!(
            "DATA = [{}]\nprint(DATA)\n",
            (0..200_000)
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let tree = crate::parse::parse(FileKind::Python, &text, None).unwrap();
        let file = python_file(&text, &tree);
        let checked = check_file_checked(
            &file,
            &ProjectContext::default(),
            &|_| true,
            Duration::from_millis(1),
        );
        assert_eq!(
            checked.incomplete,
            Some(Incomplete::TimeBudget(Duration::from_millis(1)))
        );
        assert!(checked.incomplete.unwrap().to_string().contains("stopped"));
    }

    #[test]
    fn ordinary_files_are_checked_completely() {
        let text = "try:\n    pass\nexcept:\n    pass\n";
        let tree = crate::parse::parse(FileKind::Python, text, None).unwrap();
        let checked = check_file_checked(
            &python_file(text, &tree),
            &ProjectContext::default(),
            &|_| true,
            RULES_TIME_BUDGET,
        );
        assert_eq!(checked.incomplete, None);
        assert!(
            checked
                .findings
                .iter()
                .any(|f| f.rule.is(crate::rule::ids::BARE_EXCEPT))
        );
    }

    /// A module touching every kind the project facts read, nested in each
    /// other (a call in a call's function, in a subscript, in an f-string's
    /// interpolation), and a syntax error.
    const WALKED_MODULE: &str = r#"import os
from fastapi import FastAPI, UploadFile
from pydantic_settings import BaseSettings

app = FastAPI(title="orders")
UPLOAD_DIR = "uploads"
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./orders.db")


class Settings(BaseSettings):
    debug: bool = True
    secret_key: str = "change-me"


@app.get("/orders/{order_id}")
async def read_order(order_id: int):
    handlers = {"a": make()}
    value = handlers["a"]()(order_id)[0]
    return {"id": order_id, "label": f"{label(value)[1:]!r}"}


@app.post("/upload")
def upload(file: UploadFile):
    with open(os.path.join(UPLOAD_DIR, file.filename), "wb") as out:
        out.write(file.file.read(
    return {"ok": True}
"#;

    /// The nodes of the project facts' kinds met by the walk the project
    /// facts make without them: named nodes, through named nodes.
    fn walked_by_a_cursor<'t>(root: tree_sitter::Node<'t>) -> Vec<(&'t str, Range<usize>)> {
        let mut found = Vec::new();
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            if node.is_named() && crate::project::WALKED_KINDS.contains(&node.kind()) {
                found.push((node.kind(), node.byte_range()));
            }
            if node.is_named() && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return found;
                }
            }
        }
    }

    #[test]
    fn a_whole_check_hands_the_project_facts_every_node_of_their_kinds_in_order() {
        let text = WALKED_MODULE;
        let tree = crate::parse::parse(FileKind::Python, text, None).unwrap();
        assert!(tree.root_node().has_error());
        let file = python_file(text, &tree);
        let project = ProjectContext::default();
        let facts = FileFacts::walking();
        let checked =
            check_file_with_settings_and_facts(&file, &project, &FileSettings::default(), &facts);
        assert_eq!(checked.incomplete, None);
        let walked = facts.walked().expect("the walk ended");
        let walked: Vec<_> = walked
            .iter()
            .map(|node| (node.kind(), node.byte_range()))
            .collect();
        let expected = walked_by_a_cursor(tree.root_node());
        assert_eq!(expected.len(), 37);
        assert_eq!(walked, expected);
        // The facts read from them are those of a walk.
        let module = facts.python_if_derived().unwrap();
        let path = Path::new("app/main.py");
        let nodes = facts.walked().unwrap();
        assert_eq!(
            crate::project::python_facts::extract_with(path, text, &tree, module, Some(&nodes)),
            crate::project::python_facts::extract(path, text, &tree),
        );
        // Other checks (the language server's) keep none.
        let facts = FileFacts::default();
        check_file_with_settings_and_facts(&file, &project, &FileSettings::default(), &facts);
        assert!(facts.walked().is_none());
    }

    #[test]
    fn a_check_stopped_early_or_over_a_range_hands_no_walked_nodes() {
        let text = WALKED_MODULE;
        let tree = crate::parse::parse(FileKind::Python, text, None).unwrap();
        let file = python_file(text, &tree);
        let project = ProjectContext::default();
        let facts = FileFacts::walking();
        let checked = check_file_checked_with_facts(
            &file,
            &project,
            &|_| true,
            Duration::ZERO,
            &UserRules::default(),
            &facts,
        );
        assert!(checked.incomplete.is_some());
        assert!(facts.walked().is_none());
        let facts = FileFacts::walking();
        run_matches(
            &file,
            &project,
            None,
            RULES_TIME_BUDGET,
            &facts,
            Some(0..40),
            &UserRules::default(),
        );
        assert!(facts.walked().is_none());
    }
}
