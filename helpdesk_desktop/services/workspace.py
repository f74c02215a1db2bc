"""Creating a workspace: the first admin, the help desk inbox and a default pipeline.

The names it gives (the pipeline, its statuses, the shared inbox) are written in the language
of the person who creates it (:mod:`helpdesk_desktop.domain.i18n`): they are the workspace's
own data from then on, renamed like any other, never translated again when shown."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.enums import AccessScope, Channel, InboxKind
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import N_, _
from helpdesk_desktop.domain.models import Inbox, Pipeline, Status, Team, User
from helpdesk_desktop.services.uow import UnitOfWork
from helpdesk_desktop.services.validation import clean_email, clean_text

DEFAULT_STATUSES: tuple[tuple[str, bool], ...] = (
    (N_("New"), False),
    (N_("Waiting on contact"), False),
    (N_("Waiting on us"), False),
    (N_("Closed"), True),
)


def is_empty(uow: UnitOfWork) -> bool:
    """Whether the database holds no workspace yet (no user at all)."""
    with uow.read_only():
        return uow.session.scalar(select(func.count()).select_from(User)) == 0


def create_workspace(uow: UnitOfWork, admin_name: str, admin_email: str,
                     team_name: str = "Support", time_zone: str = "UTC") -> int:
    """Create the first admin user (times shown in ``time_zone``), a team, the help desk
    inbox, a shared conversations inbox and the default pipeline. Returns the admin's user
    id. Refused if a workspace exists."""
    name = clean_text(admin_name, _("Name"), max_length=200)
    email = clean_email(admin_email)
    with uow:
        session = uow.session
        if session.scalar(select(func.count()).select_from(User)):
            raise InvalidInput(_("This database already holds a workspace."))
        team = Team(name=clean_text(team_name, _("Team"), max_length=200))
        session.add(team)
        session.flush()
        admin = User(name=name, email=email, role="Super admin", team_id=team.id,
                     help_desk_access=True, service_seat=True, can_delete_tickets=True,
                     account_access=True, super_admin=True, scope=AccessScope.ALL,
                     notify_record_updates=True, time_zone=time_zone, active=True)
        session.add(admin)
        session.add(Inbox(name="Help Desk", kind=InboxKind.HELP_DESK, channel=Channel.EMAIL,
                          address="support@example.com"))
        session.add(Inbox(name=_("Shared inbox"), kind=InboxKind.CONVERSATIONS,
                          channel=Channel.EMAIL, address="hello@example.com"))
        add_named_pipeline(session, N_("Support Pipeline"), DEFAULT_STATUSES, position=0)
        uow.commit()
        return admin.id


def add_pipeline(session: Session, name: str, statuses: tuple[tuple[str, bool], ...],
                 position: int = 0) -> Pipeline:
    """Add a pipeline with its ordered statuses (inside the caller's transaction)."""
    pipeline = Pipeline(name=name, position=position)
    session.add(pipeline)
    session.flush()
    for index, (status_name, closed) in enumerate(statuses):
        session.add(Status(pipeline_id=pipeline.id, name=status_name, position=index,
                           is_closed=closed))
    session.flush()
    return pipeline


def add_named_pipeline(session: Session, name: str, statuses: tuple[tuple[str, bool], ...],
                       position: int = 0) -> Pipeline:
    """:func:`add_pipeline` from English msgids (``N_``), named in the current language."""
    return add_pipeline(session, _(name), tuple((_(status), closed) for status, closed in statuses),
                        position)


def default_pipeline(session: Session) -> Pipeline:
    """The first pipeline by position: where new tickets go unless told otherwise."""
    pipeline = session.scalar(select(Pipeline).order_by(Pipeline.position, Pipeline.id).limit(1))
    if pipeline is None:
        raise InvalidInput(_("The help desk has no pipeline yet."))
    return pipeline


def first_status(session: Session, pipeline: Pipeline) -> Status:
    """The pipeline's first status: where new tickets start unless told otherwise."""
    status = session.scalar(select(Status).where(Status.pipeline_id == pipeline.id)
                            .order_by(Status.position, Status.id).limit(1))
    if status is None:
        raise InvalidInput(_("The pipeline “{pipeline_name}” has no status.").format(
                               pipeline_name=pipeline.name))
    return status


def first_open_status(session: Session, pipeline_id: int) -> Status | None:
    """The pipeline's first status that is not closed (where a reopened ticket goes)."""
    return session.scalar(select(Status).where(Status.pipeline_id == pipeline_id,
                                               Status.is_closed.is_(False))
                          .order_by(Status.position, Status.id).limit(1))
