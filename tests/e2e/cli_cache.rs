//! The result cache of `shipshape check`: a warm run prints exactly what a
//! cold run prints and parses nothing; a changed file, configuration or
//! rule setting is checked again; a corrupt entry is ignored; concurrent
//! runs on one cache agree. Parses are counted by the binary
//! (`SHIPSHAPE_STATS=1`), not timed.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use shipshape_tests::{copy_dir, repo_root};

fn scratch(test: &str) -> (PathBuf, PathBuf) {
    let base = std::env::temp_dir().join(format!("shipshape-cache-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let project = base.join("service");
    copy_dir(&repo_root().join("examples/fastapi-service"), &project);
    (project, base.join("cache"))
}

/// (stdout, files parsed) of `check --format json` with the cache at
/// `cache` (`None`: `--no-cache`).
fn check(project: &Path, cache: Option<&Path>) -> (String, usize) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shipshape"));
    command
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(project)
        .env("SHIPSHAPE_STATS", "1")
        .env_remove("SHIPSHAPE_CACHE_DIR");
    match cache {
        Some(cache) => command.arg("--cache-dir").arg(cache),
        None => command.arg("--no-cache"),
    };
    let output = command.output().expect("run shipshape");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let parsed = stderr
        .lines()
        .find_map(|line| line.strip_prefix("shipshape: stats: "))
        .and_then(|line| line.split(", ").nth(1))
        .and_then(|part| part.split(' ').next())
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no stats: {stderr}"));
    (String::from_utf8_lossy(&output.stdout).into_owned(), parsed)
}

#[test]
fn a_warm_run_prints_what_a_cold_run_prints_and_parses_nothing() {
    let (project, cache) = scratch("warm");
    let (uncached, _) = check(&project, None);
    let (cold, cold_parsed) = check(&project, Some(&cache));
    let (warm, warm_parsed) = check(&project, Some(&cache));
    assert!(cold_parsed > 0);
    assert_eq!(cold, uncached);
    assert_eq!(warm, cold);
    assert_eq!(warm_parsed, 0, "a warm run parses nothing");
    assert!(cold.contains("healthcheck-path-not-served") || cold.contains("bare-except"));
}

#[test]
fn a_changed_file_configuration_or_rule_setting_is_checked_again() {
    let (project, cache) = scratch("invalidate");
    check(&project, Some(&cache));
    // A file's content.
    let main = project.join("app/main.py");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, text.replace("except:", "except Exception:")).unwrap();
    let (changed, parsed) = check(&project, Some(&cache));
    assert!(parsed > 0, "the changed file is parsed");
    assert_eq!(changed, check(&project, None).0);
    // The configuration: a rule set to error, then off.
    let config = project.join("shipshape.toml");
    let original = std::fs::read_to_string(&config).ok();
    std::fs::write(&config, "[rules]\nmissing-rate-limiting = \"error\"\n").unwrap();
    let (configured, _) = check(&project, Some(&cache));
    assert_eq!(configured, check(&project, None).0);
    std::fs::write(
        &config,
        "[rules]\nprint-statement = \"off\"\nmissing-rate-limiting = \"off\"\n",
    )
    .unwrap();
    let (off, _) = check(&project, Some(&cache));
    assert_eq!(off, check(&project, None).0);
    assert!(!off.contains("missing-rate-limiting"));
    // And back: the earlier entries answer again, unchanged.
    match &original {
        Some(text) => std::fs::write(&config, text).unwrap(),
        None => std::fs::remove_file(&config).unwrap(),
    }
    std::fs::write(&main, &text).unwrap();
    let (back, parsed) = check(&project, Some(&cache));
    assert_eq!(parsed, 0);
    assert_eq!(back, check(&project, None).0);
}

#[test]
fn a_corrupt_entry_is_ignored() {
    let (project, cache) = scratch("corrupt");
    let (cold, _) = check(&project, Some(&cache));
    let mut corrupted = 0;
    for folder in std::fs::read_dir(cache.join("v1")).unwrap().flatten() {
        for entry in std::fs::read_dir(folder.path()).unwrap().flatten() {
            std::fs::write(entry.path(), "{ not json").unwrap();
            corrupted += 1;
        }
    }
    assert!(corrupted > 0);
    let (after, parsed) = check(&project, Some(&cache));
    assert_eq!(after, cold);
    assert!(parsed > 0, "corrupt entries are misses");
    // They were written again.
    assert_eq!(check(&project, Some(&cache)), (cold, 0));
}

#[test]
fn concurrent_runs_on_one_cache_agree() {
    let (project, cache) = scratch("concurrent");
    let (expected, _) = check(&project, None);
    let runs: Vec<std::thread::JoinHandle<String>> = (0..4)
        .map(|_| {
            let (project, cache) = (project.clone(), cache.clone());
            std::thread::spawn(move || check(&project, Some(&cache)).0)
        })
        .collect();
    for run in runs {
        assert_eq!(run.join().unwrap(), expected);
    }
    assert_eq!(check(&project, Some(&cache)), (expected, 0));
}

/// The tests' own way to run the binary (`shipshape_tests::shipshape`)
/// gives each run a private cache: `check` writes there and nothing under
/// the user's cache folder.
#[test]
fn test_runs_never_touch_the_user_cache() {
    let (project, _) = scratch("private");
    let home = std::env::temp_dir().join(format!("shipshape-home-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let mut command = shipshape_tests::shipshape(env!("CARGO_BIN_EXE_shipshape"));
    command
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(&project)
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"));
    let output = command.output().expect("run shipshape");
    assert!(output.status.success(), "{output:?}");
    let entries = |dir: &Path| shipshape_tests::files_under(dir).len();
    assert!(
        entries(command.cache_dir()) > 0,
        "the private cache is used"
    );
    assert_eq!(entries(&home), 0, "nothing written under HOME");
    let _ = std::fs::remove_dir_all(&home);
}

/// A monorepo's root compose file probes a service it builds from its
/// folder: the root's cached findings are checked again when the
/// service's code changes (the route the probe asks for appears).
#[test]
fn a_root_compose_finding_follows_the_code_of_the_service_it_builds() {
    let base = std::env::temp_dir().join(format!(
        "shipshape-cache-{}-root-compose",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&base);
    let (root, cache) = (base.join("repo"), base.join("cache"));
    for (path, text) in [
        (".git/HEAD", "ref: refs/heads/main\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build:\n      context: ./services/api\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/healthz\"]\n",
        ),
        (
            "services/api/requirements.txt",
            "fastapi==0.115.0\nuvicorn==0.30.0\n",
        ),
        (
            "services/api/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n",
        ),
    ] {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (cold, _) = check(&root, Some(&cache));
    assert!(cold.contains("healthcheck-path-not-served"), "{cold}");
    let main = root.join("services/api/main.py");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, text.replace("\"/health\"", "\"/healthz\"")).unwrap();
    let (warm, _) = check(&root, Some(&cache));
    assert_eq!(warm, check(&root, None).0);
    assert!(!warm.contains("healthcheck-path-not-served"), "{warm}");
}
