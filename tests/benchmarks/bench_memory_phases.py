"""M3's scripted session by phase: where the resident memory grows.

    python tests/benchmarks/bench_memory_phases.py [--tickets 1000000] [--pg] [--quick]
                                                   [--trim]

Runs the suite's M3 session (``bench_suite.run_session``'s steps, in this process) and prints,
after each phase, the resident set (``/proc/self/status``: anonymous and file-backed), glibc's
``mallinfo2()`` (bytes in use, and free bytes in its free lists, resident or not: pages that
``malloc_trim`` gave back stay counted there), SQLite's ``sqlite3_memory_used()``, Python's
object arenas (1 MB each), the threads and the window's SQLite pool (connections idle /
open); at the end the anonymous memory by mapping. ``--trim`` also prints what
``malloc_trim(0)`` gives back at each sample and how long it took (and so changes the figures
after it). Point ``HELPDESK_BENCH_CACHE`` at a copy of the database: the session marks tickets
read. Figures only.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_data, bench_suite


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


_LIBC = ctypes.CDLL(ctypes.util.find_library("c"))
_LIBC.mallinfo2.restype = _Mallinfo2


def _sqlite_used() -> float:
    import _sqlite3

    try:
        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
    except AttributeError:  # linked to the shared library (Debian's, pyenv's builds)
        used = ctypes.CDLL("libsqlite3.so.0").sqlite3_memory_used
    used.restype = ctypes.c_int64
    return used() / 2**20


def _status() -> dict[str, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile", "Threads"):
            fields[key] = float(value.split()[0])
    return fields


def anonymous_by_kind() -> dict[str, float]:
    """Resident anonymous memory (MB) by the size of its mapping: glibc's main heap, its
    per-thread arenas (64 MB reservations), Python's 1 MB object arenas, and the rest."""
    kinds: dict[str, float] = {}
    size = 0
    name = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if "-" in parts[0] and not parts[0].endswith(":"):
            start, end = (int(x, 16) for x in parts[0].split("-"))
            size = end - start
            name = parts[5] if len(parts) > 5 else ""
        elif parts[0] == "Anonymous:" and int(parts[1]):
            if name == "[heap]":
                kind = "main heap"
            elif name.startswith("["):
                kind = name
            elif name:
                kind = "file mappings' anonymous pages"
            elif size in (2**26, 2**27) or size > 2**25:
                kind = "large anonymous mappings (thread arenas, ≥ 32 MB)"
            elif size == 2**20:
                kind = "1 MB mappings (Python's object arenas)"
            elif size in (8 * 2**20 + 4096, 8 * 2**20):
                kind = "8 MB mappings (thread stacks)"
            else:
                kind = "other anonymous mappings"
            kinds[kind] = kinds.get(kind, 0.0) + int(parts[1]) / 1024
    return kinds


def _python_arenas() -> int:
    """Python's object arenas (1 MB each in 3.10+, 256 KB before) held now."""
    for part in _pymalloc_summary().split("; "):
        if part.startswith("# arenas allocated current"):
            return int(part.rsplit(" ", 1)[1].replace(",", ""))
    return -1


def _pymalloc_summary() -> str:
    """The arenas line of ``sys._debugmallocstats()`` (which writes to the C stderr)."""
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        lines = out.read().splitlines()
    wanted = ("# arenas allocated current", "# arenas highwater", "Total")
    return "; ".join(" ".join(line.split()) for line in lines if line.startswith(wanted))


def _pool(window: object) -> str:
    """The window's connection pool: connections idle / open."""
    pool = window.bridge.desk._database.engine.pool  # type: ignore[attr-defined]
    if not hasattr(pool, "checkedin"):
        return "-"
    return f"{pool.checkedin()} idle/{pool.checkedin() + pool.checkedout()}"


def sample(label: str, trim: bool, window: object = None) -> None:
    status = _status()
    info = _LIBC.mallinfo2()
    line = (f"{label:42} RSS {status['VmRSS'] / 1024:6.1f}  anon {status['RssAnon'] / 1024:5.1f}"
            f"  file {status['RssFile'] / 1024:5.1f}  malloc used "
            f"{(info.uordblks + info.hblkhd) / 2**20:5.1f} free {info.fordblks / 2**20:5.1f}"
            f"  sqlite {_sqlite_used():4.1f}  Python arenas {_python_arenas():3d}"
            f"  threads {status['Threads']:.0f}")
    if window is not None:
        line += f"  pool {_pool(window)}"
    if trim:
        import time

        started = time.perf_counter()
        _LIBC.malloc_trim(0)
        took = (time.perf_counter() - started) * 1000
        line += f"  trimmed → {_status()['VmRSS'] / 1024:6.1f} in {took:.2f} ms"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--trim", action="store_true")
    args = parser.parse_args()
    from PySide6.QtCore import QModelIndex

    bench = bench_data.ensure(args.tickets, pg=args.pg)
    pages, opens, searches, pdfs = (100, 50, 5, 1) if args.quick else (10_000, 200, 20, 5)
    folder = Path(tempfile.mkdtemp(prefix="hd-m3phases-"))
    sample("the bench's imports", args.trim)
    with bench_suite.window_on(bench.url) as window:
        sample("the window open on its first page", args.trim, window)
        model = window.model
        words = list(bench_suite.SEARCHES.values())
        for half in range(2):
            bench_suite._wait_counted(model)
            for _ in range(pages // 2):
                if not model.is_positional() and not model.canFetchMore(QModelIndex()):
                    break
                bench_suite._scroll_page(window)
            sample(f"half {half + 1}: scroll", args.trim, window)
            for n in range(opens // 2):
                window.ticket_view.open_ticket(model.ticket_id(n * 7 % model.rowCount()))
                bench_suite.QApplication_process()
            sample(f"half {half + 1}: opens", args.trim, window)
            base = window.query
            for n in range(searches // 2 + half * (searches % 2)):
                model.set_query(dataclasses.replace(base, search=words[n % len(words)]))
                bench_suite.QApplication_process()
            model.set_query(dataclasses.replace(base, search=""))
            bench_suite.QApplication_process()
            sample(f"half {half + 1}: searches", args.trim, window)
            for n in range(pdfs // 2 + half * (pdfs % 2)):
                bench_suite.export_pdf(window, model.ticket_id(n), folder / f"{n}.pdf")
            sample(f"half {half + 1}: PDFs", args.trim, window)
        for kind, mb in sorted(anonymous_by_kind().items(), key=lambda item: -item[1]):
            print(f"  {kind:55} {mb:6.1f} MB")
        print(f"  Python's object allocator: {_pymalloc_summary()}")


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
