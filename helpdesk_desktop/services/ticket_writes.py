"""Set-based bulk property edits: a few statements for a thousand tickets.

:func:`edit_set` does what :func:`ticket_edits.edit_each` does one ticket at a time (read it,
check it, compare-and-set its row, add its timeline entry, keep its author's read state,
notify its followers), with statements per chunk of tickets instead of per ticket: one
``SELECT`` of the tickets' columns, one of the author's read states and one of the followers,
one ``UPDATE`` per group of tickets that change the same way, one ``INSERT … RETURNING`` of
the timeline entries, one of the notifications and one read-state upsert. The rows it writes
are the ones the per-ticket path writes (``tests/services/test_bulk_writes.py`` runs both).

The checks are the per-ticket path's, per group of tickets they cannot tell apart (a value
check depends on the edit and the ticket's pipeline only). Tickets it cannot take as a set
(a merged ticket's old id, which redirects; the same ticket twice) make it answer ``None``
before it writes anything, and the caller edits ticket by ticket as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, bindparam, case, insert, select, text, update
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import ActivityKind, TicketState
from helpdesk_desktop.domain.errors import Conflict, HelpDeskError, NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import (
    Activity,
    Follower,
    Notification,
    ReadState,
    Status,
    Ticket,
    User,
)
from helpdesk_desktop.domain.rules import MAX_ID
from helpdesk_desktop.domain.sentences import Sentence
from helpdesk_desktop.domain.types import UTCDateTime
from helpdesk_desktop.services import read_state, row_values
from helpdesk_desktop.services.access import can_see_owner
from helpdesk_desktop.services.activity import summary_columns
from helpdesk_desktop.services.dto import PropertyEdit, TicketChanges
from helpdesk_desktop.services.id_lists import (
    among,
    among_parameter,
    chunks,
    ids_parameter,
    pairs_among,
)
from helpdesk_desktop.services.uow import UnitOfWork, locks_rows

Progress = Callable[[int, int], None]
Edit = tuple[int, TicketChanges, int | None]

#: The ticket columns an edit reads (the values it may change, and what its checks need).
_COLUMNS = (Ticket.id, Ticket.state, Ticket.owner_id, Ticket.name, Ticket.description,
            Ticket.pipeline_id, Ticket.status_id, Ticket.priority, Ticket.category,
            Ticket.version, Ticket.closed_at, Ticket.last_activity_at)


@dataclass(frozen=True)
class Outcome:
    """One asked edit: its edit for undo and its timeline sentence (done), or a refusal."""

    edit: PropertyEdit | None = None
    message: str = ""
    error: HelpDeskError | None = None


@dataclass
class _Write:
    """A ticket that changes: its row as read, its cleaned values and what differs."""

    index: int
    row: Any
    diffs: dict[str, tuple[Any, Any]]


def edit_set(uow: UnitOfWork, edits: Sequence[Edit], progress: Progress | None, *,
             exact_version: bool) -> list[Outcome | None] | None:
    """One outcome per edit (``None``: nothing to change), or ``None`` (nothing written) when
    the edits cannot be made as a set. Inside the caller's transaction; on PostgreSQL the
    tickets are locked (in id order) by the statement that reads them."""
    from helpdesk_desktop.services import ticket_edits as single  # the per-ticket rules

    session, actor = uow.session, uow.actor
    ids = [ticket_id for ticket_id, _, _ in edits]
    if len(set(ids)) != len(ids):
        return None
    rows: dict[int, Any] = {}
    wanted = sorted(i for i in ids if 0 < i <= MAX_ID)
    lock, dialect = locks_rows(session), uow.database.dialect
    for chunk in chunks(wanted):
        # Read and, on PostgreSQL, locked by the same statement, in id order (what
        # access.lock_tickets does before a per-ticket edit).
        read = select(*_COLUMNS).where(among(Ticket.id, chunk, dialect))
        if lock:
            read = read.order_by(Ticket.id).with_for_update(of=Ticket)
        rows.update((row.id, row) for row in session.connection().execute(read))
    if any(row.state is TicketState.MERGED for row in rows.values()):
        return None  # an old id redirects to its survivor: ticket by ticket
    owners = _users(session, {r.owner_id for r in rows.values() if r.owner_id is not None})
    outcomes: list[Outcome | None] = []
    writes: list[_Write] = []
    cleaned: dict[tuple[TicketChanges, int], dict[str, Any] | HelpDeskError] = {}
    for index, (ticket_id, changes, expected) in enumerate(edits):
        row = rows.get(ticket_id)
        if (row is None or row.state is not TicketState.LIVE
                or not can_see_owner(actor, owners.get(row.owner_id))):
            outcomes.append(Outcome(error=NotFound(_(
                "Ticket #{ticket_id} does not exist or you cannot see it.").format(
                    ticket_id=ticket_id))))
            continue
        key = (changes, row.pipeline_id)
        if key not in cleaned:
            try:
                cleaned[key] = single._clean_changes(session, row.pipeline_id,
                                                     changes.columns())
            except HelpDeskError as exc:
                cleaned[key] = exc
        clean = cleaned[key]
        if isinstance(clean, HelpDeskError):
            outcomes.append(Outcome(error=clean))
            continue
        current = _current(row)
        if expected is not None and expected != row.version:
            changed = (None if exact_version else single._fields_changed_since(
                session, row.id, expected, row.version))
            if changed is None or changed & set(clean):
                outcomes.append(Outcome(error=Conflict(
                    _("Someone else changed this ticket since you opened it; nothing was "
                      "saved."), current=current)))
                continue
        diffs = {f: (current[f], v) for f, v in clean.items() if current[f] != v}
        if not diffs:
            outcomes.append(None)
            continue
        outcomes.append(Outcome())  # filled in below
        writes.append(_Write(index, row, diffs))
    _write(uow, writes, outcomes, progress, len(edits))
    return outcomes


def _current(row: Any) -> dict[str, Any]:
    return {"name": row.name, "description": row.description,
            "pipeline_id": row.pipeline_id, "status_id": row.status_id,
            "priority": row.priority, "category": row.category,
            "owner_id": row.owner_id, "version": row.version}


def _users(session: Session, user_ids: set[int]) -> dict[int | None, User]:
    found: dict[int | None, User] = {}
    if user_ids:
        found.update((u.id, u) for u in session.scalars(
            select(User).where(User.id.in_(sorted(user_ids)))))
    return found


def _write(uow: UnitOfWork, writes: list[_Write], outcomes: list[Outcome | None],
           progress: Progress | None, total: int) -> None:
    """The rows of the tickets that change, chunk by chunk (the per-ticket path's rows)."""
    from helpdesk_desktop.services import ticket_edits as single

    session, dialect = uow.session, uow.database.dialect
    summaries: dict[tuple[tuple[str, Any, Any], ...], tuple[Sentence, str]] = {}
    previous: dict[tuple[tuple[str, Any, Any], ...], TicketChanges] = {}
    closed = {s.id: s.is_closed for s in session.scalars(select(Status))}
    done = 0
    for start in range(0, len(writes), 500):
        batch = writes[start:start + 500]
        ids = [w.row.id for w in batch]
        # Compare-and-set per group of tickets changing the same way: (id, version) pairs.
        groups: dict[tuple[tuple[str, Any], ...], list[_Write]] = {}
        for w in batch:
            values_key = tuple(sorted((f, new) for f, (_, new) in w.diffs.items()))
            groups.setdefault(values_key + _closing(w, closed, uow.now), []).append(w)
        for values_key, members in groups.items():
            values: dict[str, Any] = dict(values_key)
            changed = session.execute(
                update(Ticket)
                # The id list lets SQLite seek by key (a row-value IN alone scans).
                .where(among(Ticket.id, [w.row.id for w in members], dialect),
                       pairs_among(Ticket.id, Ticket.version,
                                   [(w.row.id, w.row.version) for w in members], dialect))
                .values(**values, updated_at=uow.now, version=Ticket.version + 1,
                        last_activity_at=case(
                            (Ticket.last_activity_at > uow.now, Ticket.last_activity_at),
                            else_=uow.now))
                .execution_options(synchronize_session=False))
            if changed.rowcount != len(members):  # type: ignore[attr-defined]
                raise Conflict(_("Someone else changed these tickets at the same moment; "
                                 "nothing was changed. Try again."))
        entries: list[Entry] = []
        for w in batch:
            key = tuple((f, old, new) for f, (old, new) in sorted(w.diffs.items()))
            if key not in summaries:
                said_once = single._summary(session, w.diffs)
                summaries[key] = (said_once, said_once.text())
            said, said_text = summaries[key]
            data = {"changes": {f: [single._json_safe(old), single._json_safe(new)]
                                for f, (old, new) in w.diffs.items()},
                    "version": w.row.version + 1}
            entries.append(Entry(w.row.id, ActivityKind.PROPERTY_CHANGED, said, data,
                                 owner_id=(w.diffs["owner_id"][1] if "owner_id" in w.diffs
                                           else w.row.owner_id),
                                 last_activity_at=w.row.last_activity_at))
            if key not in previous:
                previous[key] = TicketChanges.from_columns(
                    {f: old for f, (old, _) in w.diffs.items()})
            edit = PropertyEdit(w.row.id, previous[key], w.row.version + 1)
            outcomes[w.index] = Outcome(edit=edit, message=said_text)
        record_entries(uow, entries)
        done = min(total, done + len(ids))
        if progress is not None:
            progress(done, total)
    session.expire_all()
    if progress is not None and done < total:
        progress(total, total)


def _closing(w: _Write, closed: dict[int, bool], now: dt.datetime
             ) -> tuple[tuple[str, Any], ...]:
    """``closed_at`` to write when a new status opens or closes the ticket, else nothing: on
    SQLite a column in the ``SET`` list rewrites the ticket's entry in every index holding
    it (13 of the 27 hold ``closed_at``), even to the same value. The row was read in this
    transaction and the ``UPDATE`` compares its version."""
    if "status_id" not in w.diffs:
        return ()
    closing = closed.get(w.diffs["status_id"][1], False)
    if closing == (w.row.closed_at is not None):
        return ()
    return (("closed_at", now if closing else None),)


_ENTRIES = insert(Activity).returning(Activity.id, Activity.ticket_id)
#: PostgreSQL: the entries as one array per column that varies, unnested. The same short SQL
#: text for any number of entries, where a multi-row ``VALUES`` of 500 entries was 3,000
#: parameters that SQLAlchemy processed and psycopg parsed again at each execution (its
#: parse cache stops at 4 KB of text), and that the server parsed and planned each time.
_PG_ENTRIES = text(
    "INSERT INTO activities (ticket_id, actor_id, kind, created_at, summary, data) "
    "SELECT e.ticket_id, :actor_id, e.kind, CAST(:created_at AS timestamp without time zone), "
    "e.summary, CAST(e.data AS json) "
    "FROM unnest(CAST(:ticket_ids AS integer[]), CAST(:kinds AS varchar[]), "
    "CAST(:summaries AS text[]), CAST(:data AS text[])) AS e(ticket_id, kind, summary, data) "
    "RETURNING id, ticket_id").bindparams(bindparam("created_at", type_=UTCDateTime()))


@functools.cache
def _read_states(dialect: str) -> Executable:
    """The author's read states of the tickets ``:ids``."""
    return select(ReadState.ticket_id, ReadState.read_at, ReadState.forced_unread).where(
        ReadState.user_id == bindparam("user_id"),
        among_parameter(ReadState.ticket_id, "ids", dialect))


@functools.cache
def _followers(dialect: str) -> Executable:
    """(ticket, user) of the active followers of the tickets ``:ids`` who want updates."""
    return select(Follower.ticket_id, Follower.user_id).join(
        User, User.id == Follower.user_id).where(
            among_parameter(Follower.ticket_id, "ids", dialect),
            User.notify_record_updates.is_(True), User.active.is_(True))


@dataclass(frozen=True)
class Entry:
    """A timeline entry to add: its ticket's owner once the operation is done (who may see
    it) and its last activity before (whether the author had read it)."""

    ticket_id: int
    kind: ActivityKind
    said: Sentence
    data: dict[str, Any]
    owner_id: int | None
    last_activity_at: dt.datetime | None


def record_entries(uow: UnitOfWork, entries: Sequence[Entry], *,
                   mark_read: Sequence[int] = ()) -> dict[int, int]:
    """:func:`activity.record_activity` for several tickets (one entry each) in a few
    statements: the entries, the author's read states, the followers' notifications. The
    caller moves each ticket's ``last_activity_at`` on itself. ``mark_read``: tickets the
    author has read now in any case (in the same upsert). Returns the entry id of each
    ticket."""
    # A bulk edit's entries share one sentence object per kind of change: its English text
    # and its JSON are made once, not for each of a thousand tickets.
    said_as: dict[int, tuple[str, dict[str, Any]]] = {}
    columns: list[tuple[str, dict[str, Any]]] = []  # (summary, data) of each entry
    for entry in entries:
        key = id(entry.said)
        if key not in said_as:
            said_as[key] = summary_columns(entry.said)
        summary, extra = said_as[key]
        columns.append((summary, {**entry.data, **extra}))
    # RETURNING the ticket id maps them in any order, which lets SQLite send the rows as
    # one statement. Core on the session's connection: rows, no ORM work per statement.
    connection = uow.session.connection()
    if uow.database.dialect == "postgresql":
        inserted = connection.execute(_PG_ENTRIES, {
            "actor_id": uow.actor_id, "created_at": uow.now,
            "ticket_ids": [entry.ticket_id for entry in entries],
            "kinds": [entry.kind.value for entry in entries],
            "summaries": [summary for summary, _ in columns],
            # The text SQLAlchemy's JSON type sends (json.dumps, its default serializer).
            "data": [json.dumps(data) for _, data in columns]})
    else:
        inserted = connection.execute(_ENTRIES, [
            {"ticket_id": entry.ticket_id, "actor_id": uow.actor_id, "kind": entry.kind,
             "created_at": uow.now, "summary": summary, "data": data}
            for entry, (summary, data) in zip(entries, columns, strict=True)])
    entry_of: dict[int, int] = {ticket_id: entry_id for entry_id, ticket_id in inserted}
    _keep_read(uow, entries, mark_read)
    _notify(uow, entries, entry_of)
    return entry_of


def _keep_read(uow: UnitOfWork, entries: Sequence[Entry], mark_read: Sequence[int] = ()
               ) -> None:
    """The author's own entry keeps a ticket read for them when it was read before."""
    actor_id = uow.actor_id
    if actor_id is None:
        return
    by_id = {e.ticket_id: e for e in entries}
    dialect = uow.database.dialect
    states = {ticket_id: (read_at, forced) for ticket_id, read_at, forced in
              uow.session.connection().execute(_read_states(dialect), {
                  "user_id": actor_id, "ids": ids_parameter(list(by_id), dialect)})}
    up_to_date = list(mark_read)
    for ticket_id, entry in by_id.items():
        state = states.get(ticket_id)
        if state is None:
            if entry.kind is ActivityKind.CREATED:
                up_to_date.append(ticket_id)
        elif not row_values.is_unread_at(state[0], state[1],
                                         entry.last_activity_at or uow.now):
            up_to_date.append(ticket_id)
    if up_to_date:
        read_state.set_many(uow.session, sorted(set(up_to_date)), actor_id, uow.now)


def _notify(uow: UnitOfWork, entries: Sequence[Entry], entry_of: dict[int, int]) -> None:
    """Followers who want record updates and may see the ticket (its owner after the
    operation)."""
    session, dialect = uow.session, uow.database.dialect
    owner_of = {e.ticket_id: e.owner_id for e in entries}
    # Ids first (Core, usually no row at all); the users, followers and owners, in one read.
    follows = session.connection().execute(
        _followers(dialect), {"ids": ids_parameter(list(entry_of), dialect)}).all()
    if not follows:
        return
    users = _users(session, {user_id for _, user_id in follows}
                   | {o for o in owner_of.values() if o is not None})
    rows = [{"user_id": user_id, "ticket_id": ticket_id, "activity_id": entry_of[ticket_id],
             "created_at": uow.now}
            for ticket_id, user_id in follows
            if user_id != uow.actor_id
            and can_see_owner(users[user_id], users.get(owner_of[ticket_id]))]
    if rows:
        session.execute(insert(Notification), rows)
