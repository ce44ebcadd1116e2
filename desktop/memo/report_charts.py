"""The oversight report's charts, drawn with reportlab's own graphics: bars by month and bars by response.

Their look (grey bars each carrying its number, the body face, the title) is the papers' kit's
(kit.style_bars, kit.chart_title); here is what each chart shows, its scale and its labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing

from desktop.memo.kit import chart_title, style_bars

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _value_max(values: Sequence[int]) -> int:
    """The axis's top: a little above the highest bar, at least 1 so an empty period still draws."""
    top = max(values, default=0)
    return max(1, top + max(1, top // 8))


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if top / step <= 6:
            return step
    return max(1, top // 5)


def _scale(chart: BarChart, values: Sequence[int]) -> None:
    """The value axis from 0 to a little above the highest bar, in at most six round steps."""
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _value_max(values)
    chart.valueAxis.valueStep = _step(chart.valueAxis.valueMax)


def month_label(month: str) -> str:
    """ "2026-01" as "Jan 26"."""
    year, number = month.split("-")
    return f"{MONTH_ABBREVIATIONS[int(number) - 1]} {year[2:]}"


def bars_by_month(title: str, months: Sequence[tuple[str, int]], width: float, height: float = 170) -> Drawing:
    """Vertical bars, one per month of the period (empty months too)."""
    drawing = Drawing(width, height)
    chart_title(drawing, title)
    values = [count for _month, count in months] or [0]
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = int(width - 40), int(height - 58)
    chart.data = [values]
    chart.categoryAxis.categoryNames = [month_label(m) for m, _count in months] or [""]
    style_bars(chart)
    _scale(chart, values)
    if len(values) > 12:  # more than a year of months: smaller names, slanted so they do not overlap
        chart.categoryAxis.labels.fontSize = 5.5
    chart.categoryAxis.labels.angle = 0 if len(values) <= 12 else 60
    chart.categoryAxis.labels.boxAnchor = "n" if len(values) <= 12 else "ne"
    chart.barLabels.nudge = 6
    chart.groupSpacing = 4 if len(values) <= 12 else 1
    drawing.add(chart)
    return drawing


def bars_by_response(title: str, responses: Sequence[tuple[str, int]], width: float) -> Drawing:
    """Horizontal bars, one per response code given (largest first), labelled in words."""
    rows = list(responses) or [("no responses", 0)]
    bar = 14.0
    height = 40 + bar * len(rows)
    drawing = Drawing(width, height)
    chart_title(drawing, title)
    label_width = 205.0
    values = [count for _label, count in rows]
    chart = HorizontalBarChart()
    chart.x, chart.y = int(label_width), 16
    chart.width, chart.height = int(width - label_width - 30), int(bar * len(rows))
    # Drawn bottom up: reverse, so the largest is on top.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [name for name, _count in reversed(rows)]
    style_bars(chart)
    _scale(chart, values)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.groupSpacing = 3
    drawing.add(chart)
    return drawing
