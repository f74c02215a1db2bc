"""One ticket: reading it, editing its properties and associations, following, read state,
replies and notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from helpdesk_desktop.domain.enums import (
    ActivityKind,
    Category,
    Direction,
    MessageKind,
    Priority,
)
from helpdesk_desktop.domain.errors import Conflict, HelpDeskError, InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import N_, _, ngettext
from helpdesk_desktop.domain.models import (
    Activity,
    Attachment,
    Company,
    Contact,
    Conversation,
    Deal,
    Draft,
    Follower,
    Message,
    Pipeline,
    ReadState,
    Status,
    Ticket,
    User,
    ticket_companies,
    ticket_contacts,
    ticket_deals,
)
from helpdesk_desktop.services import access, read_state, thread_pages
from helpdesk_desktop.services.activity import notify_users, record_activity
from helpdesk_desktop.services.dto import (
    Bulk,
    BulkResult,
    MessageAdded,
    OpResult,
    PropertyEdit,
    Refusal,
    RestoreProperties,
    SetFollowing,
    SetRead,
    TicketChanges,
    TicketDetail,
)
from helpdesk_desktop.services.id_lists import chunks, distinct_tickets
from helpdesk_desktop.services.listing import load_rows, visible_states
from helpdesk_desktop.services.mail import outbox
from helpdesk_desktop.services.mapping import (
    activity_info,
    company_info,
    contact_info,
    conversation_info,
    deal_info,
    pipeline_info,
)
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.upsert import insert_ignoring_existing
from helpdesk_desktop.services.validation import clean_email, clean_text, without_nul

EDITABLE = ("name", "description", "pipeline_id", "status_id", "priority", "category",
            "owner_id")
LABELS = {"name": "Name", "description": "Description", "pipeline_id": "Pipeline",
          "status_id": "Status", "priority": "Priority", "category": "Category",
          "owner_id": "Owner"}
MAX_DESCRIPTION = 100_000
MAX_MESSAGE = 1_000_000

Progress = Callable[[int, int], None]


# -- reading -------------------------------------------------------------------------------


def get_ticket(uow: UnitOfWork, ticket_id: int, *, mark_read: bool = False,
               first_messages: int | None = None,
               last_messages: int | None = None) -> TicketDetail:
    """Everything about one ticket (a merged id opens the survivor).

    Spam and deleted tickets open only for users with the delete permission. ``mark_read``
    marks the ticket read for the acting user only. With ``first_messages`` the detail holds
    only the oldest ``first_messages`` messages of each conversation and no activity: enough
    to show the start of a long ticket at once (a print preview's first page). With
    ``last_messages`` it holds the newest ``last_messages`` of each conversation, and each
    conversation's ``earlier`` says how many older ones were not read (the ticket view shows
    the end of a long thread at once; :func:`thread_pages.earlier_messages` reads the rest).
    """
    with uow if mark_read else uow.read_only():
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id,
                                           states=visible_states(actor))
        if mark_read:
            read_state.set_read(session, ticket.id, actor.id, uow.now)
            session.flush()
        detail = _detail(session, actor, ticket, first_messages, last_messages)
        if mark_read:
            uow.commit()
        return detail


def _detail(session: Session, actor: User, ticket: Ticket,
            first_messages: int | None = None,
            last_messages: int | None = None) -> TicketDetail:
    options = [joinedload(Conversation.inbox),
               joinedload(Conversation.contact).joinedload(Contact.company)]
    if first_messages is None and last_messages is None:
        options.append(selectinload(Conversation.messages).selectinload(Message.attachments))
    conversations = session.scalars(
        select(Conversation)
        .where(Conversation.ticket_id == ticket.id, Conversation.spam_at.is_(None))
        .order_by(Conversation.created_at, Conversation.id)
        .options(*options)
    ).unique().all()
    chosen: dict[int, list[Message] | None] = {c.id: None for c in conversations}
    if first_messages is not None:
        for conversation in conversations:  # a seek on ix_messages_conversation_sent each
            chosen[conversation.id] = list(session.scalars(
                select(Message).where(Message.conversation_id == conversation.id)
                .order_by(Message.sent_at, Message.id).limit(first_messages)
                .options(selectinload(Message.attachments))))
    earlier: dict[int, int] = {}
    if last_messages is not None:
        newest, earlier = thread_pages.newest_messages(session, list(chosen), last_messages)
        chosen.update(newest)
    activities = () if first_messages is not None else session.scalars(
        select(Activity).where(Activity.ticket_id == ticket.id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .options(joinedload(Activity.actor))
    ).all()
    row = load_rows(session, actor, [ticket.id])[ticket.id]
    return TicketDetail(
        row=row, description=ticket.description, pipeline=pipeline_info(ticket.pipeline),
        inbox_id=ticket.inbox_id, updated_at=ticket.updated_at,
        conversations=tuple(conversation_info(c, chosen[c.id], earlier.get(c.id, 0))
                            for c in conversations),
        contacts=tuple(contact_info(c) for c in ticket.contacts),
        companies=tuple(company_info(c) for c in ticket.companies),
        deals=tuple(deal_info(d) for d in ticket.deals),
        activities=tuple(activity_info(a) for a in activities),
    )


def get_attachment_content(uow: UnitOfWork, attachment_id: int) -> tuple[str, bytes]:
    """The file name and bytes of an attachment of a ticket the actor may see."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        row = session.execute(
            select(Attachment.filename, Attachment.content, Conversation.ticket_id,
                   Conversation.spam_at)
            .join(Message, Message.id == Attachment.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Attachment.id == attachment_id)
        ).first()
        missing = NotFound(_("Attachment #{attachment_id} does not exist or you "
                             "cannot see it.").format(attachment_id=attachment_id))
        if row is None or row.ticket_id is None:
            raise missing
        try:
            access.get_visible_ticket(session, actor, row.ticket_id,
                                      states=visible_states(actor), follow_merges=False)
        except NotFound:
            raise missing from None
        if row.spam_at is not None and access.reason_missing_delete(actor) is not None:
            raise missing
        return row.filename, bytes(row.content or b"")


def get_inline_image(uow: UnitOfWork, message_id: int, content_id: str) -> bytes | None:
    """The bytes of the image part ``content_id`` (``<id>``) of a message the actor may see,
    or None: what a ``cid:`` image in the message's HTML shows."""
    with uow.read_only():
        session = uow.session
        attachment_id = session.scalars(
            select(Attachment.id).where(Attachment.message_id == message_id,
                                        Attachment.content_id == content_id,
                                        Attachment.content_type.like("image/%"))
            .order_by(Attachment.id).limit(1)).first()
    if attachment_id is None:
        return None
    try:
        return get_attachment_content(uow, attachment_id)[1]
    except NotFound:
        return None


def conversation_counts(uow: UnitOfWork, ticket_ids: Sequence[int]) -> dict[int, int]:
    """How many conversations (not spam) each of these tickets the actor sees has: what a
    dialog shows without reading whole tickets."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        counts: dict[int, int] = {}
        for chunk in chunks(distinct_tickets(ticket_ids)):
            visible = select(Ticket.id).where(Ticket.id.in_(chunk), access.visible_clause(actor),
                                              Ticket.state.in_(visible_states(actor)))
            counts.update((i, 0) for i in session.scalars(visible))
            for ticket_id, count in session.execute(
                    select(Conversation.ticket_id, func.count()).where(
                        Conversation.ticket_id.in_(visible), Conversation.spam_at.is_(None))
                    .group_by(Conversation.ticket_id)):
                if ticket_id is not None:
                    counts[ticket_id] = count
        return counts


# -- properties ----------------------------------------------------------------------------


def _current_values(ticket: Ticket) -> dict[str, Any]:
    return {"name": ticket.name, "description": ticket.description,
            "pipeline_id": ticket.pipeline_id, "status_id": ticket.status_id,
            "priority": ticket.priority, "category": ticket.category,
            "owner_id": ticket.owner_id, "version": ticket.version}


def _json_safe(value: Any) -> Any:
    return value.value if isinstance(value, (Priority, Category)) else value


def _enum_label(value: Priority | Category | None) -> str:
    return value.value.replace("_", " ").capitalize() if value is not None else "None"


def _clean_changes(session: Session, ticket: Ticket,
                   changes: dict[str, Any]) -> dict[str, Any]:
    """The requested values, checked and normalized (not yet compared with the ticket)."""
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
    pipeline_id = ticket.pipeline_id
    if "pipeline_id" in changes:
        pipeline = session.get(Pipeline, _as_id(changes["pipeline_id"], "pipeline"))
        if pipeline is None:
            raise NotFound(_("Pipeline #{pipeline_id} does not exist.").format(
                               pipeline_id=changes['pipeline_id']))
        pipeline_id = clean["pipeline_id"] = pipeline.id
        if pipeline.id != ticket.pipeline_id and "status_id" not in changes:
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


def _describe(session: Session, field: str, value: Any) -> str:
    if field == "owner_id":
        user = session.get(User, value) if value is not None else None
        return user.name if user else "Unassigned"
    if field == "status_id":
        status = session.get(Status, value)
        return status.name if status else str(value)
    if field == "pipeline_id":
        pipeline = session.get(Pipeline, value)
        return pipeline.name if pipeline else str(value)
    if field in ("priority", "category"):
        return _enum_label(value)
    return str(value)


def _summary(session: Session, diffs: dict[str, tuple[Any, Any]]) -> str:
    parts = []
    for field in EDITABLE:
        if field not in diffs:
            continue
        old, new = diffs[field]
        if field == "description":
            parts.append("Description changed")
        else:
            parts.append(f"{LABELS[field]}: {_describe(session, field, old)} → "
                         f"{_describe(session, field, new)}")
    return "; ".join(parts)


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
        uow.commit()
        one = len(edits) == 1 and len(done) == 1  # one ticket asked: say what changed
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
    clean = _clean_changes(session, ticket, changes)
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
        elif not closed:
            values["closed_at"] = None
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
    summary = _summary(session, diffs)
    record_activity(uow, ticket, ActivityKind.PROPERTY_CHANGED, summary, data)
    edit = PropertyEdit(ticket.id,
                        TicketChanges.from_columns({f: old for f, (old, _) in diffs.items()}),
                        seen_version + 1)
    return OpResult(summary, changed_ticket_ids=(ticket.id,), payload=edit,
                    reversal=RestoreProperties((edit,)))


def bulk_sentence(done: int, done_sentence: str, refusals: Sequence[Refusal]) -> str:
    """The result of a bulk operation: the caller's whole sentence for the ``done`` tickets
    (an ``ngettext`` sentence, so that every language words it its own way), or "Nothing to
    change." when none changed; then "2 refused: <first refusal>"."""
    message = done_sentence if done else _("Nothing to change.")
    if refusals:
        message += " " + ngettext("{count} refused: {reason}", "{count} refused: {reason}",
                                  len(refusals)).format(count=len(refusals),
                                                        reason=refusals[0].reason)
    return message


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
        words: list[str] = []
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
                words.append(f"Added {what} " + ", ".join(add_names[i] for i in new))
            if gone:
                session.execute(delete(link).where(link.c.ticket_id == ticket.id,
                                                   column.in_(gone)))
                removed[what] = gone
                words.append(f"Removed {what} " + ", ".join(remove_names[i] for i in gone))
        if not words:
            return OpResult(_("Nothing to change."))
        session.expire(ticket)
        ticket.updated_at = uow.now
        summary = "; ".join(words)
        record_activity(uow, ticket, ActivityKind.ASSOCIATION_CHANGED, summary,
                        {"added": added, "removed": removed})
        uow.commit()
        return OpResult(summary, changed_ticket_ids=(ticket.id,))


# -- following and read state --------------------------------------------------------------


def _visible_tickets(session: Session, actor: User, ticket_ids: Sequence[int]
                     ) -> tuple[list[Ticket], list[Refusal]]:
    """The tickets of ``ticket_ids`` the actor sees, and a refusal for each other one;
    :class:`NotFound` when it sees none of them."""
    wanted = distinct_tickets(ticket_ids)
    found: dict[int, Ticket] = {}
    for chunk in chunks(wanted):
        found.update((t.id, t) for t in session.scalars(
            select(Ticket).where(Ticket.id.in_(chunk), access.visible_clause(actor),
                                 Ticket.state.in_(visible_states(actor)))))
    refusals = [Refusal(i, _("Ticket #{ticket_id} does not exist or you cannot see it.").format(
                    ticket_id=i))
                for i in wanted if i not in found]
    if refusals and not found:
        raise NotFound(refusals[0].reason)
    return [found[i] for i in wanted if i in found], refusals


def _set_following(uow: UnitOfWork, ticket_ids: Sequence[int], on: bool) -> BulkResult:
    session, actor = uow.session, uow.actor
    tickets, refusals = _visible_tickets(session, actor, ticket_ids)
    ids = [t.id for t in tickets]
    already = set(session.scalars(select(Follower.ticket_id).where(
        Follower.user_id == actor.id, Follower.ticket_id.in_(ids))))
    to_change = [t for t in tickets if (t.id in already) != on]
    kind = ActivityKind.FOLLOWED if on else ActivityKind.UNFOLLOWED
    switched: list[int] = []
    for ticket in to_change:
        if on:
            written = insert_ignoring_existing(
                session, Follower.__table__,  # type: ignore[arg-type]
                {"ticket_id": ticket.id, "user_id": actor.id, "since": uow.now})
        else:
            written = session.execute(delete(Follower).where(
                Follower.ticket_id == ticket.id, Follower.user_id == actor.id)
            ).rowcount == 1  # type: ignore[attr-defined]
        if not written:  # the same user did it a moment ago, from another window
            continue
        switched.append(ticket.id)
        # Following is personal: it must not re-sort lists or make the ticket unread for others.
        last_activity = ticket.last_activity_at
        record_activity(uow, ticket, kind,
                        f"{actor.name} {'started' if on else 'stopped'} following", notify=False)
        ticket.last_activity_at = last_activity
    uow.commit()
    changed = tuple(switched)
    count = len(ids)
    message = (ngettext("Following {count} ticket.", "Following {count} tickets.", count) if on
               else ngettext("No longer following {count} ticket.",
                             "No longer following {count} tickets.", count)).format(count=count)
    if refusals:
        message += " " + ngettext("{count} refused: {reason}", "{count} refused: {reason}",
                                  len(refusals)).format(count=len(refusals),
                                                        reason=refusals[0].reason)
    return OpResult(message, changed_ticket_ids=tuple(ids),
                    payload=Bulk(tuple(ids), tuple(refusals)),
                    reversal=SetFollowing(changed, not on) if changed else None)


def follow(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Follow tickets (already followed ones stay so; unseen ones are refused)."""
    with uow:
        return _set_following(uow, ticket_ids, True)


def unfollow(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Stop following tickets."""
    with uow:
        return _set_following(uow, ticket_ids, False)


def _set_read(uow: UnitOfWork, ticket_ids: Sequence[int], read: bool) -> BulkResult:
    session, actor = uow.session, uow.actor
    tickets, refusals = _visible_tickets(session, actor, ticket_ids)
    ids = [t.id for t in tickets]
    unread_before = {i for i, unread in _unread_now(session, tickets, actor.id).items()
                     if unread}
    read_state.set_many(session, ids, actor.id, uow.now if read else None)
    uow.commit()
    flipped = tuple(i for i in ids if (i in unread_before) == read)
    message = f"Marked {len(ids)} as {'read' if read else 'unread'}."
    if refusals:
        message += f" {len(refusals)} refused: {refusals[0].reason}"
    return OpResult(message, changed_ticket_ids=tuple(ids),
                    payload=Bulk(tuple(ids), tuple(refusals)),
                    reversal=SetRead(flipped, not read) if flipped else None)


def _unread_now(session: Session, tickets: Sequence[Ticket], user_id: int) -> dict[int, bool]:
    states: dict[int, ReadState] = {}
    for chunk in chunks([t.id for t in tickets]):
        states.update((s.ticket_id, s) for s in session.scalars(select(ReadState).where(
            ReadState.user_id == user_id, ReadState.ticket_id.in_(chunk))))
    return {t.id: read_state.is_unread(states.get(t.id), t.last_activity_at) for t in tickets}


def mark_read(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Mark tickets read for the acting user only."""
    with uow:
        return _set_read(uow, ticket_ids, True)


def mark_unread(uow: UnitOfWork, ticket_ids: Sequence[int]) -> BulkResult:
    """Mark tickets unread for the acting user only."""
    with uow:
        return _set_read(uow, ticket_ids, False)


# -- replies and notes ---------------------------------------------------------------------


def _target_conversation(session: Session, ticket: Ticket,
                         conversation_id: int | None) -> Conversation:
    if conversation_id is not None:
        conversation = session.get(Conversation, conversation_id)
        if (conversation is None or conversation.ticket_id != ticket.id
                or conversation.spam_at is not None):
            raise NotFound(_("Conversation #{conversation_id} is not part of ticket "
                             "#{ticket_id}.").format(
                               conversation_id=conversation_id, ticket_id=ticket.id))
        return conversation
    conversation = session.scalars(
        select(Conversation).where(Conversation.ticket_id == ticket.id,
                                   Conversation.spam_at.is_(None))
        .order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(1)).first()
    if conversation is None:
        raise InvalidInput(_("Ticket #{ticket_id} has no conversation to write to.").format(
                               ticket_id=ticket.id))
    return conversation


#: (empty, too long) sentences per kind of message.
_TEXT_SENTENCES = {
    MessageKind.NOTE: (N_("A note cannot be empty."),
                       N_("A note is too long (at most {maximum} characters).")),
    MessageKind.COMMENT: (N_("A comment cannot be empty."),
                          N_("A comment is too long (at most {maximum} characters).")),
    MessageKind.REPLY: (N_("A reply cannot be empty."),
                        N_("A reply is too long (at most {maximum} characters).")),
}


def _add_message(uow: UnitOfWork, ticket_id: int, text: str, conversation_id: int | None,
                 kind: MessageKind, *, to: str | Sequence[str] | None = None,
                 cc: str | Sequence[str] | None = None,
                 mention_ids: Sequence[int] = ()) -> OpResult[MessageAdded]:
    empty, too_long = _TEXT_SENTENCES.get(kind, _TEXT_SENTENCES[MessageKind.REPLY])
    text = without_nul(text)
    if not text.strip():
        raise InvalidInput(_(empty))
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(_(too_long).format(maximum=MAX_MESSAGE))
    internal = kind.is_internal
    to_list = None if to is None or internal else address_list(to, _("To"))
    cc_list = [] if cc is None or internal else address_list(cc, _("Cc"))
    with uow:
        session, actor = uow.session, uow.actor
        ticket = access.get_visible_ticket(session, actor, ticket_id)
        conversation = _target_conversation(session, ticket, conversation_id)
        if to_list is None:
            to_list = ([] if internal or conversation.contact is None
                       or not conversation.contact.email else [conversation.contact.email])
        if not internal and not to_list:
            raise InvalidInput(_("A reply needs at least one recipient (To)."))
        message = Message(
            conversation_id=conversation.id, kind=kind,
            direction=Direction.INTERNAL if internal else Direction.OUTGOING,
            author_user_id=actor.id, author_name=actor.name, author_email=actor.email,
            to_addresses=", ".join(to_list), cc_addresses=", ".join(cc_list), sent_at=uow.now,
            subject=conversation.subject, body_text=text,
        )
        session.add(message)
        session.flush()
        queued = None if internal else outbox.enqueue(uow, message, conversation)
        ticket.updated_at = uow.now
        verb = {MessageKind.NOTE: "added a note", MessageKind.COMMENT: "commented"}.get(
            kind, "replied")
        data: dict[str, Any] = {"message_id": message.id, "conversation_id": conversation.id,
                                "kind": kind.value}
        mentioned = [user for user in _mentioned_users(session, ticket, mention_ids)
                     if user.id != actor.id] if internal else []
        if mentioned:
            data["mentioned_ids"] = [user.id for user in mentioned]
        entry = record_activity(uow, ticket, ActivityKind.MESSAGE, f"{actor.name} {verb}", data)
        notify_users(uow, ticket, entry, mentioned)
        # What was sent is no longer a draft (one transaction: both or neither).
        session.execute(delete(Draft).where(Draft.ticket_id == ticket.id,
                                            Draft.user_id == actor.id))
        inbox_name = conversation.inbox.name
        uow.commit()
        added = MessageAdded(message.id, conversation.id, ticket.id)
        if internal:
            said = _("Note added.") if kind is MessageKind.NOTE else _("Comment added.")
        elif queued is None:
            # Never claim a send that cannot happen.
            said = _("Reply saved; it was not sent because the inbox '{inbox}' is not "
                     "connected to a mailbox.").format(inbox=inbox_name)
        else:
            said = _("Reply queued.")
            added = dataclasses.replace(added, outbox_id=queued.id,
                                        send_after=queued.next_attempt_at)
        if mentioned:
            # Translators: "Note added." + "Alice, Bob notified." -> "Note added; Alice, Bob
            # notified."
            said = ngettext("{done}; {names} notified.", "{done}; {names} notified.",
                            len(mentioned)).format(done=said.rstrip("."),
                                                   names=", ".join(u.name for u in mentioned))
        return OpResult(said, changed_ticket_ids=(ticket.id,), payload=added)


def address_list(value: str | Sequence[str], label: str) -> list[str]:
    """Clean e-mail addresses of a To/Cc field (commas or semicolons between them), once each;
    :class:`InvalidInput` naming the field for a malformed one."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        if "<" in text and text.endswith(">"):  # "Name <address>"
            text = text[text.rindex("<") + 1:-1]
        try:
            address = clean_email(text)
        except InvalidInput:
            raise InvalidInput(_("{label}: '{item}' is not a valid e-mail address.").format(
                                   label=label, item=item.strip())) \
                from None
        if address not in found:
            found.append(address)
    if len(found) > 50:
        raise InvalidInput(_("{label}: at most 50 addresses.").format(label=label))
    return found


def _mentioned_users(session: Session, ticket: Ticket, user_ids: Sequence[int]) -> list[User]:
    """The active agents of ``user_ids`` who can see ``ticket`` (the others are not told)."""
    if not user_ids:
        return []
    users = session.scalars(select(User).where(User.id.in_(set(user_ids)),
                                               User.active.is_(True)).order_by(User.id)).all()
    return [user for user in users if access.can_see(user, ticket)]


def reply(uow: UnitOfWork, ticket_id: int, text: str, conversation_id: int | None = None,
          *, to: str | Sequence[str] | None = None,
          cc: str | Sequence[str] | None = None) -> OpResult[MessageAdded]:
    """Answer the customer in a conversation (default: the ticket's latest one). ``to``
    defaults to the conversation's contact; ``cc`` is stored with the message."""
    return _add_message(uow, ticket_id, text, conversation_id, MessageKind.REPLY, to=to, cc=cc)


def add_note(uow: UnitOfWork, ticket_id: int, text: str,
             conversation_id: int | None = None) -> OpResult[MessageAdded]:
    """Add an internal note, never shown to the customer."""
    return _add_message(uow, ticket_id, text, conversation_id, MessageKind.NOTE)


def add_comment(uow: UnitOfWork, ticket_id: int, text: str, conversation_id: int | None = None,
                *, mention_ids: Sequence[int] = ()) -> OpResult[MessageAdded]:
    """An internal comment; each agent in ``mention_ids`` who can see the ticket is notified,
    whether they follow it or not."""
    return _add_message(uow, ticket_id, text, conversation_id, MessageKind.COMMENT,
                        mention_ids=mention_ids)

