//! The documentation page of a rule, rendered from its metadata. The
//! pages under `docs/rules/` are this output (a test keeps them current),
//! and `shipshape explain` prints it.

use crate::{
    kind::FileKind,
    rule::{Rule, Target},
};

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

/// The heading of the catalog section of a rule target. A new file kind
/// must get one here (the match has no default).
fn section_heading(target: Target) -> &'static str {
    match target {
        Target::File(FileKind::Python) => "Python modules (`*.py`)",
        Target::File(FileKind::Dockerfile) => {
            "Dockerfiles (`Dockerfile`, `*.dockerfile`, `Dockerfile.*`, `Containerfile`)"
        }
        Target::File(FileKind::Compose) => {
            "Compose files (`compose.yaml`, `docker-compose*.yml`, ...)"
        }
        Target::File(FileKind::Yaml) => "Other YAML files",
        Target::File(FileKind::Toml) => "TOML files",
        Target::File(FileKind::Json) => "JSON files",
        Target::File(FileKind::Requirements) => "Requirements files (`requirements*.txt`)",
        Target::File(FileKind::DotEnv) => "Environment files (`.env`, `.env.*`)",
        Target::File(FileKind::IgnoreFile) => "Ignore files (`.gitignore`, `.dockerignore`)",
        Target::File(FileKind::Procfile) => "Procfiles (`Procfile`)",
        Target::Project => "Project rules (whole project, across files)",
        Target::Meta => "Meta: shipshape's own input",
    }
}

/// What a section says below its heading, where the folder alone does not.
fn section_intro(target: Target) -> Option<&'static str> {
    match target {
        Target::Project => Some(
            "A project rule reads the facts of every file of a project root (routes, Dockerfile \
             stages, compose services, env files, CI, dependencies) and reports on the file \
             where the fix belongs; no single-file linter can see these.",
        ),
        Target::Meta => Some(
            "Findings about suppression comments and configuration. Their folders in \
             `rules/meta/` hold metadata only: the engine and the configuration loader report \
             them.",
        ),
        _ => None,
    }
}

/// The rule catalog (`docs/rules-catalog.md`): one table per rule target
/// (file kind, project, meta), one row per rule, every cell from the rule's
/// folder. `rules` may come in any order: sections follow
/// [`FileKind::ALL`], then project, then meta; rows go by priority (critical
/// first), then id. Nothing here is written by hand, so a merge conflict
/// in the file is resolved by generating it again.
pub fn catalog_markdown<'a>(rules: impl IntoIterator<Item = &'a Rule>) -> String {
    let mut rules: Vec<&Rule> = rules.into_iter().collect();
    let order = |target: Target| match target {
        Target::File(kind) => FileKind::ALL
            .iter()
            .position(|other| *other == kind)
            .unwrap_or(FileKind::ALL.len()),
        Target::Project => FileKind::ALL.len() + 1,
        Target::Meta => FileKind::ALL.len() + 2,
    };
    rules.sort_by(|a, b| {
        (order(a.target), std::cmp::Reverse(a.meta.priority), a.id).cmp(&(
            order(b.target),
            std::cmp::Reverse(b.meta.priority),
            b.id,
        ))
    });
    let mut page = String::from(
        "# shipshape rule catalog\n\n\
         <!-- Generated from the rule folders (`server/shipshape-core/rules/<kind>/<id>/rule.scm`) \
         by tests/tidy.rs: `UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy`. Edit the \
         rule's header, not this file. -->\n\n\
         Every rule shipshape ships, one row per rule folder. Ids are fixed: they appear in \
         diagnostics (`code`), in suppression comments, in configuration and in reports. Each id \
         links to the rule's page (what it finds, why it matters, an example and its fix), which \
         `shipshape explain <id>` prints too.\n\n\
         Columns: **prio** is the priority a review gives the finding, mapped to the default \
         severity critical=error, high=warning, medium=info, low=hint (configuration overrides \
         it). **cat** is the report category: security, reliability, performance, \
         observability, data-safety, testing, documentation, scalability. **fix** is the quick \
         fix (\"—\": none; a rule without one still offers \"ignore on this line\"; *unsafe* \
         fixes are offered but never applied by fix-all or `check --fix`).\n",
    );
    let mut current = None;
    for rule in rules {
        if current != Some(rule.target) {
            current = Some(rule.target);
            page.push_str(&format!("\n## {}\n\n", section_heading(rule.target)));
            if let Some(intro) = section_intro(rule.target) {
                page.push_str(intro);
                page.push_str("\n\n");
            }
            page.push_str("| id | prio | cat | finds | fix |\n|---|---|---|---|---|\n");
        }
        let meta = &rule.meta;
        let fix = match &meta.fix {
            Some(fix) if fix.safe => fix.title.clone(),
            Some(fix) => format!("{} (*unsafe*)", fix.title),
            None => "—".to_string(),
        };
        page.push_str(&format!(
            "| [{id}](rules/{id}.md) | {priority} | {category} | {summary} | {fix} |\n",
            id = rule.id,
            priority = meta.priority.name(),
            category = meta.category.name(),
            summary = table_cell(&meta.summary),
            fix = table_cell(&fix),
        ));
    }
    page
}

/// Text for a Markdown table cell: one line, `|` escaped.
fn table_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
