"""The board: the first cards of every status column of a pipeline, and the columns' counts.

A column holds the tickets of the board's query in one status of the pipeline (the query's own
status filter chooses which columns are shown). :func:`read_board` reads every column's first
cards in one transaction: one statement per column (a seek on the index of the status and the
sort, the same statement for each status), then the rows of all the cards at once, then the
counts from the counter rows kept by triggers. Where those cannot answer (a search, a priority
filter...), :func:`board_counts` counts every column with one grouped ``COUNT``. Which tickets
a user sees follows exactly the rules of the list (``listing.where_clauses``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk_desktop.domain.errors import NotFound
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.domain.models import Ticket, User
from helpdesk_desktop.services import detail_read, list_counts, listing, saved_views
from helpdesk_desktop.services.board_columns import BOARD_CARDS, column_query, shown_statuses
from helpdesk_desktop.services.dto import (
    BoardColumnPage,
    BoardPage,
    PipelineInfo,
    StatusInfo,
    TicketQuery,
)
from helpdesk_desktop.services.list_rows import load_rows
from helpdesk_desktop.services.uow import UnitOfWork

__all__ = ["BOARD_CARDS", "board_counts", "column_query", "read_board", "shown_statuses"]


def read_board(uow: UnitOfWork, query: TicketQuery, pipeline_id: int, *,
               limit: int = BOARD_CARDS) -> BoardPage:
    """The first ``limit`` cards of each column of ``pipeline_id`` for ``query`` (their rows'
    ``snippet`` left empty, not read), each column's query and cursor to page on, and the
    counts the counter rows answer."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = saved_views.resolve(session, actor, query)
        pipeline = _pipeline(session, pipeline_id)
        statuses = shown_statuses(pipeline, resolved)
        counts = _counted(session, actor, resolved, pipeline, statuses)
        # A column the counters say is empty is not read: its statement would find nothing
        # (and on PostgreSQL, which cannot know that no open ticket has a closed status, it
        # walks the whole state index backwards to find it out).
        read = [s.id for s in statuses if counts[s.id] != 0]
        base = column_query(resolved, statuses[0]) if statuses else resolved
        pages = listing.status_pages(session, actor, base, read, limit) if read else {}
        # Without their snippets (most of the rows' SQL): a card shows it only as its
        # tooltip, which reads it when wanted (``BoardColumn``).
        rows = load_rows(session, actor, [i for ids, _cursor in pages.values() for i in ids],
                         snippets=False)
        columns = []
        for status in statuses:
            ids, cursor = pages.get(status.id, ([], None))
            columns.append(BoardColumnPage(
                status=status, query=column_query(resolved, status),
                rows=tuple(rows[i] for i in ids if i in rows), next_cursor=cursor,
                count=counts[status.id]))
        return BoardPage(query=query, pipeline=pipeline, columns=tuple(columns))


def board_counts(uow: UnitOfWork, query: TicketQuery, pipeline_id: int) -> dict[int, int]:
    """How many tickets each column of ``pipeline_id`` holds for ``query`` (status id →
    count), in one transaction: from the counter rows when they answer, else one ``COUNT``
    grouped by status."""
    with uow.read_only():
        session, actor = uow.session, uow.actor
        resolved = saved_views.resolve(session, actor, query)
        pipeline = _pipeline(session, pipeline_id)
        statuses = shown_statuses(pipeline, resolved)
        if not statuses:
            return {}
        counted = _counted(session, actor, resolved, pipeline, statuses)
        if all(n is not None for n in counted.values()):
            return {status_id: n or 0 for status_id, n in counted.items()}
        return _grouped_count(session, actor, resolved, statuses)


def _counted(session: Session, actor: User, query: TicketQuery, pipeline: PipelineInfo,
             statuses: list[StatusInfo]) -> dict[int, int | None]:
    """Each column's count from the counter rows, in one statement (``None`` each when the
    counters cannot answer ``query``): what ``counted_by_status`` says for each column's
    query."""
    narrowed = replace(query, filters=replace(query.filters, pipeline_ids=(pipeline.id,)))
    found = list_counts.counted_by_statuses(session, actor, narrowed, [s.id for s in statuses])
    return {s.id: None if found is None else found[s.id] for s in statuses}


def _grouped_count(session: Session, actor: User, query: TicketQuery,
                   statuses: list[StatusInfo]) -> dict[int, int]:
    ids = [s.id for s in statuses]
    narrowed = replace(query, filters=replace(query.filters, status_ids=tuple(ids),
                                              pipeline_ids=(statuses[0].pipeline_id,)))
    found = dict.fromkeys(ids, 0)
    for status_id, n in session.execute(
            select(Ticket.status_id, func.count()).where(
                *listing.where_clauses(session, actor, narrowed))
            .group_by(Ticket.status_id)):
        found[status_id] = int(n)
    return found


def _pipeline(session: Session, pipeline_id: int) -> PipelineInfo:
    pipeline = detail_read.pipeline_of(session, pipeline_id)
    if pipeline is None:
        raise NotFound(_("Pipeline #{pipeline_id} does not exist.").format(
                           pipeline_id=pipeline_id))
    return pipeline
