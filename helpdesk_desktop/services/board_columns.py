"""The board's columns as queries: which statuses a board shows and each column's query.
Plain data only (no SQLAlchemy): shared by the services' board (``board.py``) and its first
frame read without the ORM (``first_board.py``)."""

from __future__ import annotations

from dataclasses import replace

from helpdesk_desktop.services.dto import PipelineInfo, StatusInfo, TicketQuery

#: Cards read for each column at first; the rest page in as the column scrolls.
BOARD_CARDS = 50


def column_query(query: TicketQuery, status: StatusInfo) -> TicketQuery:
    """The query of one column: ``query`` narrowed to ``status`` (and its pipeline)."""
    filters = replace(query.filters, status_ids=(status.id,),
                      pipeline_ids=(status.pipeline_id,))
    return replace(query, filters=filters)


def shown_statuses(pipeline: PipelineInfo, query: TicketQuery) -> list[StatusInfo]:
    """The columns of ``pipeline`` for ``query`` (resolved): every status, or those of its
    status filter."""
    wanted = set(query.filters.status_ids)
    return [s for s in pipeline.statuses if not wanted or s.id in wanted]
