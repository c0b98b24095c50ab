//! Replays a keystroke plan in process, as the language server runs it per
//! `didChange`: the edit into the document, the incremental re-parse and
//! check (`document::analyze`), the conversion to LSP diagnostics, and the
//! acceptance of the check; with `--project`, also the project model's
//! update from the checked document (which the server runs after a typing
//! pause). Prints one line per measured sample of the bench: its kind, the
//! check's mode and work counters, the findings, and wall time (noise on a
//! loaded machine: count instructions with callgrind instead, one dump per
//! sample: `valgrind --tool=callgrind --dump-after=replay_sample ...`).
//!
//! ```text
//! python3 bench/replay_plan.py DIR/module.py PLAN.json [--quick]
//! cargo run --release -p shipshape-lsp --example replay -- DIR/module.py PLAN.json [--project]
//! ```

use std::{path::PathBuf, sync::Arc, time::Instant};

use serde_json::Value;
use shipshape_core::{
    FileKind,
    project::ProjectContext,
    text::{Encoding, Position},
    workspace::{Parsed, Workspace},
};
use shipshape_lsp::{
    diagnostics,
    document::{Change, Document, analyze_within},
    state::Computed,
};

fn position(value: &Value) -> Position {
    let number = |key: &str| value[key].as_u64().expect("a position") as u32;
    Position {
        line: number("line"),
        column: number("character"),
    }
}

/// One measured sample: analyse the document's current version, convert
/// its findings as the server does (reusing the diagnostics of the last
/// sample's the edits left alone), accept the check. Never inlined, so
/// callgrind can dump after each call.
#[inline(never)]
fn replay_sample(
    document: &mut Document,
    project: &Arc<ProjectContext>,
    last: &mut Option<Computed>,
) -> (
    Option<(
        shipshape_core::incremental::Mode,
        shipshape_core::work::Work,
    )>,
    usize,
    usize,
) {
    let snapshot = document.snapshot(Arc::clone(project));
    // No time budget: under callgrind the rules run ~50x slower.
    let mut analysis = analyze_within(&snapshot, std::time::Duration::from_secs(3600));
    let computed =
        diagnostics::convert(&snapshot, &mut analysis, Encoding::Utf16, 0, last.as_ref());
    let replaced = document.accept(&analysis);
    let counts = (computed.diagnostics.len(), computed.converted);
    let replaced_computed = last.replace(computed);
    drop((replaced, replaced_computed));
    (analysis.checked, counts.0, counts.1)
}

/// The project model's update from the checked document, as the server's
/// after a typing pause. Never inlined (callgrind dumps after it too).
#[inline(never)]
fn replay_project(
    workspace: &mut Workspace,
    absolute: &std::path::Path,
    document: &Document,
) -> usize {
    let checked = document.checked();
    let parsed = checked.as_ref().map(|(kind, tree, previous)| Parsed {
        kind: *kind,
        tree,
        module: previous.as_deref().map(|previous| previous.module()),
    });
    workspace
        .apply_parsed([(
            absolute.to_path_buf(),
            Some(document.text().to_string()),
            parsed,
        )])
        .len()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [module, plan, rest @ ..] = args.as_slice() else {
        eprintln!("usage: replay MODULE.py PLAN.json [--project]");
        std::process::exit(2);
    };
    let with_project = rest.iter().any(|arg| arg == "--project");
    let absolute = std::fs::canonicalize(module).expect("the module");
    let root = absolute.parent().expect("a folder").to_path_buf();
    let text = std::fs::read_to_string(&absolute).expect("the module's text");
    let plan: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(plan).expect("the plan")).expect("JSON");
    let project = Arc::new(ProjectContext::discover(&root));
    let mut workspace = with_project.then(|| Workspace::load(std::slice::from_ref(&root)));
    let relative = PathBuf::from(absolute.file_name().expect("a file name"));
    let mut document = Document::new(relative, FileKind::Python, true, 1, text);
    let mut last = None;
    let opened = Instant::now();
    let (checked, diagnostics, converted) = replay_sample(&mut document, &project, &mut last);
    println!(
        "open: {:?} {checked:?} diagnostics {diagnostics} converted {converted}",
        opened.elapsed()
    );
    let mut version = 1;
    for (index, change) in plan.iter().enumerate() {
        version += 1;
        document
            .apply_changes(
                version,
                vec![Change::Range {
                    start: position(&change["start"]),
                    end: position(&change["end"]),
                    text: change["text"].as_str().expect("a text").to_string(),
                }],
                Encoding::Utf16,
            )
            .expect("a change that applies");
        let Some(sample) = change["sample"].as_str() else {
            continue;
        };
        let started = Instant::now();
        let (checked, diagnostics, converted) = replay_sample(&mut document, &project, &mut last);
        let elapsed = started.elapsed();
        let project_ms = workspace.as_mut().map(|workspace| {
            let started = Instant::now();
            replay_project(workspace, &absolute, &document);
            started.elapsed().as_secs_f64() * 1000.0
        });
        println!(
            "{index}\t{sample}\t{:.2} ms\t{checked:?}\tdiagnostics {diagnostics} converted {converted}{}",
            elapsed.as_secs_f64() * 1000.0,
            project_ms.map_or(String::new(), |ms| format!("\tproject {ms:.2} ms")),
        );
    }
}
