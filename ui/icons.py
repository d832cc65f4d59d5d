"""The app icon, drawn rather than shipped: a shield with a check mark."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


def app_icon(size: int = 64, paused: bool = False) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    shield = QPainterPath()
    shield.moveTo(32 * s, 4 * s)
    shield.lineTo(56 * s, 13 * s)
    shield.cubicTo(56 * s, 36 * s, 47 * s, 52 * s, 32 * s, 60 * s)
    shield.cubicTo(17 * s, 52 * s, 8 * s, 36 * s, 8 * s, 13 * s)
    shield.closeSubpath()
    p.fillPath(shield, QColor("#7a8699" if paused else "#2f6fed"))
    pen = QPen(QColor("#ffffff"), 6 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.drawPolyline([QPointF(21 * s, 32 * s), QPointF(29 * s, 40 * s), QPointF(43 * s, 24 * s)])
    p.end()
    return QIcon(pm)
