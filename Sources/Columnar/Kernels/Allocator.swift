import CAllocator
import Synchronization

/// The process's memory policy. A statement allocates and frees columns of tens of MB;
/// served from fresh mappings, each is zeroed by the kernel page by page on first touch
/// (a third of a grouping's time, measured), so the executable keeps freed memory in the
/// heap for the next operator and statement (`keepFreedMemory`). A load is the exception:
/// its dictionaries and columns grow by doubling, and on the heap the blocks they leave
/// behind cannot hold the next, larger one, so a load maps its blocks of 1 MB and more and
/// gives them back as it goes (`whileLoading`; a load of 4.3 million distinct text values
/// peaked at 2.06 GB on the heap, 1.81 GB this way; with blocks from 32 MB only, a load
/// of a million distinct values left 330 MB of freed heap resident). Its smaller blocks
/// still leave holes in the heap, too small for the next statement's columns: the free
/// pages are given back when it ends (db-benchmark's K = 2 file: 699 MB resident after its
/// load, not 971, and its six-key group's peak 1351 MB, not 1486). Every thread allocates
/// from the one heap (`pantau_single_arena`): with an arena per thread, the ten groupby
/// questions of db-benchmark's K = 2 file in a row peaked at 1594 MB, not 1417, and the
/// six-key group after the others took 1.19 s, not 0.58 (measured with MALLOC_ARENA_MAX).
public enum Allocator {
  private static let heapOnly = Atomic<Bool>(false)

  /// From now on, every block comes from the heap and freed memory stays there.
  public static func keepFreedMemory() {
    heapOnly.store(true, ordering: .relaxed)
    pantau_single_arena()
    pantau_map_large_blocks(0)
  }

  /// Gives free memory back to the system (the shell does while it waits for a line).
  public static func releaseFreeMemory() { pantau_release_free_memory() }

  /// `body` with large blocks mapped on their own, then the policy as it was.
  static func whileLoading<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
    let keep = heapOnly.load(ordering: .relaxed)
    if keep { pantau_map_large_blocks(1) }
    defer {
      if keep {
        pantau_map_large_blocks(0)
        pantau_release_free_memory()
      }
    }
    return try body()
  }
}
