"""The suite's measurements: one row per goal, printed as a table, JSON and Markdown."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def timed(work: Callable[[], object], repeat: int, warm: int = 1) -> list[float]:
    """Milliseconds of each of ``repeat`` runs of ``work`` (after ``warm`` unmeasured ones)."""
    for _ in range(warm):
        work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Row:
    """One measured operation against its goal.

    ``limit_ms`` is what the machine needs for the same work (measured in the same run), or
    ``None`` when the goal is absolute. ``passed`` is decided by the measuring code.
    """

    id: str
    operation: str
    times: list[float]
    limit_ms: float | None
    goal: str
    passed: bool
    unit: str = "ms"
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def ratio(self) -> float | None:
        return None if not self.limit_ms else self.median / self.limit_ms

    def as_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {"id": self.id, "operation": self.operation + _unit_note(self.unit),
                "median_ms": round(self.median, 3), "min_ms": round(min(self.times), 3),
                "max_ms": round(max(self.times), 3),
                "limit_ms": None if self.limit_ms is None else round(self.limit_ms, 3),
                "ratio": None if ratio is None else round(ratio, 3), "goal": self.goal,
                "pass": self.passed}


def _unit_note(unit: str) -> str:
    return "" if unit == "ms" else f" [{unit}]"


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table_lines(rows: list[Row]) -> list[str]:
    """A Markdown table (also readable in a terminal)."""
    lines = ["| id | operation | median | min–max | limit | ratio | goal | pass |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = row.ratio
        unit = "" if row.unit == "ms" else f" {row.unit}"
        lines.append(
            f"| {row.id} | {row.operation} | {_fmt(row.median)}{unit} | "
            f"{_fmt(min(row.times))}–{_fmt(max(row.times))} | {_fmt(row.limit_ms)} | "
            f"{'—' if ratio is None else f'{ratio:.2f}×'} | {row.goal} | "
            f"{'pass' if row.passed else 'FAIL'} |")
    return lines


def write_json(rows: list[Row], path: Path) -> None:
    path.write_text(json.dumps([r.as_json() for r in rows], indent=1) + "\n")
