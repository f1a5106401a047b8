//! The `dlint` binary: everything lives in the library's `cli` module. It runs on mimalloc:
//! a corpus run made a fifth of its instructions in glibc's malloc and free, and mimalloc takes
//! about a fifth off its CPU time. mimalloc is built without transparent huge pages (feature
//! `no_thp`), which doubled peak memory.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;
use std::process::ExitCode;

use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned};
use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};

/// Every mimalloc block of at least this size is aligned to it, so the plain (faster) calls
/// serve those layouts.
const MIN_ALIGN: usize = 16;

struct MiMalloc;

fn plain(layout: &Layout) -> bool {
    layout.align() <= MIN_ALIGN && layout.align() <= layout.size()
}

// SAFETY: mimalloc's calls meet `GlobalAlloc`'s contract; a layout it cannot align goes to the
// aligned calls.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            unsafe { mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MIN_ALIGN && layout.align() <= new_size {
            unsafe { mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast() }
        }
    }
}

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// `calloc` for tree-sitter (mimalloc's own is in its extended API).
unsafe extern "C" fn mi_calloc(count: usize, size: usize) -> *mut c_void {
    match count.checked_mul(size) {
        Some(total) => unsafe { mi_zalloc(total) },
        None => std::ptr::null_mut(),
    }
}

fn main() -> ExitCode {
    // tree-sitter allocates through libc's malloc unless told otherwise: one allocator, one
    // heap. SAFETY: runs before any other thread starts and before tree-sitter allocates.
    unsafe {
        tree_sitter::set_allocator(
            Some(mi_malloc),
            Some(mi_calloc),
            Some(mi_realloc),
            Some(mi_free),
        );
    }
    dlint::cli::run()
}
