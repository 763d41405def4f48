"""A long PDF in two processes: pdfium is not thread-safe, so each range of pages goes to a process of its own
(forkserver: the child imports only this package's modules, not the caller's Django state)."""
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

MIN_PAGES = 12  # below this, starting the processes (about 0.3 s) costs more than it saves


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def split(items: Sequence, parts: int) -> list[list]:
    """``items`` in ``parts`` contiguous runs of nearly equal length (none empty)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


def run(fn: Callable, calls: list[tuple], workers: int) -> list:
    """fn(*args) for each tuple of ``calls``, in order; in ``workers`` processes when there is more than one call."""
    if workers <= 1 or len(calls) <= 1:
        return [fn(*args) for args in calls]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers, len(calls)), mp_context=context) as pool:
        return list(pool.map(fn, *zip(*calls)))
