//! Deterministic work counters of a process: files read from disk and
//! files parsed. Tests of the command line read them (`SHIPSHAPE_STATS=1`
//! prints them to stderr) to guard "each file is read and parsed once"
//! without timing anything.

use std::sync::atomic::{AtomicUsize, Ordering};

static FILES_READ: AtomicUsize = AtomicUsize::new(0);
static FILES_PARSED: AtomicUsize = AtomicUsize::new(0);

/// Counts one file read from disk.
pub fn count_read() {
    FILES_READ.fetch_add(1, Ordering::Relaxed);
}

/// Counts one parse of a whole text (incremental re-parses included).
pub fn count_parse() {
    FILES_PARSED.fetch_add(1, Ordering::Relaxed);
}

/// (files read, files parsed) so far in this process.
pub fn snapshot() -> (usize, usize) {
    (
        FILES_READ.load(Ordering::Relaxed),
        FILES_PARSED.load(Ordering::Relaxed),
    )
}
