"""The workspace's branding: the company name and logo printed at the top of transcripts."""

from __future__ import annotations

from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import WorkspaceBranding
from helpdesk_desktop.services.access import reason_missing_account_access, require
from helpdesk_desktop.services.dto import BrandingInfo, OpResult
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_text

MAX_LOGO_BYTES = 1024 * 1024
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


def branding(uow: UnitOfWork) -> BrandingInfo:
    """The company name and logo ("" and ``None`` until someone sets them)."""
    with uow.read_only():
        uow.actor  # noqa: B018 - refuses users without help desk access
        row = uow.session.get(WorkspaceBranding, 1)
        if row is None:
            return BrandingInfo("", None)
        return BrandingInfo(row.company_name, row.logo)


def set_branding(uow: UnitOfWork, *, company_name: str | None = None,
                 logo: bytes | None = None, clear_logo: bool = False) -> OpResult:
    """Sets the company name and/or the logo (account access needed). ``None`` keeps a value."""
    with uow:
        require(reason_missing_account_access(uow.actor))
        if logo is not None:
            if len(logo) > MAX_LOGO_BYTES:
                raise InvalidInput(_("The logo is larger than 1 MB."))
            if not logo.startswith(_SIGNATURES):
                raise InvalidInput(_("The logo must be a PNG or JPEG image."))
        session = uow.session
        row = session.get(WorkspaceBranding, 1)
        if row is None:
            row = WorkspaceBranding(id=1, company_name="", logo=None, updated_at=uow.now)
            session.add(row)
        if company_name is not None:
            row.company_name = clean_text(company_name, _("The company name"), max_length=200,
                                          allow_empty=True)
        if clear_logo:
            row.logo = None
        elif logo is not None:
            row.logo = logo
        row.updated_at = uow.now
        uow.commit()
        return OpResult(_("Branding saved."))
