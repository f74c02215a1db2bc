"""A saved view's query as JSON and back (no SQLAlchemy: the window's first frame reads the
saved views' names and queries with ``first_page``)."""

from __future__ import annotations

from typing import Any

from helpdesk_desktop.domain.enums import Category, Priority, SortKey, View
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import _
from helpdesk_desktop.services.dto import TicketFilters, TicketQuery


def query_to_json(query: TicketQuery) -> dict[str, Any]:
    """A JSON-safe form of a query (without ``saved_view_id``)."""
    f = query.filters
    return {
        "view": query.view.value,
        "filters": {
            "status_ids": list(f.status_ids),
            "priorities": [Priority(p).value for p in f.priorities],
            "owner_ids": list(f.owner_ids),
            "categories": [Category(c).value for c in f.categories],
            "pipeline_ids": list(f.pipeline_ids),
            "inbox_ids": list(f.inbox_ids),
        },
        "search": query.search,
        "sort": query.sort.value,
        "descending": query.descending,
    }


def query_from_json(data: dict[str, Any]) -> TicketQuery:
    """The query :func:`query_to_json` wrote; missing keys take their defaults."""
    try:
        f = data.get("filters") or {}
        filters = TicketFilters(
            status_ids=tuple(int(i) for i in f.get("status_ids", ())),
            priorities=tuple(Priority(p) for p in f.get("priorities", ())),
            owner_ids=tuple(None if i is None else int(i) for i in f.get("owner_ids", ())),
            categories=tuple(Category(c) for c in f.get("categories", ())),
            pipeline_ids=tuple(int(i) for i in f.get("pipeline_ids", ())),
            inbox_ids=tuple(int(i) for i in f.get("inbox_ids", ())),
        )
        return TicketQuery(
            view=View(data.get("view", View.ALL_OPEN.value)), filters=filters,
            search=str(data.get("search", "")),
            sort=SortKey(data.get("sort", SortKey.LAST_ACTIVITY.value)),
            descending=bool(data.get("descending", True)),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(_("This saved view cannot be read ({exc}).").format(exc=exc)) from None
