//! Publishing diagnostics: an open document's file findings composed with
//! the project findings in it (shifted over the edits the model has not
//! seen yet), an unopened file's project findings, and the
//! `publishDiagnostics` frames that carry them. Used by the document
//! workers (`crate::diagnostics`) and the workspace's (`crate::workspace`).

use std::{
    hash::{Hash, Hasher},
    path::Path,
    sync::Arc,
};

use ropey::Rope;
use shipshape_core::{
    config::FileSettings, fix::FileChange, incremental::Shift, text::minimal_edit,
    workspace::Workspace,
};
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::{
    blocking::blocking,
    convert::{self, OtherFileData},
    cross_file::{OtherText, other_text},
    state::{Computed, Inner},
    workspace_state::{ProjectSnapshot, lock, read, try_read},
};

/// The URI of an absolute path.
pub(crate) fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// Publishes an open document's diagnostics for `version`: its file
/// findings and the project findings in it (`None`: shipshape is disabled,
/// nothing shows), unless the same were the last published (call with the
/// document's publisher locked).
pub fn publish_document(
    inner: &Inner,
    publisher: &mut crate::state::Publisher,
    uri: &Uri,
    computed: &Computed,
    project: Option<&[Diagnostic]>,
    version: i32,
) {
    let body = match project {
        Some(project) => publication(
            uri,
            (&computed.diagnostics, computed.version),
            &[project],
            Some(version),
        ),
        None => publication(uri, (&[], computed.version), &[], Some(version)),
    };
    let Some(body) = body else {
        return;
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let id = hasher.finish();
    if publisher.last == Some((version, id)) {
        return;
    }
    publisher.last = Some((version, id));
    send(inner, &body);
}

/// The body of a `textDocument/publishDiagnostics` notification holding
/// the `kept` diagnostics of an open document, stamped with the version they
/// were computed for ([`convert::Stamped`]), then those of `parts`, one after
/// the other: serialized straight from them (building a JSON value tree
/// first, as `Client::publish_diagnostics` does, costs more than the rest of
/// a keystroke on a large file).
fn publication(
    uri: &Uri,
    kept: (&[Arc<Diagnostic>], i32),
    parts: &[&[Diagnostic]],
    version: Option<i32>,
) -> Option<Vec<u8>> {
    struct Parts<'a>((&'a [Arc<Diagnostic>], i32), &'a [&'a [Diagnostic]]);
    impl serde::Serialize for Parts<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeSeq;
            let ((kept, stamp), parts) = (self.0, self.1);
            let mut seq = serializer.serialize_seq(None)?;
            for diagnostic in kept {
                seq.serialize_element(&convert::Stamped(diagnostic, stamp))?;
            }
            for diagnostic in parts.iter().flat_map(|part| part.iter()) {
                seq.serialize_element(diagnostic)?;
            }
            seq.end()
        }
    }
    #[derive(serde::Serialize)]
    struct Params<'a> {
        uri: &'a Uri,
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
        diagnostics: Parts<'a>,
    }
    #[derive(serde::Serialize)]
    struct Notification<'a> {
        jsonrpc: &'static str,
        method: &'static str,
        params: Params<'a>,
    }
    let notification = Notification {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: Params {
            uri,
            version,
            diagnostics: Parts(kept, parts),
        },
    };
    serde_json::to_vec(&notification)
        .inspect_err(|error| {
            tracing::error!(uri = uri.as_str(), "diagnostics not serialized: {error}")
        })
        .ok()
}

fn send(inner: &Inner, body: &[u8]) {
    if inner.frames.send(crate::transport::frame(body)).is_err() {
        tracing::debug!("the output is closed: a publication is dropped");
    }
}

/// Publishes diagnostics for `uri` outside a document's publisher (an
/// unopened file's, or the clearing one of `didClose`).
pub fn send_diagnostics(inner: &Inner, uri: &Uri, parts: &[&[Diagnostic]], version: Option<i32>) {
    if let Some(body) = publication(uri, (&[], 0), parts, version) {
        send(inner, &body);
    }
}

/// [`project_part`] on a blocking thread (it may wait for the model); no
/// project findings if that fails.
pub async fn project_part_blocking(
    inner: &Arc<Inner>,
    uri: &Uri,
    computed: &Arc<Computed>,
) -> Option<Vec<Diagnostic>> {
    let (task_inner, task_uri, task_computed) =
        (Arc::clone(inner), uri.clone(), Arc::clone(computed));
    blocking("composing diagnostics", move || {
        project_part(&task_inner, &task_uri, &task_computed)
    })
    .await
    .unwrap_or(Some(Vec::new()))
}

/// An open document's diagnostics: its file findings (`computed`) and the
/// project findings in it. Nothing when shipshape is disabled.
pub fn compose(inner: &Inner, uri: &Uri, computed: &Computed) -> Vec<Diagnostic> {
    match project_part(inner, uri, computed) {
        Some(project) => computed
            .diagnostics
            .iter()
            .map(|diagnostic| convert::stamped(diagnostic, computed.version))
            .chain(project)
            .collect(),
        None => Vec::new(),
    }
}

/// The project findings in an open document, for the text its file findings
/// (`computed`) were computed on; `None` when shipshape is disabled.
pub fn project_part(inner: &Inner, uri: &Uri, computed: &Computed) -> Option<Vec<Diagnostic>> {
    let (absolute, text) = match inner.documents.get(uri) {
        Some(open) => {
            let current = open.document.version() == computed.version;
            (
                open.absolute.clone(),
                current.then(|| (open.absolute.clone(), open.document.shared_text())),
            )
        }
        None => (None, None),
    };
    let settings = match &absolute {
        Some(path) => inner.settings_for(path),
        None => inner.workspace.settings(),
    };
    if !settings.enable {
        return None;
    }
    let project = match text {
        Some((Some(path), text)) => {
            project_diagnostics(inner, &path, Some(&text), computed.version).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    Some(project)
}

/// The diagnostics of the project findings in the file at `path`.
///
/// With `expected_text` (an open document's current text) this never waits
/// for the model: when the model is busy, or holds an older text of the
/// file, the findings it last gave for the file are shifted over the
/// difference of the two texts (one edit: their common prefix and suffix),
/// and findings in the changed part are left out until the model catches
/// up (it republishes then). `None` when nothing is known of the file.
pub fn project_diagnostics(
    inner: &Inner,
    path: &Path,
    expected_text: Option<&str>,
    version: i32,
) -> Option<Vec<Diagnostic>> {
    let session = inner.session.get()?;
    let settings = inner
        .workspace
        .file_settings(session.root_of(path).as_deref(), path);
    if settings.excluded {
        return Some(Vec::new());
    }
    let snapshot = match expected_text {
        // Unopened files: the model's text is the one to convert against.
        // What is published is kept too: a document opened later shows it
        // at once, even while the model is busy.
        None => {
            let snapshot = Arc::new(snapshot_of(
                inner,
                &read(&inner.workspace.model),
                path,
                &settings,
            )?);
            let mut snapshots = lock(&inner.workspace.snapshots);
            if snapshot.findings.is_empty() {
                snapshots.remove(path);
            } else {
                snapshots.insert(path.to_path_buf(), Arc::clone(&snapshot));
            }
            snapshot
        }
        Some(expected) => {
            let known = lock(&inner.workspace.snapshots).get(path).cloned();
            // A document never waits for the model: while it is being
            // written, project findings given before are shifted over the
            // edits since (a document's first diagnostics go out without
            // any), and the worker publishes it again when done. It is
            // marked first and the lock tried once more, so that a write
            // that ended in between is not missed (the worker takes the
            // marks after releasing the lock).
            //
            // The one exception: a pull client that takes no
            // `workspace/diagnostic/refresh` would never hear of the project
            // findings that follow, so its document's first answer waits
            // for a write under way (one batch; never for the typing pause).
            let follow_up = session.diagnostic_refresh || !session.pull_diagnostics;
            let model = if known.is_none() && !follow_up {
                Some(read(&inner.workspace.model))
            } else {
                try_read(&inner.workspace.model).or_else(|| {
                    lock(&inner.workspace.stale).insert(path.to_path_buf());
                    try_read(&inner.workspace.model)
                })
            };
            match (model, known) {
                (Some(model), _) => {
                    // A file the model does not hold has no project findings;
                    // an empty snapshot keeps its keystrokes from waiting.
                    let snapshot =
                        Arc::new(snapshot_of(inner, &model, path, &settings).unwrap_or_else(
                            || ProjectSnapshot {
                                text: expected.to_string(),
                                findings: Vec::new(),
                            },
                        ));
                    lock(&inner.workspace.snapshots)
                        .insert(path.to_path_buf(), Arc::clone(&snapshot));
                    snapshot
                }
                (None, Some(known)) => known,
                (None, None) => return Some(Vec::new()),
            }
        }
    };
    let text = expected_text.unwrap_or(&snapshot.text);
    let shift = text_shift(&snapshot.text, text);
    let rope = Rope::from_str(text);
    let mut out = Vec::new();
    for (finding, other_files, related) in &snapshot.findings {
        let mut finding = finding.clone();
        if let Some(shift) = &shift {
            let Some(range) = shift.range(&finding.range) else {
                continue;
            };
            finding.range = range;
            // A fix touching the edit is left out until the model catches up.
            finding.fix = finding.fix.as_ref().and_then(|fix| shift.fix(fix));
        }
        let other_files = if finding.fix.is_some() {
            other_files.clone()
        } else {
            Vec::new()
        };
        out.push(convert::project_diagnostic(
            &rope,
            &finding,
            version,
            session.encoding,
            other_files,
            related.clone(),
        ));
    }
    Some(out)
}

/// The one edit that turns `old` into `new` (their common prefix and
/// suffix, on character boundaries); `None` when they are equal.
fn text_shift(old: &str, new: &str) -> Option<Shift> {
    let edit = minimal_edit(old, new)?;
    Some(Shift::new(edit.range, edit.new_text.len()))
}

/// The project findings the model holds for `path`, under the file's
/// settings, with the edits of other files their fixes make.
fn snapshot_of(
    inner: &Inner,
    model: &Option<Workspace>,
    path: &Path,
    settings: &FileSettings,
) -> Option<ProjectSnapshot> {
    let session = inner.session.get()?;
    let workspace = model.as_ref()?;
    let text = workspace.text_of(path)?;
    let root = workspace.root_of(path)?.to_path_buf();
    let mut findings = Vec::new();
    for found in workspace.findings_in(path) {
        let Some(severity) = settings.severity(found.finding.rule) else {
            continue;
        };
        let mut finding = found.finding.clone();
        finding.severity = severity;
        let mut other_files = Vec::new();
        if let Some(fix) = &finding.fix {
            for change in &fix.other_files {
                let absolute = root.join(change.path());
                let Some(uri) = uri_of(&absolute) else {
                    continue;
                };
                match change {
                    FileChange::Create { text, .. } => other_files.push(OtherFileData {
                        uri,
                        version: None,
                        edits: Vec::new(),
                        create: Some(text.clone()),
                    }),
                    FileChange::Edit { edits, .. } => {
                        let model_text = workspace.text_of(&absolute);
                        let version = match other_text(inner, &absolute, model_text) {
                            OtherText::Unopened => Some(None),
                            OtherText::Open(version) => Some(Some(version)),
                            // The editor's text moved on: the next
                            // publication brings the fix again.
                            OtherText::Changed => None,
                        };
                        match (model_text, version) {
                            (Some(other_text), Some(version)) => {
                                let mut data = convert::other_file_edits(
                                    uri,
                                    &Rope::from_str(other_text),
                                    &edits[..],
                                    session.encoding,
                                );
                                data.version = version;
                                other_files.push(data);
                            }
                            _ => {
                                tracing::debug!(path = %absolute.display(), "a fix edits a file the model does not hold, or an open document changed since: dropped");
                                finding.fix = None;
                                other_files.clear();
                                break;
                            }
                        }
                    }
                }
            }
        }
        let related = crate::cross_file::related_information(
            workspace,
            &root,
            &found.related,
            session.encoding,
        );
        findings.push((finding, other_files, related));
    }
    Some(ProjectSnapshot {
        text: text.to_string(),
        findings,
    })
}

/// A result id for a list of diagnostics: equal lists, equal ids.
pub fn result_id(diagnostics: &[Diagnostic]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(diagnostics)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod shift_tests {
    use super::*;

    /// The difference of two texts is one edit on character boundaries,
    /// and ranges outside it map onto the new text.
    #[test]
    fn text_shift_finds_the_one_edit_between_two_texts() {
        assert_eq!(text_shift("abc", "abc"), None);
        let old = "app = FastAPI()\nx = 1\nprint(x)\n";
        let new = "app = FastAPI()\nx = 12\nprint(x)\n";
        let shift = text_shift(old, new).unwrap();
        let app = 0..13;
        assert_eq!(shift.range(&app), Some(app.clone()));
        let print = old.find("print").unwrap()..old.len() - 1;
        let moved = shift.range(&print).unwrap();
        assert_eq!(&new[moved], "print(x)");
        // Inside the edit: unknown until the model catches up.
        assert_eq!(shift.range(&(18..22)), None);
        // Multi-byte characters are never split.
        let shift = text_shift("a é b", "a è b").unwrap();
        assert!("a é b".is_char_boundary(shift.old.start));
        assert!("a é b".is_char_boundary(shift.old.end));
        // Repeated text: the shift is still a valid one edit.
        let shift = text_shift("aaaa", "aaaaa").unwrap();
        assert_eq!(shift.old.end - shift.old.start + 1, shift.new_len);
    }
}
