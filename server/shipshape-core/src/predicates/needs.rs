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
//!   quantifier is one: an absent capture passes tree-sitter's test). The
//!   strings are those tree-sitter parsed (`Query::text_predicate_strings`,
//!   a change of the vendored tree-sitter).
//!
//! A query cursor starts states for every pattern whose root fits a node
//! and keeps them open while it walks the node's subtree, so patterns
//! rooted at `call` cost their walk in every call; for the patterns whose
//! needs a file's text does not meet, the cursor is told to skip them
//! (`QueryCursor::set_disabled_patterns`, a change of the vendored
//! tree-sitter). Only for walks of a whole file: a keystroke's walk is
//! small, and a scan of the whole text for it would not be.

use aho_corasick::AhoCorasick;
use tree_sitter::Query;

use super::{Arg, PatternExtras};

/// Words (indexes into [`TextNeeds::words`]) a text holds all of.
type Alternative = Vec<usize>;

/// One predicate's need: the text holds one of its alternatives.
type Need = Vec<Alternative>;

/// What each pattern of a query needs of a file's text.
pub struct TextNeeds {
    /// Every word some pattern needs, found in one pass.
    words: AhoCorasick,
    /// Per pattern, its needs: all of them must be met.
    patterns: Vec<Vec<Need>>,
}

impl TextNeeds {
    /// The needs of the patterns of `query` that have `extras` (in pattern
    /// order); `None` when no pattern has any.
    pub fn of(query: &Query, extras: &[PatternExtras]) -> Option<TextNeeds> {
        let mut words: Vec<String> = Vec::new();
        let patterns: Vec<Vec<Need>> = extras
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
                                Arg::Text(name) => Some(name_words(name).collect()),
                                _ => None,
                            })
                            .collect::<Vec<Vec<&str>>>()
                    });
                resolved
                    .chain(literal_needs(query, pattern))
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
        Some(TextNeeds {
            words: AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&words)
                .ok()?,
            patterns,
        })
    }

    /// Whether pattern `pattern` needs any word.
    #[cfg(test)]
    pub(crate) fn has_needs(&self, pattern: usize) -> bool {
        self.patterns
            .get(pattern)
            .is_some_and(|needs| !needs.is_empty())
    }

    /// For each pattern, whether `text` lacks what it needs (the cursor's
    /// disabled patterns; patterns past the end need nothing).
    pub fn disabled(&self, text: &str) -> Vec<bool> {
        let mut held = vec![false; self.words.patterns_len()];
        let mut missing = held.len();
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
fn intern(words: &mut Vec<String>, word: &str) -> usize {
    match words.iter().position(|known| known == word) {
        Some(index) => index,
        None => {
            words.push(word.to_string());
            words.len() - 1
        }
    }
}

/// The words a dotted name (`requests.get`, `requests.*`) needs: its pieces
/// but the wildcard.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split('.')
        .filter(|piece| !piece.is_empty() && *piece != "*")
}

/// The needs of the `#eq?` and `#any-of?` predicates of a pattern that
/// compare a capture every match has with strings: one of the strings (as
/// tree-sitter parsed them: comments and escapes are its). An empty string
/// is in every text: such a predicate needs nothing. The crates.io
/// tree-sitter does not give the strings (nor can its cursors skip a
/// pattern, see `check::QueryRun::run`).
#[cfg(not(disabled_patterns))]
fn literal_needs(_: &Query, _: usize) -> Vec<Vec<Vec<&str>>> {
    Vec::new()
}

/// See above: the vendored tree-sitter's parse of the predicates.
#[cfg(disabled_patterns)]
fn literal_needs(query: &Query, pattern: usize) -> Vec<Vec<Vec<&str>>> {
    use tree_sitter::CaptureQuantifier;
    let quantifiers = query.capture_quantifiers(pattern);
    query
        .text_predicate_strings(pattern)
        .into_iter()
        .filter(|(capture, strings)| {
            quantifiers.get(*capture as usize) == Some(&CaptureQuantifier::One)
                && !strings.iter().any(|string| string.is_empty())
        })
        .map(|(_, strings)| strings.into_iter().map(|string| vec![string]).collect())
        .collect()
}

#[cfg(all(test, disabled_patterns))]
mod tests {
    use super::*;

    /// `#eq?` and `#any-of?` need one of their strings (unescaped) when
    /// every match has the capture; an optional capture, an empty string,
    /// `#any-eq?`, `#not-eq?` and a comment need nothing.
    #[test]
    fn literal_predicates_need_their_strings_only_where_every_match_has_them() {
        let source = r#"
((identifier) @a (#eq? @a "alpha"))
((call arguments: (argument_list (keyword_argument name: (identifier) @k)?)) @c (#eq? @k "beta"))
((identifier) @b (#any-of? @b "gamma" "delta")) ; (#eq? @b "epsilon")
((string) @s (#any-of? @s "zeta" "e\"ta"))
((identifier) @e (#any-of? @e "theta" ""))
((identifier) @f (#any-eq? @f "iota"))
((identifier) @g (#not-eq? @g "kappa"))
"#;
        let language = crate::kind::FileKind::Python.language().unwrap();
        let query = Query::new(&language, source).unwrap();
        let extras: Vec<PatternExtras> = (0..query.pattern_count())
            .map(|_| PatternExtras::default())
            .collect();
        let needs = TextNeeds::of(&query, &extras).unwrap();
        let needed: Vec<bool> = (0..extras.len()).map(|p| needs.has_needs(p)).collect();
        assert_eq!(needed, [true, false, true, true, false, false, false]);
        let (t, f) = (true, false);
        assert_eq!(needs.disabled("x = 1"), [t, f, t, t, f, f, f]);
        assert_eq!(needs.disabled("alphabet"), [f, f, t, t, f, f, f]);
        assert_eq!(needs.disabled("delta"), [t, f, f, t, f, f, f]);
        // A comment's predicate is not the pattern's.
        assert_eq!(needs.disabled("gamma"), [t, f, f, t, f, f, f]);
        // The string as tree-sitter read it, its escape undone.
        assert_eq!(needs.disabled(r#"e"ta"#), [t, f, t, f, f, f, f]);
    }
}
