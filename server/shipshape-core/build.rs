//! Embeds every rule folder `rules/<kind>/<rule-id>/` (in this crate, so
//! that `cargo package` ships them) into the binary: the folder's
//! `rule.scm` is the rule, so adding a rule is adding its folder: nothing
//! to register. A build that finds no rule fails (a shipshape without rules
//! would report nothing and look like a clean project), and so does a rule
//! folder without its `rule.scm`.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules = manifest.join("rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let kinds = match fs::read_dir(&rules) {
        Ok(kinds) => kinds,
        Err(error) => panic!(
            "shipshape-core: cannot read the rule folder {}: {error}; the rules must ship inside this crate",
            rules.display()
        ),
    };
    let mut entries = Vec::new();
    for kind in kinds.flatten() {
        let kind_path = kind.path();
        if !kind_path.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", kind_path.display());
        let kind_name = kind.file_name().to_string_lossy().into_owned();
        for folder in fs::read_dir(&kind_path).unwrap().flatten() {
            let folder_path = folder.path();
            if !folder_path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", folder_path.display());
            let id = folder.file_name().to_string_lossy().into_owned();
            let rule = folder_path.join("rule.scm");
            assert!(
                rule.is_file(),
                "shipshape-core: the rule folder {} has no rule.scm",
                folder_path.display()
            );
            println!("cargo:rerun-if-changed={}", rule.display());
            let absolute = fs::canonicalize(&rule).unwrap();
            entries.push((kind_name.clone(), id, absolute));
        }
    }
    assert!(
        !entries.is_empty(),
        "shipshape-core: no rules (`<kind>/<rule-id>/rule.scm`) under {}; a build without rules would report nothing",
        rules.display()
    );
    entries.sort();
    let mut seen = std::collections::BTreeMap::new();
    for (kind, id, _) in &entries {
        assert!(
            valid_rule_id(id),
            "shipshape-core: the rule folder {kind}/{id} is not a rule id (lower-case letters, digits and single dashes, starting with a letter)"
        );
        if let Some(other) = seen.insert(id.clone(), kind.clone()) {
            panic!("shipshape-core: the rule id `{id}` is used by {other}/{id} and {kind}/{id}");
        }
    }
    let mut out = String::from(
        "/// Every rule file, as `(kind, id, source)`, sorted.\npub static RULE_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (kind, id, path) in &entries {
        out.push_str(&format!(
            "    ({kind:?}, {id:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("rule_files.rs"), out).unwrap();
    fs::write(out_dir.join("rule_ids.rs"), rule_ids(&entries)).unwrap();
    fs::write(
        out_dir.join("saved_analysis.rs"),
        saved_analysis(&manifest.join("analysis")),
    )
    .unwrap();
    // `Query::new_with_analysis` exists only in the vendored tree-sitter,
    // which says so through its build metadata; the crates.io release does
    // not, and the queries are then analysed when compiled.
    println!("cargo::rustc-check-cfg=cfg(saved_analysis)");
    println!("cargo:rerun-if-env-changed=DEP_TREE_SITTER_SAVED_ANALYSIS");
    if env::var_os("DEP_TREE_SITTER_SAVED_ANALYSIS").is_some() {
        println!("cargo:rustc-cfg=saved_analysis");
    }
    // `QueryCursor::set_disabled_patterns` too: a check of a whole file
    // then starts no pattern its text cannot match (`predicates::TextNeeds`).
    println!("cargo::rustc-check-cfg=cfg(disabled_patterns)");
    println!("cargo:rerun-if-env-changed=DEP_TREE_SITTER_DISABLED_PATTERNS");
    if env::var_os("DEP_TREE_SITTER_DISABLED_PATTERNS").is_some() {
        println!("cargo:rustc-cfg=disabled_patterns");
    }
}

/// The saved pattern analysis of each kind's combined query
/// (`analysis/<kind>.bin`, written by the `saved_analysis` test of
/// `registry`), as `(kind, bytes)`. A missing folder is no analysis saved.
fn saved_analysis(folder: &std::path::Path) -> String {
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut files: Vec<(String, PathBuf)> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let kind = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "bin").then_some((kind, path))
        })
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Each kind's saved query analysis, as `(kind, bytes)`, sorted.\npub static SAVED_ANALYSIS: &[(&str, &[u8])] = &[\n",
    );
    for (kind, path) in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let absolute = fs::canonicalize(&path).unwrap();
        out.push_str(&format!(
            "    ({kind:?}, include_bytes!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("];\n");
    out
}

/// A rule id: lower-case ASCII letters and digits in words joined by single
/// dashes, starting with a letter (`bare-except`). The same test as
/// `shipshape new-rule` applies (`rule::valid_rule_id`).
fn valid_rule_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// One constant per rule id (`bare-except` → `BARE_EXCEPT`), so that Rust
/// code naming a rule names a constant: a misspelt id does not compile.
fn rule_ids(entries: &[(String, String, PathBuf)]) -> String {
    let mut out = String::from(
        "// Generated by build.rs from the rule folders.\n\n/// Every built-in rule id, one constant each, sorted by id.\npub const ALL: &[RuleId] = &[\n",
    );
    let mut ids: Vec<&(String, String, PathBuf)> = entries.iter().collect();
    ids.sort_by(|a, b| a.1.cmp(&b.1));
    for (_, id, _) in &ids {
        out.push_str(&format!("    {},\n", constant_name(id)));
    }
    out.push_str("];\n");
    for (kind, id, _) in ids {
        out.push_str(&format!(
            "\n/// `{id}`: `rules/{kind}/{id}/rule.scm`.\npub const {}: RuleId = RuleId({id:?});\n",
            constant_name(id)
        ));
    }
    out
}

fn constant_name(id: &str) -> String {
    id.to_ascii_uppercase().replace('-', "_")
}
