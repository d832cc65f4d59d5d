"""``warden ask``: the Assistant's service in the terminal, with the wallet's facts.

The same ``models.assistant.AssistantService`` as the window: secrets and pressure refused
by the rules before any model sees the question; wallet requests answered by code (balances,
history, the market brief) or shown as the action to confirm in the app; anything else
answered by the model and checked against the wallet's facts before it is printed. Nothing
is carried out from here.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

WHERE_TO_CONFIRM = {
    "send": "To send, use `warden send` or the Send screen; it is reviewed before signing.",
    "add_contact": "To save it: warden contacts add NAME ADDRESS.",
    "revoke": "Open Delegates in the app to review the revoke before signing.",
    "price_alert": "To save it, confirm it in the app's Assistant (or edit the market "
    "delegate's alert rules in Delegates).",
}


def open_wallet(network: str | None) -> tuple[Any, Any]:
    """(store, wallet) when there is an unlocked wallet; (None, None) without one. The wallet
    connects to the node on first use, so a node that is down only costs the balances."""
    from warden.context import open_store_if_any

    store = open_store_if_any()
    if store is None:
        log.info("ask without the wallet: none, or it stays locked")
        return None, None
    from app import preferences
    from app.wallet import networks
    from app.wallet.services import WalletServices

    with store.session() as s:
        name = network or str(preferences.get(s, "network.current"))
        info = networks.get_network(s, name)
    no_review: Any = None  # read-only here: nothing is reviewed or signed from `warden ask`
    wallet = WalletServices(store, lambda: networks.connect(info), info, no_review)
    return store, wallet


def answer(
    question: str,
    *,
    model_name: str | None,
    network: str | None,
    catalog: Any,
    max_tokens: int = 96,
    timeout_s: float = 90.0,
) -> str:
    from models.assistant import AssistantService, wallet_facts

    store, wallet = open_wallet(network)
    service = AssistantService(
        catalog,
        store,
        facts_fn=(lambda: wallet_facts(wallet)) if wallet is not None else None,
        model_name=model_name,
    )
    service.wallet = wallet
    try:
        action = service.parse_intent(question)
        if action is not None:
            extra = WHERE_TO_CONFIRM.get(action.kind)
            return action.description + (f"\n{extra}" if extra else "")
        reply = service.chat(
            [{"role": "user", "content": question}],
            on_token=None,
            max_tokens=max_tokens,
            timeout_s=timeout_s,
        )
        result = reply.result()
        return service.checked_answer(str(result.text).strip(), question).text
    finally:
        service.close()
        if store is not None:
            store.close()
