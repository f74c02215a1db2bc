"""How a positional list plans a read (``PositionalRows._plan``): from the nearest row whose
key is known, before or after the rows asked for, or from either end of the list, whichever
skips fewest rows. The plan walks outward from the rows asked for; here it is checked
against a walk of every known row on lists with holes and rows without a key."""

from __future__ import annotations

import random

import pytest

from helpdesk_desktop.services.dto import PageCursor
from helpdesk_desktop.ui.models.positional import PositionalRows
from helpdesk_desktop.ui.models.row_ids import RowIds

Plan = tuple[PageCursor | None, bool, int]


def _rows(total: int, known: dict[int, int], keyed: set[int]) -> PositionalRows:
    """The plan's own state only (its ids and keys): no model, no thread."""
    rows = PositionalRows.__new__(PositionalRows)
    ids = RowIds()
    ids.reset((), total)
    for position, ticket_id in known.items():
        ids.put(position, [ticket_id])
    rows._ids = ids
    rows.keys = {ticket_id: PageCursor(("k",), ticket_id) for ticket_id in keyed}
    return rows


def _every_known_row(rows: PositionalRows, first: int, last: int) -> Plan:
    """The plan by a walk of every known row (what it was before)."""
    total = len(rows._ids)
    best: tuple[int, PageCursor | None, bool] = (first, None, False)
    if total - 1 - last < best[0]:
        best = (total - 1 - last, None, True)
    for position in rows._ids.known_positions():
        key = rows.keys.get(rows._ids.get(position))  # type: ignore[arg-type]
        if key is None:
            continue
        if position < first and first - position - 1 < best[0]:
            best = (first - position - 1, key, False)
        elif position > last and position - last - 1 < best[0]:
            best = (position - last - 1, key, True)
    return best[1], best[2], best[0]


def test_the_nearest_key_each_way_wins() -> None:
    rows = _rows(1_000, {100: 1, 120: 2, 300: 3, 310: 4}, keyed={1, 3, 4})
    # rows 130..140: row 120 (no key) is nearer than row 100, so the plan reads from 100
    assert rows._plan(130, 140) == (PageCursor(("k",), 1), False, 29)
    # rows 280..290: row 300 is 9 rows after; row 100 is 179 before
    assert rows._plan(280, 290) == (PageCursor(("k",), 3), True, 9)
    # rows 990..995: the end of the list is nearer than any key
    assert rows._plan(990, 995) == (None, True, 4)
    # rows 0..10: the start of the list
    assert rows._plan(0, 10) == (None, False, 0)


def test_a_tie_reads_forward_from_the_row_before() -> None:
    rows = _rows(1_000, {400: 1, 420: 2}, keyed={1, 2})
    assert rows._plan(405, 414) == (PageCursor(("k",), 1), False, 4)


@pytest.mark.parametrize("seed", range(20))
def test_the_plan_is_that_of_a_walk_of_every_known_row(seed: int) -> None:
    chance = random.Random(seed)
    total = chance.randint(50, 5_000)
    positions = chance.sample(range(total), chance.randint(0, min(total, 1_500)))
    known = {position: n + 1 for n, position in enumerate(positions)}
    keyed = {ticket_id for ticket_id in known.values() if chance.random() < 0.7}
    rows = _rows(total, known, keyed)
    for _ in range(50):
        first = chance.randrange(total)
        last = min(total - 1, first + chance.randint(0, 120))
        assert rows._plan(first, last) == _every_known_row(rows, first, last)
