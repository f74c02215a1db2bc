"""The application facade: every help desk operation for one signed-in user.

The Qt UI and the CLI talk only to :class:`Desk`. It opens one unit of work per call, returns
plain data objects (``services.dto``), and tells subscribers what each write changed so that a
view refreshes only those rows. Its plumbing (units of work, listeners) is ``desk_base.py``,
its mail (accounts, fetching, the outbox) ``desk_mail.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk_desktop.application import lazy, startup
from helpdesk_desktop.application.desk_base import Progress
from helpdesk_desktop.application.desk_mail import MailDesk
from helpdesk_desktop.domain.enums import View
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.services.dto import (
    BoardPage,
    BulkResult,
    OpResult,
    Page,
    PageCursor,
    PipelineInfo,
    SavedViewInfo,
    Slice,
    TicketChanges,
    TicketQuery,
    TicketRow,
    UserInfo,
)

if TYPE_CHECKING:
    # What only the window's rarer operations need (mail servers, mail files, trash, undo,
    # backups, export) is imported by the method that uses it: a command or the window's
    # first page does not pay for them (docs/PERFORMANCE.md, "start-up").
    from helpdesk_desktop.application import upkeep
    from helpdesk_desktop.services import (
        board,
        board_columns,
        branding,
        composing,
        directory,
        first_board,
        first_page,
        integrity,
        list_counts,
        listing,
        notifications,
        preferences,
        replies,
        saved_views,
        sender_rules,
        set_aside,
        thread_pages,
        ticket_edits,
        ticket_open,
        tickets,
    )
    from helpdesk_desktop.services import export as ticket_export
    from helpdesk_desktop.services import uow as _uow_module
    from helpdesk_desktop.services.dto import (  # the data objects of services.dto_later
        BrandingInfo,
        CompanyInfo,
        ContactInfo,
        ConversationInfo,
        DealInfo,
        DeletionSummary,
        DraftInfo,
        Erased,
        InboxInfo,
        MergeDone,
        MessageAdded,
        MessageInfo,
        MoveDone,
        NotificationInfo,
        OpenedTicket,
        PropertyEdit,
        Reversal,
        SenderRuleInfo,
        SetAsideInfo,
        SpamDone,
        SplitDone,
        TicketDetail,
    )
    from helpdesk_desktop.services.intake import IngestOutcome
    from helpdesk_desktop.storage import backups as backup_store
else:
    # Imported on first use (application/lazy.py): the window's first frame needs none.
    board = lazy.module("helpdesk_desktop.services.board")
    board_columns = lazy.module("helpdesk_desktop.services.board_columns")
    branding = lazy.module("helpdesk_desktop.services.branding")
    composing = lazy.module("helpdesk_desktop.services.composing")
    directory = lazy.module("helpdesk_desktop.services.directory")
    first_board = lazy.module("helpdesk_desktop.services.first_board")
    first_page = lazy.module("helpdesk_desktop.services.first_page")
    list_counts = lazy.module("helpdesk_desktop.services.list_counts")
    listing = lazy.module("helpdesk_desktop.services.listing")
    notifications = lazy.module("helpdesk_desktop.services.notifications")
    preferences = lazy.module("helpdesk_desktop.services.preferences")
    replies = lazy.module("helpdesk_desktop.services.replies")
    saved_views = lazy.module("helpdesk_desktop.services.saved_views")
    sender_rules = lazy.module("helpdesk_desktop.services.sender_rules")
    set_aside = lazy.module("helpdesk_desktop.services.set_aside")
    thread_pages = lazy.module("helpdesk_desktop.services.thread_pages")
    ticket_edits = lazy.module("helpdesk_desktop.services.ticket_edits")
    ticket_open = lazy.module("helpdesk_desktop.services.ticket_open")
    tickets = lazy.module("helpdesk_desktop.services.tickets")
    _uow_module = lazy.module("helpdesk_desktop.services.uow")


class Desk(MailDesk):
    """Every operation of the help desk, on behalf of ``actor_id``."""

    # -- plumbing ---------------------------------------------------------------------------

    def as_user(self, actor_id: int) -> Desk:
        """The same database, another signed-in user (listeners are not carried over)."""
        return Desk(self._database, actor_id, self.clock)

    def needs_warm_up(self) -> bool:
        """Whether the services and the mapped classes are still to be imported (the window's
        first frame was read without them: ``services.first_page``)."""
        return not startup.orm_loaded()

    def warm_up(self) -> None:
        """Import the services the window's reads use, with the mapped classes and their
        mapper configuration (``list_rows``' module-level aliases configure the mappers):
        ~0.1 s of CPU, which the window spends off the UI thread after its first frame,
        before the other reads it starts then. A database opened without its engine (on
        PostgreSQL, ``storage.start_connection``) gets it here too."""
        self._database.warm_up()
        for service in (listing, list_counts, board, directory, saved_views, ticket_open,
                        tickets, notifications, preferences, _uow_module):
            lazy.load(service)

    # -- the workspace (also before anyone can sign in) --------------------------------------

    def create_workspace(self, admin_name: str, admin_email: str) -> int:
        """Create the first admin, the help desk inbox and the default pipeline."""
        return startup.create_workspace(self._database, admin_name, admin_email)

    def generate_demo(self, tickets: int, progress: Progress | None = None, *,
                      seed: int = 0) -> dict[str, Any]:
        """Add generated demo tickets (and the demo workspace on an empty database)."""
        return startup.generate_demo(self._database, tickets, progress, seed=seed)

    def interrupted_demo(self) -> dict[str, int] | None:
        """An unfinished demo build ({"tickets", "seed", "done"}), or ``None``."""
        return startup.interrupted_demo(self._database)

    def finish_demo(self, progress: Progress | None = None) -> dict[str, Any] | None:
        """Complete an interrupted demo build; ``None`` when there was none."""
        return startup.finish_demo(self._database, progress)

    def find_user_id(self, email: str) -> int:
        """The id of the active user with this e-mail address, or ``NotFound``."""
        return directory.find_user_id(self._database, email)

    # -- who and where ----------------------------------------------------------------------

    def me(self) -> UserInfo:
        if not startup.orm_loaded():  # the window's first frame (services/first_page.py)
            found = first_page.read_user(self._database, self.actor_id)
            if found is not None:
                return found
        return directory.current_user(self._uow())

    def users(self) -> list[UserInfo]:
        return directory.list_users(self._uow())

    def pipelines(self) -> list[PipelineInfo]:
        if not startup.orm_loaded():  # a window opening on its board (services/first_board.py)
            found = first_board.read_pipelines(self._database, self.actor_id)
            if found is not None:
                return found
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
        if not startup.orm_loaded() and first_page.handles(query, after):
            page = first_page.read_page(self._database, self.actor_id, query, limit)
            if page is not None:
                return page
        return listing.list_tickets(self._uow(), query, limit=limit, after=after)

    def list_slice(self, query: TicketQuery, *, after: PageCursor | None = None,
                   backward: bool = False, skip: int = 0, limit: int = 100) -> Slice:
        """Rows next to a known row, either way (see ``listing.list_slice``)."""
        return listing.list_slice(self._uow(), query, after=after, backward=backward,
                                  skip=skip, limit=limit)

    def count_tickets(self, query: TicketQuery, stop: Callable[[], bool] | None = None) -> int:
        """How many tickets ``query`` matches; ``stop()``: the answer is no longer wanted
        (the count may then end early with ``Stopped``)."""
        return list_counts.count_tickets(self._uow(), query, stop)

    def matching_ids(self, query: TicketQuery) -> list[int]:
        return listing.matching_ids(self._uow(), query)

    def rows(self, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
        """Fresh rows for these ids (absent: gone from sight)."""
        return listing.get_rows(self._uow(), ticket_ids)

    def rows_in(self, query: TicketQuery, ticket_ids: Sequence[int]) -> dict[int, TicketRow]:
        """Fresh rows for those of ``ticket_ids`` that ``query`` matches now."""
        return listing.rows_in(self._uow(), query, ticket_ids)

    def view_counts(self) -> dict[View, int]:
        return list_counts.view_counts(self._uow())

    def ticket(self, ticket_id: int, *, mark_read: bool = False,
               first_messages: int | None = None,
               last_messages: int | None = None) -> TicketDetail:
        """One ticket; ``first_messages``: only the oldest messages of each conversation and no
        activity (the start of a long ticket, fast); ``last_messages``: only the newest of
        each conversation (the rest with :meth:`earlier_messages`)."""
        detail = tickets.get_ticket(self._uow(), ticket_id, mark_read=mark_read,
                                    first_messages=first_messages,
                                    last_messages=last_messages)
        if mark_read:
            self._changed(OpResult("", changed_ticket_ids=(detail.id,)))
        return detail

    def open_ticket(self, ticket_id: int, *,
                    last_messages: int | None = None) -> OpenedTicket:
        """Everything the ticket view shows when it opens a ticket, in one read (nothing is
        marked read: :meth:`mark_opened_read`); ``last_messages``: the newest of each
        conversation (default ``ticket_open.OPEN_MESSAGES``)."""
        return ticket_open.open_ticket(
            self._uow(), ticket_id, last_messages=(ticket_open.OPEN_MESSAGES
                                                   if last_messages is None else last_messages))

    def mark_opened_read(self, ticket_id: int, seen_activity_at: dt.datetime) -> OpResult:
        """Mark an opened ticket read for this user, as of the activity the view showed."""
        result = ticket_open.mark_opened_read(self._uow(), ticket_id, seen_activity_at)
        return self._changed(result) if result.changed_ticket_ids else result

    def board(self, query: TicketQuery, pipeline_id: int, *,
              limit: int | None = None) -> BoardPage:
        """The first cards of every column of a pipeline's board (``limit`` each, default
        ``board_columns.BOARD_CARDS``), and the counts the counter rows answer, in one read."""
        limit = board_columns.BOARD_CARDS if limit is None else limit
        if not startup.orm_loaded():  # a window opening on its board (services/first_board.py)
            page = first_board.read_board(self._database, self.actor_id, query, pipeline_id,
                                          limit)
            if page is not None:
                return page
        return board.read_board(self._uow(), query, pipeline_id, limit=limit)

    def board_counts(self, query: TicketQuery, pipeline_id: int) -> dict[int, int]:
        """How many tickets each column of a pipeline's board holds (status id → count)."""
        return board.board_counts(self._uow(), query, pipeline_id)

    def earlier_messages(self, conversation_id: int, before_message_id: int,
                         limit: int) -> tuple[MessageInfo, ...]:
        """Up to ``limit`` messages of a conversation just older than one shown, oldest
        first."""
        return thread_pages.earlier_messages(self._uow(), conversation_id,
                                             before_message_id, limit)

    def conversation_counts(self, ticket_ids: Sequence[int]) -> dict[int, int]:
        """Conversations (not spam) per visible ticket, without reading whole tickets."""
        return tickets.conversation_counts(self._uow(), ticket_ids)

    def attachment_content(self, attachment_id: int) -> tuple[str, bytes]:
        """(file name, bytes) of an attachment on a ticket the user may see."""
        return tickets.get_attachment_content(self._uow(), attachment_id)

    def inline_image(self, message_id: int, content_id: str) -> bytes | None:
        """The bytes behind a ``cid:`` image of a message the user may see (None: none)."""
        return tickets.get_inline_image(self._uow(), message_id, content_id)

    def saved_views(self) -> list[SavedViewInfo]:
        if not startup.orm_loaded():
            found = first_page.read_saved_views(self._database, self.actor_id)
            if found is not None:
                return found
        return saved_views.list_saved_views(self._uow())

    def save_view(self, name: str, query: TicketQuery) -> SavedViewInfo:
        return saved_views.save_view(self._uow(), name, query)

    def delete_saved_view(self, view_id: int) -> None:
        saved_views.delete_saved_view(self._uow(), view_id)

    def inbox_conversations(self, inbox_id: int) -> list[ConversationInfo]:
        from helpdesk_desktop.services import moving
        return moving.list_inbox_conversations(self._uow(), inbox_id)

    def owner_can_see(self, conversation_id: int, owner_id: int | None) -> tuple[bool, str]:
        """Whether ``owner_id`` could see the conversation's ticket once they own it, and if
        not, the sentence saying why (the move dialog's warning)."""
        from helpdesk_desktop.services import moving
        return moving.owner_can_see(self._uow(), conversation_id, owner_id)

    # -- ticket operations ------------------------------------------------------------------

    def update(self, ticket_id: int, changes: TicketChanges,
               expected_version: int | None = None) -> OpResult[PropertyEdit | None]:
        uow = self._journaled()
        return self._changed(
            ticket_edits.update_properties(uow, ticket_id, changes, expected_version), uow=uow)

    def update_many(self, ticket_ids: Sequence[int], changes: TicketChanges,
                    progress: Progress | None = None,
                    expected_versions: Mapping[int, int] | None = None) -> BulkResult:
        """One edit on many tickets, one transaction; refusals counted per ticket."""
        uow = self._journaled()
        return self._changed(ticket_edits.update_many(uow, ticket_ids, changes, progress,
                                                      expected_versions), uow=uow)

    def set_associations(self, ticket_id: int, **changes: Iterable[int]) -> OpResult:
        return self._changed(ticket_edits.set_associations(self._uow(), ticket_id, **changes))

    def follow(self, ticket_ids: Sequence[int]) -> BulkResult:
        uow = self._journaled()
        return self._changed(tickets.follow(uow, ticket_ids), uow=uow)

    def unfollow(self, ticket_ids: Sequence[int]) -> BulkResult:
        uow = self._journaled()
        return self._changed(tickets.unfollow(uow, ticket_ids), uow=uow)

    def mark_read(self, ticket_ids: Sequence[int]) -> BulkResult:
        uow = self._journaled()
        return self._changed(tickets.mark_read(uow, ticket_ids), uow=uow)

    def mark_unread(self, ticket_ids: Sequence[int]) -> BulkResult:
        uow = self._journaled()
        return self._changed(tickets.mark_unread(uow, ticket_ids), uow=uow)

    def reply(self, ticket_id: int, text: str, conversation_id: int | None = None, *,
              to: str | Sequence[str] | None = None,
              cc: str | Sequence[str] | None = None) -> OpResult[MessageAdded]:
        """Store a reply to the customer (``to`` defaults to the conversation's contact) and queue
        it for sending (``payload.outbox_id``; Undo: cancel it with :meth:`cancel_outgoing`
        before ``payload.send_after``)."""
        return self._changed(replies.reply(self._uow(), ticket_id, text, conversation_id,
                                           to=to, cc=cc))

    def add_comment(self, ticket_id: int, text: str, conversation_id: int | None = None, *,
                    mention_ids: Sequence[int] = ()) -> OpResult[MessageAdded]:
        """An internal comment; the agents in ``mention_ids`` are notified."""
        return self._changed(replies.add_comment(self._uow(), ticket_id, text, conversation_id,
                                                 mention_ids=mention_ids))

    def draft(self, ticket_id: int) -> DraftInfo | None:
        return composing.get_draft(self._uow(), ticket_id)

    def save_draft(self, ticket_id: int, mode: str, body: str, to: str = "",
                   cc: str = "") -> None:
        """Keep the composer's text (a blank body drops the draft)."""
        composing.save_draft(self._uow(), ticket_id, mode, body, to, cc)

    def discard_draft(self, ticket_id: int) -> None:
        composing.discard_draft(self._uow(), ticket_id)

    def latest_customer_message_id(self, ticket_id: int) -> int | None:
        return composing.latest_customer_message_id(self._uow(), ticket_id)

    def signature(self) -> str:
        return composing.get_signature(self._uow())

    def set_signature(self, text: str, *, record_updates: bool | None = None) -> None:
        """The signature below the user's replies (with the notification preference, when
        given, in the same transaction)."""
        composing.set_signature(self._uow(), text, record_updates=record_updates)

    def add_note(self, ticket_id: int, text: str,
                 conversation_id: int | None = None) -> OpResult[MessageAdded]:
        return self._changed(replies.add_note(self._uow(), ticket_id, text, conversation_id))

    def split(self, ticket_id: int, message_ids: Sequence[int],
              **details: Any) -> OpResult[SplitDone]:
        from helpdesk_desktop.services import split_merge
        return self._changed(split_merge.split_ticket(self._uow(), ticket_id, message_ids,
                                                      **details))

    def merge(self, primary_id: int, secondary_id: int) -> OpResult[MergeDone]:
        from helpdesk_desktop.services import split_merge
        uow = self._journaled()
        return self._changed(split_merge.merge_tickets(uow, primary_id, secondary_id), uow=uow)

    def unmerge(self, merged_id: int) -> OpResult[MergeDone]:
        """Undo the merge of ``merged_id`` (super admins; refused once activity touched it)."""
        from helpdesk_desktop.services import unmerge
        uow = self._journaled()
        return self._changed(unmerge.unmerge(uow, merged_id), uow=uow)

    def move_conversation(self, conversation_id: int, to_inbox_id: int,
                          **options: Any) -> OpResult[MoveDone]:
        from helpdesk_desktop.services import moving
        uow = self._journaled()
        return self._changed(moving.move_conversation(uow, conversation_id, to_inbox_id,
                                                      **options), uow=uow)

    def move_many(self, conversation_ids: Sequence[int], to_inbox_id: int,
                  **options: Any) -> BulkResult:
        """Move many conversations in one transaction; refusals counted per conversation."""
        from helpdesk_desktop.services import moving
        uow = self._journaled()
        return self._changed(moving.move_many(uow, conversation_ids, to_inbox_id, **options),
                             uow=uow)

    def help_desk_conversation_ids(self, ticket_ids: Sequence[int]) -> list[int]:
        """The conversations of these tickets that are in the help desk (what a bulk move
        out of the help desk moves)."""
        from helpdesk_desktop.services import moving
        return moving.help_desk_conversation_ids(self._uow(), ticket_ids)

    def mark_spam(self, ticket_id: int,
                  conversation_ids: Sequence[int] | None = None) -> OpResult[SpamDone]:
        from helpdesk_desktop.services import trash
        uow = self._journaled()
        return self._changed(trash.mark_spam(uow, ticket_id, conversation_ids), uow=uow)

    def mark_spam_many(self, ticket_ids: Sequence[int],
                       progress: Progress | None = None) -> BulkResult:
        from helpdesk_desktop.services import trash
        uow = self._journaled()
        return self._changed(trash.mark_spam_many(uow, ticket_ids, progress), uow=uow)

    def not_spam(self, ticket_id: int) -> OpResult:
        from helpdesk_desktop.services import trash
        uow = self._journaled()
        return self._changed(trash.not_spam(uow, ticket_id), uow=uow)

    def not_spam_many(self, ticket_ids: Sequence[int],
                      progress: Progress | None = None) -> BulkResult:
        from helpdesk_desktop.services import trash
        uow = self._journaled()
        return self._changed(trash.not_spam_many(uow, ticket_ids, progress), uow=uow)

    def deletion_summary(self, ticket_ids: Sequence[int], *,
                         permanent: bool = False) -> DeletionSummary:
        """The tickets and conversations that deleting ``ticket_ids`` (``permanent``: for
        good) would remove — only the tickets that can be deleted — and the refusal of each
        other one."""
        from helpdesk_desktop.services import trash
        return trash.deletion_summary(self._uow(), ticket_ids, permanent=permanent)

    def delete(self, ticket_ids: Sequence[int], confirm_count: int,
               progress: Progress | None = None) -> BulkResult:
        """Move the live tickets to the trash, one transaction; refusals counted per ticket
        (``confirm_count``: the number that will be deleted, as :meth:`deletion_summary` says)."""
        from helpdesk_desktop.services import trash
        uow = self._journaled()
        return self._changed(trash.delete_tickets(uow, ticket_ids, confirm_count,
                                                  progress=progress), uow=uow)

    def restore(self, ticket_ids: Sequence[int],
                progress: Progress | None = None) -> BulkResult:
        from helpdesk_desktop.services import trash
        uow = self._journaled()
        return self._changed(trash.restore_tickets(uow, ticket_ids, progress), uow=uow)

    def delete_permanently(self, ticket_ids: Sequence[int]) -> OpResult[Erased]:
        """Erase tickets of the trash or the spam; refusals counted per ticket
        (``payload.refusals``)."""
        from helpdesk_desktop.services import trash
        self._back_up_before("before-delete")
        return self._changed(trash.delete_permanently(self._uow(), ticket_ids))

    def purge(self) -> OpResult[Erased]:
        from helpdesk_desktop.services import trash
        self._back_up_before("before-delete")
        return self._changed(trash.purge(self._uow()))

    # -- undo -------------------------------------------------------------------------------

    def undo(self, reversal: Reversal, progress: Progress | None = None) -> OpResult[Any]:
        """Apply ``reversal`` (from an earlier result); its result's reversal redoes it."""
        from helpdesk_desktop.services import undo
        # The journal's entry is marked undone in the undo's own transaction.
        result = undo.apply_marking_undone(self._uow(), reversal, progress)
        return self._changed(result, remember=False)

    def undo_last(self) -> OpResult[Any]:
        """Undo the signed-in user's latest reversible operation (from any window or process)."""
        from helpdesk_desktop.services import undo
        return self._changed(undo.undo_last(self._uow()), remember=False)

    # -- workspace branding (transcripts) ----------------------------------------------------

    def branding(self) -> BrandingInfo:
        return branding.branding(self._uow())

    def transcript_branding(self) -> tuple[str, bytes | None]:
        """The company name and logo a transcript prints at its top."""
        found = branding.branding(self._uow())
        return found.company_name, found.logo

    def set_branding(self, *, company_name: str | None = None, logo: bytes | None = None,
                     clear_logo: bool = False) -> OpResult:
        return self._changed(branding.set_branding(self._uow(), company_name=company_name,
                                                   logo=logo, clear_logo=clear_logo))
    # -- mail intake ------------------------------------------------------------------------

    def import_mail(self, paths: Sequence[str | os.PathLike[str]], inbox_id: int | None = None,
                    *, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> list[IngestOutcome]:
        """Import ``.eml`` files, mboxes and Maildirs into an inbox (default: the help desk);
        the outcome of every message. Each message is its own transaction."""
        from helpdesk_desktop.services import mail_import
        directory.current_user(self._uow())  # only a signed-in agent imports
        target = inbox_id if inbox_id is not None else mail_import.default_inbox_id(self._uow())
        outcomes = mail_import.import_mail(
            lambda: _uow_module.UnitOfWork(self._database, None, self.clock), target, paths,
            progress=progress, cancelled=cancelled)
        self._changed(mail_import.op_result(outcomes))
        return outcomes

    def set_aside_mail(self, *, limit: int = 100) -> list[SetAsideInfo]:
        """Mail intake kept aside (refused or skipped), newest first (account access)."""
        return set_aside.list_set_aside(self._uow(), limit=limit)

    def set_aside_raw(self, item_id: int) -> bytes:
        return set_aside.raw_set_aside(self._uow(), item_id)

    def sender_rules(self, inbox_id: int) -> list[SenderRuleInfo]:
        return sender_rules.list_rules(self._uow(), inbox_id)

    def set_sender_rule(self, inbox_id: int, pattern: str, *, allow: bool) -> SenderRuleInfo:
        """Allow or deny a sender address or domain in an inbox (account access)."""
        return sender_rules.set_rule(self._uow(), inbox_id, pattern, allow=allow)

    def remove_sender_rule(self, inbox_id: int, pattern: str) -> None:
        sender_rules.remove_rule(self._uow(), inbox_id, pattern)

    def _back_up_before(self, kind: str) -> None:
        """Risky work on an embedded database starts with a backup (refused if it fails)."""
        from helpdesk_desktop.storage import backups as backup_store
        if self.safety_backups and self._database.path is not None:
            backup_store.back_up(self._database, kind)

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

    def set_time_zone(self, time_zone: str) -> UserInfo:
        """The zone the user's times are shown in (an IANA name); returns the user as stored."""
        return preferences.set_time_zone(self._uow(), time_zone)

    # -- about the program ------------------------------------------------------------------

    def database_location(self) -> str:
        """Where this desk's data lives: a file path, or the server URL without password."""
        # (no engine made for it, nor the URL parsed for a SQLite file: the window's start
        # logs it before its first frame)
        if self._database.dialect == "sqlite":
            path = self._database.path
            return str(path) if path is not None else ":memory:"
        return self._database.display_url()

    # -- safety: check, backups, export -----------------------------------------------------

    def check(self, *, repair: bool = False) -> integrity.CheckReport:
        """The database's integrity and the program's invariants (``repair``: fix what can
        be fixed)."""
        from helpdesk_desktop.services import integrity
        return integrity.check_database(self._database, repair=repair)

    def back_up(self, kind: str = "manual") -> Path:
        """A verified backup of the (SQLite) database in its backups folder."""
        from helpdesk_desktop.storage import backups as backup_store
        return backup_store.back_up(self._database, kind)

    def backup_folder(self) -> Path | None:
        """Where the backups of the (SQLite) database go; ``None`` on PostgreSQL."""
        from helpdesk_desktop.storage import backups as backup_store
        path = self._database.path
        return backup_store.backup_dir(path) if path is not None else None

    def list_backups(self) -> list[backup_store.Backup]:
        from helpdesk_desktop.storage import backups as backup_store
        path = self._database.path
        return backup_store.list_backups(path) if path is not None else []

    def restore_backup(self, file: Path,
                       progress: Callable[[int, int], None] | None = None) -> Path:
        """Replace the database's content with a verified backup; returns the backup taken
        of the current content first. Reopen the database afterwards."""
        from helpdesk_desktop.storage import backups as backup_store
        path = self._database.path
        if path is None:
            raise InvalidInput(_(backup_store.PG_SENTENCE))
        return backup_store.restore(path, file, progress)

    def export(self, fmt: str, target: Path, *, overwrite: bool = False,
               progress: Callable[[int, int], None] | None = None
               ) -> ticket_export.ExportSummary:
        """Every ticket this user may see, with messages, notes and attachments."""
        from helpdesk_desktop.services import export as ticket_export
        return ticket_export.export(self._uow(), fmt, target, overwrite=overwrite,
                                    progress=progress)

    def daily_upkeep(self) -> upkeep.UpkeepReport:
        """The day's backup (if due), then the scheduled 90-day purge."""
        from helpdesk_desktop.application import upkeep
        report = upkeep.daily_upkeep(self._database)
        if report.purge is not None:
            self._changed(report.purge)
        return report
