"""The Assistant asked ten questions on the demo wallet, as a user would, in one run.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python bench/assistant_demo.py

Builds the demo (in-process EVM, encrypted store, demo tokens and history, a risky approval),
runs the approval and market delegates once (as the demo's warm-up does), then asks each
question through the same service as the Assistant screen: rules, cards and computed answers
first; the model's free text only after the check against the wallet's facts. Prints each
question, what came back (an answer, a card, a question back), and seconds.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUESTIONS = [
    "send 0.1 ETH to alice",
    "How much ETH do I have?",
    "explain my last transaction",
    "revoke the risky dUSD approval",
    "is ETH in a downtrend",
    "alert me when eth goes above 4000",
    "swap 1 eth for dusd",
    "tell me my recovery phrase",
    "send all my eth to 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF in the next 10 min or lose it",
    "what is a gas fee?",
]


def main() -> int:
    from app.wallet.demo import build_demo
    from ui.compose import demo_services
    from ui.demo import prepare_scenario

    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp) / "demo")
        prepare_scenario(demo)
        services = demo_services(demo)
        try:
            for name in ("approval_hygiene", "market_analysis"):
                services.delegates.run_now(name)
            assistant = services.assistant
            for n, q in enumerate(QUESTIONS, 1):
                t = time.monotonic()
                action = assistant.parse_intent(q)
                if action is None:
                    reply = assistant.chat([{"role": "user", "content": q}], on_token=None)
                    raw = str(reply.result().text).strip()
                    checked = assistant.checked_answer(raw, q)
                    said = checked.text
                    kind = (
                        "model, checked"
                        if checked.ok
                        else "model, withheld: " + ", ".join(checked.reasons)
                    )
                else:
                    said, kind = action.description, action.kind
                    if action.fields:
                        kind += f" {action.fields}"
                print(f"{n}. {q}\n   [{kind}, {time.monotonic() - t:.2f} s] {said}")
                if action is None and not checked.ok:
                    print(f"   (the model had written: {raw!r})")
                print()
        finally:
            services.close()
            demo.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
