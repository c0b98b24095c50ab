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
            &mut publisher.encoded,
        ),
        None => publication(
            uri,
            (&[], computed.version),
            &[],
            Some(version),
            &mut publisher.encoded,
        ),
    };
    let Some(body) = body else {
        return;
    };
    if publisher
        .last
        .as_ref()
        .is_some_and(|(last, sent)| *last == version && *sent == body)
    {
        return;
    }
    send(inner, &body);
    publisher.last = Some((version, body));
}

/// The body of a `textDocument/publishDiagnostics` notification holding
/// the `kept` diagnostics of an open document, stamped with the version they
/// were computed for ([`convert::Stamped`]), then those of `parts`, one after
/// the other: written straight from them (building a JSON value tree
/// first, as `Client::publish_diagnostics` does, costs more than the rest of
/// a keystroke on a large file), the kept ones from `encodings`.
fn publication(
    uri: &Uri,
    (kept, stamp): (&[Arc<Diagnostic>], i32),
    parts: &[&[Diagnostic]],
    version: Option<i32>,
    encodings: &mut convert::Encodings,
) -> Option<Vec<u8>> {
    let written = (|| {
        let encoded = encodings.take(kept)?;
        let mut body = Vec::with_capacity(
            encoded
                .iter()
                .map(|encoded| encoded.size() + 12)
                .sum::<usize>()
                + 256,
        );
        body.extend_from_slice(
            br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
        );
        serde_json::to_writer(&mut body, uri).ok()?;
        if let Some(version) = version {
            body.extend_from_slice(br#","version":"#);
            body.extend_from_slice(version.to_string().as_bytes());
        }
        body.extend_from_slice(br#","diagnostics":["#);
        let mut first = true;
        let mut comma = |body: &mut Vec<u8>| {
            if !std::mem::take(&mut first) {
                body.push(b',');
            }
        };
        let stamp = stamp.to_string();
        for encoded in &encoded {
            comma(&mut body);
            encoded.write(stamp.as_bytes(), &mut body);
        }
        for diagnostic in parts.iter().flat_map(|part| part.iter()) {
            comma(&mut body);
            serde_json::to_writer(&mut body, diagnostic).ok()?;
        }
        body.extend_from_slice(b"]}}");
        Some(body)
    })();
    if written.is_none() {
        tracing::error!(uri = uri.as_str(), "diagnostics not serialized");
    }
    written
}

fn send(inner: &Inner, body: &[u8]) {
    if inner.frames.send(crate::transport::frame(body)).is_err() {
        tracing::debug!("the output is closed: a publication is dropped");
    }
}

/// Publishes diagnostics for `uri` outside a document's publisher (an
/// unopened file's, or the clearing one of `didClose`).
pub fn send_diagnostics(inner: &Inner, uri: &Uri, parts: &[&[Diagnostic]], version: Option<i32>) {
    if let Some(body) = publication(
        uri,
        (&[], 0),
        parts,
        version,
        &mut convert::Encodings::default(),
    ) {
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
                current.then(|| {
                    let document = &open.document;
                    (
                        open.absolute.clone(),
                        (document.shared_text(), document.rope().clone()),
                    )
                }),
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
        Some((Some(path), (text, rope))) => {
            project_diagnostics(inner, &path, Some((&text, &rope)), computed.version)
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    Some(project)
}

/// The diagnostics of the project findings in the file at `path`.
///
/// With `expected_text` (an open document's current text, and its rope) this never waits
/// for the model: when the model is busy, or holds an older text of the
/// file, the findings it last gave for the file are shifted over the
/// difference of the two texts (one edit: their common prefix and suffix),
/// and findings in the changed part are left out until the model catches
/// up (it republishes then). `None` when nothing is known of the file.
pub fn project_diagnostics(
    inner: &Inner,
    path: &Path,
    expected_text: Option<(&str, &Rope)>,
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
        Some(_) => {
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
                        Arc::new(snapshot_of(inner, &model, path, &settings).unwrap_or_default());
                    lock(&inner.workspace.snapshots)
                        .insert(path.to_path_buf(), Arc::clone(&snapshot));
                    snapshot
                }
                (None, Some(known)) => known,
                (None, None) => return Some(Vec::new()),
            }
        }
    };
    // Most files have no project findings: nothing to shift or convert (the
    // snapshot then keeps no text either).
    if snapshot.findings.is_empty() {
        return Some(Vec::new());
    }
    let built;
    let (rope, shift) = match expected_text {
        Some((text, rope)) => (rope, text_shift(&snapshot.text, text)),
        None => {
            built = Rope::from_str(&snapshot.text);
            (&built, None)
        }
    };
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
            rope,
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
        // Only findings are shifted over the text's later edits.
        text: if findings.is_empty() {
            String::new()
        } else {
            text.to_string()
        },
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

#[cfg(test)]
mod publication_tests {
    use std::str::FromStr;

    use tower_lsp_server::ls_types::{NumberOrString, Position, PublishDiagnosticsParams, Range};

    use super::*;

    fn diagnostic(line: u32, with_data: bool) -> Arc<Diagnostic> {
        Arc::new(Diagnostic {
            range: Range::new(Position::new(line, 0), Position::new(line, 4)),
            code: Some(NumberOrString::String("bare-except".into())),
            source: Some(convert::SOURCE.into()),
            message: format!("line {line}: \"quoted\" \\ and é"),
            data: with_data
                .then(|| serde_json::json!({"fix": {"title": "t", "safe": true, "edits": []}})),
            ..Diagnostic::default()
        })
    }

    /// What a publication must be: the notification as serde writes it,
    /// the kept diagnostics stamped.
    fn expected(
        uri: &Uri,
        kept: &[Arc<Diagnostic>],
        stamp: i32,
        part: &[Diagnostic],
        version: Option<i32>,
    ) -> serde_json::Value {
        let diagnostics = kept
            .iter()
            .map(|diagnostic| convert::stamped(diagnostic, stamp))
            .chain(part.iter().cloned())
            .collect();
        serde_json::json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version },
        })
    }

    /// A publication is the notification serde writes, and a second one
    /// serializes only the diagnostics the first did not send.
    #[test]
    fn kept_diagnostics_are_serialized_once_and_sent_stamped() {
        let uri = Uri::from_str("file:///app/main%20x.py").unwrap();
        let kept: Vec<_> = (0..5).map(|line| diagnostic(line, line % 2 == 0)).collect();
        let part = vec![Diagnostic::clone(&diagnostic(9, true))];
        let mut encodings = convert::Encodings::default();
        for (kept, stamp, version) in [
            (&kept[..], 3, Some(3)),
            (&kept[..], 4, None),
            (&kept[..0], 4, Some(4)),
        ] {
            let body = publication(&uri, (kept, stamp), &[&part], version, &mut encodings).unwrap();
            let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(sent, expected(&uri, kept, stamp, &part, version));
        }
        // Kept again after the empty one: serialized again, once.
        publication(&uri, (&kept, 5), &[], Some(5), &mut encodings).unwrap();
        assert_eq!(encodings.fresh, 5);
        let mut next = kept.clone();
        next[1] = diagnostic(1, true);
        next.push(diagnostic(7, false));
        let body = publication(&uri, (&next, 6), &[], Some(6), &mut encodings).unwrap();
        assert_eq!(encodings.fresh, 2);
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(sent, expected(&uri, &next, 6, &[], Some(6)));
        // Byte for byte what serde writes from the notification's structs.
        #[derive(serde::Serialize)]
        struct Params<'a> {
            uri: &'a Uri,
            version: Option<i32>,
            diagnostics: Vec<convert::Stamped<'a>>,
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
                uri: &uri,
                version: Some(6),
                diagnostics: next.iter().map(|d| convert::Stamped(d, 6)).collect(),
            },
        };
        assert_eq!(
            String::from_utf8(body).unwrap(),
            serde_json::to_string(&notification).unwrap()
        );
    }
}
