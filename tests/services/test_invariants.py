"""Whole-database invariants of split, merge, delete and purge, and the checks that state them.

The ``*_problems`` helpers are also used by the other service tests and by the state machine.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, func, select, text
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import TicketState
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Base,
    Contact,
    Conversation,
    Follower,
    Message,
    Notification,
    ReadState,
    Status,
    Ticket,
    TicketCount,
    ticket_contacts,
)
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage.database import Database
from tests.factories import Workspace, make_ticket

# -- the checks -----------------------------------------------------------------------------


def message_ids(db: Database) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(Message.id)))


def attachment_owners(db: Database) -> dict[int, int]:
    """attachment id -> message id."""
    with db.session() as session:
        return {a: m for a, m in session.execute(select(Attachment.id, Attachment.message_id))}


def _orphan_counts() -> tuple[list[str], Select[Any]]:
    """One statement counting, for every foreign key of every table, the values that point at
    no row (built once: the state machine runs it after every step)."""
    labels, counts = [], []
    for table in Base.metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            # Aliased so that a self-reference (tickets.merged_into_id) does not correlate.
            child, parent = fk.parent, fk.column.table.alias().c[fk.column.name]
            labels.append(f"{table.name}.{child.name}")
            counts.append(select(func.count()).select_from(table).where(
                child.is_not(None), ~exists(select(parent).where(parent == child)))
                .scalar_subquery())
    return labels, select(*counts)


_ORPHANS = _orphan_counts()


def orphan_problems(session: Session) -> list[str]:
    """Every foreign key value of every table that points at no row."""
    labels, statement = _ORPHANS
    counts = session.execute(statement).one()
    return [f"{count} orphan row(s) in {label}" for label, count in zip(labels, counts, strict=True)
            if count]


def tombstone_problems(session: Session) -> list[str]:
    """Tombstones must point at an existing ticket that is not itself a tombstone; only
    tombstones may point anywhere; tombstones hold no conversation."""
    problems = []
    tickets = {t.id: t for t in session.scalars(select(Ticket))}
    for ticket in tickets.values():
        if ticket.state is TicketState.MERGED:
            target = tickets.get(ticket.merged_into_id or -1)
            if target is None or target.state is TicketState.MERGED:
                problems.append(f"tombstone #{ticket.id} points at #{ticket.merged_into_id}")
        elif ticket.merged_into_id is not None:
            problems.append(f"ticket #{ticket.id} is {ticket.state} but merged into "
                            f"#{ticket.merged_into_id}")
    held = session.scalars(select(Conversation.id).join(
        Ticket, Ticket.id == Conversation.ticket_id).where(Ticket.state == TicketState.MERGED))
    problems += [f"conversation #{c} belongs to a tombstone" for c in held]
    return problems


def closed_at_problems(session: Session) -> list[str]:
    rows = session.execute(select(Ticket.id, Ticket.closed_at, Status.is_closed, Status.pipeline_id,
                                  Ticket.pipeline_id).join(Status, Status.id == Ticket.status_id))
    problems = []
    for ticket_id, closed_at, is_closed, status_pipeline, pipeline in rows:
        if (closed_at is not None) != is_closed:
            problems.append(f"ticket #{ticket_id}: closed_at={closed_at} but closed={is_closed}")
        if status_pipeline != pipeline:
            problems.append(f"ticket #{ticket_id}: status of another pipeline")
    return problems


def state_problems(session: Session) -> list[str]:
    problems = []
    for t in session.scalars(select(Ticket)):
        if (t.state is TicketState.SPAM) != (t.spam_at is not None):
            problems.append(f"ticket #{t.id}: state {t.state} with spam_at {t.spam_at}")
        if (t.state is TicketState.DELETED) != (t.deleted_at is not None):
            problems.append(f"ticket #{t.id}: state {t.state} with deleted_at {t.deleted_at}")
    return problems


def counter_problems(session: Session) -> list[str]:
    """``ticket_counts`` (kept by triggers) against a count of the tickets themselves."""
    key = (Ticket.state, case((Ticket.closed_at.is_(None), 1), else_=0),
           func.coalesce(Ticket.owner_id, 0))
    actual = {(str(getattr(state, "value", state)), is_open, owner): n
              for state, is_open, owner, n in session.execute(
                  select(*key, func.count()).group_by(*key))}
    kept = {(state, is_open, owner): n for state, is_open, owner, n in session.execute(
        select(TicketCount.state, TicketCount.is_open, TicketCount.owner_key, TicketCount.n))
        if n}
    return [] if kept == actual else [f"ticket_counts {kept} != tickets {actual}"]


#: What each counter table of migration 0011 holds, computed from the rows themselves.
_COUNTER_TRUTH = {
    "ticket_status_counts": (
        "SELECT state, CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END, coalesce(owner_id, 0), "
        "pipeline_id, status_id, count(*) FROM tickets GROUP BY 1, 2, 3, 4, 5"),
    "read_counts": (
        "SELECT r.user_id, coalesce(t.owner_id, 0), count(*) FROM read_states r "
        "JOIN tickets t ON t.id = r.ticket_id WHERE t.state = 'live' AND NOT r.forced_unread "
        "AND r.read_at IS NOT NULL AND r.read_at >= t.last_activity_at GROUP BY 1, 2"),
    "follow_counts": (
        "SELECT f.user_id, coalesce(t.owner_id, 0), count(*) FROM followers f "
        "JOIN tickets t ON t.id = f.ticket_id WHERE t.state = 'live' GROUP BY 1, 2"),
}
_COUNTER_KEYS = {"ticket_status_counts": "state, is_open, owner_key, pipeline_id, status_id",
                 "read_counts": "user_id, owner_key", "follow_counts": "user_id, owner_key"}


def list_counter_problems(session: Session) -> list[str]:
    """The counters of migration 0011 (board columns, Unread, Following) against the rows."""
    problems = []
    for table, truth in _COUNTER_TRUTH.items():
        actual = {tuple(r[:-1]): r[-1] for r in session.execute(text(truth))}
        kept = {tuple(r[:-1]): r[-1] for r in session.execute(
            text(f"SELECT {_COUNTER_KEYS[table]}, n FROM {table}")) if r[-1]}
        if kept != actual:
            problems.append(f"{table} {kept} != rows {actual}")
    return problems


def contact_sort_problems(session: Session) -> list[str]:
    """``tickets.contact_sort`` (kept by triggers, migration 0009) against the name of each
    ticket's first contact (the lowest contact id), NULL without one."""
    first = (select(Contact.name)
             .join(ticket_contacts, ticket_contacts.c.contact_id == Contact.id)
             .where(ticket_contacts.c.ticket_id == Ticket.id)
             .order_by(ticket_contacts.c.contact_id).limit(1)
             .correlate(Ticket).scalar_subquery())
    wrong = session.execute(select(Ticket.id, Ticket.contact_sort, first)
                            .where(Ticket.contact_sort.is_distinct_from(first))).all()
    return [f"ticket #{i}: contact_sort {kept!r} != first contact {name!r}"
            for i, kept, name in wrong]


def followed_order_problems(session: Session) -> list[str]:
    """Each follow's copy of its ticket's state and last activity (kept by triggers,
    migration 0017) against the ticket's own."""
    wrong = session.execute(text(
        "SELECT f.ticket_id, f.user_id, f.state, f.last_activity_at, t.state, "
        "t.last_activity_at FROM followers f JOIN tickets t ON t.id = f.ticket_id "
        "WHERE f.state IS NULL OR f.state <> t.state OR f.last_activity_at IS NULL "
        "OR f.last_activity_at <> t.last_activity_at")).all()
    return [f"follow of ticket #{t} by user {u}: ({s!r}, {a}) != ticket's ({ts!r}, {ta})"
            for t, u, s, a, ts, ta in wrong]


def all_problems(db: Database) -> list[str]:
    with db.session() as session:
        return (orphan_problems(session) + tombstone_problems(session)
                + closed_at_problems(session) + state_problems(session)
                + counter_problems(session) + contact_sort_problems(session)
                + list_counter_problems(session) + followed_order_problems(session))


def rows_about(session: Session, ticket_ids: set[int]) -> list[str]:
    """Rows of any table whose foreign key points at one of ``ticket_ids``."""
    found = []
    ids = list(ticket_ids)
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "tickets":
                count = session.scalar(select(func.count()).select_from(table)
                                       .where(fk.parent.in_(ids)))
                if count:
                    found.append(f"{count} row(s) of {table.name}.{fk.parent.name}")
    return found


# -- tests ----------------------------------------------------------------------------------


def test_ticket_counts_follow_every_change_and_the_check_sees_a_wrong_one(
        db: Database, ws: Workspace) -> None:
    """The triggers keep ticket_counts right through insert, update of state, closed_at and
    owner, and delete; and the check itself fails on a wrong counter."""
    first, second = make_ticket(ws), make_ticket(ws, owner="agent")
    with db.session() as session:
        session.execute(text("UPDATE tickets SET owner_id = NULL WHERE id = :id"),
                        {"id": second})
        session.execute(text("UPDATE tickets SET state = 'deleted', deleted_at = created_at "
                             "WHERE id = :id"), {"id": first})
        session.commit()
        assert counter_problems(session) == []
    admin = ws.desk("admin")
    admin.delete([second], confirm_count=1)
    admin.delete_permanently([second])
    with db.session() as session:
        assert session.get(Ticket, second) is None
        assert counter_problems(session) == []
        session.execute(text("UPDATE ticket_counts SET n = n + 1 WHERE state = 'deleted'"))
        assert counter_problems(session) != []
        session.rollback()


def test_list_counters_follow_every_change_and_the_check_sees_a_wrong_one(
        db: Database, ws: Workspace) -> None:
    """The counters of migration 0011 stay right through reading, marking unread, following,
    a new message, reassigning, closing, a status change, spam, delete and permanent delete;
    and the check fails on a wrong counter of each table."""
    admin, agent = ws.desk("admin"), ws.desk("agent")
    first, second = make_ticket(ws), make_ticket(ws, owner="agent")
    assert list_counter_problems_of(db) == []
    for desk in (admin, agent):
        desk.mark_read([first, second])
        desk.follow([first])
    assert list_counter_problems_of(db) == []
    agent.mark_unread([first])
    admin.update(first, TicketChanges(owner=admin.me().id))
    agent.unfollow([first])
    assert list_counter_problems_of(db) == []
    with db.session() as session:  # new activity, a status, closed, by any writer
        session.execute(text("UPDATE tickets SET last_activity_at = '2099-01-01 00:00:00', "
                             "closed_at = last_activity_at, "
                             "status_id = (SELECT max(id) FROM statuses) WHERE id = :id"),
                        {"id": second})
        session.commit()
    assert list_counter_problems_of(db) == []
    # Activity moved back and forth around the read times (reads turn read, then unread).
    for moment in ("2000-01-01 00:00:00", "2099-06-01 00:00:00"):
        with db.session() as session:
            session.execute(text("UPDATE tickets SET last_activity_at = :t"), {"t": moment})
            session.commit()
        assert list_counter_problems_of(db) == []
    admin.mark_spam(first)
    assert list_counter_problems_of(db) == []
    admin.delete([second], confirm_count=1)
    admin.delete_permanently([second])
    assert list_counter_problems_of(db) == []
    with db.session() as session:
        for table in ("ticket_status_counts", "read_counts", "follow_counts"):
            session.execute(text(f"UPDATE {table} SET n = n + 1"))
            assert any(table in p for p in list_counter_problems(session)), table
            session.rollback()


def list_counter_problems_of(db: Database) -> list[str]:
    with db.session() as session:
        return list_counter_problems(session)


def test_orphan_check_sees_an_orphan(db: Database, ws: Workspace) -> None:
    """The orphan check itself can fail (with foreign keys switched off for a moment)."""
    ticket_id = make_ticket(ws)
    deletes = ["DELETE FROM attachments", "DELETE FROM messages", "DELETE FROM conversations",
               "DELETE FROM activities", f"DELETE FROM tickets WHERE id = {ticket_id}"]
    if db.dialect == "sqlite":
        # The pragma works only outside a transaction: on the raw connection, before BEGIN.
        raw = db.engine.raw_connection()
        try:
            raw.execute("PRAGMA foreign_keys=OFF")
            for statement in deletes:
                raw.execute(statement)
            raw.execute("PRAGMA foreign_keys=ON")
        finally:
            raw.close()
    with db.session() as session:
        if db.dialect != "sqlite":  # the test's outer transaction is rolled back, and this too
            session.execute(text("SET LOCAL session_replication_role = replica"))
            for statement in deletes:
                session.execute(text(statement))
            session.commit()
        problems = orphan_problems(session)
    assert sorted(problems) == ["1 orphan row(s) in ticket_companies.ticket_id",
                                "1 orphan row(s) in ticket_contacts.ticket_id"]


def test_split_and_merge_lose_no_message(ws: Workspace) -> None:
    a = make_ticket(ws, "A", conversations=2, attachment=True)
    b = make_ticket(ws, "B", conversations=1, attachment=True)
    before, attachments = message_ids(ws.db), attachment_owners(ws.db)
    desk = ws.desk("lead")
    with ws.db.session() as session:
        first = session.scalars(select(Message.id).join(Conversation)
                                .where(Conversation.ticket_id == a).order_by(Message.id)).all()
    split = desk.split(a, first[1:3])
    new_id = split.created_ticket_ids[0]
    desk.merge(b, a)
    desk.merge(new_id, b)
    assert message_ids(ws.db) == before
    assert attachment_owners(ws.db) == attachments
    with ws.db.session() as session:
        holders = session.execute(select(Message.id, Conversation.ticket_id).join(Conversation))
        assert {ticket for _, ticket in holders} == {new_id}
    assert all_problems(ws.db) == []


def _busy_ticket(ws: Workspace, name: str) -> int:
    """A ticket with attachments, followers, read states and a notification."""
    ticket_id = make_ticket(ws, name, conversations=2, attachment=True)
    with ws.db.session() as session:
        now = ws.clock()
        session.add(Follower(ticket_id=ticket_id, user_id=ws.users["agent"], since=now))
        session.add(ReadState(ticket_id=ticket_id, user_id=ws.users["lead"], read_at=now,
                              forced_unread=False))
        activity = session.scalars(select(Activity).where(Activity.ticket_id == ticket_id)).one()
        session.add(Notification(user_id=ws.users["agent"], ticket_id=ticket_id,
                                 activity_id=activity.id, created_at=now))
        session.commit()
    return ticket_id


def test_delete_permanently_leaves_no_orphan_row(ws: Workspace) -> None:
    doomed, tombstone, kept = (_busy_ticket(ws, n) for n in ("doomed", "merged", "kept"))
    desk = ws.desk("lead")
    desk.merge(doomed, tombstone)
    desk.delete([doomed], confirm_count=1)
    desk.delete_permanently([doomed])
    with ws.db.session() as session:
        assert session.scalars(select(Ticket.id)).all() == [kept]
        assert rows_about(session, {doomed, tombstone}) == []
        assert session.scalar(select(func.count()).select_from(Contact)) == 2
        assert session.scalar(select(func.count()).select_from(ticket_contacts)) == 1
        left = set(session.scalars(select(Conversation.ticket_id)))
        assert left == {kept}
    assert all_problems(ws.db) == []


def test_purge_leaves_no_orphan_row_and_spares_recent_rows(ws: Workspace) -> None:
    old_deleted, old_spam, recent, live = (_busy_ticket(ws, n)
                                           for n in ("old deleted", "old spam", "recent", "live"))
    desk = ws.desk("lead")
    with ws.db.session() as session:
        live_conversations = session.scalars(select(Conversation.id).where(
            Conversation.ticket_id == live).order_by(Conversation.id)).all()
    desk.delete([old_deleted], confirm_count=1)
    desk.mark_spam(old_spam)
    desk.mark_spam(live, [live_conversations[0]])
    ws.clock.advance(days=91)
    desk.delete([recent], confirm_count=1)
    result = desk.purge()
    assert set(result.removed_ticket_ids) == {old_deleted, old_spam}
    with ws.db.session() as session:
        assert set(session.scalars(select(Ticket.id))) == {recent, live}
        assert rows_about(session, {old_deleted, old_spam}) == []
        assert session.scalars(select(Conversation.id).where(
            Conversation.ticket_id == live)).all() == live_conversations[1:]
        assert session.get(Ticket, recent).state is TicketState.DELETED
    assert all_problems(ws.db) == []
    with ws.db.session() as session:
        messages = session.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id.in_(select(Conversation.id))))
        assert messages == session.scalar(select(func.count()).select_from(Message))


def test_purge_of_an_unknown_age_spares_everything_newer(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    desk = ws.desk("admin")
    desk.mark_spam(ticket_id)
    ws.clock.advance(days=89)
    assert desk.purge().removed_ticket_ids == ()
    with ws.db.session() as session:
        assert session.get(Ticket, ticket_id) is not None
        assert session.scalar(select(func.count()).select_from(Message).where(and_(
            Message.conversation_id == Conversation.id, Conversation.ticket_id == ticket_id)))
