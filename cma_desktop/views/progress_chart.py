"""The Study tab's progress chart: accuracy per domain (lines and marks) and cards studied and due
per day (bars), drawn with QPainter."""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from cma_desktop.content.model import DOMAIN_LABELS

_CHART_MIN_LINES = 18


@dataclass(frozen=True)
class ChartSeries:
    """One series of the progress chart as drawn and in its legend: its colour, and a mark that tells
    it apart without the colour (for colour-blind readers, and where two series share a value)."""

    label: str
    color: QColor
    mark: str  # the accuracy chart's points: circle, square, triangle, diamond; the days chart's: bar, hatched
    dashes: tuple[float, ...] = ()  # its line's, in line widths (dash, gap, ...): none is a solid line


# Colour-blind-safe hues (after Okabe and Ito), one set for each scheme, in the order of DOMAIN_LABELS
# and then cards studied and due: no two alike (CIELAB distance 30 or more), and each 4.5:1 or more
# against the plot's base colour (white, or the dark theme's near-black).
_SERIES_COLORS = {
    False: ("#0072b2", "#9c4f96", "#c34a00", "#00785a", "#4f5b66", "#7a6a00"),
    True: ("#56b4e9", "#d98cc9", "#ff8a50", "#3cc79a", "#b0bec5", "#f0e442"),
}
_DOMAIN_MARKS = ("circle", "square", "triangle", "diamond")
# Each domain's line its own pattern too: where two domains score the same two days running, one line lies
# on the other, and the lower one shows through the upper one's gaps.
_DOMAIN_DASHES: tuple[tuple[float, ...], ...] = ((), (5.0, 2.0), (1.5, 2.0), (5.0, 2.0, 1.5, 2.0))


class ProgressChart(QWidget):
    """Accuracy per domain over the last weeks (lines) and cards studied and due per day (bars),
    drawn with QPainter on the palette's base colour."""

    DAYS = 14

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fit_minimum_height()
        self.setAccessibleName(self.tr("Progress chart"))
        self.accuracy: dict[str, list[tuple[datetime.date, float]]] = {}
        self.studied: dict[datetime.date, int] = {}
        self.due: dict[datetime.date, int] = {}
        self.today = datetime.date.today()

    def _fit_minimum_height(self) -> None:
        """Room for the axis labels and legend at the current text size, and no more: at the
        largest sizes a taller minimum would push the window off a small screen."""
        self.setMinimumHeight(self.fontMetrics().height() * _CHART_MIN_LINES)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # View > text size; the old minimum would stay
            self._fit_minimum_height()

    def set_data(self, accuracy: dict[str, list[tuple[datetime.date, float]]], studied: dict[datetime.date, int],
                 due: dict[datetime.date, int], today: datetime.date) -> None:
        self.accuracy, self.studied, self.due, self.today = accuracy, studied, due, today
        self.update()

    def domain_series(self) -> list[ChartSeries]:
        """The accuracy chart's series, one for each domain, in the order of DOMAIN_LABELS."""
        colors = _SERIES_COLORS[self._dark()]
        return [ChartSeries(self.tr(label), QColor(colors[index]), _DOMAIN_MARKS[index], _DOMAIN_DASHES[index])
                for index, label in enumerate(DOMAIN_LABELS.values())]

    def day_series(self) -> tuple[ChartSeries, ChartSeries]:
        """Cards studied (solid bars) and due (hatched bars), in colours no domain has."""
        colors = _SERIES_COLORS[self._dark()]
        return (ChartSeries(self.tr("studied"), QColor(colors[4]), "bar"),
                ChartSeries(self.tr("due"), QColor(colors[5]), "hatched"))

    def domain_color(self, index: int) -> QColor:
        return self.domain_series()[index].color

    def _dark(self) -> bool:
        """Whether the plots are dark: the series' colours are chosen against what they are drawn on."""
        return self.plot_background().lightness() < 128

    def plot_background(self) -> QColor:
        """What the plots are filled with: the series' colours are chosen against it, whatever the
        page around the chart is painted with in this style."""
        return self.palette().color(QPalette.ColorRole.Base)

    def paintEvent(self, _event: QEvent) -> None:  # type: ignore[override]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        grid = self.palette().color(QPalette.ColorRole.Mid)
        line = self.fontMetrics().height()
        half = self.height() // 2
        self._accuracy_chart(painter, self._accuracy_area(), text, grid)
        self._days_chart(painter, QRect(0, half + line // 2, self.width(), self.height() - half - line // 2), text, grid)
        painter.end()

    def _accuracy_area(self) -> QRect:
        return QRect(0, 0, self.width(), self.height() // 2 - self.fontMetrics().height() // 2)

    def accuracy_plot(self) -> QRect:
        """The accuracy chart's plot, inside its frame."""
        return self._plot_in(self._accuracy_area())

    def _plot_in(self, area: QRect) -> QRect:
        line, label = self.fontMetrics().height(), self.fontMetrics().horizontalAdvance("100%")
        return QRect(area.left() + label + 12, area.top() + line * 2, area.width() - label - 24, area.height() - line * 4)

    def _frame(self, painter: QPainter, area: QRect, title: str, text: QColor, grid: QColor) -> QRect:
        line = self.fontMetrics().height()
        painter.setPen(text)
        shown = self.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, area.width() - 8)  # not cut mid-letter
        painter.drawText(area.left() + 4, area.top() + line, shown)
        plot = self._plot_in(area)
        painter.fillRect(plot, self.plot_background())
        painter.setPen(QPen(grid, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)
        return plot

    def _accuracy_chart(self, painter: QPainter, area: QRect, text: QColor, grid: QColor) -> None:
        plot = self._frame(painter, area, self.tr("Quiz accuracy by domain, last %1 days").replace("%1", str(self.DAYS)), text, grid)
        inside = self._points_area(plot)
        painter.setPen(text)
        for percent in (0, 50, 100):
            y = inside.bottom() - inside.height() * percent // 100
            painter.drawText(area.left() + 2, y + self.fontMetrics().ascent() // 2, f"{percent}%")
        series = self.domain_series()
        points = list(self.accuracy_points(plot).values())
        for each, dots in zip(series, points, strict=True):  # every line first: no line crosses another series' mark
            painter.setPen(self._line_pen(each))
            for previous, point in itertools.pairwise(dots):
                painter.drawLine(previous, point)
        for each, dots in zip(series, points, strict=True):
            for point in dots:
                self._draw_mark(painter, each, point)
        self._draw_legend(painter, self.legend_places(series, plot.left(), plot.right(), plot.bottom() + 8), text)

    @staticmethod
    def _line_pen(series: ChartSeries) -> QPen:
        pen = QPen(series.color, 2)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if series.dashes:
            pen.setDashPattern(list(series.dashes))
        return pen

    def point_radius(self) -> float:
        """A mark's size: half a circle's width, with the text size."""
        return max(4.5, self.fontMetrics().height() * 0.33)

    def _mark_path(self, mark: str, centre: QPointF) -> QPainterPath:
        """A mark's outline at centre, about the same area whatever its shape, so that none looks weightier."""
        radius, path = self.point_radius(), QPainterPath()
        if mark == "square":
            side = radius * 1.8
            path.addRect(QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side))
        elif mark in ("triangle", "diamond"):
            corners = ((0.0, -1.45), (1.256, 0.725), (-1.256, 0.725)) if mark == "triangle" \
                else ((0.0, -1.3), (1.3, 0.0), (0.0, 1.3), (-1.3, 0.0))  # the triangle's centre is its centroid
            path.addPolygon(QPolygonF([QPointF(centre.x() + dx * radius, centre.y() + dy * radius) for dx, dy in corners]))
            path.closeSubpath()
        else:
            path.addEllipse(centre, radius, radius)
        return path

    def _outline_width(self) -> float:
        """The plot's colour around each mark, so that marks side by side stay apart."""
        return max(1.5, self.point_radius() / 3)

    def _draw_mark(self, painter: QPainter, series: ChartSeries, centre: QPointF) -> None:
        painter.setPen(QPen(self.plot_background(), self._outline_width()))
        painter.setBrush(series.color)  # filled: a single day's point must be seen, not a hollow speck
        painter.drawPath(self._mark_path(series.mark, centre))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def mark_reach(self) -> float:
        """How far the largest mark, with its outline, reaches from its centre."""
        bounds = [self._mark_path(mark, QPointF(0, 0)).boundingRect() for mark in _DOMAIN_MARKS]
        reach = max(max(-rect.left(), rect.right(), -rect.top(), rect.bottom()) for rect in bounds)
        return reach + self._outline_width() / 2

    def _spread_room(self) -> float:
        """How far a mark may be moved sideways, at most, so that equal values stand side by side."""
        return 1.5 * 2 * self.mark_reach()  # the outer two of four marks in a row

    def _points_area(self, plot: QRect) -> QRect:
        """Where values go: inside the frame by a whole mark (and, across, by the room marks side by
        side take), so that today's mark, or one at 0% or 100%, is drawn whole, clear of the frame."""
        down = math.ceil(self.mark_reach()) + 2
        across = math.ceil(self.mark_reach() + self._spread_room()) + 2
        return plot.adjusted(across, down, -across, -down)

    def accuracy_points(self, plot: QRect) -> dict[str, list[QPointF]]:
        """Each domain's daily accuracy over the last DAYS days, as the centres of its marks in the
        plot. Marks that would cover one another on a day (equal or near values) stand side by side,
        in the legend's order, centred on the day; their heights stay their values."""
        inside = self._points_area(plot)
        first = self.today - datetime.timedelta(days=self.DAYS - 1)
        step = inside.width() / max(1, self.DAYS - 1)
        points: dict[str, list[QPointF]] = {domain: [] for domain in DOMAIN_LABELS}
        by_day: dict[int, list[tuple[str, float]]] = {}
        for domain in DOMAIN_LABELS:
            for day, value in self.accuracy.get(domain, []):
                if first <= day <= self.today:
                    by_day.setdefault((day - first).days, []).append((domain, inside.bottom() - inside.height() * value))
        reach = self.mark_reach()
        apart = min(2 * reach, step / 4)  # side by side; in a narrow window, no nearer a neighbouring day than that
        for offset in sorted(by_day):
            centre = inside.left() + step * offset
            for group in self._covering(by_day[offset], 2 * reach):
                for place, (domain, y) in enumerate(group):
                    points[domain].append(QPointF(centre + (place - (len(group) - 1) / 2) * apart, y))
        return points

    @staticmethod
    def _covering(values: list[tuple[str, float]], near: float) -> list[list[tuple[str, float]]]:
        """One day's (domain, height) in groups whose marks would overlap, each in the legend's order."""
        order = list(DOMAIN_LABELS)
        groups: list[list[tuple[str, float]]] = []
        for entry in sorted(values, key=lambda item: item[1]):
            if groups and entry[1] - groups[-1][-1][1] < near:
                groups[-1].append(entry)
            else:
                groups.append([entry])
        return [sorted(group, key=lambda item: order.index(item[0])) for group in groups]

    def accuracy_marks(self, plot: QRect) -> dict[str, list[QRectF]]:
        """Where each domain's marks are drawn, outline included."""
        outline = self._outline_width() / 2
        return {domain: [self._mark_path(series.mark, point).boundingRect().adjusted(-outline, -outline, outline, outline)
                         for point in points]
                for (domain, points), series in zip(self.accuracy_points(plot).items(), self.domain_series(), strict=True)}

    def _swatch_width(self) -> int:
        return math.ceil(3 * self.mark_reach())

    def legend_places(self, items: Sequence[ChartSeries], left: int, right: int, top: int) -> list[tuple[QRect, ChartSeries]]:
        """Where each legend entry (its series' mark and label) goes: in a row from left, on a further
        row when the next would pass right (a narrow window, large text)."""
        metrics = self.fontMetrics()
        places: list[tuple[QRect, ChartSeries]] = []
        x, y = left, top
        height = max(metrics.height(), math.ceil(2 * self.mark_reach()))
        for series in items:
            width = self._swatch_width() + 6 + metrics.horizontalAdvance(series.label)
            if x > left and x + width > right:
                x, y = left, y + height + 2
            places.append((QRect(x, y, width, height), series))
            x += width + 24
        return places

    def _draw_legend(self, painter: QPainter, places: list[tuple[QRect, ChartSeries]], text: QColor) -> None:
        swatch = self._swatch_width()
        for place, series in places:
            middle = place.top() + place.height() / 2
            painter.fillRect(QRectF(place.left(), place.top(), swatch, place.height()), self.plot_background())
            if series.mark in ("bar", "hatched"):
                self._draw_bar(painter, series, QRectF(place.left() + swatch / 2 - 6, middle - 6, 12, 12))
            else:  # a stretch of its line, with its mark
                painter.setPen(self._line_pen(series))
                painter.drawLine(QPointF(place.left() + 1, middle), QPointF(place.left() + swatch - 1, middle))
                self._draw_mark(painter, series, QPointF(place.left() + swatch / 2, middle))
            painter.setPen(text)
            baseline = middle - self.fontMetrics().height() / 2 + self.fontMetrics().ascent()
            painter.drawText(QPointF(place.left() + swatch + 6, baseline), series.label)

    def _draw_bar(self, painter: QPainter, series: ChartSeries, bar: QRectF) -> None:
        """Studied: solid. Due: hatched and outlined, told apart from studied without its colour."""
        if series.mark == "hatched":
            faint = QColor(series.color)
            faint.setAlphaF(0.3)
            painter.fillRect(bar, faint)
            painter.fillRect(bar, QBrush(series.color, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(series.color, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bar.adjusted(0.75, 0.75, -0.75, -0.75))
        else:
            painter.fillRect(bar, series.color)

    def _days_chart(self, painter: QPainter, area: QRect, text: QColor, grid: QColor) -> None:
        plot = self._frame(painter, area, self.days_title(), text, grid)
        days = [self.today + datetime.timedelta(days=offset) for offset in range(-self.DAYS + 1, self.DAYS)]
        values = [(self.studied.get(d, 0), self.due.get(d, 0) if d >= self.today else 0) for d in days]
        peak = max([1, *(max(s, u) for s, u in values)])
        painter.setPen(text)
        painter.drawText(area.left() + 2, plot.top() + self.fontMetrics().ascent(), str(peak))
        painter.drawText(area.left() + 2, plot.bottom(), "0")
        width = plot.width() / len(days)
        studied_series, due_series = self.day_series()
        for index, (studied, due) in enumerate(values):
            x = plot.left() + width * index
            for offset, value, series in ((0.1, studied, studied_series), (0.5, due, due_series)):
                if value:
                    height = plot.height() * value / peak
                    self._draw_bar(painter, series, QRectF(x + width * offset, plot.bottom() - height, width * 0.4, height))
        today_x = plot.left() + width * (self.DAYS - 1)
        painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(today_x, plot.top()), QPointF(today_x, plot.bottom()))
        painter.setPen(text)
        painter.drawText(QPointF(today_x + 4, plot.bottom() + self.fontMetrics().height()), self.tr("today"))
        self._draw_legend(painter, self.days_legend_places(area, plot, studied_series, due_series), text)

    def days_legend_places(self, area: QRect, plot: QRect, studied: ChartSeries,
                           due: ChartSeries) -> list[tuple[QRect, ChartSeries]]:
        """On the title line, right-aligned, where it fits beside the title; else under the plot,
        below the "today" mark (a narrow window, large text)."""
        items = [studied, due]
        metrics = self.fontMetrics()
        width = sum(self._swatch_width() + 6 + metrics.horizontalAdvance(series.label) for series in items) + 24 * (len(items) - 1)
        title_end = area.left() + 4 + metrics.horizontalAdvance(self.days_title())
        if plot.right() - width > title_end + 24:
            return self.legend_places(items, plot.right() - width, plot.right(), area.top() + 2)
        return self.legend_places(items, plot.left(), plot.right(), plot.bottom() + metrics.height() + 2)

    def days_title(self) -> str:
        return self.tr("Cards studied (last %1 days) and due (next %1 days)").replace("%1", str(self.DAYS))
