"""The user's number format, from Qt's locale, for the core's amount parser (which knows no Qt)."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from app.wallet.amounts import NumberFormat


def locale_number_format(locale: QLocale | None = None) -> NumberFormat:
    """The decimal and group separators of ``locale`` (default: the application's locale)."""
    loc = locale if locale is not None else QLocale()
    return NumberFormat(
        decimal=str(loc.decimalPoint()) or ".",
        group=str(loc.groupSeparator()),
        name=loc.name(),
    )
