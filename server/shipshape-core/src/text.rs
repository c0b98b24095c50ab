//! Text positions: the one module that converts between byte offsets and
//! line/column positions in a client's encoding.
//!
//! Everything else in shipshape works with byte offsets into UTF-8 text. A
//! column is counted in UTF-8 bytes, UTF-16 code units or Unicode scalar
//! values, depending on the [`Encoding`] negotiated with the client (the LSP
//! edge) or chosen by the command line (characters, like a compiler).

use std::ops::Range;

use ropey::Rope;

/// How the columns of a [`Position`] are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units (what LSP uses unless told otherwise).
    Utf16,
    /// Unicode scalar values (characters).
    Utf32,
}

/// A zero-based line and column, the column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// Why a position could not be turned into an offset.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PositionError {
    #[error("line {line} is past the end of the document ({lines} lines)")]
    LineOutOfRange { line: u32, lines: usize },
    #[error("range start {start:?} is after its end {end:?}")]
    Inverted { start: Position, end: Position },
}

/// Line/column lookups over a text. Built from a [`Rope`] so that it is cheap
/// to keep in step with incremental edits.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r` — what LSP counts (ropey with
/// `cr_lines` and without `unicode_lines`).
pub struct LineIndex<'a> {
    rope: &'a Rope,
}

impl<'a> LineIndex<'a> {
    pub fn new(rope: &'a Rope) -> Self {
        Self { rope }
    }

    /// The position of a byte offset. Offsets past the end clamp to the end,
    /// offsets inside a character clamp to its start.
    ///
    /// The server converts every finding's range and fix edits on every
    /// keystroke, so this finds the line with two rope lookups and counts
    /// the column over the bytes between the line's start and the offset
    /// (a run of ASCII counts as its length in every encoding), rather than
    /// going through ropey's char and UTF-16 indices (four more lookups,
    /// each counting from the start of a chunk).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let rope = self.rope;
        let offset = offset.min(rope.len_bytes());
        let line = rope.byte_to_line(offset);
        let line_start = rope.line_to_byte(line);
        let mut column = 0;
        let (mut chunks, mut chunk_start, _, _) = rope.chunks_at_byte(line_start);
        while chunk_start < offset {
            let Some(chunk) = chunks.next() else { break };
            let from = line_start.saturating_sub(chunk_start);
            // Ropey never splits a character between chunks, so an offset
            // inside one clamps to its start within this chunk.
            let mut to = (offset - chunk_start).min(chunk.len());
            while !chunk.is_char_boundary(to) {
                to -= 1;
            }
            column += columns(&chunk.as_bytes()[from..to], encoding);
            chunk_start += chunk.len();
        }
        Position::new(line as u32, column as u32)
    }

    /// The zero-based line holding a byte offset (offsets past the end
    /// clamp to the end).
    pub fn line(&self, offset: usize) -> usize {
        self.rope.byte_to_line(offset.min(self.rope.len_bytes()))
    }

    /// The byte offset where a zero-based line starts (the end of the text
    /// for lines past it).
    pub fn line_start(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            self.rope.len_bytes()
        } else {
            self.rope.line_to_byte(line)
        }
    }

    /// The byte offset of a position. A column past the end of its line
    /// clamps to the end of the line (before its line break), as LSP asks;
    /// a column inside a character clamps to the character's start; a line
    /// past the end is an error.
    pub fn offset(&self, position: Position, encoding: Encoding) -> Result<usize, PositionError> {
        let rope = self.rope;
        let line = position.line as usize;
        let lines = rope.len_lines();
        if line >= lines {
            // LSP lets a client address the position just past the last line
            // break as (lines, 0); ropey already counts that empty last line.
            return Err(PositionError::LineOutOfRange {
                line: position.line,
                lines,
            });
        }
        let line_slice = rope.line(line);
        let line_start_char = rope.line_to_char(line);
        let content_chars = line_content_chars(&line_slice);
        let column = position.column as usize;
        let char_in_line = match encoding {
            Encoding::Utf8 => {
                let byte = column.min(line_slice.len_bytes());
                let char_in_line = line_slice.byte_to_char(byte);
                char_in_line.min(content_chars)
            }
            Encoding::Utf16 => {
                let units = column.min(line_slice.len_utf16_cu());
                line_slice.utf16_cu_to_char(units).min(content_chars)
            }
            Encoding::Utf32 => column.min(content_chars),
        };
        Ok(rope.char_to_byte(line_start_char + char_in_line))
    }

    /// The byte range of a position range; rejects inverted ranges.
    pub fn range(
        &self,
        start: Position,
        end: Position,
        encoding: Encoding,
    ) -> Result<Range<usize>, PositionError> {
        if end < start {
            return Err(PositionError::Inverted { start, end });
        }
        Ok(self.offset(start, encoding)?..self.offset(end, encoding)?)
    }

    /// The byte range of a zero-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let rope = self.rope;
        let line = line.min(rope.len_lines().saturating_sub(1));
        let start = rope.line_to_byte(line);
        let slice = rope.line(line);
        let content = line_content_chars(&slice);
        start..start + slice.char_to_byte(content)
    }
}

/// The width of whole UTF-8 characters in an encoding's units.
fn columns(bytes: &[u8], encoding: Encoding) -> usize {
    if encoding == Encoding::Utf8 || bytes.is_ascii() {
        return bytes.len();
    }
    // A character is one byte that is not a continuation byte (10xxxxxx);
    // one of four bytes (lead 11110xxx) takes two UTF-16 units.
    let chars = bytes.iter().filter(|&&byte| (byte as i8) >= -0x40).count();
    match encoding {
        Encoding::Utf16 => chars + bytes.iter().filter(|&&byte| byte >= 0xF0).count(),
        _ => chars,
    }
}

/// Number of characters of a line before its line break.
fn line_content_chars(line: &ropey::RopeSlice<'_>) -> usize {
    let chars = line.len_chars();
    if chars >= 2 && line.char(chars - 2) == '\r' && line.char(chars - 1) == '\n' {
        chars - 2
    } else if chars >= 1 && matches!(line.char(chars - 1), '\n' | '\r') {
        chars - 1
    } else {
        chars
    }
}

/// A replacement of a byte range of a text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(range: Range<usize>, new_text: impl Into<String>) -> Self {
        Self {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(offset: usize, new_text: impl Into<String>) -> Self {
        Self::replace(offset..offset, new_text)
    }

    pub fn delete(range: Range<usize>) -> Self {
        Self::replace(range, "")
    }
}

/// Why a set of edits cannot be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("edit {0:?} is outside the text or not on a character boundary")]
    OutOfBounds(Range<usize>),
    #[error("edits {0:?} and {1:?} overlap")]
    Overlap(Range<usize>, Range<usize>),
}

/// Applies non-overlapping edits (in any order) to a text. Edits that insert
/// at the same offset are applied in the order given.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Result<String, EditError> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut previous: Option<&Range<usize>> = None;
    for edit in sorted {
        let range = &edit.range;
        if range.start > range.end
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            return Err(EditError::OutOfBounds(range.clone()));
        }
        if let Some(prev) = previous
            && range.start < prev.end
        {
            return Err(EditError::Overlap(prev.clone(), range.clone()));
        }
        out.push_str(&text[cursor..range.start]);
        out.push_str(&edit.new_text);
        cursor = range.end;
        previous = Some(range);
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// Whether `needle` occurs in `haystack`, found with memchr's vectorized
/// search: the prefilters that read a whole file for a word (suppression
/// comments at every keystroke, project facts once per file) scan several
/// times faster than with `str::contains`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// One edit turning `before` into `after`: the span between their common
/// prefix and suffix (on character boundaries).
pub fn minimal_edit(before: &str, after: &str) -> Option<TextEdit> {
    if before == after {
        return None;
    }
    let mut prefix = common_prefix(before.as_bytes(), after.as_bytes());
    while !before.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = before.len().min(after.len()) - prefix;
    let mut suffix = common_suffix(
        &before.as_bytes()[before.len() - max_suffix..],
        &after.as_bytes()[after.len() - max_suffix..],
    );
    while !before.is_char_boundary(before.len() - suffix) {
        suffix -= 1;
    }
    Some(TextEdit::replace(
        prefix..before.len() - suffix,
        &after[prefix..after.len() - suffix],
    ))
}

/// Blocks compared at once by [`common_prefix`] and [`common_suffix`]
/// (a slice comparison, vectorized), before the bytes of the block that
/// differs: an open document's text is compared at every keystroke.
const BLOCK: usize = 64;

/// The length of the longest common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= n && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..n]
        .iter()
        .zip(&b[at..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the longest common suffix of `a` and `b`.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut at = n;
    while at >= BLOCK && a[at - BLOCK..at] == b[at - BLOCK..at] {
        at -= BLOCK;
    }
    n - at
        + a[..at]
            .iter()
            .rev()
            .zip(b[..at].iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
}

/// One edit of a text: `old` (bytes of the text before) became `new_len`
/// bytes. Maps offsets and ranges of the old text into the new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    pub old: Range<usize>,
    pub new_len: usize,
}

impl Shift {
    pub fn new(old: Range<usize>, new_len: usize) -> Shift {
        Shift { old, new_len }
    }

    /// No edit at all (what the server holds right after a check).
    pub fn identity() -> Shift {
        Shift::new(0..0, 0)
    }

    pub fn is_identity(&self) -> bool {
        self.old.is_empty() && self.new_len == 0
    }

    /// The new offset of an old one; `None` strictly inside the replaced text.
    pub fn offset(&self, offset: usize) -> Option<usize> {
        if offset <= self.old.start {
            Some(offset)
        } else if offset >= self.old.end {
            Some(offset - self.old.end + self.old.start + self.new_len)
        } else {
            None
        }
    }

    /// The new range of an old one whose text the edit left alone; `None`
    /// when the range overlaps the replaced text, holds an insertion point
    /// strictly inside, or is empty at one (ambiguous).
    pub fn range(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let (start, end) = (self.old.start, self.old.end);
        let moved = |range: &Range<usize>| {
            range.start - end + start + self.new_len..range.end - end + start + self.new_len
        };
        if start == end {
            if range.end < start || (range.end == start && range.start < start) {
                Some(range.clone())
            } else if range.start > start || (range.start == start && range.end > start) {
                Some(moved(range))
            } else {
                None
            }
        } else if range.end <= start {
            Some(range.clone())
        } else if range.start >= end {
            Some(moved(range))
        } else {
            None
        }
    }
}

impl Shift {
    /// This edit followed by `next` (in the coordinates of the text after
    /// this one), as one edit of the original text covering both.
    pub fn then(&self, next: &Shift) -> Shift {
        if self.is_identity() {
            return next.clone();
        }
        if next.is_identity() {
            return self.clone();
        }
        let ours_end = self.old.start + self.new_len;
        let start = self.old.start.min(next.old.start);
        let end = ours_end.max(next.old.end);
        Shift {
            old: start..end - ours_end + self.old.end,
            new_len: end - start - (next.old.end - next.old.start) + next.new_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Rope {
        Rope::from_str(text)
    }

    #[test]
    fn positions_count_columns_in_each_encoding() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 UTF-16 units; "中" 3 bytes / 1 unit.
        let rope = index("a = 1\nx = \"é😀中\" # y\r\nlast");
        let lines = LineIndex::new(&rope);
        let y = "a = 1\nx = \"é😀中\" # ".len();
        assert_eq!(lines.position(y, Encoding::Utf8), Position::new(1, 18));
        assert_eq!(lines.position(y, Encoding::Utf16), Position::new(1, 13));
        assert_eq!(lines.position(y, Encoding::Utf32), Position::new(1, 12));
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let position = lines.position(y, encoding);
            assert_eq!(lines.offset(position, encoding), Ok(y));
        }
        let last = rope.len_bytes() - 4;
        assert_eq!(lines.position(last, Encoding::Utf16), Position::new(2, 0));
    }

    #[test]
    fn columns_before_and_after_multibyte_characters() {
        // "é": 2 bytes, 1 UTF-16 unit, 1 char; "🎉": 4 bytes, 2 units, 1 char.
        let text = "é🎉x\r\nab🎉c\né";
        let rope = index(text);
        let lines = LineIndex::new(&rope);
        let at = |needle: &str, encoding| lines.position(text.find(needle).unwrap(), encoding);
        let expect = [
            // (needle, utf8, utf16, utf32)
            ("é🎉", (0, 0), (0, 0), (0, 0)),
            ("🎉x", (0, 2), (0, 1), (0, 1)),
            ("x\r", (0, 6), (0, 3), (0, 2)),
            ("\r\n", (0, 7), (0, 4), (0, 3)),
            ("ab", (1, 0), (1, 0), (1, 0)),
            ("🎉c", (1, 2), (1, 2), (1, 2)),
            ("c\n", (1, 6), (1, 4), (1, 3)),
            ("\né", (1, 7), (1, 5), (1, 4)),
        ];
        for (needle, utf8, utf16, utf32) in expect {
            let expected = |(line, column)| Position::new(line, column);
            assert_eq!(at(needle, Encoding::Utf8), expected(utf8), "{needle:?}");
            assert_eq!(at(needle, Encoding::Utf16), expected(utf16), "{needle:?}");
            assert_eq!(at(needle, Encoding::Utf32), expected(utf32), "{needle:?}");
        }
        // Inside "🎉" clamps to its start; at and past the end is the end.
        let inside = text.find("🎉c").unwrap() + 3;
        assert_eq!(lines.position(inside, Encoding::Utf8), Position::new(1, 2));
        assert_eq!(lines.position(inside, Encoding::Utf16), Position::new(1, 2));
        let end = [(2, 2), (2, 1), (2, 1)];
        for (encoding, (line, column)) in ENCODINGS.into_iter().zip(end) {
            let position = Position::new(line, column);
            assert_eq!(lines.position(text.len(), encoding), position);
            assert_eq!(lines.position(text.len() + 9, encoding), position);
        }
    }

    const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    /// Positions as ropey's char and UTF-16 indices give them (how
    /// `LineIndex::position` counted before its byte scan).
    fn reference_position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(rope.len_bytes());
        let line = rope.byte_to_line(offset);
        let char_index = rope.byte_to_char(offset);
        let line_start_char = rope.line_to_char(line);
        let column = match encoding {
            Encoding::Utf8 => rope.char_to_byte(char_index) - rope.line_to_byte(line),
            Encoding::Utf16 => {
                rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_start_char)
            }
            Encoding::Utf32 => char_index - line_start_char,
        };
        Position::new(line as u32, column as u32)
    }

    #[test]
    fn positions_agree_with_ropey_char_indices_at_every_offset() {
        // Long lines span several rope chunks (about a kilobyte each).
        let mut long = String::new();
        for i in 0..400 {
            long.push_str(["ab", "é", "🎉", "中", "\r\n", "\r", "\n", "x y"][i * 7 % 8]);
            if i % 50 == 0 {
                long.push_str(&"z".repeat(700));
            }
        }
        let texts = ["", "a", "\r\n", "é", "🎉\r\n🎉", "a\rb\n\nc", long.as_str()];
        for text in texts {
            let rope = index(text);
            let lines = LineIndex::new(&rope);
            for offset in 0..=text.len() + 1 {
                for encoding in ENCODINGS {
                    assert_eq!(
                        lines.position(offset, encoding),
                        reference_position(&rope, offset, encoding),
                        "offset {offset} {encoding:?} of {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn columns_past_the_line_clamp_to_its_end() {
        let rope = index("ab\r\ncd");
        let lines = LineIndex::new(&rope);
        assert_eq!(lines.offset(Position::new(0, 99), Encoding::Utf16), Ok(2));
        assert_eq!(lines.offset(Position::new(1, 99), Encoding::Utf8), Ok(6));
        assert!(lines.offset(Position::new(5, 0), Encoding::Utf8).is_err());
        assert_eq!(lines.line_range(0), 0..2);
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_clamps_to_the_character() {
        let rope = index("😀x");
        let lines = LineIndex::new(&rope);
        assert_eq!(lines.offset(Position::new(0, 1), Encoding::Utf16), Ok(0));
        assert_eq!(lines.offset(Position::new(0, 2), Encoding::Utf16), Ok(4));
        assert_eq!(lines.offset(Position::new(0, 2), Encoding::Utf8), Ok(0));
    }

    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        let rope = index("a\rb\n");
        let lines = LineIndex::new(&rope);
        assert_eq!(lines.position(2, Encoding::Utf8), Position::new(1, 0));
        assert_eq!(rope.len_lines(), 3);
    }

    #[test]
    fn inverted_ranges_are_rejected() {
        let rope = index("abc");
        let lines = LineIndex::new(&rope);
        assert!(matches!(
            lines.range(Position::new(0, 2), Position::new(0, 1), Encoding::Utf8),
            Err(PositionError::Inverted { .. })
        ));
    }

    #[test]
    fn edits_apply_in_offset_order_and_overlaps_are_refused() {
        let text = "hello world";
        let edits = [
            TextEdit::replace(6..11, "there"),
            TextEdit::insert(0, ">> "),
        ];
        assert_eq!(apply_edits(text, &edits).unwrap(), ">> hello there");
        let overlapping = [TextEdit::delete(0..5), TextEdit::delete(3..6)];
        assert!(matches!(
            apply_edits(text, &overlapping),
            Err(EditError::Overlap(..))
        ));
        assert!(matches!(
            apply_edits(text, &[TextEdit::delete(3..99)]),
            Err(EditError::OutOfBounds(_))
        ));
    }

    #[test]
    fn the_minimal_edit_covers_only_the_change() {
        let edit = minimal_edit("a = '😀'\nexcept:\n", "a = '😀'\nexcept Exception:\n").unwrap();
        assert_eq!(edit.new_text, " Exception");
        let after_except = "a = '😀'\nexcept".len();
        assert_eq!(edit.range, after_except..after_except);
        // Differing inside a multi-byte character backs off to its start.
        let edit = minimal_edit("x😀y", "x😃y").unwrap();
        assert_eq!((edit.range, edit.new_text.as_str()), (1..5, "😃"));
        assert!(minimal_edit("same", "same").is_none());
        let edit = minimal_edit("aaa", "aa").unwrap();
        assert_eq!(apply_edits("aaa", &[edit]).unwrap(), "aa");
    }

    proptest::proptest! {
        /// The block-wise scans find what a byte-by-byte one finds, the
        /// difference on either side of a block's edge or none at all.
        #[test]
        fn common_prefix_and_suffix_equal_a_byte_scan(
            text in "[ab]{0,300}",
            at in 0usize..300,
            cut in 0usize..4,
            insert in "[abc]{0,3}",
        ) {
            let at = at.min(text.len());
            let end = (at + cut).min(text.len());
            let other = format!("{}{insert}{}", &text[..at], &text[end..]);
            let (a, b) = (text.as_bytes(), other.as_bytes());
            let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
            proptest::prop_assert_eq!(common_prefix(a, b), prefix);
            proptest::prop_assert_eq!(common_suffix(a, b), suffix);
            if let Some(edit) = minimal_edit(&text, &other) {
                proptest::prop_assert_eq!(apply_edits(&text, &[edit]).unwrap(), other);
            }
        }
    }
}
