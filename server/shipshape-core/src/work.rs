//! A deterministic count of the work a check does, so that tests can
//! assert how it grows (with the file for a full check, with the edit for
//! an incremental one) without timing anything.
//!
//! The engine adds to a per-thread counter as it works; [`measure`] reads
//! what one call added. Checks run on one thread each, so the count of a
//! check is exactly its own. What is counted:
//!
//! - `nodes`: tree nodes visited — by the rules' query cursors (every node
//!   a cursor entered, visible or hidden, as the vendored tree-sitter counts
//!   them: `QueryCursor::visited_node_count`, so a cursor that walks on past
//!   its range is seen), by hooks and predicates (the ancestor index of a
//!   statement, ancestor chains, walks of a scope, a literal's elements)
//!   and by deriving a statement's module facts;
//! - `facts`: module fact entries derived for a statement or merged into
//!   the module's indexes;
//! - `top_level`: top-level nodes listed or compared and findings carried
//!   over from the previous check (offset arithmetic over a list, no tree
//!   walk and no rule);
//! - `matches`: query matches handed to a rule;
//! - `names`: dotted names qualified through the imports for the rules
//!   (`HookCx::qualified_name`; an answer given again is not counted).

use std::cell::Cell;

/// Work counted during a check (see the module documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub nodes: u64,
    pub facts: u64,
    pub top_level: u64,
    pub matches: u64,
    pub names: u64,
}

impl Work {
    fn minus(self, before: Work) -> Work {
        Work {
            nodes: self.nodes - before.nodes,
            facts: self.facts - before.facts,
            top_level: self.top_level - before.top_level,
            matches: self.matches - before.matches,
            names: self.names - before.names,
        }
    }
}

thread_local! {
    static COUNTER: Cell<Work> = const { Cell::new(Work { nodes: 0, facts: 0, top_level: 0, matches: 0, names: 0 }) };
}

fn add(change: impl FnOnce(&mut Work)) {
    COUNTER.with(|counter| {
        let mut work = counter.get();
        change(&mut work);
        counter.set(work);
    });
}

/// Counts `count` tree nodes visited.
pub fn nodes(count: usize) {
    add(|work| work.nodes = work.nodes.wrapping_add(count as u64));
}

/// Counts `count` module fact entries derived or merged.
pub fn facts(count: usize) {
    add(|work| work.facts = work.facts.wrapping_add(count as u64));
}

/// Counts `count` top-level nodes or kept findings handled.
pub fn top_level(count: usize) {
    add(|work| work.top_level = work.top_level.wrapping_add(count as u64));
}

/// Counts one query match handed to a rule.
pub(crate) fn matched() {
    add(|work| work.matches = work.matches.wrapping_add(1));
}

/// Counts one dotted name qualified for a rule.
pub(crate) fn qualified() {
    add(|work| work.names = work.names.wrapping_add(1));
}

/// The work `run` adds on this thread, with its result.
pub fn measure<R>(run: impl FnOnce() -> R) -> (R, Work) {
    let before = COUNTER.with(Cell::get);
    let result = run();
    let after = COUNTER.with(Cell::get);
    (result, after.minus(before))
}
