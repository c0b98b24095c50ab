//! Hooks of the Dockerfile rules.

use super::HookFn;

pub static HOOKS: &[(&str, HookFn)] = &[];
