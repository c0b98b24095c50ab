//! Tidy checks: every link between a rule's pieces holds.

use std::{collections::BTreeSet, fs};

use shipshape_core::{registry, rule::Target};
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

/// The ids of the catalog, read from its tables.
fn catalog_ids() -> BTreeSet<String> {
    let catalog = repo_root().join("docs/rules-catalog.md");
    let text = fs::read_to_string(&catalog).expect("docs/rules-catalog.md");
    text.lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|line| line.split(" |").next())
        .map(str::trim)
        .filter(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-') && id.contains('-'))
        .map(str::to_string)
        .collect()
}

#[test]
fn rule_ids_are_in_the_catalog_and_unique() {
    let catalog = catalog_ids();
    let mut seen = BTreeSet::new();
    for rule in &registry().rules {
        assert!(
            catalog.contains(rule.id),
            "{} is not in docs/rules-catalog.md",
            rule.id
        );
        assert!(seen.insert(rule.id), "{} is defined twice", rule.id);
    }
}

#[test]
fn every_hook_belongs_to_a_rule() {
    for table in shipshape_core::hooks::tables() {
        for (id, _) in table {
            assert!(registry().get(id).is_some(), "hook `{id}` has no rule file");
        }
    }
    for hook in shipshape_core::hooks::project::HOOKS {
        let rule = registry().get(hook.id);
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
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    let mut expected_files = BTreeSet::new();
    for rule in &registry().rules {
        let path = dir.join(format!("{}.md", rule.id));
        expected_files.insert(path.clone());
        let page = shipshape_core::docs::rule_markdown(rule);
        if fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if update {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, page).unwrap();
            } else {
                stale.push(rule.id);
            }
        }
    }
    for path in files_under(&dir) {
        if !expected_files.contains(&path) {
            if update {
                fs::remove_file(&path).unwrap();
            } else {
                stale.push("(a page of a rule that no longer exists)");
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale pages in docs/rules (run `UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy`): {stale:?}"
    );
}

/// The VS Code extension offers one completion per rule under `shipshape.rules`
/// (generated by editors/vscode/scripts/gen-settings.mjs from the catalog); a rule
/// added without regenerating package.json would be missing there, which the editor
/// suite only finds much later.
#[test]
fn vscode_settings_list_every_rule() {
    let manifest = repo_root().join("editors/vscode/package.json");
    let text = fs::read_to_string(&manifest).expect("editors/vscode/package.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("package.json is JSON");
    let listed: BTreeSet<String> =
        json["contributes"]["configuration"]["properties"]["shipshape.rules"]["properties"]
            .as_object()
            .expect("shipshape.rules has properties")
            .keys()
            .cloned()
            .collect();
    let rules: BTreeSet<String> = registry().rules.iter().map(|r| r.id.to_string()).collect();
    let missing: Vec<_> = rules.difference(&listed).collect();
    let unknown: Vec<_> = listed.difference(&rules).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "editors/vscode/package.json is out of date (run `npm run gen-settings` in editors/vscode): \
         missing {missing:?}, not rules {unknown:?}"
    );
}

/// `docs/query-language.md` lists the engine's query predicates, generated
/// from their definitions; run with `UPDATE_DOCS=1` to rewrite it.
#[test]
fn the_query_language_reference_is_current() {
    let path = repo_root().join("docs/query-language.md");
    let page = format!(
        "# The query language of shipshape rules\n\n\
         <!-- Generated from server/shipshape-core/src/predicates/ by tests/tidy.rs \
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
         its own message.\n\n\
         Predicates go inside the pattern they test: `((call) @call (#has-kwarg? @call \"timeout\"))`.\n\n{}\n",
        shipshape_core::predicates::reference()
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::write(&path, &page).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&path).ok().as_deref(),
        Some(page.as_str()),
        "docs/query-language.md is stale (run `UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy`)"
    );
}
