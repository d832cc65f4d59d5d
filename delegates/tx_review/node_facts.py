"""Facts for a live request: from the user's RPC node and the encrypted store.

``make_reviewer`` builds the object the app plugs into its ``Reviewer`` port. web3 is
imported only here (never by the offline ``warden review``).

From the node: whether an address has code (``eth_getCode``), its age (the creation block,
found by binary search over ``eth_getCode`` at past blocks and cached in ContractFacts),
token metadata (``symbol``/``decimals``, ERC-165 for NFTs) and the sender's balances. From
the store (``app.wallet.stored_facts``): address book, past counterparties (only what the
user's own key sent; never a log, which any contract can emit), own accounts, blocklist,
trusted origins, labels and cached verification flags. Whatever cannot be read stays unknown.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.review_types import ReviewOutcome
from delegates.tx_review.decode import decode_request
from delegates.tx_review.facts import NATIVE, Account, Facts, Token, norm
from delegates.tx_review.known_contracts import known_contract
from delegates.tx_review.list_update import threat_facts
from delegates.tx_review.review import review_request

log = logging.getLogger(__name__)

SEL_SYMBOL = "0x95d89b41"
SEL_DECIMALS = "0x313ce567"
SEL_BALANCE_OF = "0x70a08231"
SEL_SUPPORTS = "0x01ffc9a7"
IFACE_721 = "80ac58cd"
IFACE_1155 = "d9b67a26"
MAX_ADDRESSES = 24  # a hostile request naming thousands of addresses cannot stall the review
# The node's answers are untrusted: a balance outside uint256 or a block number past this is
# nonsense (and a binary search over a 100,000-digit head would never end).
UINT256_MAX = 2**256 - 1
BLOCK_MAX = 2**48
# All the node questions of one review share this budget; past it the rest stays unknown
# (each call also has its own deadline in the chain client's provider).
FACTS_BUDGET_S = 30.0
GENESIS_TS = 1_438_269_973  # Ethereum's first block (30 July 2015): no chain is older


class OutOfTime(Exception):
    """The review's budget for questions to the node is spent; what is unread stays unknown."""


def node_int(value: Any, high: int) -> int | None:
    """An integer the node reported, when it is one and within [0, high]; else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        return None
    return int(value)


class NodeReviewer:
    """Implements ``app.review_types.Reviewer`` against a node and the store."""

    def __init__(
        self,
        w3: Any,
        db: Any = None,
        *,
        chain_id: int | None = None,
        explainer: Any = None,
        simulate: bool = True,
        native_symbol: str = "ETH",
        native_price_usd: float | None = None,
        large_native: Decimal | int | str | None = None,
        facts_budget_s: float = FACTS_BUDGET_S,
    ) -> None:
        self.w3 = getattr(w3, "w3", w3)  # a ChainClient or a Web3
        self.db = db
        self.chain_id = chain_id
        self.explainer = explainer
        self.simulate_enabled = simulate
        self.native_symbol = native_symbol
        self.native_price_usd = native_price_usd
        # whole coins from which a native send is large whatever the balance (None: the
        # rules' default for the symbol)
        self.large_native = _base_units(large_native)
        self.facts_budget_s = facts_budget_s
        self._budget = threading.local()  # per thread: one reviewer may serve several

    # --- node access ----------------------------------------------------------------
    def _spend(self) -> None:
        until = getattr(self._budget, "until", None)
        if until is not None and time.monotonic() > until:
            raise OutOfTime()

    def rpc(self, method: str, params: list[Any]) -> Any:
        resp = self.w3.provider.make_request(method, params)
        if isinstance(resp, dict) and resp.get("error"):
            raise RuntimeError(str(resp["error"])[:200])
        return resp["result"] if isinstance(resp, dict) else resp

    def _code(self, address: str, block: int | str = "latest") -> bytes:
        from eth_utils import to_checksum_address

        self._spend()
        code = self.w3.eth.get_code(to_checksum_address(address), block)
        if not isinstance(code, bytes | bytearray):
            raise TypeError("the node's code is not bytes")
        return bytes(code)

    def _call(self, to: str, data: str) -> bytes | None:
        from eth_utils import to_checksum_address

        try:
            self._spend()
            raw = self.w3.eth.call({"to": to_checksum_address(to), "data": data})
        except Exception:  # reverts, missing functions and a spent budget: "not answered"
            return None
        return bytes(raw) if isinstance(raw, bytes | bytearray) else None

    def creation_block(self, address: str, latest: int) -> int | None:
        """The first block at which ``address`` has code (binary search; None if unknown)."""
        try:
            if not self._code(address, latest):
                return None
            lo, hi = 0, latest
            while lo < hi:
                mid = (lo + hi) // 2
                if self._code(address, mid):
                    hi = mid
                else:
                    lo = mid + 1
            return lo
        except Exception as exc:  # pruned state on a non-archive node: age stays unknown
            log.info("creation block of %s unknown: %s", address, type(exc).__name__)
            return None

    def _cached(self, address: str) -> tuple[bool | None, int | None, bool | None]:
        if self.db is None or self.chain_id is None:
            return None, None, None
        from app.store.schema import ContractFacts

        with self.db.session() as s:
            row = s.get(ContractFacts, (self.chain_id, _checksum(address)))
            if row is None:
                return None, None, None
            return row.is_contract, row.creation_block, row.verified_source

    def _cache(self, address: str, is_contract: bool, creation: int | None) -> None:
        if self.db is None or self.chain_id is None:
            return
        from app.store.schema import ContractFacts

        with self.db.session() as s:
            row = s.get(ContractFacts, (self.chain_id, _checksum(address)))
            if row is None:
                row = ContractFacts(chain_id=self.chain_id, address=_checksum(address),
                                    is_contract=is_contract)  # fmt: skip
                s.add(row)
            row.is_contract = is_contract
            row.creation_block = creation

    def account(self, address: str, latest: int, now_ts: float) -> Account:
        cached_contract, cached_block, verified = self._cached(address)
        try:
            is_contract = bool(self._code(address))
        except Exception:
            return Account(is_contract=cached_contract, verified_source=verified)
        age = None
        known = known_contract(self.chain_id, address) if is_contract else None
        if verified is None and known is not None:
            verified = True
        if is_contract:
            block = cached_block if cached_contract and cached_block is not None else None
            if block is None:
                block = self.creation_block(address, latest)
                if block is not None:
                    self._cache(address, True, block)
            if block is not None:
                age = self._age_days(block, now_ts)
        return Account(
            is_contract=is_contract, age_days=age, verified_source=verified,
            label=self._label(address) or known,
        )  # fmt: skip

    def _age_days(self, block: int, now_ts: float) -> float | None:
        """Days since ``block``, when the node gives it a plausible time (after 2015, not
        more than a day in the future); otherwise unknown."""
        try:
            self._spend()
            ts = node_int(self.w3.eth.get_block(block)["timestamp"], int(now_ts) + 86_400)
        except Exception:
            return None
        if ts is None or ts < GENESIS_TS:
            return None
        return max(0.0, (now_ts - ts) / 86_400)

    def token(self, address: str) -> Token | None:
        from eth_abi import decode

        iface = SEL_SUPPORTS + IFACE_721.ljust(64, "0")
        raw = self._call(address, iface)
        if raw and len(raw) >= 32 and int.from_bytes(raw[:32], "big") == 1:
            return Token(standard="erc721", symbol=self._symbol(address), decimals=0)
        raw = self._call(address, SEL_SUPPORTS + IFACE_1155.ljust(64, "0"))
        if raw and len(raw) >= 32 and int.from_bytes(raw[:32], "big") == 1:
            return Token(standard="erc1155", symbol=self._symbol(address), decimals=0)
        raw = self._call(address, SEL_DECIMALS)
        if not raw or len(raw) < 32:
            return None
        try:
            decimals = int(decode(["uint8"], raw[:32], strict=False)[0])
        except Exception:
            return None
        return Token(standard="erc20", symbol=self._symbol(address), decimals=decimals)

    def _symbol(self, address: str) -> str | None:
        from eth_abi import decode

        raw = self._call(address, SEL_SYMBOL)
        if not raw:
            return None
        try:
            return str(decode(["string"], raw, strict=False)[0])[:32]
        except Exception:
            try:  # old tokens (MKR) return bytes32
                return raw[:32].rstrip(b"\0").decode("utf-8", "replace")[:32]
            except Exception:
                return None

    def balance_of(self, token: str, owner: str) -> int | None:
        raw = self._call(token, SEL_BALANCE_OF + owner[2:].rjust(64, "0"))
        return int.from_bytes(raw[:32], "big") if raw and len(raw) >= 32 else None

    # --- store ----------------------------------------------------------------------
    def _label(self, address: str) -> str | None:
        if self.db is None:
            return None
        from app.store.schema import Contact, Label

        key = _checksum(address)
        with self.db.session() as s:
            contact = s.query(Contact).filter(Contact.address == key).first()
            if contact is not None:
                return str(contact.name)
            label = s.get(Label, key)
            return str(label.label) if label is not None else None

    def store_facts(self, user: str) -> dict[str, Any]:
        """The store's facts for a request from ``user`` (``app.wallet.stored_facts``, the
        same code as the fallback reviewer's), on this reviewer's chain."""
        if self.db is None:
            return {}
        from app.wallet.stored_facts import stored_facts

        return stored_facts(self.db, user=user, chain_id=self._chain()).as_dict()

    def _chain(self) -> int | None:
        """The chain the node serves, when the reviewer was not told (None if unknown)."""
        if self.chain_id is not None:
            return self.chain_id
        try:
            return int(self.w3.eth.chain_id)
        except Exception:  # unknown chain: no stored history counts (fail closed)
            return None

    # --- the review -----------------------------------------------------------------
    def gather_facts(self, request: dict[str, Any]) -> Facts:
        user = norm(request.get("from"))
        stored = self.store_facts(user)
        listed, scams = threat_facts(self.db)  # the user's fetched phishing lists
        now = datetime.now(UTC)
        first = decode_request(request, Facts())
        addresses: list[str] = []
        tokens: list[str] = []
        for ap in first.approvals:
            tokens.append(ap.token)
        for tr in first.transfers:
            if tr.asset != NATIVE:
                tokens.append(tr.asset)
        for c in first.calls:
            tokens.append(c.target)  # a call's target may be a token (approve, transfer)
        for address, _role in first.mentioned:
            addresses.append(address)
        for tr in first.transfers:
            addresses.append(tr.recipient)
        addresses = [a for a in dict.fromkeys(addresses + tokens) if len(a) == 42][:MAX_ADDRESSES]
        tokens = [t for t in dict.fromkeys(tokens) if len(t) == 42][:MAX_ADDRESSES]
        accounts: dict[str, Account] = {}
        token_facts: dict[str, Token] = {}
        balances: dict[str, int] = {}
        self._budget.until = time.monotonic() + self.facts_budget_s
        try:
            self._spend()
            latest = node_int(self.w3.eth.block_number, BLOCK_MAX)
            if latest is None:
                raise ValueError("the node's block number is not a plausible one")
            for a in addresses:
                accounts[a] = self.account(a, latest, now.timestamp())
            for t in tokens:
                if accounts.get(t) and accounts[t].is_contract:
                    info = self.token(t)
                    if info is not None:
                        token_facts[t] = info
                        if len(user) == 42:
                            bal = self.balance_of(t, user)
                            if bal is not None:
                                balances[t] = bal
            if len(user) == 42:
                from eth_utils import to_checksum_address

                self._spend()
                # a balance the node makes up can only add findings: large_transfer also has
                # an absolute threshold, and a balance that is no uint256 stays unknown
                native = node_int(self.w3.eth.get_balance(to_checksum_address(user)), UINT256_MAX)
                if native is not None:
                    balances[NATIVE] = native
        except Exception as exc:  # the node failed part-way: what was read stands, rest unknown
            log.warning("facts from the node are incomplete: %s", type(exc).__name__)
        finally:
            self._budget.until = None
        return Facts(
            accounts=accounts,
            tokens=token_facts,
            balances=balances,
            own_accounts=frozenset(stored.get("own_accounts", [])),
            address_book=frozenset(norm(a) for a in stored.get("address_book", [])),
            past_counterparties=frozenset(stored.get("past_counterparties", [])),
            blocklist=frozenset(norm(a) for a in stored.get("blocklist", [])) | scams,
            trusted_origins=tuple(stored.get("trusted_origins", [])),
            phishing_domains=listed,
            native_price_usd=self.native_price_usd,
            now=now,
            native_symbol=self.native_symbol,
            large_native=self.large_native,
        )

    def simulate(self, request: dict[str, Any]) -> dict[str, Any] | None:
        if not self.simulate_enabled:
            return None
        from delegates.tx_review.simulate import simulate

        return simulate(self.rpc, request)

    def review(self, request: dict[str, Any]) -> ReviewOutcome:
        try:
            facts = self.gather_facts(request)
        except Exception as exc:  # no facts: every address is unknown, never assumed safe
            log.warning("gathering facts failed: %s", type(exc).__name__)
            facts = Facts(now=datetime.now(UTC), native_symbol=self.native_symbol)
        sim = self.simulate(request)
        return review_request(request, facts, explainer=self.explainer, simulation=sim)


def _base_units(coins: Decimal | int | str | None) -> int | None:
    """Whole native coins (18 decimals) as base units; None for none or nonsense."""
    if coins is None:
        return None
    try:
        units = int(Decimal(str(coins)).scaleb(18))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return units if units > 0 else None


def _checksum(address: str) -> str:
    from eth_utils import to_checksum_address

    return str(to_checksum_address(address))


def make_reviewer(w3: Any, db: Any = None, **kwargs: Any) -> NodeReviewer:
    """A ``Reviewer`` for the app: ``w3`` is a Web3 or the wallet's ChainClient."""
    if kwargs.get("chain_id") is None:
        kwargs["chain_id"] = getattr(w3, "chain_id", None)
    return NodeReviewer(w3, db, **kwargs)
