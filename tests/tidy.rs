//! Tidy checks: every link between a rule's pieces holds.

use std::{collections::BTreeSet, fs, path::Path};

use serde_json::{Value, json};
use shipshape_core::{
    registry,
    rule::{Category, Target},
};
use shipshape_tests::{
    expectations, files_under, fixture_files, has_ok_section, project_expectations, repo_root,
};

#[test]
fn every_rule_file_loads() {
    let registry = registry();
    let errors: Vec<String> = registry.errors().iter().map(ToString::to_string).collect();
    assert!(
        errors.is_empty(),
        "rule files that do not load:\n{}",
        errors.join("\n")
    );
    assert!(!registry.rules.is_empty());
}

#[test]
fn rule_ids_are_unique() {
    let mut seen = BTreeSet::new();
    for rule in &registry().rules {
        assert!(seen.insert(rule.id), "{} is defined twice", rule.id);
    }
}

/// The generator: with `UPDATE_DOCS=1`, writes `path` when its text is
/// not `expected`; without, records it in `stale`.
fn generated(path: &Path, expected: &str, stale: &mut Vec<String>) {
    if fs::read_to_string(path).ok().as_deref() == Some(expected) {
        return;
    }
    if updating() {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, expected).unwrap();
    } else {
        stale.push(shown(path));
    }
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

fn shown(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

const REGENERATE: &str = "run `UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy`, which \
    regenerates every file generated from the rule folders (a merge conflict in one of them is \
    resolved the same way: take either side, then regenerate)";

/// `docs/rules-catalog.md` is generated from the rule folders' headers.
#[test]
fn the_rule_catalog_is_current() {
    let mut stale = Vec::new();
    generated(
        &repo_root().join("docs/rules-catalog.md"),
        &shipshape_core::docs::catalog_markdown(&registry().rules),
        &mut stale,
    );
    assert!(stale.is_empty(), "stale: {stale:?}; {REGENERATE}");
}

#[test]
fn every_rule_has_its_id_constant() {
    let constants: Vec<&str> = shipshape_core::rule::ids::ALL
        .iter()
        .map(|id| id.as_str())
        .collect();
    let mut rules: Vec<&str> = registry().rules.iter().map(|rule| rule.id).collect();
    rules.sort_unstable();
    assert_eq!(constants, rules);
}

#[test]
fn every_hook_belongs_to_a_rule() {
    for (kind, table) in shipshape_core::hooks::tables() {
        for (id, _) in table {
            assert!(
                registry()
                    .rule(*id)
                    .is_some_and(|rule| rule.target == Target::File(kind)),
                "hook `{id}` of the {} table has no {} rule that loads",
                kind.name(),
                kind.name()
            );
        }
    }
    for hook in shipshape_core::hooks::project::HOOKS {
        let rule = registry().rule(hook.id);
        assert!(
            rule.is_some_and(|rule| rule.target == Target::Project),
            "project hook `{}` has no rule folder under server/shipshape-core/rules/project/",
            hook.id
        );
    }
}

/// Every project rule is expected somewhere under `tests/projects/` (a
/// `# expect:` line or an `expect.txt` entry) and some project names it on
/// an `ok:` line of its `expect.txt` (a project where it must not fire).
#[test]
fn every_project_rule_has_positive_and_negative_projects() {
    let projects = repo_root().join("tests/projects");
    let mut positive = BTreeSet::new();
    let mut negative = BTreeSet::new();
    let Ok(entries) = fs::read_dir(&projects) else {
        panic!("no tests/projects folder");
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        if !dir.is_dir() {
            continue;
        }
        let sidecar = project_expectations(&dir);
        positive.extend(sidecar.findings.into_iter().map(|(_, _, rule)| rule));
        negative.extend(sidecar.ok);
        for path in files_under(&dir) {
            if let Ok(text) = fs::read_to_string(&path) {
                positive.extend(expectations(&text).into_iter().map(|(_, rule)| rule));
            }
        }
    }
    let mut missing = Vec::new();
    for rule in &registry().rules {
        if rule.target != Target::Project {
            continue;
        }
        if !positive.contains(rule.id) {
            missing.push(format!(
                "{}: no project under tests/projects/ expects it",
                rule.id
            ));
        }
        if !negative.contains(rule.id) {
            missing.push(format!(
                "{}: no project under tests/projects/ lists it on an `ok:` line of expect.txt",
                rule.id
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_file_rule_has_positive_and_negative_fixtures() {
    let fixtures = fixture_files();
    let mut missing = Vec::new();
    for rule in &registry().rules {
        let Target::File(kind) = rule.target else {
            continue;
        };
        let owner = format!("{}/{}", kind.name(), rule.id);
        let files: Vec<_> = fixtures
            .iter()
            .filter(|fixture| fixture.rule.as_deref() == Some(owner.as_str()))
            .map(|fixture| &fixture.path)
            .collect();
        if files.is_empty() {
            missing.push(format!(
                "{}: no fixture in its folder server/shipshape-core/rules/{owner}/ (fixture.<ext> or fixture/)",
                rule.id
            ));
            continue;
        }
        let texts: Vec<String> = files
            .iter()
            .filter_map(|path| fs::read_to_string(path).ok())
            .collect();
        if !texts
            .iter()
            .any(|text| expectations(text).iter().any(|(_, id)| id == rule.id))
        {
            missing.push(format!("{}: its fixtures expect no finding of it", rule.id));
        }
        if !texts.iter().any(|text| has_ok_section(text)) {
            missing.push(format!(
                "{}: its fixtures have no `# OK` section of code that must not fire",
                rule.id
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_rule_is_documented() {
    for rule in &registry().rules {
        let docs = &rule.meta.docs;
        for section in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            assert!(docs.contains(section), "{}: docs lack `{section}`", rule.id);
        }
        if let Some(fix) = &rule.meta.fix {
            assert!(!fix.title.is_empty(), "{}: fix without a title", rule.id);
        }
        assert!(
            !rule.meta.message.is_empty() && !rule.meta.summary.is_empty(),
            "{}",
            rule.id
        );
    }
}

/// `docs/rules/<id>.md` is generated from the rule files; run with
/// `UPDATE_DOCS=1` to rewrite the pages after changing a rule.
#[test]
fn generated_rule_docs_are_current() {
    let dir = repo_root().join("docs/rules");
    let mut stale = Vec::new();
    let mut expected_files = BTreeSet::new();
    for rule in &registry().rules {
        let path = dir.join(format!("{}.md", rule.id));
        generated(
            &path,
            &shipshape_core::docs::rule_markdown(rule),
            &mut stale,
        );
        expected_files.insert(path);
    }
    for path in files_under(&dir) {
        if !expected_files.contains(&path) {
            if updating() {
                fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (a page of no rule)", shown(&path)));
            }
        }
    }
    assert!(stale.is_empty(), "stale pages: {stale:?}; {REGENERATE}");
}

/// The severities a rule can be given in the editor settings, in the order
/// the schema lists them.
fn severities(schema: &Value) -> Value {
    schema["properties"]["shipshape.rules"]["additionalProperties"]["enum"].clone()
}

/// `editors/settings.schema.json` with its generated parts: one property per
/// built-in rule under `shipshape.rules` (completion and a description in
/// every editor that reads the schema) and one per category under
/// `shipshape.categories`. The rest of the file is written by hand and kept;
/// keys come out sorted, so the text is the same whoever generates it.
fn settings_schema(current: &str) -> String {
    let mut schema: Value = serde_json::from_str(current).expect("settings.schema.json is JSON");
    let severities = severities(&schema);
    let mut rules = serde_json::Map::new();
    for rule in &registry().rules {
        rules.insert(
            rule.id.to_string(),
            json!({
                "type": "string",
                "enum": severities,
                "markdownDescription": format!(
                    "{} `{}` (category {}; priority {}, shown as {} by default).",
                    rule.meta.summary,
                    rule.id,
                    rule.meta.category.name(),
                    rule.meta.priority.name(),
                    rule.severity().name(),
                ),
            }),
        );
    }
    schema["properties"]["shipshape.rules"]["properties"] = Value::Object(rules);
    let mut categories = serde_json::Map::new();
    for category in Category::ALL {
        categories.insert(
            category.name().to_string(),
            json!({
                "type": "boolean",
                "markdownDescription": format!(
                    "Every `{}` rule on (`true`) or off (`false`).",
                    category.name()
                ),
            }),
        );
    }
    schema["properties"]["shipshape.categories"]["properties"] = Value::Object(categories);
    serde_json::to_string_pretty(&schema).unwrap() + "\n"
}

/// The editor settings are generated from the rule folders in two steps:
/// `editors/settings.schema.json` gets its rule and category enumerations
/// ([`settings_schema`]), and the VS Code extension's settings
/// (`contributes.configuration` in its package.json) are the schema's
/// properties, copied by editors/vscode/scripts/gen-settings.mjs (which
/// keeps package.json's own layout; `UPDATE_DOCS=1` runs it). A rule added
/// without regenerating would be missing in the editors, which their suites
/// only find much later.
#[test]
fn the_editor_settings_are_current() {
    let schema_path = repo_root().join("editors/settings.schema.json");
    let schema_text = settings_schema(&fs::read_to_string(&schema_path).unwrap());
    let mut stale = Vec::new();
    generated(&schema_path, &schema_text, &mut stale);
    assert!(stale.is_empty(), "stale: {stale:?}; {REGENERATE}");

    let manifest = repo_root().join("editors/vscode/package.json");
    let read_manifest = || -> Value {
        serde_json::from_str(&fs::read_to_string(&manifest).expect("package.json"))
            .expect("package.json is JSON")
    };
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let expected = json!({ "title": schema["title"], "properties": schema["properties"] });
    if updating() && read_manifest()["contributes"]["configuration"] != expected {
        let status = std::process::Command::new("node")
            .arg("scripts/gen-settings.mjs")
            .current_dir(repo_root().join("editors/vscode"))
            .status();
        assert!(
            status.is_ok_and(|status| status.success()),
            "`node scripts/gen-settings.mjs` in editors/vscode failed (is node installed?)"
        );
    }
    let configuration = &read_manifest()["contributes"]["configuration"];
    let listed: BTreeSet<String> = configuration["properties"]["shipshape.rules"]["properties"]
        .as_object()
        .map(|rules| rules.keys().cloned().collect())
        .unwrap_or_default();
    let rules: BTreeSet<String> = registry().rules.iter().map(|r| r.id.to_string()).collect();
    assert!(
        *configuration == expected,
        "editors/vscode/package.json's settings differ from the schema (missing rules {:?}, \
         not rules {:?}); {REGENERATE} (or `npm run gen-settings` in editors/vscode)",
        rules.difference(&listed).collect::<Vec<_>>(),
        listed.difference(&rules).collect::<Vec<_>>(),
    );
}

/// `docs/query-language.md` lists the engine's query predicates, generated
/// from their definitions; run with `UPDATE_DOCS=1` to rewrite it.
#[test]
fn the_query_language_reference_is_current() {
    let path = repo_root().join("docs/query-language.md");
    let page = format!(
        "# The query language of shipshape rules\n\n\
         <!-- Generated from server/shipshape-core/src/predicates/ and `rule::EDIT_KINDS` by tests/tidy.rs \
         (`UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy`). -->\n\n\
         A rule's query is a tree-sitter query: its text predicates (`#eq?`, `#match?`, \
         `#any-of?` and their `not-` forms) work as in tree-sitter. shipshape adds the \
         predicates below. Each test predicate (`?`) has a negated form `#not-NAME?`. A \
         binding predicate (`!`) holds when it finds what it looks for and binds the range \
         it found to the capture name given as its last argument; the rule's message \
         (`${{name}}`), its `@finding` and its fix template may use that name like a \
         capture. A per-occurrence binding predicate (its description says so) makes each \
         occurrence it finds a match of its own: the predicates after it are tested, and a \
         finding reported, once per occurrence. A binding may stand for a value other than \
         its range's text (a shell word without its quotes, a package name without extras); \
         messages and fix texts use that value. `(#set! message \"...\")` gives one pattern \
         its own message, and `(#set! fix \"NAME\")` its own fix: the edits and imports of \
         the header's `[fix.variants.NAME]` (same title and safety as `[fix]`; a variant \
         without edits offers no fix) in place of `[fix]`'s.\n\n\
         Predicates go inside the pattern they test: `((call) @call (#has-kwarg? @call \"timeout\"))`.\n\n{}\n\n\
         ## Fix edits\n\n\
         A rule's `[fix]` lists its `edits`, each naming the capture (or bound name) it \
         edits: `edits = [{{ capture = \"install\", insert_after = \" --no-cache-dir\" }}]`. \
         Texts may use `${{name}}` as messages do. A match that lacks a name an edit uses, or \
         where an edit finds nothing to do, gets no fix (the finding is still reported). \
         The edit kinds:\n\n{}\n",
        shipshape_core::predicates::reference(),
        shipshape_core::rule::edit_reference()
    );
    let mut stale = Vec::new();
    generated(&path, &page, &mut stale);
    assert!(stale.is_empty(), "stale: {stale:?}; {REGENERATE}");
}
