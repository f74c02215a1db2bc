"""The ids of a ticket list by position, with holes: the rows a list knows, out of all it has.

A list paged forward knows a prefix of its rows (no holes). A list whose length is known from
its count (a million tickets) has every position from the start, but knows only the ids of the
pages read near where the view looks; the others are holes until read. Only the known
positions are stored (two dicts, bounded by what the model keeps), so a list of a million rows
costs what its few known pages do. Removing or inserting a row shifts the positions after it,
as a list would (O(known rows)).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable


class RowIds:
    """Ticket ids at positions ``0 .. len - 1``; a position not known is a hole (``None``)."""

    def __init__(self) -> None:
        self.total = 0
        self._at: dict[int, int] = {}  # position -> ticket id
        self._of: dict[int, int] = {}  # ticket id -> position

    def __len__(self) -> int:
        return self.total

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._of

    def get(self, position: int) -> int | None:
        """The id at ``position`` (None: a hole, or outside the list)."""
        return self._at.get(position)

    def position(self, ticket_id: int) -> int:
        """The position of ``ticket_id`` or -1 (not known)."""
        return self._of.get(ticket_id, -1)

    def known_count(self) -> int:
        return len(self._at)

    def is_dense(self) -> bool:
        """Whether every position is known (a list paged forward)."""
        return len(self._at) == self.total

    def known(self) -> list[int]:
        """The known ids in the list's order."""
        at = self._at
        if len(at) == self.total:  # dense: positions 0 .. total - 1
            return [at[p] for p in range(self.total)]
        return [at[p] for p in sorted(at)]

    def known_positions(self) -> list[int]:
        return sorted(self._at)

    def between(self, first: int, last: int) -> list[int]:
        """The known ids at positions ``first .. last`` (inclusive), in order."""
        at = self._at
        if last - first < len(at):
            return [at[p] for p in range(max(0, first), last + 1) if p in at]
        return [at[p] for p in sorted(at) if first <= p <= last]

    def reset(self, ids: Iterable[int], total: int | None = None) -> None:
        """Only ``ids`` from position 0 (a ticket listed twice keeps its first place); the
        length ``total`` (default: as many as given)."""
        self._at, self._of = {}, {}
        count = 0
        for ticket_id in ids:
            if ticket_id not in self._of:
                self._at[count] = ticket_id
                self._of[ticket_id] = count
                count += 1
        self.total = count if total is None else max(total, count)

    def put(self, first: int, ids: Iterable[int]) -> None:
        """Know ``ids`` at positions ``first, first + 1, ...`` (inside the list): a ticket
        known elsewhere moves here (its old position becomes a hole), as does one it
        replaces."""
        at, of = self._at, self._of
        for position, ticket_id in enumerate(ids, first):
            if not 0 <= position < self.total:
                continue
            old = of.pop(ticket_id, None)
            if old is not None:
                del at[old]
            replaced = at.get(position)
            if replaced is not None:
                del of[replaced]
            at[position] = ticket_id
            of[ticket_id] = position

    def extend(self, ids: Iterable[int]) -> int:
        """Append ``ids`` not known yet; returns how many."""
        new = [i for i in dict.fromkeys(ids) if i not in self._of]
        first = self.total
        self.total += len(new)
        self.put(first, new)
        return len(new)

    def remove(self, first: int, last: int) -> list[int]:
        """Remove positions ``first .. last``; the later ones move up. Returns the known ids
        removed."""
        count = last - first + 1
        removed = [self._at[p] for p in range(first, last + 1) if p in self._at]
        at: dict[int, int] = {}
        for position, ticket_id in self._at.items():
            if position < first:
                at[position] = ticket_id
            elif position > last:
                at[position - count] = ticket_id
        self._rebuild(at)
        self.total -= count
        return removed

    def insert(self, position: int, ticket_id: int) -> None:
        """Insert ``ticket_id`` at ``position``; the rows from there move down."""
        at = {p + 1 if p >= position else p: i for p, i in self._at.items()
              if i != ticket_id}
        at[position] = ticket_id
        self._rebuild(at)
        self.total += 1

    def set_total(self, total: int) -> None:
        """Make the list ``total`` rows long (positions past the end are forgotten)."""
        if total < self.total:
            self._rebuild({p: i for p, i in self._at.items() if p < total})
        self.total = total

    def keep_only(self, first: int, last: int, pinned: Collection[int] = ()) -> list[int]:
        """Forget every known position outside ``first .. last`` except those holding a
        ``pinned`` id; returns the ids forgotten."""
        dropped = [i for p, i in self._at.items()
                   if (p < first or p > last) and i not in pinned]
        for ticket_id in dropped:
            del self._at[self._of.pop(ticket_id)]
        return dropped

    def forget(self, ticket_ids: Iterable[int]) -> None:
        """Make these ids' positions holes."""
        for ticket_id in ticket_ids:
            position = self._of.pop(ticket_id, None)
            if position is not None:
                del self._at[position]

    def _rebuild(self, at: dict[int, int]) -> None:
        self._at = at
        self._of = {i: p for p, i in at.items()}
