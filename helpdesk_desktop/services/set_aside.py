"""Mail intake kept aside (refused or skipped): listed with the reason (in English as stored,
and in the reader's language), and its raw bytes handed back so that nothing received is lost. Reading it needs account access (raw mail may hold
anything)."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Inbox, SetAsideMail
from helpdesk_desktop.domain.sentences import shown
from helpdesk_desktop.services.access import reason_missing_account_access, require
from helpdesk_desktop.services.dto import SetAsideInfo
from helpdesk_desktop.services.uow import UnitOfWork


def list_set_aside(uow: UnitOfWork, *, limit: int = 100) -> list[SetAsideInfo]:
    """The newest messages kept aside, newest first."""
    with uow.read_only():
        require(reason_missing_account_access(uow.actor))
        rows = uow.session.execute(
            select(SetAsideMail.id, SetAsideMail.outcome, SetAsideMail.source,
                   SetAsideMail.message_id_header, SetAsideMail.reason,
                   SetAsideMail.reason_sentence,
                   SetAsideMail.received_at, Inbox.name)
            .outerjoin(Inbox, Inbox.id == SetAsideMail.inbox_id)
            .order_by(SetAsideMail.received_at.desc(), SetAsideMail.id.desc())
            .limit(max(1, limit)))
        return [SetAsideInfo(id=r.id, outcome=r.outcome, source=r.source,
                             message_id=r.message_id_header, reason=r.reason,
                             received_at=r.received_at, inbox=r.name,
                             reason_text=shown(r.reason_sentence, r.reason)) for r in rows]


def raw_set_aside(uow: UnitOfWork, item_id: int) -> bytes:
    """The raw bytes of a message kept aside, exactly as received."""
    with uow.read_only():
        require(reason_missing_account_access(uow.actor))
        raw = uow.session.scalar(select(SetAsideMail.raw).where(SetAsideMail.id == item_id))
        if raw is None:
            raise NotFound(_("No message #{item_id} was kept aside.").format(item_id=item_id))
        return bytes(raw)
