//! The suppression comments and peer tools' pragmas of a file, read from
//! its text and tree: `# shipshape: ignore[rule-a, rule-b] -- reason`,
//! `# shipshape: ignore-file[rule-a]`, `# noqa: CODE`, `# nosec CODE`,
//! `# hadolint ignore=CODE` and `# hadolint global ignore=CODE`. What they
//! do to findings is the engine's (`crate::suppress`); this module only
//! reads them, so the project model can keep a file's suppressions without
//! knowing of rules or findings.

use std::ops::Range;

use crate::{kind::FileKind, parse::SourceFile, text::Shift};

pub(crate) const MARKER: &str = "shipshape:";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Zero-based line of the comment.
    pub line: usize,
    /// The byte range of the directive text (`shipshape: ignore[...]`).
    pub range: Range<usize>,
    pub rules: Vec<String>,
    /// The byte range of each rule name.
    pub rule_ranges: Vec<Range<usize>>,
    /// The offset of the comment's `#`.
    pub hash: usize,
    pub whole_file: bool,
    /// Whether the comment is alone on its line (it then covers the next line).
    pub own_line: bool,
    pub reason: Option<String>,
}

/// Finds the suppression comments of a file. A `#` inside a string does not
/// count: where the file has a tree, the directive must sit in a comment node.
pub fn directives(file: &SourceFile<'_>) -> Vec<Directive> {
    if !file.kind.has_hash_comments() || !crate::text::contains(file.text, MARKER) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut line_start = 0;
    for (line_number, line) in file.text.split_inclusive('\n').enumerate() {
        if let Some(directive) = parse_line(file, line, line_start, line_number) {
            found.push(directive);
        }
        line_start += line.len();
    }
    found
}

/// The directive of one line (`line_start` is its offset, `line_number`
/// its zero-based number), if it holds one in a comment.
pub(crate) fn parse_line(
    file: &SourceFile<'_>,
    line: &str,
    line_start: usize,
    line_number: usize,
) -> Option<Directive> {
    let marker = line.find(MARKER)?;
    let hash = line[..marker].rfind('#')?;
    if !line[hash + 1..marker].trim().is_empty() {
        return None;
    }
    let offset = line_start + hash;
    if let Some(tree) = file.tree {
        let node = tree
            .root_node()
            .descendant_for_byte_range(offset, offset + 1)?;
        if node.kind() != "comment" {
            return None;
        }
    }
    let rest = line[marker + MARKER.len()..].trim_start();
    let (whole_file, rest) = if let Some(rest) = rest.strip_prefix("ignore-file") {
        (true, rest)
    } else {
        (false, rest.strip_prefix("ignore")?)
    };
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    // Offset of the names in the file.
    let names_start = line_start + (line.len() - rest.len());
    let mut rules = Vec::new();
    let mut rule_ranges = Vec::new();
    let mut at = 0;
    for part in rest[..close].split(',') {
        let name = part.trim();
        if !name.is_empty() {
            let start = names_start + at + (part.len() - part.trim_start().len());
            rules.push(name.to_string());
            rule_ranges.push(start..start + name.len());
        }
        at += part.len() + 1;
    }
    let after = rest[close + 1..].trim();
    let reason = after
        .strip_prefix("--")
        .map(|reason| reason.trim().to_string())
        .filter(|reason| !reason.is_empty());
    let directive_start = line_start + marker;
    let directive_end = line_start + line.len() - (line.len() - line.trim_end().len());
    Some(Directive {
        line: line_number,
        range: directive_start..directive_end,
        rules,
        rule_ranges,
        hash: offset,
        whole_file,
        own_line: line[..hash].trim().is_empty(),
        reason,
    })
}

/// Whether `directive` covers a finding of `rule` starting on `line`.
pub fn covers(directive: &Directive, rule: &str, line: usize) -> bool {
    let names_rule = directive
        .rules
        .iter()
        .any(|name| name == rule || name == "*");
    names_rule
        && (directive.whole_file
            || directive.line == line
            || directive.own_line && directive.line + 1 == line)
}

/// The suppression comments and peer pragmas of a file, read once with its
/// text: the project model keeps them, so that a project check honours
/// them without parsing the file again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressions {
    directives: Vec<Directive>,
    peers: Vec<PeerPragma>,
}

impl Suppressions {
    pub fn of(file: &SourceFile<'_>) -> Suppressions {
        Suppressions {
            directives: directives(file),
            peers: peer_pragmas(file),
        }
    }

    /// Whether a file of `kind` with this text may hold a suppression
    /// (cheap: no parse). When it cannot, [`Suppressions::of`] is empty.
    pub fn possible(kind: FileKind, text: &str) -> bool {
        holds_marker(kind, text.as_bytes())
    }

    /// [`Suppressions::possible`] of a text after `edit`, when the text
    /// before it could hold none: a marker in it must overlap what the edit
    /// inserted, or span its ends, so only that stretch is searched (a key
    /// does not search the whole module).
    pub fn possible_after(kind: FileKind, text: &str, edit: &Shift) -> bool {
        let reach = markers(kind).map(str::len).max().unwrap_or(1) - 1;
        let end = (edit.old.start + edit.new_len + reach).min(text.len());
        let start = edit.old.start.saturating_sub(reach).min(end);
        holds_marker(kind, &text.as_bytes()[start..end])
    }

    /// The `# shipshape: ignore[...]` comments.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// The pragmas of peer tools.
    pub fn peers(&self) -> &[PeerPragma] {
        &self.peers
    }
}

/// A pragma of another tool: the codes it names and the lines it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerPragma {
    pub codes: Vec<String>,
    /// Zero-based line of the comment.
    pub line: usize,
    pub scope: PeerScope,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerScope {
    /// `# noqa` / `# nosec`: the line it is on.
    SameLine,
    /// `# hadolint ignore=`: the line below.
    NextLine,
    /// `# hadolint global ignore=`: the file.
    File,
}

impl PeerPragma {
    /// Whether the pragma names one of a rule's `equivalents` (its codes in
    /// other tools) for a finding spanning `line..=end_line`.
    pub fn covers(&self, equivalents: &[String], line: usize, end_line: usize) -> bool {
        let in_scope = match self.scope {
            PeerScope::SameLine => self.line == line || self.line == end_line,
            PeerScope::NextLine => self.line + 1 == line,
            PeerScope::File => true,
        };
        in_scope
            && self.codes.iter().any(|code| {
                equivalents
                    .iter()
                    .any(|equivalent| equivalent.eq_ignore_ascii_case(code))
            })
    }
}

/// The texts every suppression comment or peer pragma of a file of `kind`
/// holds: [`MARKER`] and the peers' words.
fn markers(kind: FileKind) -> impl Iterator<Item = &'static str> {
    kind.has_hash_comments()
        .then_some(MARKER)
        .into_iter()
        .chain(peer_markers(kind).iter().copied())
}

/// Whether `text` holds one of the [`markers`] of `kind`.
fn holds_marker(kind: FileKind, text: &[u8]) -> bool {
    markers(kind).any(|marker| memchr::memmem::find(text, marker.as_bytes()).is_some())
}

/// The words that start the pragmas of peer tools in files of `kind`.
fn peer_markers(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Python => &["noqa", "nosec"],
        FileKind::Dockerfile => &["hadolint"],
        _ => &[],
    }
}

/// The pragmas of peer tools in a file's comments.
pub fn peer_pragmas(file: &SourceFile<'_>) -> Vec<PeerPragma> {
    let markers = peer_markers(file.kind);
    if !markers
        .iter()
        .any(|marker| crate::text::contains(file.text, marker))
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut offset = 0;
    for (line_number, line) in file.text.split_inclusive('\n').enumerate() {
        let line_offset = offset;
        offset += line.len();
        let Some(hash) = line.find('#') else { continue };
        if let Some(tree) = file.tree {
            let at = line_offset + hash;
            let in_comment = tree
                .root_node()
                .descendant_for_byte_range(at, at + 1)
                .is_some_and(|node| node.kind() == "comment");
            if !in_comment {
                continue;
            }
        }
        // A comment may hold several pragmas: `# noqa: S113  # nosec B113`.
        for comment in line[hash..].split('#').map(str::trim) {
            if let Some(pragma) = parse_peer(comment, line_number, file.kind) {
                found.push(pragma);
            }
        }
    }
    found
}

fn codes(list: &str) -> Vec<String> {
    list.split([',', ' ', '\t'])
        .map(|code| code.trim().trim_end_matches(['\r', '\n']))
        .take_while(|code| {
            code.is_empty()
                || code.chars().all(|c| c.is_ascii_alphanumeric())
                    && code.chars().any(|c| c.is_ascii_digit())
        })
        .filter(|code| !code.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_peer(comment: &str, line: usize, kind: FileKind) -> Option<PeerPragma> {
    let lower = comment.to_ascii_lowercase();
    let (codes, scope) = if kind == FileKind::Python {
        if let Some(rest) = lower.strip_prefix("noqa") {
            (
                codes(rest.trim_start().strip_prefix(':')?),
                PeerScope::SameLine,
            )
        } else if let Some(rest) = lower.strip_prefix("nosec") {
            let rest = rest.trim_start();
            (
                codes(rest.strip_prefix(':').unwrap_or(rest)),
                PeerScope::SameLine,
            )
        } else {
            return None;
        }
    } else {
        let rest = lower.strip_prefix("hadolint")?.trim_start();
        if let Some(rest) = rest.strip_prefix("global") {
            (
                codes(rest.trim_start().strip_prefix("ignore=")?),
                PeerScope::File,
            )
        } else {
            (codes(rest.strip_prefix("ignore=")?), PeerScope::NextLine)
        }
    };
    (!codes.is_empty()).then_some(PeerPragma { codes, line, scope })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::parse::parse;

    fn python(text: &str) -> (tree_sitter::Tree, String) {
        (
            parse(FileKind::Python, text, None).unwrap(),
            text.to_string(),
        )
    }

    #[test]
    fn directives_are_read_from_comments_only() {
        let (tree, text) = python(
            "x = 1  # shipshape: ignore[a, b] -- known\ns = '# shipshape: ignore[c]'\n# shipshape: ignore-file[d]\n",
        );
        let file = SourceFile {
            path: Path::new("m.py"),
            kind: FileKind::Python,
            text: &text,
            tree: Some(&tree),
        };
        let found = directives(&file);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].rules, ["a", "b"]);
        assert_eq!(found[0].reason.as_deref(), Some("known"));
        assert!(!found[0].own_line);
        assert!(found[1].whole_file);
        assert!(covers(&found[0], "a", 0));
        assert!(!covers(&found[0], "a", 1));
        assert!(covers(&found[1], "d", 7));
    }

    #[test]
    fn peer_pragmas_are_parsed_with_their_codes_and_scope() {
        let pragmas = parse_peer("hadolint ignore=DL3007,DL3008", 4, FileKind::Dockerfile).unwrap();
        assert_eq!(pragmas.codes, ["dl3007", "dl3008"]);
        assert_eq!(pragmas.scope, PeerScope::NextLine);
        let global = parse_peer("hadolint global ignore=DL3003", 0, FileKind::Dockerfile).unwrap();
        assert_eq!(global.scope, PeerScope::File);
        let nosec = parse_peer("nosec B113 -- reviewed", 1, FileKind::Python).unwrap();
        assert_eq!(nosec.codes, ["b113"]);
        assert!(parse_peer("nosec", 1, FileKind::Python).is_none());
    }

    #[test]
    fn hadolint_pragmas_are_read_from_dockerfile_comments() {
        let text = "# hadolint global ignore=DL3003\nFROM python\n# hadolint ignore=DL3007,DL3008\nRUN echo '# hadolint ignore=DL9999'\n";
        let tree = parse(FileKind::Dockerfile, text, None);
        let file = SourceFile {
            path: Path::new("Dockerfile"),
            kind: FileKind::Dockerfile,
            text,
            tree: tree.as_ref(),
        };
        let found = peer_pragmas(&file);
        let codes: Vec<(usize, Vec<String>)> = found
            .iter()
            .map(|pragma| (pragma.line, pragma.codes.clone()))
            .collect();
        assert_eq!(
            codes,
            [
                (0, vec!["dl3003".to_string()]),
                (2, vec!["dl3007".to_string(), "dl3008".to_string()])
            ]
        );
    }
}
