//! A deterministic count of the work a check does, so that tests can
//! assert how it grows (with the file for a full check, with the edit for
//! an incremental one) without timing anything.
//!
//! The engine adds to a per-thread counter as it works; [`measure`] reads
//! what one call added. Checks run on one thread each, so the count of a
//! check is exactly its own. What is counted:
//!
//! - `nodes`: tree nodes visited inside statements — by the rules' query
//!   cursor (every node in its byte range, plus the siblings it steps over
//!   to reach the range), by hooks (the ancestor index of a statement,
//!   ancestor chains, walks of a scope) and by deriving a statement's
//!   module facts;
//! - `facts`: module fact entries derived for a statement or merged into
//!   the module's indexes;
//! - `top_level`: top-level nodes listed or compared and findings carried
//!   over from the previous check (offset arithmetic over a list, no tree
//!   walk and no rule);
//! - `matches`: query matches handed to a rule.

use std::cell::Cell;
use std::ops::Range;

use tree_sitter::Node;

/// Work counted during a check (see the module documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub nodes: u64,
    pub facts: u64,
    pub top_level: u64,
    pub matches: u64,
}

impl Work {
    fn minus(self, before: Work) -> Work {
        Work {
            nodes: self.nodes - before.nodes,
            facts: self.facts - before.facts,
            top_level: self.top_level - before.top_level,
            matches: self.matches - before.matches,
        }
    }
}

thread_local! {
    static COUNTER: Cell<Work> = const { Cell::new(Work { nodes: 0, facts: 0, top_level: 0, matches: 0 }) };
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

/// The work `run` adds on this thread, with its result.
pub fn measure<R>(run: impl FnOnce() -> R) -> (R, Work) {
    let before = COUNTER.with(Cell::get);
    let result = run();
    let after = COUNTER.with(Cell::get);
    (result, after.minus(before))
}

/// The nodes a query cursor over `root` visits when limited to `range`
/// (all of them without one): every node inside the range, and the path
/// down to it. tree-sitter stores a long run of siblings as a balanced tree
/// of hidden repetition nodes and the cursor does not enter those outside
/// its range, so reaching a child among `n` costs about `log2(n)` steps,
/// which is what is counted for each level.
pub fn query_nodes(root: Node<'_>, range: Option<&Range<usize>>) -> usize {
    match range {
        None => root.descendant_count(),
        Some(range) => ranged_nodes(root, range),
    }
}

fn ranged_nodes(node: Node<'_>, range: &Range<usize>) -> usize {
    let children = node.child_count();
    if children == 0 {
        return 1;
    }
    let mut count = 1 + (usize::BITS - children.leading_zeros()) as usize;
    let mut cursor = node.walk();
    if cursor.goto_first_child_for_byte(range.start).is_none() {
        return count;
    }
    loop {
        let child = cursor.node();
        if child.start_byte() > range.end {
            break;
        }
        if range.start <= child.start_byte() && child.end_byte() <= range.end {
            count += child.descendant_count();
        } else {
            count += ranged_nodes(child, range);
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
    count
}
