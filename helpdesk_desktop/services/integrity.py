"""``helpdesk-desktop check``: is the database sound, and does it keep the program's own rules?

Two levels. The engine's: SQLite ``PRAGMA integrity_check`` and ``foreign_key_check`` and the
FTS5 indexes' own integrity check (PostgreSQL enforces its foreign keys itself). The program's
(the invariants): every message is reachable from a live or deleted ticket (its conversation
belongs to a ticket that is not a tombstone), every merge chain ends at a ticket that is not
merged, each ticket's state agrees with its dates and links, and a closed status goes with a
close time. ``repair`` fixes what can be fixed without guessing; what cannot (a damaged file)
is said, with the way out (restore a backup).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from helpdesk_desktop.domain.clock import utcnow
from helpdesk_desktop.domain.enums import InboxKind, TicketState
from helpdesk_desktop.domain.errors import database_detail
from helpdesk_desktop.domain.models import Conversation, Inbox, Status, Ticket
from helpdesk_desktop.storage.database import Database

FTS_INDEXES = ("ticket_name_fts", "message_fts")
MAX_LISTED = 20  # problems of one kind listed one by one; the rest are counted


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found (``problems``) and, with ``repair``, what it fixed."""

    problems: tuple[str, ...] = ()
    repaired: tuple[str, ...] = ()
    damaged: bool = False  # the file itself: only a backup helps
    checks: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(database: Database, *, repair: bool = False,
                   now: dt.datetime | None = None) -> CheckReport:
    """Run every check; with ``repair``, fix what can be fixed (in one transaction) and check
    again, so the report says what is left."""
    engine_problems, damaged, checks = _engine_checks(database)
    if damaged:  # reading the tables of a damaged file proves nothing more (and may fail)
        return CheckReport(tuple(engine_problems), (), True, tuple(checks))
    problems = engine_problems + invariant_problems(database)
    if not repair or not problems:
        return CheckReport(tuple(problems), (), damaged, tuple(checks))
    repaired = _repair(database, now or utcnow())
    engine_problems, damaged, checks = _engine_checks(database)
    left = engine_problems + invariant_problems(database)
    return CheckReport(tuple(left), tuple(repaired), damaged, tuple(checks))


# -- the engine's checks --------------------------------------------------------------------

def _engine_checks(database: Database) -> tuple[list[str], bool, list[str]]:
    if database.dialect != "sqlite":
        return [], False, ["PostgreSQL enforces foreign keys itself"]
    problems: list[str] = []
    checks = ["integrity_check", "foreign_key_check", "FTS integrity"]
    with database.connect() as connection:
        try:
            rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check(50)")]
        except SQLAlchemyError as exc:
            return [f"The file is damaged: {database_detail(exc)}."], True, checks
        if rows != ["ok"]:
            problems += [f"The file is damaged: {row}." for row in rows[:MAX_LISTED]]
            return problems, True, checks
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        problems += _listed([f"{table} row {rowid} points at a missing {parent} row"
                             for table, rowid, parent, _ in broken])
        problems += fts_problems(connection)
        connection.rollback()
    return problems, False, checks


def fts_problems(connection: Connection) -> list[str]:
    """The FTS5 indexes checked against the tables they index (SQLite)."""
    problems = []
    for index in FTS_INDEXES:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(
                    f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        except SQLAlchemyError as exc:
            problems.append(f"The search index {index} does not match its table "
                            f"({database_detail(exc)}).")
    return problems


# -- the program's invariants ---------------------------------------------------------------

def invariant_problems(database: Database) -> list[str]:
    """Every broken rule of the program, one sentence each (the first few of each kind)."""
    with database.session() as session:
        tickets = {row.id: row for row in session.execute(select(
            Ticket.id, Ticket.state, Ticket.merged_into_id, Ticket.spam_at, Ticket.deleted_at,
            Ticket.closed_at, Ticket.status_id, Ticket.pipeline_id))}
        statuses = {row.id: row for row in session.execute(
            select(Status.id, Status.is_closed, Status.pipeline_id))}
        holders = session.execute(select(Conversation.id, Conversation.ticket_id, Inbox.kind)
                                  .join(Inbox, Inbox.id == Conversation.inbox_id)).all()
    problems: list[str] = []
    problems += _listed([f"Tombstone #{t} does not lead to a ticket that is not merged ({why})."
                         for t, why in _broken_chains(tickets)])
    unreachable = []
    for conversation_id, ticket_id, inbox_kind in holders:
        if ticket_id is None and inbox_kind is InboxKind.CONVERSATIONS:
            continue  # waiting in a conversations inbox: 'conversations list' shows it
        holder = tickets.get(ticket_id) if ticket_id is not None else None
        if holder is None:
            unreachable.append(f"Conversation #{conversation_id} belongs to no ticket and "
                               "waits in no conversations inbox.")
        elif holder.state is TicketState.MERGED:
            unreachable.append(f"Conversation #{conversation_id} belongs to tombstone "
                               f"#{ticket_id}, so no command shows its messages.")
    problems += _listed(unreachable)
    states = []
    for t in tickets.values():
        if (t.state is TicketState.SPAM) != (t.spam_at is not None):
            states.append(f"Ticket #{t.id} is {t.state.value} but its spam time is "
                          f"{'set' if t.spam_at else 'missing'}.")
        if (t.state is TicketState.DELETED) != (t.deleted_at is not None):
            states.append(f"Ticket #{t.id} is {t.state.value} but its deletion time is "
                          f"{'set' if t.deleted_at else 'missing'}.")
        if (t.state is TicketState.MERGED) != (t.merged_into_id is not None):
            states.append(f"Ticket #{t.id} is {t.state.value} but "
                          f"{'points' if t.merged_into_id else 'does not point'} at a survivor.")
        status = statuses.get(t.status_id)
        if status is not None and status.is_closed != (t.closed_at is not None):
            states.append(f"Ticket #{t.id} has a {'closed' if status.is_closed else 'open'} "
                          f"status but {'no' if status.is_closed else 'a'} close time.")
        if status is not None and status.pipeline_id != t.pipeline_id:
            states.append(f"Ticket #{t.id} has a status of another pipeline.")
    problems += _listed(states)
    return problems


def _broken_chains(tickets: Mapping[int, Any]) -> list[tuple[int, str]]:
    broken = []
    for ticket_id, row in tickets.items():
        if row.state is not TicketState.MERGED:
            continue
        seen = {ticket_id}
        current = row.merged_into_id
        while True:
            target = tickets.get(current) if current is not None else None
            if target is None:
                broken.append((ticket_id, f"#{current} does not exist"))
                break
            if target.state is not TicketState.MERGED:
                break
            if current in seen:
                broken.append((ticket_id, "the chain is a loop"))
                break
            seen.add(current)
            current = target.merged_into_id
    return broken


def _listed(items: list[str]) -> list[str]:
    if len(items) <= MAX_LISTED:
        return items
    return items[:MAX_LISTED] + [f"… and {len(items) - MAX_LISTED} more of the same kind."]


# -- repair ---------------------------------------------------------------------------------

def _repair(database: Database, now: dt.datetime) -> list[str]:
    """Fix what has one right answer, in one transaction; returns what was done."""
    done: list[str] = []
    with database.session(writes=True) as session:
        tickets = {t.id: t for t in session.scalars(select(Ticket))}
        # Merge chains: a loop or a dangling link gets its lowest ticket back as live; every
        # tombstone then points straight at its chain's end.
        for ticket_id, why in _broken_chains(tickets):
            ticket = tickets[ticket_id]
            if ticket.state is TicketState.MERGED and _chain_end(tickets, ticket_id) is None:
                chain = _chain(tickets, ticket_id)
                revived = tickets[min(chain)]
                revived.state, revived.merged_into_id = TicketState.LIVE, None
                revived.updated_at = now
                done.append(f"Ticket #{revived.id} is live again ({why}).")
        for ticket in tickets.values():
            if ticket.state is TicketState.MERGED:
                end = _chain_end(tickets, ticket.id)
                if end is not None and ticket.merged_into_id != end:
                    ticket.merged_into_id = end
                    done.append(f"Tombstone #{ticket.id} now points at #{end}.")
        session.flush()
        # Conversations held by tombstones go to the survivor, as the merge would have done.
        held = session.execute(select(Conversation.id, Conversation.ticket_id)
                               .join(Ticket, Ticket.id == Conversation.ticket_id)
                               .where(Ticket.state == TicketState.MERGED)).all()
        for conversation_id, holder in held:
            survivor = _chain_end(tickets, holder) if holder is not None else None
            if survivor is not None:
                session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                .values(ticket_id=survivor))
                done.append(f"Conversation #{conversation_id} moved from tombstone "
                            f"#{holder} to ticket #{survivor}.")
        statuses = {s.id: s for s in session.scalars(select(Status))}
        for t in tickets.values():
            if t.state is TicketState.SPAM and t.spam_at is None:
                t.spam_at = now
                done.append(f"Ticket #{t.id}: spam time set (purged in 90 days from now).")
            elif t.state is not TicketState.SPAM and t.spam_at is not None:
                t.spam_at = None
                done.append(f"Ticket #{t.id}: stale spam time cleared.")
            if t.state is TicketState.DELETED and t.deleted_at is None:
                t.deleted_at = now
                done.append(f"Ticket #{t.id}: deletion time set.")
            elif t.state is not TicketState.DELETED and t.deleted_at is not None:
                t.deleted_at = None
                done.append(f"Ticket #{t.id}: stale deletion time cleared.")
            if t.state is not TicketState.MERGED and t.merged_into_id is not None:
                t.merged_into_id = None
                done.append(f"Ticket #{t.id}: stale merge link cleared.")
            status = statuses.get(t.status_id)
            if status is not None and status.is_closed and t.closed_at is None:
                t.closed_at = t.updated_at
                done.append(f"Ticket #{t.id}: close time set.")
            elif status is not None and not status.is_closed and t.closed_at is not None:
                t.closed_at = None
                done.append(f"Ticket #{t.id}: close time cleared.")
        session.flush()
        if database.dialect == "sqlite":
            connection = session.connection()
            if fts_problems(connection):
                for index in FTS_INDEXES:
                    connection.execute(text(f"INSERT INTO {index}({index}) VALUES ('rebuild')"))
                done.append("The search indexes were rebuilt.")
        session.commit()
    return done


def _chain(tickets: dict[int, Ticket], start: int) -> list[int]:
    chain: list[int] = [start]
    current: int | None = tickets[start].merged_into_id
    while current is not None and current in tickets and current not in chain:
        chain.append(current)
        if tickets[current].state is not TicketState.MERGED:
            break
        current = tickets[current].merged_into_id
    return [i for i in chain if tickets[i].state is TicketState.MERGED]


def _chain_end(tickets: dict[int, Ticket], start: int) -> int | None:
    seen: set[int] = set()
    current: int | None = start
    while current is not None and current in tickets and current not in seen:
        if tickets[current].state is not TicketState.MERGED:
            return current
        seen.add(current)
        current = tickets[current].merged_into_id
    return None
