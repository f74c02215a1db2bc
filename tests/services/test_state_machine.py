"""Random sequences of help desk operations by random users keep the data whole.

Each Hypothesis example gets a fresh database. Every rule expects either success or one of the
typed refusals (a ``DatabaseError`` or any other exception is a bug); after every step the
invariants are checked: no message lost, changed or duplicated (only the permanent erasures may
remove messages, and only messages that were in the spam or the trash), no orphan row,
tombstones point at tickets that are not tombstones, closed_at agrees with the status.

Rules pick tickets in the state their operation needs (a precondition keeps a rule off while
none exists) and mostly users with the right it needs, so that each operation mostly
succeeds; the test fails if one never did. The sequences are derandomized: the same on every
run (and on both back-ends), so that this check cannot flake.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import AbstractContextManager
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import InboxKind, Priority, TicketState
from helpdesk_desktop.domain.errors import Conflict, InvalidInput, PermissionDenied
from helpdesk_desktop.domain.models import Conversation, Inbox, Message, Ticket
from helpdesk_desktop.services.dto import TicketChanges
from helpdesk_desktop.storage.database import Database
from tests.conftest import DatabaseFactory
from tests.factories import USERS, FakeClock, Workspace, make_ticket, seed_workspace
from tests.services.test_invariants import all_problems

REFUSALS = (InvalidInput, PermissionDenied, Conflict)  # NotFound is an InvalidInput
# Every user takes part; those who hold the right an operation needs come up more often, so
# that each operation mostly succeeds while its refusals are still tried.
ANY_USER = st.sampled_from(["admin", "lead", "admin", "lead", *sorted(USERS)])
DELETERS = st.sampled_from(["admin", "lead"] * 4 + sorted(USERS))  # can_delete_tickets
SEATED = st.sampled_from(["admin", "lead", "agent", "seller"] * 2 + sorted(USERS))
MOVERS = st.sampled_from(["admin"] * 6 + ["lead", "agent"])  # account access: admin only
RETENTION = dt.timedelta(days=90)
OPERATIONS = ("update", "bulk update", "follow", "mark unread", "split", "merge", "unmerge",
              "spam", "not spam", "delete", "restore", "delete permanently", "move", "move many",
              "purge", "undo")


class HelpDeskMachine(RuleBasedStateMachine):
    """The help desk under random use. Subclassed per test with its database factory."""

    factory: DatabaseFactory
    outcomes: Counter[str]  # "<rule>: done" / "<rule>: refused", over the whole run

    def __init__(self) -> None:
        super().__init__()
        self._context: AbstractContextManager[Database] = self.factory()
        self.db = self._context.__enter__()
        self.clock = FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
        self.ws: Workspace = seed_workspace(self.db, self.clock)
        self.ticket_ids: set[int] = set()
        made = [make_ticket(self.ws, f"Ticket {index}",
                            owner=(None, "agent", "seller", None, "agent")[index],
                            conversations=1 + index % 2, attachment=index == 0)
                for index in range(5)]
        self.ticket_ids.update(made)
        # One ticket starts in the trash and one in the spam, so that restore, not spam and
        # delete permanently have something to work on from the first step.
        admin = self.desk("admin")
        admin.delete([made[3]], confirm_count=1)
        admin.mark_spam(made[4])
        self.messages = self._fingerprints()
        self._note_ticket_states()
        self.days_passed = 0
        self.purged_at_day: int | None = None  # days_passed at the last purge

    def teardown(self) -> None:
        self._context.__exit__(None, None, None)

    # -- helpers ----------------------------------------------------------------------------

    def desk(self, user: str) -> Desk:
        desk = self.ws.desk(user)
        # Thousands of random steps: the backup before each permanent deletion would double
        # the run; it has its own test (tests/test_safety.py).
        desk.safety_backups = False
        return desk

    def _fingerprints(self) -> dict[int, tuple[Any, ...]]:
        with self.db.session() as session:
            return {m.id: (m.kind, m.author_name, m.sent_at, m.body_text, m.subject)
                    for m in session.scalars(select(Message))}

    def _note_ticket_states(self) -> None:
        """Remember each ticket's state, so that rules can pick tickets an operation fits."""
        with self.db.session() as session:
            rows = session.execute(select(Ticket.id, Ticket.state, Ticket.deleted_at)).all()
            spam_conversations = set(session.scalars(
                select(Conversation.ticket_id).where(Conversation.spam_at.is_not(None),
                                                     Conversation.ticket_id.is_not(None))))
        self.states = {ticket_id: state for ticket_id, state, _ in rows}
        restorable_since = self.clock.now - RETENTION + dt.timedelta(minutes=1)
        self.restorable = {ticket_id for ticket_id, state, deleted_at in rows
                           if state is TicketState.DELETED and deleted_at >= restorable_since}
        self.with_spam = {ticket_id for ticket_id, state, _ in rows
                          if state is TicketState.SPAM
                          or (state is TicketState.LIVE and ticket_id in spam_conversations)}

    def in_state(self, *states: TicketState) -> list[int]:
        return sorted(t for t, state in self.states.items() if state in states)

    def _trashed_messages(self) -> dict[int, dt.datetime]:
        """Messages now in the spam or the trash -> since when."""
        with self.db.session() as session:
            rows = session.execute(
                select(Message.id, Conversation.spam_at, Ticket.state, Ticket.spam_at,
                       Ticket.deleted_at)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .outerjoin(Ticket, Ticket.id == Conversation.ticket_id))
            trashed = {}
            for message_id, conversation_spam, state, spam_at, deleted_at in rows:
                since = conversation_spam or (spam_at if state is TicketState.SPAM else None) \
                    or (deleted_at if state is TicketState.DELETED else None)
                if since is not None:
                    trashed[message_id] = since
            return trashed

    def _ticket_messages(self, ticket_id: int) -> list[int]:
        with self.db.session() as session:
            return list(session.scalars(
                select(Message.id).join(Conversation)
                .where(Conversation.ticket_id == ticket_id, Conversation.spam_at.is_(None))
                .order_by(Message.id)))

    def _conversations(self, ticket_id: int | None = None) -> list[int]:
        with self.db.session() as session:
            query = select(Conversation.id).order_by(Conversation.id)
            if ticket_id is not None:
                query = query.where(Conversation.ticket_id == ticket_id)
            return list(session.scalars(query))

    def _attempt(self, name: str, action: Any, *, comment_added: bool = False,
                 erasing: bool = False) -> Any:
        """Run ``action``; refusals are fine. Then check what happened to the messages."""
        trashed_before = self._trashed_messages()
        try:
            result = action()
        except REFUSALS as refusal:
            outcome = f"{name}: refused"
            assert str(refusal), f"{name} refused without a sentence"
            result = None
        else:
            outcome = f"{name}: done"
        event(outcome)
        self.outcomes[outcome] += 1
        now = self._fingerprints()
        removed = set(self.messages) - set(now)
        added = set(now) - set(self.messages)
        if erasing:
            assert removed <= set(trashed_before), f"{name} erased messages that were live"
        else:
            assert not removed, f"{name} lost messages {sorted(removed)}"
        allowed_new = 1 if comment_added and result is not None else 0
        assert len(added) == allowed_new, f"{name} added messages {sorted(added)}"
        for message_id, fingerprint in self.messages.items():
            if message_id in now:
                assert now[message_id] == fingerprint, f"{name} changed message #{message_id}"
        self.messages = now
        self._note_ticket_states()
        return result

    def _pick(self, data: st.DataObject, *states: TicketState,
              among: set[int] | None = None) -> int:
        """A known ticket id (erased ones included), mostly one in ``states`` (or ``among``)
        if any is."""
        likely = sorted(among) if among is not None else self.in_state(*states)
        if likely and data.draw(st.integers(0, 4)):
            return data.draw(st.sampled_from(likely))
        return data.draw(st.sampled_from(sorted(self.ticket_ids)))

    def has_live(self) -> bool:
        return bool(self.in_state(TicketState.LIVE))

    # -- rules ------------------------------------------------------------------------------

    @precondition(has_live)
    @rule(data=st.data(), user=ANY_USER,
          priority=st.sampled_from(list(Priority)),
          status=st.sampled_from(["Support Pipeline/New", "Support Pipeline/Closed",
                                  "Escalations/Resolved"]))
    def update(self, data: st.DataObject, user: str, priority: Priority, status: str) -> None:
        ticket_id = self._pick(data, TicketState.LIVE)
        status_id = self.ws.statuses[status]
        self._attempt("update", lambda: self.desk(user).update(
            ticket_id, TicketChanges(priority=priority, status=status_id)))

    @precondition(has_live)
    @rule(data=st.data(), user=ANY_USER, priority=st.sampled_from(list(Priority)),
          owner=st.sampled_from([None, "agent", "seller", "outsider"]))
    def bulk_update(self, data: st.DataObject, user: str, priority: Priority,
                    owner: str | None) -> None:
        ids = [self._pick(data, TicketState.LIVE) for _ in range(data.draw(st.integers(1, 4)))]
        changes = TicketChanges(priority=priority,
                                owner=self.ws.users[owner] if owner else None)
        self._attempt("bulk update", lambda: self.desk(user).update_many(ids, changes))

    @rule(user=st.sampled_from(["admin", "admin", "lead", "agent"]))
    def undo(self, user: str) -> None:
        # The user's latest reversible operation, whatever happened since (refused if unsafe).
        result = self._attempt("undo", lambda: self.desk(user).undo_last())
        if result is not None:
            self.ticket_ids |= set(result.created_ticket_ids)

    @precondition(lambda self: bool(self.in_state(TicketState.MERGED)))
    @rule(data=st.data(), user=st.sampled_from(["admin"] * 4 + ["lead"]))
    def unmerge(self, data: st.DataObject, user: str) -> None:
        ticket_id = self._pick(data, TicketState.MERGED)
        self._attempt("unmerge", lambda: self.desk(user).unmerge(ticket_id))

    @precondition(has_live)
    @rule(data=st.data(), user=ANY_USER)
    def follow(self, data: st.DataObject, user: str) -> None:
        ticket_id = self._pick(data, TicketState.LIVE)
        self._attempt("follow", lambda: self.desk(user).follow([ticket_id]))

    @precondition(has_live)
    @rule(data=st.data(), user=ANY_USER)
    def mark_unread(self, data: st.DataObject, user: str) -> None:
        ticket_id = self._pick(data, TicketState.LIVE)
        self._attempt("mark unread", lambda: self.desk(user).mark_unread([ticket_id]))

    @precondition(has_live)
    @rule(data=st.data(), user=SEATED)
    def split(self, data: st.DataObject, user: str) -> None:
        ticket_id = self._pick(data, TicketState.LIVE)
        messages = self._ticket_messages(ticket_id)
        if len(messages) > 1 and data.draw(st.integers(0, 4)):  # mostly a valid selection
            chosen = data.draw(st.lists(st.sampled_from(messages), unique=True, min_size=1,
                                        max_size=len(messages) - 1))
        else:
            chosen = data.draw(st.lists(st.sampled_from(messages), unique=True)
                               if messages else st.just([]))
        result = self._attempt("split", lambda: self.desk(user).split(ticket_id, chosen))
        if result is not None:
            self.ticket_ids |= set(result.created_ticket_ids)

    @precondition(lambda self: len(self.in_state(TicketState.LIVE)) > 1)
    @rule(data=st.data(), user=ANY_USER)
    def merge(self, data: st.DataObject, user: str) -> None:
        primary = self._pick(data, TicketState.LIVE)
        # Mostly another ticket; now and then the same one (refused).
        secondary = self._pick(data, among=set(self.in_state(TicketState.LIVE)) - {primary})
        self._attempt("merge", lambda: self.desk(user).merge(primary, secondary))

    @precondition(has_live)
    @rule(data=st.data(), user=DELETERS, some=st.booleans())
    def spam(self, data: st.DataObject, user: str, some: bool) -> None:
        ticket_id = self._pick(data, TicketState.LIVE)
        conversations = self._conversations(ticket_id)
        selection = (data.draw(st.lists(st.sampled_from(conversations), unique=True))
                     if some and conversations else None)
        self._attempt("spam", lambda: self.desk(user).mark_spam(ticket_id, selection))

    @precondition(lambda self: bool(self.with_spam))
    @rule(data=st.data(), user=DELETERS)
    def not_spam(self, data: st.DataObject, user: str) -> None:
        ticket_id = self._pick(data, among=self.with_spam)
        self._attempt("not spam", lambda: self.desk(user).not_spam(ticket_id))

    @precondition(has_live)
    @rule(data=st.data(), user=DELETERS, miscount=st.sampled_from([0, 0, 0, 1]))
    def delete(self, data: st.DataObject, user: str, miscount: int) -> None:
        ids = [self._pick(data, TicketState.LIVE) for _ in range(data.draw(st.integers(1, 3)))]
        self._attempt("delete", lambda: self.desk(user).delete(
            ids, confirm_count=len(set(ids)) + miscount))

    @precondition(lambda self: bool(self.in_state(TicketState.DELETED)))
    @rule(data=st.data(), user=DELETERS)
    def restore(self, data: st.DataObject, user: str) -> None:
        # Mostly one deleted within the retention period; older ones are refused.
        ticket_id = self._pick(data, TicketState.DELETED, among=self.restorable or None)
        self._attempt("restore", lambda: self.desk(user).restore([ticket_id]))

    @precondition(lambda self: bool(self.in_state(TicketState.DELETED, TicketState.SPAM)))
    @rule(data=st.data(), user=DELETERS)
    def delete_permanently(self, data: st.DataObject, user: str) -> None:
        ticket_id = self._pick(data, TicketState.DELETED, TicketState.SPAM)
        self._attempt("delete permanently",
                      lambda: self.desk(user).delete_permanently([ticket_id]), erasing=True)

    @rule(data=st.data(), user=MOVERS,
          inbox=st.sampled_from(["Help Desk", "Shared inbox", "Sales inbox"]),
          status=st.sampled_from([None, "Support Pipeline/Closed", "Escalations/Triage"]),
          owner=st.sampled_from([None, "agent", "outsider", "keep"]),
          comment=st.sampled_from([None, "Moved by the robot."]))
    def move(self, data: st.DataObject, user: str, inbox: str, status: str | None,
             owner: str | None, comment: str | None) -> None:
        conversations = self._conversations()
        if not conversations:
            return
        conversation_id = data.draw(st.sampled_from(conversations))
        options: dict[str, Any] = {"comment": comment}
        if status is not None:
            options["status_id"] = self.ws.statuses[status]
            options["pipeline_id"] = self.ws.pipelines[status.split("/")[0]]
        if owner != "keep":
            options["owner_id"] = self.ws.users[owner] if owner else None
        result = self._attempt("move", lambda: self.desk(user).move_conversation(
            conversation_id, self.ws.inboxes[inbox], **options), comment_added=bool(comment))
        if result is not None:
            self.ticket_ids |= set(result.created_ticket_ids)

    @rule(data=st.data(), user=MOVERS,
          inbox=st.sampled_from(["Shared inbox", "Sales inbox", "Help Desk"]),
          status=st.sampled_from(["Support Pipeline/Closed", "Escalations/Triage"]))
    def move_many(self, data: st.DataObject, user: str, inbox: str, status: str) -> None:
        """The bulk bar's Move: several conversations in one transaction, refusals counted."""
        conversations = self._conversations()
        if not conversations:
            return
        chosen = data.draw(st.lists(st.sampled_from(conversations), min_size=1, max_size=3,
                                    unique=True))
        result = self._attempt("move many", lambda: self.desk(user).move_many(
            chosen, self.ws.inboxes[inbox], status_id=self.ws.statuses[status],
            pipeline_id=self.ws.pipelines[status.split("/")[0]]))
        if result is not None:
            self.ticket_ids |= set(result.created_ticket_ids)
            done = set(result.payload.done)
            assert done | {r.ticket_id for r in result.payload.refusals} == set(chosen)

    # Once after each passing of time, while the spam or the trash holds something: purging
    # on every other step would empty them before restore and the rest could use them.
    @precondition(lambda self: self.purged_at_day != self.days_passed
                  and bool(self.in_state(TicketState.DELETED, TicketState.SPAM)
                           or self.with_spam))
    @rule(user=DELETERS)
    def purge(self, user: str) -> None:
        self.purged_at_day = self.days_passed
        cutoff = self.clock.now - RETENTION
        old_enough = {m for m, since in self._trashed_messages().items() if since < cutoff}
        before = set(self.messages)
        self._attempt("purge", lambda: self.desk(user).purge(), erasing=True)
        removed = before - set(self.messages)
        assert removed <= old_enough, f"purge erased recent messages {sorted(removed - old_enough)}"

    @rule(days=st.sampled_from([1, 30, 91]))
    def time_passes(self, days: int) -> None:
        self.clock.advance(days=days)
        self.days_passed += days

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def data_is_whole(self) -> None:
        assert all_problems(self.db) == []
        with self.db.session() as session:
            loose = session.execute(
                select(Conversation.id, Inbox.kind).join(Inbox)
                .where(Conversation.ticket_id.is_(None))).all()
            assert all(kind is InboxKind.CONVERSATIONS for _, kind in loose), loose


@pytest.mark.slow
def test_random_operations_keep_the_data_whole(database_factory: DatabaseFactory) -> None:
    outcomes: Counter[str] = Counter()
    machine = type("Machine", (HelpDeskMachine,), {"factory": staticmethod(database_factory),
                                                   "outcomes": outcomes})
    run_state_machine_as_test(machine, settings=settings(
        max_examples=40, stateful_step_count=25, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    ))
    # A rule that never gets past its refusals checks nothing about the operation itself.
    never_done = [name for name in OPERATIONS if not outcomes[f"{name}: done"]]
    assert not never_done, f"never succeeded: {never_done} ({dict(outcomes)})"
