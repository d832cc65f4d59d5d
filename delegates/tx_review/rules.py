"""The rules: every finding code of shared/spec/review-cases.md, with its severity.

Input is the decoded request and the facts; nothing from the request's free text (symbols,
messages, origins' wording, calldata strings) can remove a finding: the rules look only at
addresses, amounts, types and the facts.
"""

from __future__ import annotations

from typing import Any

from app.lookalike import is_trusted_origin, lookalike_of, lookalike_origin
from app.review_types import Finding, Severity
from delegates.tx_review.decode.model import NATIVE, Approval, Decoded
from delegates.tx_review.facts import Facts, norm, to_int
from delegates.tx_review.fmt import addr, amount, symbol
from delegates.tx_review.orders import order_findings

UNLIMITED = 2**255
PERMIT2_MAX = 2**160 - 1
FAR_MORE = 1000  # "far more than the balance": this many times it
NEW_CONTRACT_DAYS = 30
DAY = 86_400
NATIVE_DECIMALS = 18
# large_transfer's absolute threshold, in whole coins, by native symbol: tens of thousands of
# dollars at today's prices (Facts.large_native overrides it). A coin not listed is judged
# like ETH: at worst a caution too many on a cheap coin, never one too few on a dear one.
LARGE_NATIVE_UNITS: dict[str, int] = {
    "ETH": 10,
    "BNB": 50,
    "AVAX": 1_000,
    "POL": 100_000,
    "MATIC": 100_000,
    "XDAI": 30_000,
}
LARGE_NATIVE_UNITS_UNKNOWN = 10


class Rules:
    def __init__(self, request: dict[str, Any], facts: Facts, dec: Decoded) -> None:
        self.request, self.facts, self.dec = request, facts, dec
        self.user = norm(request.get("from"))
        self.origin = request.get("origin") if isinstance(request.get("origin"), str) else None
        self.findings: list[Finding] = []
        self._spenders_checked: set[str] = set()

    def add(self, code: str, severity: Severity, detail: str) -> None:
        self.findings.append(Finding(code, severity, detail))

    def run(self) -> list[Finding]:
        self.blocklist()
        self.origin_rules()
        self.blind()
        self.chain()
        self.approvals()
        self.operators()
        self.transfers()
        self.own_accounts()
        self.burn_addresses()
        self.orders()
        self.calls()
        self.creation()
        self.long_text()
        self.undecoded()
        return self.findings

    # --- who is involved ------------------------------------------------------------
    def blocklist(self) -> None:
        seen: set[str] = set()
        for address, role in self.dec.mentioned:
            if address in self.facts.blocklist and address not in seen:
                seen.add(address)
                self.add(
                    "blocklisted_address",
                    "danger",
                    f"The {role.replace('_', ' ')} {addr(address, self.facts)} is on your "
                    "blocklist of known scam addresses.",
                )

    def origin_rules(self) -> None:
        hit = lookalike_origin(self.origin, self.facts.trusted_origins)
        if hit:
            trusted, how = hit
            self.add(
                "suspicious_origin",
                "danger",
                f"The site {_origin_text(self.origin)} imitates the trusted {trusted}: {how}.",
            )
        self.origin_signs()
        if self.dec.siwe_domain and self.origin:
            from app.lookalike import host_of

            host, named = host_of(self.origin), host_of(self.dec.siwe_domain)
            if host and named != host:
                self.add(
                    "suspicious_origin",
                    "danger",
                    f"The sign-in message is for {named[:80]} but the request came from "
                    f"{host[:80]}: a site is trying to sign you in somewhere else.",
                )

    def origin_signs(self) -> None:
        """Name heuristics and phishing lists (delegates.tx_review.origins): one finding
        with the most severe sign and the next one, so the dialog stays readable."""
        from delegates.tx_review.origins import assess_origin

        raw = self.request.get("origin")
        signs = assess_origin(
            raw if raw is None or isinstance(raw, str) else repr(raw)[:200],
            trusted=self.facts.trusted_origins,
            phishing=self.facts.phishing_domains,
        )
        if signs:
            detail = " ".join(s.reason for s in signs[:2])
            self.add("suspicious_origin", signs[0].severity, detail)

    def blind(self) -> None:
        if self.dec.blind:
            self.add("blind_signature", "danger", f"Blind signature: {self.dec.blind}.")

    def chain(self) -> None:
        here = to_int(self.request.get("chain_id"))
        params = self.request.get("params")
        ids = list(self.dec.signed_chain_ids)
        if self.dec.kind == "transaction" and isinstance(params, dict) and "chainId" in params:
            tx_chain = to_int(params.get("chainId"))
            if tx_chain is not None:
                ids.append(tx_chain)
        if ids and here is None:
            self.dec.undecoded.append("the request does not say which chain it is for")
            return
        for cid in dict.fromkeys(ids):
            if cid != here:
                self.add(
                    "chain_mismatch",
                    "danger",
                    f"You are connected to chain {here} but the signature is for chain {cid}: "
                    "it could be replayed where you did not intend.",
                )

    # --- allowances -----------------------------------------------------------------
    def _unlimited(self, a: Approval) -> tuple[bool, str]:
        if a.amount is None:
            return True, "an unlimited allowance (allowed=true)"
        if a.amount >= UNLIMITED or a.amount >= PERMIT2_MAX:
            return True, "an unlimited allowance"
        bal = self.facts.balance(a.token) if a.token else None
        if bal is not None and a.amount >= FAR_MORE * bal:
            have = amount(a.token, bal, self.facts)
            return True, f"far more than your balance of {have}"
        return False, ""

    def _spender_checks(self, spender: str, what: str, exact_erc20: bool) -> None:
        if spender in self._spenders_checked:
            return  # one finding per spender, however many tokens it is granted
        self._spenders_checked.add(spender)
        acc = self.facts.account(spender)
        who = addr(spender, self.facts)
        if acc.is_contract is False:
            self.add(
                "approval_to_eoa",
                "danger",
                f"{what} goes to {who}, a plain account rather than a contract: whoever holds "
                "its key can take the assets at any time.",
            )
            return
        young = acc.age_days is None or acc.age_days < NEW_CONTRACT_DAYS
        unverified = acc.verified_source is not True
        if acc.is_contract is None or young or unverified:
            reasons = []
            if acc.is_contract is None:
                reasons.append("Warden knows nothing about this address")
            elif acc.age_days is None:
                reasons.append("its age is unknown")
            elif young:
                reasons.append(f"it is only {int(acc.age_days)} days old")
            if unverified and acc.is_contract is not None:
                reasons.append(
                    "its source code is not verified"
                    if acc.verified_source is False
                    else "its source code is not known to be verified"
                )
            severity: Severity = (
                "caution" if exact_erc20 and acc.verified_source is True else "danger"
            )
            self.add(
                "approval_to_new_contract",
                severity,
                f"{what} goes to the contract {who}, and " + " and ".join(reasons) + ".",
            )

    def approvals(self) -> None:
        permit_info_ok = True
        any_permit = False
        for a in self.dec.approvals:
            tok = a.token
            if a.kind == "erc721":
                what = f"Permission to take {amount(tok, 1, self.facts, token_id=a.token_id)}"
            else:
                what = f"An allowance of {amount(tok, a.amount, self.facts)}"
            unlimited, why = (False, "") if a.kind == "erc721" else self._unlimited(a)
            if unlimited:
                sym = symbol(tok, self.facts)
                granted = (
                    f"an unlimited amount of {sym}"
                    if not why.startswith("far")
                    else f"{amount(tok, a.amount, self.facts)}, {why}"
                )
                self.add(
                    "unlimited_approval",
                    "caution",
                    f"{addr(a.spender, self.facts)} may spend {granted}: it could take all "
                    f"your {sym}, now and later.",
                )
            bal = self.facts.balance(tok) if tok else None
            exact = not unlimited and bal is not None and a.amount is not None and a.amount <= bal
            onchain_erc20 = a.kind in ("erc20", "erc20_increase") and not a.signature
            self._spender_checks(a.spender, what, exact and onchain_erc20)
            if a.signature and a.kind in ("permit", "dai_permit", "permit2", "permit2_transfer"):
                any_permit = True
                if not self._permit_is_routine(a, exact):
                    permit_info_ok = False
        if self.dec.permit_signature or self.dec.permit2_signature:
            code = "permit2_signature" if self.dec.permit2_signature else "permit_signature"
            kind = "Permit2" if self.dec.permit2_signature else "token permit (EIP-2612)"
            origin_ok = self.origin is None or is_trusted_origin(
                self.origin, self.facts.trusted_origins
            )
            routine = any_permit and permit_info_ok and origin_ok
            if not any_permit and not self.dec.approvals:
                routine = origin_ok  # a signed revocation grants nothing
            detail = (
                f"This is a {kind} signature: once signed, the spender can move the tokens "
                "without any further transaction from you."
            )
            if routine:
                detail += (
                    " It is routine here: a verified, established spender you already use, "
                    "amounts within your balance and a short deadline."
                )
            self.add(code, "info" if routine else "caution", detail)

    def _permit_is_routine(self, a: Approval, exact: bool) -> bool:
        acc = self.facts.account(a.spender)
        if not (acc.is_contract and acc.verified_source is True):
            return False
        if acc.age_days is None or acc.age_days < NEW_CONTRACT_DAYS:
            return False
        if a.spender not in self.facts.past_counterparties or not exact:
            return False
        limit = self.facts.now_ts() + DAY
        for d in a.deadlines:
            if d == 0 and a.kind == "dai_permit":
                return False  # DAI: expiry 0 never expires
            if d > limit:
                return False
        return True

    def operators(self) -> None:
        for op in self.dec.operators:
            what = f"Control of all your {symbol(op.collection, self.facts)} items"
            self.add(
                "set_approval_for_all",
                "caution",
                f"{what} is given to {addr(op.operator, self.facts)}: it could transfer every "
                f"item of {addr(op.collection, self.facts)} you hold, now and later.",
            )
            self._spender_checks(op.operator, what, False)

    # --- assets moving --------------------------------------------------------------
    def _targets(self) -> list[str]:
        """The targets that are not the user's own accounts (those are ``own_accounts``')."""
        return [a for a in self._all_targets() if a not in self.facts.own_accounts]

    def _all_targets(self) -> list[str]:
        """The transaction's ``to`` and the recipients of transfers, in order, once each."""
        out: list[str] = []
        params = self.request.get("params")
        to = norm(params.get("to")) if isinstance(params, dict) else ""
        if self.dec.kind == "transaction" and to and not self.dec.creation:
            out.append(to)
        for t in self.dec.transfers:
            if t.role != "fee" and t.recipient and t.recipient not in out:
                out.append(t.recipient)
        return [a for a in out if a != self.user]

    def transfers(self) -> None:
        if self.dec.kind != "transaction":
            return
        for t in self.dec.transfers:
            if t.asset != NATIVE and t.recipient == t.asset:
                self.add(
                    "transfer_to_token_contract",
                    "danger",
                    f"{amount(t.asset, t.amount, self.facts, token_id=t.token_id)} would be "
                    f"sent to the {symbol(t.asset, self.facts)} token contract itself, where "
                    "no one can ever get them back.",
                )
        totals: dict[str, int] = {}
        for t in self.dec.transfers:
            if t.from_user and t.recipient != self.user:  # to oneself nothing leaves
                totals[t.asset] = totals.get(t.asset, 0) + t.amount
        for asset, moved in totals.items():
            self.large_transfer(asset, moved)
        known = set(self.facts.address_book) | set(self.facts.past_counterparties)
        known.add(self.user)
        for target in self._targets():
            mimic = None
            if target not in self.facts.address_book:
                mimic = lookalike_of(target, sorted(known))
            if mimic:
                self.add(
                    "address_poisoning",
                    "danger",
                    f"The recipient {addr(target, self.facts)} looks like {addr(mimic, self.facts)}"
                    " (same first and last characters) but is a different address: a copy of it "
                    "was likely planted in your history.",
                )
            if target not in self.facts.past_counterparties:
                self.add(
                    "first_interaction",
                    "caution",
                    f"You have never sent to or called {addr(target, self.facts)} before.",
                )

    def large_transfer(self, asset: str, moved: int) -> None:
        """More than half the balance, or at least the absolute threshold. The balance comes
        from the node, so it can only add this finding: a node that reports a huge balance
        does not make a large send small."""
        if moved <= 0:
            return
        bal = self.facts.balance(asset)
        share = bal is not None and 2 * moved > bal
        limit = large_native_limit(self.facts) if asset == NATIVE else None
        absolute = limit is not None and moved >= limit
        if not (share or absolute):
            return
        parts = [f"This moves {amount(asset, moved, self.facts)}"]
        if share and bal is not None:
            pct = f"{100 * moved / bal:.0f}%" if bal else "more than all"
            parts.append(f"{pct} of your balance of {amount(asset, bal, self.facts)}")
        if absolute and limit is not None:
            parts.append(
                f"at least {amount(asset, limit, self.facts)}, from which Warden calls a send "
                "large whatever the balance"
            )
        self.add("large_transfer", "caution", ", ".join(parts) + ".")

    def own_accounts(self) -> None:
        """A send to another account of this wallet is no first interaction; one that only
        looks like such an account is poisoning (the user knows their own at a glance)."""
        if self.dec.kind != "transaction":
            return
        own = sorted(self.facts.own_accounts)
        known = sorted({*self.facts.address_book, *self.facts.past_counterparties, self.user})
        for target in self._all_targets():
            if target in self.facts.own_accounts:
                self.add(
                    "own_account",
                    "info",
                    f"{addr(target, self.facts)} is one of your own accounts in this wallet.",
                )
                continue
            if target in self.facts.address_book or lookalike_of(target, known):
                continue  # saved by the user, or ``transfers`` has already said it
            mimic = lookalike_of(target, own)
            if mimic:
                self.add(
                    "address_poisoning",
                    "danger",
                    f"The recipient {addr(target, self.facts)} looks like your own account "
                    f"{addr(mimic, self.facts)} (same first and last characters) but is a "
                    "different address: a copy of it was likely planted in your history.",
                )

    def burn_addresses(self) -> None:
        """Value sent to the zero address or a well-known burn address is gone for good."""
        if self.dec.kind != "transaction":
            return
        burnt: dict[str, list[str]] = {}
        for t in self.dec.transfers:
            if not t.from_user or t.role == "fee" or t.amount <= 0:
                continue
            if t.recipient in BURN_ADDRESSES:
                what = amount(t.asset, t.amount, self.facts, token_id=t.token_id)
                burnt.setdefault(t.recipient, []).append(what)
        for address, sent in burnt.items():
            self.add(
                "burn_address",
                "danger",
                f"{', '.join(sent[:3])} would be sent to {addr(address, self.facts)}, "
                f"{BURN_ADDRESSES[address]}: no one can ever take anything out of it again.",
            )

    # --- marketplace orders ---------------------------------------------------------
    def orders(self) -> None:
        for o in self.dec.orders:
            self.findings.extend(order_findings(o, self.facts))

    # --- calls Warden cannot read ---------------------------------------------------
    def calls(self) -> None:
        reported: set[str] = set()
        for c in self.dec.calls:
            key = c.target + c.selector
            if key in reported:
                continue
            acc = self.facts.account(c.target)
            if c.malformed:
                reported.add(key)
                self.add(
                    "unknown_contract_call",
                    "caution",
                    f"The call to {addr(c.target, self.facts)} does not decode "
                    f"({c.name or c.selector or 'no function'}): Warden cannot tell what it does.",
                )
            elif not c.decoded and c.name is None and acc.verified_source is not True:
                if acc.is_contract is False:
                    continue  # data sent to a plain account runs no code
                reported.add(key)
                self.add(
                    "unknown_contract_call",
                    "caution",
                    f"The function {c.selector} of {addr(c.target, self.facts)} is unknown and "
                    "the contract's source is not verified: Warden cannot tell what it does.",
                )

    def creation(self) -> None:
        if self.dec.creation:
            self.add(
                "contract_creation",
                "caution",
                "This transaction deploys a new contract whose code cannot be read here; "
                "only do this if you wrote or trust the code.",
            )

    def long_text(self) -> None:
        if self.dec.long_text:
            self.add(
                "unreadable_message",
                "caution",
                f"The text to sign is too long to read in full on one screen "
                f"({self.dec.long_text}): what you would agree to cannot be checked.",
            )

    def undecoded(self) -> None:
        # Always said, even beside unknown_contract_call: the user learns what was malformed.
        if self.dec.undecoded:
            reasons = list(dict.fromkeys(self.dec.undecoded))
            self.add(
                "undecodable_request",
                "caution",
                "Part of this request could not be read: "
                + "; ".join(reasons[:3])
                + (f"; and {len(reasons) - 3} more problem(s)" if len(reasons) > 3 else "")
                + ".",
            )


def large_native_limit(facts: Facts) -> int:
    """Base units of the native coin from which a send is large whatever the balance."""
    if facts.large_native is not None:
        return facts.large_native
    units = LARGE_NATIVE_UNITS.get(facts.native_symbol.upper(), LARGE_NATIVE_UNITS_UNKNOWN)
    return units * 10**NATIVE_DECIMALS


# Addresses no one holds a key to; sending to one destroys what is sent. Lower case.
BURN_ADDRESSES = {
    "0x0000000000000000000000000000000000000000": "the zero address",
    "0x000000000000000000000000000000000000dead": "a burn address (0x…dEaD)",
    "0xdead000000000000000000000000000000000000": "a burn address (0xdEaD…)",
    "0xdead000000000000000042069420694206942069": "a burn address (0xdEaD…2069)",
}


def _origin_text(origin: str | None) -> str:
    from app.lookalike import host_of
    from delegates.tx_review.fmt import clean

    return clean(host_of(origin) or origin, 80)


def evaluate(request: dict[str, Any], facts: Facts, dec: Decoded) -> list[Finding]:
    return Rules(request, facts, dec).run()
