//! Turning a document snapshot into LSP diagnostics on a blocking thread
//! (`crate::blocking`); and the per-document worker that publishes them
//! in push mode, coalescing bursts of changes (the latest version wins).

use std::sync::Arc;

use shipshape_core::text::Encoding;
use tower_lsp_server::ls_types::Uri;

use crate::{
    blocking::blocking,
    convert,
    document::{Analysis, Snapshot, analyze},
    state::{Computed, Inner},
};

/// Parses and checks a snapshot and converts the findings, on a blocking
/// thread, reusing the diagnostics of `last` (the document's last accepted
/// ones, taken with the snapshot) that the edits since left alone. `None`
/// if the rules panicked (logged).
pub async fn compute(
    snapshot: Snapshot,
    encoding: Encoding,
    open_id: u64,
    last: Option<Arc<Computed>>,
) -> Option<(Analysis, Computed)> {
    let path = snapshot.path.clone();
    let version = snapshot.version;
    let result = blocking("checking a document", move || {
        let mut analysis = analyze(&snapshot);
        let computed = convert(&snapshot, &mut analysis, encoding, open_id, last.as_deref());
        (analysis, computed)
    })
    .await;
    if result.is_none() {
        tracing::error!(path = %path.display(), version, "no diagnostics for this version");
    }
    result
}

/// The diagnostics of a snapshot's check (its findings move out of
/// `analysis` into the result's basis). `last` is the document's last
/// accepted result: the snapshot's pending edit leads from its text to
/// this one, and its diagnostics of findings the edit left alone are
/// reused (see [`convert::diagnostics`]). CPU work; the replay bench calls
/// it as the server does.
pub fn convert(
    snapshot: &Snapshot,
    analysis: &mut Analysis,
    encoding: Encoding,
    open_id: u64,
    last: Option<&Computed>,
) -> Computed {
    let version = snapshot.version;
    let previous = last
        .zip(snapshot.pending())
        .filter(|(last, _)| last.version < version)
        .map(|(last, edit)| convert::Previous {
            basis: &last.basis,
            diagnostics: &last.diagnostics,
            edit,
        });
    let findings = std::mem::take(&mut analysis.findings);
    let conversion = convert::diagnostics(&snapshot.rope, findings, encoding, previous);
    tracing::debug!(path = %snapshot.path.display(), converted = conversion.converted, total = conversion.diagnostics.len(), "converted");
    Computed {
        version,
        result_id: format!("{open_id}:{version}"),
        diagnostics: conversion.diagnostics,
        basis: conversion.basis,
        converted: conversion.converted,
    }
}

/// Marks a document as changed and makes sure a worker will check it. At
/// most one worker runs per document; it re-checks until the document stops
/// changing, so a burst of edits costs one check per finished check rather
/// than one per edit, with no fixed delay.
pub fn schedule(inner: &Arc<Inner>, uri: &Uri) {
    let start = match inner.documents.get_mut(uri) {
        Some(mut open) => {
            open.dirty = true;
            !std::mem::replace(&mut open.worker_running, true)
        }
        None => false,
    };
    if start {
        tokio::spawn(worker(Arc::clone(inner), uri.clone()));
    }
}

async fn worker(inner: Arc<Inner>, uri: Uri) {
    let Some(session) = inner.session.get() else {
        return;
    };
    loop {
        // Take the latest version; no map guard lives past this block.
        let (snapshot, open_id, publisher, last) = {
            let Some(mut open) = inner.documents.get_mut(&uri) else {
                return;
            };
            open.dirty = false;
            (
                open.snapshot(),
                open.open_id,
                Arc::clone(&open.publisher),
                open.last.clone(),
            )
        };
        let version = snapshot.version;
        if let Some((analysis, computed)) = compute(snapshot, session.encoding, open_id, last).await
        {
            let computed = Arc::new(computed);
            let replaced = inner.accept(&uri, open_id, &analysis, &computed);
            let current = replaced.is_some();
            // The publisher lock orders this publication against didClose's
            // clearing one; a newer version is left to the next round.
            let mut publisher = publisher.lock().await;
            if current && !publisher.closed {
                // With the project findings in this file (composed under the
                // lock, so the last publication has the latest of both).
                let project = crate::publish::project_part_blocking(&inner, &uri, &computed).await;
                crate::publish::publish_document(
                    &inner,
                    &mut publisher,
                    &uri,
                    &computed,
                    project.as_deref(),
                    version,
                );
            }
            drop(publisher);
            drop((replaced, analysis));
        }
        let again = match inner.documents.get_mut(&uri) {
            Some(mut open) if open.open_id == open_id => {
                if open.dirty {
                    true
                } else {
                    open.worker_running = false;
                    false
                }
            }
            _ => false,
        };
        if !again {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use shipshape_core::{FileKind, text::LineIndex};

    use super::*;
    use crate::document::{Change, Document};

    const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    /// A handler with findings (some with fixes, some on lines with
    /// non-ASCII text before them).
    fn block(index: usize) -> String {
        format!(
            "\n\ndef handler_{index}(url):\n    \"\"\"Fetch é🎉 {index}.\"\"\"\n    try:\n        \
             r = requests.get(url)  # é🎉\n    except:\n        pass\n    \
             s = \"🎉\"; requests.post(url, data=s)\n    return r\n"
        )
    }

    fn module(blocks: usize) -> String {
        let mut text = String::from("import requests\n");
        for index in 0..blocks {
            text.push_str(&block(index));
        }
        text
    }

    /// Checks and converts the document's current version as the server
    /// does, asserts the diagnostics equal a fresh conversion of the same
    /// findings, and accepts the check. Returns (findings, converted, shared):
    /// shared are the previous version's diagnostics kept as they were (the
    /// same allocation, not a copy).
    fn check(
        document: &mut Document,
        last: &mut Option<Computed>,
        encoding: Encoding,
    ) -> (usize, usize, usize) {
        let snapshot = document.snapshot(Arc::default());
        let mut analysis = analyze(&snapshot);
        let computed = convert(&snapshot, &mut analysis, encoding, 0, last.as_ref());
        let index = LineIndex::new(&snapshot.rope);
        let fresh: Vec<_> = computed
            .basis
            .findings()
            .iter()
            .map(|finding| convert::diagnostic(&index, finding, encoding))
            .collect();
        assert_eq!(computed.diagnostics.len(), fresh.len());
        for (reused, fresh) in computed.diagnostics.iter().zip(&fresh) {
            assert_eq!(
                **reused, *fresh,
                "version {} ({encoding:?}) of {:?}",
                snapshot.version, snapshot.text
            );
        }
        document.accept(&analysis);
        let previous: std::collections::HashSet<*const tower_lsp_server::ls_types::Diagnostic> =
            last.iter()
                .flat_map(|last| last.diagnostics.iter().map(Arc::as_ptr))
                .collect();
        let shared = computed
            .diagnostics
            .iter()
            .filter(|diagnostic| previous.contains(&Arc::as_ptr(diagnostic)))
            .count();
        let counts = (computed.diagnostics.len(), computed.converted, shared);
        *last = Some(computed);
        counts
    }

    /// A range change between two byte offsets of the document's text.
    fn change(
        document: &Document,
        start: usize,
        end: usize,
        text: &str,
        encoding: Encoding,
    ) -> Change {
        let index = LineIndex::new(document.rope());
        Change::Range {
            start: index.position(start, encoding),
            end: index.position(end, encoding),
            text: text.to_string(),
        }
    }

    fn open(text: String) -> Document {
        Document::new(
            PathBuf::from("app/main.py"),
            FileKind::Python,
            true,
            1,
            text,
        )
    }

    #[test]
    fn reused_diagnostics_equal_a_fresh_conversion_after_each_edit() {
        for encoding in ENCODINGS {
            let mut document = open(module(4));
            let mut last = None;
            let (findings, ..) = check(&mut document, &mut last, encoding);
            assert!(findings >= 8, "{findings} findings");
            // (needle whose first occurrence the edit starts at, bytes it
            // replaces, new text): before, inside, between and after
            // findings; line breaks in and out; multi-line; non-ASCII.
            let edits: &[(&str, usize, &str)] = &[
                ("import", 0, "# é🎉\n"),
                ("import", 7, ""),
                ("def handler_1", 0, "x = 1\ny = 2\n\n"),
                ("requests.get", 0, "🎉"),
                ("🎉requests.get", 4, ""),
                ("(url)  #", 1, "url, timeout=3"),
                ("except:\n        pass\n    s", 30, "except ValueError:\n"),
                ("Fetch", 0, "\n"),
                ("return r\n\n\ndef handler_2", 12, ""),
                ("# é🎉", 0, "é"),
                ("s = ", 0, "\r\n    "),
                ("def handler_3", 14, "def renamed"),
            ];
            let mut version = 1;
            for &(needle, replaced, new_text) in edits {
                let start = document
                    .text()
                    .find(needle)
                    .unwrap_or_else(|| panic!("{needle:?}"));
                version += 1;
                let change = change(&document, start, start + replaced, new_text, encoding);
                document
                    .apply_changes(version, vec![change], encoding)
                    .unwrap();
                check(&mut document, &mut last, encoding);
            }
            // Several changes in one notification, then at the very end.
            version += 1;
            let len = document.text().len();
            let changes = vec![
                change(&document, len, len, "\nz = 🎉\n", encoding),
                change(&document, 0, 0, "\n", encoding),
            ];
            document.apply_changes(version, changes, encoding).unwrap();
            check(&mut document, &mut last, encoding);
        }
    }

    #[test]
    fn random_edits_keep_reused_diagnostics_equal_to_fresh_ones() {
        // A fixed linear congruential generator: the same edits every run.
        let mut seed: u64 = 0x5eed;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % bound.max(1)
        };
        let pieces = [
            "x",
            " ",
            "\n",
            "é",
            "🎉",
            "\r\n",
            "    ",
            "#",
            "except:\n",
            "requests.get(u)\n",
        ];
        for encoding in ENCODINGS {
            let mut document = open(module(3));
            let mut last = None;
            check(&mut document, &mut last, encoding);
            for version in 2..40 {
                let text = document.text();
                let mut start = next(text.len() + 1);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + next(12)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let new_text: String = (0..next(3)).map(|_| pieces[next(pieces.len())]).collect();
                let change = change(&document, start, end, &new_text, encoding);
                document
                    .apply_changes(version, vec![change], encoding)
                    .unwrap();
                check(&mut document, &mut last, encoding);
            }
        }
    }

    /// The work counter of conversion: typing on one line of a large file
    /// converts the findings of that line, not the file's, and copies none
    /// of the others unless it adds or removes a line (those after it move).
    #[test]
    fn an_edit_of_one_line_converts_only_its_findings() {
        let mut document = open(module(150));
        let mut last = None;
        let (findings, converted, _) = check(&mut document, &mut last, Encoding::Utf16);
        assert_eq!(converted, findings, "the first check converts everything");
        assert!(findings >= 300, "{findings} findings");
        let middle = document.text().find("def handler_75").unwrap();
        let edits = [
            // A new line above the middle handler: every finding after it moves.
            (middle, middle, "\n"),
            // Typing in its docstring.
            (middle + 20, middle + 20, "é"),
            // On a line with a finding: that one is converted again.
            (
                document.text()[middle..].find("requests.get").unwrap() + middle + 2,
                0,
                "x",
            ),
        ];
        for (version, (start, end, text)) in (2..).zip(edits) {
            let end = end.max(start);
            let change = change(&document, start, end, text, Encoding::Utf16);
            document
                .apply_changes(version, vec![change], Encoding::Utf16)
                .unwrap();
            let (now, converted, shared) = check(&mut document, &mut last, Encoding::Utf16);
            assert!(now >= findings - 1, "{now} findings");
            assert!(
                converted <= 3,
                "{converted} of {now} findings converted after one edit"
            );
            if text.contains('\n') {
                // Those before the new line are kept; those after, copies.
                assert!(
                    shared > now / 3 && shared < now * 2 / 3,
                    "{shared} of {now} kept"
                );
            } else {
                assert_eq!(
                    shared,
                    now - converted,
                    "every finding not converted is kept"
                );
            }
        }
    }
}
