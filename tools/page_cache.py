"""The page cache, for the cold-load benchmark: drop a file from it, check that it is gone, and read a file the way
the disk allows at best (a plain sequential read, and one with O_DIRECT that bypasses the cache).

No root needed: POSIX_FADV_DONTNEED drops a file's clean pages, so the file is flushed to disk (fsync) first;
dirty pages would stay. mincore(2) then says how many pages are still cached: a cold measurement counts only when
that is 0 (the kernel may keep a page that another process has mapped or locked).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import mmap
import os
import time
from pathlib import Path

PAGE = mmap.PAGESIZE
CHUNK = 64 << 20  # bytes per read() call: large enough that the call overhead does not count

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_ubyte)]
_MAP_FAILED = ctypes.c_void_p(-1).value


def evict(path: str | Path) -> None:
    """Ask the kernel to drop every cached page of the file (flushed first: only clean pages can be dropped)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def resident_pages(path: str | Path) -> tuple[int, int]:
    """(pages of the file in the page cache, pages in the file), from mincore(2) on a mapping of the file.
    Mapping a file reads nothing, so the check does not change what it measures."""
    size = os.path.getsize(path)
    pages = (size + PAGE - 1) // PAGE
    if size == 0:
        return 0, 0
    fd = os.open(path, os.O_RDONLY)
    try:
        address = _libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        if address in (None, _MAP_FAILED):
            raise OSError(ctypes.get_errno(), f"mmap of {path} failed")
        try:
            vector = (ctypes.c_ubyte * pages)()
            if _libc.mincore(address, size, vector):
                raise OSError(ctypes.get_errno(), f"mincore on {path} failed")
            return sum(byte & 1 for byte in vector), pages
        finally:
            _libc.munmap(address, size)
    finally:
        os.close(fd)


def cold(path: str | Path, evict_first: bool = True) -> dict:
    """Evict the file (unless told not to: the tests use that to make an invalid run) and check the result.
    Returns {"resident_pages", "pages", "evicted"}; a measurement taken when "evicted" is False is not cold."""
    if evict_first:
        evict(path)
    resident, pages = resident_pages(path)
    return {"resident_pages": resident, "pages": pages, "evicted": resident == 0}


class DirectUnavailable(Exception):
    """The filesystem refused O_DIRECT (tmpfs and some network filesystems do)."""


def read_all(path: str | Path, direct: bool = False) -> float:
    """Seconds to read the whole file sequentially into a new buffer, CHUNK bytes per call.
    With direct=True the file is opened with O_DIRECT: the reads go to the device, past the page cache, into a
    page-aligned buffer (an anonymous mmap is one), in lengths that are whole pages, as O_DIRECT requires."""
    size = os.path.getsize(path)
    room = max(PAGE, (size + PAGE - 1) // PAGE * PAGE)
    flags = os.O_RDONLY | (getattr(os, "O_DIRECT", 0) if direct else 0)
    if direct and not hasattr(os, "O_DIRECT"):
        raise DirectUnavailable("this system has no O_DIRECT")
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if direct and error.errno in (errno.EINVAL, errno.EOPNOTSUPP):
            raise DirectUnavailable(f"open(O_DIRECT): {os.strerror(error.errno)}") from error
        raise
    try:
        buffer = mmap.mmap(-1, room)  # anonymous memory, not zero-filled up front (a bytearray would be)
        view, done = memoryview(buffer), 0
        start = time.perf_counter()
        while done < size:
            try:
                got = os.preadv(fd, [view[done:min(done + CHUNK, room)]], done)
            except OSError as error:
                if direct and error.errno == errno.EINVAL:
                    raise DirectUnavailable(f"read with O_DIRECT: {os.strerror(error.errno)}") from error
                raise
            if got == 0:
                break
            done += got
        seconds = time.perf_counter() - start
        view.release()
        buffer.close()
    finally:
        os.close(fd)
    if done != size:
        raise OSError(f"read {done} of {size} bytes of {path}")
    return seconds
