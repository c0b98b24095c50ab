//! SARIF 2.1.0 (the OASIS standard; GitHub code scanning reads it): every
//! rule's metadata and help, a result per finding with its location,
//! fingerprint, fixes and, with a baseline, its baseline state. Locations
//! are relative to `%SRCROOT%` (the repository's root, given in
//! `originalUriBaseIds`), so code scanning finds the files whatever folder
//! `check` ran in.

use ropey::Rope;
use serde_json::{Value, json};
use shipshape_core::{
    Finding, Priority, Severity, registry,
    rule::{Category, Rule},
    text::LineIndex,
};

use super::shared::{repository_path, repository_root, span};
use crate::checked::CheckedFile;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const FINGERPRINT_KEY: &str = "shipshape/v1";
/// The base id of every relative location.
pub const SRCROOT: &str = "SRCROOT";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score) for security rules.
fn security_severity(priority: Priority) -> &'static str {
    match priority {
        Priority::Critical => "9.0",
        Priority::High => "7.0",
        Priority::Medium => "5.0",
        Priority::Low => "3.0",
    }
}

/// `bare-except` → `BareExcept`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rule_descriptor(rule: &Rule) -> Value {
    let mut properties = json!({
        "tags": [rule.meta.category.name(), "deployment-readiness"],
        "priority": rule.meta.priority.name(),
        "precision": "high",
    });
    if rule.meta.category == Category::Security {
        properties["security-severity"] = json!(security_severity(rule.meta.priority));
        // The category tag already reads "security", which is what GitHub
        // code scanning looks for; the schema wants tags unique.
    }
    json!({
        "id": rule.id,
        "name": pascal_case(rule.id),
        "shortDescription": { "text": rule.meta.summary },
        "fullDescription": { "text": rule.meta.summary },
        "helpUri": rule.doc_url(),
        "help": {
            "text": rule.meta.docs,
            "markdown": shipshape_core::docs::rule_markdown(rule),
        },
        "defaultConfiguration": { "level": level(rule.severity()) },
        "properties": properties,
    })
}

/// A file's `artifactLocation`: relative to `%SRCROOT%` when it is inside
/// the repository, else an absolute `file://` URI.
fn artifact_location(file: &CheckedFile) -> Value {
    let path = repository_path(file);
    if std::path::Path::new(&path).is_absolute() {
        json!({ "uri": format!("file://{}", uri(&path)) })
    } else {
        json!({ "uri": uri(&path), "uriBaseId": SRCROOT })
    }
}

/// `originalUriBaseIds`: where `%SRCROOT%` is, as a `file://` URI ending in
/// `/`.
fn original_uri_base_ids() -> Value {
    match repository_root() {
        Some(root) => {
            let mut root = root.to_string_lossy().replace('\\', "/");
            if !root.starts_with('/') {
                root.insert(0, '/');
            }
            if !root.ends_with('/') {
                root.push('/');
            }
            json!({ SRCROOT: { "uri": format!("file://{}", uri(&root)) } })
        }
        None => json!({}),
    }
}

/// Percent-encodes what a URI reference may not hold as is.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn region(lines: &LineIndex<'_>, range: &std::ops::Range<usize>) -> Value {
    let at = span(lines, range);
    json!({
        "startLine": at.line,
        "startColumn": at.column,
        "endLine": at.end_line,
        "endColumn": at.end_column,
    })
}

fn result(
    file: &CheckedFile,
    lines: &LineIndex<'_>,
    index: usize,
    finding: &Finding,
    rule_index: usize,
    with_baseline: bool,
) -> Value {
    let location = artifact_location(file);
    let mut region = region(lines, &finding.range);
    let snippet = file.text.get(finding.range.clone()).unwrap_or_default();
    if !snippet.is_empty() {
        region["snippet"] = json!({ "text": snippet });
    }
    let mut result = json!({
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": location.clone(),
                "region": region,
            }
        }],
        "properties": {
            "severity": finding.severity.name(),
            "category": finding.rule.meta.category.name(),
        },
    });
    if let Some(fingerprint) = file.fingerprints.get(index) {
        result["partialFingerprints"] = json!({ FINGERPRINT_KEY: fingerprint });
    }
    if with_baseline && let Some(state) = file.baseline.get(index) {
        result["baselineState"] = json!(state.sarif_name());
    }
    // A fix that changes other files of the project (creates `.env.example`,
    // edits `.gitignore`) is left out: SARIF fixes here describe edits of
    // the result's own file. `--format json` and the editor carry them.
    if let Some(fix) = finding
        .fix
        .as_ref()
        .filter(|fix| fix.other_files.is_empty() && !fix.edits.is_empty())
    {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region_of(lines, &edit.range),
                    "insertedContent": { "text": edit.new_text },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": {
                "text": if fix.is_safe() { fix.title.clone() } else { format!("{} (unsafe: review the change)", fix.title) }
            },
            "artifactChanges": [{
                "artifactLocation": location,
                "replacements": replacements,
            }]
        }]);
    }
    result
}

fn region_of(lines: &LineIndex<'_>, range: &std::ops::Range<usize>) -> Value {
    region(lines, range)
}

/// The SARIF log of a run.
pub fn render(files: &[CheckedFile], with_baseline: bool) -> String {
    let mut rules: Vec<&Rule> = registry().rules.iter().collect();
    rules.sort_by_key(|rule| rule.id);
    let index_of = |id: &str| rules.iter().position(|rule| rule.id == id).unwrap_or(0);
    let mut results = Vec::new();
    for file in files {
        let rope = Rope::from_str(&file.text);
        let lines = LineIndex::new(&rope);
        for (index, finding) in file.findings.iter().enumerate() {
            results.push(result(
                file,
                &lines,
                index,
                finding,
                index_of(finding.rule.id),
                with_baseline,
            ));
        }
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "shipshape",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": shipshape_core::rule::PROJECT_HOME,
                    "rules": rules.iter().map(|rule| rule_descriptor(rule)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": original_uri_base_ids(),
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("bare-except"), "BareExcept");
        assert_eq!(uri("app/my file.py"), "app/my%20file.py");
        assert_eq!(uri("app/é.py"), "app/%C3%A9.py");
    }
}
