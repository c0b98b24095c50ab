//! Turning a document snapshot into LSP diagnostics on a blocking thread
//! (`crate::blocking`); and the per-document worker that publishes them
//! in push mode, coalescing bursts of changes (the latest version wins).

use std::sync::Arc;

use shipshape_core::text::{Encoding, LineIndex};
use tower_lsp_server::ls_types::Uri;

use crate::{
    blocking::blocking,
    convert,
    document::{Analysis, Snapshot, analyze},
    state::{Computed, Inner},
};

/// Parses and checks a snapshot and converts the findings, on a blocking
/// thread. `None` if the rules panicked (logged).
pub async fn compute(
    snapshot: Snapshot,
    encoding: Encoding,
    open_id: u64,
) -> Option<(Analysis, Computed)> {
    let path = snapshot.path.clone();
    let version = snapshot.version;
    let result = blocking("checking a document", move || {
        let analysis = analyze(&snapshot);
        let index = LineIndex::new(&snapshot.rope);
        let diagnostics = analysis
            .findings
            .iter()
            .map(|finding| convert::diagnostic(&index, finding, snapshot.version, encoding))
            .collect();
        let computed = Computed {
            version,
            result_id: format!("{open_id}:{version}"),
            diagnostics,
        };
        (analysis, computed)
    })
    .await;
    if result.is_none() {
        tracing::error!(path = %path.display(), version, "no diagnostics for this version");
    }
    result
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
        let (snapshot, open_id, publisher) = {
            let Some(mut open) = inner.documents.get_mut(&uri) else {
                return;
            };
            open.dirty = false;
            (open.snapshot(), open.open_id, Arc::clone(&open.publisher))
        };
        let version = snapshot.version;
        if let Some((analysis, computed)) = compute(snapshot, session.encoding, open_id).await {
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
