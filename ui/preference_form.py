"""A form with one field per declared preference (app/preferences.py), chosen by its type:
on/off -> check box, number -> spin box with the declared range, choices -> combo box,
text -> line edit. Adding a declaration adds its field; nothing here names a preference."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.preferences import PreferenceSpec, Value
from ui.tooltip_text import wrapped

_INT_LIMIT = 2**31 - 1  # what a QSpinBox holds


def _spin(p: PreferenceSpec) -> QSpinBox | QDoubleSpinBox:
    box: QSpinBox | QDoubleSpinBox
    if p.type is int:
        box = QSpinBox()
        low = -_INT_LIMIT if p.minimum is None else int(p.minimum)
        high = _INT_LIMIT if p.maximum is None else int(p.maximum)
        box.setRange(low, high)
    else:
        box = QDoubleSpinBox()
        box.setDecimals(2)
        low_f = -1e12 if p.minimum is None else float(p.minimum)
        high_f = 1e12 if p.maximum is None else float(p.maximum)
        box.setRange(low_f, high_f)
    if p.unit:
        box.setSuffix(f" {p.unit}")
    if p.zero_means and p.minimum == 0:
        box.setSpecialValueText(p.zero_means)  # shown at the minimum, which is 0
    return box


def field_for(p: PreferenceSpec) -> QWidget:
    """The widget that edits ``p``."""
    widget: QWidget
    if p.type is bool:
        widget = QCheckBox(p.label)
    elif p.type in (int, float):
        widget = _spin(p)
    elif p.choices:
        combo = QComboBox()
        combo.addItems(list(p.choices))
        widget = combo
    else:
        line = QLineEdit()
        line.setMaxLength(p.max_length)
        widget = line
    widget.setObjectName(f"pref:{p.name}")
    widget.setToolTip(wrapped(p.help))
    widget.setAccessibleName(p.label)
    widget.setAccessibleDescription(p.help)
    return widget


class PreferenceForm(QWidget):
    """Fields for ``specs``; ``load`` shows values, ``values`` reads what the person set."""

    def __init__(self, specs: Iterable[PreferenceSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = {p.name: p for p in specs}
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for p in self.specs.values():
            widget = field_for(p)
            self.fields[p.name] = widget
            if isinstance(widget, QCheckBox):
                form.addRow(widget)  # a check box carries its own label
            else:
                form.addRow(p.label, widget)
        self.load({p.name: p.default for p in self.specs.values()})

    def load(self, values: Mapping[str, Value]) -> None:
        for name, value in values.items():
            widget = self.fields.get(name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QDoubleSpinBox):
                widget.setValue(float(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))

    def values(self) -> dict[str, Value]:
        found: dict[str, Value] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QCheckBox):
                found[name] = widget.isChecked()
            elif isinstance(widget, QSpinBox | QDoubleSpinBox):
                found[name] = widget.value()
            elif isinstance(widget, QComboBox):
                found[name] = widget.currentText()
            elif isinstance(widget, QLineEdit):
                found[name] = widget.text()
        return found
