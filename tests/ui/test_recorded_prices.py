"""Recorded market data shows its date and is never priced as today's (issue 19, item 6).

The demo's ETH and BTC prices are the last closes of the bundled June 2022 recording."""

from __future__ import annotations

import re

from tests.ui.conftest import wait_idle


def test_market_screen_labels_recorded_candles_with_their_date(qtbot, controller) -> None:
    m = controller.window.open("market")
    wait_idle(qtbot)
    source = m.source.text()
    assert "recorded" in source and "not today's price" in source
    day = re.search(r"last close (\d{4}-\d{2}-\d{2})", source)
    assert day is not None
    assert m.brief.text().startswith(f"Recorded data, last close {day.group(1)}")
    assert day.group(1) in m.price_chart.title()


def test_wallet_total_leaves_out_the_recorded_eth_price(qtbot, controller) -> None:
    w = controller.window.open("wallet")
    wait_idle(qtbot)
    values = {
        w.balances.item(i, 0).text(): w.balances.item(i, 2).text()
        for i in range(w.balances.rowCount())
    }
    assert values["ETH"] == "—"  # a 2022 close is not the value of today's ETH
    assert values["dUSD"].startswith("$")
    assert w.total.text() == values["dUSD"]  # only dUSD is counted (dGOV has no price)
    assert "not counted" in " ".join(lab.text() for lab in w.findChildren(type(w.total)))
