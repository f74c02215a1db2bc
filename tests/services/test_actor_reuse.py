"""The acting user of a read-only unit of work is reused from the unit before when its row is
unchanged, and a change another session committed (a role removed, a scope narrowed, the user
deactivated) holds from the next unit on. A read-only unit reads one snapshot.

Each test opens the database twice, as two programs would (two engines, real commits), on
SQLite and on PostgreSQL: the shared fixtures' PostgreSQL database lives inside one rolled-back
transaction, where no second session could see a commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select, update

from helpdesk_desktop.domain.enums import AccessScope, View
from helpdesk_desktop.domain.errors import NotFound, PermissionDenied
from helpdesk_desktop.domain.models import Ticket, User
from helpdesk_desktop.services.dto import TicketQuery
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database, open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def two_sessions(request: pytest.FixtureRequest,
                 tmp_path: Path) -> Iterator[tuple[Workspace, Database]]:
    """A workspace with tickets, and the same database opened a second time."""
    def opened(url: str) -> Iterator[tuple[Workspace, Database]]:
        first, second = open_database(url), open_database(url)
        try:
            ws = seed_workspace(first, FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)))
            make_ticket(ws, "Unassigned one")
            make_ticket(ws, "Lead's own", owner="lead")
            make_ticket(ws, "Agent's own", owner="agent")
            yield ws, second
        finally:
            first.dispose()
            second.dispose()

    if request.param == "sqlite":
        yield from opened(str(tmp_path / "two.sqlite3"))
    else:
        with own_schema_url("hd_actor") as url:
            yield from opened(url)


def _change_user(other: Database, user_id: int, **values: object) -> None:
    """What an administrator's program does meanwhile: one committed change."""
    with other.session(writes=True) as session:
        session.execute(update(User).where(User.id == user_id).values(**values))
        session.commit()


def _names(ws: Workspace, user: str, view: View = View.ALL_OPEN) -> set[str]:
    return {r.name for r in ws.desk(user).list_tickets(TicketQuery(view=view), limit=50).rows}


def _user_loads(database: Database) -> list[str]:
    """The ORM loads of a user (``SELECT users.id, …``) run on ``database`` from now on."""
    loads: list[str] = []

    def executing(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.startswith("SELECT users.id"):
            loads.append(statement)

    event.listen(database.engine, "before_cursor_execute", executing)
    return loads


def test_an_unchanged_user_is_loaded_once(two_sessions: tuple[Workspace, Database]) -> None:
    ws, _other = two_sessions
    loads = _user_loads(ws.db)
    for _ in range(4):
        assert _names(ws, "lead") == {"Unassigned one", "Lead's own", "Agent's own"}
    assert len(loads) == 1  # the first unit; the next ones compare its row and reuse it


def test_help_desk_access_removed_in_another_session_is_refused_at_once(
        two_sessions: tuple[Workspace, Database]) -> None:
    ws, other = two_sessions
    assert _names(ws, "lead")
    _change_user(other, ws.users["lead"], help_desk_access=False)
    with pytest.raises(PermissionDenied):
        ws.desk("lead").list_tickets(TicketQuery(), limit=50)
    _change_user(other, ws.users["lead"], help_desk_access=True)
    assert _names(ws, "lead") == {"Unassigned one", "Lead's own", "Agent's own"}


def test_scope_narrowed_in_another_session_narrows_the_next_page(
        two_sessions: tuple[Workspace, Database]) -> None:
    ws, other = two_sessions
    assert _names(ws, "lead") == {"Unassigned one", "Lead's own", "Agent's own"}
    _change_user(other, ws.users["lead"], scope=AccessScope.OWNED)
    assert _names(ws, "lead") == {"Unassigned one", "Lead's own"}
    # And back: the same row as the first page's again gives the same rights again.
    _change_user(other, ws.users["lead"], scope=AccessScope.ALL)
    assert _names(ws, "lead") == {"Unassigned one", "Lead's own", "Agent's own"}


def test_delete_permission_removed_closes_the_spam_view(
        two_sessions: tuple[Workspace, Database]) -> None:
    ws, other = two_sessions
    assert _names(ws, "lead", View.SPAM) == set()
    _change_user(other, ws.users["lead"], can_delete_tickets=False)
    with pytest.raises(PermissionDenied):
        ws.desk("lead").list_tickets(TicketQuery(view=View.SPAM), limit=50)


def test_deactivated_user_is_unknown_at_once(two_sessions: tuple[Workspace, Database]) -> None:
    ws, other = two_sessions
    assert ws.desk("lead").me().name == "Léa Lead"
    _change_user(other, ws.users["lead"], active=False)
    with pytest.raises(NotFound):
        ws.desk("lead").me()


def test_renamed_user_and_team_are_read_fresh(two_sessions: tuple[Workspace, Database]) -> None:
    ws, other = two_sessions
    assert ws.desk("lead").me().team_name == "Support"
    _change_user(other, ws.users["lead"], name="Léa Renamed", team_id=ws.teams["Sales"])
    me = ws.desk("lead").me()
    assert (me.name, me.team_name) == ("Léa Renamed", "Sales")


def test_what_a_unit_does_to_its_actor_stays_in_that_unit(
        two_sessions: tuple[Workspace, Database]) -> None:
    ws, _other = two_sessions
    lead = ws.users["lead"]
    assert ws.desk("lead").me().name == "Léa Lead"
    with UnitOfWork(ws.db, lead).read_only() as uow:
        uow.actor.name = "Changed in memory"
        uow.actor.scope = AccessScope.OWNED
    assert ws.desk("lead").me().name == "Léa Lead"
    assert _names(ws, "lead") == {"Unassigned one", "Lead's own", "Agent's own"}


def test_a_read_only_unit_reads_one_snapshot(two_sessions: tuple[Workspace, Database]) -> None:
    # A page's ids and its rows are two statements: a commit between them must not show.
    ws, other = two_sessions
    ticket_id = make_ticket(ws, "Before")
    with UnitOfWork(ws.db, ws.users["lead"]).read_only() as uow:
        assert uow.actor.name == "Léa Lead"
        with other.session(writes=True) as session:
            session.execute(update(Ticket).where(Ticket.id == ticket_id).values(name="After"))
            session.commit()
        assert uow.session.scalar(select(Ticket.name).where(Ticket.id == ticket_id)) == "Before"
    with UnitOfWork(ws.db, ws.users["lead"]).read_only() as uow:
        assert uow.session.scalar(select(Ticket.name).where(Ticket.id == ticket_id)) == "After"
