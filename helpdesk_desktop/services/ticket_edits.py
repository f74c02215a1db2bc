"""Editing a ticket: its properties (one ticket, many at once, undo's edits) and its
associations with contacts, companies and deals; the sentence of a bulk result."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import ActivityKind, Category, Priority
from helpdesk_desktop.domain.errors import Conflict, HelpDeskError, InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import N_, _, ngettext
from helpdesk_desktop.domain.models import (
    Activity,
    Company,
    Contact,
    Deal,
    Pipeline,
    Status,
    Ticket,
    User,
    ticket_companies,
    ticket_contacts,
    ticket_deals,
)
from helpdesk_desktop.domain.sentences import Sentence, joined, sentence, sentence_n, word
from helpdesk_desktop.services import access, ticket_writes, undo_journal
from helpdesk_desktop.services.activity import record_activity
from helpdesk_desktop.services.dto import (
    Bulk,
    BulkResult,
    OpResult,
    PropertyEdit,
    Refusal,
    RestoreProperties,
    TicketChanges,
)
from helpdesk_desktop.services.id_lists import distinct_tickets
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_text

EDITABLE = ("name", "description", "pipeline_id", "status_id", "priority", "category",
            "owner_id")
MAX_DESCRIPTION = 100_000

Progress = Callable[[int, int], None]


# -- properties ----------------------------------------------------------------------------


def _current_values(ticket: Ticket) -> dict[str, Any]:
    return {"name": ticket.name, "description": ticket.description,
            "pipeline_id": ticket.pipeline_id, "status_id": ticket.status_id,
            "priority": ticket.priority, "category": ticket.category,
            "owner_id": ticket.owner_id, "version": ticket.version}


def _json_safe(value: Any) -> Any:
    return value.value if isinstance(value, (Priority, Category)) else value




def _clean_changes(session: Session, ticket_pipeline_id: int,
                   changes: dict[str, Any]) -> dict[str, Any]:
    """The requested values for a ticket of the pipeline ``ticket_pipeline_id``, checked and
    normalized (not yet compared with the ticket): they depend on nothing else of it."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(_("Unknown ticket property: {unknown}.").format(
                               unknown=', '.join(unknown)))
    clean: dict[str, Any] = {}
    if "name" in changes:
        clean["name"] = clean_text(changes["name"], _("Name"), max_length=500)
    if "description" in changes:
        clean["description"] = clean_text(changes["description"] or "", _("Description"),
                                          max_length=MAX_DESCRIPTION, allow_empty=True)
    pipeline_id = ticket_pipeline_id
    if "pipeline_id" in changes:
        pipeline = session.get(Pipeline, _as_id(changes["pipeline_id"], "pipeline"))
        if pipeline is None:
            raise NotFound(_("Pipeline #{pipeline_id} does not exist.").format(
                               pipeline_id=changes['pipeline_id']))
        pipeline_id = clean["pipeline_id"] = pipeline.id
        if pipeline.id != ticket_pipeline_id and "status_id" not in changes:
            raise InvalidInput(
                _("Moving the ticket to the pipeline '{pipeline_name}' needs one of "
                  "its statuses.").format(pipeline_name=pipeline.name))
    if "status_id" in changes:
        status = session.get(Status, _as_id(changes["status_id"], "status"))
        if status is None:
            raise NotFound(_("Status #{status_id} does not exist.").format(
                               status_id=changes['status_id']))
        if status.pipeline_id != pipeline_id:
            pipeline = session.get(Pipeline, pipeline_id)
            raise InvalidInput(
                _("The status '{status_name}' does not belong to the pipeline "
                  "'{pipeline_name}'.").format(
                    status_name=status.name,
                    pipeline_name=pipeline.name if pipeline else pipeline_id))
        clean["status_id"] = status.id
    if "priority" in changes:
        clean["priority"] = _as_enum(Priority, changes["priority"], "priority")
    if "category" in changes:
        clean["category"] = _as_enum(Category, changes["category"], "category")
    if "owner_id" in changes:
        owner_id = changes["owner_id"]
        if owner_id is not None:
            owner_id = access.assignable_owner(session, _as_id(owner_id, "user")).id
        clean["owner_id"] = owner_id
    return clean


def _as_id(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(str(value))
        except ValueError:
            raise InvalidInput(_(_NOT_AN_ID[what]).format(value=value)) from None
    return value


_NOT_AN_ID = {"pipeline": N_("'{value}' is not a pipeline id."),
              "status": N_("'{value}' is not a status id."),
              "user": N_("'{value}' is not a user id.")}
_NOT_A_CHOICE = {"priority": N_("'{value}' is not a priority (one of: {choices})."),
                 "category": N_("'{value}' is not a category (one of: {choices}).")}


def _as_enum(kind: type[Priority | Category], value: Any, what: str) -> Any:
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise InvalidInput(_(_NOT_A_CHOICE[what]).format(value=value, choices=choices)) from None


#: The program's words for values of a ticket's properties, translated where they are shown.
VALUE_WORDS: dict[Any, Sentence] = {
    Priority.LOW: word("Low"), Priority.MEDIUM: word("Medium"), Priority.HIGH: word("High"),
    Priority.URGENT: word("Urgent"),
    Category.PRODUCT_ISSUE: word("Product issue"), Category.BILLING_ISSUE: word("Billing issue"),
    Category.FEATURE_REQUEST: word("Feature request"),
    Category.GENERAL_INQUIRY: word("General inquiry"),
}
# Translators: no priority or no category, in a timeline entry ("Priority: None → High").
NO_VALUE = word("None")
UNASSIGNED = word("Unassigned")


def _describe(session: Session, field: str, value: Any) -> str | Sentence:
    """A property's value in a timeline entry: a name of the workspace (a person, a status, a
    pipeline: kept as it is) or a word of the program (translated when shown)."""
    if field == "owner_id":
        user = session.get(User, value) if value is not None else None
        return user.name if user else UNASSIGNED
    if field == "status_id":
        status = session.get(Status, value)
        return status.name if status else str(value)
    if field == "pipeline_id":
        pipeline = session.get(Pipeline, value)
        return pipeline.name if pipeline else str(value)
    if field in ("priority", "category"):
        return VALUE_WORDS.get(value, NO_VALUE) if value is not None else NO_VALUE
    return str(value)


def _field_change(field: str, old: str | Sentence, new: str | Sentence) -> Sentence:
    if field == "name":
        return sentence("Name: {old} → {new}", old=old, new=new)
    if field == "pipeline_id":
        return sentence("Pipeline: {old} → {new}", old=old, new=new)
    if field == "status_id":
        return sentence("Status: {old} → {new}", old=old, new=new)
    if field == "priority":
        return sentence("Priority: {old} → {new}", old=old, new=new)
    if field == "category":
        return sentence("Category: {old} → {new}", old=old, new=new)
    return sentence("Owner: {old} → {new}", old=old, new=new)


def _summary(session: Session, diffs: dict[str, tuple[Any, Any]]) -> Sentence:
    """What an edit changed, one part per property, in the order of :data:`EDITABLE`."""
    parts = []
    for field in EDITABLE:
        if field not in diffs:
            continue
        old, new = diffs[field]
        if field == "description":
            parts.append(sentence("Description changed"))
        else:
            parts.append(_field_change(field, _describe(session, field, old),
                                       _describe(session, field, new)))
    return joined(parts)


def update_properties(uow: UnitOfWork, ticket_id: int, changes: TicketChanges,
                      expected_version: int | None = None) -> OpResult[PropertyEdit | None]:
    """Change ticket properties, refusing an edit of a field someone else changed since
    ``expected_version`` (field-level optimistic locking: two agents setting the priority and
    the owner of the same ticket at once both win).

    The ticket is read under the operation's write lock and written with a compare-and-set
    ``UPDATE ... WHERE version = :seen``. The result's reversal puts the overwritten values
    back while nobody edited the ticket since.
    """
    with uow:
        result = _edit(uow, ticket_id, changes, expected_version)
        undo_journal.remember(uow, result)
        uow.commit()
        return result


def update_many(uow: UnitOfWork, ticket_ids: Sequence[int], changes: TicketChanges,
                progress: Progress | None = None,
                expected_versions: Mapping[int, int] | None = None) -> BulkResult:
    """Apply ``changes`` to every ticket in one transaction; a ticket that refuses (not
    visible, status of another pipeline, owner who may not see it, edited since the version
    in ``expected_versions``…) is counted with its sentence and the others still change. One
    reversal undoes every edit."""
    versions = expected_versions or {}
    return edit_each(uow, [(i, changes, versions.get(i)) for i in distinct_tickets(ticket_ids)],
                     progress)


def edit_each(uow: UnitOfWork, edits: Sequence[tuple[int, TicketChanges, int | None]],
              progress: Progress | None = None, *, exact_version: bool = False) -> BulkResult:
    """``(ticket id, changes, expected version)`` edits in one transaction, refusals counted
    per ticket (used by :func:`update_many` and by undo, which expects each ticket's
    version). ``exact_version`` (undo): any edit since the expected version refuses, not
    only one of the same fields."""
    with uow:
        session = uow.session
        uow.actor  # noqa: B018 - refuses users without help desk access as a whole
        # The set-based edit locks the tickets (id order) with the read of their columns.
        as_set = ticket_writes.edit_set(uow, edits, progress, exact_version=exact_version)
        if as_set is not None:
            bulk = _bulk_result(edits, as_set)
            undo_journal.remember(uow, bulk)
            uow.commit()
            return bulk
        access.lock_tickets(session, [ticket_id for ticket_id, _, _ in edits])  # id order
        done: list[int] = []
        undo: list[PropertyEdit] = []
        refusals: list[Refusal] = []
        first_error: HelpDeskError | None = None
        summary = ""
        for count, (ticket_id, changes, expected) in enumerate(edits, 1):
            try:
                with session.begin_nested():
                    result = _edit(uow, ticket_id, changes, expected,
                                   exact_version=exact_version)
            except HelpDeskError as exc:
                refusals.append(Refusal(ticket_id, str(exc)))
                first_error = first_error or exc
            else:
                if result.payload is not None:
                    done.append(ticket_id)
                    undo.append(result.payload)
                    summary = result.message
            if progress is not None:
                progress(count, len(edits))
        if first_error is not None and len(refusals) == len(edits):
            raise first_error  # every ticket refused: one sentence, nothing changed
        bulk = _result(len(edits), done, undo, refusals, summary)
        undo_journal.remember(uow, bulk)
        uow.commit()
        return bulk


def _bulk_result(edits: Sequence[tuple[int, TicketChanges, int | None]],
                 outcomes: Sequence[ticket_writes.Outcome | None]) -> BulkResult:
    """The set-based outcomes as the per-ticket loop reports them (raised when every ticket
    refused)."""
    done: list[int] = []
    undo: list[PropertyEdit] = []
    refusals: list[Refusal] = []
    first_error: HelpDeskError | None = None
    summary = ""
    for (ticket_id, _changes, _expected), outcome in zip(edits, outcomes, strict=True):
        if outcome is None:
            continue
        if outcome.error is not None:
            refusals.append(Refusal(ticket_id, str(outcome.error)))
            first_error = first_error or outcome.error
        elif outcome.edit is not None:
            done.append(ticket_id)
            undo.append(outcome.edit)
            summary = outcome.message
    if first_error is not None and len(refusals) == len(edits):
        raise first_error  # every ticket refused: one sentence, nothing changed
    return _result(len(edits), done, undo, refusals, summary)


def _result(asked: int, done: list[int], undo: list[PropertyEdit], refusals: list[Refusal],
            summary: str) -> BulkResult:
    one = asked == 1 and len(done) == 1  # one ticket asked: say what changed
    return OpResult(summary if one else bulk_sentence(
        len(done), ngettext("Updated {count} ticket.", "Updated {count} tickets.",
                            len(done)).format(count=len(done)), refusals),
                    changed_ticket_ids=tuple(done),
                    payload=Bulk(tuple(done), tuple(refusals)),
                    reversal=RestoreProperties(tuple(undo)) if undo else None)


def _edit(uow: UnitOfWork, ticket_id: int, typed_changes: TicketChanges,
          expected_version: int | None, *,
          exact_version: bool = False) -> OpResult[PropertyEdit | None]:
    """One ticket's property edit inside the caller's transaction (nothing written when it
    refuses). Made against an older ``expected_version``, it is refused when one of its
    fields changed since (any change with ``exact_version``); its timeline entry records the
    version it made, which is what that check reads."""
    changes = typed_changes.columns()
    session, actor = uow.session, uow.actor
    ticket = access.get_visible_ticket(session, actor, ticket_id)
    clean = _clean_changes(session, ticket.pipeline_id, changes)
    current = _current_values(ticket)
    if expected_version is not None and expected_version != ticket.version:
        changed = (None if exact_version else
                   _fields_changed_since(session, ticket.id, expected_version, ticket.version))
        if changed is None or changed & set(clean):
            raise Conflict(_("Someone else changed this ticket since you opened it; "
                             "nothing was saved."), current=current)
    diffs = {f: (current[f], v) for f, v in clean.items() if current[f] != v}
    if not diffs:
        return OpResult(_("Nothing to change."), changed_ticket_ids=(), payload=None)
    values: dict[str, Any] = {f: new for f, (_, new) in diffs.items()}
    if "status_id" in diffs:
        closed = session.get(Status, values["status_id"]).is_closed  # type: ignore[union-attr]
        if closed and ticket.closed_at is None:
            values["closed_at"] = uow.now
        elif not closed and ticket.closed_at is not None:
            values["closed_at"] = None  # only when it changes (ticket_writes._closing)
    seen_version = ticket.version
    outcome = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.version == seen_version)
        .values(**values, updated_at=uow.now, version=Ticket.version + 1)
        .execution_options(synchronize_session=False)
    )
    if outcome.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(ticket)
        raise Conflict(_("Someone else changed this ticket at the same moment; "
                         "nothing was saved."), current=_current_values(ticket))
    session.expire(ticket)
    data = {"changes": {f: [_json_safe(old), _json_safe(new)]
                        for f, (old, new) in diffs.items()},
            "version": seen_version + 1}
    said = _summary(session, diffs)
    record_activity(uow, ticket, ActivityKind.PROPERTY_CHANGED, said, data)
    edit = PropertyEdit(ticket.id,
                        TicketChanges.from_columns({f: old for f, (old, _) in diffs.items()}),
                        seen_version + 1)
    return OpResult(said.text(), changed_ticket_ids=(ticket.id,), payload=edit,
                    reversal=RestoreProperties((edit,)))


def bulk_sentence(done: int, done_sentence: str, refusals: Sequence[Refusal]) -> str:
    """The result of a bulk operation: the caller's whole sentence for the ``done`` tickets
    (an ``ngettext`` sentence, so that every language words it its own way), or "Nothing to
    change." when none changed; then "2 refused: <first refusal>"."""
    message = done_sentence if done else _("Nothing to change.")
    return message + refusals_note(refusals)


def refusals_note(refusals: Sequence[Refusal]) -> str:
    """" 2 refused: <first refusal>" after a bulk operation's sentence ("" without refusals)."""
    if not refusals:
        return ""
    return " " + ngettext("{count} refused: {reason}", "{count} refused: {reason}",
                          len(refusals)).format(count=len(refusals), reason=refusals[0].reason)


def _fields_changed_since(session: Session, ticket_id: int, seen: int,
                          current: int) -> set[str] | None:
    """The properties changed by the edits after version ``seen`` (up to ``current``), read
    from the timeline; ``None`` when the timeline cannot tell (then any edit conflicts)."""
    if seen > current or seen < 1:
        return None
    fields: set[str] = set()
    versions: set[int] = set()
    entries = session.scalars(
        select(Activity).where(Activity.ticket_id == ticket_id,
                               Activity.kind == ActivityKind.PROPERTY_CHANGED)
        .order_by(Activity.id.desc()).limit(current - seen + 1)).all()
    for entry in entries:
        version = (entry.data or {}).get("version")
        if not isinstance(version, int):
            return None
        if version <= seen:
            break
        versions.add(version)
        fields.update((entry.data or {}).get("changes", {}))
    if versions != set(range(seen + 1, current + 1)):
        return None
    return fields


# -- associations --------------------------------------------------------------------------


_MISSING = {"contact": N_("Contact #{number} does not exist."),
            "company": N_("Company #{number} does not exist."),
            "deal": N_("Deal #{number} does not exist.")}


def _existing(session: Session, model: Any, ids: Iterable[int], what: str) -> dict[int, str]:
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    found: dict[int, str] = {row[0]: row[1] for row in session.execute(
        select(model.id, model.name).where(model.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(_(_MISSING[what]).format(number=missing[0]))
    return found


def _linked(what: str, added: bool, names: list[str]) -> Sentence:
    """"Added contacts Alice, Bob", "Removed company Dupont"… for the timeline."""
    n, listed = len(names), ", ".join(names)
    if what == "contact":
        return (sentence_n("Added contact {names}", "Added contacts {names}", n, names=listed)
                if added else sentence_n("Removed contact {names}", "Removed contacts {names}",
                                         n, names=listed))
    if what == "company":
        return (sentence_n("Added company {names}", "Added companies {names}", n, names=listed)
                if added else sentence_n("Removed company {names}",
                                         "Removed companies {names}", n, names=listed))
    return (sentence_n("Added deal {names}", "Added deals {names}", n, names=listed)
            if added else sentence_n("Removed deal {names}", "Removed deals {names}", n,
                                     names=listed))


def set_associations(
    uow: UnitOfWork,
    ticket_id: int,
    *,
    add_contact_ids: Iterable[int] = (),
    remove_contact_ids: Iterable[int] = (),
    add_company_ids: Iterable[int] = (),
    remove_company_ids: Iterable[int] = (),
    add_deal_ids: Iterable[int] = (),
    remove_deal_ids: Iterable[int] = (),
) -> OpResult:
    """Link or unlink contacts, companies and deals; one timeline entry for the whole edit."""
    kinds = (
        ("contact", Contact, ticket_contacts, ticket_contacts.c.contact_id,
         add_contact_ids, remove_contact_ids),
        ("company", Company, ticket_companies, ticket_companies.c.company_id,
         add_company_ids, remove_company_ids),
        ("deal", Deal, ticket_deals, ticket_deals.c.deal_id, add_deal_ids, remove_deal_ids),
    )
    with uow:
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id)
        added: dict[str, list[int]] = {}
        removed: dict[str, list[int]] = {}
        words: list[Sentence] = []
        for what, model, link, column, to_add, to_remove in kinds:
            add_names = _existing(session, model, to_add, what)
            remove_names = _existing(session, model, to_remove, what)
            linked = set(session.scalars(select(column).where(link.c.ticket_id == ticket.id)))
            new = [i for i in add_names if i not in linked and i not in remove_names]
            gone = [i for i in remove_names if i in linked]
            if new:
                session.execute(insert(link), [{"ticket_id": ticket.id, column.key: i}
                                                for i in new])
                added[what] = new
                words.append(_linked(what, True, [add_names[i] for i in new]))
            if gone:
                session.execute(delete(link).where(link.c.ticket_id == ticket.id,
                                                   column.in_(gone)))
                removed[what] = gone
                words.append(_linked(what, False, [remove_names[i] for i in gone]))
        if not words:
            return OpResult(_("Nothing to change."))
        session.expire(ticket)
        ticket.updated_at = uow.now
        said = joined(words)
        record_activity(uow, ticket, ActivityKind.ASSOCIATION_CHANGED, said,
                        {"added": added, "removed": removed})
        uow.commit()
        return OpResult(said.text(), changed_ticket_ids=(ticket.id,))
