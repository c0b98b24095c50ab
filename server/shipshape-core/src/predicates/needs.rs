//! Words a file's text must hold for a pattern to match, so that a walk of
//! a whole file starts no state for a pattern that cannot match in it.
//!
//! Two kinds of predicate say what a match's text holds:
//! - a name a capture resolves to (`#resolves-to? @function "httpx.AsyncClient"`)
//!   is made of pieces of the file's text: the dotted text at the call, its
//!   head replaced by the target of the import that binds it
//!   (`python::Module::qualified_name`). So each dot-separated piece of some
//!   name the predicate accepts is in the text, or it fails for every match;
//! - tree-sitter's `#eq? @capture "text"` and `#any-of? @capture "a" "b"`
//!   hold when the captured node's text is one of the strings, so one of
//!   them is in the text — when every match has the capture (its
//!   quantifier is one: an absent capture passes tree-sitter's test).
//!
//! A query cursor starts states for every pattern whose root fits a node
//! and keeps them open while it walks the node's subtree, so patterns
//! rooted at `call` cost their walk in every call; for the patterns whose
//! needs a file's text does not meet, the cursor is told to skip them
//! (`QueryCursor::set_disabled_patterns`, a change of the vendored
//! tree-sitter). Only for walks of a whole file: a keystroke's walk is
//! small, and a scan of the whole text for it would not be.

use aho_corasick::AhoCorasick;
use tree_sitter::{CaptureQuantifier, Query};

use super::{Arg, PatternExtras};

/// What each pattern of a query needs of a file's text.
pub struct TextNeeds {
    /// Every word some pattern needs, found in one pass.
    words: AhoCorasick,
    word_count: usize,
    /// Per pattern, its needs: each is met when the text holds every word
    /// of one of its alternatives (indexes into `words`).
    patterns: Vec<Vec<Vec<Vec<usize>>>>,
}

impl TextNeeds {
    /// The needs of the patterns of `query` (compiled from `source`) that
    /// have `extras` (in pattern order); `None` when no pattern has any.
    pub fn of(query: &Query, source: &str, extras: &[PatternExtras]) -> Option<TextNeeds> {
        let mut words: Vec<String> = Vec::new();
        let patterns: Vec<Vec<Vec<Vec<usize>>>> = extras
            .iter()
            .enumerate()
            .map(|(pattern, extras)| {
                let resolved = extras
                    .predicates
                    .iter()
                    .filter(|predicate| predicate.def.name == "resolves-to" && !predicate.negated)
                    .map(|predicate| {
                        predicate
                            .args
                            .iter()
                            .filter_map(|arg| match arg {
                                Arg::Text(name) => Some(name_words(name).collect::<Vec<_>>()),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    });
                let text = source
                    .get(query.start_byte_for_pattern(pattern)..query.end_byte_for_pattern(pattern))
                    .map(|pattern_source| literal_needs(query, pattern, pattern_source))
                    .unwrap_or_default();
                resolved
                    .chain(text)
                    .map(|alternatives| {
                        alternatives
                            .into_iter()
                            .map(|all| {
                                all.into_iter()
                                    .map(|word| intern(&mut words, word))
                                    .collect()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        if words.is_empty() {
            return None;
        }
        let word_count = words.len();
        let words = AhoCorasick::new(&words).ok()?;
        Some(TextNeeds {
            words,
            word_count,
            patterns,
        })
    }

    /// Whether pattern `pattern` needs any word.
    pub fn has_needs(&self, pattern: usize) -> bool {
        self.patterns
            .get(pattern)
            .is_some_and(|needs| !needs.is_empty())
    }

    /// For each pattern, whether `text` lacks what it needs (the cursor's
    /// disabled patterns; patterns past the end need nothing).
    pub fn disabled(&self, text: &str) -> Vec<bool> {
        let mut held = vec![false; self.word_count];
        let mut missing = self.word_count;
        for found in self.words.find_overlapping_iter(text) {
            let flag = &mut held[found.pattern().as_usize()];
            if !*flag {
                *flag = true;
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        self.patterns
            .iter()
            .map(|needs| {
                needs.iter().any(|alternatives| {
                    !alternatives
                        .iter()
                        .any(|words| words.iter().all(|&word| held[word]))
                })
            })
            .collect()
    }
}

/// The index of `word` in `words`, added if new.
fn intern(words: &mut Vec<String>, word: String) -> usize {
    match words.iter().position(|known| *known == word) {
        Some(index) => index,
        None => {
            words.push(word);
            words.len() - 1
        }
    }
}

/// The words a dotted name (`requests.get`, `requests.*`) needs: its pieces
/// but the wildcard.
fn name_words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split('.')
        .filter(|piece| !piece.is_empty() && *piece != "*")
        .map(str::to_string)
}

/// The needs of the `#eq?` and `#any-of?` predicates in a pattern's source
/// that compare a capture every match has with strings: one of the strings.
/// Strings with escapes are left out (their text is not their source), as
/// are comments.
fn literal_needs(query: &Query, pattern: usize, source: &str) -> Vec<Vec<Vec<String>>> {
    static PREDICATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"\(#(eq|any-of)\?\s+@([\w.-]+)((?:\s+"[^"\\\n]*")+)\s*\)"#).unwrap()
    });
    static STRING: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#""([^"\\\n]*)""#).unwrap());
    let code = without_comments(source);
    let quantifiers = query.capture_quantifiers(pattern);
    PREDICATE
        .captures_iter(&code)
        .filter(|found| {
            query
                .capture_index_for_name(&found[2])
                .and_then(|index| quantifiers.get(index as usize))
                .is_some_and(|quantifier| *quantifier == CaptureQuantifier::One)
        })
        .filter_map(|found| {
            let strings: Vec<Vec<String>> = STRING
                .captures_iter(&found[3])
                .map(|string| vec![string[1].to_string()])
                .collect();
            // An empty string is in every text.
            (!strings.iter().any(|words| words[0].is_empty())).then_some(strings)
        })
        .collect()
}

/// A query's source without its comments (`;` to the end of the line,
/// outside strings).
fn without_comments(source: &str) -> String {
    let mut code = String::with_capacity(source.len());
    for line in source.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut end = line.len();
        for (at, character) in line.char_indices() {
            match character {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                ';' if !in_string => {
                    end = at;
                    break;
                }
                _ => {}
            }
        }
        code.push_str(&line[..end]);
        code.push('\n');
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `#eq?` and `#any-of?` need one of their strings when every match
    /// has the capture; an optional capture, a string with an escape, an
    /// empty string and a comment need nothing.
    #[test]
    fn literal_predicates_need_their_strings_only_where_every_match_has_them() {
        let source = r#"
((identifier) @a (#eq? @a "alpha"))
((call arguments: (argument_list (keyword_argument name: (identifier) @k)?)) @c (#eq? @k "beta"))
((identifier) @b (#any-of? @b "gamma" "delta")) ; (#eq? @b "epsilon")
((string) @s (#any-of? @s "zeta" "e\"ta"))
((identifier) @e (#any-of? @e "theta" ""))
"#;
        let language = crate::kind::FileKind::Python.language().unwrap();
        let query = Query::new(&language, source).unwrap();
        let extras: Vec<PatternExtras> = (0..query.pattern_count())
            .map(|_| PatternExtras::default())
            .collect();
        let needs = TextNeeds::of(&query, source, &extras).unwrap();
        let needed: Vec<bool> = (0..extras.len()).map(|p| needs.has_needs(p)).collect();
        assert_eq!(needed, [true, false, true, false, false]);
        assert_eq!(needs.disabled("x = 1"), [true, false, true, false, false]);
        assert_eq!(
            needs.disabled("alphabet"),
            [false, false, true, false, false]
        );
        assert_eq!(needs.disabled("delta"), [true, false, false, false, false]);
        // A comment's predicate is not the pattern's.
        assert_eq!(needs.disabled("gamma"), [true, false, false, false, false]);
    }
}
