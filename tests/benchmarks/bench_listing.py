"""Ticket list speed on a large SQLite database: first page, deep page, search and count.

    python tests/benchmarks/bench_listing.py --tickets 100000 [--db PATH] [--repeat 5]

Builds the database with bulk inserts (FTS triggers included) in a temporary file unless
``--db`` names an existing one, then prints the median time of each operation through the
``Desk`` facade, as a user with access to everything and as a team-scoped agent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.enums import (
    AccessScope,
    Category,
    Channel,
    Direction,
    InboxKind,
    MessageKind,
    Priority,
    SortKey,
    TicketState,
    View,
)
from helpdesk_desktop.domain.models import (
    Contact,
    Conversation,
    Follower,
    Inbox,
    Message,
    ReadState,
    Team,
    Ticket,
    User,
    ticket_contacts,
)
from helpdesk_desktop.services.dto import PageCursor, TicketQuery, TicketRow
from helpdesk_desktop.services.workspace import DEFAULT_STATUSES, add_pipeline
from helpdesk_desktop.storage.database import Database, open_database

WORDS = ["printer", "invoice", "refund", "login", "password", "crash", "export", "report", "billing", "shipping", "delivery", "account", "error", "timeout", "upgrade", "license", "screen", "mobile", "sync", "backup", "café", "résumé", "network", "email", "calendar", "invoice", "payment", "order", "discount", "coupon"]
BATCH = 5000


def build(db: Database, tickets: int, seed: int = 7) -> None:
    """``tickets`` tickets, each with one conversation of two messages and a contact."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with db.session() as session:
        teams = [Team(name="Support"), Team(name="Sales")]
        session.add_all(teams)
        session.flush()
        users = [User(name=f"User {i:02d}", email=f"user{i}@example.com",
                      team_id=teams[i % 2].id, help_desk_access=True, service_seat=True,
                      can_delete_tickets=i == 0, super_admin=i == 0,
                      scope=AccessScope.ALL if i == 0 else AccessScope.TEAM)
                 for i in range(20)]
        session.add_all(users)
        inbox = Inbox(name="Help Desk", kind=InboxKind.HELP_DESK, channel=Channel.EMAIL)
        session.add(inbox)
        pipeline = add_pipeline(session, "Support Pipeline", DEFAULT_STATUSES)
        statuses = [(s.id, s.is_closed) for s in pipeline.statuses]
        contacts = [Contact(name=f"Contact {i:05d}", email=f"c{i}@example.org")
                    for i in range(max(100, tickets // 10))]
        session.add_all(contacts)
        session.flush()
        user_ids = [u.id for u in users]
        contact_ids = [c.id for c in contacts]
        session.commit()

        for first in range(1, tickets + 1, BATCH):
            ids = range(first, min(first + BATCH, tickets + 1))
            ticket_rows, links, conversations, messages, follows, reads = [], [], [], [], [], []
            for i in ids:
                created = start + dt.timedelta(minutes=i)
                last = created + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 30))
                status_id, closed = rng.choice(statuses)
                ticket_rows.append({
                    "id": i, "name": " ".join(rng.choices(WORDS, k=3)) + f" {i}", "description": "",
                    "pipeline_id": pipeline.id, "status_id": status_id,
                    "priority": rng.choice([None, *Priority]),
                    "category": rng.choice([None, *Category]),
                    "owner_id": rng.choice([None, None, *user_ids]), "inbox_id": inbox.id,
                    "source": Channel.EMAIL, "created_at": created, "updated_at": last,
                    "last_activity_at": last, "closed_at": last if closed else None,
                    "state": TicketState.LIVE if rng.random() > 0.01 else TicketState.DELETED,
                    "version": 1})
                contact = rng.choice(contact_ids)
                links.append({"ticket_id": i, "contact_id": contact})
                conversations.append({"id": i, "ticket_id": i, "origin_ticket_id": i,
                                          "inbox_id": inbox.id, "channel": Channel.EMAIL,
                                          "subject": "Re: request", "contact_id": contact,
                                          "created_at": created})
                for n, kind in enumerate((MessageKind.EMAIL, MessageKind.REPLY)):
                    messages.append({
                        "conversation_id": i, "kind": kind,
                        "direction": Direction.INCOMING if n == 0 else Direction.OUTGOING,
                        "author_name": "Someone", "to_addresses": "", "cc_addresses": "",
                        "sent_at": created + dt.timedelta(seconds=n),
                        "subject": "Re: request", "body_text": " ".join(rng.choices(WORDS, k=25))})
                if rng.random() < 0.05:
                    follows.append({"ticket_id": i, "user_id": user_ids[1], "since": created})
                if rng.random() < 0.5:
                    reads.append({"ticket_id": i, "user_id": user_ids[1], "read_at": last,
                                      "forced_unread": False})
            session.execute(insert(Ticket), ticket_rows)
            session.execute(insert(ticket_contacts), links)
            session.execute(insert(Conversation), conversations)
            session.execute(insert(Message), messages)
            if follows:
                session.execute(insert(Follower), follows)
            if reads:
                session.execute(insert(ReadState), reads)
            session.commit()
        session.connection().exec_driver_sql("ANALYZE")
        session.commit()


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def cursor_for(desk: Desk, sort: SortKey, row: TicketRow) -> PageCursor:
    """The cursor a page ending on ``row`` would have given."""
    positions = {s.id: s.position for p in desk.pipelines() for s in p.statuses}
    value: dict[SortKey, tuple[Any, ...]] = {
        SortKey.LAST_ACTIVITY: (row.last_activity_at,), SortKey.CREATED: (row.created_at,),
        SortKey.NAME: (row.name,), SortKey.PRIORITY: (row.priority,), SortKey.ID: (),
        SortKey.OWNER: (row.owner,), SortKey.CATEGORY: (row.category,),
        SortKey.CONTACT: (row.contact,), SortKey.STATUS: (positions[row.status_id], row.status),
    }
    return PageCursor(value[sort], row.id)


def run(db: Database, repeat: int) -> None:
    with db.session() as session:
        admin_id, agent_id = session.scalars(select(User.id).order_by(User.id).limit(2)).all()
        total = session.scalar(select(func.count()).select_from(Ticket))
    print(f"{total} tickets; median of {repeat} runs, milliseconds\n")
    print(f"{'user':6} {'view':15} {'sort':14} {'search':9} "
          f"{'first':>8} {'deep':>8} {'count':>8}")
    cases = [
        ("admin", View.ALL_OPEN, SortKey.LAST_ACTIVITY, True, ""),
        ("admin", View.ALL_OPEN, SortKey.NAME, False, ""),
        ("admin", View.ALL_OPEN, SortKey.PRIORITY, True, ""),
        ("admin", View.ALL_OPEN, SortKey.STATUS, False, ""),
        ("admin", View.ALL_OPEN, SortKey.OWNER, False, ""),
        ("admin", View.ALL_OPEN, SortKey.CATEGORY, False, ""),
        ("admin", View.ALL_OPEN, SortKey.CONTACT, False, ""),
        ("admin", View.ALL_OPEN, SortKey.ID, True, ""),
        ("admin", View.ALL, SortKey.CREATED, True, ""),
        ("admin", View.UNASSIGNED, SortKey.LAST_ACTIVITY, True, ""),
        ("admin", View.CLOSED, SortKey.LAST_ACTIVITY, True, ""),
        ("admin", View.RECENTLY_DELETED, SortKey.LAST_ACTIVITY, True, ""),
        ("agent", View.ALL_OPEN, SortKey.LAST_ACTIVITY, True, ""),
        ("agent", View.ASSIGNED_TO_ME, SortKey.LAST_ACTIVITY, True, ""),
        ("agent", View.UNREAD, SortKey.LAST_ACTIVITY, True, ""),
        ("agent", View.FOLLOWING, SortKey.LAST_ACTIVITY, True, ""),
        ("admin", View.ALL, SortKey.LAST_ACTIVITY, True, "refund"),
        ("admin", View.ALL, SortKey.LAST_ACTIVITY, True, "printer crash"),
        ("admin", View.ALL, SortKey.LAST_ACTIVITY, True, "cafe"),
        ("admin", View.ALL, SortKey.LAST_ACTIVITY, True, "12345"),
        ("admin", View.ALL, SortKey.LAST_ACTIVITY, True, "password login crash"),
        ("agent", View.ALL_OPEN, SortKey.LAST_ACTIVITY, True, "refund"),
    ]
    for who, view, sort, descending, text in cases:
        desk = Desk(db, admin_id if who == "admin" else agent_id)
        query = TicketQuery(view=view, sort=sort, descending=descending, search=text)
        first_page = desk.list_tickets(query)
        first = median_ms(lambda d=desk, q=query: d.list_tickets(q), repeat)
        deep = float("nan")
        if first_page.next_cursor is not None:
            ids = desk.matching_ids(query)
            middle = desk.rows([ids[len(ids) // 2]])[ids[len(ids) // 2]]
            cursor = cursor_for(desk, sort, middle)
            deep = median_ms(lambda d=desk, q=query, c=cursor: d.list_tickets(q, after=c),
                             repeat)
        count = median_ms(lambda d=desk, q=query: d.count_tickets(q), repeat)
        print(f"{who:6} {view.value:15} {sort.value:14} {text[:9]:9} "
              f"{first:8.1f} {deep:8.1f} {count:8.1f}")
    desk = Desk(db, agent_id)
    print(f"\nview_counts (agent, all views): "
          f"{median_ms(desk.view_counts, repeat):.1f} ms")
    print(f"matching_ids ALL_OPEN (admin): "
          f"{median_ms(lambda: Desk(db, admin_id).matching_ids(TicketQuery()), repeat):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="reuse (or create) this SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.sqlite3"
        existed = path.exists()
        db = open_database(str(path))
        try:
            if not existed:
                begin = time.perf_counter()
                build(db, args.tickets)
                print(f"built {args.tickets} tickets in {time.perf_counter() - begin:.1f} s")
            run(db, args.repeat)
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
