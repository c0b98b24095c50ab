//! The resolved settings of one file, as the engine reads them: whether it
//! is checked, which rules run and at what severity, and what fails a
//! check. The analysis host's configuration (`config`) resolves them; the
//! engine never reads configuration itself.

use std::collections::HashMap;

use crate::{
    finding::Finding,
    rule::{Rule, Severity},
};

/// The lowest severity that makes `check` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

impl FailOn {
    pub fn from_name(name: &str) -> Option<FailOn> {
        match name {
            "never" => Some(FailOn::Never),
            other => Severity::from_name(other).map(FailOn::At),
        }
    }

    /// Whether a finding of `severity` fails the check.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::At(threshold) => severity >= threshold,
            FailOn::Never => false,
        }
    }
}

/// The resolved settings of one file: whether it is checked at all, which
/// rules run and at what severity. The default runs every rule at its
/// default severity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSettings {
    pub excluded: bool,
    /// The configuration's `fail-on`, if one says it.
    pub fail_on: Option<FailOn>,
    /// Rules whose severity differs from their default; `None` is off.
    pub(crate) levels: HashMap<&'static str, Option<Severity>>,
}

impl FileSettings {
    /// The severity of `rule` in this file; `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.levels.get(rule.id) {
            Some(level) => *level,
            None => Some(rule.severity()),
        }
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.severity(rule).is_some()
    }

    /// Sets each finding's severity to its rule's configured one.
    pub fn apply_severities(&self, findings: &mut [Finding]) {
        for finding in findings {
            if let Some(severity) = self.severity(finding.rule) {
                finding.severity = severity;
            }
        }
    }
}
