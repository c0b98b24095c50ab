//! `shipshape check` of a whole tree reads and parses each file once: the
//! file rules and the project models share the check's text and tree (and
//! the Python module facts the rules derived from it), and
//! nested project roots (test data folders with their own `setup.py` or
//! `pyproject.toml`) do not make files be read again. Guarded by the
//! binary's deterministic counters (`SHIPSHAPE_STATS=1`), not by time.

use std::path::{Path, PathBuf};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A service with a Dockerfile, compose file and env files, and two test
/// data folders that are projects of their own.
fn tree(root: &Path) -> usize {
    let _ = std::fs::remove_dir_all(root);
    let files: &[(&str, &str)] = &[
        (
            "pyproject.toml",
            "[project]\nname = \"svc\"\ndependencies = [\"fastapi\"]\n",
        ),
        (
            "app/main.py",
            "import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\nTOKEN = os.environ[\"TOKEN\"]\n\n\n@app.get(\"/health\")\ndef health():\n    try:\n        return {}\n    except:\n        return None\n",
        ),
        ("app/__init__.py", ""),
        (
            "Dockerfile",
            "FROM python:3.12\nCOPY . .\nHEALTHCHECK CMD curl -f http://localhost:8000/healthz\nCMD [\"uvicorn\", \"app.main:app\"]\n",
        ),
        (
            "compose.yaml",
            // `worker` is built from a nested project: the root's model
            // links it, from the same reads and parses.
            "services:\n  api:\n    build: .\n    environment:\n      TOKEN: ${TOKEN}\n  worker:\n    build: ./tests/data/pkg_b\n",
        ),
        (".env", "TOKEN=abc\n"),
        ("requirements.txt", "fastapi\n"),
        ("tests/test_app.py", "def test_app():\n    assert True\n"),
        (
            "tests/data/pkg_a/setup.py",
            "from setuptools import setup\n\nsetup(name=\"a\")\n",
        ),
        (
            "tests/data/pkg_a/a.py",
            "import os\n\nVALUE = os.environ.get(\"A\")\n",
        ),
        (
            "tests/data/pkg_b/pyproject.toml",
            "[project]\nname = \"b\"\n",
        ),
        (
            "tests/data/pkg_b/b.py",
            "from flask import Flask\n\napp = Flask(__name__)\n",
        ),
        ("tests/data/pkg_b/requirements.txt", "flask\n"),
    ];
    for (path, text) in files {
        write(&root.join(path), text);
    }
    // Enough modules in the nested projects that reading or parsing them
    // twice could not hide in the allowance below.
    for index in 0..20 {
        let folder = if index % 2 == 0 { "pkg_a" } else { "pkg_b" };
        write(
            &root.join(format!("tests/data/{folder}/mod_{index}.py")),
            &format!("import os\n\nVALUE_{index} = os.environ.get(\"V{index}\")\n"),
        );
    }
    files.len() + 20
}

/// (files read, files parsed, module facts derived, stdout).
fn stats(root: &Path) -> (usize, usize, usize, String) {
    let output = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"))
        .args([
            "check",
            "--no-cache",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .arg(root)
        .env("SHIPSHAPE_STATS", "1")
        .output()
        .expect("run shipshape");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let line = stderr
        .lines()
        .find_map(|line| line.strip_prefix("shipshape: stats: "))
        .unwrap_or_else(|| panic!("no stats: {stderr}"))
        .to_string();
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse().ok())
        .collect();
    (
        numbers[0],
        numbers[1],
        numbers[2],
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn a_whole_tree_with_nested_roots_reads_and_parses_each_file_once() {
    let root: PathBuf =
        std::env::temp_dir().join(format!("shipshape-cli-tree-{}", std::process::id()));
    let files = tree(&root);
    let (read, parsed, _, json) = stats(&root);
    // Manifests are read again by the configuration loader (each
    // `pyproject.toml`: 2) and the framework discovery of the folder given
    // (`pyproject.toml`, `requirements.txt`: 3); nothing else is read twice.
    assert!(read <= files + 5, "{read} reads for {files} files");
    assert!(parsed <= files, "{parsed} parses for {files} files");
    // The nested projects were checked: their own findings are there.
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"healthcheck-path-not-served"), "{rules:?}");
    assert!(rules.contains(&"bare-except"), "{rules:?}");
    assert!(
        findings.iter().any(|finding| finding["path"]
            .as_str()
            .unwrap()
            .contains("tests/data/pkg_b/")),
        "{rules:?}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// The file rules derive a module's facts (imports, constants, bindings)
/// when a hook asks; the project model needs the same facts of the same
/// tree and takes them from the check instead of deriving them again.
#[test]
fn a_whole_tree_derives_each_modules_facts_once() {
    let root: PathBuf =
        std::env::temp_dir().join(format!("shipshape-cli-tree-modules-{}", std::process::id()));
    tree(&root);
    let modules = walk_python_files(&root);
    let (_, _, derived, json) = stats(&root);
    assert!(
        derived <= modules,
        "module facts derived {derived} times for {modules} Python files"
    );
    // The project rules still saw the modules' facts: the app module's
    // environment read and the nested Flask app are known to them.
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(
        findings
            .iter()
            .any(|finding| finding["rule"] == "healthcheck-path-not-served"),
        "{json}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

fn walk_python_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk_python_files(&path)
            } else {
                usize::from(path.extension().is_some_and(|ext| ext == "py"))
            }
        })
        .sum()
}
