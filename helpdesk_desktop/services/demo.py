"""A realistic demo workspace: agents, customers and thousands of ticket threads.

:func:`generate_demo` is deterministic for a given seed: the same seed on an empty database
gives the same tickets, messages and times (times count back from a fixed moment unless a
clock is passed). On an empty database it first creates the workspace (teams, the agents of
:data:`demo_content.AGENTS`, inboxes, pipelines). On a database that already holds a
workspace it adds more tickets to it, reusing its agents, inboxes and pipelines.

The work is shared by three modules: :mod:`demo_workspace` (the workspace and its customers),
:mod:`demo_threads` (planning each ticket and its thread from the seeded generator) and
:mod:`demo_writer` (bulk inserts, one transaction per batch of tickets, so 2,000 tickets
take a few seconds and 100,000 stay reasonable; the SQLite full-text index follows through
its triggers).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import delete, func, select

from helpdesk_desktop.domain.clock import Clock
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _, number
from helpdesk_desktop.domain.models import AppState, Ticket
from helpdesk_desktop.services import demo_process
from helpdesk_desktop.services.demo_bulk import FastInserts, deferred_indexes
from helpdesk_desktop.services.demo_bulk_pg import CopyInserts, deferred_constraints
from helpdesk_desktop.services.demo_records import RecordWriter
from helpdesk_desktop.services.demo_threads import ThreadPlanner
from helpdesk_desktop.services.demo_workspace import prepare_workspace
from helpdesk_desktop.services.demo_writer import DemoWriter
from helpdesk_desktop.storage.database import Database

#: "Now" for the demo when no clock is given, so that a seed always gives the same data.
BASE_NOW = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)
SPAN_DAYS = 120
BATCH = 500
SPAM_SHARE = 0.015
FOLLOWED_SHARE = 0.06
MAX_TICKETS = 1_000_000  # the plan of every ticket's age is drawn up front, in memory
Progress = Callable[[int, int], None]
DEMO_BUILD = "demo_build"


def generate_demo(
    database: Database,
    *,
    tickets: int = 2000,
    seed: int = 0,
    clock: Clock | None = None,
    progress: Progress | None = None,
    bulk: bool = False,
    scratch: bool = False,
) -> dict[str, Any]:
    """Fill ``database`` with ``tickets`` demo tickets (and the workspace, if it is empty).

    Returns a summary: what was created, with counts. ``progress(done, total)`` is called
    after each batch of tickets. With ``bulk`` on a database without tickets, indexes and
    the full-text index are built after the data (:mod:`demo_bulk`, :mod:`demo_bulk_pg`):
    much faster for large demos, but the database is unusable until the build ends. ``scratch`` says that nothing
    else uses the database (:mod:`demo_build`), so a SQLite build needs no rollback journal.
    """
    if tickets < 0:
        raise InvalidInput(_("The number of demo tickets cannot be negative."))
    if tickets > MAX_TICKETS:
        raise InvalidInput(_("The demo makes at most {maximum} tickets at a "
                             "time.").format(maximum=number(MAX_TICKETS)))
    rng = random.Random(seed)
    now = clock() if clock is not None else BASE_NOW
    with database.session(writes=True) as session:
        setup = prepare_workspace(session, rng)
        first_ticket_number = (session.scalar(select(func.max(Ticket.id))) or 0) + 1
        # Committed with the workspace: until the last batch clears it, this build is
        # recognisably unfinished (a kill, a full disk) and can be completed.
        state = session.get(AppState, DEMO_BUILD) or AppState(key=DEMO_BUILD, value={})
        state.value = {"tickets": tickets, "seed": seed, "first_ticket": first_ticket_number}
        session.add(state)
        session.commit()

    # Ticket creation times are drawn first and sorted, so that ids follow time.
    ages = sorted((_age_days(rng) for _ in range(tickets)), reverse=True)
    # Fixed shares (not per-ticket coin flips) so that even a small demo has some of each.
    spam = set(rng.sample(range(tickets), k=_share(tickets, SPAM_SHARE)))
    followed = set(rng.sample(range(tickets), k=_share(tickets, FOLLOWED_SHARE)))
    kinds = [("spam" if i in spam else "followed" if i in followed else "")
             for i in range(tickets)]
    planner = ThreadPlanner(setup, rng, now, seed, first_ticket_number)
    writer = DemoWriter(database, planner)
    deferred = bulk and first_ticket_number == 1
    fast: FastInserts | None = None
    if deferred and database.dialect == "sqlite":
        fast = FastInserts(database)
        deferring: AbstractContextManager[None] = deferred_indexes(database, scratch=scratch,
                                                                   writer=fast)
    elif deferred and database.dialect == "postgresql":
        fast = CopyInserts(database)
        deferring = deferred_constraints(database, fast)
    else:
        deferring = nullcontext()
    if fast is not None:  # the same rows, the driver's records made directly
        writer = RecordWriter(database, planner, fast)
    batches = [(ages[start:start + BATCH], kinds[start:start + BATCH])
               for start in range(0, tickets, BATCH)]
    inbox_conversations = max(4, tickets // 25) if tickets else 0
    with deferring:
        if (fast is not None and fast.threaded and demo_process.available()
                and demo_process.alone()):
            # Planned in a second process, stored here: both cores (demo_process).
            demo_process.generate(writer, fast, batches, inbox_conversations,
                                  None if progress is None else
                                  lambda done: progress(done, tickets))
        else:
            done = 0
            for batch_ages, batch_kinds in batches:
                writer.write_tickets(batch_ages, batch_kinds)
                done += len(batch_ages)
                if progress is not None:
                    progress(done, tickets)
            writer.write_inbox_conversations(inbox_conversations)
    with database.session(writes=True) as session:
        session.execute(delete(AppState).where(AppState.key == DEMO_BUILD))
        session.commit()
    if progress is not None and tickets == 0:
        progress(0, 0)
    summary: dict[str, Any] = {"created_workspace": setup.created, **writer.counts}
    summary["users"] = len(setup.agents)
    summary["contacts"] = sum(len(people) for people in setup.contacts.values())
    return summary


def interrupted_build(database: Database) -> dict[str, int] | None:
    """What an unfinished demo build asked for ({"tickets", "seed", "done"}), or ``None``."""
    with database.session() as session:
        state = session.get(AppState, DEMO_BUILD)
        if state is None:
            return None
        first = int(state.value.get("first_ticket", 1))
        done = session.scalar(select(func.count()).select_from(Ticket)
                              .where(Ticket.id >= first)) or 0
        return {"tickets": int(state.value.get("tickets", 0)),
                "seed": int(state.value.get("seed", 0)), "done": int(done)}


def finish_interrupted_build(database: Database, progress: Progress | None = None
                             ) -> dict[str, Any] | None:
    """Complete an interrupted demo build (the tickets it still lacked, and its conversations
    inboxes); ``None`` when there was none."""
    build = interrupted_build(database)
    if build is None:
        return None
    missing = max(0, build["tickets"] - build["done"])
    summary = generate_demo(database, tickets=missing, seed=build["seed"] + build["done"],
                            progress=progress)
    summary["resumed_after"] = build["done"]
    return summary


def _share(total: int, share: float) -> int:
    return min(total, max(1, round(total * share))) if total >= 10 else 0


def _age_days(rng: random.Random) -> float:
    # More recent tickets than old ones, like a real help desk that is growing.
    growth: float = rng.random() ** 0.7
    return SPAN_DAYS * (1 - growth)

