"""PostgreSQL: the read-state upsert writes its rows in ticket order, whatever the order it
is given, so two sessions marking overlapping tickets wait for each other instead of
deadlocking (its ``VALUES`` list locked them in the order given)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from helpdesk_desktop.domain.models import ReadState
from helpdesk_desktop.services import read_state
from helpdesk_desktop.storage.database import open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_url
from tests.services.test_contact_sort import START
from tests.services.test_invariants import counter_problems, list_counter_problems


@pytest.fixture
def pg_ws() -> Iterator[Workspace]:
    """A migrated schema of its own (this test commits, from two connections)."""
    with own_schema_url("hd_reads") as url:
        database = open_database(url)
        try:
            yield seed_workspace(database, FakeClock(START))
        finally:
            database.dispose()


def test_two_sessions_marking_overlapping_tickets_wait_instead_of_deadlocking(
        pg_ws: Workspace) -> None:
    """One session holds ticket ``low``'s read state; another marks ``[high, low]`` (given
    high first) and waits on ``low`` without having taken ``high``; the first then marks
    ``high`` too and commits. Written in the order given, the second would hold ``high`` and
    the first wait for it: a deadlock, one of them refused."""
    ws = pg_ws
    low, high = (make_ticket(ws, f"T{n}") for n in range(2))
    user = ws.users["agent"]
    errors: list[BaseException] = []
    with ws.db.session(writes=True) as first:
        read_state.set_many(first, [low], user, ws.clock())

        def second() -> None:
            try:
                with ws.db.session(writes=True) as other:
                    read_state.set_many(other, [high, low], user, None)
                    other.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)  # waiting for the first session's row lock
        assert thread.is_alive()
        read_state.set_many(first, [high], user, ws.clock())  # 1 s: PostgreSQL's deadlock check
        first.commit()
        thread.join(30)
    assert errors == []
    with ws.db.session() as session:
        states = {s.ticket_id: (s.read_at is not None, s.forced_unread)
                  for s in session.scalars(select(ReadState).where(ReadState.user_id == user))}
        assert states == {low: (True, True), high: (True, True)}
        assert counter_problems(session) + list_counter_problems(session) == []
