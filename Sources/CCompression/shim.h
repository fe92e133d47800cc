// zlib and zstd, for reading compressed files. inflateInit2 is a macro, so it is wrapped here.
#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

// Inflation that takes a gzip or a zlib stream (the header tells which).
static inline int pantau_inflate_init(z_stream *stream) { return inflateInit2(stream, 15 + 32); }

// The allocator's policy (malloc.h's mallopt is not in Swift's Glibc module), set through
// Columnar's `Allocator`: with `on`, blocks of 32 MB and more are mapped on their own and
// given back when freed (glibc's default); without, every block comes from the heap and
// freed memory stays there for reuse.
#include <malloc.h>
static inline void pantau_map_large_blocks(int on) {
  mallopt(M_MMAP_MAX, on ? 65536 : 0);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, on ? (256 << 20) : 0x7fffffff);
}
// Gives the heap's free pages back to the system.
static inline void pantau_release_free_memory(void) { malloc_trim(0); }
