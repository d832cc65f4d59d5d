"""Wallet commands: init, accounts, balance, send, history, contacts, networks, tokens, demo.

Heavy imports (web3, the store) happen inside the handlers so that ``warden --help`` is quick.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

DEFAULT_NETWORK = "Ethereum"


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create a wallet, or import one (phrase, key, watch address)")
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--import-phrase",
        action="store_true",
        help="import a recovery phrase (read from stdin or asked at the terminal)",
    )
    g.add_argument(
        "--import-key",
        action="store_true",
        help="import a private key (read from stdin or asked at the terminal)",
    )
    g.add_argument("--watch", metavar="ADDRESS", help="start with a watch-only address")
    p.add_argument("--name", help="the first account's name")
    p.add_argument(
        "--no-keyring",
        action="store_true",
        help="keep the store's key out of the OS keyring (the password alone unlocks it)",
    )
    p.add_argument(
        "--skip-word-check",
        action="store_true",
        help="for scripts without a terminal: print the new recovery phrase once and do not ask "
        "some of its words back (the script must keep it safe)",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("accounts", help="list accounts; 'accounts add' derives or imports one")
    asub = p.add_subparsers(dest="accounts_cmd", metavar="ACTION")
    p.set_defaults(func=cmd_accounts)
    a = asub.add_parser("add", help="derive the next account, or import a key / watch address")
    a.add_argument("--name")
    ag = a.add_mutually_exclusive_group()
    ag.add_argument("--import-key", action="store_true", help="import a private key (stdin)")
    ag.add_argument("--watch", metavar="ADDRESS", help="add a watch-only address")
    a.set_defaults(func=cmd_accounts_add)
    a = asub.add_parser(
        "reveal-phrase",
        help="show the recovery phrase (asks the password at the terminal, always)",
    )
    a.add_argument(
        "--without-terminal",
        action="store_true",
        help="for scripts: print the phrase with no terminal to ask at, taking the password "
        "from WARDEN_PASSWORD (the script must keep the phrase safe)",
    )
    a.set_defaults(func=cmd_reveal_phrase)

    p = sub.add_parser("balance", help="native and token balances of your accounts")
    _network_arg(p)
    p.add_argument("--account", help="one account (name or address); default: all")
    p.set_defaults(func=cmd_balance)

    p = sub.add_parser("send", help="send coins or tokens (reviewed, then confirmed by you)")
    p.add_argument("to", metavar="TO", help="address or contact name")
    p.add_argument(
        "amount",
        metavar="AMOUNT",
        nargs="?",
        help="in whole units, written as your locale writes numbers (LC_NUMERIC, LANG), "
        "e.g. 0.05 in English, 0,05 in German; an amount that could mean two numbers is refused",
    )
    p.add_argument(
        "--max",
        action="store_true",
        help="send everything instead of AMOUNT: all of the coin minus the largest fee the "
        "send can cost (the unused part of that fee stays), or a token's whole balance",
    )
    p.add_argument(
        "--max-fee",
        metavar="GWEI",
        help="the most to pay per gas, priority fee included (default: twice the base fee "
        "plus the node's suggested priority fee)",
    )
    p.add_argument(
        "--priority-fee",
        metavar="GWEI",
        help="the tip per gas for the block producer (default: the node's suggestion)",
    )
    p.add_argument("--token", metavar="SYMBOL|ADDRESS", help="an ERC-20 token (default: native)")
    _network_arg(p)
    p.add_argument("--account", help="send from this account (name or address)")
    p.add_argument(
        "--yes",
        action="store_true",
        help="skip the y/N question (never the typed confirmation for danger)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=120.0,
        metavar="S",
        help="seconds to wait for confirmation (default 120)",
    )
    p.set_defaults(func=cmd_send)

    p = sub.add_parser("history", help="sent and received transfers (scans the chain first)")
    _network_arg(p)
    p.add_argument("--no-scan", action="store_true", help="show what is stored, offline")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument(
        "--blocks",
        type=int,
        default=None,
        metavar="N",
        help="cover at most N blocks per run (default: up to the head; a run that stops "
        "early says how far it got, and the next one goes on)",
    )
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("contacts", help="the address book: list, add, remove")
    csub = p.add_subparsers(dest="contacts_cmd", metavar="ACTION")
    p.set_defaults(func=cmd_contacts)
    c = csub.add_parser("add", help="add or rename a contact")
    c.add_argument("address")
    c.add_argument("name")
    c.add_argument("--note", default="")
    c.set_defaults(func=cmd_contacts_add)
    c = csub.add_parser("remove", help="remove a contact (by name or address)")
    c.add_argument("key", metavar="NAME|ADDRESS")
    c.set_defaults(func=cmd_contacts_remove)

    p = sub.add_parser("networks", help="list networks; 'networks add' adds any EVM chain")
    nsub = p.add_subparsers(dest="networks_cmd", metavar="ACTION")
    p.set_defaults(func=cmd_networks)
    n = nsub.add_parser("add", help="add a network (or change its RPC URL)")
    n.add_argument("name")
    n.add_argument("chain_id", metavar="CHAIN_ID")
    n.add_argument("rpc_url", metavar="RPC_URL")
    n.add_argument("--symbol", default="ETH", help="the native coin's symbol")
    n.add_argument("--explorer", default="")
    n.set_defaults(func=cmd_networks_add)
    n = nsub.add_parser(
        "explorer", help="an explorer API for what the node cannot answer (off by default)"
    )
    n.add_argument("name", help="network name or chain id")
    way = n.add_mutually_exclusive_group()
    way.add_argument("--blockscout", metavar="URL", help="a Blockscout instance")
    way.add_argument("--etherscan", metavar="URL", help="an Etherscan-compatible API URL")
    way.add_argument("--off", action="store_true", help="use no explorer (the default)")
    n.add_argument(
        "--key-env", metavar="VAR", help="the environment variable that holds your API key"
    )
    n.set_defaults(func=cmd_networks_explorer)

    p = sub.add_parser("tokens", help="list tokens of a network; 'tokens add ADDRESS'")
    _network_arg(p)
    tsub = p.add_subparsers(dest="tokens_cmd", metavar="ACTION")
    p.set_defaults(func=cmd_tokens)
    t = tsub.add_parser("add", help="add a token by address (symbol/decimals read on chain)")
    t.add_argument("address")
    _network_arg(t)
    t.set_defaults(func=cmd_tokens_add)

    p = sub.add_parser("demo", help="a local demo chain with a funded demo wallet (offline)")
    p.add_argument(
        "--no-gui",
        action="store_true",
        help="print what the demo set up and exit instead of opening the window",
    )
    p.add_argument(
        "--screenshots",
        metavar="DIR",
        help="save a PNG of each main screen into DIR and exit",
    )
    p.add_argument(
        "--sizes",
        default="",
        metavar="WxH,...",
        help="with --screenshots: also save every screen at these window sizes "
        "(e.g. 800x600,1024x768,1440x900)",
    )
    p.add_argument(
        "--themes",
        default="",
        metavar="light,dark",
        help="with --screenshots: also save every screen in these themes",
    )
    p.set_defaults(func=cmd_demo)


def _network_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--network",
        "-n",
        default=None,
        help=f"network name or chain id (default {DEFAULT_NETWORK})",
    )


def _read_secret(prompt: str) -> str:
    """A secret from stdin when piped, else typed at the terminal without echo."""
    if sys.stdin is not None and not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return getpass.getpass(prompt)


def _connect(store: Any, network: str | None) -> tuple[Any, Any]:
    from app.wallet import networks

    with store.session() as s:
        info = networks.get_network(s, network or DEFAULT_NETWORK)
    return info, networks.connect(info)


# --- init and accounts -----------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    """``warden init``: draws the onboarding flow of ``app.wallet.onboarding`` at a terminal."""
    from app.config import default_paths
    from app.wallet import onboarding
    from warden.context import ask_new_password

    paths = default_paths()
    onboarding.refuse_existing(paths)  # say so before asking for anything
    name = onboarding.check_name(args.name)
    # Check the secret before the password, so a typo is caught before anything else.
    mode, secret, new = "create", "", None
    if args.import_phrase:
        mode, secret = "phrase", _read_secret("Recovery phrase: ")
    elif args.import_key:
        mode, secret = "key", _read_secret("Private key: ")
    elif args.watch:
        mode, secret = "watch", args.watch
    if mode != "create":
        secret = onboarding.check_secret(mode, secret)
    elif not args.skip_word_check and not _at_terminal():
        raise _no_terminal_for_words()
    password = onboarding.check_password(ask_new_password("Choose a password for Warden: "))
    if mode == "create":
        new = onboarding.NewPhrase()
        _show_and_confirm(new, check=not args.skip_word_check)
    plan = onboarding.WalletPlan(
        mode, secret, password, use_keyring=not args.no_keyring, name=name, new_phrase=new
    )
    made = onboarding.create_wallet(paths, plan)
    try:
        info = made.account
        print(f"Created {info.name}: {info.address} ({info.kind})")
        if not made.keyring_used:
            print("The password alone unlocks this wallet (its key is not in an OS keyring).")
    finally:
        made.store.close()
    return 0


def _at_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _no_terminal_for_words() -> Exception:
    from app.errors import InvalidInput

    return InvalidInput(
        "A new recovery phrase is confirmed by typing some of its words back, and there is "
        "no terminal to ask for them. Nothing was created.",
        hint="Run 'warden init' in a terminal, or add --skip-word-check in a script that "
        "keeps the printed phrase safe.",
    )


WORD_CHECK_TRIES = 3


def _show_and_confirm(new: Any, *, check: bool) -> None:
    """Show ``new`` (an ``onboarding.NewPhrase``) once, then ask some of its words back, as
    the first-run dialog does."""
    from app.errors import InvalidInput

    print("Your recovery phrase (write it down on paper; it is shown only now):\n")
    print("    " + " ".join(new.words) + "\n")
    print("Anyone with these words can take your funds. Warden keeps them encrypted.")
    if not check:
        new.accept_without_check()
        return
    if not _at_terminal():
        raise _no_terminal_for_words()
    print("\nCheck your copy: type these words from the phrase you wrote down.")
    for attempt in range(WORD_CHECK_TRIES):
        try:
            new.confirm([input(f"Word {pos + 1}: ") for pos in new.check_positions])
            return
        except InvalidInput as exc:
            if attempt == WORD_CHECK_TRIES - 1:
                raise InvalidInput(
                    f"{exc} Nothing was created.",
                    hint="Run 'warden init' again for a new phrase, and copy it carefully.",
                ) from None
            print(exc.user_message())


def cmd_accounts(args: argparse.Namespace) -> int:
    from app.wallet import accounts
    from warden.context import open_store

    store = open_store(write=False)
    try:
        with store.session() as s:
            rows = accounts.list_accounts(s)
    finally:
        store.close()
    if not rows:
        print("No accounts yet. Run 'warden init'.")
    for r in rows:
        where = f"m/44'/60'/0'/0/{r.hd_index}" if r.kind == "hd" else r.kind
        print(f"{r.name:<20} {r.address}  {where}")
    return 0


def cmd_accounts_add(args: argparse.Namespace) -> int:
    from app.wallet import accounts
    from warden.context import open_store

    key = _read_secret("Private key: ") if args.import_key else None
    store = open_store()
    try:
        with store.session() as s:
            if key is not None:
                info = accounts.import_private_key(s, key, name=args.name)
            elif args.watch:
                info = accounts.add_watch(s, args.watch, name=args.name)
            else:
                info = accounts.derive_next(s, name=args.name)
    finally:
        store.close()
    print(f"Added {info.name}: {info.address} ({info.kind})")
    return 0


def cmd_reveal_phrase(args: argparse.Namespace) -> int:
    """At a terminal the password is always typed, even with WARDEN_PASSWORD set: showing the
    phrase is never a side effect of an environment variable. Without a terminal it needs
    ``--without-terminal``."""
    from app.errors import InvalidInput, StoreLocked
    from app.wallet import signing
    from warden.context import PASSWORD_ENV, ask_password, open_store

    if not _at_terminal() and not args.without_terminal:
        raise InvalidInput(
            "The recovery phrase is shown only after its password is typed at a terminal, "
            "and there is none. Nothing was shown.",
            hint="Run 'warden accounts reveal-phrase' in a terminal, or add --without-terminal "
            f"in a script that keeps the phrase safe ({PASSWORD_ENV} then gives the password).",
        )
    store = open_store(write=False)
    try:
        if _at_terminal():
            print(
                "Anyone who sees the recovery phrase can take your funds; check who can see "
                "your screen."
            )
            password = getpass.getpass("Warden password (to show the phrase): ")
        else:
            password = ask_password("Warden password (to show the phrase): ") or ""
            if not password:
                raise StoreLocked(
                    "The password is needed to show the phrase and none was given.",
                    hint=f"Set {PASSWORD_ENV} for the script, or run the command in a terminal.",
                )
        phrase = signing.reveal_phrase(store, store, password)
    finally:
        store.close()
    print(phrase)
    return 0


# --- balances, send, history -----------------------------------------------------------------


def cmd_balance(args: argparse.Namespace) -> int:
    from app.wallet import accounts, balances, tokens
    from warden.context import open_store

    store = open_store(write=False)
    try:
        with store.session() as s:
            rows = (
                [accounts.get_account(s, args.account)]
                if args.account
                else accounts.list_accounts(s)
            )
        info, client = _connect(store, args.network)
        with store.session() as s:
            known = tokens.list_tokens(s, info.chain_id)
    finally:
        store.close()
    print(f"{info.name} (chain {info.chain_id})")
    for r in rows:
        found = balances.balances(client, r.address, known, native_symbol=info.native_symbol)
        shown = [b.text() for b in found if b.token is None or b.amount]
        print(f"  {r.name:<20} {r.address}  " + ", ".join(shown))
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput
    from app.wallet import accounts, contacts, ens, fee_options, tokens, transactions
    from app.wallet.amounts import format_amount, format_from_environment, normalize_amount
    from warden.commands.tx import review_and_send
    from warden.context import open_store
    from warden.pipeline import make_pipeline

    # The same parser as the window, with the separators of the shell's locale; refused
    # before anything is opened or connected.
    fmt = format_from_environment()
    if args.max == (args.amount is not None):
        raise InvalidInput(
            "Give either an AMOUNT or --max, not both." if args.max else "No amount given.",
            hint="e.g. 'warden send NAME 0.05', or 'warden send NAME --max' to send everything.",
        )
    amount = None if args.max else normalize_amount(args.amount, fmt)
    max_fee = fee_options.parse_gwei(args.max_fee, "maximum fee", fmt) if args.max_fee else None
    tip = (
        fee_options.parse_gwei(args.priority_fee, "priority fee", fmt)
        if args.priority_fee
        else None
    )
    store = open_store()
    try:
        with store.session() as s:
            try:
                to: str | None = contacts.resolve_recipient(s, args.to)
            except InvalidInput:
                if not ens.looks_like_name(args.to):
                    raise
                to = None  # an ENS name: resolved on the chosen network below
            signable = [a for a in accounts.list_accounts(s) if a.can_sign]
            account = (
                accounts.get_account(s, args.account)
                if args.account
                else (signable[0] if signable else None)
            )
        if account is None or not account.can_sign:
            raise InvalidInput(
                "No account here can sign.", hint="Import a key or a recovery phrase first."
            )
        info, client = _connect(store, args.network)
        if to is None:
            to = ens.resolve(client, args.to)
            print(
                f"{ens.normalize(args.to)} is {to} on {info.name}; the review checks that address."
            )
        token = None
        if args.token:
            with store.session() as s:
                token = tokens.find_token(s, info.chain_id, args.token)
        if amount is None:
            built = fee_options.build_everything(
                client,
                account.address,
                to,
                token=token,
                native_symbol=info.native_symbol,
                max_fee=max_fee,
                priority_fee=tip,
            )
        else:
            built = transactions.build_transfer(
                client, account.address, to, amount, token=token, native_symbol=info.native_symbol
            )
            if max_fee is not None or tip is not None:
                built = fee_options.with_fees(built, max_fee, tip)
                fee_options.check_affordable(client, built, info.native_symbol)
        pipeline = make_pipeline(
            store, client, native_symbol=info.native_symbol, chain_id=info.chain_id
        )
        pipeline.resume_unfinished()
        prepared = pipeline.prepare(built)
        symbol = token.symbol if token else info.native_symbol
        decimals = token.decimals if token else 18
        print(f"Send {format_amount(built.amount, decimals)} {symbol} on {info.name}")
        print(f"  from {account.name} {account.address}\n  to   {to}")
        code, _sent = review_and_send(
            store, pipeline, prepared, yes=args.yes, wait=args.wait, fee_symbol=info.native_symbol
        )
    finally:
        store.close()
    return code


def cmd_history(args: argparse.Namespace) -> int:
    from app.errors import AlreadyRunning
    from app.wallet import accounts, history, networks, sender
    from warden.context import open_store

    scan = not args.no_scan
    try:
        store = open_store(write=scan)
    except AlreadyRunning as exc:  # the app or the daemon writes: show what it has stored
        print(f"warden: {exc} Showing stored history without a new scan.", file=sys.stderr)
        store, scan = open_store(write=False), False
    try:
        with store.session() as s:
            info = networks.get_network(s, args.network or DEFAULT_NETWORK)
            owned = [a.address for a in accounts.list_accounts(s)]
        if scan:
            client = networks.connect(info)
            sender.refresh_pending(store, client)
            report = history.scan_history(store, client, owned, max_blocks=args.blocks)
            for r in report.accounts:
                for note in r.asked + r.notes:
                    print(f"warden: {note}", file=sys.stderr)
        rows = history.list_history(store, chain_id=info.chain_id, limit=args.limit)
        names = _ens_names(client, rows) if scan else {}  # without a scan, no node call
        with store.session() as s:
            print_history(s, rows, info.native_symbol, info.chain_id, names)
    finally:
        store.close()
    return 0


def _ens_names(client: Any, rows: list[Any]) -> dict[str, str]:
    """Verified primary ENS names of the counterparties (none on any failure)."""
    from app.wallet.ens_names import ReverseNames

    others = [r.recipient if r.direction == "out" else r.sender for r in rows]
    return ReverseNames().names(client, [o for o in others if o])


def print_history(
    session: Any,
    rows: list[Any],
    native_symbol: str,
    chain_id: int,
    names: dict[str, str] | None = None,
) -> None:
    from app.wallet import tokens
    from app.wallet.addresses import short
    from app.wallet.amounts import format_amount
    from app.wallet.ens_names import labelled

    known = {t.address.lower(): t for t in tokens.list_tokens(session, chain_id)}
    if not rows:
        print("No transfers yet.")
    for r in rows:
        t = known.get((r.token or "").lower())
        symbol = t.symbol if t else (native_symbol if r.token is None else short(r.token))
        amount = format_amount(r.amount, t.decimals if t else 18, places=6)
        other = r.recipient if r.direction == "out" else r.sender
        when = r.timestamp.strftime("%Y-%m-%d %H:%M") if r.timestamp else "-"
        arrow = {"in": "<-", "out": "->", "self": "<>"}.get(r.direction, "  ")
        print(
            f"{when}  {short(r.account)} {arrow} {labelled(other or '', (names or {}).get(other))}"
            f"  {amount} {symbol}"
            f"  {r.status}  {r.tx_hash[:12]}…"
        )


# --- address book, networks, tokens ----------------------------------------------------------


def cmd_contacts(args: argparse.Namespace) -> int:
    from app.wallet import contacts
    from warden.context import open_store

    store = open_store(write=False)
    try:
        with store.session() as s:
            rows = contacts.list_contacts(s)
    finally:
        store.close()
    if not rows:
        print("No contacts yet. Add one with 'warden contacts add ADDRESS NAME'.")
    for c in rows:
        print(f"{c.name:<24} {c.address}  {c.note}")
    return 0


def cmd_contacts_add(args: argparse.Namespace) -> int:
    from app.wallet import contacts
    from warden.context import open_store

    store = open_store()
    try:
        with store.session() as s:
            c = contacts.add_contact(s, args.address, args.name, args.note)
    finally:
        store.close()
    print(f"Saved {c.name}: {c.address}")
    return 0


def cmd_contacts_remove(args: argparse.Namespace) -> int:
    from app.wallet import contacts
    from warden.context import open_store

    store = open_store()
    try:
        with store.session() as s:
            contacts.remove_contact(s, args.key)
    finally:
        store.close()
    print("Removed.")
    return 0


def cmd_networks(args: argparse.Namespace) -> int:
    from app.wallet import networks
    from warden.context import open_store

    store = open_store(write=False)
    try:
        with store.session() as s:
            rows = networks.list_networks(s)
    finally:
        store.close()
    for n in rows:
        print(f"{n.name:<12} chain {n.chain_id:<16} {n.native_symbol:<5} {n.rpc_url}")
    return 0


def cmd_networks_add(args: argparse.Namespace) -> int:
    from app.wallet import networks
    from warden.context import open_store

    store = open_store()
    try:
        with store.session() as s:
            n = networks.add_network(
                s,
                args.name,
                args.chain_id,
                args.rpc_url,
                native_symbol=args.symbol,
                explorer_url=args.explorer,
            )
    finally:
        store.close()
    print(f"Saved {n.name} (chain {n.chain_id}, {n.rpc_url}); the chain id is checked on connect.")
    return 0


def cmd_networks_explorer(args: argparse.Namespace) -> int:
    """Show, set or turn off the network's explorer; the key is read from --key-env."""
    import os

    from app.errors import InvalidInput
    from app.wallet import explorers, networks
    from warden.context import open_store

    change = bool(args.blockscout or args.etherscan or args.off)
    key = ""
    if args.key_env:
        key = os.environ.get(args.key_env, "")
        if not key:
            raise InvalidInput(
                f"The environment variable {args.key_env[:40]!r} is not set.",
                hint="Export your API key in it first, then run the command again.",
            )
    store = open_store(write=change)
    try:
        with store.session() as s:
            info = networks.get_network(s, args.name)
            if args.off:
                explorers.turn_off(s, info.chain_id)
            elif change:
                kind = "blockscout" if args.blockscout else "etherscan"
                url = args.blockscout or args.etherscan
                explorers.save(s, info.chain_id, explorers.check(kind, url, key))
            current = explorers.load(s, info.chain_id)
    finally:
        store.close()
    if current is None:
        print(f"{info.name}: no explorer; history comes from the node alone.")
    else:
        kind = "Blockscout" if current.kind == "blockscout" else "Etherscan-compatible API"
        print(
            f"{info.name}: {kind} at {current.url}, asked only for what the node cannot answer "
            "(past state it does not keep, internal transfers). It is sent an account's "
            "address and a block range"
            + (" and your API key" if current.api_key else "")
            + ", nothing else."
        )
    return 0


def cmd_tokens(args: argparse.Namespace) -> int:
    from app.wallet import networks, tokens
    from warden.context import open_store

    store = open_store(write=False)
    try:
        with store.session() as s:
            info = networks.get_network(s, args.network or DEFAULT_NETWORK)
            rows = tokens.list_tokens(s, info.chain_id)
    finally:
        store.close()
    for t in rows:
        mark = " (added)" if t.user_added else ""
        print(f"{t.symbol:<8} {t.address}  {t.decimals} decimals{mark}")
    return 0


def cmd_tokens_add(args: argparse.Namespace) -> int:
    from app.wallet import tokens
    from warden.context import open_store

    store = open_store()
    try:
        _, client = _connect(store, args.network)
        with store.session() as s:
            t = tokens.add_token(s, client, args.address)
    finally:
        store.close()
    print(f"Added {t.symbol} ({t.decimals} decimals) at {t.address}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.errors import InvalidInput
    from warden.demo import run_demo

    themes = tuple(filter(None, (x.strip().lower() for x in args.themes.split(","))))
    if any(x not in ("light", "dark") for x in themes):
        raise InvalidInput(f"{args.themes!r} is not a list of themes; use light, dark or both.")
    try:
        from warden.demo import parse_sizes

        sizes = parse_sizes(args.sizes)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return run_demo(gui=not args.no_gui, screenshots=args.screenshots, sizes=sizes, themes=themes)
