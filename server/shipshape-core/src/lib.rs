//! shipshape's core: file kinds, parsing, the rule registry and engine,
//! fixes and suppressions. It knows nothing of LSP, JSON or async runtimes;
//! positions are byte offsets except in [`text`], the one place that
//! converts them to lines and columns.

pub mod check;
pub mod compose;
pub mod config;
pub mod dockerfile;
pub mod docs;
pub mod emit;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod fixall;
pub mod fixture;
pub mod hook;
pub mod hooks;
pub mod incremental;
pub mod kind;
pub mod parse;
pub mod pragmas;
pub mod predicates;
pub mod project;
pub mod python;
pub mod registry;
pub mod report;
pub mod rule;
pub mod settings;
pub mod stats;
pub mod suppress;
pub mod text;
pub mod user_rules;
pub mod work;
pub mod workspace;

pub use check::{
    Finding, ProjectFinding, RelatedLocation, SourceFile, check_file, check_file_with_settings,
    check_project, check_text, check_text_with_settings,
};
pub use config::{Config, ConfigLoader, FileSettings};
pub use kind::FileKind;
pub use registry::registry;
pub use rule::{Category, Priority, Rule, Severity};
