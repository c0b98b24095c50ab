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
    let mut out = String::from(
        "/// Every rule file, as `(kind, id, source)`, sorted.\npub static RULE_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (kind, id, path) in entries {
        out.push_str(&format!(
            "    ({kind:?}, {id:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap()).join("rule_files.rs");
    fs::write(dest, out).unwrap();
}
