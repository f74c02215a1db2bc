"""How fast mail is imported: prints messages per second for an mbox of new threads and
replies, imported into a fresh database through ``Desk.import_mail`` (the path IMAP shares).

    python -m tests.benchmarks.bench_import [--messages N] [--db URL]

Without ``--db`` a temporary SQLite file is used. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import mailbox
import tempfile
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.application.startup import create_workspace, open_database


def _message(number: int) -> EmailMessage:
    """Every third message answers the one before it; the others open threads."""
    message = EmailMessage()
    message["From"] = f"Customer {number % 97} <customer{number % 97}@example.org>"
    message["To"] = "support@example.com"
    message["Message-ID"] = f"<bench{number}@example.org>"
    if number % 3 == 2:
        message["Subject"] = f"Re: Question {number - 1}"
        message["In-Reply-To"] = f"<bench{number - 1}@example.org>"
    else:
        message["Subject"] = f"Question {number}"
    message.set_content(f"Hello,\n\nthis is message {number}.\n" * 10)
    message.add_alternative(f"<p>Hello,</p><p>this is <b>message {number}</b>.</p>" * 10,
                            subtype="html")
    return message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--db", help="an EMPTY database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        box_path = Path(folder) / "bench.mbox"
        box = mailbox.mbox(box_path)
        for number in range(args.messages):
            box.add(_message(number))
        box.flush()
        box.close()
        database = open_database(args.db or str(Path(folder) / "bench.sqlite3"))
        admin_id = create_workspace(database, "Bench Admin", "admin@example.com")
        desk = Desk(database, admin_id)
        started = time.perf_counter()
        outcomes = desk.import_mail([box_path])
        elapsed = time.perf_counter() - started
        again = time.perf_counter()
        duplicates = desk.import_mail([box_path])
        elapsed_again = time.perf_counter() - again
        database.dispose()
    counts = Counter(o.outcome.value for o in outcomes)
    print(f"{database.dialect}: {len(outcomes):,} messages in {elapsed:.1f} s "
          f"({len(outcomes) / elapsed:,.0f} messages/s): {dict(counts)}")
    print(f"  the same mailbox again (all duplicates): {elapsed_again:.1f} s "
          f"({len(duplicates) / elapsed_again:,.0f} messages/s)")


if __name__ == "__main__":
    main()
