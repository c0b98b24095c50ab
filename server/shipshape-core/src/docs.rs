//! The documentation page of a rule, rendered from its metadata. The
//! pages under `docs/rules/` are this output (a test keeps them current),
//! and `shipshape explain` prints it.

use crate::rule::{Rule, Target};

/// The Markdown page of a rule.
pub fn rule_markdown(rule: &Rule) -> String {
    let meta = &rule.meta;
    let applies_to = match rule.target {
        Target::File(kind) => format!("`{}` files", kind.name()),
        Target::Project => "the whole project".to_string(),
        Target::Meta => "shipshape's suppression comments and configuration".to_string(),
    };
    let mut page = format!(
        "# {id}\n\n{summary}\n\n| priority | category | severity | applies to | quick fix |\n|---|---|---|---|---|\n| {priority} | {category} | {severity} | {applies_to} | {fix} |\n",
        id = rule.id,
        summary = meta.summary,
        priority = meta.priority.name(),
        category = meta.category.name(),
        severity = rule.severity().name(),
        fix = match &meta.fix {
            Some(fix) if fix.safe => format!("{} (safe)", fix.title),
            Some(fix) => format!("{} (unsafe: offered, never applied in bulk)", fix.title),
            None => "— (\"ignore on this line\" only)".to_string(),
        },
    );
    if !meta.equivalents.is_empty() {
        page.push_str(&format!(
            "\nEquivalent rules in other tools: {}.\n",
            meta.equivalents.join(", ")
        ));
    }
    page.push('\n');
    page.push_str(meta.docs.trim());
    page.push_str(&format!(
        "\n\n## Suppressing it\n\n```\n# shipshape: ignore[{id}] -- why this is fine here\n```\n\non the line of the finding or the line above it.\n",
        id = rule.id
    ));
    page
}
