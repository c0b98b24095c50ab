//! Deterministic work counters of a process: files read from disk, files
//! parsed, and Python module facts derived from a whole tree. Tests of the
//! command line read them (`SHIPSHAPE_STATS=1` prints them to stderr) to
//! guard "each file is read, parsed and its module facts derived once"
//! without timing anything.

use std::sync::atomic::{AtomicUsize, Ordering};

static FILES_READ: AtomicUsize = AtomicUsize::new(0);
static FILES_PARSED: AtomicUsize = AtomicUsize::new(0);
static MODULES_DERIVED: AtomicUsize = AtomicUsize::new(0);

/// Counts one file read from disk.
pub fn count_read() {
    FILES_READ.fetch_add(1, Ordering::Relaxed);
}

/// Counts one parse of a whole text (incremental re-parses included).
pub fn count_parse() {
    FILES_PARSED.fetch_add(1, Ordering::Relaxed);
}

/// Counts one derivation of a Python module's facts from a whole tree
/// (`python::Module::new`).
pub fn count_module() {
    MODULES_DERIVED.fetch_add(1, Ordering::Relaxed);
}

/// (files read, files parsed) so far in this process.
pub fn snapshot() -> (usize, usize) {
    (
        FILES_READ.load(Ordering::Relaxed),
        FILES_PARSED.load(Ordering::Relaxed),
    )
}

/// Python module facts derived from a whole tree so far in this process.
pub fn modules_derived() -> usize {
    MODULES_DERIVED.load(Ordering::Relaxed)
}
