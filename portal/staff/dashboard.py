"""The team's dashboard: counts, overdue, time to outcome, share reviewed within four weeks."""

from __future__ import annotations

from flask import render_template

from forms.staff import KINDS, STATUSES
from portal.services.dashboard import WINDOW_DAYS, figures
from portal.staff import bp
from portal.staff.auth import staff_required

BAR_HEIGHT = 28
LABEL_WIDTH = 200
CHART_WIDTH = 600


def chart_bars(counts: dict[str, int], labels: dict[str, object]) -> list[dict[str, object]]:
    """Bars for the server-drawn SVG chart: no JavaScript, and the same numbers as the table."""
    largest = max(counts.values(), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    return [
        {
            "label": str(labels[key]),
            "count": count,
            "y": index * BAR_HEIGHT,
            "width": round(room * count / largest) if count else 0,
        }
        for index, (key, count) in enumerate(counts.items())
    ]


@bp.get("/dashboard")
@staff_required("triage")
def dashboard() -> str:
    found = figures()
    return render_template(
        "staff/dashboard/index.html",
        figures=found,
        statuses=STATUSES,
        kinds=KINDS,
        window_days=WINDOW_DAYS,
        bars=chart_bars(found.by_status, STATUSES),
        bar_height=BAR_HEIGHT,
        label_width=LABEL_WIDTH,
        chart_width=CHART_WIDTH,
    )
