"""The performance suite: the program's operations against the machine's limits.

    python tests/benchmarks/run.py [--tickets N] [--pg] [--json PATH] [--repeat 5]
                                   [--quick] [--small N] [--no-docs]

Builds once (and caches in ``~/.cache/helpdesk-bench``, or a local PostgreSQL database) a
demo workspace of N tickets (default 1,000,000) with the program's own generator, plus one
ticket with 1,000 messages. Then measures, in this run and on this machine, each goal of
issue 11 (B1-B10, C, S, U, M1-M3) next to its limit probe (an empty Qt window, the raw
driver query of the same page, the raw full-text query, a raw ReportLab build), prints the
table, writes it as JSON with ``--json`` and into docs/PERFORMANCE.md (SQLite runs only;
``--pg`` runs go to their own section, after a ``VACUUM ANALYZE`` of the databases, which
the previous run's writes leave dead rows in). ``--quick`` shortens the M3 session.

Not collected by pytest; nothing is asserted. Medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_data, bench_service_rows, bench_suite
from tests.benchmarks.bench_table import Row, table_lines, write_json

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- suite:begin {} -->", "<!-- suite:end {} -->"


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True,
                            check=False).stdout.strip()
    load = os.getloadavg()
    return (f"CPU {cpu}, nproc {os.cpu_count()}, load {load[0]:.1f}/{load[1]:.1f}/"
            f"{load[2]:.1f} at start; Python {platform.python_version()}, SQLite "
            f"{__import__('sqlite3').sqlite_version}, {platform.platform()}\n\n"
            f"```\n$ free -h\n{memory}\n```")


def _m3(args: argparse.Namespace, bench: bench_data.BenchDatabase) -> Row:
    """M3 in a fresh process, so that its memory is the session's alone."""
    out = Path(tempfile.mkdtemp(prefix="hd-m3-")) / "m3.json"
    command = [sys.executable, __file__, "--m3-child", str(out), "--tickets",
               str(args.tickets)] + (["--pg"] if args.pg else []) + \
        (["--quick"] if args.quick else [])
    subprocess.run(command, check=True, cwd=ROOT)
    data = json.loads(out.read_text())
    return Row(**data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000,
                        help="the small database the S and M2 rows compare with")
    parser.add_argument("--pg", action="store_true", help="run against the local PostgreSQL")
    parser.add_argument("--json", type=Path, metavar="PATH")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="the short M3 session")
    parser.add_argument("--no-docs", action="store_true",
                        help="do not rewrite docs/PERFORMANCE.md")
    parser.add_argument("--m3-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    bench = bench_data.ensure(args.tickets, pg=args.pg)
    if args.m3_child:
        row = bench_suite.session_row(bench, args.quick)
        args.m3_child.write_text(json.dumps({
            "id": row.id, "operation": row.operation, "times": row.times,
            "limit_ms": row.limit_ms, "goal": row.goal, "passed": row.passed,
            "unit": row.unit}))
        return
    small = bench_data.ensure(args.small, pg=args.pg) if args.small != args.tickets else None
    for database_built in (bench, small):
        if database_built is not None and database_built.pg:
            seconds = bench_data.vacuum(database_built)
            print(f"{database_built.url}: VACUUM ANALYZE in {seconds:.1f} s")
        elif database_built is not None:
            seconds = bench_data.warm(database_built)
            print(f"{database_built.url}: read once into the page cache in {seconds:.1f} s")
    started = dt.datetime.now(dt.UTC)
    about = machine()
    print(f"{bench.url}: {args.tickets:,} tickets; repeat {args.repeat}")
    from helpdesk_desktop.storage.database import open_database

    rows: list[Row] = []
    # Launches first, with nothing of this process holding the database open: a launch, like
    # a user's, then finds a cleanly closed file (another process with it open would make it
    # run the integrity check at open: storage.database.needs_quick_check).
    startup, figures = bench_suite.startup_rows(bench, small, args.repeat)
    rows += startup
    print("start-up measured")
    database = open_database(bench.url)
    raw = bench_suite.Raw(bench.url)
    window, more = bench_suite.window_rows(bench, raw, args.repeat)
    figures.update(more)
    rows += window
    print("window measured")
    rows += bench_service_rows.service_rows(bench, database, raw, args.repeat)
    print("services measured")
    ticket = bench_suite.bench_long_id(bench) - 1
    raw.close()  # the CLI too is timed on a database no other process holds open
    database.dispose()
    rows += bench_suite.cli_rows(bench, ticket, lambda: bench_suite.Raw(bench.url),
                                 args.repeat)
    database = open_database(bench.url)
    raw = bench_suite.Raw(bench.url)
    rows.append(bench_suite.build_row(bench))
    if small is not None:
        small_figures = bench_suite.small_figures(small, args.repeat)
        small_figures["B1.table"] = figures["small.B1.table"]
        rows += bench_suite.scale_rows(figures, small_figures, args.tickets, args.small)
    rows.append(_m3(args, bench))
    scans = bench_service_rows.plan_scans(database)
    raw.close()
    database.dispose()

    order = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "C", "S", "U",
             "M1", "M2", "M3"]
    rows.sort(key=lambda r: order.index(r.id.split(".")[0]))
    lines = table_lines(rows)
    print("\n".join(lines))
    passed = sum(r.passed for r in rows)
    print(f"\n{passed} of {len(rows)} rows meet their goal.")
    print(f"Full scans of a big table in the query plans: {len(scans) or 'none'}")
    for line in scans:
        print("  " + line)
    if args.json:
        write_json(rows, args.json)
    if not args.no_docs:
        backend = "PostgreSQL" if args.pg else "SQLite"
        _update_doc(backend, args, started, about, lines, passed, len(rows), scans)


def _update_doc(backend: str, args: argparse.Namespace, started: dt.datetime, about: str,
                lines: list[str], passed: int, total: int, scans: list[str]) -> None:
    key = backend.lower()
    section = "\n".join([
        BEGIN.format(key),
        f"### Last run on {backend}: {args.tickets:,} tickets",
        "",
        (f"`python tests/benchmarks/run.py --tickets {args.tickets}"
         f"{' --pg' if args.pg else ''}{' --quick' if args.quick else ''}` at "
         f"{started:%Y-%m-%d %H:%M} UTC, medians of {args.repeat} runs; "
         f"{passed} of {total} rows meet their goal."),
        "",
        about,
        "",
        *lines,
        "",
        ("Full scans of a big table in the plans of the list, search, board and count queries: "
         + (f"{len(scans)}:" if scans else "none.")),
        "",
        *(f"- {line}" for line in scans),
        END.format(key),
    ])
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    begin, end = BEGIN.format(key), END.format(key)
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text)
    print(f"{DOC.relative_to(ROOT)} updated")


if __name__ == "__main__":
    main()
