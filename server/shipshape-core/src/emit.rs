//! What a rule reports, before the engine makes it a finding: a range, a
//! message and a fix ([`Emit`] for a file rule, [`ProjectEmit`] for a
//! project rule, which may name other files). Plain data over byte offsets,
//! below the rules and the project model that fill it.

use std::ops::Range;

use crate::fix::Fix;

/// What a hook reports: the range, and optionally its own message and fix
/// (else the rule's message and fix template).
#[derive(Clone, Debug)]
pub struct Emit {
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
}

/// A place a project finding concerns besides its own range: a file
/// (relative to the project root), a byte range in it and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelatedLocation {
    pub path: std::path::PathBuf,
    pub range: Range<usize>,
    pub message: String,
}

/// What a project hook reports.
#[derive(Clone, Debug)]
pub struct ProjectEmit {
    pub path: std::path::PathBuf,
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
    pub related: Vec<RelatedLocation>,
}

impl ProjectEmit {
    /// The report with one more place in another file it concerns.
    pub fn related(
        mut self,
        path: impl Into<std::path::PathBuf>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> ProjectEmit {
        self.related.push(RelatedLocation {
            path: path.into(),
            range,
            message: message.into(),
        });
        self
    }
}
