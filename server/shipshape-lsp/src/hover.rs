//! `textDocument/hover` on a diagnostic: the documentation of its rule (the
//! page `shipshape explain RULE` prints, offline) and the fix the
//! diagnostic offers, as Markdown.

use std::sync::Arc;

use shipshape_core::{docs::rule_markdown, registry};
use tower_lsp_server::ls_types::{
    Diagnostic, Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Position, Uri,
};

use crate::{
    convert::{self, DiagnosticData},
    diagnostics, publish,
    state::{Computed, Inner},
};

/// The hover at a position: the rule pages of the diagnostics of ours that
/// cover it, `None` when none does.
pub async fn hover(inner: &Arc<Inner>, params: HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params.position;
    let uri = params.text_document_position_params.text_document.uri;
    let diagnostics = current_diagnostics(inner, &uri).await?;
    let covering: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|diagnostic| covers(diagnostic, position))
        .collect();
    let first = covering.first()?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown(&covering),
        }),
        range: Some(first.range),
    })
}

/// The document's diagnostics for its current version (file and project
/// findings), as a pull would return them.
async fn current_diagnostics(inner: &Arc<Inner>, uri: &Uri) -> Option<Vec<Diagnostic>> {
    let session = inner.session.get()?;
    let (last, snapshot, open_id) = {
        let open = inner.documents.get(uri)?;
        (open.last.clone(), open.snapshot(), open.open_id)
    };
    let computed: Arc<Computed> = match last {
        Some(last) if last.version == snapshot.version => last,
        last => {
            let (analysis, computed) =
                diagnostics::compute(snapshot, session.encoding, open_id, last).await?;
            let computed = Arc::new(computed);
            let _replaced = inner.accept(uri, open_id, &analysis, &computed);
            computed
        }
    };
    let (task_inner, task_uri) = (Arc::clone(inner), uri.clone());
    crate::blocking::blocking("hover", move || {
        publish::compose(&task_inner, &task_uri, &computed)
    })
    .await
}

/// Whether a diagnostic's range holds `position` (its ends included: the
/// cursor just after a word still hovers it).
fn covers(diagnostic: &Diagnostic, position: Position) -> bool {
    convert::rule_id(diagnostic).is_some()
        && diagnostic.range.start <= position
        && position <= diagnostic.range.end
}

/// Each rule's page once, then the fix this diagnostic offers.
fn markdown(diagnostics: &[&Diagnostic]) -> String {
    let mut seen = Vec::new();
    let mut sections = Vec::new();
    for diagnostic in diagnostics {
        let Some(rule) = convert::rule_id(diagnostic).and_then(|id| registry().get(id)) else {
            continue;
        };
        if seen.contains(&rule.id) {
            continue;
        }
        seen.push(rule.id);
        let mut section = rule_markdown(rule);
        if let Some(fix) = DiagnosticData::of(diagnostic).and_then(|data| data.fix) {
            let applicability = if fix.safe {
                "safe: also applied by \"Fix all\""
            } else {
                "unsafe: review it before applying"
            };
            section.push_str(&format!(
                "\n## Fix here\n\n**{}** ({applicability}) — a quick fix on this diagnostic.\n",
                fix.title
            ));
        }
        sections.push(section);
    }
    sections.join("\n---\n\n")
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::{NumberOrString, Range};

    use super::*;

    #[test]
    fn a_diagnostic_covers_its_range_ends_included() {
        let diagnostic = Diagnostic {
            range: Range::new(Position::new(2, 4), Position::new(2, 10)),
            source: Some(convert::SOURCE.to_string()),
            code: Some(NumberOrString::String("bare-except".to_string())),
            ..Diagnostic::default()
        };
        assert!(covers(&diagnostic, Position::new(2, 4)));
        assert!(covers(&diagnostic, Position::new(2, 10)));
        assert!(!covers(&diagnostic, Position::new(2, 11)));
        assert!(!covers(&diagnostic, Position::new(1, 5)));
        let foreign = Diagnostic {
            source: Some("ruff".to_string()),
            ..diagnostic.clone()
        };
        assert!(!covers(&foreign, Position::new(2, 5)));
        let page = markdown(&[&diagnostic, &diagnostic]);
        assert_eq!(page.matches("# bare-except").count(), 1, "{page}");
    }
}
