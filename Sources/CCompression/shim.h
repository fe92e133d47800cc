// zlib and zstd, for reading compressed files. inflateInit2 is a macro, so it is wrapped here.
#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

// Inflation that takes a gzip or a zlib stream (the header tells which).
static inline int pantau_inflate_init(z_stream *stream) { return inflateInit2(stream, 15 + 32); }
