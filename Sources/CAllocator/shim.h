// glibc's allocator settings for Columnar's `Allocator` (malloc.h's mallopt and
// malloc_trim are not in Swift's Glibc module).
#include <stdio.h>
#include <malloc.h>

// With `on`, blocks of 32 MB and more are mapped on their own and given back when freed
// (glibc's default); without, every block comes from the heap and freed memory stays there
// for reuse.
static inline void pantau_map_large_blocks(int on) {
  mallopt(M_MMAP_MAX, on ? 65536 : 0);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, on ? (256 << 20) : 0x7fffffff);
}
// Gives the heap's free pages back to the system.
static inline void pantau_release_free_memory(void) { malloc_trim(0); }
// Asks for the cache line at `p` ahead of a write to it (a random update into a large
// per-group array waits on memory; asking a few rows ahead overlaps the waits).
static inline void pantau_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }
