"""The small set of exceptions the core raises. The UI and the CLI turn them into messages.

Every message says what happened and what the user can do about it.
"""

from __future__ import annotations


class WardenError(Exception):
    """Base class: a problem the user can understand and act on."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def user_message(self) -> str:
        text = str(self)
        return f"{text}\n{self.hint}" if self.hint else text


class InvalidInput(WardenError):
    """Bad input from the user or a dapp: an address, an amount, a file."""


class StoreError(WardenError):
    """The encrypted store could not be opened, read or written."""


class WrongPassword(StoreError):
    hint = "Check the password and try again. Nothing was changed."


class StoreLocked(StoreError):
    hint = "Unlock Warden with your password first."


class StoreCorrupted(StoreError):
    hint = "Restore from a backup with 'warden backup restore FILE'. The damaged file is kept."


class AlreadyRunning(StoreError):
    """Another Warden process (the app, the daemon, a send) is writing to the same data folder."""

    hint = "Close the Warden app or stop 'warden daemon', then try again."

    def __init__(self, message: str, *, pid: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.pid = pid


class KeyringUnavailable(StoreError):
    hint = "Warden will use your password alone to unlock the store."


class NetworkError(WardenError):
    """The RPC node is unreachable, slow, or answered nonsense."""

    hint = "Check the RPC URL in the network settings, or try again later."


class ChainMismatch(NetworkError):
    hint = "The RPC URL points at another chain. Fix the URL or the chain id in the settings."


class InsufficientFunds(InvalidInput):
    hint = "Lower the amount or add funds; fees are paid in the chain's native coin."


class TransactionFailed(WardenError):
    """A transaction was dropped, replaced, or reverted."""


class ReviewRequired(WardenError):
    """Signing was attempted on a request that has not passed the transaction review."""


class ModelError(WardenError):
    """The language model could not load or answer."""


class DelegateError(WardenError):
    """A delegate failed or was misconfigured."""


class PolicyViolation(WardenError):
    """A proposal breaks the user's spend policy."""
