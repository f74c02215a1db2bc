"""``tickets show`` through :mod:`helpdesk_desktop.cli.quick` says exactly what the full
command line says, or leaves the word to it (``None``, nothing written)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk_desktop.cli import quick
from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.models import Deal, Ticket, User, ticket_deals
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.storage.database import Database
from tests.factories import USERS, Workspace, make_ticket

ROOT = Path(__file__).resolve().parents[1]


def full(database: Database, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, database=database, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def fast(database: Database, argv: list[str]) -> tuple[int | None, str]:
    out, err = io.StringIO(), io.StringIO()
    code = quick.run(argv, database=database, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return code, out.getvalue()


def assert_same(database: Database, argv: list[str]) -> bool:
    """The quick path printed what the full one prints (True), or left it to it (False,
    which only a failing command may)."""
    code, out, err = full(database, argv)
    quick_code, quick_out = fast(database, argv)
    if quick_code is None:
        assert quick_out == ""
        assert code != 0, (argv, "a command that succeeds must not fall back")
        return False
    assert (quick_code, quick_out) == (code, out), argv
    assert err == ""
    return True


@pytest.mark.parametrize("argv", [
    ["tickets", "show", "12"],
    ["tickets", "show", "#12", "--json"],
    ["tickets", "show", "--json", " 12 "],
    ["--db", "x.sqlite3", "--as", "a@example.com", "tickets", "show", "12"],
    ["--db=x.sqlite3", "--as=a@example.com", "tickets", "show", "12"],
])
def test_the_plain_show_command_lines_are_taken(argv: list[str]) -> None:
    assert quick.parse(argv) is not None


@pytest.mark.parametrize("argv", [
    [], ["--version"], ["--help"], ["tickets", "list"], ["tickets", "show"],
    ["tickets", "show", "1", "2"], ["tickets", "show", "1", "--json", "--json"],
    ["tickets", "show", "1", "--js"], ["tickets", "show", "-5"], ["tickets", "show", "1", "-h"],
    ["--demo", "tickets", "show", "1"], ["--d", "x", "tickets", "show", "1"],
    ["--db", "x", "--db", "y", "tickets", "show", "1"], ["--db", "tickets", "show", "1"],
    ["--db"], ["--", "tickets", "show", "1"], ["--ticket", "3", "tickets", "show", "1"],
    ["tickets", "--json", "show", "1"], ["conversations", "show", "1"],
])
def test_anything_else_is_left_to_the_full_command_line(argv: list[str]) -> None:
    assert quick.parse(argv) is None
    assert quick.run(argv) is None


def test_show_says_what_the_full_command_line_says(ws: Workspace) -> None:
    tickets = [make_ticket(ws, owner="agent", conversations=2, attachment=True),
               make_ticket(ws, "Unassigned\x1b[31m one\nand a line"),
               make_ticket(ws, owner="lead"), make_ticket(ws, owner="seller"),
               make_ticket(ws, owner="sales")]
    with ws.db.session() as session, session.begin():  # companies come with the contact
        deals = [Deal(name="Ovens"), Deal(name="Aprons")]
        session.add_all(deals)
        session.flush()
        session.execute(ticket_deals.insert(), [
            {"ticket_id": tickets[3], "deal_id": deal.id} for deal in deals])
    merged = make_ticket(ws, "Secondary")
    for command in (["tickets", "merge", str(tickets[0]), str(merged)],
                    ["--as", "agent@example.com", "tickets", "follow", str(tickets[0])],
                    ["tickets", "follow", str(tickets[0])],
                    ["tickets", "mark-read", str(tickets[0])],
                    ["--as", "lead@example.com", "tickets", "mark-read", str(tickets[2])],
                    ["--as", "lead@example.com", "tickets", "mark-unread", str(tickets[2])]):
        assert full(ws.db, command)[0] == 0, command
    spam, deleted = make_ticket(ws, "Spam"), make_ticket(ws, "Deleted")
    assert full(ws.db, ["tickets", "spam", str(spam)])[0] == 0
    assert full(ws.db, ["tickets", "delete", str(deleted), "--confirm-count", "1"])[0] == 0
    users = (None, *(f"{key}@example.com" for key in USERS), " Agent@Example.com ",
             "nobody@example.com", " ")
    taken = 0
    for ticket_id in [*tickets, merged, spam, deleted, 0, 999999]:
        for user in users:
            for options in ([], ["--json"]):
                who = [] if user is None else ["--as", user]
                taken += assert_same(ws.db, [*who, "tickets", "show", str(ticket_id), *options])
    assert taken >= 2 * 20


def test_show_on_demo_tickets(db: Database) -> None:
    generate_demo(db, tickets=30, seed=3)
    with db.session() as session:
        emails = list(session.scalars(select(User.email).order_by(User.id)))
        ids = list(session.scalars(select(Ticket.id).order_by(Ticket.id)))
    taken = 0
    # The demo's own numbers (PostgreSQL's sequences go on across the tests sharing a schema)
    # and three past the last, which no ticket has.
    for ticket_id in [*ids, ids[-1] + 1, ids[-1] + 2, ids[-1] + 3]:
        for user in (None, *emails[:3]):
            who = [] if user is None else ["--as", user]
            for options in ([], ["--json"]):
                taken += assert_same(db, [*who, "tickets", "show", str(ticket_id), *options])
    assert taken >= 30


def test_the_composition_root_takes_the_quick_path(tmp_path: Path) -> None:
    path = tmp_path / "quick.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "HELPDESK_DATABASE_URL"}
    base = [sys.executable, "-m", "helpdesk_desktop", "--db", str(path)]
    made = subprocess.run([*base, "demo", "--tickets", "5"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300, check=False)
    assert made.returncode == 0, made.stderr
    probe = ("import sys\n"
             "from helpdesk_desktop.__main__ import main\n"
             f"code = main(['--db', {str(path)!r}, 'tickets', 'show', '1', '--json'])\n"
             "print(code, sorted(m for m in ('helpdesk_desktop.application.desk',\n"
             "    'helpdesk_desktop.cli.main', 'helpdesk_desktop.domain.models',\n"
             "    'helpdesk_desktop.services.dto', 'babel', 'sqlalchemy')\n"
             "    if m in sys.modules))\n")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=300, check=False)
    assert shown.returncode == 0, shown.stderr
    body, _sep, last = shown.stdout.rstrip("\n").rpartition("\n")
    assert last == "0 []"
    reference = subprocess.run([*base, "tickets", "list", "--json", "--view", "all"],
                               capture_output=True, text=True, env=env, cwd=ROOT,
                               timeout=300, check=False)
    assert json.loads(body)["id"] == 1
    assert 1 in [row["id"] for row in json.loads(reference.stdout)]
    missing = subprocess.run([*base, "tickets", "show", "999999"], capture_output=True,
                             text=True, env=env, cwd=ROOT, timeout=300, check=False)
    assert missing.returncode == 2 and missing.stderr.startswith("error: ")
    assert "Traceback" not in missing.stderr


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away (as with "| head -1")."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_early_ends_the_quick_path_quietly(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    for options in ([], ["--json"]):
        err = io.StringIO()
        code = quick.run(["tickets", "show", str(ticket_id), *options], database=ws.db,
                         stdout=ClosedPipe(), stderr=err)
        assert (code, err.getvalue()) == (quick.EXIT_BROKEN_PIPE, "")


def _demo_at(url: str) -> tuple[Database, list[int], list[str]]:
    from helpdesk_desktop.storage.database import open_database

    database = open_database(url)
    generate_demo(database, tickets=25, seed=4)
    with database.session() as session:
        ids = list(session.scalars(select(Ticket.id).order_by(Ticket.id)))
        emails = list(session.scalars(select(User.email).order_by(User.id)))
    return database, ids, emails


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_url_is_read_with_the_driver_alone(backend: str, tmp_path: Path) -> None:
    """``sheet_at`` (sqlite3 or psycopg, no SQLAlchemy) reads what ``sheet`` reads through
    an open database, ticket by ticket and user by user."""
    from contextlib import ExitStack

    from helpdesk_desktop.application import ticket_reading
    from tests.pg_schemas import PG_URL_ENV, own_schema_url

    with ExitStack() as stack:
        if backend == "sqlite":
            url = str(tmp_path / "driver.sqlite3")
        elif os.environ.get(PG_URL_ENV):
            url = stack.enter_context(own_schema_url("hd_quick"))
        else:
            pytest.skip(f"{PG_URL_ENV} is not set")
        database, ids, emails = _demo_at(url)
        expected = {(ticket_id, user): ticket_reading.sheet(database, ticket_id, user)
                    for ticket_id in [*ids, ids[-1] + 1]
                    for user in (None, *emails[:4], "nobody@example.com")}
        database.dispose()  # closed cleanly: a SQLite file needs no quick_check then
        for (ticket_id, user), sheet in expected.items():
            assert ticket_reading.sheet_at(url, ticket_id, user) == sheet, (ticket_id, user)
        assert sum(sheet is not None for sheet in expected.values()) >= len(ids)


def test_a_file_the_usual_opening_must_look_at_is_left_to_it(tmp_path: Path) -> None:
    """``sheet_at`` reads only a file that is plainly up to date: a missing, foreign or
    older file, or one whose revision this program does not know, is ``None`` (the usual
    opening says or does what it must), and is left as it was."""
    import sqlite3

    from helpdesk_desktop.application import ticket_reading

    assert ticket_reading.sheet_at(str(tmp_path / "none.sqlite3"), 1) is None
    assert not (tmp_path / "none.sqlite3").exists()
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY)")
    connection.close()
    assert ticket_reading.sheet_at(str(foreign), 1) is None
    url = str(tmp_path / "old.sqlite3")
    database, ids, _emails = _demo_at(url)
    database.dispose()
    assert ticket_reading.sheet_at(url, ids[0]) is not None
    for revision in ("0001", "not-ours"):
        with sqlite3.connect(url) as connection:
            connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.close()
        assert ticket_reading.sheet_at(url, ids[0]) is None
