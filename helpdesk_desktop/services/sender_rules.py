"""Per-inbox allow and deny lists of sender addresses and domains.

A new conversation from a denied sender is filed as spam (see :mod:`intake`); an allow entry
wins over a deny entry, an address entry over a domain entry, and a domain deny never catches
a known contact. Editing the lists needs account access (or super admin).
"""

from __future__ import annotations

import re

from sqlalchemy import select

from helpdesk_desktop.domain.errors import InvalidInput, NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Inbox, SenderRule
from helpdesk_desktop.services.access import reason_missing_account_access, require
from helpdesk_desktop.services.dto import SenderRuleInfo
from helpdesk_desktop.services.uow import UnitOfWork

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]]{1,64}@(.+)$")


def normalize_pattern(value: str) -> str:
    """``name@host`` or ``host`` (an ``@host`` or ``*@host`` is read as the domain), lower
    case; :class:`InvalidInput` for anything else."""
    text = (value or "").strip().lower()
    if text.startswith("*@"):
        text = text[2:]
    elif text.startswith("@"):
        text = text[1:]
    address = _ADDRESS.match(text)
    domain = address.group(1) if address else text
    if not _DOMAIN.match(domain):
        raise InvalidInput(_("'{value}' is neither an e-mail address nor a domain.").format(
                               value=value))
    return text


def list_rules(uow: UnitOfWork, inbox_id: int) -> list[SenderRuleInfo]:
    with uow.read_only():
        uow.actor  # noqa: B018 - a signed-in agent may read the lists
        return [SenderRuleInfo(r.id, r.inbox_id, r.pattern, r.allow) for r in uow.session.scalars(
            select(SenderRule).where(SenderRule.inbox_id == inbox_id)
            .order_by(SenderRule.pattern))]


def set_rule(uow: UnitOfWork, inbox_id: int, pattern: str, *, allow: bool) -> SenderRuleInfo:
    """Put ``pattern`` on the inbox's allow or deny list (moving it if it was on the other)."""
    clean = normalize_pattern(pattern)
    with uow:
        require(reason_missing_account_access(uow.actor))
        if uow.session.get(Inbox, inbox_id) is None:
            raise NotFound(_("Inbox #{inbox_id} does not exist.").format(inbox_id=inbox_id))
        rule = uow.session.scalars(select(SenderRule).where(
            SenderRule.inbox_id == inbox_id, SenderRule.pattern == clean)).first()
        if rule is None:
            rule = SenderRule(inbox_id=inbox_id, pattern=clean, allow=allow, created_at=uow.now)
            uow.session.add(rule)
        rule.allow = allow
        uow.session.flush()
        info = SenderRuleInfo(rule.id, rule.inbox_id, rule.pattern, rule.allow)
        uow.commit()
        return info


def remove_rule(uow: UnitOfWork, inbox_id: int, pattern: str) -> None:
    clean = normalize_pattern(pattern)
    with uow:
        require(reason_missing_account_access(uow.actor))
        rule = uow.session.scalars(select(SenderRule).where(
            SenderRule.inbox_id == inbox_id, SenderRule.pattern == clean)).first()
        if rule is None:
            raise NotFound(_("'{clean}' is on neither list of this inbox.").format(clean=clean))
        uow.session.delete(rule)
        uow.commit()
