"""The bulk demo build: the same rows as a plain build, a consistent database afterwards, on
SQLite and PostgreSQL (``COPY``, constraints after the data)."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text

from helpdesk_desktop.domain.enums import AccessScope
from helpdesk_desktop.domain.models import Ticket
from helpdesk_desktop.services import demo_process
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.demo_bulk import BULK_TABLES
from helpdesk_desktop.storage.database import Database, normalize_url, open_database
from tests.pg_schemas import own_schema_url, pg_server_url
from tests.services.test_invariants import all_problems

Opener = Callable[[], Database]


@pytest.fixture
def pg_databases() -> Iterator[Opener]:
    """Opens fresh PostgreSQL databases (each its own schema, dropped afterwards)."""
    with ExitStack() as stack:

        def fresh() -> Database:
            database = open_database(stack.enter_context(own_schema_url("hd_bulk")))
            stack.callback(database.dispose)
            return database

        yield fresh


def _contents(database: Database) -> dict[str, list[Any]]:
    with database.connect() as connection:
        return {table: sorted(tuple(row) for row in connection.execute(
            text(f"SELECT * FROM {table}")).all()) for table in BULK_TABLES}


_PG_SCHEMA = """
SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL SELECT 'constraint', conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = to_regnamespace(current_schema())
UNION ALL SELECT 'trigger', tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text
  FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (
    SELECT oid FROM pg_class WHERE relnamespace = to_regnamespace(current_schema()))
ORDER BY 1, 2"""


def test_a_pg_bulk_build_writes_exactly_the_rows_of_a_plain_build(
        pg_databases: Opener) -> None:
    """``COPY`` with the indexes, foreign keys and triggers off, then rebuilt: the same rows,
    the schema as before, consistent counters, contact sort and search word sets, and the id
    sequences past the ids the build handed out."""
    plain, bulk = pg_databases(), pg_databases()
    with bulk.connect() as connection:
        before = connection.execute(text(_PG_SCHEMA)).all()
    generate_demo(plain, tickets=150, seed=5)
    generate_demo(bulk, tickets=150, seed=5, bulk=True)
    with bulk.connect() as connection:
        assert connection.execute(text(_PG_SCHEMA)).all() == before
    one, other = _contents(plain), _contents(bulk)
    for table in BULK_TABLES:
        assert other[table] == one[table], table
        assert one[table] or table in ("notifications", "attachments"), table
    # The search's word sets (migration 0013): kept by triggers in the plain build, filled
    # in one pass by the bulk one.
    vectors = "SELECT ticket_id, vector::text FROM ticket_search_vectors ORDER BY 1"
    with plain.connect() as kept, bulk.connect() as filled:
        rows = kept.execute(text(vectors)).all()
        assert filled.execute(text(vectors)).all() == rows
    assert len(rows) >= 100
    assert all_problems(bulk) == []
    # The sequences continue after the ids the build gave: a plain demo adds to it.
    generate_demo(bulk, tickets=5, seed=6)
    with bulk.session() as session:
        assert len(session.scalars(select(Ticket.id)).all()) == 155
    assert all_problems(bulk) == []


def test_a_sqlite_bulk_build_passes_the_invariant_checks(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "bulk.sqlite3"))
    generate_demo(database, tickets=200, seed=2, bulk=True)
    assert all_problems(database) == []
    generate_demo(database, tickets=5, seed=3)  # adding to it afterwards keeps them right
    assert all_problems(database) == []
    database.dispose()


def test_a_sqlite_bulk_build_counts_its_counters_as_it_stores_the_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The counters whose triggers the build drops are added to after each batch by the
    writing thread: they are right before the rebuild after the data starts."""
    from helpdesk_desktop.services import demo_bulk
    from helpdesk_desktop.services.stored_copies import wrong_counters

    database = open_database(str(tmp_path / "bulk.sqlite3"))
    found: list[list[str]] = []
    rebuild = demo_bulk._rebuild

    def checked(*args: Any) -> None:
        with database.engine.connect() as connection:
            found.append(wrong_counters(connection))
            counted = connection.exec_driver_sql(
                "SELECT sum(n) FROM ticket_counts").scalar_one()
        assert counted == 700
        rebuild(*args)

    monkeypatch.setattr(demo_bulk, "_rebuild", checked)
    generate_demo(database, tickets=700, seed=6, bulk=True)
    assert found == [[]]
    assert all_problems(database) == []
    database.dispose()


def test_a_sqlite_bulk_build_fills_the_full_text_index_without_merging_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the batches fill the full-text indexes, FTS5 merges no segments after each
    write (only a level of many); the ``optimize`` at the end merges them into one, and the
    indexes keep FTS5's usual settings afterwards, as a plain build's."""
    from helpdesk_desktop.services import demo_bulk

    settings: list[list[Any]] = []
    store = demo_bulk.FastInserts._store_and_fill

    def recording(self: Any, driver: Any, sql: str, records: Any, fill: Any) -> None:
        store(self, driver, sql, records, fill)
        if fill and "message_fts" in fill[0]:
            settings.append(driver.execute(
                "SELECT k, v FROM message_fts_config ORDER BY k").fetchall())

    monkeypatch.setattr(demo_bulk.FastInserts, "_store_and_fill", recording)
    plain, bulk = (open_database(str(tmp_path / f"{name}.sqlite3"))
                   for name in ("plain", "bulk"))
    generate_demo(plain, tickets=60, seed=3)
    generate_demo(bulk, tickets=700, seed=3, bulk=True)
    assert len(settings) >= 2  # each batch of tickets, the inbox conversations
    assert all(found == [("automerge", 0), ("crisismerge", demo_bulk.FILL_CRISISMERGE),
                         ("version", 4)] for found in settings), settings
    config = "SELECT k, v FROM {0}_config UNION ALL SELECT 'segments', count(DISTINCT " \
             "id >> 37) FROM {0}_data WHERE id > 10"
    for table in ("message_fts", "ticket_name_fts"):
        with plain.engine.connect() as kept, bulk.engine.connect() as built:
            assert kept.exec_driver_sql(config.format(table)).all()[0] == ("version", 4)
            assert built.exec_driver_sql(config.format(table)).all() == [
                ("version", 4), ("segments", 1)]
    plain.dispose()
    bulk.dispose()


def test_a_sqlite_bulk_build_gives_its_connection_back_with_the_usual_settings(
        tmp_path: Path) -> None:
    """The index builds sort on worker threads with a small cache; the pooled connection
    they ran on is handed back with the settings the program opens connections with."""
    database = open_database(str(tmp_path / "bulk.sqlite3"))
    with database.engine.connect() as connection:
        usual = [connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                 for name in ("cache_size", "threads")]
    generate_demo(database, tickets=100, seed=4, bulk=True)
    for _ in range(3):  # whichever pooled connection comes back
        with database.engine.connect() as connection:
            assert [connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                    for name in ("cache_size", "threads")] == usual
    with database.connect() as connection:
        stored = connection.execute(text(
            "SELECT count(*), count(contact_sort) FROM tickets WHERE state = 'live'")).one()
    assert stored[0] == stored[1] > 0  # each ticket's contact sort name came with its row
    database.dispose()


def test_a_demo_database_is_built_under_a_scratch_name_and_renamed_when_complete(
        tmp_path: Path) -> None:
    """A build that fails half-way leaves what was there (or nothing) in place; a complete
    one replaces it."""
    from helpdesk_desktop.services.demo_build import SCRATCH_SUFFIX, build_demo_database

    target = tmp_path / "demo.sqlite3"

    def fail(database: Database) -> None:
        with database.session() as session:  # the scratch file is complete by now
            assert len(session.scalars(select(Ticket.id)).all()) == 30
        assert not target.exists()
        raise KeyboardInterrupt  # a kill, as far as the build can tell

    with pytest.raises(KeyboardInterrupt):
        build_demo_database(str(target), tickets=30, seed=1, finish=fail)
    assert not target.exists()
    calls: list[tuple[int, int]] = []
    summary = build_demo_database(str(target), tickets=30, seed=1,
                                  progress=lambda done, total: calls.append((done, total)))
    assert summary["tickets"] == 30 and calls[-1] == (30, 30)
    assert not (tmp_path / ("demo.sqlite3" + SCRATCH_SUFFIX)).exists()
    before = target.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        build_demo_database(str(target), tickets=40, seed=2, finish=_interrupt)
    assert target.read_bytes() == before  # the complete database is untouched
    database = open_database(str(target))
    assert all_problems(database) == []
    with database.session() as session:
        assert len(session.scalars(select(Ticket.id)).all()) == 30
    database.dispose()


def _interrupt(_database: Database) -> None:
    raise KeyboardInterrupt


def test_a_pg_demo_database_is_built_under_a_scratch_name(pg_databases: Opener) -> None:
    from helpdesk_desktop.services.demo_build import PG_SCRATCH_SUFFIX, build_demo_database

    url = pg_server_url()
    name = f"hd_build_{uuid.uuid4().hex[:10]}"
    target = make_url(normalize_url(url)).set(database=name)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with pytest.raises(KeyboardInterrupt):
            build_demo_database(target.render_as_string(hide_password=False), tickets=20,
                                finish=_interrupt)
        assert _pg_databases(admin, name) == [name + PG_SCRATCH_SUFFIX]
        build_demo_database(target.render_as_string(hide_password=False), tickets=20)
        assert _pg_databases(admin, name) == [name]
        database = open_database(target.render_as_string(hide_password=False))
        assert all_problems(database) == []
        with database.engine.connect() as connection:  # vacuumed: index-only scans at once
            never_vacuumed = connection.execute(text(
                "SELECT relname FROM pg_stat_user_tables WHERE relname IN "
                "('tickets', 'messages', 'followers', 'ticket_search_vectors') "
                "AND last_vacuum IS NULL")).scalars().all()
        assert never_vacuumed == []
        database.dispose()
    finally:
        with admin.connect() as connection:
            for database_name in _pg_databases(admin, name):
                connection.exec_driver_sql(f'DROP DATABASE "{database_name}" WITH (FORCE)')
        admin.dispose()


def _pg_databases(admin: Any, prefix: str) -> list[str]:
    with admin.connect() as connection:
        return list(connection.execute(text(
            "SELECT datname FROM pg_database WHERE datname LIKE :p ORDER BY 1"),
            {"p": prefix + "%"}).scalars())


def test_the_text_of_a_quoting_reply_is_html_to_text_of_its_html() -> None:
    """The planner works out a quoting reply's text without parsing its HTML: the same text
    as html_to_text, on awkward texts (white space, ">" lines, markup characters) and on
    every quoting reply of a demo."""
    import datetime as dt
    import random

    from helpdesk_desktop.domain.enums import MessageKind
    from helpdesk_desktop.services import demo_threads
    from helpdesk_desktop.services.demo_workspace import Agent
    from helpdesk_desktop.services.html_sanitize import html_to_text

    rng = random.Random(11)
    pieces = ["a", "word", " ", "  ", "\n", "\n\n", "\n\n\n", ">", "> ", "\t", "\xa0", "&",
              "<b>", "é", "&amp;", "1.", "- ", "\r"]
    when = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    agent = Agent(1, "Emma Wilson", "agent@example.com", None,
                               AccessScope.TEAM, True)
    checked = 0
    for _ in range(3000):
        text, earlier = ("".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
                         for _ in range(2))
        html = None
        if rng.random() < 0.3:
            html = f"<p>{earlier}</p><ol><li>step</li></ol><p>x <a href='u'>y</a>.</p>"
        quoted = demo_threads.Msg(MessageKind.REPLY, when, earlier, html,
                                  agent if rng.random() < 0.8 else None)
        for language in ("fr", "en"):
            expected = html_to_text(demo_threads._quoted_html(text, quoted, language))
            assert demo_threads.quoted_text(text, quoted, language) == expected, (text, quoted)
            checked += 1
    assert checked == 6000


def test_an_html_reply_quoted_is_rendered_as_html_to_text_renders_its_html() -> None:
    """The lines of an agent's HTML reply quoted by the customer are worked out from what
    the reply was made of, as the renderer makes them of its HTML: for every request of the
    demo, in both languages, with awkward names (spaces, markup characters, accents)."""
    from helpdesk_desktop.services import demo_content, demo_threads

    checked = 0
    for request in demo_content.REQUESTS:
        for first, agent in (("Ann", "Emma Wilson"), ("  Zoé  ", "A & B <c>"),
                             ("x\ty", "Jean-Luc  O'Neil"), ("", "> quoted")):
            fill = {"ref": "INV-12345", "first": first, "customer": f"{first} Doe",
                    "agent": agent}
            for language in ("fr", "en"):
                parts = (demo_content.GREETING[language].format(**fill),
                         request.reply.format(**fill),
                         tuple(step.format(**fill) for step in request.steps),
                         request.slug, language,
                         demo_content.SIGN_OFF[language].format(**fill))
                assert demo_threads._reply_html_lines(*parts) == list(
                    demo_threads._quoted_html_lines(demo_threads._reply_html(*parts))), parts
                checked += 1
    assert checked >= 16


def test_rows_the_copy_thread_cannot_write_fail_the_build(pg_databases: Opener) -> None:
    """The copying thread's error reaches the build (at the latest when it waits for the
    thread), and nothing of the failed copy stays."""
    from helpdesk_desktop.services.demo_bulk_pg import CopyInserts

    database = pg_databases()
    copier = CopyInserts(database)
    with database.session() as session:  # no pipeline or status: NOT NULL violations
        copier.insert(session, Ticket, [{"name": "broken"}], returning=True)
        with pytest.raises(Exception, match="null value"):
            copier.close()
    with database.session() as session:
        assert session.scalars(select(Ticket.id)).all() == []


def test_rows_the_sqlite_writing_thread_cannot_write_fail_the_build(tmp_path: Path) -> None:
    """SQLite's writing thread: its error reaches the build when it waits for the thread,
    and nothing of the failed batch stays."""
    from helpdesk_desktop.services.demo_bulk import FastInserts

    database = open_database(str(tmp_path / "broken.sqlite3"))
    writer = FastInserts(database)
    with database.session() as session:  # no pipeline or status: NOT NULL violations
        assert writer.insert(session, Ticket, [{"name": "broken"}], returning=True) == [1]
        with pytest.raises(Exception, match="NOT NULL"):
            writer.close()
    with database.session() as session:
        assert session.scalars(select(Ticket.id)).all() == []
    database.dispose()


def test_the_planners_short_draws_are_those_of_random() -> None:
    """The planner draws with ``_below`` and ``bisect`` instead of ``randint``, ``choice`` and
    ``choices``: the same numbers from the same generator state, so a seed keeps its data."""
    import random
    from bisect import bisect

    from helpdesk_desktop.services.demo_threads import _below

    ours, theirs = random.Random(7), random.Random(7)
    below = _below(ours)
    items = ["a", "b", "c", "d", "e"]
    cum = [10, 35, 75, 93, 100]
    for n in range(1, 3000):
        assert 8 + below(n) == theirs.randint(8, 7 + n)
        assert items[below(len(items))] == theirs.choice(items)
        assert (items[bisect(cum, ours.random() * (cum[-1] + 0.0), 0, len(items) - 1)]
                == theirs.choices(items, cum_weights=cum)[0])
    assert ours.random() == theirs.random()


# -- the build on two processes (demo_process) and its full-text index ------------------------

_forks_here = pytest.mark.skipif(not demo_process.available(),
                                 reason="the generating process is forked (Linux)")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build forks even beside the test runner's threads (it forks only when alone)."""
    monkeypatch.setattr(demo_process, "alone", lambda: True)


def needs_fork(test: Any) -> Any:
    """A test of the build on two processes: Linux only, forking beside the runner's threads."""
    return pytest.mark.usefixtures("forking")(_forks_here(test))


@_forks_here
def test_a_build_beside_other_threads_plans_in_this_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process with other threads (a window's, a test runner's) does not fork: one of them
    may hold a lock the forked process would then wait for forever."""
    import threading

    from helpdesk_desktop.services.demo_build import build_demo_database
    from helpdesk_desktop.services.demo_records import RecordWriter

    planned_in: set[int] = set()
    planning = RecordWriter.write_tickets

    def recording(self: RecordWriter, ages: Any, kinds: Any) -> None:
        planned_in.add(os.getpid())
        planning(self, ages, kinds)

    monkeypatch.setattr(RecordWriter, "write_tickets", recording)
    release = threading.Event()
    other = threading.Thread(target=release.wait, name="another thread")
    other.start()
    try:
        assert not demo_process.alone()
        build_demo_database(str(tmp_path / "demo.sqlite3"), tickets=600, seed=4)
    finally:
        release.set()
        other.join()
    assert planned_in == {os.getpid()}  # would be lost in a forked process's memory


def _everything(path: Path) -> dict[str, list[Any]]:
    """Every row of the bulk tables and their counters, in storage order, and what a few
    searches find."""
    database = open_database(str(path))
    try:
        with database.connect() as connection:
            found: dict[str, list[Any]] = {
                table: connection.execute(text(f"SELECT * FROM {table} ORDER BY rowid")).all()
                for table in (*BULK_TABLES, "ticket_counts", "ticket_status_counts",
                              "read_counts", "follow_counts")}
            for word in ("bonjour", "facture", "invoice", "thanks"):
                found[word] = connection.execute(text(
                    "SELECT rowid FROM message_fts WHERE message_fts MATCH :word "
                    "ORDER BY rowid"), {"word": word}).scalars().all()
                found["name " + word] = connection.execute(text(
                    "SELECT rowid FROM ticket_name_fts WHERE ticket_name_fts MATCH :word "
                    "ORDER BY rowid"), {"word": word}).scalars().all()
            for table in ("message_fts", "ticket_name_fts"):  # the index matches the rows
                connection.exec_driver_sql(
                    f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
            found["journal"] = [connection.exec_driver_sql("PRAGMA journal_mode").scalar()]
        assert all_problems(database) == []
        return found
    finally:
        database.dispose()


@needs_fork
def test_a_bulk_build_plans_in_a_second_process_and_stores_the_same_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tickets are planned in a forked process and stored here: the same rows, counters,
    full-text index (filled batch by batch, then optimized) and progress as the same build
    in one process; the database is in WAL mode afterwards."""
    from helpdesk_desktop.services.demo_build import build_demo_database
    from helpdesk_desktop.services.demo_records import RecordWriter

    pids = tmp_path / "pids"
    planning = RecordWriter.write_tickets

    def recording(self: RecordWriter, ages: Any, kinds: Any) -> None:
        with pids.open("a") as out:
            out.write(f"{os.getpid()}\n")
        planning(self, ages, kinds)

    monkeypatch.setattr(RecordWriter, "write_tickets", recording)
    calls: list[tuple[int, int]] = []
    forked = build_demo_database(str(tmp_path / "forked.sqlite3"), tickets=1200, seed=4,
                                 progress=lambda done, total: calls.append((done, total)))
    planned_in = set(pids.read_text().split())
    assert len(planned_in) == 1 and str(os.getpid()) not in planned_in
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]
    pids.unlink()
    monkeypatch.setattr(demo_process, "available", lambda: False)
    calls.clear()
    alone = build_demo_database(str(tmp_path / "alone.sqlite3"), tickets=1200, seed=4,
                                progress=lambda done, total: calls.append((done, total)))
    assert set(pids.read_text().split()) == {str(os.getpid())}
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert forked == alone and forked["tickets"] == 1200 and forked["inbox_conversations"]
    ours, theirs = _everything(tmp_path / "forked.sqlite3"), _everything(
        tmp_path / "alone.sqlite3")
    assert ours == theirs
    assert ours["journal"] == ["wal"] and ours["bonjour"] and ours["name facture"]


@needs_fork
def test_a_progress_that_raises_cancels_the_build_and_ends_the_generating_process(
        tmp_path: Path) -> None:
    from helpdesk_desktop.services.demo_build import build_demo_database

    class Cancelled(Exception):
        pass

    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        seen.append(done)
        raise Cancelled

    target = tmp_path / "demo.sqlite3"
    with pytest.raises(Cancelled):
        build_demo_database(str(target), tickets=5000, seed=1, progress=progress)
    assert seen == [500]
    assert multiprocessing.active_children() == []
    assert not target.exists()


@needs_fork
def test_an_error_in_the_generating_process_reaches_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk_desktop.services.demo_build import build_demo_database
    from helpdesk_desktop.services.demo_threads import ThreadPlanner

    def broken(self: ThreadPlanner, age_days: float, kind: str) -> Any:
        raise ValueError("no plan for this ticket")

    monkeypatch.setattr(ThreadPlanner, "plan", broken)
    with pytest.raises(RuntimeError, match="no plan for this ticket"):
        build_demo_database(str(tmp_path / "demo.sqlite3"), tickets=50)

    def dies(self: ThreadPlanner, age_days: float, kind: str) -> Any:
        os._exit(3)  # killed, as far as the build can tell

    monkeypatch.setattr(ThreadPlanner, "plan", dies)
    with pytest.raises(RuntimeError, match="exit code 3"):
        build_demo_database(str(tmp_path / "demo.sqlite3"), tickets=50)
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "demo.sqlite3").exists()


@needs_fork
def test_a_generating_process_that_stops_answering_is_ended(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked process blocked for good (a lock held by another thread at the fork) ends the
    build with an error after the silence allowed, instead of hanging it."""
    import time

    from helpdesk_desktop.services.demo_build import build_demo_database
    from helpdesk_desktop.services.demo_threads import ThreadPlanner

    def blocked(self: ThreadPlanner, age_days: float, kind: str) -> Any:
        time.sleep(600)

    monkeypatch.setattr(ThreadPlanner, "plan", blocked)
    monkeypatch.setattr(demo_process, "SILENCE_S", 0.5)
    with pytest.raises(RuntimeError, match="stopped answering"):
        build_demo_database(str(tmp_path / "demo.sqlite3"), tickets=50)
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "demo.sqlite3").exists()


_KILLED_BUILD = """
import os, sys
from helpdesk_desktop.services.demo_build import build_demo_database
print(os.getpid(), flush=True)
build_demo_database(sys.argv[1], tickets=20000, seed=2,
                    progress=lambda done, total: print(done, flush=True))
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError, ValueError):
            continue  # not a process, or gone
        if entry.isdigit() and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _ended(pid: int, *, within_s: float) -> bool:
    import time

    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True  # ended, not yet reaped by its new parent
        except OSError:
            return True
        time.sleep(0.05)
    return False


@needs_fork
def test_a_build_killed_midway_leaves_the_database_and_ends_its_generating_process(
        tmp_path: Path) -> None:
    """A real kill (``SIGKILL``) of a build while its forked process is generating: the
    complete database in place is untouched and consistent, the forked process ends instead
    of waiting for good on a pipe nobody reads, and the next build replaces the scratch
    file."""
    import signal
    import subprocess
    import sys

    from helpdesk_desktop.services.demo_build import SCRATCH_SUFFIX, build_demo_database

    target = tmp_path / "demo.sqlite3"
    build_demo_database(str(target), tickets=30, seed=1)
    before = target.read_bytes()
    build = subprocess.Popen([sys.executable, "-c", _KILLED_BUILD, str(target)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert build.stdout is not None
        assert int(build.stdout.readline()) == build.pid
        assert int(build.stdout.readline()) > 0  # the generating process's first batch
        generating = _children(build.pid)
        assert generating  # the forked process, generating
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        build.stdout.close()  # type: ignore[union-attr]
    try:
        assert all(_ended(pid, within_s=15) for pid in generating)
    finally:
        for pid in generating:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    assert (tmp_path / ("demo.sqlite3" + SCRATCH_SUFFIX)).exists()  # killed midway
    assert target.read_bytes() == before
    database = open_database(str(target))
    assert all_problems(database) == []
    database.dispose()
    build_demo_database(str(target), tickets=40, seed=2)
    assert not (tmp_path / ("demo.sqlite3" + SCRATCH_SUFFIX)).exists()
    database = open_database(str(target))
    assert all_problems(database) == []
    with database.session() as session:
        assert len(session.scalars(select(Ticket.id)).all()) == 40
    database.dispose()


def test_the_records_sent_between_the_processes_keep_their_values() -> None:
    """Binary values (the SQLite driver's ``memoryview``) arrive as the same bytes."""
    import pickle

    message = ("rows", "INSERT ...", [(1, memoryview(b"\x00\xffdata"), "text", None, 2.5)],
               None)
    assert pickle.loads(demo_process._dumps(message)) == (
        "rows", "INSERT ...", [(1, b"\x00\xffdata", "text", None, 2.5)], None)


def test_json_values_are_written_as_json_dumps_writes_them() -> None:
    import json

    from helpdesk_desktop.services.demo_bulk import _JsonText

    convert = _JsonText(json.dumps)
    for value in ({}, {"message_id": 12}, {"message_id": -3}, {"field": "owner", "new": 3},
                  {"message_id": True}, {"message_id": 1.5}, {"é": 1}, {'a"b': 2},
                  {"message_id": None}, [], {"n": 10**30},
                  {"field": "owner", "old": None, "new": 3}, {"field": "status", "new": 12},
                  {"field": "é", "new": 1}, {"field": 'a"b'}, {"field": "a\nb"},
                  {"a": {"b": 1}}, {"a": [1]}, {"a": False}, {"a": 1, "b": 2.5}, {1: 2},
                  {"field": "owner", "old": None, "new": 3, "sentence": {
                      "msgid": "Owner set to {name}", "args": {"name": "Ann Lee"}}},
                  {"a": {"b": {"c": "é"}}}, {"a": {"b": [1]}}, {"a": {}}, {"a": {1: 2}}):
        assert convert(value) == json.dumps(value), value
    # Another processor's way of writing (no spaces) is kept, the usual values included.
    compact = _JsonText(lambda value: json.dumps(value, separators=(",", ":")))
    for value in ({"message_id": 12}, {"field": "owner", "old": None, "new": 3}, {},
                  {"a": {"b": 1}}):
        assert compact(value) == json.dumps(value, separators=(",", ":")), value


# -- the driver's records made directly (demo_records) -----------------------------------------

def _same_values(record: tuple[Any, ...]) -> tuple[Any, ...]:
    """A record's values comparable by value (the drivers' wrappers of bytes and JSON)."""
    return tuple(bytes(v) if isinstance(v, memoryview)
                 else (type(v).__name__, bytes(v.obj) if isinstance(v.obj, memoryview)
                       else v.obj) if hasattr(v, "obj") else v for v in record)


def _records_of_both_writers(monkeypatch: pytest.MonkeyPatch, open_one: Opener
                             ) -> tuple[list[Any], list[Any]]:
    """What a bulk build hands to the driver, statement by statement, with the record writer
    and with the row-dict writer it replaces (both in this process)."""
    from helpdesk_desktop.services import demo, demo_bulk
    from helpdesk_desktop.services.demo_writer import DemoWriter

    monkeypatch.setattr(demo_process, "available", lambda: False)
    sent: list[list[Any]] = []
    write = demo_bulk.FastInserts._write

    def recording(self: Any, session: Any, plan: Any, records: list[Any]) -> None:
        sent[-1].append((plan.sql, plan.fill, [_same_values(r) for r in records]))
        write(self, session, plan, records)

    def row_dicts(database: Database, planner: Any, fast: Any) -> DemoWriter:
        writer = DemoWriter(database, planner)
        writer.insert = fast.insert
        return writer

    monkeypatch.setattr(demo_bulk.FastInserts, "_write", recording)
    for factory in (demo.RecordWriter, row_dicts):
        monkeypatch.setattr(demo, "RecordWriter", factory)
        sent.append([])
        generate_demo(open_one(), tickets=1200, seed=9, bulk=True)
    return sent[0], sent[1]


def test_the_record_writer_sends_the_records_of_the_row_dict_writer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: every statement, record and full-text fill of a bulk build is the same as
    when the rows were made as dicts and converted by FastInserts."""
    paths = iter(("records.sqlite3", "dicts.sqlite3"))
    opened: list[Database] = []

    def open_one() -> Database:
        opened.append(open_database(str(tmp_path / next(paths))))
        return opened[-1]

    ours, theirs = _records_of_both_writers(monkeypatch, open_one)
    for database in opened:
        database.dispose()
    assert ours == theirs
    tables = {sql.split()[2] for sql, _fill, _records in ours}
    assert {"tickets", "conversations", "messages", "activities", "read_states",
            "ticket_contacts", "ticket_companies", "attachments"} <= tables
    assert sum(len(records) for sql, _f, records in ours if " messages " in sql) > 3000


def test_the_record_writer_sends_the_records_of_the_row_dict_writer_on_pg(
        pg_databases: Opener, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL (``COPY``, its own converters): the same records from both writers."""
    ours, theirs = _records_of_both_writers(monkeypatch, pg_databases)
    assert ours == theirs and len(ours) > 20
