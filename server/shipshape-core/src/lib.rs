//! shipshape's core: file kinds, parsing, the rule registry and engine,
//! fixes and suppressions. It knows nothing of LSP, JSON or async runtimes;
//! positions are byte offsets except in [`text`], the one place that
//! converts them to lines and columns.

pub mod check;
pub mod compose;
pub mod dockerfile;
pub mod docs;
pub mod fix;
pub mod hooks;
pub mod kind;
pub mod parse;
pub mod project;
pub mod python;
pub mod rule;
pub mod suppress;
pub mod text;

pub use check::{Finding, SourceFile, check_file, check_text};
pub use kind::FileKind;
pub use rule::{Category, Priority, Rule, Severity, registry};
