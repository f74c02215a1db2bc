"""Sentences written into the database are shown in the reader's language.

A timeline entry keeps its English text and, when it has arguments, the sentence itself (msgid
and named arguments); the reader's process translates it when it reads the row. Words of the
program among the arguments (a priority, "Unassigned") are translated too; the workspace's own
names (people, statuses) are kept. Rows written before sentences were kept still show.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from helpdesk_desktop.domain.enums import ActivityKind, Priority
from helpdesk_desktop.domain.i18n import set_language
from helpdesk_desktop.domain.models import Activity, SetAsideMail
from helpdesk_desktop.domain.sentences import Sentence, sentence, sentence_n, shown, word
from helpdesk_desktop.services.dto import TicketChanges
from tests.factories import Workspace, make_ticket

NB = "\u00a0"  # before a colon
NNB = "\u202f"  # before a semicolon (narrow)


def _summaries(ws: Workspace, ticket_id: int, kind: ActivityKind) -> list[str]:
    detail = ws.desk("admin").ticket(ticket_id)
    return [a.summary for a in reversed(detail.activities) if a.kind is kind]


def _rows(ws: Workspace, ticket_id: int, kind: ActivityKind) -> list[tuple[str, dict[str, Any]]]:
    with ws.db.session() as session:
        return [(a.summary, dict(a.data)) for a in session.scalars(
            select(Activity).where(Activity.ticket_id == ticket_id, Activity.kind == kind)
            .order_by(Activity.id))]


def test_a_property_edit_written_in_english_reads_in_french(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    result = ws.desk("agent").update(ticket_id, TicketChanges(priority=Priority.HIGH,
                                                              owner=ws.users["lead"]))
    english = "Priority: Medium → High; Owner: Unassigned → Léa Lead"
    assert result.message == english
    assert _summaries(ws, ticket_id, ActivityKind.PROPERTY_CHANGED) == [english]

    set_language("fr")
    # The priorities and "Unassigned" are the program's words: French too; a name is kept.
    assert _summaries(ws, ticket_id, ActivityKind.PROPERTY_CHANGED) == [
        f"Priorité{NB}: Moyenne → Haute{NNB}; Propriétaire{NB}: Non assigné → Léa Lead"]
    notification_reader = ws.desk("lead")
    notification_reader.follow([ticket_id])
    set_language("en")
    ws.desk("agent").update(ticket_id, TicketChanges(priority=None))
    set_language("fr")
    [note] = notification_reader.notifications()
    assert note.summary == f"Priorité{NB}: Haute → Aucune"


def test_the_row_keeps_english_whatever_the_writers_language(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    set_language("fr")
    result = ws.desk("agent").update(ticket_id, TicketChanges(priority=Priority.URGENT))
    assert result.message == f"Priorité{NB}: Moyenne → Urgente"  # said to the writer
    [(summary, data)] = _rows(ws, ticket_id, ActivityKind.PROPERTY_CHANGED)
    assert summary == "Priority: Medium → Urgent"
    assert data["sentence"] == {"id": "Priority: {old} → {new}",
                                "args": {"old": {"id": "Medium"}, "new": {"id": "Urgent"}}}
    set_language("en")
    assert _summaries(ws, ticket_id, ActivityKind.PROPERTY_CHANGED) == [
        "Priority: Medium → Urgent"]


def test_replies_follows_associations_and_spam_read_in_french(ws: Workspace) -> None:
    ticket_id = make_ticket(ws)
    agent = ws.desk("agent")
    agent.add_note(ticket_id, "Checked the logs.")
    agent.follow([ticket_id])
    agent.set_associations(ticket_id, add_contact_ids=[ws.contacts["john"]],
                           add_deal_ids=[ws.deals["renewal"]])
    ws.desk("lead").mark_spam(ticket_id)
    assert _summaries(ws, ticket_id, ActivityKind.ASSOCIATION_CHANGED) == [
        "Added contact John Smith; Added deal Dupont renewal"]
    set_language("fr")
    assert _summaries(ws, ticket_id, ActivityKind.MESSAGE) == ["Arno Agent a ajouté une note"]
    assert _summaries(ws, ticket_id, ActivityKind.FOLLOWED) == ["Arno Agent suit ce ticket"]
    assert _summaries(ws, ticket_id, ActivityKind.ASSOCIATION_CHANGED) == [
        f"Contact ajouté{NB}: John Smith{NNB}; Affaire ajoutée{NB}: Dupont renewal"]
    assert _summaries(ws, ticket_id, ActivityKind.SPAM) == ["Ticket marqué comme spam"]


def test_bulk_deletion_entries_read_in_french(ws: Workspace) -> None:
    ids = [make_ticket(ws, f"T{i}") for i in range(2)]
    ws.desk("lead").delete(ids, 2)
    set_language("fr")
    assert _summaries(ws, ids[0], ActivityKind.DELETED) == ["Ticket supprimé"]


def test_rows_written_before_sentences_were_kept_still_show(ws: Workspace) -> None:
    # make_ticket writes its "created" entry as older code did: English text, no sentence.
    ticket_id = make_ticket(ws)
    with ws.db.session() as session:
        created = session.scalars(select(Activity).where(
            Activity.ticket_id == ticket_id, Activity.kind == ActivityKind.CREATED)).one()
        assert created.data == {}
        old = Activity(ticket_id=ticket_id, actor_id=None, kind=ActivityKind.PROPERTY_CHANGED,
                       created_at=created.created_at, summary="Priority: Low → High",
                       data={"changes": {"priority": ["low", "high"]}})
        session.add(old)
        session.commit()
    assert _summaries(ws, ticket_id, ActivityKind.CREATED) == ["Ticket created from an e-mail"]
    set_language("fr")
    # A sentence of the catalogue is translated; any other text is shown as it was written.
    assert _summaries(ws, ticket_id, ActivityKind.CREATED) == [
        "Ticket créé à partir d'un e-mail"]
    assert _summaries(ws, ticket_id, ActivityKind.PROPERTY_CHANGED) == ["Priority: Low → High"]


def test_a_kept_sentence_round_trips_and_a_broken_one_falls_back() -> None:
    said = sentence_n("{count} message split into ticket #{ticket_id}",
                      "{count} messages split into ticket #{ticket_id}", 3, ticket_id=7)
    assert Sentence.from_json(said.to_json()) == said
    assert said.english() == "3 messages split into ticket #7"
    set_language("fr")
    assert said.text() == "3 messages déplacés vers le nouveau ticket n° 7"
    assert sentence("Owner: {old} → {new}", old=word("Unassigned"), new="Ana").english() \
        == "Owner: Unassigned → Ana"
    # Not a sentence (an old row, a damaged value): the English text, as written.
    assert shown({"args": {}}, "As written") == "As written"
    # Arguments that do not fill the sentence: the stored English text, never an exception.
    assert shown({"id": "Owner: {old} → {new}", "args": {"old": []}}, "Kept") == "Kept"
    assert shown({"id": "Owner: {old} → {new}", "args": {"old": "A", "new": 3}}, "Kept") \
        == f"Propriétaire{NB}: A → 3"
    assert shown(None, "") == ""


def test_a_set_aside_reason_reads_in_the_readers_language(ws: Workspace) -> None:
    from helpdesk_desktop.services.intake import ingest_raw
    from helpdesk_desktop.services.uow import UnitOfWork
    from tests.services.test_ingest import mail

    set_language("fr")  # the process that fetched it spoke French: the row keeps English
    outcome = ingest_raw(UnitOfWork(ws.db, None, ws.clock), ws.inboxes["Help Desk"],
                         mail(headers={"Auto-Submitted": "auto-replied"}), source="a.eml")
    assert outcome.reason == "Automatic message (Auto-Submitted: auto-replied)."
    assert outcome.reason_text == f"Message automatique (Auto-Submitted{NB}: auto-replied)."
    with ws.db.session() as session:  # and one written before reasons were kept as sentences
        session.add(SetAsideMail(inbox_id=ws.inboxes["Help Desk"], outcome="refused",
                                 source="old.eml", reason="The message is empty.",
                                 received_at=ws.clock(), raw=b""))
        session.add(SetAsideMail(inbox_id=ws.inboxes["Help Desk"], outcome="refused",
                                 source="older.eml", reason="Something an old version said.",
                                 received_at=ws.clock(), raw=b""))
        session.commit()
    items = {i.source: i for i in ws.desk("admin").set_aside_mail()}
    assert items["a.eml"].reason_text == f"Message automatique (Auto-Submitted{NB}: auto-replied)."
    assert items["old.eml"].reason_text == "Le message est vide."
    assert items["older.eml"].reason_text == "Something an old version said."
    set_language("en")
    items = {i.source: i for i in ws.desk("admin").set_aside_mail()}
    assert items["a.eml"].reason_text == items["a.eml"].reason \
        == "Automatic message (Auto-Submitted: auto-replied)."
