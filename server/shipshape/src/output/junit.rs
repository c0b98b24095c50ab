//! JUnit XML, for CI systems that show test reports: a test suite per file,
//! a failed test case per finding, a passing one for a clean file.

use ropey::Rope;
use shipshape_core::text::LineIndex;

use super::shared::span;
use crate::checked::CheckedFile;

/// Escapes text for XML content and attribute values; drops characters XML
/// cannot hold.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(files: &[CheckedFile]) -> String {
    let total_failures: usize = files.iter().map(|file| file.findings.len()).sum();
    let total_tests: usize = files.iter().map(|file| file.findings.len().max(1)).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shipshape\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">\n"
    );
    for file in files {
        let path = escape(&file.display_path);
        let failures = file.findings.len();
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
            failures.max(1)
        ));
        if file.findings.is_empty() {
            out.push_str(&format!(
                "    <testcase name=\"shipshape\" classname=\"{path}\" file=\"{path}\"/>\n"
            ));
        }
        let rope = Rope::from_str(&file.text);
        let lines = LineIndex::new(&rope);
        for finding in &file.findings {
            let at = span(&lines, &finding.range);
            let message = escape(&finding.message);
            out.push_str(&format!(
                "    <testcase name=\"{rule}:{line}:{column}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">\n      <failure message=\"{message}\" type=\"{severity}\">{path}:{line}:{column}: {severity}[{rule}] {message}</failure>\n    </testcase>\n",
                rule = finding.rule.id,
                line = at.line,
                column = at.column,
                severity = finding.severity.name(),
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_makes_valid_xml_text() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
