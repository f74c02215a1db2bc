"""``helpdesk-desktop check``: is the database sound, and does it keep the program's own rules?

Two levels. The engine's: SQLite ``PRAGMA integrity_check`` and ``foreign_key_check`` and the
FTS5 indexes' own integrity check; on PostgreSQL (which enforces its foreign keys itself) the
search's per-ticket word sets (``ticket_search_vectors``, kept by triggers) computed again from
the messages and compared row by row. The program's
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
from helpdesk_desktop.domain.i18n import _, ngettext
from helpdesk_desktop.domain.models import Conversation, Inbox, Status, Ticket
from helpdesk_desktop.services import stored_copies
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
        with database.connect() as connection:  # a read; closing the connection ends it
            stale = search_vector_problems(connection)
        return stale, False, [_("PostgreSQL enforces foreign keys itself"),
                              _("search words per ticket")]
    problems: list[str] = []
    checks = ["integrity_check", "foreign_key_check", "FTS integrity"]
    with database.connect() as connection:
        try:
            rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check(50)")]
        except SQLAlchemyError as exc:
            return [_("The file is damaged: {detail}.").format(detail=database_detail(exc))], \
                True, checks
        if rows != ["ok"]:
            problems += [_("The file is damaged: {detail}.").format(detail=row)
                         for row in rows[:MAX_LISTED]]
            return problems, True, checks
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        problems += _listed([_("{table} row {rowid} points at a missing {parent} row.").format(
                                 table=table, rowid=rowid, parent=parent)
                             for table, rowid, parent, _fk in broken])
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
            problems.append(_("The search index {index} does not match its table "
                              "({detail}).").format(index=index, detail=database_detail(exc)))
    return problems


#: Each ticket's set of message words as the triggers of migration 0013 should keep it: the
#: lexemes of the messages of its conversations that are not spam (``ticket_search_vectors``).
_TICKET_WORDS = (
    "SELECT c.ticket_id, array_to_tsvector(array_agg(DISTINCT w.lexeme)) AS vector "
    "FROM conversations c JOIN messages m ON m.conversation_id = c.id "
    "CROSS JOIN LATERAL unnest(tsvector_to_array(m.search_vector)) AS w(lexeme) "
    "WHERE c.ticket_id IS NOT NULL AND c.spam_at IS NULL GROUP BY c.ticket_id")


def stale_search_vectors(connection: Connection) -> list[int]:
    """The tickets whose row of ``ticket_search_vectors`` differs from what their messages
    give (missing, extra or other words), in id order (PostgreSQL). Reads every message's
    stored vector once (a sort of every message by ticket: given the memory to stay off
    the disk, for this transaction only)."""
    connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
    rows = connection.exec_driver_sql(
        f"SELECT coalesce(k.ticket_id, w.ticket_id) FROM ticket_search_vectors k "
        f"FULL JOIN ({_TICKET_WORDS}) w ON w.ticket_id = k.ticket_id "
        f"WHERE k.vector IS DISTINCT FROM w.vector ORDER BY 1")
    return [row[0] for row in rows]


def search_vector_problems(connection: Connection) -> list[str]:
    """One sentence per ticket whose search words do not match its messages (PostgreSQL):
    a search of a word would miss it or find it wrongly until ``check --repair``."""
    return _listed([_("The search words of ticket #{ticket_id} do not match its messages "
                      "(a search may miss it or find it wrongly).").format(ticket_id=t)
                    for t in stale_search_vectors(connection)])


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
    problems += _listed([_("Tombstone #{ticket_id} does not lead to a ticket that is not merged "
                           "({why}).").format(ticket_id=t, why=why)
                         for t, why in _broken_chains(tickets)])
    unreachable = []
    for conversation_id, ticket_id, inbox_kind in holders:
        if ticket_id is None and inbox_kind is InboxKind.CONVERSATIONS:
            continue  # waiting in a conversations inbox: 'conversations list' shows it
        holder = tickets.get(ticket_id) if ticket_id is not None else None
        if holder is None:
            unreachable.append(_("Conversation #{conversation_id} belongs to no ticket and "
                                 "waits in no conversations inbox.").format(
                                     conversation_id=conversation_id))
        elif holder.state is TicketState.MERGED:
            unreachable.append(_("Conversation #{conversation_id} belongs to tombstone "
                                 "#{ticket_id}, so no command shows its messages.").format(
                                     conversation_id=conversation_id, ticket_id=ticket_id))
    problems += _listed(unreachable)
    states = []
    for t in tickets.values():
        states += [sentence.format(ticket_id=t.id)
                   for sentence in _state_problems(t, statuses.get(t.status_id))]
    problems += _listed(states)
    with database.connect() as connection:  # a read; closing the connection ends it
        problems += stored_copies.problems(connection)
    return problems


def _state_problems(t: Any, status: Any) -> list[str]:
    """What is wrong with one ticket's state, dates, links and status (``{ticket_id}`` left
    to fill): whole sentences, so that each language words them its own way."""
    found = []
    if t.state is TicketState.SPAM and t.spam_at is None:
        found.append(_("Ticket #{ticket_id} is spam but its spam time is missing."))
    elif t.state is not TicketState.SPAM and t.spam_at is not None:
        found.append(_("Ticket #{ticket_id} is not spam but its spam time is set."))
    if t.state is TicketState.DELETED and t.deleted_at is None:
        found.append(_("Ticket #{ticket_id} is deleted but its deletion time is missing."))
    elif t.state is not TicketState.DELETED and t.deleted_at is not None:
        found.append(_("Ticket #{ticket_id} is not deleted but its deletion time is set."))
    if t.state is TicketState.MERGED and t.merged_into_id is None:
        found.append(_("Ticket #{ticket_id} is merged but does not point at a survivor."))
    elif t.state is not TicketState.MERGED and t.merged_into_id is not None:
        found.append(_("Ticket #{ticket_id} is not merged but points at a survivor."))
    if status is not None and status.is_closed and t.closed_at is None:
        found.append(_("Ticket #{ticket_id} has a closed status but no close time."))
    elif status is not None and not status.is_closed and t.closed_at is not None:
        found.append(_("Ticket #{ticket_id} has an open status but a close time."))
    if status is not None and status.pipeline_id != t.pipeline_id:
        found.append(_("Ticket #{ticket_id} has a status of another pipeline."))
    return found


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
                broken.append((ticket_id, _("#{ticket_id} does not exist").format(
                    ticket_id=current)))
                break
            if target.state is not TicketState.MERGED:
                break
            if current in seen:
                broken.append((ticket_id, _("the chain is a loop")))
                break
            seen.add(current)
            current = target.merged_into_id
    return broken


def _listed(items: list[str]) -> list[str]:
    if len(items) <= MAX_LISTED:
        return items
    more = len(items) - MAX_LISTED
    return items[:MAX_LISTED] + [ngettext("… and {count} more of the same kind.",
                                          "… and {count} more of the same kind.",
                                          more).format(count=more)]


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
                done.append(_("Ticket #{ticket_id} is live again ({why}).").format(
                    ticket_id=revived.id, why=why))
        for ticket in tickets.values():
            if ticket.state is TicketState.MERGED:
                end = _chain_end(tickets, ticket.id)
                if end is not None and ticket.merged_into_id != end:
                    ticket.merged_into_id = end
                    done.append(_("Tombstone #{ticket_id} now points at #{survivor}.").format(
                        ticket_id=ticket.id, survivor=end))
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
                done.append(_("Conversation #{conversation_id} moved from tombstone "
                              "#{tombstone} to ticket #{survivor}.").format(
                                  conversation_id=conversation_id, tombstone=holder,
                                  survivor=survivor))
        statuses = {s.id: s for s in session.scalars(select(Status))}
        for t in tickets.values():
            if t.state is TicketState.SPAM and t.spam_at is None:
                t.spam_at = now
                done.append(_("Ticket #{ticket_id}: spam time set (purged in 90 days from "
                              "now).").format(ticket_id=t.id))
            elif t.state is not TicketState.SPAM and t.spam_at is not None:
                t.spam_at = None
                done.append(_("Ticket #{ticket_id}: stale spam time cleared.").format(
                    ticket_id=t.id))
            if t.state is TicketState.DELETED and t.deleted_at is None:
                t.deleted_at = now
                done.append(_("Ticket #{ticket_id}: deletion time set.").format(ticket_id=t.id))
            elif t.state is not TicketState.DELETED and t.deleted_at is not None:
                t.deleted_at = None
                done.append(_("Ticket #{ticket_id}: stale deletion time cleared.").format(
                    ticket_id=t.id))
            if t.state is not TicketState.MERGED and t.merged_into_id is not None:
                t.merged_into_id = None
                done.append(_("Ticket #{ticket_id}: stale merge link cleared.").format(
                    ticket_id=t.id))
            status = statuses.get(t.status_id)
            if status is not None and status.is_closed and t.closed_at is None:
                t.closed_at = t.updated_at
                done.append(_("Ticket #{ticket_id}: close time set.").format(ticket_id=t.id))
            elif status is not None and not status.is_closed and t.closed_at is not None:
                t.closed_at = None
                done.append(_("Ticket #{ticket_id}: close time cleared.").format(ticket_id=t.id))
        session.flush()
        connection = session.connection()
        done += stored_copies.repair(connection)  # after the states: the copies read them
        if database.dialect != "sqlite":
            stale = stale_search_vectors(connection)
            if stale:  # the triggers' own function: the rows computed again from messages
                connection.execute(text("SELECT ticket_search_vectors_refresh("
                                        "CAST(:ids AS integer[]))"), {"ids": stale})
                done.append(ngettext(
                    "The search words of {count} ticket were computed again from its "
                    "messages.", "The search words of {count} tickets were computed again "
                    "from their messages.", len(stale)).format(count=len(stale)))
        else:
            if fts_problems(connection):
                for index in FTS_INDEXES:
                    connection.execute(text(f"INSERT INTO {index}({index}) VALUES ('rebuild')"))
                done.append(_("The search indexes were rebuilt."))
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
