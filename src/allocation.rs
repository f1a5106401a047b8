//! Which allocator suits the work at hand, for a binary that can switch.
//!
//! The `dlint` binary allocates through the system allocator until a run turns out to hold
//! many files, and through mimalloc from then on (see `src/main.rs`). The system allocator
//! starts with fewer page faults, which is most of a one-file run; mimalloc allocates and
//! frees in a fifth of the instructions, which is most of a large run. The library only
//! says when a large run starts; the binary does the rest.

use std::sync::atomic::{AtomicBool, Ordering};

static BULK: AtomicBool = AtomicBool::new(false);

/// Many files are about to be linted: allocations from here on may use the allocator that
/// is fast under heavy, multi-threaded use.
pub fn enter_bulk_mode() {
    BULK.store(true, Ordering::Relaxed);
}

/// Whether [`enter_bulk_mode`] was called.
pub fn bulk_mode() -> bool {
    BULK.load(Ordering::Relaxed)
}
