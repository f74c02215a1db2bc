"""The counts of views and board columns read counter rows kept by triggers (migration 0011):
each count equals the length of the list it counts, for every kind of user, on both databases;
and the counters stay exact when two transactions write at the same time (PostgreSQL)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, text, update

from helpdesk_desktop.domain.enums import Priority, View
from helpdesk_desktop.domain.errors import Conflict
from helpdesk_desktop.domain.models import ReadState, Ticket
from helpdesk_desktop.services.dto import TicketChanges, TicketFilters, TicketQuery
from helpdesk_desktop.storage.database import Database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.services.test_contact_sort import START, pg_own_schema  # noqa: F401 - fixture
from tests.services.test_invariants import list_counter_problems

USERS = ("admin", "lead", "agent", "sales", "seller")  # the outsider sees no list


def _busy_workspace(ws: Workspace) -> list[int]:
    """Tickets of every owner, status and state, read, unread, followed."""
    admin = ws.desk("admin")
    ids = [make_ticket(ws, f"T{n}", owner=owner, status=status)
           for n, (owner, status) in enumerate(
               [(None, "New"), ("agent", "New"), ("admin", "Waiting on us"), ("sales", "Waiting on us"),
                ("seller", "New"), ("lead", "Waiting on us"), (None, "Waiting on us"), ("agent", "Waiting on us")])]
    for user in ("admin", "agent", "sales", "seller"):
        desk = ws.desk(user)
        visible = [i for i in ids if i in desk.rows(ids)]
        desk.mark_read(visible[::2])
        desk.follow(visible[1::2])
    ws.desk("agent").mark_unread(ids[:1])
    admin.update(ids[2], TicketChanges(owner=None))
    admin.update(ids[3], TicketChanges(status=ws.status("Closed")))
    admin.mark_spam(ids[4])
    admin.delete([ids[5]], confirm_count=1)
    ws.clock.advance(hours=1)
    admin.reply(ids[6], "A new message: every reader now has it unread.")
    return ids


def _check_counts(ws: Workspace) -> None:
    statuses = [s for p in ws.desk("admin").pipelines() for s in p.statuses]
    for user in USERS:
        desk = ws.desk(user)
        counts = desk.view_counts()
        for view, n in counts.items():
            assert n == len(desk.matching_ids(TicketQuery(view=view))), (user, view)
        me = ws.users[user]
        views = [View.ALL_OPEN, View.ALL, View.CLOSED, View.ASSIGNED_TO_ME, View.UNASSIGNED]
        if View.RECENTLY_DELETED in counts:  # the users with the delete permission
            views.append(View.RECENTLY_DELETED)
        for view in views:
            for status in statuses:
                for owners in ((), (None,), (me, None)):
                    query = TicketQuery(view=view, filters=TicketFilters(
                        status_ids=(status.id,), pipeline_ids=(status.pipeline_id,),
                        owner_ids=owners))
                    assert desk.count_tickets(query) == len(desk.matching_ids(query)), \
                        (user, view, status.name, owners)


def test_each_count_is_the_length_of_its_list(ws: Workspace) -> None:
    _busy_workspace(ws)
    _check_counts(ws)
    with ws.db.session() as session:
        assert list_counter_problems(session) == []


def test_a_count_with_other_filters_still_counts_the_tickets(ws: Workspace) -> None:
    """Filters outside the counters' key (priority, category, inbox) and a search fall back
    to a count of the tickets."""
    _busy_workspace(ws)
    desk = ws.desk("admin")
    status = desk.pipelines()[0].statuses[0]
    base = TicketFilters(status_ids=(status.id,), pipeline_ids=(status.pipeline_id,))
    for query in (TicketQuery(filters=dataclasses.replace(base, priorities=(Priority.MEDIUM,))),
                  TicketQuery(filters=base, search="printer")):
        assert desk.count_tickets(query) == len(desk.matching_ids(query))


# -- two writers at once ----------------------------------------------------------------------


def _in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def race_ws(pg_own_schema: Database) -> Iterator[Workspace]:  # noqa: F811 - the fixture
    yield seed_workspace(pg_own_schema, FakeClock(START))


@pytest.mark.parametrize("first", ["read", "activity", "owner"])
def test_a_read_racing_new_activity_or_an_owner_change_stays_counted(
        race_ws: Workspace, first: str) -> None:
    """A read state written while another transaction changes the ticket's last activity or
    owner: whichever commits first, the counters end equal to the rows."""
    ws = race_ws
    ticket = make_ticket(ws, "Racing", owner="agent")
    user = ws.users["admin"]
    with ws.db.session() as session:
        session.add(ReadState(ticket_id=ticket, user_id=user, read_at=None,
                              forced_unread=False))
        session.commit()

    def read(connection: Connection) -> None:
        connection.execute(update(ReadState).where(ReadState.ticket_id == ticket,
                                                   ReadState.user_id == user)
                           .values(read_at=START.replace(year=2098)))

    def activity(connection: Connection) -> None:
        connection.execute(update(Ticket).where(Ticket.id == ticket)
                           .values(last_activity_at=START.replace(year=2099)))

    def owner(connection: Connection) -> None:
        connection.execute(update(Ticket).where(Ticket.id == ticket).values(owner_id=None))

    steps = {"read": read, "activity": activity, "owner": owner}
    pairs = [("read", "activity"), ("read", "owner")] if first == "read" else [(first, "read")]
    errors: list[BaseException] = []
    for one_step, other_step in pairs:
        with ws.db.engine.connect() as one:
            holder = one.begin()
            steps[one_step](one)  # done, not committed: holds its locks

            def other(step: str = other_step) -> None:
                with ws.db.engine.begin() as two:
                    steps[step](two)

            thread = _in_thread(other, errors)
            time.sleep(0.5)  # the other transaction is now waiting (or done)
            holder.commit()
            thread.join(30)
        assert errors == []
        with ws.db.session() as session:
            assert list_counter_problems(session) == []
        with ws.db.engine.begin() as connection:  # back to the start for the next pair
            connection.execute(text("UPDATE read_states SET read_at = NULL"))
            connection.execute(text("UPDATE tickets SET owner_id = :o, last_activity_at = :t"),
                               {"o": ws.users["agent"], "t": START})


def test_two_writers_keep_every_counter_exact(race_ws: Workspace) -> None:
    """Two desks (two connections) read, follow, reassign, move and reply on the same
    tickets at the same time; the counters end equal to the rows."""
    ws = race_ws
    ids = [make_ticket(ws, f"Shared {n}", owner="agent" if n % 2 else None) for n in range(4)]
    errors: list[BaseException] = []

    def work(user: str, flip: int) -> Callable[[], None]:
        def run() -> None:
            desk = ws.desk(user)
            owners = [None, ws.users["agent"], ws.users["admin"]]
            statuses = [ws.status("New"), ws.status("Waiting on us")]
            for n in range(12):
                ticket = ids[(n + flip) % len(ids)]
                desk.mark_read([ticket])
                desk.follow([ticket]) if n % 2 else desk.unfollow([ticket])
                desk.update(ticket, TicketChanges(owner=owners[(n + flip) % 3],
                                                  status=statuses[n % 2]))
                desk.reply(ticket, f"Reply {n} from {user}.")
                if n % 3 == 0:
                    desk.mark_unread([ticket])
        return run

    threads = [_in_thread(work("admin", 0), errors), _in_thread(work("lead", 1), errors)]
    for thread in threads:
        thread.join(120)
    # A refusal the service reports (the other desk changed the ticket, or PostgreSQL chose
    # this transaction as a deadlock's victim: nothing was written) is an honest outcome;
    # any other error is not.
    assert not [e for e in errors if not isinstance(e, Conflict)], errors
    with ws.db.session() as session:
        assert list_counter_problems(session) == []
