//! Fingerprints of findings that survive moving code: what a baseline
//! records and what SARIF's `partialFingerprints` carry.
//!
//! A fingerprint hashes the rule id, the file's path, the finding's source
//! text with its whitespace normalised (trimmed, runs collapsed to one
//! space), and the finding's occurrence index among findings of the same
//! rule with the same text in the file. Line numbers are not part of it, so
//! adding or removing lines elsewhere keeps every fingerprint; editing the
//! flagged code itself makes it a new finding.

use crate::check::Finding;

/// The version prefix of the fingerprints (changes if the recipe changes).
pub const FINGERPRINT_VERSION: &str = "v1";

/// The longest source text hashed; longer findings (whole-file ones) hash
/// their start.
const MAX_TEXT: usize = 400;

/// The normalised text a finding's fingerprint covers: its range, or its
/// line when the range is empty.
pub fn normalised_text(text: &str, finding: &Finding) -> String {
    let start = finding.range.start.min(text.len());
    let end = finding.range.end.clamp(start, text.len());
    let raw = if start == end {
        let line_start = text[..start].rfind('\n').map_or(0, |index| index + 1);
        let line_end = text[start..]
            .find('\n')
            .map_or(text.len(), |index| start + index);
        &text[line_start..line_end]
    } else {
        &text[start..end]
    };
    let mut out = String::new();
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() >= MAX_TEXT {
            break;
        }
    }
    out
}

/// The fingerprint of each finding of a file (in the same order). `path`
/// should be stable between runs (relative to the project).
pub fn fingerprints(path: &str, text: &str, findings: &[Finding]) -> Vec<String> {
    let mut seen: Vec<(&str, String, usize)> = Vec::new();
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&index| (findings[index].range.start, findings[index].range.end));
    let mut out = vec![String::new(); findings.len()];
    for index in order {
        let finding = &findings[index];
        let normalised = normalised_text(text, finding);
        let occurrence = match seen
            .iter_mut()
            .find(|(rule, seen_text, _)| *rule == finding.rule.id && *seen_text == normalised)
        {
            Some(entry) => {
                entry.2 += 1;
                entry.2
            }
            None => {
                seen.push((finding.rule.id, normalised.clone(), 0));
                0
            }
        };
        let mut hash = Fnv::new();
        for part in [finding.rule.id, path, &normalised] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        hash.write(&(occurrence as u64).to_le_bytes());
        out[index] = format!("{FINGERPRINT_VERSION}:{:016x}", hash.0);
    }
    out
}

/// 64-bit FNV-1a: tiny, and stable across platforms and releases (unlike
/// the standard library's hasher).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::{FileKind, check_text, project::ProjectContext};

    fn prints(text: &str) -> Vec<String> {
        let findings = check_text(
            Path::new("app.py"),
            FileKind::Python,
            text,
            &ProjectContext::default(),
        );
        fingerprints("app.py", text, &findings)
    }

    const CODE: &str = "try:\n    a()\nexcept:\n    raise\ntry:\n    b()\nexcept:\n    raise\n";

    #[test]
    fn fingerprints_survive_moved_lines_and_tell_repeats_apart() {
        let before = prints(CODE);
        assert_eq!(before.len(), 2);
        assert_ne!(
            before[0], before[1],
            "the occurrence index tells them apart"
        );
        let moved = prints(&format!(
            "import os\n\n\n{}",
            CODE.replace("    a()", "    a()  ")
        ));
        assert_eq!(before, moved);
        let reindented = prints(&CODE.replace("except:", "except :"));
        assert_ne!(before, reindented, "the flagged code changed");
        assert!(before[0].starts_with("v1:") && before[0].len() == 19);
    }

    #[test]
    fn the_path_and_rule_are_part_of_it() {
        let findings = check_text(
            Path::new("app.py"),
            FileKind::Python,
            CODE,
            &ProjectContext::default(),
        );
        assert_ne!(
            fingerprints("a.py", CODE, &findings),
            fingerprints("b.py", CODE, &findings)
        );
    }

    #[test]
    fn fnv_matches_the_reference_vectors() {
        let mut hash = Fnv::new();
        hash.write(b"a");
        assert_eq!(hash.0, 0xaf63dc4c8601ec8c);
    }
}
