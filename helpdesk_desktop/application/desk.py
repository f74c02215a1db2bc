"""The application facade: every help desk operation for one signed-in user.

The Qt UI and the CLI talk only to :class:`Desk`. It opens one unit of work per call, returns
plain data objects (``services.dto``), and tells subscribers what each write changed so that a
view refreshes only those rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from helpdesk_desktop.application import startup
from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.services import (
    directory,
    listing,
    moving,
    notifications,
    split_merge,
    tickets,
    trash,
    undo,
    unmerge,
)
from helpdesk_desktop.services.dto import (
    BulkResult,
    CompanyInfo,
    ContactInfo,
    ConversationInfo,
    DealInfo,
    Erased,
    InboxInfo,
    MergeDone,
    MessageAdded,
    MoveDone,
    NotificationInfo,
    OpResult,
    Page,
    PageCursor,
    PipelineInfo,
    PropertyEdit,
    Reversal,
    SavedViewInfo,
    SpamDone,
    SplitDone,
    TicketChanges,
    TicketDetail,
    TicketQuery,
    TicketRow,
    UserInfo,
)
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage.database import Database

Listener = Callable[[OpResult[Any]], None]
Progress = Callable[[int, int], None]
R = TypeVar("R", bound=OpResult[Any])


class Desk:
    """Every operation of the help desk, on behalf of ``actor_id``."""

    def __init__(self, database: Database, actor_id: int, clock: Clock = utcnow) -> None:
        self._database = database
        self.actor_id = actor_id
        self.clock = clock
        self._listeners: list[Listener] = []

    # -- plumbing ---------------------------------------------------------------------------

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._database, self.actor_id, self.clock)

    def as_user(self, actor_id: int) -> Desk:
        """The same database, another signed-in user (listeners are not carried over)."""
        return Desk(self._database, actor_id, self.clock)

    @property
    def dialect(self) -> str:
        """The database's dialect name (``sqlite`` or ``postgresql``)."""
        return self._database.dialect

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, result: R, *, remember: bool = True) -> R:
        """Tell the listeners; remember a reversible result as the user's latest undo."""
        if remember and result.reversal is not None:
            undo.record(self._uow(), result.message, result.reversal)
        for listener in list(self._listeners):
            listener(result)
        return result

    # -- the workspace (also before anyone can sign in) --------------------------------------

    def create_workspace(self, admin_name: str, admin_email: str) -> int:
        """Create the first admin, the help desk inbox and the default pipeline."""
        return startup.create_workspace(self._database, admin_name, admin_email)

    def generate_demo(self, tickets: int, progress: Progress | None = None, *,
                      seed: int = 0) -> dict[str, Any]:
        """Add generated demo tickets (and the demo workspace on an empty database)."""
        return startup.generate_demo(self._database, tickets, progress, seed=seed)

    def find_user_id(self, email: str) -> int:
        """The id of the active user with this e-mail address, or ``NotFound``."""
        return directory.find_user_id(self._database, email)

    # -- who and where ----------------------------------------------------------------------

    def me(self) -> UserInfo:
        return directory.current_user(self._uow())

    def users(self) -> list[UserInfo]:
        return directory.list_users(self._uow())

    def pipelines(self) -> list[PipelineInfo]:
        return directory.list_pipelines(self._uow())

    def inboxes(self) -> list[InboxInfo]:
        return directory.list_inboxes(self._uow())

    def search_contacts(self, text: str) -> list[ContactInfo]:
        return directory.search_contacts(self._uow(), text)

    def search_companies(self, text: str) -> list[CompanyInfo]:
        return directory.search_companies(self._uow(), text)

    def search_deals(self, text: str) -> list[DealInfo]:
        return directory.search_deals(self._uow(), text)

    # -- reading ----------------------------------------------------------------------------

    def list_tickets(self, query: TicketQuery, *, limit: int = 50,
                     after: PageCursor | None = None) -> Page:
        return listing.list_tickets(self._uow(), query, limit=limit, after=after)

    def count_tickets(self, query: TicketQuery) -> int:
        return listing.count_tickets(self._uow(), query)

    def matching_ids(self, query: TicketQuery) -> list[int]:
        return listing.matching_ids(self._uow(), query)

    def rows(self, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
        """Fresh rows for these ids (absent: gone from sight)."""
        return listing.get_rows(self._uow(), ticket_ids)

    def rows_in(self, query: TicketQuery, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
        """Fresh rows for those of ``ticket_ids`` that ``query`` matches now."""
        return listing.rows_in(self._uow(), query, ticket_ids)

    def view_counts(self) -> dict[View, int]:
        return listing.view_counts(self._uow())

    def ticket(self, ticket_id: int, *, mark_read: bool = False) -> TicketDetail:
        detail = tickets.get_ticket(self._uow(), ticket_id, mark_read=mark_read)
        if mark_read:
            self._changed(OpResult("", changed_ticket_ids=(detail.id,)))
        return detail

    def conversation_counts(self, ticket_ids: Sequence[int]) -> dict[int, int]:
        """Conversations (not spam) per visible ticket, without reading whole tickets."""
        return tickets.conversation_counts(self._uow(), ticket_ids)

    def attachment_content(self, attachment_id: int) -> tuple[str, bytes]:
        """(file name, bytes) of an attachment on a ticket the user may see."""
        return tickets.get_attachment_content(self._uow(), attachment_id)

    def saved_views(self) -> list[SavedViewInfo]:
        return listing.list_saved_views(self._uow())

    def save_view(self, name: str, query: TicketQuery) -> SavedViewInfo:
        return listing.save_view(self._uow(), name, query)

    def delete_saved_view(self, view_id: int) -> None:
        listing.delete_saved_view(self._uow(), view_id)

    def inbox_conversations(self, inbox_id: int) -> list[ConversationInfo]:
        return moving.list_inbox_conversations(self._uow(), inbox_id)

    def owner_can_see(self, conversation_id: int, owner_id: int | None) -> tuple[bool, str]:
        """Whether ``owner_id`` could see the conversation's ticket once they own it, and if
        not, the sentence saying why (the move dialog's warning)."""
        return moving.owner_can_see(self._uow(), conversation_id, owner_id)

    # -- ticket operations ------------------------------------------------------------------

    def update(self, ticket_id: int, changes: TicketChanges,
               expected_version: int | None = None) -> OpResult[PropertyEdit | None]:
        return self._changed(
            tickets.update_properties(self._uow(), ticket_id, changes, expected_version))

    def update_many(self, ticket_ids: Sequence[int], changes: TicketChanges,
                    progress: Progress | None = None,
                    expected_versions: Mapping[int, int] | None = None) -> BulkResult:
        """One edit on many tickets, one transaction; refusals counted per ticket."""
        return self._changed(tickets.update_many(self._uow(), ticket_ids, changes, progress,
                                                 expected_versions))

    def set_associations(self, ticket_id: int, **changes: Iterable[int]) -> OpResult:
        return self._changed(tickets.set_associations(self._uow(), ticket_id, **changes))

    def follow(self, ticket_ids: Sequence[int]) -> BulkResult:
        return self._changed(tickets.follow(self._uow(), ticket_ids))

    def unfollow(self, ticket_ids: Sequence[int]) -> BulkResult:
        return self._changed(tickets.unfollow(self._uow(), ticket_ids))

    def mark_read(self, ticket_ids: Sequence[int]) -> BulkResult:
        return self._changed(tickets.mark_read(self._uow(), ticket_ids))

    def mark_unread(self, ticket_ids: Sequence[int]) -> BulkResult:
        return self._changed(tickets.mark_unread(self._uow(), ticket_ids))

    def reply(self, ticket_id: int, text: str,
              conversation_id: int | None = None) -> OpResult[MessageAdded]:
        return self._changed(tickets.reply(self._uow(), ticket_id, text, conversation_id))

    def add_note(self, ticket_id: int, text: str,
                 conversation_id: int | None = None) -> OpResult[MessageAdded]:
        return self._changed(tickets.add_note(self._uow(), ticket_id, text, conversation_id))

    def split(self, ticket_id: int, message_ids: Sequence[int],
              **details: Any) -> OpResult[SplitDone]:
        return self._changed(split_merge.split_ticket(self._uow(), ticket_id, message_ids,
                                                      **details))

    def merge(self, primary_id: int, secondary_id: int) -> OpResult[MergeDone]:
        return self._changed(split_merge.merge_tickets(self._uow(), primary_id, secondary_id))

    def unmerge(self, merged_id: int) -> OpResult[MergeDone]:
        """Undo the merge of ``merged_id`` (super admins; refused once activity touched it)."""
        return self._changed(unmerge.unmerge(self._uow(), merged_id))

    def move_conversation(self, conversation_id: int, to_inbox_id: int,
                          **options: Any) -> OpResult[MoveDone]:
        return self._changed(moving.move_conversation(self._uow(), conversation_id, to_inbox_id,
                                                      **options))

    def move_many(self, conversation_ids: Sequence[int], to_inbox_id: int,
                  **options: Any) -> BulkResult:
        """Move many conversations in one transaction; refusals counted per conversation."""
        return self._changed(moving.move_many(self._uow(), conversation_ids, to_inbox_id,
                                              **options))

    def mark_spam(self, ticket_id: int,
                  conversation_ids: Sequence[int] | None = None) -> OpResult[SpamDone]:
        return self._changed(trash.mark_spam(self._uow(), ticket_id, conversation_ids))

    def mark_spam_many(self, ticket_ids: Sequence[int],
                       progress: Progress | None = None) -> BulkResult:
        return self._changed(trash.mark_spam_many(self._uow(), ticket_ids, progress))

    def not_spam(self, ticket_id: int) -> OpResult:
        return self._changed(trash.not_spam(self._uow(), ticket_id))

    def not_spam_many(self, ticket_ids: Sequence[int],
                      progress: Progress | None = None) -> BulkResult:
        return self._changed(trash.not_spam_many(self._uow(), ticket_ids, progress))

    def deletion_summary(self, ticket_ids: Sequence[int]) -> tuple[int, int]:
        """(tickets, conversations) that deleting ``ticket_ids`` would remove."""
        return trash.deletion_summary(self._uow(), ticket_ids)

    def delete(self, ticket_ids: Sequence[int], confirm_count: int,
               progress: Progress | None = None) -> OpResult:
        return self._changed(trash.delete_tickets(self._uow(), ticket_ids, confirm_count,
                                                  progress=progress))

    def restore(self, ticket_ids: Sequence[int],
                progress: Progress | None = None) -> BulkResult:
        return self._changed(trash.restore_tickets(self._uow(), ticket_ids, progress))

    def delete_permanently(self, ticket_ids: Sequence[int]) -> OpResult[Erased]:
        return self._changed(trash.delete_permanently(self._uow(), ticket_ids))

    def purge(self) -> OpResult[Erased]:
        return self._changed(trash.purge(self._uow()))

    # -- undo -------------------------------------------------------------------------------

    def undo(self, reversal: Reversal, progress: Progress | None = None) -> OpResult[Any]:
        """Apply ``reversal`` (from an earlier result); its result's reversal redoes it."""
        result = undo.apply(self._uow(), reversal, progress)
        undo.mark_undone(self._uow(), reversal)
        return self._changed(result, remember=False)

    def undo_last(self) -> OpResult[Any]:
        """Undo the signed-in user's latest reversible operation (from any window or process)."""
        return self._changed(undo.undo_last(self._uow()), remember=False)

    # -- notifications ----------------------------------------------------------------------

    def notifications(self, *, limit: int = 50, unread_only: bool = False
                      ) -> list[NotificationInfo]:
        return notifications.list_notifications(self._uow(), limit=limit, unread_only=unread_only)

    def unread_notification_count(self) -> int:
        return notifications.unread_count(self._uow())

    def mark_notifications_read(self, notification_ids: Sequence[int] | None = None) -> int:
        return notifications.mark_read(self._uow(), notification_ids)

    def set_record_update_notifications(self, enabled: bool) -> None:
        notifications.set_preference(self._uow(), enabled)
