"""The command line, driven through ``main([...], database=db)`` on both back-ends, plus one
real ``python -m helpdesk_desktop`` run."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpdesk_desktop import __version__
from helpdesk_desktop.cli import main as cli_main_module
from helpdesk_desktop.cli.main import main
from helpdesk_desktop.domain.enums import Category, MessageKind, Priority
from helpdesk_desktop.domain.errors import Conflict
from helpdesk_desktop.domain.models import User
from helpdesk_desktop.services import ticket_edits
from helpdesk_desktop.services import tickets as ticket_service
from helpdesk_desktop.services.demo import generate_demo
from helpdesk_desktop.services.intake import receive_email
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database
from tests.factories import Workspace, make_ticket

ROW_KEYS = {"id", "name", "status", "priority", "category", "owner", "pipeline", "merged_ids",
            "followers", "unread"}


class Run:
    """The outcome of one command."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


def cli(database: Database | None, *argv: str, **kwargs: Any) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), database=database, stdout=out, stderr=err, **kwargs)
    return Run(code, out.getvalue(), err.getvalue())


def ok(database: Database | None, *argv: str) -> Run:
    run = cli(database, *argv)
    assert run.code == 0, run.err
    assert run.err == ""
    return run


def refused(database: Database | None, code: int, *argv: str) -> str:
    """Runs a command that must fail; returns its single error line."""
    run = cli(database, *argv)
    assert run.code == code, (run.code, run.out, run.err)
    lines = run.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.err
    assert "Traceback" not in run.err
    return lines[0]


def show(database: Database, ticket_id: int, *options: str) -> dict[str, Any]:
    data = ok(database, *options, "tickets", "show", str(ticket_id), "--json").json()
    assert isinstance(data, dict)
    return data


# -- reading -------------------------------------------------------------------------------


def test_list_json_shape_and_views(db: Database) -> None:
    generate_demo(db, tickets=30, seed=1)
    rows = ok(db, "tickets", "list", "--json", "--limit", "1000").json()
    assert rows and all(ROW_KEYS <= set(row) for row in rows)
    assert all("conversations" not in row for row in rows)
    assert all(not row["status_closed"] and row["merged_ids"] == [] for row in rows)
    every = ok(db, "tickets", "list", "--view", "all", "--json", "--limit", "1000").json()
    closed = ok(db, "tickets", "list", "--view", "closed", "--json", "--limit", "1000").json()
    assert len(every) == len(rows) + len(closed) and closed
    spam = ok(db, "tickets", "list", "--view", "spam", "--json").json()
    assert spam and all(row["name"] not in {r["name"] for r in rows} for row in spam)
    limited = ok(db, "tickets", "list", "--view", "all", "--limit", "3").out.splitlines()
    assert len(limited) == 4 and "more not shown" in limited[-1]


def test_list_filters_by_status_name_and_search(ws: Workspace) -> None:
    printer = make_ticket(ws, "Printer on fire", status="Waiting on us")
    make_ticket(ws, "Invoice question", status="New",
                messages=((MessageKind.EMAIL, "Why was I charged twice?"),))
    rows = ok(ws.db, "tickets", "list", "--status", "waiting on us", "--json").json()
    assert [row["id"] for row in rows] == [printer]
    found = ok(ws.db, "tickets", "list", "--search", "printer", "--json").json()
    assert [row["id"] for row in found] == [printer]
    refused(ws.db, 2, "tickets", "list", "--status", "No such status")
    refused(ws.db, 2, "tickets", "list", "--view", "nonsense")
    refused(ws.db, 2, "tickets", "list", "--limit", "0")


def test_list_sorts_and_filters_as_the_window_does(ws: Workspace) -> None:
    first = make_ticket(ws, "Alpha", owner="agent", priority=Priority.HIGH,
                        category=Category.BILLING_ISSUE)
    second = make_ticket(ws, "Charlie", priority=Priority.LOW)
    third = make_ticket(ws, "Bravo", owner="agent", priority=Priority.HIGH)
    names = [r["name"] for r in ok(ws.db, "tickets", "list", "--sort", "name", "--json").json()]
    assert names == ["Alpha", "Bravo", "Charlie"]
    backwards = ok(ws.db, "tickets", "list", "--sort", "name:desc", "--json").json()
    assert [r["name"] for r in backwards] == ["Charlie", "Bravo", "Alpha"]
    high = ok(ws.db, "tickets", "list", "--priority", "high", "--sort", "id", "--json").json()
    assert [r["id"] for r in high] == [first, third]
    owned = ok(ws.db, "tickets", "list", "--owner", _email(ws, "agent"), "--category",
               "billing-issue", "--json").json()
    assert [r["id"] for r in owned] == [first]
    unassigned = ok(ws.db, "tickets", "list", "--owner", "none", "--json").json()
    assert [r["id"] for r in unassigned] == [second]
    piped = ok(ws.db, "tickets", "list", "--pipeline", "Support Pipeline", "--inbox",
               "Help Desk", "--sort", "id:desc", "--json").json()
    assert [r["id"] for r in piped] == [third, second, first]
    assert set(piped[0]) == set(high[0])  # the JSON keeps its shape
    refused(ws.db, 2, "tickets", "list", "--sort", "colour")
    refused(ws.db, 2, "tickets", "list", "--sort", "name:sideways")
    refused(ws.db, 2, "tickets", "list", "--priority", "none")
    refused(ws.db, 2, "tickets", "list", "--owner", "nobody@example.com")
    refused(ws.db, 2, "tickets", "list", "--pipeline", "No such pipeline")


def _email(ws: Workspace, user: str) -> str:
    with ws.db.session() as session:
        found = session.get(User, ws.users[user])
        assert found is not None
        return found.email


def test_show_json_has_conversations_and_messages(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, owner="agent", conversations=2, attachment=True)
    data = show(ws.db, ticket_id)
    assert ROW_KEYS | {"conversations"} <= set(data)
    assert data["id"] == ticket_id and data["owner"] == "agent@example.com"
    assert data["status"] == "New" and data["pipeline"] == "Support Pipeline"
    assert data["priority"] == "medium" and data["category"] == "product_issue"
    assert data["unread"] is True and data["followers"] == [] and data["merged_ids"] == []
    assert len(data["conversations"]) == 2
    for conversation in data["conversations"]:
        assert {"id", "inbox", "origin_ticket_id", "messages"} <= set(conversation)
        assert conversation["inbox"] == "Help Desk"
        assert conversation["origin_ticket_id"] == ticket_id
        kinds = [m["kind"] for m in conversation["messages"]]
        assert kinds == [MessageKind.EMAIL.value, MessageKind.REPLY.value]
        for message in conversation["messages"]:
            assert {"id", "kind", "direction", "author", "sent_at", "subject", "text"} <= \
                set(message)
            assert dt.datetime.fromisoformat(message["sent_at"]).tzinfo is not None
        assert conversation["messages"][0]["text"] == "Hello, my printer is on fire."
        assert conversation["messages"][0]["attachments"][0]["filename"] == "photo.jpg"
    text = ok(ws.db, "tickets", "show", str(ticket_id)).out
    assert f"#{ticket_id} Printer on fire" in text and "Please unplug it." in text


def test_unknown_ticket_and_unknown_user_exit_2(ws: Workspace) -> None:
    assert "does not exist" in refused(ws.db, 2, "tickets", "show", "999999")
    refused(ws.db, 2, "tickets", "show", "abc")
    assert "nobody@example.com" in refused(ws.db, 2, "--as", "nobody@example.com", "tickets",
                                           "list")
    assert "--as needs an e-mail address" in refused(ws.db, 2, "--as", " ", "tickets", "list")


@pytest.mark.parametrize("number", ["99999999999999999999999", "2147483648", "²", "-5", "1.5"])
def test_a_number_no_id_can_have_is_refused_as_usage(ws: Workspace, number: str) -> None:
    """Digits Python reads but the database cannot hold (or that are no number at all) are
    refused while the arguments are read, never as a failure deep down."""
    assert "is not a ticket id" in refused(ws.db, 2, "tickets", "show", number)
    assert "is not a conversation id" in refused(ws.db, 2, "conversations", "move", number,
                                                 "--to", "Help Desk")
    assert "is not a positive number" in refused(ws.db, 2, "tickets", "list", "--limit", number)
    assert "is not a message id" in refused(ws.db, 2, "tickets", "split", "1", "--messages",
                                            number)
    assert "No status" in refused(ws.db, 2, "tickets", "list", "--status", number)


def test_scope_hides_tickets_from_sales(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, owner="agent")
    refused(ws.db, 2, "--as", "sales@example.com", "tickets", "show", str(ticket_id))
    rows = ok(ws.db, "--as", "sales@example.com", "tickets", "list", "--json").json()
    assert ticket_id not in [row["id"] for row in rows]


# -- properties ----------------------------------------------------------------------------


def test_update_properties_by_name(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    ok(ws.db, "tickets", "update", str(ticket_id), "--owner", "agent@example.com",
       "--priority", "high", "--category", "billing_issue", "--status", "Waiting on us",
       "--name", "Oven on fire")
    data = show(ws.db, ticket_id)
    assert (data["owner"], data["priority"], data["category"], data["status"], data["name"]) == \
        ("agent@example.com", "high", "billing_issue", "Waiting on us", "Oven on fire")
    ok(ws.db, "tickets", "update", str(ticket_id), "--owner", "none", "--priority", "none")
    data = show(ws.db, ticket_id)
    assert data["owner"] is None and data["priority"] is None
    # A status of another pipeline moves the ticket there.
    ok(ws.db, "tickets", "update", str(ticket_id), "--status", "Triage")
    data = show(ws.db, ticket_id)
    assert (data["pipeline"], data["status"]) == ("Escalations", "Triage")


def test_update_refusals(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    refused(ws.db, 2, "tickets", "update", str(ticket_id))
    refused(ws.db, 2, "tickets", "update", str(ticket_id), "--status", "Nope")
    refused(ws.db, 2, "tickets", "update", str(ticket_id), "--owner", "ghost@example.com")
    refused(ws.db, 2, "tickets", "update", str(ticket_id), "--priority", "extreme")
    refused(ws.db, 2, "tickets", "update", "999999", "--name", "x")
    assert show(ws.db, ticket_id)["name"] == "Printer on fire"


def test_update_many_tickets_reports_each_refusal(ws: Workspace) -> None:
    first, second = make_ticket(ws), make_ticket(ws)
    hidden = make_ticket(ws, owner="seller")
    run = ok(ws.db, "--as", "agent@example.com", "tickets", "update", str(first), str(second),
             str(hidden), "--status", "Closed", "--priority", "urgent")
    assert run.out.splitlines() == [
        f"Updated 2 tickets. 1 refused: Ticket #{hidden} does not exist or you cannot see it.",
        f"  #{hidden}: Ticket #{hidden} does not exist or you cannot see it."]
    assert [show(ws.db, t)["status"] for t in (first, second)] == ["Closed", "Closed"]
    assert show(ws.db, hidden)["status"] == "New"


def test_undo_unmerge_and_delete_permanently(ws: Workspace) -> None:
    primary, secondary = make_ticket(ws, "Primary"), make_ticket(ws, "Secondary")
    ok(ws.db, "tickets", "update", str(primary), "--priority", "low")
    assert ok(ws.db, "tickets", "undo").out.startswith("Undone: Priority: Low → Medium")
    assert show(ws.db, primary)["priority"] == "medium"
    assert "Nothing to undo" in refused(ws.db, 2, "tickets", "undo")
    ok(ws.db, "tickets", "merge", str(primary), str(secondary))
    assert "Only a super admin" in refused(ws.db, 3, "--as", "lead@example.com", "tickets",
                                           "unmerge", str(secondary))
    ok(ws.db, "tickets", "unmerge", str(secondary))
    assert show(ws.db, secondary)["name"] == "Secondary"
    assert "is live. Only tickets in the trash or the spam can be deleted permanently." in refused(
        ws.db, 4, "tickets", "delete-permanently", str(secondary))
    ok(ws.db, "tickets", "delete", str(secondary), "--confirm-count", "1")
    ok(ws.db, "tickets", "delete-permanently", str(secondary))
    refused(ws.db, 2, "tickets", "show", str(secondary))


def test_a_conflict_exits_4(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = make_ticket(ws)

    def stale(*_args: Any, **_kwargs: Any) -> Any:
        raise Conflict("Someone else changed this ticket since you opened it; nothing was "
                       "saved.", current={"version": 9})

    monkeypatch.setattr(ticket_edits, "update_properties", stale)
    assert "Someone else changed" in refused(ws.db, 4, "tickets", "update", str(ticket_id),
                                             "--name", "New name")


def test_an_unexpected_failure_is_one_line_without_traceback(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(ticket_service, "follow", broken)
    assert "boom" in refused(ws.db, 1, "tickets", "follow", "1")


def test_follow_unfollow_and_read_state(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    ok(ws.db, "tickets", "follow", str(ticket_id))
    assert show(ws.db, ticket_id)["followers"] == ["admin@example.com"]
    following = ok(ws.db, "tickets", "list", "--view", "following", "--json").json()
    assert [row["id"] for row in following] == [ticket_id]
    ok(ws.db, "tickets", "unfollow", str(ticket_id))
    assert show(ws.db, ticket_id)["followers"] == []
    ok(ws.db, "tickets", "mark-read", str(ticket_id))
    assert show(ws.db, ticket_id)["unread"] is False
    # Read state is per user.
    assert show(ws.db, ticket_id, "--as", "lead@example.com")["unread"] is True
    ok(ws.db, "tickets", "mark-unread", str(ticket_id))
    assert show(ws.db, ticket_id)["unread"] is True


# -- split, merge, spam, trash ----------------------------------------------------------------


def test_split_moves_messages_to_a_new_ticket(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, messages=((MessageKind.EMAIL, "First problem."),
                                          (MessageKind.EMAIL, "Second, unrelated problem.")))
    messages = show(ws.db, ticket_id)["conversations"][0]["messages"]
    second = messages[1]["id"]
    run = ok(ws.db, "tickets", "split", str(ticket_id), "--messages", str(second),
             "--name", "Second problem")
    new_id = int(run.out.split("New ticket: #")[1].split()[0])
    data = show(ws.db, new_id)
    assert data["name"] == "Second problem"
    texts = [m["text"] for c in data["conversations"] for m in c["messages"]]
    assert texts == ["Second, unrelated problem."]
    refused(ws.db, 2, "tickets", "split", str(ticket_id), "--messages", "a,b")
    refused(ws.db, 2, "tickets", "split", str(ticket_id), "--messages", "999999")
    refused(ws.db, 3, "--as", "sales@example.com", "tickets", "split", str(ticket_id),
            "--messages", str(messages[0]["id"]))


def test_merge_keeps_the_secondary_conversations(ws: Workspace) -> None:
    primary = make_ticket(ws, "Primary")
    secondary = make_ticket(ws, "Secondary")
    ok(ws.db, "tickets", "merge", str(primary), str(secondary))
    data = show(ws.db, primary)
    assert data["merged_ids"] == [secondary]
    assert sorted(c["origin_ticket_id"] for c in data["conversations"]) == [primary, secondary]
    assert show(ws.db, secondary)["id"] == primary  # the old id opens the survivor
    refused(ws.db, 2, "tickets", "merge", str(primary), str(primary))


def test_spam_and_not_spam(ws: Workspace) -> None:
    ticket_id = make_ticket(ws, conversations=2)
    conversations = [c["id"] for c in show(ws.db, ticket_id)["conversations"]]
    ok(ws.db, "tickets", "spam", str(ticket_id), "--conversations", str(conversations[1]))
    assert [c["id"] for c in show(ws.db, ticket_id)["conversations"]] == conversations[:1]
    ok(ws.db, "tickets", "not-spam", str(ticket_id))
    assert len(show(ws.db, ticket_id)["conversations"]) == 2
    ok(ws.db, "tickets", "spam", str(ticket_id))
    spam = ok(ws.db, "tickets", "list", "--view", "spam", "--json").json()
    assert [row["id"] for row in spam] == [ticket_id]
    refused(ws.db, 3, "--as", "agent@example.com", "tickets", "not-spam", str(ticket_id))
    ok(ws.db, "tickets", "not-spam", str(ticket_id))
    assert ok(ws.db, "tickets", "list", "--view", "spam", "--json").json() == []


def test_delete_restore_and_purge(ws: Workspace) -> None:
    first, second = make_ticket(ws, "One"), make_ticket(ws, "Two")
    assert "delete permission" in refused(ws.db, 3, "--as", "sales@example.com", "tickets",
                                          "delete", str(first), "--confirm-count", "1")
    refused(ws.db, 2, "tickets", "delete", str(first), str(second), "--confirm-count", "1")
    refused(ws.db, 2, "tickets", "delete", str(first))  # --confirm-count is required
    ok(ws.db, "--as", "lead@example.com", "tickets", "delete", str(first), str(second),
       "--confirm-count", "2")
    deleted = ok(ws.db, "tickets", "list", "--view", "recently-deleted", "--json").json()
    assert sorted(row["id"] for row in deleted) == sorted([first, second])
    ok(ws.db, "tickets", "restore", str(first))
    live = ok(ws.db, "tickets", "list", "--json").json()
    assert [row["id"] for row in live] == [first]
    assert ok(ws.db, "purge").out.strip()
    refused(ws.db, 2, "tickets", "restore", "999999")


def test_delete_and_delete_permanently_of_many_count_refusals(ws: Workspace) -> None:
    first, second, merged = make_ticket(ws, "One"), make_ticket(ws, "Two"), make_ticket(ws, "M")
    ok(ws.db, "tickets", "merge", str(first), str(merged))
    # Like `tickets update` on many ids: what can go goes, each refusal on its own line, exit 0.
    run = ok(ws.db, "tickets", "delete", str(first), str(merged), "999999", str(second),
             "--confirm-count", "2")
    merged_reason = (f"Ticket #{merged} was merged into ticket #{first}. Only live tickets "
                     "can be deleted.")
    assert run.out.splitlines() == [
        f"Deleted 2 tickets. 2 refused: {merged_reason}",
        f"  #{merged}: {merged_reason}",
        "  #999999: Ticket #999999 does not exist or you cannot see it."]
    # Every one refused: the first refusal, with its exit code (4: the ticket changed state).
    assert "is already in the trash" in refused(ws.db, 4, "tickets", "delete", str(first),
                                                str(second), "--confirm-count", "0")
    assert "does not exist" in refused(ws.db, 2, "tickets", "delete", "999999",
                                       "--confirm-count", "1")
    live = make_ticket(ws, "Live")
    run = ok(ws.db, "tickets", "delete-permanently", str(first), str(live))
    live_reason = (f"Ticket #{live} is live. Only tickets in the trash or the spam can be "
                   "deleted permanently.")
    assert run.out.splitlines() == [f"Permanently deleted 1 ticket. 1 refused: {live_reason}",
                                    f"  #{live}: {live_reason}"]
    refused(ws.db, 2, "tickets", "show", str(first))
    assert show(ws.db, live)["name"] == "Live" and show(ws.db, second)["name"] == "Two"
    run = ok(ws.db, "tickets", "restore", str(second), str(live))
    assert run.out.splitlines()[0].startswith("Restored 1 ticket. 1 refused: ")


# -- conversations -------------------------------------------------------------------------


def _waiting_conversation(ws: Workspace) -> int:
    result = receive_email(UnitOfWork(ws.db, None, ws.clock), inbox_id=ws.inboxes["Shared inbox"],
                           from_name="John Smith", from_email="john@smith.example",
                           to="hello@example.com", subject="Quote for 20 seats",
                           text="Could you send me a quote?", message_id="<q1@smith.example>")
    return int(result.payload.conversation_id)


def test_moving_several_conversations_reports_each_refusal(ws: Workspace) -> None:
    waiting = _waiting_conversation(ws)
    ticket_id = make_ticket(ws)
    in_help_desk = int(show(ws.db, ticket_id)["conversations"][0]["id"])
    run = ok(ws.db, "conversations", "move", str(waiting), str(in_help_desk), "--to",
             "Help Desk")
    assert run.out.splitlines()[0].startswith("Moved 1 conversation. 1 refused: ")
    assert run.out.splitlines()[1].startswith(f"  conversation #{in_help_desk}: ")
    names = [r["name"] for r in ok(ws.db, "tickets", "list", "--json").json()]
    assert "Quote for 20 seats" in names


def test_conversations_list_and_move_into_the_help_desk(ws: Workspace) -> None:
    conversation_id = _waiting_conversation(ws)
    waiting = ok(ws.db, "conversations", "list", "Shared inbox", "--json").json()
    assert [c["id"] for c in waiting] == [conversation_id]
    assert waiting[0]["ticket_id"] is None
    refused(ws.db, 3, "--as", "agent@example.com", "conversations", "move",
            str(conversation_id), "--to", "Help Desk")
    ok(ws.db, "conversations", "move", str(conversation_id), "--to", "help desk",
       "--owner", "agent@example.com", "--pipeline", "Escalations", "--status", "In progress",
       "--comment", "Sales lead, please quote.")
    rows = ok(ws.db, "tickets", "list", "--json").json()
    (row,) = [r for r in rows if r["name"] == "Quote for 20 seats"]
    assert (row["owner"], row["pipeline"], row["status"]) == \
        ("agent@example.com", "Escalations", "In progress")
    data = show(ws.db, row["id"])
    kinds = [m["kind"] for m in data["conversations"][0]["messages"]]
    assert kinds == ["email", "comment"]
    # And back out: the ticket keeps a pipeline and status in the help desk.
    refused(ws.db, 2, "conversations", "move", str(conversation_id), "--to", "Shared inbox")
    shared = str(ws.inboxes["Shared inbox"])  # by id this time
    ok(ws.db, "conversations", "move", str(conversation_id), "--to", shared,
       "--pipeline", "Support Pipeline", "--status", "Closed")
    assert show(ws.db, row["id"])["status"] == "Closed"


def test_move_refusals(ws: Workspace) -> None:
    conversation_id = _waiting_conversation(ws)
    assert "No inbox named 'Nowhere'" in refused(ws.db, 2, "conversations", "move",
                                                 str(conversation_id), "--to", "Nowhere")
    assert "#999999 does not exist" in refused(ws.db, 2, "conversations", "move", "999999",
                                               "--to", "Help Desk")
    assert "No pipeline named 'Nope'" in refused(
        ws.db, 2, "conversations", "move", str(conversation_id), "--to", "Help Desk",
        "--status", "Closed", "--pipeline", "Nope")
    assert "ghost@example.com" in refused(
        ws.db, 2, "conversations", "move", str(conversation_id), "--to", "Help Desk",
        "--owner", "ghost@example.com")
    # Every refusal left the conversation where it was.
    waiting = ok(ws.db, "conversations", "list", "Shared inbox", "--json").json()
    assert [c["id"] for c in waiting] == [conversation_id]


# -- workspace -------------------------------------------------------------------------------


def test_init_then_commands_work_and_second_init_is_refused(db: Database) -> None:
    assert "init" in refused(db, 2, "tickets", "list")
    ok(db, "init", "--admin-name", "Ada Admin", "--admin-email", "Ada@Example.com")
    assert ok(db, "tickets", "list", "--json").json() == []
    assert "already" in refused(db, 2, "init", "--admin-name", "B", "--admin-email",
                                "b@example.com")
    refused(db, 2, "init", "--admin-name", "B")  # a required option is missing


def test_init_refuses_a_malformed_email(db: Database) -> None:
    assert "'not-an-email' is not a valid e-mail address" in refused(
        db, 2, "init", "--admin-name", "Ada", "--admin-email", "not-an-email")
    assert "no workspace yet" in refused(db, 2, "tickets", "list")  # nothing was created


def test_demo_command_creates_the_workspace(db: Database) -> None:
    run = ok(db, "demo", "--tickets", "15", "--seed", "3")
    assert "15/15 tickets" in run.out and "Added 15 tickets" in run.out
    rows = ok(db, "--as", "lead@example.com", "tickets", "list", "--view", "all", "--json",
              "--limit", "100").json()
    assert 0 < len(rows) <= 15
    again = ok(db, "demo", "--tickets", "5", "--seed", "4")
    assert "existing workspace" in again.out
    refused(db, 2, "demo", "--tickets", "-1")
    refused(db, 2, "demo", "--tickets", "many")


# -- the parser itself ---------------------------------------------------------------------


def test_demo_refuses_a_size_it_cannot_make(db: Database) -> None:
    assert "cannot be negative" in refused(db, 2, "demo", "--tickets", "-1")
    assert "at most 1,000,000" in refused(db, 2, "demo", "--tickets", "1000000000000")
    assert "no workspace yet" in refused(db, 2, "tickets", "list")  # nothing was written


def test_usage_errors_exit_2_with_one_line(ws: Workspace) -> None:
    assert "invalid choice" in refused(ws.db, 2, "frobnicate")
    assert "sub-command" in refused(ws.db, 2, "tickets")
    refused(ws.db, 2, "tickets", "show")
    refused(ws.db, 2, "tickets", "merge", "1")
    refused(ws.db, 2, "--no-such-option", "tickets", "list")
    assert "command is required" in refused(ws.db, 2)


def test_version_and_help() -> None:
    run = cli(None, "--version")
    assert run.code == 0 and run.out.strip() == f"helpdesk-desktop {__version__}"
    run = cli(None, "--help")
    assert run.code == 0 and "tickets" in run.out and "conversations" in run.out
    run = cli(None, "tickets", "update", "--help")
    assert run.code == 0 and "--owner" in run.out


def test_no_command_hands_the_parsed_arguments_to_the_window() -> None:
    seen: list[argparse.Namespace] = []

    def gui(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    assert cli(None, "--demo", "--as", "lead@example.com", gui=gui).code == 0
    assert seen[0].demo is True and seen[0].as_user == "lead@example.com"
    assert seen[0].command is None


def test_demo_flag_opens_and_fills_the_demo_database(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "demo.sqlite3"
    monkeypatch.setattr(cli_main_module, "demo_url", lambda: f"sqlite:///{path}")
    monkeypatch.setattr(cli_main_module, "DEMO_TICKETS", 12)
    rows = ok(None, "--demo", "tickets", "list", "--view", "all", "--json").json()
    assert path.exists() and 0 < len(rows) <= 12
    # The second time the workspace exists: nothing is added.
    assert len(ok(None, "--demo", "tickets", "list", "--view", "all", "--json").json()) == \
        len(rows)


def test_every_command_module_is_imported_statically() -> None:
    # A frozen build (PyInstaller) finds only modules imported by an import statement.
    import helpdesk_desktop.cli as cli_package
    package_dir = Path(cli_package.__file__).parent
    on_disk = {p.stem for p in package_dir.glob("*.py")} - {
        "__init__", "main", "output", "resolve", "safe_text", "argparse_i18n", "quick",
        "transcript_worker", "window_args"}  # not commands: the PDF worker, the window's options
    names = {m.__name__.rsplit(".", 1)[1] for m in cli_main_module.command_modules()}
    assert names == on_disk


def test_every_command_module_registers_its_commands() -> None:
    parser = cli_main_module.build_parser()
    commands = next(a for a in parser._actions
                    if isinstance(a, argparse._SubParsersAction))
    assert {"init", "demo", "tickets", "conversations"} <= set(commands.choices)
    assert [m.__name__.rsplit(".", 1)[-1] for m in cli_main_module.command_modules()] == [
        "workspace_commands", "ticket_commands", "conversation_commands", "safety_commands",
        "transcript", "mail_commands", "intake_commands"]


def test_an_unreadable_database_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-database.sqlite3"
    bad.write_bytes(b"this is not a SQLite file at all" * 100)
    line = refused(None, 2, "--db", str(bad), "tickets", "list")
    assert "database" in line.lower()


def test_the_entry_point_runs_as_a_program(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HELPDESK_DATABASE_URL", None)
    base = [sys.executable, "-m", "helpdesk_desktop", "--db", str(path)]
    demo = subprocess.run(base + ["demo", "--tickets", "20"], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert demo.returncode == 0, demo.stderr
    listed = subprocess.run(base + ["tickets", "list", "--json", "--view", "all"],
                            capture_output=True, text=True, env=env, timeout=300, check=False)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows and ROW_KEYS <= set(rows[0])
    missing = subprocess.run(base + ["tickets", "show", "999999"], capture_output=True,
                             text=True, env=env, timeout=300, check=False)
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: ") and "Traceback" not in missing.stderr


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone away (as with "| head -1")."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_early_ends_the_program_quietly(db: Database) -> None:
    generate_demo(db, tickets=5, seed=1)
    err = io.StringIO()
    code = main(["tickets", "list", "--json"], database=db, stdout=ClosedPipe(), stderr=err)
    assert code == 141
    assert err.getvalue() == ""


def test_each_command_module_declares_the_commands_it_registers() -> None:
    """The parser registers only the module that owns the command given (``COMMANDS``), so
    each module's declaration must name exactly what its ``register`` adds."""
    for module in cli_main_module.command_modules():
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        module.register(subparsers)
        assert tuple(subparsers.choices) == module.COMMANDS, module.__name__


@pytest.mark.parametrize(("argv", "word"), [
    (["tickets", "show", "1"], "tickets"),
    (["--db", "x.sqlite3", "--as", "a@example.com", "tickets", "list"], "tickets"),
    (["--db=x.sqlite3", "check"], "check"),
    (["--ticket", "5"], None),
    (["--demo", "set-aside", "list"], "set-aside"),
    (["--help", "tickets"], None),
    (["--he", "tickets"], None),
    (["--d", "x", "tickets"], "tickets"),
    ([], None),
])
def test_the_command_word_is_found_past_the_global_options(argv: list[str],
                                                           word: str | None) -> None:
    assert cli_main_module.command_word(argv) == word


def test_a_parser_for_one_command_parses_as_the_full_one() -> None:
    argv = ["--db", "x.sqlite3", "tickets", "list", "--view", "all", "--limit", "3"]
    one = cli_main_module.build_parser("tickets").parse_args(argv)
    full = cli_main_module.build_parser().parse_args(argv)
    assert {k: v for k, v in vars(one).items() if k != "handler"} == {
        k: v for k, v in vars(full).items() if k != "handler"}
    assert one.handler is full.handler
