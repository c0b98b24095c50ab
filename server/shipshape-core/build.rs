//! Embeds every rule file under `queries/<kind>/<rule-id>.scm` (in this
//! crate, so that `cargo package` ships them) into the binary, so that
//! adding a rule is adding its file: nothing to register. A build that
//! finds no rule files fails: a shipshape without rules would report
//! nothing and look like a clean project.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let queries = manifest.join("queries");
    println!("cargo:rerun-if-changed={}", queries.display());
    let kinds = match fs::read_dir(&queries) {
        Ok(kinds) => kinds,
        Err(error) => panic!(
            "shipshape-core: cannot read the rule folder {}: {error}; the rules must ship inside this crate",
            queries.display()
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
        for file in fs::read_dir(&kind_path).unwrap().flatten() {
            let path = file.path();
            if path.extension().and_then(|e| e.to_str()) != Some("scm") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            let absolute = fs::canonicalize(&path).unwrap();
            entries.push((kind_name.clone(), id, absolute));
        }
    }
    assert!(
        !entries.is_empty(),
        "shipshape-core: no rule files (`<kind>/<rule-id>.scm`) under {}; a build without rules would report nothing",
        queries.display()
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
