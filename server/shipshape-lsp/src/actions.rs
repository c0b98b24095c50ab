//! Code actions: each diagnostic's quick fix, read from the diagnostic's
//! `data` (no server-side cache); "ignore on this line", computed from the
//! document when asked; and
//! `source.fixAll.shipshape`, which applies every safe fix of a document.

use std::{collections::HashMap, ops::Range};

use shipshape_core::{
    Finding, check_file_with_settings,
    parse::parse,
    registry,
    rule::Target,
    text::{Encoding, LineIndex, TextEdit as CoreEdit, apply_edits, minimal_edit},
};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, Diagnostic,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::session::EditSupport;
use crate::{
    convert::{self, DiagnosticData, OtherFileData},
    document::Snapshot,
};

/// The kind of the fix-all source action.
pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.shipshape");

/// How many rounds fix-all runs before it stops looking for fixes that
/// became possible only after others.
const FIX_ALL_ROUNDS: usize = 10;

/// Whether an action of `kind` was asked for: `only` lists kinds or their
/// prefixes (`source` covers `source.fixAll.shipshape`).
pub fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else { return true };
    let kind = kind.as_str();
    only.iter().any(|prefix| {
        let prefix = prefix.as_str();
        kind == prefix
            || kind
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// A workspace edit of one document, versioned when the client allows it.
pub fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    document_changes: bool,
) -> WorkspaceEdit {
    if document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// The workspace edit of a fix that also changes other files: with
/// `documentChanges` (`CreateFile` then the new file's text as an insert)
/// when the client takes them, else plain `changes`. `None` when the fix
/// creates a file and the client cannot: a fix without its new file would
/// be broken.
pub fn cross_file_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    other_files: Vec<OtherFileData>,
    support: EditSupport,
) -> Option<WorkspaceEdit> {
    let creates = other_files.iter().any(|other| other.create.is_some());
    if creates && !(support.document_changes && support.create_files) {
        return None;
    }
    if support.document_changes {
        let mut operations = Vec::new();
        let document_edit = |uri: &Uri, version: Option<i32>, edits: Vec<TextEdit>| {
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version,
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
        };
        if !edits.is_empty() {
            operations.push(document_edit(uri, Some(version), edits));
        }
        for other in other_files {
            if let Some(text) = other.create {
                operations.push(DocumentChangeOperation::Op(ResourceOp::Create(
                    CreateFile {
                        uri: other.uri.clone(),
                        options: None,
                        annotation_id: None,
                    },
                )));
                let start = tower_lsp_server::ls_types::Position::new(0, 0);
                let insert =
                    TextEdit::new(tower_lsp_server::ls_types::Range::new(start, start), text);
                operations.push(document_edit(&other.uri, None, vec![insert]));
            } else if !other.edits.is_empty() {
                // Versioned when the file is open: a client refuses the
                // edit if the document changed since.
                operations.push(document_edit(&other.uri, other.version, other.edits));
            }
        }
        return Some(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(operations)),
            ..WorkspaceEdit::default()
        });
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    if !edits.is_empty() {
        changes.insert(uri.clone(), edits);
    }
    for other in other_files {
        changes.entry(other.uri).or_default().extend(other.edits);
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The quick fixes of the diagnostics a client sent with a code action
/// request, for the document as of `snapshot`: each diagnostic's fix (from
/// its data) and, for a file rule's finding, "ignore on this line".
/// Diagnostics computed for another version of the document are skipped:
/// their edits would land in the wrong place. So is a fix whose edits of
/// another file were computed for a text that file no longer has in the
/// editor (`open_versions`: the open documents' versions).
pub fn quick_fixes(
    uri: &Uri,
    snapshot: &Snapshot,
    diagnostics: &[Diagnostic],
    encoding: Encoding,
    support: EditSupport,
    open_versions: &HashMap<Uri, i32>,
) -> Vec<CodeActionOrCommand> {
    let current_version = snapshot.version;
    let index = LineIndex::new(&snapshot.rope);
    // Parsed at most once, and only when a diagnostic needs it.
    let tree = std::cell::OnceCell::new();
    let ignore_edit = |diagnostic: &Diagnostic, rule: &str| {
        if registry()
            .get(rule)
            .or_else(|| snapshot.settings.user_rules.get(rule))
            .is_none_or(|meta| meta.target == Target::Project)
        {
            return None;
        }
        let offset = index
            .offset(convert::core_position(diagnostic.range.start), encoding)
            .ok()?;
        let tree = tree.get_or_init(|| snapshot.current_tree());
        let edit = snapshot.ignore_edit(tree.as_ref(), offset, rule)?;
        Some(convert::lsp_edit(&index, &edit, encoding))
    };
    let document_changes = support.document_changes;
    let mut fixes = Vec::new();
    let mut ignores = Vec::new();
    for diagnostic in diagnostics {
        let (Some(data), Some(rule)) =
            (DiagnosticData::of(diagnostic), convert::rule_id(diagnostic))
        else {
            continue;
        };
        if data.version != Some(current_version) {
            tracing::debug!(%rule, ?data.version, current_version, "skipping a diagnostic of another version");
            continue;
        }
        if let Some(fix) = data.fix.filter(|fix| {
            let current = others_current(&fix.other_files, open_versions);
            if !current {
                tracing::debug!(%rule, "skipping a fix computed for another text of a file it edits");
            }
            current
        }) {
            let edit = if fix.other_files.is_empty() {
                Some(workspace_edit(
                    uri,
                    current_version,
                    fix.edits,
                    document_changes,
                ))
            } else {
                cross_file_edit(uri, current_version, fix.edits, fix.other_files, support)
            };
            match edit {
                Some(edit) => fixes.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(fix.safe),
                    ..CodeAction::default()
                })),
                None => {
                    tracing::debug!(%rule, "skipping a fix that creates a file: the client cannot")
                }
            }
        }
        if let Some(edit) = ignore_edit(diagnostic, rule) {
            let title = format!("Ignore {rule} on this line");
            // One action per rule and line, however many findings it has there.
            let duplicate = ignores.iter().any(|action: &CodeActionOrCommand| {
                matches!(action, CodeActionOrCommand::CodeAction(existing) if existing.title == title
                    && existing.diagnostics.as_ref().and_then(|found| found.first())
                        .is_some_and(|first| first.range.start.line == diagnostic.range.start.line))
            });
            if !duplicate {
                ignores.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(
                        uri,
                        current_version,
                        vec![edit],
                        document_changes,
                    )),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                }));
            }
        }
    }
    fixes.extend(ignores);
    fixes
}

/// Whether the other files of a cross-file fix are as the fix saw them: an
/// open document at the version its edits were computed for, an unopened
/// file still unopened (the editor then edits the file on disk, which the
/// model holds).
fn others_current(other_files: &[OtherFileData], open_versions: &HashMap<Uri, i32>) -> bool {
    other_files
        .iter()
        .all(|other| other.version == open_versions.get(&other.uri).copied())
}

/// The edit that applies every safe fix of a snapshot, repeating until no
/// safe fix is left (or [`FIX_ALL_ROUNDS`]), as one replacement of the
/// changed span. `None` when nothing changes. CPU work: run it on a
/// blocking thread.
pub fn fix_all(snapshot: &Snapshot) -> Option<CoreEdit> {
    let original = snapshot.text.as_str();
    if original.len() > crate::document::MAX_ANALYZED_BYTES {
        return None;
    }
    let mut text = original.to_string();
    for _ in 0..FIX_ALL_ROUNDS {
        let tree = parse(snapshot.kind, &text, None);
        let file = shipshape_core::SourceFile {
            path: &snapshot.path,
            kind: snapshot.kind,
            text: &text,
            tree: tree.as_ref(),
        };
        let findings = check_file_with_settings(&file, &snapshot.project, &snapshot.settings);
        let edits = compatible_safe_edits(&findings);
        if edits.is_empty() {
            break;
        }
        match apply_edits(&text, &edits) {
            Ok(fixed) if fixed != text => text = fixed,
            Ok(_) => break,
            Err(error) => {
                tracing::warn!(path = %snapshot.path.display(), "fix-all stopped: {error}");
                break;
            }
        }
    }
    minimal_edit(original, &text)
}

/// The edits of the safe fixes, taking whole fixes in order and leaving out
/// any fix that touches an edit already taken (a later round gets it).
/// An edit identical to one taken (two fixes adding the same import) is
/// shared rather than applied twice.
fn compatible_safe_edits(findings: &[Finding]) -> Vec<CoreEdit> {
    let mut taken: Vec<CoreEdit> = Vec::new();
    for fix in findings
        .iter()
        .filter_map(|finding| finding.fix.as_ref())
        .filter(|fix| fix.is_safe())
    {
        let new: Vec<&CoreEdit> = fix
            .edits
            .iter()
            .filter(|edit| !taken.contains(edit))
            .collect();
        let conflicts = new.iter().enumerate().any(|(index, edit)| {
            taken
                .iter()
                .chain(new[..index].iter().copied())
                .any(|other| touches(&edit.range, &other.range))
        });
        if !conflicts {
            taken.extend(new.into_iter().cloned());
        }
    }
    taken
}

/// Whether two edits overlap or insert at the same point (their order would
/// then be ambiguous).
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
        || a.start == b.start
        || a.is_empty() && a.start == b.end
        || b.is_empty() && b.start == a.end
}

/// The fix-all code action for a snapshot, if it changes anything.
pub fn fix_all_action(
    uri: &Uri,
    snapshot: &Snapshot,
    encoding: shipshape_core::text::Encoding,
    document_changes: bool,
) -> Option<CodeActionOrCommand> {
    let edit = fix_all(snapshot)?;
    let index = LineIndex::new(&snapshot.rope);
    let edit = convert::lsp_edit(&index, &edit, encoding);
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: "Fix all safe shipshape problems".to_string(),
        kind: Some(FIX_ALL),
        edit: Some(workspace_edit(
            uri,
            snapshot.version,
            vec![edit],
            document_changes,
        )),
        ..CodeAction::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_filters_by_kind_prefix() {
        assert!(wanted(None, &FIX_ALL));
        assert!(wanted(Some(&[CodeActionKind::SOURCE]), &FIX_ALL));
        assert!(wanted(Some(&[CodeActionKind::SOURCE_FIX_ALL]), &FIX_ALL));
        assert!(!wanted(Some(&[CodeActionKind::QUICKFIX]), &FIX_ALL));
        assert!(!wanted(
            Some(&[CodeActionKind::new("source.fix")]),
            &FIX_ALL
        ));
        assert!(wanted(
            Some(&[CodeActionKind::QUICKFIX]),
            &CodeActionKind::QUICKFIX
        ));
    }

    #[test]
    fn cross_file_edits_create_files_only_where_the_client_can() {
        use std::str::FromStr;
        let uri = Uri::from_str("file:///w/Dockerfile").unwrap();
        let created = Uri::from_str("file:///w/.dockerignore").unwrap();
        let edited = Uri::from_str("file:///w/.gitignore").unwrap();
        let insert = |text: &str| {
            TextEdit::new(
                tower_lsp_server::ls_types::Range::default(),
                text.to_string(),
            )
        };
        let create = OtherFileData {
            uri: created.clone(),
            version: None,
            edits: Vec::new(),
            create: Some(".env\n".to_string()),
        };
        let edit = OtherFileData {
            uri: edited.clone(),
            version: Some(4),
            edits: vec![insert(".env\n")],
            create: None,
        };
        let full = EditSupport {
            document_changes: true,
            create_files: true,
        };
        let workspace_edit =
            cross_file_edit(&uri, 3, vec![insert("# x\n")], vec![create.clone()], full).unwrap();
        let Some(DocumentChanges::Operations(operations)) = workspace_edit.document_changes else {
            panic!("operations expected");
        };
        assert_eq!(operations.len(), 3, "{operations:?}");
        assert!(matches!(&operations[0], DocumentChangeOperation::Edit(edit)
            if edit.text_document.uri == uri && edit.text_document.version == Some(3)));
        assert!(
            matches!(&operations[1], DocumentChangeOperation::Op(ResourceOp::Create(file))
            if file.uri == created)
        );
        assert!(matches!(&operations[2], DocumentChangeOperation::Edit(edit)
            if edit.text_document.uri == created && edit.text_document.version.is_none()));

        // Without CreateFile support, or with plain changes: not offered.
        for support in [
            EditSupport {
                document_changes: true,
                create_files: false,
            },
            EditSupport::default(),
        ] {
            assert!(cross_file_edit(&uri, 3, Vec::new(), vec![create.clone()], support).is_none());
        }
        // An edit of an open document carries its version.
        let versioned = cross_file_edit(&uri, 3, Vec::new(), vec![edit.clone()], full).unwrap();
        let Some(DocumentChanges::Operations(operations)) = versioned.document_changes else {
            panic!("operations expected");
        };
        assert!(
            matches!(&operations[0], DocumentChangeOperation::Edit(change)
            if change.text_document.uri == edited && change.text_document.version == Some(4))
        );
        // Offered only while that document is at that version.
        let open = |version: i32| HashMap::from([(edited.clone(), version)]);
        assert!(others_current(std::slice::from_ref(&edit), &open(4)));
        assert!(!others_current(std::slice::from_ref(&edit), &open(5)));
        assert!(!others_current(
            std::slice::from_ref(&edit),
            &HashMap::new()
        ));
        assert!(others_current(
            std::slice::from_ref(&create),
            &HashMap::new()
        ));
        let created_open = HashMap::from([(created.clone(), 1)]);
        assert!(!others_current(
            std::slice::from_ref(&create),
            &created_open
        ));
        // An edit of another file works with plain changes.
        let plain =
            cross_file_edit(&uri, 3, Vec::new(), vec![edit], EditSupport::default()).unwrap();
        let changes = plain.changes.unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[&edited][0].new_text, ".env\n");
    }

    #[test]
    fn touching_edits_conflict() {
        assert!(touches(&(0..3), &(2..5)));
        assert!(!touches(&(0..2), &(2..5)));
        assert!(touches(&(2..2), &(2..2)));
        assert!(touches(&(2..2), &(0..2)));
        assert!(!touches(&(3..3), &(0..2)));
    }
}
