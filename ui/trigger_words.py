"""Delegate triggers in words: "cron 0 9 1 * *" reads "at 09:00, on day 1 of the month",
"on approval_did_change" reads "when an approval of yours changes".

The labels come from ``delegates.runtime.base`` (``Every.label``, ``Cron.label``,
``On.label``) and from the runner ("manual"); anything else is shown with its underscores
turned into spaces, never as a code. Schedules are in UTC unless the delegate says otherwise.
"""

from __future__ import annotations

import re

EVENT_WORDS: dict[str, str] = {
    "block_did_arrive": "when a new block arrives",
    "transfer_did_arrive": "when a transfer to you arrives",
    "approval_did_change": "when an approval of yours changes",
    "transaction_did_confirm": "when a transaction of yours is confirmed",
    "price_did_cross": "when a price crosses a level you set",
    "review_did_finish": "when a review finishes",
    "delegate_did_run": "when another delegate has run",
    "contacts_did_change": "when your address book changes",
    "accounts_did_change": "when your accounts change",
    "networks_did_change": "when your networks change",
    "tokens_did_change": "when your tokens change",
    "proposals_did_change": "when a proposal changes",
    "alerts_did_change": "when your alerts change",
    "settings_did_change": "when settings change",
    "delegates_did_change": "when delegates change",
    "transfers_did_change": "when your history changes",
    "prices_did_change": "when prices change",
}
_UNITS = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week"}
_EVERY = re.compile(r"(\d+)([smhdw])")


def _cron_words(expression: str) -> str:
    try:
        from cron_descriptor import ExpressionDescriptor, Options

        opts = Options()
        opts.use_24hour_time_format = True
        text = str(ExpressionDescriptor(expression, opts).get_description())
    except Exception:  # a malformed expression is shown as a schedule, not a crash
        return f"on the schedule {expression}"
    return text[0].lower() + text[1:] + " (UTC)"


def _every_words(rest: str) -> str:
    parts = []
    for n, unit in _EVERY.findall(rest):
        word = _UNITS[unit]
        parts.append(f"{n} {word}{'' if n == '1' else 's'}")
    return "every " + " ".join(parts) if parts else "every " + rest


def trigger_words(label: str) -> str:
    """One trigger label in words a person reads."""
    text = " ".join(str(label).split())
    if text == "manual":
        return "when you ask"
    if text.startswith("cron "):
        return _cron_words(text[5:])
    if text.startswith("every "):
        return _every_words(text[6:])
    if text.startswith("on "):
        event = text[3:]
        return EVENT_WORDS.get(event, "when " + event.replace("_did_", " did ").replace("_", " "))
    return text.replace("_", " ")


def triggers_sentence(labels: tuple[str, ...] | list[str]) -> str:
    """'Runs at 09:00, on day 1 of the month (UTC), and when an approval of yours changes.'"""
    words = [trigger_words(t) for t in labels]
    if not words:
        return "Runs only when you ask."
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"Runs {joined}."
