//! Mapping between the core's types and LSP's. Positions go through
//! `shipshape_core::text::LineIndex` — the one place that counts columns;
//! this module only moves fields between structs.

use std::{collections::HashMap, str::FromStr, sync::LazyLock};

use ropey::Rope;
use serde::{Deserialize, Serialize};
use shipshape_core::{
    Finding, Severity,
    text::{Encoding, LineIndex, Position as CorePosition, TextEdit as CoreEdit},
};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Position, PositionEncodingKind, Range, TextEdit, Uri,
};

/// The name diagnostics carry as their `source`.
pub const SOURCE: &str = "shipshape";

/// The encoding to use given what the client offers: UTF-8 when offered,
/// else UTF-32, else UTF-16 (which every client supports).
pub fn negotiate_encoding(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    let offered = offered.unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn core_position(position: Position) -> CorePosition {
    CorePosition::new(position.line, position.character)
}

pub fn lsp_position(position: CorePosition) -> Position {
    Position::new(position.line, position.column)
}

/// The LSP range of a byte range.
pub fn lsp_range(
    index: &LineIndex<'_>,
    range: &std::ops::Range<usize>,
    encoding: Encoding,
) -> Range {
    Range::new(
        lsp_position(index.position(range.start, encoding)),
        lsp_position(index.position(range.end, encoding)),
    )
}

/// An LSP edit from a byte-offset edit of the same text.
pub fn lsp_edit(index: &LineIndex<'_>, edit: &CoreEdit, encoding: Encoding) -> TextEdit {
    TextEdit::new(
        lsp_range(index, &edit.range, encoding),
        edit.new_text.clone(),
    )
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// What a diagnostic carries in `data` so that a code action needs no
/// server-side state: the edits of its fixes, computed for `version`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticData {
    /// The document version the edits apply to.
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixData>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
    /// What a fix of a project rule changes in other files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_files: Vec<OtherFileData>,
}

/// A change of a cross-file fix to another file: edits of an existing file
/// (positions in the text the server holds for it), or a file to create.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherFileData {
    pub uri: Uri,
    /// The version of the open document the edits were computed for
    /// (`None`: the file was not open; its text on disk was used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<TextEdit>,
    /// The text of a file to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<String>,
}

/// The data of another file's edits, converted against its text.
pub fn other_file_edits(
    uri: Uri,
    rope: &Rope,
    edits: &[CoreEdit],
    encoding: Encoding,
) -> OtherFileData {
    let index = LineIndex::new(rope);
    OtherFileData {
        uri,
        version: None,
        edits: edits
            .iter()
            .map(|edit| lsp_edit(&index, edit, encoding))
            .collect(),
        create: None,
    }
}

/// A place in another file a finding concerns, converted against that
/// file's text.
pub fn related_information(
    uri: Uri,
    rope: &Rope,
    range: &std::ops::Range<usize>,
    message: String,
    encoding: Encoding,
) -> DiagnosticRelatedInformation {
    let index = LineIndex::new(rope);
    DiagnosticRelatedInformation {
        location: Location::new(uri, lsp_range(&index, range, encoding)),
        message,
    }
}

/// The diagnostic of a project finding: [`diagnostic`] with the changes its
/// fix makes to other files and the places in other files it concerns.
pub fn project_diagnostic(
    rope: &Rope,
    finding: &Finding,
    version: i32,
    encoding: Encoding,
    other_files: Vec<OtherFileData>,
    related: Vec<DiagnosticRelatedInformation>,
) -> Diagnostic {
    let mut diagnostic = diagnostic(&LineIndex::new(rope), finding, version, encoding);
    if !related.is_empty() {
        diagnostic.related_information = Some(related);
    }
    if !other_files.is_empty()
        && let Some(mut data) = DiagnosticData::of(&diagnostic)
        && let Some(fix) = &mut data.fix
    {
        fix.other_files = other_files;
        diagnostic.data = serde_json::to_value(data).ok();
    }
    diagnostic
}

impl DiagnosticData {
    /// The data of a diagnostic of ours, if it has readable data.
    pub fn of(diagnostic: &Diagnostic) -> Option<DiagnosticData> {
        if diagnostic.source.as_deref() != Some(SOURCE) {
            return None;
        }
        serde_json::from_value(diagnostic.data.clone()?).ok()
    }
}

/// The rule id of a diagnostic of ours.
pub fn rule_id(diagnostic: &Diagnostic) -> Option<&str> {
    match &diagnostic.code {
        Some(NumberOrString::String(id)) if diagnostic.source.as_deref() == Some(SOURCE) => {
            Some(id)
        }
        _ => None,
    }
}

/// The link to a rule's documentation, parsed once per rule.
fn doc_link(id: &str) -> Option<CodeDescription> {
    static LINKS: LazyLock<HashMap<&'static str, Uri>> = LazyLock::new(|| {
        shipshape_core::registry()
            .rules
            .iter()
            .filter_map(|rule| Some((rule.id, Uri::from_str(&rule.doc_url()).ok()?)))
            .collect()
    });
    LINKS
        .get(id)
        .map(|href| CodeDescription { href: href.clone() })
}

/// The diagnostic of a finding in a text at `version`.
pub fn diagnostic(
    index: &LineIndex<'_>,
    finding: &Finding,
    version: i32,
    encoding: Encoding,
) -> Diagnostic {
    let rule = finding.rule;
    let data = DiagnosticData {
        version,
        fix: finding.fix.as_ref().map(|fix| FixData {
            title: fix.title.clone(),
            safe: fix.is_safe(),
            edits: fix
                .edits
                .iter()
                .map(|edit| lsp_edit(index, edit, encoding))
                .collect(),
            other_files: Vec::new(),
        }),
    };
    Diagnostic {
        range: lsp_range(index, &finding.range, encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(rule.id.to_string())),
        code_description: doc_link(rule.id),
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        related_information: None,
        // Suppression comments that suppress nothing are tagged
        // `Unnecessary` (editors fade the comment out).
        tags: rule
            .is(shipshape_core::rule::ids::UNUSED_SUPPRESSION)
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: serde_json::to_value(data).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_prefers_utf8_then_utf32_then_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(
            negotiate_encoding(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            negotiate_encoding(Some(&[K::UTF16, K::UTF32])),
            Encoding::Utf32
        );
        assert_eq!(negotiate_encoding(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(
            negotiate_encoding(Some(&[K::new("utf-7")])),
            Encoding::Utf16
        );
        assert_eq!(negotiate_encoding(None), Encoding::Utf16);
    }

    #[test]
    fn data_round_trips_and_foreign_diagnostics_are_ignored() {
        let data = DiagnosticData {
            version: 7,
            fix: Some(FixData {
                title: "t".into(),
                safe: true,
                edits: vec![TextEdit::new(Range::default(), "x".into())],
                other_files: Vec::new(),
            }),
        };
        let mut diagnostic = Diagnostic {
            source: Some(SOURCE.into()),
            data: serde_json::to_value(&data).ok(),
            ..Diagnostic::default()
        };
        assert_eq!(DiagnosticData::of(&diagnostic), Some(data));
        diagnostic.source = Some("ruff".into());
        assert_eq!(DiagnosticData::of(&diagnostic), None);
    }
}
