//! Re-checking an edited Python file by re-running the rules only over the
//! top-level statements an edit touched (see [`check_file_incremental`]).

use std::ops::Range;

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
    /// when the range overlaps the replaced text (or strictly contains an
    /// insertion point).
    pub fn range(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let touches = if self.old.start < self.old.end {
            range.start < self.old.end && self.old.start < range.end
        } else {
            range.start < self.old.start && self.old.start < range.end
        };
        if touches {
            return None;
        }
        Some(self.offset(range.start)?..self.offset(range.end)?)
    }
}
