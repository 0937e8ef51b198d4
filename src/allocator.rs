//! Allocator settings for a long-running server: large blocks go back to the OS when freed.
//!
//! glibc serves blocks of 128 KiB and more with mmap and unmaps them on free, but each time it
//! frees such a block it raises that threshold to the block's size (up to 32 MiB). After one
//! large frame (a 400×200 visitor: ~3.8 MB per scratch buffer) every later block below the new
//! threshold comes from the heap, and freeing it keeps it resident: two such visitors left
//! ~11 MB behind for good (measured with tests/it/hostile_cost/). Setting the threshold fixes it
//! and turns that adjustment off. Blocks that size are rare here (a huge frame, a large
//! packet), so the extra mmap calls cost nothing measurable.

/// Blocks at least this large are mmapped and returned to the OS when freed.
pub const MMAP_THRESHOLD: usize = 128 * 1024;

/// Applies the settings; call once at start. Does nothing where
/// the C library is not glibc.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes malloc's parameters, under glibc's own lock. A refusal
        // (return 0) leaves glibc's defaults, which still work.
        let _ =
            unsafe { glibc::mallopt(glibc::M_MMAP_THRESHOLD, MMAP_THRESHOLD as std::ffi::c_int) };
    }
}

/// glibc's `mallopt`, declared by hand: it is the server's only use of the C library beyond
/// what std and tokio wrap, and one declaration of a stable glibc ABI is cheaper to read than
/// a direct `libc` dependency in the server crate (the bench tools keep theirs).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    /// `M_MMAP_THRESHOLD` from glibc's `<malloc.h>`.
    pub const M_MMAP_THRESHOLD: c_int = -3;

    unsafe extern "C" {
        /// `int mallopt(int param, int value)`: 1 on success, 0 on error.
        pub fn mallopt(param: c_int, value: c_int) -> c_int;
    }
}
