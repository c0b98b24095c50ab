//! Mapping between the core's types and LSP's. Positions go through
//! `shipshape_core::text::LineIndex` — the one place that counts columns;
//! this module only moves fields between structs.

use std::{
    collections::HashMap,
    str::FromStr,
    sync::{Arc, LazyLock},
};

use ropey::Rope;
use serde::{Deserialize, Serialize, ser::SerializeMap};
use serde_json::Value;
use shipshape_core::{
    Finding, Severity,
    text::{Encoding, LineIndex, Position as CorePosition, Shift, TextEdit as CoreEdit},
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
    /// The document version the edits apply to. An open document's
    /// diagnostics are kept without it and stamped as they go out
    /// ([`Stamped`], [`stamped`]): a keystroke reuses them as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
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
    let mut diagnostic = diagnostic(&LineIndex::new(rope), finding, encoding);
    if !related.is_empty() {
        diagnostic.related_information = Some(related);
    }
    if let Some(mut data) = DiagnosticData::of(&diagnostic) {
        data.version = Some(version);
        if let Some(fix) = &mut data.fix {
            fix.other_files = other_files;
        }
        diagnostic.data = serde_json::to_value(data).ok();
    }
    diagnostic
}

/// A diagnostic as it is sent: its `data` stamped with the document version
/// its edits apply to. Serialized field by field as `Diagnostic` is (a test
/// holds the two equal), so that an open document's kept diagnostics are
/// sent without a copy.
pub struct Stamped<'a>(pub &'a Diagnostic, pub i32);

impl Serialize for Stamped<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_fields(self.0, Some(self.1), serializer)
    }
}

/// A diagnostic without its `data`: what goes before the stamp.
struct WithoutData<'a>(&'a Diagnostic);

impl Serialize for WithoutData<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_fields(self.0, None, serializer)
    }
}

/// A diagnostic's `data` object with `version` first, set to the stamp.
struct StampedData<'a>(&'a serde_json::Map<String, Value>, i32);

impl Serialize for StampedData<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("version", &self.1)?;
        for (key, value) in self.0.iter().filter(|(key, _)| *key != "version") {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The fields of a diagnostic in `Diagnostic`'s order; its `data` stamped
/// with `stamp`, or left out without one.
fn serialize_fields<S: serde::Serializer>(
    diagnostic: &Diagnostic,
    stamp: Option<i32>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("range", &diagnostic.range)?;
    if let Some(severity) = &diagnostic.severity {
        map.serialize_entry("severity", severity)?;
    }
    if let Some(code) = &diagnostic.code {
        map.serialize_entry("code", code)?;
    }
    if let Some(description) = &diagnostic.code_description {
        map.serialize_entry("codeDescription", description)?;
    }
    if let Some(source) = &diagnostic.source {
        map.serialize_entry("source", source)?;
    }
    map.serialize_entry("message", &diagnostic.message)?;
    if let Some(related) = &diagnostic.related_information {
        map.serialize_entry("relatedInformation", related)?;
    }
    if let Some(tags) = &diagnostic.tags {
        map.serialize_entry("tags", tags)?;
    }
    match (&diagnostic.data, stamp) {
        (_, None) | (None, _) => {}
        (Some(Value::Object(data)), Some(stamp)) => {
            map.serialize_entry("data", &StampedData(data, stamp))?
        }
        (Some(data), Some(_)) => map.serialize_entry("data", data)?,
    }
    map.end()
}

/// A kept diagnostic's JSON as [`Stamped`] writes it, cut where the
/// version goes: a keystroke that keeps a diagnostic sends it again,
/// stamped with the new version, without serializing it again.
pub struct Encoded {
    head: Box<[u8]>,
    /// What follows the version; `None` when there is no stamp (no data,
    /// or data that is not an object): `head` is all of it.
    tail: Option<Box<[u8]>>,
}

impl Encoded {
    pub fn of(diagnostic: &Diagnostic) -> serde_json::Result<Encoded> {
        let Some(Value::Object(data)) = &diagnostic.data else {
            return Ok(Encoded {
                head: serde_json::to_vec(&Stamped(diagnostic, 0))?.into(),
                tail: None,
            });
        };
        // Its fields but `data`, then `data` stamped, whose first entry is
        // the version: the head ends before the version's digits.
        let mut head = serde_json::to_vec(&WithoutData(diagnostic))?;
        head.pop(); // its closing brace
        head.extend_from_slice(br#","data":{"version":"#);
        let data = serde_json::to_vec(&StampedData(data, 0))?;
        let mut tail = data
            .strip_prefix(br#"{"version":0"#.as_slice())
            .ok_or_else(|| serde::ser::Error::custom("stamped data does not start with the stamp"))?
            .to_vec();
        tail.push(b'}');
        Ok(Encoded {
            head: head.into(),
            tail: Some(tail.into()),
        })
    }

    /// Its size in bytes without the version.
    pub fn size(&self) -> usize {
        self.head.len() + self.tail.as_ref().map_or(0, |tail| tail.len())
    }

    /// Appends the diagnostic stamped with `version`, given as its decimal
    /// digits (formatted once for a whole publication).
    pub fn write(&self, version: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(&self.head);
        if let Some(tail) = &self.tail {
            out.extend_from_slice(version);
            out.extend_from_slice(tail);
        }
    }
}

/// The JSON of the kept diagnostics of an open document's last publication
/// ([`Encoded`]), by diagnostic: a keystroke keeps most of them
/// (the same `Arc`), and they are sent again without being serialized again.
#[derive(Default)]
pub struct Encodings {
    /// By the address of the diagnostic, which the entry holds: it cannot
    /// be reused for another diagnostic while the entry lives.
    by_diagnostic: HashMap<usize, (Arc<Diagnostic>, Arc<Encoded>)>,
    /// How many diagnostics the last publication serialized anew.
    pub fresh: usize,
}

impl Encodings {
    /// The encoding of each of `kept`, from the last publication's where it
    /// has one; those of diagnostics no longer kept are dropped.
    pub(crate) fn take(&mut self, kept: &[Arc<Diagnostic>]) -> Option<Vec<Arc<Encoded>>> {
        let mut last = std::mem::take(&mut self.by_diagnostic);
        self.fresh = 0;
        let mut encodings = Vec::with_capacity(kept.len());
        for diagnostic in kept {
            let key = Arc::as_ptr(diagnostic) as usize;
            let encoded = match last.remove(&key) {
                Some((_, encoded)) => encoded,
                None => {
                    self.fresh += 1;
                    match Encoded::of(diagnostic) {
                        Ok(encoded) => Arc::new(encoded),
                        Err(error) => {
                            tracing::error!("a diagnostic not serialized: {error}");
                            return None;
                        }
                    }
                }
            };
            self.by_diagnostic
                .insert(key, (Arc::clone(diagnostic), Arc::clone(&encoded)));
            encodings.push(encoded);
        }
        Some(encodings)
    }
}

/// A copy of a kept diagnostic, stamped as [`Stamped`] sends it (for a pull
/// or hover, which hand out owned diagnostics).
pub fn stamped(diagnostic: &Diagnostic, version: i32) -> Diagnostic {
    let mut diagnostic = diagnostic.clone();
    if let Some(Value::Object(data)) = &mut diagnostic.data {
        data.insert("version".into(), Value::from(version));
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

/// The diagnostic of a finding in a text, its `data` not stamped with a
/// version (see [`Stamped`]).
pub fn diagnostic(index: &LineIndex<'_>, finding: &Finding, encoding: Encoding) -> Diagnostic {
    let rule = finding.rule;
    let data = DiagnosticData {
        version: None,
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

/// What a document's diagnostics were converted from: the next version's
/// conversion reuses the diagnostics of the findings an edit left alone.
pub struct Basis {
    rope: Rope,
    encoding: Encoding,
    /// The findings, in the order of the diagnostics made from them.
    findings: Vec<Finding>,
}

impl Basis {
    /// The findings the diagnostics were made from, in their order.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// A document's last diagnostics and the edit of its text since them.
pub struct Previous<'a> {
    pub basis: &'a Basis,
    pub diagnostics: &'a [Arc<Diagnostic>],
    /// The edits since, as one (`Snapshot::pending`).
    pub edit: &'a Shift,
}

/// The diagnostics of a text's findings, with their basis for the next
/// version.
pub struct Conversion {
    /// Not stamped with a version (see [`Stamped`]); shared with the next
    /// version's conversion, which reuses most of them as they are.
    pub diagnostics: Vec<Arc<Diagnostic>>,
    pub basis: Basis,
    /// How many findings were converted rather than reused: a keystroke's
    /// conversion grows with the findings it changed, not with the file.
    pub converted: usize,
}

/// The diagnostics of `findings` in `rope`.
///
/// With the `previous` version's diagnostics, a finding that is the same
/// after moving over the edit, and lies wholly on lines the edit did not
/// touch, takes its previous diagnostic (its fix edits are as valid as its
/// range): the same one before the edit, and after it a copy moved by the
/// edit's line count (columns do not change on a line the edit left alone),
/// so a keystroke that adds or removes no line copies none. The rest are
/// converted.
pub fn diagnostics(
    rope: &Rope,
    findings: Vec<Finding>,
    encoding: Encoding,
    previous: Option<Previous<'_>>,
) -> Conversion {
    let index = LineIndex::new(rope);
    let reuse = previous.and_then(|previous| Reuse::new(previous, rope, encoding));
    let mut converted = 0;
    let diagnostics = findings
        .iter()
        .map(|finding| {
            reuse
                .as_ref()
                .and_then(|reuse| reuse.diagnostic(finding))
                .unwrap_or_else(|| {
                    converted += 1;
                    Arc::new(diagnostic(&index, finding, encoding))
                })
        })
        .collect();
    Conversion {
        diagnostics,
        basis: Basis {
            rope: rope.clone(),
            encoding,
            findings,
        },
        converted,
    }
}

/// Where the lines an edit touched lie in the previous text, and how far
/// what follows them moved.
struct Untouched<'a> {
    edit: &'a Shift,
    /// Offsets before this are on lines before the edit's first: their
    /// positions did not change.
    before_end: usize,
    /// Offsets from this on are on lines after the edit's last: their
    /// bytes and lines moved (`Shift::range`), their columns did not.
    after_start: usize,
    line_delta: i64,
}

impl Untouched<'_> {
    /// A range of the previous text in the new one, and whether it moved
    /// lines; `None` when it is on a line the edit touched.
    fn moved(&self, range: &std::ops::Range<usize>) -> Option<(std::ops::Range<usize>, bool)> {
        if range.end < self.before_end {
            Some((range.clone(), false))
        } else if range.start >= self.after_start {
            Some((self.edit.range(range)?, true))
        } else {
            None
        }
    }
}

/// The previous diagnostics that may be reused, by their finding's range in
/// the new text.
struct Reuse<'a> {
    previous: Previous<'a>,
    /// (new start, new end, index of the previous finding), sorted.
    candidates: Vec<(usize, usize, usize)>,
    untouched: Untouched<'a>,
}

impl<'a> Reuse<'a> {
    fn new(previous: Previous<'a>, rope: &Rope, encoding: Encoding) -> Option<Reuse<'a>> {
        let Previous {
            basis,
            diagnostics,
            edit,
        } = &previous;
        let old_len = basis.rope.len_bytes();
        // Diagnostics of another encoding, or an edit that does not lead
        // from the previous text to this one, are of no use.
        if basis.encoding != encoding
            || diagnostics.len() != basis.findings.len()
            || edit.old.start > edit.old.end
            || edit.old.end > old_len
            || old_len - (edit.old.end - edit.old.start) + edit.new_len != rope.len_bytes()
        {
            return None;
        }
        let old = LineIndex::new(&basis.rope);
        let untouched = if edit.is_identity() {
            Untouched {
                edit,
                before_end: usize::MAX,
                after_start: usize::MAX,
                line_delta: 0,
            }
        } else {
            let end_line = old.line(edit.old.end);
            let new_end_line = LineIndex::new(rope).line(edit.old.start + edit.new_len);
            Untouched {
                edit,
                before_end: old.line_start(old.line(edit.old.start)),
                after_start: if end_line + 1 < basis.rope.len_lines() {
                    old.line_start(end_line + 1)
                } else {
                    usize::MAX
                },
                line_delta: new_end_line as i64 - end_line as i64,
            }
        };
        // A finding is a candidate when its range and each of its fix's
        // edits are on untouched lines (a fix may insert an import above
        // the edit for a finding below it).
        let candidates = basis
            .findings
            .iter()
            .enumerate()
            .filter_map(|(index, finding)| {
                let (range, _) = untouched.moved(&finding.range)?;
                let fix_untouched = finding.fix.iter().all(|fix| {
                    fix.edits
                        .iter()
                        .all(|edit| untouched.moved(&edit.range).is_some())
                });
                fix_untouched.then_some((range.start, range.end, index))
            });
        let mut candidates: Vec<_> = candidates.collect();
        candidates.sort_unstable();
        Some(Reuse {
            previous,
            candidates,
            untouched,
        })
    }

    /// The previous diagnostic of a finding equal to `finding` once moved,
    /// moved with it.
    fn diagnostic(&self, finding: &Finding) -> Option<Arc<Diagnostic>> {
        let key = (finding.range.start, finding.range.end);
        let first = self
            .candidates
            .partition_point(|&(start, end, _)| (start, end) < key);
        let index = self.candidates[first..]
            .iter()
            .take_while(|&&(start, end, _)| (start, end) == key)
            .map(|&(_, _, index)| index)
            .find(|&index| self.same_once_moved(&self.previous.basis.findings[index], finding))?;
        Some(self.moved(
            &self.previous.diagnostics[index],
            &self.previous.basis.findings[index],
        ))
    }

    /// Whether `old`, moved over the edit, converts to the same diagnostic
    /// as `new` (rule, severity, message, range, fix).
    fn same_once_moved(&self, old: &Finding, new: &Finding) -> bool {
        let same = |old: &std::ops::Range<usize>, new: &std::ops::Range<usize>| {
            self.untouched
                .moved(old)
                .is_some_and(|(moved, _)| moved == *new)
        };
        old.rule.id == new.rule.id
            && old.severity == new.severity
            && same(&old.range, &new.range)
            && old.message == new.message
            && match (&old.fix, &new.fix) {
                (None, None) => true,
                (Some(old), Some(new)) => {
                    old.title == new.title
                        && old.applicability == new.applicability
                        && old.other_files == new.other_files
                        && old.edits.len() == new.edits.len()
                        && old.edits.iter().zip(&new.edits).all(|(old, new)| {
                            same(&old.range, &new.range) && old.new_text == new.new_text
                        })
                }
                _ => false,
            }
    }

    /// A reused diagnostic of `finding` (previous text): itself, or, when
    /// its range or a fix edit lies after the edit and the edit changed the
    /// line count, a copy with those moved by it.
    fn moved(&self, diagnostic: &Arc<Diagnostic>, finding: &Finding) -> Arc<Diagnostic> {
        let line_delta = self.untouched.line_delta;
        let after = |range: &std::ops::Range<usize>| {
            line_delta != 0 && self.untouched.moved(range).is_some_and(|(_, after)| after)
        };
        let range_after = after(&finding.range);
        let fix_after = finding
            .fix
            .as_ref()
            .filter(|fix| fix.edits.iter().any(|edit| after(&edit.range)));
        if !range_after && fix_after.is_none() {
            return Arc::clone(diagnostic);
        }
        let mut diagnostic = Diagnostic::clone(diagnostic);
        if range_after {
            for position in [&mut diagnostic.range.start, &mut diagnostic.range.end] {
                position.line = (i64::from(position.line) + line_delta) as u32;
            }
        }
        let (Some(fix), Some(Value::Object(data))) = (fix_after, &mut diagnostic.data) else {
            return Arc::new(diagnostic);
        };
        let edits = data
            .get_mut("fix")
            .and_then(|fix| fix.get_mut("edits"))
            .and_then(Value::as_array_mut);
        // The data's edits are the fix's, in order (see `diagnostic`).
        for (edit, data) in fix.edits.iter().zip(edits.into_iter().flatten()) {
            if !after(&edit.range) {
                continue;
            }
            let Some(range) = data.get_mut("range") else {
                continue;
            };
            for end in ["start", "end"] {
                if let Some(line) = range
                    .get_mut(end)
                    .and_then(|position| position.get_mut("line"))
                    && let Some(old) = line.as_i64()
                {
                    *line = Value::from(old + line_delta);
                }
            }
        }
        Arc::new(diagnostic)
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
            version: Some(7),
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

    /// A kept diagnostic goes out as the diagnostic with `version` in its
    /// data would: every field, with and without data.
    #[test]
    fn a_stamped_diagnostic_serializes_as_the_diagnostic_stamped() {
        let uri = Uri::from_str("file:///app/main.py").unwrap();
        let data = DiagnosticData {
            version: None,
            fix: Some(FixData {
                title: "t".into(),
                safe: false,
                edits: vec![TextEdit::new(Range::default(), "x".into())],
                other_files: Vec::new(),
            }),
        };
        let full = Diagnostic {
            range: Range::new(Position::new(1, 2), Position::new(3, 4)),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String("bare-except".into())),
            code_description: Some(CodeDescription { href: uri.clone() }),
            source: Some(SOURCE.into()),
            message: "m".into(),
            related_information: Some(vec![DiagnosticRelatedInformation {
                location: Location::new(uri, Range::default()),
                message: "r".into(),
            }]),
            tags: Some(vec![DiagnosticTag::UNNECESSARY]),
            data: serde_json::to_value(&data).ok(),
        };
        let bare = Diagnostic {
            message: "m".into(),
            ..Diagnostic::default()
        };
        let foreign = Diagnostic {
            data: Some(Value::from(3)),
            ..bare.clone()
        };
        for diagnostic in [&full, &bare, &foreign] {
            assert_eq!(
                serde_json::to_value(Stamped(diagnostic, 5)).unwrap(),
                serde_json::to_value(stamped(diagnostic, 5)).unwrap()
            );
            // Encoded once, written for any version: the same bytes.
            let encoded = Encoded::of(diagnostic).unwrap();
            for version in [5, -1, i32::MAX] {
                let mut written = Vec::new();
                encoded.write(version.to_string().as_bytes(), &mut written);
                assert_eq!(
                    written,
                    serde_json::to_vec(&Stamped(diagnostic, version)).unwrap()
                );
            }
        }
        let sent = serde_json::to_value(Stamped(&full, 5)).unwrap();
        assert_eq!(sent["data"]["version"], 5);
        let received: Diagnostic = serde_json::from_value(sent).unwrap();
        assert_eq!(
            DiagnosticData::of(&received),
            Some(DiagnosticData {
                version: Some(5),
                ..data
            })
        );
    }
}
