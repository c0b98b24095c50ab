//! The engine's own query predicates: what a rule's `.scm` file may say
//! beyond tree-sitter's text predicates (`#eq?`, `#match?`, `#any-of?`),
//! so that a rule is data instead of a Rust hook.
//!
//! A predicate is named after a fact, never after a rule, and takes
//! captures and strings: `(#has-kwarg? @call "timeout")`,
//! `(#resolves-to? @function "requests.*")`, `(#in-async? @call)`. Every
//! filter predicate (`name?`) has a negated form `not-name?`. A binding
//! predicate (`name!`) holds when it finds what it looks for and binds the
//! range it found to a new capture name (its last argument, a string), which
//! the rule's message (`${name}`), `@finding`-style ranges and fix templates
//! may use like a capture of the query.
//!
//! Predicates see what hooks see ([`HookCx`]): the captures, their
//! ancestors up to the top-level statement, and file facts. Anything from
//! outside the match must come from those facts, so that the incremental
//! check stays equal to a fresh one.
//!
//! Predicates are resolved when a kind's query is compiled: an unknown
//! name or wrong arguments make the rule an error (reported with its
//! location), never a silent no-op.

use regex::Regex;
use tree_sitter::{Query, QueryPredicateArg};

use crate::{
    check::{Captures, HookCx},
    kind::FileKind,
};

mod common;
mod compose;
pub(crate) mod dataflow;
mod def;
mod dockerfile;
mod needs;
pub(crate) mod python;

pub use def::{Arg, Param, PredicateDef, PredicateFn};
pub use needs::TextNeeds;

/// Every predicate, by kind module.
pub fn all() -> impl Iterator<Item = &'static PredicateDef> {
    [
        common::PREDICATES,
        compose::PREDICATES,
        dockerfile::PREDICATES,
        python::PREDICATES,
    ]
    .into_iter()
    .flatten()
}

/// A predicate of one pattern, resolved.
#[derive(Debug)]
pub struct Compiled {
    def: &'static PredicateDef,
    negated: bool,
    args: Vec<Arg>,
}

/// What a pattern adds to tree-sitter's own predicates: the engine's
/// predicates, the message it sets (`(#set! message "...")`) and the
/// variant of the rule's fix it offers (`(#set! fix "NAME")`).
#[derive(Debug, Default)]
pub struct PatternExtras {
    pub predicates: Vec<Compiled>,
    pub message: Option<Box<str>>,
    pub fix: Option<Box<str>>,
}

impl PatternExtras {
    /// Whether a binding predicate of the pattern binds `name`.
    pub fn binds(&self, name: &str) -> bool {
        self.predicates.iter().any(|predicate| {
            predicate.def.binds
                && matches!(predicate.args.last(), Some(Arg::Text(bound)) if &**bound == name)
        })
    }

    /// Whether a predicate of the pattern reads the whole text of an
    /// ancestor of one of these node kinds (`#ancestor-matches?`): then a
    /// match reads more than its own unit (the incremental check keeps such
    /// ancestors whole).
    pub(crate) fn reads_ancestor_text(&self, kinds: &[&str]) -> bool {
        self.predicates.iter().any(|predicate| {
            predicate.def.name == "ancestor-matches"
                && matches!(predicate.args.get(1), Some(Arg::Text(kind)) if kinds.contains(&&**kind))
        })
    }
}

/// Whether every pattern of `query` has a single root: then a match rooted
/// in a statement lies inside that statement, and a check over a range
/// walks only the statements it touches (`check::QueryRun::run`). Asked
/// once per compiled query (`registry::KindQuery::rooted`,
/// `user_rules::UserRule::rooted`): tree-sitter answers it by walking each
/// pattern's steps.
pub(crate) fn all_rooted(query: &Query) -> bool {
    (0..query.pattern_count()).all(|pattern| query.is_pattern_rooted(pattern))
}

/// Resolves the engine predicates and settings of pattern `pattern` of a
/// compiled query of `kind`. The error says which predicate is wrong and why.
pub fn compile_pattern(
    query: &Query,
    pattern: usize,
    kind: FileKind,
) -> Result<PatternExtras, String> {
    let names = query.capture_names();
    let mut extras = PatternExtras::default();
    for setting in query.property_settings(pattern) {
        match (&*setting.key, &setting.value) {
            ("message", Some(value)) => extras.message = Some(value.clone()),
            ("fix", Some(value)) => extras.fix = Some(value.clone()),
            (key, _) => return Err(format!("unknown setting `#set! {key}`")),
        }
    }
    for predicate in query.general_predicates(pattern) {
        let operator = &*predicate.operator;
        let (stem, binds) = if let Some(stem) = operator.strip_suffix('?') {
            (stem, false)
        } else if let Some(stem) = operator.strip_suffix('!') {
            (stem, true)
        } else {
            return Err(format!(
                "`#{operator}`: a predicate ends in `?` (a test) or `!` (a binding)"
            ));
        };
        let (name, negated) = match stem.strip_prefix("not-") {
            Some(name) if !binds && find(name, false).is_some() => (name, true),
            _ => (stem, false),
        };
        let Some(def) = find(name, binds) else {
            return Err(format!(
                "unknown predicate `#{operator}`; known: {}",
                known_names()
            ));
        };
        if !def.kinds.is_empty() && !def.kinds.contains(&kind) {
            return Err(format!(
                "`#{operator}` applies to {} rules, not {}",
                def.kinds
                    .iter()
                    .map(|kind| kind.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                kind.name()
            ));
        }
        let args = resolve_args(def, operator, &predicate.args, names)?;
        extras.predicates.push(Compiled { def, negated, args });
    }
    Ok(extras)
}

fn find(name: &str, binds: bool) -> Option<&'static PredicateDef> {
    all().find(|def| def.name == name && def.binds == binds)
}

fn known_names() -> String {
    let mut names: Vec<String> = all()
        .map(|def| format!("#{}{}", def.name, if def.binds { "!" } else { "?" }))
        .collect();
    names.sort();
    names.join(", ")
}

fn resolve_args(
    def: &PredicateDef,
    operator: &str,
    given: &[QueryPredicateArg],
    names: &[&str],
) -> Result<Vec<Arg>, String> {
    let signature = || {
        def.params
            .iter()
            .map(|param| match param {
                Param::Capture => "@capture",
                Param::Text => "\"text\"",
                Param::Regex => "\"regex\"",
                Param::Texts => "\"text\"...",
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let wrong = |what: String| {
        format!(
            "`#{operator}` {what}; expected `#{operator} {}`",
            signature()
        )
    };
    let mut args = Vec::new();
    let mut given = given.iter();
    for (index, param) in def.params.iter().enumerate() {
        let rest = *param == Param::Texts;
        let mut taken = 0;
        loop {
            let Some(arg) = given.next() else {
                if taken == 0 {
                    return Err(wrong(format!("needs argument {}", index + 1)));
                }
                break;
            };
            taken += 1;
            args.push(match (param, arg) {
                (Param::Capture, QueryPredicateArg::Capture(capture)) => {
                    Arg::Capture(names[*capture as usize].into())
                }
                (Param::Text | Param::Texts, QueryPredicateArg::String(text)) => {
                    Arg::Text(text.clone())
                }
                (Param::Regex, QueryPredicateArg::String(text)) => match Regex::new(text) {
                    Ok(regex) => Arg::Regex(regex),
                    Err(error) => {
                        return Err(format!("`#{operator}`: bad regular expression: {error}"));
                    }
                },
                (Param::Capture, _) => {
                    return Err(wrong(format!("argument {} must be a capture", index + 1)));
                }
                (_, _) => {
                    return Err(wrong(format!("argument {} must be a string", index + 1)));
                }
            });
            if !rest {
                break;
            }
        }
    }
    if given.next().is_some() {
        return Err(wrong("has too many arguments".into()));
    }
    Ok(args)
}

/// The matches a pattern's engine predicates let through: none when one
/// fails, else the match with the ranges binding predicates bound, or one
/// match per occurrence when a per-occurrence binding predicate found
/// several (the predicates after it are tested on each occurrence).
pub fn hold_each<'a>(
    cx: &HookCx<'a>,
    captures: Captures<'a>,
    extras: &PatternExtras,
) -> Vec<Captures<'a>> {
    let mut alive = vec![captures];
    for predicate in &extras.predicates {
        let mut next = Vec::with_capacity(alive.len());
        for mut captures in alive {
            if (predicate.def.eval)(cx, &mut captures, &predicate.args) == predicate.negated {
                continue;
            }
            let occurrences = std::mem::take(&mut captures.occurrences);
            if occurrences.is_empty() {
                next.push(captures);
                continue;
            }
            for bindings in occurrences {
                let mut occurrence = captures.clone();
                for (name, range, value) in bindings {
                    match value {
                        Some(value) => occurrence.bind_value(&name, range, value),
                        None => occurrence.bind(&name, range),
                    }
                }
                next.push(occurrence);
            }
        }
        alive = next;
        if alive.is_empty() {
            break;
        }
    }
    alive
}

/// One line per predicate, for the documentation of the query language.
pub fn reference() -> String {
    let mut lines: Vec<String> = all()
        .map(|def| {
            let params: Vec<&str> = def
                .params
                .iter()
                .map(|param| match param {
                    Param::Capture => "@capture",
                    Param::Text => "\"text\"",
                    Param::Regex => "\"regex\"",
                    Param::Texts => "\"text\"...",
                })
                .collect();
            let kinds = if def.kinds.is_empty() {
                "any kind".to_string()
            } else {
                def.kinds
                    .iter()
                    .map(|kind| kind.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let call = format!(
                "#{}{} {}",
                def.name,
                if def.binds { "!" } else { "?" },
                params.join(" ")
            );
            format!("- `({})` ({kinds}): {}", call.trim_end(), def.doc)
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{check::SourceFile, kind::FileKind, parse::parse, project::ProjectContext};

    /// The lines (0-based) where a Python user rule made of `query` reports
    /// in `text`, checked as `app/main.py`.
    pub(crate) fn query_lines(name: &str, query: &str, text: &str) -> Vec<usize> {
        let rule_text = format!(
            ";; kind = \"python\"\n;; priority = \"low\"\n;; category = \"reliability\"\n;; summary = \"s\"\n;; message = \"m\"\n{query}\n"
        );
        let path = format!("/predicate-tests/{name}.scm");
        let rule = crate::user_rules::compile(Path::new(&path), &rule_text).unwrap();
        let tree = parse(FileKind::Python, text, None);
        let file = SourceFile {
            path: Path::new("app/main.py"),
            kind: FileKind::Python,
            text,
            tree: tree.as_ref(),
        };
        let settings = crate::config::FileSettings {
            user_rules: crate::user_rules::UserRules::of(vec![rule]),
            ..Default::default()
        };
        let findings =
            crate::check::check_file_with_settings(&file, &ProjectContext::default(), &settings);
        findings
            .iter()
            .filter(|finding| finding.rule.id == name)
            .map(|finding| text[..finding.range.start].matches('\n').count())
            .collect()
    }

    #[test]
    fn in_route_handler_looks_at_the_innermost_function() {
        let query = "((call function: (identifier) @f) @finding (#eq? @f \"work\") (#in-route-handler? @finding))";
        let text = "@app.get(\"/\")\nasync def index():\n    work()\n    def inner():\n        work()\n    f = lambda: work()\n\n@functools.cache\ndef helper():\n    work()\n\n@bp.route(\"/x\")\ndef x():\n    if a:\n        work()\nwork()\n";
        assert_eq!(query_lines("route-handler", query, text), [2, 14]);
    }

    #[test]
    fn in_function_decorated_resolves_decorators_through_imports() {
        let query = "((call function: (identifier) @f) @finding (#eq? @f \"work\") (#in-function-decorated? @finding \"tenacity.retry\" \"backoff.*\"))";
        let text = "from tenacity import retry as again\nimport backoff\n\n@again(stop=stop_after_attempt(3))\ndef a():\n    work()\n\n@backoff.on_exception(backoff.expo, Exception)\nasync def b():\n    def inner():\n        work()\n\n@retry\ndef c():\n    work()\n\nclass K:\n    @again\n    def m(self):\n        work()\n    def n(self):\n        work()\nwork()\n";
        // `retry` in `c` is not imported from tenacity; `n` has no decorator.
        assert_eq!(query_lines("function-decorated", query, text), [5, 10, 19]);
    }

    #[test]
    fn ancestor_matches_tests_the_nearest_ancestor_of_the_kind() {
        let query = "((call function: (identifier) @f) @finding (#eq? @f \"work\") (#not-ancestor-matches? @finding \"function_definition\" \"validate\"))";
        let text = "def a():\n    validate()\n    work()\n\ndef b():\n    work()\n\ndef c():\n    validate()\n    def inner():\n        work()\nwork()\n";
        // Only the nearest function counts; outside any function the
        // negated form holds.
        assert_eq!(query_lines("ancestor-matches", query, text), [5, 10, 11]);
    }

    const FLOWS_TRUE: &str = "((call function: (identifier) @f arguments: (argument_list (_) @finding)) (#eq? @f \"run\") (#flows-from? @finding \"^True$\"))";

    #[test]
    fn flows_from_follows_names_through_their_scope() {
        let text = "\
FLAG = True
run(FLAG)
def a(flag):
    run(flag)
    x = True
    y = x
    run(y)
    x = False
    run(x)
    if ok:
        z = True
    else:
        z = False
    run(z)
    run(FLAG)
    def inner():
        run(y)
    s = \"a\"
    s += str(True)
    run(s)
    t = [False, True]
    run(t)
with open(p) as f:
    w = True
    run(w)
FLAG = False
run(FLAG)
";
        // A parameter, a plain reassignment before the use, `str(...)` (a
        // call) and the module's last assignment (for a function) hide or do
        // not flow; a
        // branch, a closure, list items and the module do.
        assert_eq!(
            query_lines("flows-true", FLOWS_TRUE, text),
            [1, 6, 13, 16, 21, 24]
        );
    }

    #[test]
    fn has_kwarg_looks_into_dicts_local_dataflow_sees_whole() {
        let query = "((call function: (identifier) @f arguments: (argument_list) @arguments) @finding (#eq? @f \"get\") (#not-has-kwarg? @arguments \"timeout\"))";
        let text = "\
DEFAULTS = {\"headers\": {}}
def a(url, flag, extra, **kwargs):
    known = {\"headers\": {}}
    get(url, **known)
    built = dict(verify=True)
    get(url, **built)
    get(url, **{\"verify\": False})
    get(url, **kwargs)
    get(url, **DEFAULTS)
    get(url, **self.options)
    timed = {\"timeout\": 5}
    get(url, **timed)
    timed_built = dict(timeout=5)
    get(url, **timed_built)
    defaulted = {}
    defaulted.setdefault(\"timeout\", 5)
    get(url, **defaulted)
    item = {}
    item[\"timeout\"] = 5
    get(url, **item)
    passed = {}
    prepare(passed)
    get(url, **passed)
    branch = {}
    if flag:
        branch = {\"timeout\": 5}
    get(url, **branch)
    merged = {**extra}
    get(url, **merged)
    keyed = {key: 5}
    get(url, **keyed)
    copied = dict(extra)
    get(url, **copied)
get(url, **{})
";
        // Only dicts the function builds whole without `timeout` (a module
        // level dict, a parameter, an attribute, one changed in place or
        // passed on, `**` inside, a computed key: may hold it).
        assert_eq!(query_lines("kwargs", query, text), [3, 5, 6]);
    }

    #[test]
    fn has_kwarg_through_kwargs_costs_per_function_not_per_use() {
        let query = "((call function: (identifier) @f arguments: (argument_list) @arguments) @finding (#eq? @f \"get\") (#not-has-kwarg? @arguments \"timeout\"))";
        let work = |functions: usize, uses: usize| {
            let mut text = String::new();
            for function in 0..functions {
                text.push_str(&format!(
                    "def f{function}(url):\n    base = {{\"headers\": {{}}}}\n    options = base\n    log(url)\n"
                ));
                for _ in 0..uses {
                    text.push_str("    get(url, **options)\n");
                }
            }
            let (lines, work) = crate::work::measure(|| query_lines("kwargs", query, &text));
            assert_eq!(lines.len(), functions * uses);
            work
        };
        // One index of each function's bindings serves every `**options`.
        let (small, large) = (work(10, 10), work(40, 10));
        assert!(grows(small, large), "{small:?} {large:?}");
        let (small, large) = (work(1, 100), work(1, 400));
        assert!(grows(small, large), "{small:?} {large:?}");
    }

    /// Whether four times the input cost at most 4.5 times the work (a
    /// walk of the function or the module per use would be quadratic).
    fn grows(small: crate::work::Work, large: crate::work::Work) -> bool {
        large.nodes <= small.nodes * 9 / 2 && large.facts <= small.facts * 9 / 2
    }

    /// A module of `functions` functions, each with `uses` uses of a name
    /// assigned through a chain of three names.
    fn flowing_module(functions: usize, uses: usize) -> String {
        let mut text = String::new();
        for function in 0..functions {
            text.push_str(&format!(
                "def f{function}(a):\n    x = True\n    y = x + a\n    z = y\n"
            ));
            for _ in 0..uses {
                text.push_str("    run(z)\n");
            }
        }
        text
    }

    #[test]
    fn flows_from_costs_per_function_not_per_module_nor_per_use() {
        let work = |functions: usize, uses: usize| {
            let text = flowing_module(functions, uses);
            let (lines, work) =
                crate::work::measure(|| query_lines("flows-true", FLOWS_TRUE, &text));
            // Every use reported: the check ran to its end.
            assert_eq!(lines.len(), functions * uses);
            work
        };
        // Four times the functions, or four times the uses in one function:
        // at most 4.5 times the work (a walk of the function or the module
        // per use would be quadratic).
        let (small, large) = (work(10, 10), work(40, 10));
        assert!(grows(small, large), "{small:?} {large:?}");
        let (small, large) = (work(1, 100), work(1, 400));
        assert!(grows(small, large), "{small:?} {large:?}");
    }
}
