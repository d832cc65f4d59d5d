"""Approval hygiene against real ERC-20 approvals on the in-process EVM."""

from __future__ import annotations

from sqlalchemy import select

from app.store.schema import BlocklistEntry, Proposal
from app.wallet.demo import token_artifact
from delegates.routine import allowances

MAX = 2**256 - 1


def approve(w3, token, owner, spender, amount):
    c = w3.eth.contract(address=token, abi=token_artifact()["abi"])
    w3.eth.wait_for_transaction_receipt(
        c.functions.approve(spender, amount).transact({"from": owner})
    )


def allowance(w3, token, owner, spender):
    c = w3.eth.contract(address=token, abi=token_artifact()["abi"])
    return c.functions.allowance(owner, spender).call()


def test_live_allowances_are_scored_and_revokes_proposed(w3, db, me, token, runner) -> None:
    eoa, spent, contract_spender = w3.eth.accounts[2], w3.eth.accounts[3], token
    approve(w3, token, me, eoa, MAX)  # unlimited, to a plain address: high risk
    approve(w3, token, me, contract_spender, 500)  # limited, to a contract: low risk
    approve(w3, token, me, spent, 7)
    approve(w3, token, me, spent, 0)  # revoked since: not live
    approve(w3, token, w3.eth.accounts[4], eoa, MAX)  # someone else's: not ours
    with db.session() as s:
        s.add(BlocklistEntry(address=eoa, reason="test"))

    result = runner.run("approval_hygiene")
    assert result.outcome == "ok", result.error
    found = {a["spender"]: a for a in result.output["allowances"]}
    assert set(found) == {eoa, contract_spender}
    risky, mild = found[eoa], found[contract_spender]
    assert risky["unlimited"] and risky["level"] == "high" and risky["risk"] == 100
    assert any("EOA" in r for r in risky["reasons"]) and any(
        "blocklist" in r for r in risky["reasons"]
    )
    assert not mild["unlimited"] and mild["amount"] == "500" and mild["level"] == "low"

    with db.session() as s:
        proposals = s.scalars(select(Proposal)).all()
    assert [(p.kind, p.payload["spender"], p.status) for p in proposals] == [
        ("revoke", eoa, "pending")
    ]
    # The proposed transaction really revokes (sent here by the test, as the user would).
    tx = proposals[0].payload["tx"]
    w3.eth.wait_for_transaction_receipt(
        w3.eth.send_transaction({"from": me, "to": tx["to"], "data": tx["data"], "value": 0})
    )
    assert allowance(w3, token, me, eoa) == 0
    # Running again finds one fewer and does not propose the same revoke twice.
    again = runner.run("approval_hygiene")
    assert [a["spender"] for a in again.output["allowances"]] == [contract_spender]
    with db.session() as s:
        assert len(s.scalars(select(Proposal)).all()) == 1


def test_revoke_calldata_for_operators_and_permit2(w3) -> None:
    owner, op = w3.eth.accounts[1], w3.eth.accounts[2]
    nft = allowances.Allowance("operator", owner, w3.eth.accounts[5], op, 1)
    assert nft.unlimited
    assert nft.revoke_tx()["data"].startswith("0xa22cb465")  # setApprovalForAll
    p2 = allowances.Allowance("permit2", owner, w3.eth.accounts[5], op, 2**160 - 1, 10**10)
    tx = p2.revoke_tx()
    assert tx["to"] == allowances.PERMIT2 and tx["data"].startswith("0x87517c45")  # approve
    scored = allowances.score(p2, is_contract=True, verified=True, age_blocks=10, blocklisted=False)
    assert scored.risk == 50 and allowances.level(scored.risk) == "medium"
