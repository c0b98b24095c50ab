//! GitHub Actions workflow commands: each finding becomes an annotation
//! (`::error file=app/main.py,line=3,col=1,endLine=3,endColumn=8,title=bare-except::...`)
//! shown on the pull request's diff. Paths are relative to the root of the
//! repository (GitHub resolves them from there), wherever `check` runs.

use ropey::Rope;
use shipshape_core::{Severity, text::LineIndex};

use super::shared::{repository_path, span};
use crate::checked::CheckedFile;

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "notice",
    }
}

/// Escapes a message (the data after `::`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(files: &[CheckedFile], hidden: usize, io_error: bool) -> String {
    let mut out = String::new();
    for file in files {
        let rope = Rope::from_str(&file.text);
        let lines = LineIndex::new(&rope);
        let path = repository_path(file);
        for finding in &file.findings {
            let at = span(&lines, &finding.range);
            out.push_str(&format!(
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                command(finding.severity),
                escape_property(&path),
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                escape_property(&format!("shipshape {}", finding.rule.id)),
                escape_data(&format!("{} ({})", finding.message, finding.rule.doc_url())),
            ));
        }
    }
    out.push_str(&super::shared::summary(files, hidden, io_error));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a\nb\r"), "50%25 a%0Ab%0D");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
