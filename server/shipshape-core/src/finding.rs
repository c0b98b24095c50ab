//! A finding: a rule's report located in a file, with its effective
//! severity; and a project rule's finding, in the file a person would act on.

use std::ops::Range;

use crate::emit::RelatedLocation;
use crate::{
    fix::Fix,
    rule::{Rule, Severity},
};

/// A problem found by a rule, located by byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
    /// The effective severity: the rule's default unless configuration
    /// overrides it (see [`crate::config`]).
    pub severity: Severity,
}

impl Finding {
    /// A finding with its rule's default severity.
    pub fn new(
        rule: &'static Rule,
        range: Range<usize>,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) -> Finding {
        Finding {
            rule,
            range,
            message: message.into(),
            fix,
            severity: rule.severity(),
        }
    }
}

/// A finding of a project rule, in the file (relative to the project root)
/// where a person would act on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFinding {
    pub path: std::path::PathBuf,
    pub finding: Finding,
    /// The places in other files the finding is about (the route a
    /// `HEALTHCHECK` should probe, the `COPY` a `.dockerignore` serves).
    pub related: Vec<RelatedLocation>,
}
