"""The suite's service-level rows (B3's service calls, B8's PDF, B9's writes) and the query
plans' full-scan check, measured through the application facade without a window (see
``run.py``). Figures only; nothing here is a test.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpdesk_desktop.application import startup
from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import SortKey, View
from helpdesk_desktop.services.dto import PageCursor, TicketFilters, TicketQuery
from helpdesk_desktop.storage.database import Database
from tests.benchmarks.bench_data import BenchDatabase
from tests.benchmarks.bench_suite import PAGE, SEARCHES, Raw, _median, bench_long_id
from tests.benchmarks.bench_table import Row, timed


def service_rows(bench: BenchDatabase, database: Database, raw: Raw,
                 repeat: int) -> list[Row]:
    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    rows: list[Row] = []
    open_count = raw.count_open()
    key = raw.middle_key(open_count)
    query = TicketQuery()
    when = key[0] if isinstance(key[0], dt.datetime) else dt.datetime.fromisoformat(key[0])
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    middle = timed(lambda: desk.list_tickets(query, limit=PAGE,
                                             after=PageCursor((when,), key[1])), repeat)
    middle_limit = _median(timed(lambda: raw.page(key), repeat))
    rows.append(Row("B3", f"service call: the page {open_count // 2:,} rows down from its "
                    "key (keyset)", middle, middle_limit, "≤ 50 ms", _median(middle) <= 50,
                    notes=["the window's jump is the B3 row measured in the window"]))
    by_offset = timed(lambda: desk.list_slice(query, skip=open_count // 2 - PAGE // 2,
                                              limit=PAGE), repeat)
    rows.append(Row("B3", f"service call: the page {open_count // 2:,} rows down, no key "
                    "known (OFFSET from the start)", by_offset, middle_limit, "≤ 50 ms",
                    _median(by_offset) <= 50))
    end = timed(lambda: desk.list_slice(query, backward=True, limit=PAGE), repeat)
    end_limit = _median(timed(lambda: raw.page(None, descending=False), repeat))
    rows.append(Row("B3", "service call: the last page (reverse order)", end, end_limit,
                    "≤ 50 ms", _median(end) <= 50))
    rows += transcript_rows(bench, desk, raw, repeat)
    rows += write_rows(desk, raw, bench, repeat)
    rows += status_rows(desk, database, repeat)
    return rows


def transcript_rows(bench: BenchDatabase, desk: Desk, raw: Raw, repeat: int) -> list[Row]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from helpdesk_desktop.transcripts import TranscriptOptions, load_transcript
    from helpdesk_desktop.transcripts.pdf import write_pdf

    ticket_id = bench_long_id(bench)
    folder = Path(tempfile.mkdtemp(prefix="hd-pdf-"))
    options = TranscriptOptions()

    def program() -> None:
        write_pdf(load_transcript(desk, ticket_id, options), folder / "program.pdf")

    styles = getSampleStyleSheet()

    def reportlab() -> None:
        story: list[Any] = []
        for _id, author, sent, body, _html in raw.thread(ticket_id):
            story.append(Paragraph(f"<b>{author}</b> — {sent}", styles["Heading4"]))
            for part in str(body).split("\n\n"):
                story.append(Paragraph(part.replace("&", "&amp;").replace("<", "&lt;"),
                                       styles["BodyText"]))
            story.append(Spacer(1, 6))
        SimpleDocTemplate(str(folder / "raw.pdf"), pagesize=A4).build(story)

    few = max(3, min(repeat, 5))
    times = timed(program, few)
    limit = _median(timed(reportlab, few))
    return [Row("B8", "transcript PDF of 1,000 messages", times, limit,
                "≤ 1.2 × raw ReportLab", _median(times) <= 1.2 * limit)]


def write_rows(desk: Desk, raw: Raw, bench: BenchDatabase, repeat: int) -> list[Row]:
    """B9 on the benchmark database, undone after each run (restore, merge back)."""
    rows: list[Row] = []
    few = max(3, min(repeat, 5))
    page = desk.list_tickets(TicketQuery(view=View.ALL, sort=SortKey.ID, descending=False),
                             limit=1000)
    ids = [r.id for r in page.rows]
    times = []
    for _ in range(few):
        started = time.perf_counter()
        desk.delete(ids, confirm_count=len(ids))
        times.append((time.perf_counter() - started) * 1000)
        desk.restore(ids)
    rows.append(Row("B9", "delete 1,000 tickets (one transaction)", times, None, "≤ 650 ms",
                    _median(times) <= 650))
    # Merge and split: split 500 messages off the long thread, merge them back.
    long_id = bench_long_id(bench)
    split_times, merge_times = [], []
    for _ in range(few):
        detail = desk.ticket(long_id)
        messages = [m.id for c in detail.conversations for m in c.messages][:500]
        started = time.perf_counter()
        result = desk.split(long_id, messages)
        split_times.append((time.perf_counter() - started) * 1000)
        new_id = max(result.created_ticket_ids)
        started = time.perf_counter()
        desk.merge(long_id, new_id)
        merge_times.append((time.perf_counter() - started) * 1000)
    rows.append(Row("B9", "split 500 messages off a ticket", split_times, None, "≤ 10 ms",
                    _median(split_times) <= 10))
    rows.append(Row("B9", "merge two tickets (500 messages)", merge_times, None, "≤ 15 ms",
                    _median(merge_times) <= 15))
    return rows


def plan_scans(database: Database) -> list[str]:
    """Every full scan of a big table in the plans of the list, search, board and count
    queries on this database (the same operations tests/services/test_query_plans.py checks
    on a small SQLite database)."""
    from tests.query_plans import scans_of

    user_id = startup.default_user_id(database)
    assert user_id is not None
    desk = Desk(database, user_id)
    operations: dict[str, Callable[[], object]] = {}
    for view in View:
        operations[f"view {view.value}"] = lambda v=view: desk.list_tickets(TicketQuery(view=v))
    for sort in SortKey:
        for descending in (False, True):
            query = TicketQuery(sort=sort, descending=descending)
            operations[f"sort {sort.value}{' desc' if descending else ''}"] = \
                lambda q=query: desk.list_tickets(q)
    for text_ in (*SEARCHES.values(), "12"):
        for sort in (SortKey.LAST_ACTIVITY, SortKey.NEWEST_HIT):
            query = TicketQuery(view=View.ALL, search=text_, sort=sort)
            operations[f"search {text_} by {sort.value}"] = \
                lambda q=query: (desk.list_tickets(q), desk.count_tickets(q))
    pipeline = desk.pipelines()[0]
    for status in pipeline.statuses:
        query = TicketQuery(filters=TicketFilters(status_ids=(status.id,),
                                                  pipeline_ids=(pipeline.id,)))
        operations[f"board column {status.name}"] = lambda q=query: (desk.list_tickets(q),
                                                                     desk.count_tickets(q))
    operations["view counts"] = desk.view_counts
    found = []
    for name, work in operations.items():
        for statement, scans in scans_of(database.engine, work):
            found.append(f"{name}: {'; '.join(scans)} — {' '.join(statement.split())[:160]}")
    return found


def status_rows(desk: Desk, database: Database, repeat: int) -> list[Row]:
    """B9 "status of 1,000": 1,000 live tickets of a pipeline to another open status (one
    transaction with its undo entry), undone after each run (each ticket's status back)."""
    from helpdesk_desktop.services.dto import TicketChanges
    from tests.benchmarks.bench_writes import status_pair

    ids, target = status_pair(database)
    few = max(3, min(repeat, 5))
    times = []
    for _ in range(few):
        started = time.perf_counter()
        desk.update_many(ids, TicketChanges(status=target))
        times.append((time.perf_counter() - started) * 1000)
        desk.undo_last()
    return [Row("B9", f"status of {len(ids):,} tickets (one transaction)", times, None,
                "≤ 200 ms", _median(times) <= 200)]
