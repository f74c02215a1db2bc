"""The followed tickets in activity order (migration 0017): each follow's copy of its ticket's
state and last activity, kept by the database's triggers through every write on both
databases (also when two transactions race on PostgreSQL), backfilled by the migration, and
the Following view read from it: the same pages as the view's condition on the tickets."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, insert, inspect, select, text, update

from helpdesk_desktop.domain.enums import MessageKind, SortKey, TicketState, View
from helpdesk_desktop.domain.models import Follower, Ticket
from helpdesk_desktop.services.dto import PageCursor, TicketFilters, TicketQuery
from helpdesk_desktop.storage import migrations
from helpdesk_desktop.storage.database import Database, open_database
from tests.factories import FakeClock, Workspace, make_ticket, seed_workspace
from tests.pg_schemas import own_schema_database
from tests.services.test_invariants import followed_order_problems

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ONE = ((MessageKind.EMAIL, "Hello"),)


def _problems(db: Database) -> list[str]:
    with db.session() as session:
        return followed_order_problems(session)


def _pages(ws: Workspace, user: str, query: TicketQuery, limit: int = 2) -> list[int]:
    """Every id of ``query`` for ``user``, page by page (small pages: many cursors)."""
    desk, ids, after = ws.desk(user), [], None
    while True:
        page = desk.list_tickets(query, limit=limit, after=after)
        ids += [row.id for row in page.rows]
        if page.next_cursor is None:
            return ids
        after = page.next_cursor


def _expected(ws: Workspace, user: str, query: TicketQuery) -> list[int]:
    """The same list from the All view (the tickets' own order and the user's scope),
    narrowed to the user's follows."""
    with ws.db.session() as session:
        followed = set(session.scalars(select(Follower.ticket_id).where(
            Follower.user_id == ws.users[user])))
    every = _pages(ws, user, TicketQuery(view=View.ALL, filters=query.filters,
                                         sort=query.sort, descending=query.descending), 50)
    return [i for i in every if i in followed]


def _check(ws: Workspace) -> None:
    assert _problems(ws.db) == []
    for user in ("admin", "agent", "sales"):
        for descending in (True, False):
            query = TicketQuery(view=View.FOLLOWING, descending=descending)
            assert _pages(ws, user, query) == _expected(ws, user, query), (user, descending)


def _tickets(ws: Workspace) -> list[int]:
    ids = [make_ticket(ws, f"Ticket {n}", owner=owner, messages=ONE)
           for n, owner in enumerate((None, "agent", "sales", "admin", None, "agent"))]
    for user in ("admin", "agent", "sales"):
        ws.desk(user).follow(ids)
    return ids


def test_the_copies_follow_every_write(ws: Workspace) -> None:
    """Follow, unfollow, new activity, delete and restore, spam and not spam, merge and
    unmerge, permanent deletion, a raw update of every ticket: the copies stay the tickets'
    and the Following pages (both orders, every user's scope) those of the view's rule."""
    ids = _tickets(ws)
    _check(ws)
    admin, agent = ws.desk("admin"), ws.desk("agent")
    agent.unfollow([ids[1]])
    admin.reply(ids[0], "Any news?")  # the oldest ticket becomes the newest
    agent.add_note(ids[4], "Looked at it.")
    _check(ws)
    admin.delete([ids[2]], confirm_count=1)
    admin.mark_spam(ids[3])
    _check(ws)
    admin.restore([ids[2]])
    admin.not_spam(ids[3])
    _check(ws)
    admin.merge(ids[5], ids[4])  # the secondary's follows go to the primary
    _check(ws)
    admin.unmerge(ids[4])
    _check(ws)
    admin.delete([ids[1]], confirm_count=1)
    admin.delete_permanently([ids[1]])
    with ws.db.session() as session:
        session.execute(text("UPDATE tickets SET last_activity_at = '2099-01-01 00:00:00' "
                             "WHERE id = :id"), {"id": ids[3]})
        session.execute(update(Ticket).values(state=TicketState.LIVE)
                        .where(Ticket.id == ids[2]))
        session.commit()
    _check(ws)


def test_the_check_sees_a_wrong_copy(ws: Workspace) -> None:
    ids = _tickets(ws)
    with ws.db.session() as session:
        assert followed_order_problems(session) == []
        session.execute(text("UPDATE followers SET last_activity_at = '2000-01-01 00:00:00' "
                             "WHERE ticket_id = :id"), {"id": ids[0]})
        assert len(followed_order_problems(session)) == 3
        session.rollback()


def test_pages_with_filters_sorts_and_slices(ws: Workspace) -> None:
    """Filters, the other sorts (the tickets' own path), a slice read backwards and past a
    skip: the same rows as the view's rule."""
    ids = _tickets(ws)
    ws.desk("admin").unfollow([ids[2]])
    filters = TicketFilters(owner_ids=(None, ws.users["agent"]))
    for query in (TicketQuery(view=View.FOLLOWING, filters=filters),
                  TicketQuery(view=View.FOLLOWING, sort=SortKey.CREATED),
                  TicketQuery(view=View.FOLLOWING, sort=SortKey.NEWEST_HIT)):
        assert _pages(ws, "admin", query) == _expected(ws, "admin", query)
    query = TicketQuery(view=View.FOLLOWING)
    expected = _expected(ws, "admin", query)
    desk = ws.desk("admin")
    assert [r.id for r in desk.list_slice(query, backward=True, limit=2).rows] == expected[-2:]
    assert [r.id for r in desk.list_slice(query, skip=2, limit=2).rows] == expected[2:4]
    first = desk.list_slice(query, limit=2)
    after = first.keys[-1]
    assert [r.id for r in desk.list_slice(query, after=after, limit=10).rows] == expected[2:]
    assert [r.id for r in desk.list_slice(query, after=after, backward=True).rows] == \
        expected[:1]
    # A cursor of another order is refused, as the tickets' path refuses it.
    with pytest.raises(Exception, match="another sort order"):
        desk.list_tickets(query, after=PageCursor(sort_value=(), ticket_id=ids[0]))


def test_the_migration_backfills_the_copies(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    database = open_database(str(path))
    ws = seed_workspace(database, FakeClock(START))
    ids = [make_ticket(ws, f"Ticket {n}", messages=ONE) for n in range(3)]
    with database.engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), "0016")
        names = {c["name"] for c in inspect(connection).get_columns("followers")}
        assert "last_activity_at" not in names
        # 0011's counter trigger is back in its own form: it still counts a moved follow.
        sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE "
                                         "name = 'follow_counts_au'").scalar()
        assert sql is not None and "AFTER UPDATE ON followers" in sql
        connection.execute(insert(Follower), [
            {"ticket_id": i, "user_id": ws.users["admin"], "since": START} for i in ids])
        connection.exec_driver_sql("UPDATE tickets SET state = 'spam' WHERE id = ?", (ids[1],))
    database.dispose()
    database = open_database(str(path))  # upgrades to 0017 and backfills
    try:
        with database.session() as session:
            copies = dict(session.execute(select(Follower.ticket_id, Follower.state)).all())
            assert copies == {ids[0]: TicketState.LIVE, ids[1]: TicketState.SPAM,
                              ids[2]: TicketState.LIVE}
            assert followed_order_problems(session) == []
        query = TicketQuery(view=View.FOLLOWING)
        assert _pages(ws, "admin", query) == [ids[2], ids[0]]
    finally:
        database.dispose()


# -- PostgreSQL: two transactions at once -----------------------------------------------------


@pytest.fixture
def pg_own_schema() -> Iterator[Database]:
    """A migrated schema of its own: these tests commit, from several connections."""
    with own_schema_database("hd_follow") as database:
        yield database


@pytest.mark.parametrize("first", ["follow", "activity", "spam"])
def test_a_follow_racing_a_ticket_update_keeps_the_new_values(pg_own_schema: Database,
                                                              first: str) -> None:
    database = pg_own_schema
    ws = seed_workspace(database, FakeClock(START))
    ticket = make_ticket(ws, "Raced", messages=ONE)
    admin = ws.users["admin"]
    later = START + dt.timedelta(days=3)
    errors: list[BaseException] = []

    def follow(connection: Connection) -> None:
        connection.execute(insert(Follower).values(ticket_id=ticket, user_id=admin,
                                                   since=START))

    def activity(connection: Connection) -> None:
        connection.execute(update(Ticket).where(Ticket.id == ticket)
                           .values(last_activity_at=later))

    def spam(connection: Connection) -> None:
        connection.execute(update(Ticket).where(Ticket.id == ticket)
                           .values(state=TicketState.SPAM, spam_at=later))

    steps: dict[str, Callable[[Connection], None]] = {
        "follow": follow, "activity": activity, "spam": spam}
    second = "activity" if first == "follow" else "follow"
    with database.engine.connect() as one:
        holder = one.begin()
        steps[first](one)  # done, not committed: holds its locks

        def other() -> None:
            try:
                with database.engine.begin() as two:
                    steps[second](two)  # waits for the first transaction's locks
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)  # the second transaction is now waiting
        holder.commit()
        thread.join(30)
    assert errors == []
    assert _problems(database) == []
    with database.session() as session:
        copy = session.execute(select(Follower.state, Follower.last_activity_at)).one()
    if first == "spam":
        assert copy.state is TicketState.SPAM
    else:
        assert (copy.state, copy.last_activity_at) == (TicketState.LIVE, later)
