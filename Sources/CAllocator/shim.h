// glibc's allocator settings for Columnar's `Allocator` (malloc.h's mallopt and
// malloc_trim are not in Swift's Glibc module).
#include <stdio.h>
#include <malloc.h>

// With `on` (a load), blocks of 1 MB and more are mapped on their own and given back when
// freed: a load's temporaries (text coded in partitions, growing columns) then leave no
// freed heap behind (measured: 330 MB stayed resident after db-benchmark's K = 10 file,
// and its six-key group peaked at 1878 MB, 1477 MB this way). Without, every block comes
// from the heap and freed memory stays there for the next operator's reuse, however much
// is free at the heap's top (-1: never trimmed; with the largest positive threshold, 2 GB,
// a statement's freed gigabytes went back to the system, and the next statement faulted
// them in again page by page: a six-key group of 10^8 groups took 7.5-7.9 s the second
// time, 3.7 this way). The shell gives it back while it waits for a line.
static inline void pantau_map_large_blocks(int on) {
  mallopt(M_MMAP_MAX, on ? 65536 : 0);
  mallopt(M_MMAP_THRESHOLD, on ? (1 << 20) : (32 << 20));
  mallopt(M_TRIM_THRESHOLD, on ? (256 << 20) : -1);
}
// One heap for every thread: blocks a worker thread allocates (an aggregate's results
// finished on a second core, say) come from the heap the next statement reuses, not from
// an arena of that thread's own, whose freed blocks the main thread cannot reuse.
static inline void pantau_single_arena(void) { mallopt(M_ARENA_MAX, 1); }
// Gives the heap's free pages back to the system.
static inline void pantau_release_free_memory(void) { malloc_trim(0); }
// Asks for the cache line at `p` ahead of a write to it (a random update into a large
// per-group array waits on memory; asking a few rows ahead overlaps the waits).
static inline void pantau_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }
// Asks for the cache line at `p` ahead of a read of it (values read in an order of their
// own, a sorted grouping's).
static inline void pantau_prefetch_for_read(const void *p) { __builtin_prefetch(p, 0, 3); }
