"""One table of figures, each beside its target and with how it was measured; printed and saved as JSON."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

COMPARE: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, "<": operator.lt, ">=": operator.ge}
SYMBOL = {"<=": "≤", "<": "<", ">=": "≥"}


@dataclass(frozen=True)
class Target:
    """A target from issue 8, e.g. `Target("<=", 30_000, "B")`."""

    op: str
    value: float
    unit: str

    def met_by(self, figure: float) -> bool:
        return COMPARE[self.op](figure, self.value)

    def __str__(self) -> str:
        return f"{SYMBOL[self.op]} {format_figure(self.value, self.unit)}"


@dataclass
class Row:
    """One measured figure. `figure` is None only for something that does not exist yet (`how` says so)."""

    section: str
    what: str
    figure: float | None
    unit: str
    how: str
    target: Target | None = None

    @property
    def meets(self) -> bool | None:
        if self.target is None or self.figure is None:
            return None
        return self.target.met_by(self.figure)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["meets"] = self.meets
        data["target"] = str(self.target) if self.target else None
        data["target_value"] = asdict(self.target) if self.target else None
        return data


def format_figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "B":
        return f"{value / 1000:.1f} kB"
    if unit == "%":
        return f"{value:.0f} %"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit in {"req/s", "referrals/s"}:
        return f"{value:,.1f} {unit}"
    return f"{value:g} {unit}".strip()


def _verdict(row: Row) -> str:
    return {True: "meets", False: "MISSES", None: ""}[row.meets]


def render(rows: list[Row]) -> str:
    """A plain-text table, one section after another."""
    widths = [
        max(len(r.what) for r in rows),
        max(len(format_figure(r.figure, r.unit)) for r in rows),
        max(len(str(r.target or "")) for r in rows),
        6,
    ]
    lines: list[str] = []
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines += ["", f"== {section} =="]
            header = ["what", "figure", "target", ""]
            lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  how measured")
        cells = [row.what, format_figure(row.figure, row.unit), str(row.target or ""), _verdict(row)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + row.how)
    return "\n".join(lines).lstrip("\n")


def save(rows: list[Row], machine: dict[str, Any], path: Path) -> None:
    """The same table as JSON, with the machine it ran on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine, "rows": [r.as_dict() for r in rows]}, indent=2, ensure_ascii=False))
