"""2–4 processes at the same instant on SQLite and PostgreSQL: overlapping merges, merge
against delete and split, the same user following or reading from several windows, edits of
different and of the same fields. 0 broken invariants, 0 spurious failures, a conflict
(exit 4) only where two requests really contradict each other.

Each trial forks the processes, releases them together through a pipe, and checks the
exit statuses, the error sentences and ``check``'s invariants afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.enums import ActivityKind, TicketState
from helpdesk_desktop.domain.errors import HelpDeskError
from helpdesk_desktop.domain.models import Activity, Follower, Message, Ticket, UndoEntry
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.services.integrity import check_database
from helpdesk_desktop.storage.database import open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.faults.harness import FULL_ENV, fork_alone
from tests.pg_schemas import own_schema_url

TRIALS = 25 if os.environ.get(FULL_ENV) == "1" else 3
Child = Callable[[], tuple[int, str]]


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Workspace]]:
    """A workspace in a real database that separate processes open by URL."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = str(tmp_path / "shared.sqlite3")
        else:
            url = stack.enter_context(own_schema_url("hd_conc"))
        database = open_database(url)
        stack.callback(database.dispose)
        yield url, seed_workspace(database,
                                  FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))


def together(children: Sequence[Child], tmp_path: Path) -> list[tuple[int, str]]:
    """Fork one process per child, release them at once, return (exit status, stderr)."""
    read_end, write_end = os.pipe()
    pids = []
    for index, child in enumerate(children):
        pid = fork_alone() if index == 0 else os.fork()  # (the others: only forks since)
        if pid == 0:
            code = 70
            try:
                os.close(write_end)
                os.read(read_end, 1)
                code, err = child()
                (tmp_path / f"child-{index}.err").write_text(err)
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(read_end)
    os.write(write_end, b"x" * len(children))
    os.close(write_end)
    results = []
    for index, pid in enumerate(pids):
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status), f"child {index} died"
        err_file = tmp_path / f"child-{index}.err"
        results.append((os.WEXITSTATUS(status), err_file.read_text() if err_file.exists()
                        else ""))
        err_file.unlink(missing_ok=True)
    return results


def cli(url: str, *argv: str, user: str = "lead") -> Child:
    def run() -> tuple[int, str]:
        err = io.StringIO()
        code = main(["--db", url, "--as", f"{user}@example.com", *argv],
                    stdout=io.StringIO(), stderr=err)
        return code, err.getvalue()
    return run


def edit(url: str, ws: Workspace, ticket_id: int, changes: TicketChanges,
         user: str) -> Child:
    """An edit made in a window that read version 1 (the Desk passes what it saw)."""
    def run() -> tuple[int, str]:
        database = open_database(url, create=False)
        try:
            Desk(database, ws.users[user]).update(ticket_id, changes, expected_version=1)
            return 0, ""
        except HelpDeskError as exc:
            return exc.exit_code, str(exc)
        finally:
            database.dispose()
    return run


def _run(ws: Workspace, children: Sequence[Child], tmp_path: Path) -> list[tuple[int, str]]:
    ws.db.dispose()  # no connection of the parent's pool crosses the fork
    results = together(children, tmp_path)
    for code, err in results:
        assert "refused the change" not in err and "locked" not in err and "busy" not in err, err
        assert code in (0, 2, 4), err
        if code == 4:
            assert len(err.strip().splitlines()) <= 1, err
    report = check_database(ws.db)
    assert report.problems == (), report.problems
    return results


def _codes(results: list[tuple[int, str]]) -> list[int]:
    return sorted(code for code, _ in results)


def _state(ws: Workspace, ticket_id: int) -> TicketState:
    with ws.db.session() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket.state


def test_merge_a_into_b_and_b_into_a(shared: tuple[str, Workspace], tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a, b = make_ticket(ws, "A"), make_ticket(ws, "B")
        results = _run(ws, [cli(url, "tickets", "merge", str(a), str(b)),
                            cli(url, "tickets", "merge", str(b), str(a))], tmp_path)
        assert _codes(results) == [0, 4], results
        assert sorted([_state(ws, a), _state(ws, b)]) == sorted(
            [TicketState.LIVE, TicketState.MERGED])


def test_merge_chain(shared: tuple[str, Workspace], tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a, b, c = (make_ticket(ws, n) for n in "ABC")
        results = _run(ws, [cli(url, "tickets", "merge", str(a), str(b)),
                            cli(url, "tickets", "merge", str(b), str(c))], tmp_path)
        # C into B then B into A: both work. B into A first: B is gone, C cannot join it.
        assert _codes(results) in ([0, 0], [0, 4]), results
        assert _state(ws, a) is TicketState.LIVE


def test_merge_against_delete(shared: tuple[str, Workspace], tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a, b = make_ticket(ws, "A"), make_ticket(ws, "B")
        results = _run(ws, [cli(url, "tickets", "merge", str(a), str(b)),
                            cli(url, "tickets", "delete", str(b), "--confirm-count", "1")],
                       tmp_path)
        # Exactly one wins; the other is told, as a conflict, what the ticket became.
        assert _codes(results) == [0, 4], results
        if _state(ws, b) is TicketState.DELETED:  # the delete won: B keeps its messages
            with ws.db.session() as session:
                assert session.scalar(select(func.count()).select_from(Message).join(
                    Message.conversation).where(text(f"conversations.ticket_id = {b}"))) == 2
        else:
            assert _state(ws, b) is TicketState.MERGED


def test_merge_against_split(shared: tuple[str, Workspace], tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a, b = make_ticket(ws, "A"), make_ticket(ws, "B")
        with ws.db.session() as session:
            moved = session.scalars(select(Message.id).join(Message.conversation).where(
                text(f"conversations.ticket_id = {b}")).order_by(Message.id)).all()[-1]
        results = _run(ws, [cli(url, "tickets", "merge", str(a), str(b)),
                            cli(url, "tickets", "split", str(b), "--messages", str(moved))],
                       tmp_path)
        assert _codes(results) == [0, 0], results  # no contradiction: both happen
        assert _state(ws, b) is TicketState.MERGED


def test_two_splits_of_the_same_ticket(shared: tuple[str, Workspace], tmp_path: Path) -> None:
    """Two windows split different messages off the same ticket at once: both happen, each
    message ends on exactly one ticket, one message stays on the original."""
    url, ws = shared
    for _ in range(TRIALS):
        a = make_ticket(ws, "A", conversations=2)
        with ws.db.session() as session:
            first, second, *_rest = session.scalars(select(Message.id).join(
                Message.conversation).where(text(f"conversations.ticket_id = {a}"))
                .order_by(Message.id)).all()
        results = _run(ws, [cli(url, "tickets", "split", str(a), "--messages", str(first)),
                            cli(url, "tickets", "split", str(a), "--messages", str(second))],
                       tmp_path)
        assert _codes(results) == [0, 0], results
        with ws.db.session() as session:
            places = dict(session.execute(select(Message.id, text("conversations.ticket_id"))
                                          .join(Message.conversation)).all())
        assert places[first] != a and places[second] != a
        assert places[first] != places[second]
        assert sum(1 for ticket in places.values() if ticket == a) == 2


def _threads(ws: Workspace, ticket_id: int) -> dict[int, list[int]]:
    """Conversation id -> its message ids, of ticket ``ticket_id``."""
    threads: dict[int, list[int]] = {}
    with ws.db.session() as session:
        for conversation_id, message_id in session.execute(
                select(Message.conversation_id, Message.id).join(Message.conversation)
                .where(text(f"conversations.ticket_id = {ticket_id}")).order_by(Message.id)):
            threads.setdefault(conversation_id, []).append(message_id)
    return threads


def _ticket_of(ws: Workspace, conversation_id: int) -> int | None:
    with ws.db.session() as session:
        return session.scalar(text(f"SELECT ticket_id FROM conversations "
                                   f"WHERE id = {conversation_id}"))


def test_two_splits_taking_whole_threads_of_the_same_ticket(
        shared: tuple[str, Workspace], tmp_path: Path) -> None:
    """Two windows each split a whole thread off the same ticket at once: both threads move
    as their conversation rows, to two new tickets; the third stays."""
    url, ws = shared
    for _ in range(TRIALS):
        a = make_ticket(ws, "A", conversations=3)
        (one, first), (two, second), (three, _third) = _threads(ws, a).items()
        results = _run(ws, [
            cli(url, "tickets", "split", str(a), "--messages", ",".join(map(str, first))),
            cli(url, "tickets", "split", str(a), "--messages", ",".join(map(str, second)))],
            tmp_path)
        assert _codes(results) == [0, 0], results
        places = {c: _ticket_of(ws, c) for c in (one, two, three)}
        assert places[three] == a
        assert len({places[one], places[two], a}) == 3


def test_two_splits_taking_the_same_whole_thread(
        shared: tuple[str, Workspace], tmp_path: Path) -> None:
    """Two windows split the same whole thread off at once: one moves it, the other is told
    its messages are no longer on the ticket; the thread is on exactly one new ticket."""
    url, ws = shared
    for _ in range(TRIALS):
        a = make_ticket(ws, "A", conversations=2)
        (one, first), (two, _second) = _threads(ws, a).items()
        split = cli(url, "tickets", "split", str(a), "--messages", ",".join(map(str, first)))
        results = _run(ws, [split, split], tmp_path)
        assert _codes(results) == [0, 2], results
        moved_to = _ticket_of(ws, one)
        assert moved_to not in (None, a) and _ticket_of(ws, two) == a
        assert _threads(ws, moved_to) == {one: first}  # type: ignore[arg-type]


@pytest.mark.parametrize("command", ["follow", "mark-read"])
def test_the_same_personal_write_from_three_windows(
        shared: tuple[str, Workspace], tmp_path: Path, command: str) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a = make_ticket(ws, "A")
        results = _run(ws, [cli(url, "tickets", command, str(a), user="agent")] * 3, tmp_path)
        assert _codes(results) == [0, 0, 0], results
        if command == "follow":
            with ws.db.session() as session:
                assert session.scalar(select(func.count()).select_from(Follower)
                                      .where(Follower.ticket_id == a)) == 1
                assert session.scalar(select(func.count()).select_from(Activity).where(
                    Activity.ticket_id == a, Activity.kind == ActivityKind.FOLLOWED)) == 1


def test_edits_of_different_fields_all_win(shared: tuple[str, Workspace],
                                           tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a = make_ticket(ws, "A")
        results = _run(ws, [edit(url, ws, a, TicketChanges(priority="high"), "agent"),
                            edit(url, ws, a, TicketChanges(owner=ws.users["lead"]), "lead"),
                            edit(url, ws, a, TicketChanges(category="billing_issue"), "admin")],
                       tmp_path)
        assert _codes(results) == [0, 0, 0], results
        with ws.db.session() as session:
            ticket = session.get(Ticket, a)
            assert ticket is not None
            assert (ticket.priority.value if ticket.priority else None, ticket.owner_id,
                    ticket.category.value if ticket.category else None, ticket.version) == (
                "high", ws.users["lead"], "billing_issue", 4)


def test_edits_of_the_same_field_one_wins(shared: tuple[str, Workspace],
                                          tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        a = make_ticket(ws, "A")
        results = _run(ws, [edit(url, ws, a, TicketChanges(priority=p), u)
                            for p, u in (("high", "agent"), ("low", "lead"),
                                         ("urgent", "admin"))], tmp_path)
        assert _codes(results) == [0, 4, 4], results


def bulk_edit(url: str, ws: Workspace, ticket_ids: list[int], changes: TicketChanges,
              user: str) -> Child:
    """A bulk edit from a window that read every ticket at version 1."""
    def run() -> tuple[int, str]:
        database = open_database(url, create=False)
        try:
            Desk(database, ws.users[user]).update_many(
                ticket_ids, changes, expected_versions=dict.fromkeys(ticket_ids, 1))
            return 0, ""
        except HelpDeskError as exc:
            return exc.exit_code, str(exc)
        finally:
            database.dispose()
    return run


def _bulk_rows(ws: Workspace, ticket_ids: list[int]) -> tuple[set[Any], int, dict[int, int]]:
    """(the tickets' (status, priority, version) values, their property-change entries,
    undo entries per user)."""
    with ws.db.session() as session:
        values = {(t.status_id, t.priority.value if t.priority else None, t.version)
                  for t in session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))}
        entries = session.scalar(select(func.count()).select_from(Activity).where(
            Activity.ticket_id.in_(ticket_ids),
            Activity.kind == ActivityKind.PROPERTY_CHANGED)) or 0
        journal: dict[int, int] = {user: count for user, count in session.execute(
            select(UndoEntry.user_id, func.count()).group_by(UndoEntry.user_id))}
    return values, entries, journal


def test_bulk_edits_of_the_same_tickets_one_wins_whole(shared: tuple[str, Workspace],
                                                       tmp_path: Path) -> None:
    """Two windows set the status of the same 40 tickets at once: one edits all of them
    (with its undo entry), the other is told its edit is stale and changes nothing."""
    url, ws = shared
    for trial in range(TRIALS):
        tickets = [make_ticket(ws, f"B{n}", messages=()) for n in range(40)]
        before = _bulk_rows(ws, tickets)[2]
        results = _run(ws, [
            bulk_edit(url, ws, tickets, TicketChanges(status=ws.status("Closed")), "lead"),
            bulk_edit(url, ws, tickets, TicketChanges(status=ws.status("Waiting on us")), "admin")],
            tmp_path)
        assert _codes(results) == [0, 4], results
        assert "Someone else changed this ticket" in max(results)[1], results
        winner = "lead" if results[0][0] == 0 else "admin"
        values, entries, journal = _bulk_rows(ws, tickets)
        status = ws.status("Closed" if winner == "lead" else "Waiting on us")
        assert values == {(status, "medium", 2)} and entries == 40, trial
        added = {user: journal.get(ws.users[user], 0) - before.get(ws.users[user], 0)
                 for user in ("lead", "admin")}
        assert added == {user: int(user == winner) for user in ("lead", "admin")}, added


def test_bulk_edits_of_different_fields_both_win(shared: tuple[str, Workspace],
                                                 tmp_path: Path) -> None:
    url, ws = shared
    for _ in range(TRIALS):
        tickets = [make_ticket(ws, f"D{n}", messages=()) for n in range(40)]
        results = _run(ws, [
            bulk_edit(url, ws, tickets, TicketChanges(status=ws.status("Closed")), "lead"),
            bulk_edit(url, ws, tickets, TicketChanges(priority="urgent"), "admin")], tmp_path)
        assert _codes(results) == [0, 0], results
        values, entries, _journal = _bulk_rows(ws, tickets)
        assert values == {(ws.status("Closed"), "urgent", 3)} and entries == 80
