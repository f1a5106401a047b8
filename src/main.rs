//! The `dlint` binary: everything lives in the library's `cli` module.
//!
//! It allocates through the system allocator until the library enters bulk mode (a run with
//! many files, [`dlint::allocation`]), and through mimalloc from then on: a one-file run
//! starts faster on glibc (fewer page faults), a corpus run made a fifth of its instructions
//! in glibc's malloc and free, which mimalloc cuts to a fifth. mimalloc is built without
//! transparent huge pages (feature `no_thp`), which doubled peak memory. A block is freed by
//! the allocator that owns it, whichever mode is on by then.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_void;
use std::process::ExitCode;

use dlint::allocation::bulk_mode;
use libmimalloc_sys::{mi_free, mi_is_in_heap_region, mi_malloc, mi_malloc_aligned};
use libmimalloc_sys::{mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned};

/// Every mimalloc block of at least this size is aligned to it, so the plain (faster) calls
/// serve those layouts.
const MIN_ALIGN: usize = 16;

struct Switching;

fn plain(align: usize, size: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

fn owned_by_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: mimalloc looks the address up in its page map; any address is allowed.
    unsafe { mi_is_in_heap_region(ptr.cast::<c_void>().cast_const()) }
}

// SAFETY: each call goes to mimalloc or to the system allocator, which both meet
// `GlobalAlloc`'s contract; frees and reallocations go to the allocator that owns the block.
unsafe impl GlobalAlloc for Switching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !bulk_mode() {
            return unsafe { System.alloc(layout) };
        }
        if plain(layout.align(), layout.size()) {
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            unsafe { mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !bulk_mode() {
            return unsafe { System.alloc_zeroed(layout) };
        }
        if plain(layout.align(), layout.size()) {
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if owned_by_mimalloc(ptr) {
            unsafe { mi_free(ptr.cast()) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !owned_by_mimalloc(ptr) {
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        if plain(layout.align(), new_size) {
            unsafe { mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast() }
        }
    }
}

#[global_allocator]
static GLOBAL: Switching = Switching;

extern "C" {
    /// POSIX `_exit`: ends the process without running `atexit` handlers.
    fn _exit(status: std::ffi::c_int) -> !;
}

fn main() -> ExitCode {
    let status = dlint::cli::run_status();
    if bulk_mode() {
        // mimalloc, linked statically, hands every page back to the OS from its `atexit`
        // handler (`mi_collect(true)`: a walk over all its pages and ~150 `madvise` calls
        // after a corpus run), which the kernel does anyway when the process ends. The output
        // is written and flushed (`check` flushes what it prints; stderr is unbuffered), and
        // nothing else is registered to run at exit.
        let _ = std::io::Write::flush(&mut std::io::stdout());
        unsafe { _exit(status as std::ffi::c_int) }
    }
    status.into()
}
