"""What a ticket action is, and which actions a selection offers (a pure function, no widgets)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP

from helpdesk_desktop.domain.enums import TicketState, View
from helpdesk_desktop.domain.rules import Operation, allows, reason_not_allowed
from helpdesk_desktop.services.dto import TicketQuery, TicketRow, UserInfo

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from helpdesk_desktop.services.dto import TicketDetail
    from helpdesk_desktop.ui.bridge import DeskBridge


class MenuKind(StrEnum):
    """The places a ticket action appears. Every kind offers the same actions."""

    ACTIONS = "actions"  # the Actions drop-down at the top right of the ticket
    BOARD = "board"  # the ⋮ button on a board card and in the ticket header
    CONTEXT = "context"  # right-click on rows and cards
    MENU_BAR = "menu_bar"  # the main window's Actions menu


@dataclass(frozen=True)
class Selection:
    """The tickets an action would act on."""

    rows: tuple[TicketRow, ...] = ()
    # "Select all N matching this view": the action acts on every ticket of this query.
    all_matching: TicketQuery | None = None
    all_matching_count: int = 0

    @property
    def ticket_ids(self) -> tuple[int, ...]:
        return tuple(row.id for row in self.rows)

    @property
    def count(self) -> int:
        return self.all_matching_count if self.all_matching is not None else len(self.rows)

    @property
    def single(self) -> TicketRow | None:
        return self.rows[0] if len(self.rows) == 1 and self.all_matching is None else None


@dataclass(frozen=True)
class ActionContext:
    user: UserInfo
    selection: Selection
    # The ticket open in the ticket view, when the action is offered from there.
    detail: TicketDetail | None = None
    # The triggered action's name as the menu shows it ("Set Status"), for Edit › Undo.
    action_text: str = ""


class ActionHost(Protocol):
    """What a handler may use: the window that placed the action."""

    @property
    def bridge(self) -> DeskBridge: ...

    def dialog_parent(self) -> QWidget: ...

    def open_ticket(self, ticket_id: int, *, new_window: bool = False) -> None: ...

    def show_status(self, message: str, undo: Callable[[], None] | None = None) -> None: ...

    def show_error(self, message: str) -> None: ...


# A rule returns None when the action is enabled, else the sentence saying why not.
Rule = Callable[[ActionContext], str | None]
Handler = Callable[[ActionHost, ActionContext], None]


@dataclass(frozen=True)
class TicketActionSpec:
    """One ticket action, defined once. ``name`` gives the QAction its object name
    ``action.<name>``; ``text`` and ``status_tip`` are translated in the "TicketActions"
    context."""

    name: str
    text: str
    rule: Rule
    handler: Handler
    icon: str | None = None  # file stem in helpdesk_desktop/assets/icons/
    shortcut: str | None = None
    # The name of a QKeySequence.StandardKey ("Print", "Delete"): the platform's own keys where
    # it has some, ``shortcut`` where it has none.
    standard: str | None = None
    status_tip: str = ""
    group: str = "ticket"  # menus put a separator between groups
    # Hidden (not merely disabled) when the rule says so for this selection: e.g. "Unfollow"
    # when nothing selected is followed. Hidden actions are the same in every menu kind.
    hide_when: Callable[[ActionContext], bool] | None = None


@dataclass(frozen=True)
class MenuEntry:
    name: str
    enabled: bool
    reason: str | None  # why it is disabled


def menu_entries(specs: Sequence[TicketActionSpec], ctx: ActionContext,
                 kind: MenuKind) -> list[MenuEntry | None]:
    """The entries a menu of ``kind`` shows for ``ctx``; ``None`` marks a separator."""
    entries: list[MenuEntry | None] = []
    group: str | None = None
    for spec in specs:
        if spec.hide_when is not None and spec.hide_when(ctx):
            continue
        if group is not None and spec.group != group:
            entries.append(None)
        group = spec.group
        reason = spec.rule(ctx)
        entries.append(MenuEntry(spec.name, reason is None, reason))
    return entries


# Rules shared by several definitions ------------------------------------------------------

# Reasons (like spec texts) are translated where they are shown, by ActionRegistry;
# QT_TRANSLATE_NOOP only marks them for lupdate.
NO_SELECTION = QT_TRANSLATE_NOOP("TicketActions", "Select a ticket first.")
ONE_TICKET = QT_TRANSLATE_NOOP("TicketActions", "Works on one ticket at a time.")


def needs_selection(ctx: ActionContext) -> str | None:
    return None if ctx.selection.count else NO_SELECTION


def needs_one(ctx: ActionContext) -> str | None:
    return None if ctx.selection.single is not None else (
        NO_SELECTION if not ctx.selection.count else ONE_TICKET)


def needs_service_seat(ctx: ActionContext) -> str | None:
    user = ctx.user
    return None if user.super_admin or user.service_seat else QT_TRANSLATE_NOOP(
        "TicketActions", "Needs a service seat.")


def needs_delete(ctx: ActionContext) -> str | None:
    user = ctx.user
    return None if user.super_admin or user.can_delete_tickets else QT_TRANSLATE_NOOP(
        "TicketActions", "Needs the delete permission.")


def needs_account_access(ctx: ActionContext) -> str | None:
    user = ctx.user
    return None if user.super_admin or user.account_access else (
        QT_TRANSLATE_NOOP("TicketActions", "Needs account access (super admin)."))


def all_of(*rules: Rule) -> Rule:
    """A rule that gives the first reason any of ``rules`` gives."""

    def combined(ctx: ActionContext) -> str | None:
        for rule in rules:
            reason = rule(ctx)
            if reason is not None:
                return reason
        return None

    return combined


# What the selection's lifecycle states allow (the rule itself: domain.rules) ---------------

# The domain's sentences, marked for lupdate in the context ActionRegistry translates them in.
STATE_REASONS = (
    QT_TRANSLATE_NOOP("TicketActions", "Mark the ticket as not spam first."),
    QT_TRANSLATE_NOOP("TicketActions", "Restore the ticket first."),
    QT_TRANSLATE_NOOP("TicketActions", "The ticket was merged into another one."),
    QT_TRANSLATE_NOOP("TicketActions", "The ticket is not in the spam or the trash."),
)
VIEW_STATES = {View.SPAM: TicketState.SPAM, View.RECENTLY_DELETED: TicketState.DELETED}


def selection_states(ctx: ActionContext) -> set[TicketState]:
    """The lifecycle states of the selected tickets (for "all N matching", the view's)."""
    query = ctx.selection.all_matching
    if query is not None:
        return {VIEW_STATES.get(query.view, TicketState.LIVE)}
    return {row.state for row in ctx.selection.rows}


def state_allows(operation: Operation) -> Rule:
    """A rule: every selected ticket's state allows ``operation``."""
    def rule(ctx: ActionContext) -> str | None:
        return reason_not_allowed(selection_states(ctx), operation)
    return rule


def not_offered(operation: Operation) -> Callable[[ActionContext], bool]:
    """``hide_when``: no selected ticket's state allows ``operation``."""
    def hidden(ctx: ActionContext) -> bool:
        states = selection_states(ctx)
        return bool(states) and not any(allows(state, operation) for state in states)
    return hidden


def either(*conditions: Callable[[ActionContext], bool]) -> Callable[[ActionContext], bool]:
    """``hide_when``: any of ``conditions``."""
    return lambda ctx: any(condition(ctx) for condition in conditions)
