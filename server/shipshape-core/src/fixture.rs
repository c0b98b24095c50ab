//! Inline expectations of rule fixtures, shared by the fixture tests and
//! `shipshape test-rules`: `# expect: rule-a, rule-b` on its own line says
//! that each named rule reports a finding starting on the next line that is
//! not itself an expectation; `# expect-file: rule-a` as the first line says
//! the rules report on that line, the file's first (where findings about
//! the whole project are anchored). Every other line must not fire.

use std::collections::BTreeSet;

/// The (zero-based line, rule id) pairs a fixture expects; an error when an
/// `# expect:` line ends the file (it names no code line).
pub fn expectations(text: &str) -> Result<BTreeSet<(usize, String)>, String> {
    let mut expected = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if number == 0
            && let Some(rules) = trimmed.strip_prefix("# expect-file:")
        {
            expected.extend(
                rules
                    .split(',')
                    .map(|rule| (0, rule.trim().to_string()))
                    .filter(|(_, rule)| !rule.is_empty()),
            );
            continue;
        }
        if let Some(rules) = trimmed.strip_prefix("# expect:") {
            pending.extend(
                rules
                    .split(',')
                    .map(|rule| rule.trim().to_string())
                    .filter(|rule| !rule.is_empty()),
            );
            continue;
        }
        for rule in pending.drain(..) {
            expected.insert((number, rule));
        }
    }
    if pending.is_empty() {
        Ok(expected)
    } else {
        Err("an `# expect:` line at the end of a fixture names no code line".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_name_the_next_code_line() {
        let text = "# expect-file: a\nx = 1\n# expect: b, c\n# expect: d\ny = 2\nz = 3\n";
        let expected: Vec<(usize, String)> = expectations(text).unwrap().into_iter().collect();
        assert_eq!(
            expected,
            [(0, "a"), (4, "b"), (4, "c"), (4, "d")].map(|(line, rule)| (line, rule.to_string()))
        );
        assert!(expectations("x = 1\n# expect: a\n").is_err());
    }
}
