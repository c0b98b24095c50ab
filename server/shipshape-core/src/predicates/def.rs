//! The definition of a query predicate and the helpers its
//! implementation uses (kept apart from the registry in `mod.rs`, so that
//! a kind's predicate module imports them without an import circle).

use std::ops::Range;

use regex::Regex;
use tree_sitter::Node;

use crate::{
    check::{Captures, HookCx},
    kind::FileKind,
};

/// What an argument of a predicate must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// A capture of the pattern (`@call`).
    Capture,
    /// A string (`"timeout"`).
    Text,
    /// A string compiled as a regular expression when the rule loads.
    Regex,
    /// One or more strings, as the last parameter.
    Texts,
}

/// An argument, resolved when the query compiles.
#[derive(Clone, Debug)]
pub enum Arg {
    Capture(Box<str>),
    Text(Box<str>),
    Regex(Regex),
}

/// Evaluates a predicate for one match. `args` follow the definition's
/// [`Param`]s (a [`Param::Texts`] tail expands to several `Text`s).
pub type PredicateFn = for<'a> fn(&HookCx<'a>, &mut Captures<'a>, &[Arg]) -> bool;

/// A predicate of the query language.
pub struct PredicateDef {
    /// The name without `#` and without the `?`/`!` suffix.
    pub name: &'static str,
    /// Binding predicates end in `!` and bind their last argument.
    pub binds: bool,
    /// The file kinds whose rules may use it; empty for every kind.
    pub kinds: &'static [FileKind],
    pub params: &'static [Param],
    /// One line for the documentation of the query language.
    pub doc: &'static str,
    pub eval: PredicateFn,
}

impl std::fmt::Debug for PredicateDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

// Helpers for predicate implementations.

/// The node of capture argument `index`, if the match captured it.
pub(crate) fn node<'a>(captures: &Captures<'a>, args: &[Arg], index: usize) -> Option<Node<'a>> {
    match args.get(index)? {
        Arg::Capture(name) => captures.get(name),
        _ => None,
    }
}

/// The string argument `index`.
pub(crate) fn text(args: &[Arg], index: usize) -> &str {
    match args.get(index) {
        Some(Arg::Text(text)) => text,
        _ => "",
    }
}

/// The string arguments from `index` on.
pub(crate) fn texts(args: &[Arg], from: usize) -> impl Iterator<Item = &str> {
    args.iter().skip(from).filter_map(|arg| match arg {
        Arg::Text(text) => Some(&**text),
        _ => None,
    })
}

/// The regular expression argument `index`.
pub(crate) fn regex(args: &[Arg], index: usize) -> Option<&Regex> {
    match args.get(index)? {
        Arg::Regex(regex) => Some(regex),
        _ => None,
    }
}

/// Binds `range` to the capture name given as the last argument.
pub(crate) fn bind(captures: &mut Captures<'_>, args: &[Arg], range: Range<usize>) {
    if let Some(Arg::Text(name)) = args.last() {
        captures.bind(name, range);
    }
}
