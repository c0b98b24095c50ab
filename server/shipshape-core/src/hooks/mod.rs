//! The hook table: Rust logic for rules whose query cannot say everything.
//! A hook is found by its rule's id; each language keeps its part of the
//! table in its own module, and [`find`] looks through all of them.

pub use crate::check::{HookFn, ProjectHookFn};
use crate::{kind::FileKind, rule::RuleId};

mod dockerfile;
pub mod project;
mod python;

/// Every `(rule id, hook)` pair, by the file kind of its rules.
pub fn tables() -> [(FileKind, &'static [(RuleId, HookFn)]); 2] {
    [
        (FileKind::Python, python::HOOKS),
        (FileKind::Dockerfile, dockerfile::HOOKS),
    ]
}

/// The hook of a rule, if it has one.
pub fn find(id: &str) -> Option<HookFn> {
    tables()
        .into_iter()
        .flat_map(|(_, table)| table)
        .find(|(rule, _)| id == *rule)
        .map(|(_, hook)| *hook)
}

/// The hook of a project rule, if it has one.
pub fn find_project(id: &str) -> Option<ProjectHookFn> {
    project::HOOKS
        .iter()
        .find(|hook| id == hook.id)
        .map(|hook| hook.run)
}
