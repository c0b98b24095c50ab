//! Hooks of the compose rules.

use super::HookFn;

pub static HOOKS: &[(&str, HookFn)] = &[];
