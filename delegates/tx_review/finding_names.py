"""People-facing names for the review's finding codes.

Codes are for logs, tests and the details view; a person reads the name. Every code a rule,
the simulation, the request queue or the review's own failure path can emit has a name here
(tests/ui/test_finding_names.py walks the sources to hold that). A code the model invents
(the explainer accepts any ``snake_case`` code) gets a name built from its words, marked as
the model's.
"""

from __future__ import annotations

FINDING_NAMES: dict[str, str] = {
    "address_poisoning": "Possible address poisoning",
    "approval_to_eoa": "Approval to a personal address",
    "approval_to_new_contract": "Permission for a brand-new contract",
    "blind_signature": "Blind signature: its meaning cannot be shown",
    "blocklisted_address": "Address on a scam list",
    "burn_address": "Sending to a burn address",
    "chain_mismatch": "Signed for a different network",
    "contract_creation": "Creates a new contract",
    "first_interaction": "First time with this address",
    "large_transfer": "Large share of your balance",
    "limited_review": "Review could not check everything",
    "marketplace_listing_signature": "Marketplace listing of your items",
    "no_assets_returned": "You receive nothing back",
    "own_account": "Your own account",
    "permit2_signature": "Spending permission by signature (Permit2)",
    "permit_signature": "Spending permission by signature",
    "set_approval_for_all": "Permission over all your items",
    "simulation_mismatch": "Simulation does not match the transaction",
    "simulation_reverted": "Would fail on chain",
    "suspicious_origin": "Suspicious website",
    "lookalike_origin": "Look-alike website",
    "transfer_to_token_contract": "Sending to a token's own contract",
    "undecodable_request": "Request Warden cannot read",
    "unknown_contract_call": "Unknown contract call",
    "unlimited_approval": "Unlimited approval",
    "unpriced_order": "Order without a price",
    "unreadable_message": "Message that cannot be read",
}


def finding_name(code: str) -> str:
    """The name a person reads for ``code``; never the bare code."""
    name = FINDING_NAMES.get(code)
    if name is not None:
        return name
    words = " ".join(str(code).replace("_", " ").split()) or "unnamed"
    return f"Model's concern: {words}"
