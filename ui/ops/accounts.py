"""The wallet's accounts: read and named on the store worker."""

from __future__ import annotations

from app.rows import AccountRow
from app.wallet import accounts
from ui.ops.core import Op
from ui.services import AppServices, require


def _rows(sv: AppServices) -> list[AccountRow]:
    with sv.store.session() as s:
        return [AccountRow(a.address, a.name, a.kind) for a in accounts.list_accounts(s)]


def load(sv: AppServices) -> Op[list[AccountRow]]:
    return Op(lambda: _rows(sv), lane="store")


def rename(sv: AppServices, address: str, name: str) -> Op[None]:
    def work() -> None:
        with sv.store.session() as s:
            accounts.rename_account(s, address, name)  # not a contact's name

    return Op(work, lane="store")


def add(sv: AppServices, name: str) -> Op[AccountRow]:
    """The next account of the recovery phrase (a store write: the store worker)."""

    def work() -> AccountRow:
        acc = require(sv.wallet, "The wallet").derive_account(name)
        return AccountRow(acc.address, acc.name, acc.kind)

    return Op(work, lane="store")
