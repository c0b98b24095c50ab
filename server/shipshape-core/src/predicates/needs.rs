//! Words a file's text must hold for a pattern to match, so that a walk of
//! a whole file starts no state for a pattern that cannot match in it.
//!
//! A name a capture resolves to (`#resolves-to? @function "httpx.AsyncClient"`)
//! is made of pieces of the file's text: the dotted text at the call, its
//! head replaced by the target of the import that binds it
//! (`python::Module::qualified_name`). So each dot-separated piece of every
//! name the pattern accepts is in the text, or the predicate fails for every
//! match: a file without `AsyncClient` needs no state for that pattern in
//! any node. A query cursor starts states for every pattern whose root fits
//! a node and keeps them open while it walks the node's subtree, so
//! patterns rooted at `call` cost their walk in every call; for the
//! patterns of names a file never mentions, the cursor is told to skip them
//! (`QueryCursor::set_disabled_patterns`, a change of the vendored
//! tree-sitter). Only for walks of a whole file: a keystroke's walk is
//! small, and a scan of the whole text for it would not be.

use aho_corasick::AhoCorasick;

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
    /// The needs of the patterns with `extras` (in pattern order); `None`
    /// when no pattern has any.
    pub fn of(extras: &[PatternExtras]) -> Option<TextNeeds> {
        let mut words: Vec<&str> = Vec::new();
        let patterns: Vec<Vec<Vec<Vec<usize>>>> = extras
            .iter()
            .map(|extras| {
                extras
                    .predicates
                    .iter()
                    .filter(|predicate| predicate.def.name == "resolves-to" && !predicate.negated)
                    .map(|predicate| {
                        predicate
                            .args
                            .iter()
                            .filter_map(|arg| match arg {
                                Arg::Text(name) => Some(
                                    name_words(name)
                                        .map(|piece| intern(&mut words, piece))
                                        .collect(),
                                ),
                                _ => None,
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
fn intern<'e>(words: &mut Vec<&'e str>, word: &'e str) -> usize {
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
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split('.')
        .filter(|piece| !piece.is_empty() && *piece != "*")
}
