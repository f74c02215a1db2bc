"""The application facade: every help desk operation for one signed-in user.

The Qt UI and the CLI talk only to :class:`Desk`. It opens one unit of work per call, returns
plain data objects (``services.dto``), and tells subscribers what each write changed so that a
view refreshes only those rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from helpdesk_desktop.application import upkeep
from helpdesk_desktop.domain.clock import Clock, utcnow
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.services import (
    directory,
    integrity,
    listing,
    moving,
    notifications,
    split_merge,
    tickets,
    trash,
)
from helpdesk_desktop.services import export as ticket_export
from helpdesk_desktop.services.dto import (
    CompanyInfo,
    ContactInfo,
    DealInfo,
    ConversationInfo,
    InboxInfo,
    NotificationInfo,
    OpResult,
    Page,
    PageCursor,
    PipelineInfo,
    SavedViewInfo,
    TicketDetail,
    TicketQuery,
    TicketRow,
    UserInfo,
)
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.storage import backups as backup_store
from helpdesk_desktop.storage.database import Database

Listener = Callable[[OpResult], None]


class Desk:
    """Every operation of the help desk, on behalf of ``actor_id``."""

    def __init__(self, database: Database, actor_id: int, clock: Clock = utcnow) -> None:
        self.database = database
        self.actor_id = actor_id
        self.clock = clock
        self.safety_backups = True  # a backup before permanent deletion (SQLite)
        self._listeners: list[Listener] = []

    # -- plumbing ---------------------------------------------------------------------------

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database, self.actor_id, self.clock)

    def as_user(self, actor_id: int) -> Desk:
        """The same database, another signed-in user (listeners are not carried over)."""
        return Desk(self.database, actor_id, self.clock)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, result: OpResult) -> OpResult:
        for listener in list(self._listeners):
            listener(result)
        return result

    # -- who and where ----------------------------------------------------------------------

    def me(self) -> UserInfo:
        return directory.current_user(self.uow())

    def users(self) -> list[UserInfo]:
        return directory.list_users(self.uow())

    def pipelines(self) -> list[PipelineInfo]:
        return directory.list_pipelines(self.uow())

    def inboxes(self) -> list[InboxInfo]:
        return directory.list_inboxes(self.uow())

    def search_contacts(self, text: str) -> list[ContactInfo]:
        return directory.search_contacts(self.uow(), text)

    def search_companies(self, text: str) -> list[CompanyInfo]:
        return directory.search_companies(self.uow(), text)

    def search_deals(self, text: str) -> list[DealInfo]:
        return directory.search_deals(self.uow(), text)

    # -- reading ----------------------------------------------------------------------------

    def list_tickets(self, query: TicketQuery, *, limit: int = 50,
                     after: PageCursor | None = None) -> Page:
        return listing.list_tickets(self.uow(), query, limit=limit, after=after)

    def count_tickets(self, query: TicketQuery) -> int:
        return listing.count_tickets(self.uow(), query)

    def matching_ids(self, query: TicketQuery) -> list[int]:
        return listing.matching_ids(self.uow(), query)

    def rows(self, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
        """Fresh rows for these ids (absent: gone from sight)."""
        return listing.get_rows(self.uow(), ticket_ids)

    def view_counts(self) -> dict[View, int]:
        return listing.view_counts(self.uow())

    def ticket(self, ticket_id: int, *, mark_read: bool = False) -> TicketDetail:
        detail = tickets.get_ticket(self.uow(), ticket_id, mark_read=mark_read)
        if mark_read:
            self._changed(OpResult("", changed_ticket_ids=(detail.id,)))
        return detail

    def attachment_content(self, attachment_id: int) -> tuple[str, bytes]:
        """(file name, bytes) of an attachment on a ticket the user may see."""
        return tickets.get_attachment_content(self.uow(), attachment_id)

    def saved_views(self) -> list[SavedViewInfo]:
        return listing.list_saved_views(self.uow())

    def save_view(self, name: str, query: TicketQuery) -> SavedViewInfo:
        return listing.save_view(self.uow(), name, query)

    def delete_saved_view(self, view_id: int) -> None:
        listing.delete_saved_view(self.uow(), view_id)

    def inbox_conversations(self, inbox_id: int) -> list[ConversationInfo]:
        return moving.list_inbox_conversations(self.uow(), inbox_id)

    def owner_can_see(self, conversation_id: int, owner_id: int | None) -> tuple[bool, str]:
        """Whether ``owner_id`` could see the conversation's ticket once they own it, and if
        not, the sentence saying why (the move dialog's warning)."""
        return moving.owner_can_see(self.uow(), conversation_id, owner_id)

    # -- ticket operations ------------------------------------------------------------------

    def update(self, ticket_id: int, changes: dict[str, Any],
               expected_version: int | None = None) -> OpResult:
        return self._changed(
            tickets.update_properties(self.uow(), ticket_id, changes, expected_version))

    def set_associations(self, ticket_id: int, **changes: Iterable[int]) -> OpResult:
        return self._changed(tickets.set_associations(self.uow(), ticket_id, **changes))

    def follow(self, ticket_ids: Sequence[int]) -> OpResult:
        return self._changed(tickets.follow(self.uow(), ticket_ids))

    def unfollow(self, ticket_ids: Sequence[int]) -> OpResult:
        return self._changed(tickets.unfollow(self.uow(), ticket_ids))

    def mark_read(self, ticket_ids: Sequence[int]) -> OpResult:
        return self._changed(tickets.mark_read(self.uow(), ticket_ids))

    def mark_unread(self, ticket_ids: Sequence[int]) -> OpResult:
        return self._changed(tickets.mark_unread(self.uow(), ticket_ids))

    def reply(self, ticket_id: int, text: str, conversation_id: int | None = None) -> OpResult:
        return self._changed(tickets.reply(self.uow(), ticket_id, text, conversation_id))

    def add_note(self, ticket_id: int, text: str, conversation_id: int | None = None) -> OpResult:
        return self._changed(tickets.add_note(self.uow(), ticket_id, text, conversation_id))

    def split(self, ticket_id: int, message_ids: Sequence[int], **details: Any) -> OpResult:
        return self._changed(split_merge.split_ticket(self.uow(), ticket_id, message_ids,
                                                      **details))

    def merge(self, primary_id: int, secondary_id: int) -> OpResult:
        return self._changed(split_merge.merge_tickets(self.uow(), primary_id, secondary_id))

    def move_conversation(self, conversation_id: int, to_inbox_id: int, **options: Any) -> OpResult:
        return self._changed(moving.move_conversation(self.uow(), conversation_id, to_inbox_id,
                                                      **options))

    def mark_spam(self, ticket_id: int, conversation_ids: Sequence[int] | None = None) -> OpResult:
        return self._changed(trash.mark_spam(self.uow(), ticket_id, conversation_ids))

    def not_spam(self, ticket_id: int) -> OpResult:
        return self._changed(trash.not_spam(self.uow(), ticket_id))

    def deletion_summary(self, ticket_ids: Sequence[int]) -> tuple[int, int]:
        """(tickets, conversations) that deleting ``ticket_ids`` would remove."""
        return trash.deletion_summary(self.uow(), ticket_ids)

    def delete(self, ticket_ids: Sequence[int], confirm_count: int,
               progress: Callable[[int, int], None] | None = None) -> OpResult:
        return self._changed(trash.delete_tickets(self.uow(), ticket_ids, confirm_count,
                                                  progress=progress))

    def restore(self, ticket_ids: Sequence[int]) -> OpResult:
        return self._changed(trash.restore_tickets(self.uow(), ticket_ids))

    def delete_permanently(self, ticket_ids: Sequence[int]) -> OpResult:
        self._back_up_before("before-delete")
        return self._changed(trash.delete_permanently(self.uow(), ticket_ids))

    def purge(self) -> OpResult:
        self._back_up_before("before-delete")
        return self._changed(trash.purge(self.uow()))

    def _back_up_before(self, kind: str) -> None:
        """Risky work on an embedded database starts with a backup (refused if it fails)."""
        if self.safety_backups and self.database.path is not None:
            backup_store.back_up(self.database, kind)

    # -- notifications ----------------------------------------------------------------------

    def notifications(self, *, limit: int = 50, unread_only: bool = False
                      ) -> list[NotificationInfo]:
        return notifications.list_notifications(self.uow(), limit=limit, unread_only=unread_only)

    def unread_notification_count(self) -> int:
        return notifications.unread_count(self.uow())

    def mark_notifications_read(self, notification_ids: Sequence[int] | None = None) -> int:
        return notifications.mark_read(self.uow(), notification_ids)

    def set_record_update_notifications(self, enabled: bool) -> None:
        notifications.set_preference(self.uow(), enabled)

    # -- safety: check, backups, export -----------------------------------------------------

    def check(self, *, repair: bool = False) -> integrity.CheckReport:
        """The database's integrity and the program's invariants (``repair``: fix what can
        be fixed)."""
        return integrity.check_database(self.database, repair=repair)

    def back_up(self, kind: str = "manual") -> Path:
        """A verified backup of the (SQLite) database in its backups folder."""
        return backup_store.back_up(self.database, kind)

    def backup_folder(self) -> Path | None:
        """Where the backups of the (SQLite) database go; ``None`` on PostgreSQL."""
        path = self.database.path
        return backup_store.backup_dir(path) if path is not None else None

    def list_backups(self) -> list[backup_store.Backup]:
        path = self.database.path
        return backup_store.list_backups(path) if path is not None else []

    def restore_backup(self, file: Path,
                       progress: Callable[[int, int], None] | None = None) -> Path:
        """Replace the database's content with a verified backup; returns the backup taken
        of the current content first. Reopen the database afterwards."""
        path = self.database.path
        if path is None:
            raise InvalidInput(backup_store.PG_SENTENCE)
        return backup_store.restore(path, file, progress)

    def export(self, fmt: str, target: Path, *, overwrite: bool = False,
               progress: Callable[[int, int], None] | None = None
               ) -> ticket_export.ExportSummary:
        """Every ticket this user may see, with messages, notes and attachments."""
        return ticket_export.export(self.uow(), fmt, target, overwrite=overwrite,
                                    progress=progress)

    def daily_upkeep(self) -> upkeep.UpkeepReport:
        """The day's backup (if due), then the scheduled 90-day purge."""
        report = upkeep.daily_upkeep(self.database)
        if report.purge is not None:
            self._changed(report.purge)
        return report
