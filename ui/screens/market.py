"""Market: price chart with indicators (QtCharts), RSI, portfolio value and allocation, the
latest brief, and alerts. Numbers shown are always the computed ones."""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QWidget,
)

from app.errors import WardenError
from delegates.market.view import MarketView
from ui import theme
from ui.ops import market as market_ops
from ui.screens.base import Screen, ScreenContext
from ui.widgets import Card, error_label, label, muted, show_message

OVERLAYS = (("sma", "SMA 20", "#f0b429"), ("ema", "EMA 50", "#b36bff"))


def _chart(title: str) -> tuple[QChart, QChartView]:
    c = theme.current()
    chart = QChart()
    chart.setTitle(title)
    chart.setBackgroundBrush(QColor(c.card))
    chart.setBackgroundRoundness(10)
    chart.setTitleBrush(QColor(c.text))
    chart.legend().setLabelColor(QColor(c.muted))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(6, 6, 6, 6))
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(160)
    return chart, view


def _series(
    name: str,
    ts: list[int],
    values: list[float],
    color: str,
    width: float = 1.6,
    dashed: bool = False,
) -> QLineSeries:
    s = QLineSeries()
    s.setName(name)
    for t, v in zip(ts, values, strict=False):
        if v is not None and not math.isnan(v):
            s.append(float(t), float(v))
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    s.setPen(pen)
    return s


def _axes(
    chart: QChart, fmt: str = "MMM yy", label_fmt: str = "%.0f", ticks: int = 6
) -> tuple[QDateTimeAxis, QValueAxis]:
    c = theme.current()
    x = QDateTimeAxis()
    x.setFormat(fmt)
    x.setTickCount(ticks)
    y = QValueAxis()
    y.setLabelFormat(label_fmt)
    for ax in (x, y):
        ax.setLabelsColor(QColor(c.muted))
        ax.setGridLineColor(QColor(c.border))
        ax.setLinePenColor(QColor(c.border))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    return x, y


def _attach(chart: QChart, series: QLineSeries, x: QDateTimeAxis, y: QValueAxis) -> None:
    chart.addSeries(series)
    series.attachAxis(x)
    series.attachAxis(y)


def _range(x: QDateTimeAxis, y: QValueAxis, ts: list[int], values: list[float]) -> None:
    finite = [v for v in values if v is not None and not math.isnan(v)]
    if not ts or not finite:
        return
    x.setRange(QDateTime.fromMSecsSinceEpoch(ts[0]), QDateTime.fromMSecsSinceEpoch(ts[-1]))
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * 0.06 or 1
    y.setRange(lo - pad, hi + pad)


class MarketScreen(Screen):
    key = "market"
    title = "Market"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        bar = QHBoxLayout()
        self.symbol = QComboBox()
        self.symbol.setAccessibleName("Market")
        self.symbol.addItems(["ETH/USD", "BTC/USD"])
        self.symbol.currentTextChanged.connect(lambda _t: self.refresh())
        self.days = QComboBox()
        for text, n in (("3 months", 90), ("1 year", 365), ("2 years", 730)):
            self.days.addItem(text, n)
        self.days.setCurrentIndex(1)
        self.days.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.symbol)
        bar.addWidget(self.days)
        self.source = muted("", wrap=True)
        bar.addWidget(self.source, 1)
        self.outer.addLayout(bar)
        self.error = error_label()
        self.outer.addWidget(self.error)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.price_chart, self.price_view = _chart("Price")
        self.rsi_chart, self.rsi_view = _chart("RSI 14")
        self.rsi_view.setMaximumHeight(170)
        self.value_chart, self.value_view = _chart("Today's holdings at past prices (USD)")
        self.alloc_chart, self.alloc_view = _chart("Allocation")
        self.brief_card = Card("Brief")
        self.brief = label("Loading…", wrap=True, select=True)
        # a brief can be long: it scrolls inside its card instead of being cut off
        self.brief_scroll = QScrollArea()
        self.brief_scroll.setWidgetResizable(True)
        self.brief_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.brief_scroll.setWidget(self.brief)
        self.brief_scroll.setMinimumHeight(120)
        self.brief_card.body.addWidget(self.brief_scroll, 1)
        self.latest = muted("")
        self.brief_card.body.addWidget(self.latest)
        self.brief_card.body.addStretch(1)
        self.alerts_card = Card("Alerts")
        self.alerts = label("", wrap=True)
        self.alerts_card.body.addWidget(self.alerts)
        self.alerts_card.body.addStretch(1)
        grid.addWidget(self.price_view, 0, 0, 1, 2)
        grid.addWidget(self.brief_card, 0, 2)
        grid.addWidget(self.rsi_view, 1, 0, 1, 2)
        grid.addWidget(self.alerts_card, 1, 2)
        grid.addWidget(self.value_view, 2, 0)
        grid.addWidget(self.alloc_view, 2, 1, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        self.outer.addLayout(grid, 1)
        ctx.bridge.price_did_cross.connect(lambda _e: self.refresh())
        # Stored candles draw the charts; the holdings (after transfers) the portfolio.
        self.follow_changes(ctx.bridge.prices_did_change, ctx.bridge.transfers_did_change)

    def refresh(self) -> None:
        symbol = self.symbol.currentText()
        days = int(self.days.currentData())
        market_ops.view(self.services, symbol, days).success(self.show_view).failure(
            self._failed
        ).run()

    def _failed(self, exc: BaseException) -> None:
        msg = exc.user_message() if isinstance(exc, WardenError) else f"Something failed: {exc}"
        show_message(self.error, msg)

    def show_view(self, v: MarketView) -> None:
        show_message(self.error, "")
        c = theme.current()
        self.source.setText(v.source)
        # Price with overlays and Bollinger bands
        ch = self.price_chart
        ch.removeAllSeries()
        for ax in ch.axes():
            ch.removeAxis(ax)
        ch.setTitle(
            f"{v.symbol} daily close, recorded up to {v.as_of}"
            if v.recorded
            else f"{v.symbol} daily close"
        )
        x, y = _axes(ch)
        _attach(ch, _series(v.symbol, v.ts, v.close, c.accent, 2.0), x, y)
        for key, name, color in OVERLAYS:
            if key in v.overlays:
                _attach(ch, _series(name, v.ts, v.overlays[key], color), x, y)
        if "bb_upper" in v.overlays:
            for key in ("bb_upper", "bb_lower"):
                s = _series(
                    "Bollinger" if key == "bb_upper" else "",
                    v.ts,
                    v.overlays[key],
                    c.muted,
                    1.0,
                    dashed=True,
                )
                _attach(ch, s, x, y)
            markers = ch.legend().markers()
            if markers:
                markers[-1].setVisible(False)
        _range(
            x, y, v.ts, v.close + v.overlays.get("bb_upper", []) + v.overlays.get("bb_lower", [])
        )
        # RSI with its 30/70 lines
        rc = self.rsi_chart
        rc.removeAllSeries()
        for ax in rc.axes():
            rc.removeAxis(ax)
        rx, ry = _axes(rc)
        _attach(rc, _series("RSI", v.ts, v.rsi, c.accent), rx, ry)
        for level, color in ((70, c.danger), (30, c.safe)):
            _attach(rc, _series(str(level), v.ts, [level] * len(v.ts), color, 1.0, True), rx, ry)
        _range(rx, ry, v.ts, [0.0, 100.0] if v.ts else [])
        ry.setRange(0, 100)
        rc.legend().hide()
        # Portfolio value over time
        vc = self.value_chart
        vc.removeAllSeries()
        for ax in vc.axes():
            vc.removeAxis(ax)
        vx, vy = _axes(vc, label_fmt="$%.0f", ticks=3)
        pts = [t for t, _ in v.portfolio]
        vals = [val for _, val in v.portfolio]
        _attach(vc, _series("Value", pts, vals, c.safe, 2.0), vx, vy)
        _range(vx, vy, pts, vals)
        vc.legend().hide()
        # Allocation
        ac = self.alloc_chart
        ac.removeAllSeries()
        pie = QPieSeries()
        palette = [c.accent, "#f0b429", "#3fbf7f", "#b36bff", "#ff7f50", c.muted]
        total = sum(val for _, val in v.allocation) or 1.0
        for i, (sym, val) in enumerate(v.allocation):
            sl = pie.append(f"{sym} {val / total:.0%}", val)
            sl.setBrush(QColor(palette[i % len(palette)]))
            sl.setLabelColor(QColor(c.text))
            sl.setBorderColor(QColor(c.card))
        pie.setHoleSize(0.45)
        ac.addSeries(pie)
        ac.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        # Brief and alerts
        self.brief.setText(v.brief or "No brief yet.")
        self.latest.setText("  ·  ".join(f"{k} {val}" for k, val in v.latest.items()))
        self.alerts.setText(
            "\n".join(f"• {a}" for a in v.alerts) if v.alerts else "No alerts right now."
        )
