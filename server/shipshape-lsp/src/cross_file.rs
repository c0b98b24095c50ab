//! What a project finding says about files other than its own: the places
//! it concerns (`relatedInformation`), and the versions of the open
//! documents its cross-file fix edits (so that an edit never lands on a
//! text the fix did not see).

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use ropey::Rope;
use shipshape_core::{RelatedLocation, text::Encoding, workspace::Workspace};
use tower_lsp_server::ls_types::{DiagnosticRelatedInformation, Uri};

use crate::{convert, state::Inner};

/// The related information of a finding of the project at `root`: each
/// place converted against the text the model holds for its file (a place
/// in a file the model does not hold is left out).
pub fn related_information(
    workspace: &Workspace,
    root: &Path,
    related: &[RelatedLocation],
    encoding: Encoding,
) -> Vec<DiagnosticRelatedInformation> {
    related
        .iter()
        .filter_map(|place| {
            let absolute = root.join(&place.path);
            let text = workspace.text_of(&absolute)?;
            if place.range.end > text.len() {
                return None;
            }
            let uri = Uri::from_file_path(&absolute)?;
            Some(convert::related_information(
                uri,
                &Rope::from_str(text),
                &place.range,
                place.message.clone(),
                encoding,
            ))
        })
        .collect()
}

/// How a file a fix edits stands in the editor, given the text the fix's
/// edits were computed against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherText {
    /// Not open: the editor edits the file on disk, which the model holds.
    Unopened,
    /// Open with that very text, at this version.
    Open(i32),
    /// Open with another text: the edits would land in the wrong place.
    Changed,
}

/// How the file at `path` stands against `model_text`, the text edits of
/// it were computed on.
pub fn other_text(inner: &Inner, path: &Path, model_text: Option<&str>) -> OtherText {
    let Some(open) = inner
        .open_uri(path)
        .and_then(|uri| inner.documents.get(&uri))
    else {
        return OtherText::Unopened;
    };
    match model_text {
        Some(text) if open.document.shared_text().as_str() == text => {
            OtherText::Open(open.document.version())
        }
        _ => OtherText::Changed,
    }
}

/// The versions of the open documents, by the URI the server gives their
/// paths (the one edits of other files carry).
pub fn open_versions(inner: &Inner) -> HashMap<Uri, i32> {
    inner
        .documents
        .iter()
        .filter_map(|open| {
            let path: &PathBuf = open.absolute.as_ref()?;
            Some((Uri::from_file_path(path)?, open.document.version()))
        })
        .collect()
}
