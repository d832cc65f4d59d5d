"""One explorer API: the requests it makes and what each one sends.

Both adapters GET ``module=account&action=…&address=…&startblock=…&endblock=…``: Blockscout at
``<instance>/api``, an Etherscan-compatible API at the URL given, with ``chainid`` (Etherscan's
v2 API serves every chain from one address) and the user's ``apikey``. One deadline per
request and a cap on the answer's size, as for the node (``app.wallet.rpc_transport``).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests
from sqlalchemy.orm import Session

from app.errors import NetworkError
from app.wallet import rpc_transport
from app.wallet.explorers import answers
from app.wallet.explorers.answers import Row
from app.wallet.explorers.settings import ExplorerSettings, load

log = logging.getLogger(__name__)

DEADLINE_S = 15.0
MAX_BYTES = 8 * 1024 * 1024  # 10,000 rows of ~600 bytes fit; more is refused
ACTIONS = ("txlist", "txlistinternal", "tokentx")


class Explorer:
    """A configured explorer; ``sent`` records, in words, every request it was asked."""

    def __init__(
        self,
        settings: ExplorerSettings,
        chain_id: int,
        *,
        deadline_s: float = DEADLINE_S,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.settings = settings
        self.chain_id = chain_id
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes
        self.where = urlsplit(settings.url).netloc  # the host: no path, no key
        self.label = "Blockscout" if settings.kind == "blockscout" else "Etherscan-compatible API"
        self.requests = 0
        self._session = rpc_transport.bounded_session()

    def __repr__(self) -> str:
        return f"Explorer({self.settings.kind}, {self.where})"

    @property
    def endpoint(self) -> str:
        url = self.settings.url
        if self.settings.kind == "blockscout" and not url.endswith("/api"):
            return url + "/api"
        return url

    def what_is_sent(self) -> str:
        extra = " and your API key" if self.settings.api_key else ""
        return f"this account's address and a block range{extra}, nothing else"

    def rows(self, action: str, account: str, lo: int, hi: int) -> list[Row]:
        """The checked rows of ``action`` for ``account`` in blocks [lo, hi]."""
        if action not in ACTIONS:
            raise ValueError(action)
        params = {
            "module": "account",
            "action": action,
            "address": account,
            "startblock": str(lo),
            "endblock": str(hi),
            "page": "1",
            "offset": str(answers.MAX_ROWS),
            "sort": "asc",
        }
        if self.settings.kind == "etherscan":
            params["chainid"] = str(self.chain_id)
            params["apikey"] = self.settings.api_key
        self.requests += 1
        try:
            body = rpc_transport.get(
                self._session,
                self.endpoint,
                params,
                deadline_s=self.deadline_s,
                max_bytes=self.max_bytes,
                headers={"Accept": "application/json"},
            )
        except rpc_transport.ResponseTooLarge:
            raise answers.refused(self.where, f"sent more than {self.max_bytes:,} bytes") from None
        except rpc_transport.DeadlinePassed:
            raise NetworkError(
                f"The explorer at {self.where} did not answer within {self.deadline_s:g} s.",
                hint="Try again later; the node's own history is kept.",
            ) from None
        except requests.exceptions.RequestException as exc:
            # The exception's text may hold the URL with the key: only its kind is shown.
            raise NetworkError(
                f"Could not reach the explorer at {self.where} ({type(exc).__name__}).",
                hint="Check its URL with 'warden networks explorer NAME', or try again later.",
            ) from None
        raw = answers.parse(body, where=self.where)
        return answers.check_rows(
            raw, where=self.where, account=account, lo=lo, hi=hi, action=action
        )


def explorer_for(session: Session, chain_id: int) -> Explorer | None:
    """The explorer configured for ``chain_id``, or None (the default)."""
    settings = load(session, chain_id)
    return Explorer(settings, chain_id) if settings is not None else None
