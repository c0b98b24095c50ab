//! Hooks of the Python rules.

use super::HookFn;

pub static HOOKS: &[(&str, HookFn)] = &[];
