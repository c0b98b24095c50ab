//! The readiness report.
