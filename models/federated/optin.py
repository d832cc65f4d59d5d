"""Taking part in a federation, as the user chose it in Settings ("Help improve the model").

Off unless the user turns it on. On, the encrypted store keeps the federation's address
(HOST:PORT), its CA certificate (PEM, pinned: the SuperNode trusts nothing else) and the
user's privacy ceiling, under one preference key, as ``models.remote_config`` keeps the
remote host. ``warden federate join`` without an address takes part from these settings, so
a machine can take part without the window. Leaving stops this wallet's SuperNode (as
``warden federate leave`` does) and clears the settings; the privacy ledger stays, so the
epsilon already spent still counts if the user joins again.

Pure Python with ``cryptography`` (a core dependency): no flwr, no torch.
"""

from __future__ import annotations

import math
import os
import signal
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from app.errors import InvalidInput
from app.store.schema import Preference
from models.federated.ledger import read_json

PREF_KEY = "federation.optin"
PID_FILE = "join.pid"
CA_FILE = "federation-ca.crt"
DEFAULT_CEILING = 8.0
MAX_CA_BYTES = 64 * 1024

SHARED = (
    "The adapter's weights after local DP-SGD: each example's influence clipped and Gaussian "
    "noise added on this machine, then summed with the other wallets' under secure "
    "aggregation, so the server sees only the sum.",
    "How many examples were trained on, and the privacy spent so far (epsilon at delta).",
)
NEVER_SHARED = (
    "Addresses, contact and account names, recovery phrases and keys.",
    "Balances, transaction history, and the examples themselves (they stay on this machine, "
    "anonymized before training).",
)


class _Store(Protocol):
    def session(self) -> Any: ...


@dataclass(frozen=True)
class OptIn:
    """The user's choice: the federation to take part in and the privacy it may spend."""

    address: str
    ca_pem: str
    epsilon_ceiling: float = DEFAULT_CEILING


def node_folder() -> Path:
    """This wallet's SuperNode folder (key, examples, privacy ledger, status)."""
    from app.config import default_paths

    return default_paths().data_dir / "federation" / "node"


def check_address(text: str) -> str:
    """``HOST:PORT`` checked (a host, a port from 1 to 65535); ``InvalidInput`` otherwise."""
    from models.federated.processes import parse_address

    text = text.strip()
    if not text or len(text) > 260 or any(c.isspace() for c in text):
        raise InvalidInput(
            "The federation's address must be HOST:PORT.",
            hint="Ask the federation's operator for it, e.g. fl.example.org:9092.",
        )
    host, port = parse_address(text)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_ca_pem(data: bytes) -> str:
    """The PEM text of a CA certificate; ``InvalidInput`` for anything else."""
    from cryptography import x509

    hint = "Choose the CA certificate file (ca.crt) the federation's operator gave you."
    if len(data) > MAX_CA_BYTES or b"-----BEGIN CERTIFICATE-----" not in data:
        raise InvalidInput("That file is not a PEM certificate.", hint=hint)
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        raise InvalidInput("That file is not a readable PEM certificate.", hint=hint) from None
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        basic = None
    if basic is None or not basic.ca:
        raise InvalidInput("That certificate is not a certificate authority (CA).", hint=hint)
    return data.decode("ascii", errors="strict")


def check_ceiling(value: float) -> float:
    if not (isinstance(value, int | float) and math.isfinite(value) and 0 < value <= 100):
        raise InvalidInput(
            "The privacy ceiling must be a number above 0 and at most 100.",
            hint="Lower is more private; 8 is the default.",
        )
    return float(value)


def load(store: _Store) -> OptIn | None:
    """The stored choice, or ``None`` when the user has not opted in (or it is unreadable:
    fails closed, nothing takes part)."""
    with store.session() as s:
        row = s.get(Preference, PREF_KEY)
        data = row.value if row is not None else None
    if not isinstance(data, dict):
        return None
    try:
        return OptIn(
            address=check_address(str(data["address"])),
            ca_pem=check_ca_pem(str(data["ca_pem"]).encode("ascii")),
            epsilon_ceiling=check_ceiling(float(data.get("epsilon_ceiling", DEFAULT_CEILING))),
        )
    except (InvalidInput, KeyError, TypeError, ValueError, UnicodeError):
        return None


def save(store: _Store, address: str, ca_file: Path, ceiling: float = DEFAULT_CEILING) -> OptIn:
    """Check everything, then store the choice; ``InvalidInput`` says what to fix."""
    checked_address = check_address(address)
    try:
        raw = ca_file.read_bytes()[: MAX_CA_BYTES + 1]
    except OSError:
        raise InvalidInput(
            "The CA certificate file cannot be read.",
            hint="Choose the CA certificate file (ca.crt) the federation's operator gave you.",
        ) from None
    choice = OptIn(checked_address, check_ca_pem(raw), check_ceiling(ceiling))
    with store.session() as s:
        s.merge(Preference(key=PREF_KEY, value=asdict(choice)))
    return choice


def clear(store: _Store) -> None:
    with store.session() as s:
        row = s.get(Preference, PREF_KEY)
        if row is not None:
            s.delete(row)


def write_ca(node: Path, choice: OptIn) -> Path:
    """The pinned CA as a file the SuperNode reads (owner-only, atomic)."""
    node.mkdir(parents=True, exist_ok=True)
    path = node / CA_FILE
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(choice.ca_pem)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


@dataclass(frozen=True)
class Spent:
    """The privacy spent so far by this wallet, and whether its SuperNode runs now."""

    epsilon: float
    delta: float | None
    rounds: int
    running: bool


def privacy_spent(node: Path) -> Spent:
    """Epsilon from the node's privacy ledger (opacus's accountant, when installed; else the
    figure the ClientApp last wrote in its status)."""
    status = read_json(node / "status.json")
    rounds = len(status.get("rounds", []) or [])
    delta = status.get("delta")
    epsilon = float(status.get("epsilon", 0.0) or 0.0)
    ledger = node / "ledger.json"
    if ledger.exists():
        try:
            from models.federated.ledger import PrivacyLedger

            raw = read_json(ledger)
            book = PrivacyLedger.open(ledger, float(raw["delta"]))
            epsilon, delta = book.epsilon(), book.delta
        except (ImportError, InvalidInput, KeyError, TypeError, ValueError):
            pass  # the status figure stands
    return Spent(epsilon, float(delta) if delta is not None else None, rounds, is_running(node))


def is_running(node: Path) -> bool:
    try:
        pid = int((node / PID_FILE).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return _is_join(pid)


def stop_node(node: Path) -> bool:
    """Stop this wallet's ``warden federate join`` (it stops its SuperNode); False when none
    was running. The status records that the user left."""
    from models.federated.ledger import write_json

    stopped = False
    try:
        pid = int((node / PID_FILE).read_text().strip())
        if _is_join(pid):
            os.kill(pid, signal.SIGTERM)
            stopped = True
        else:
            (node / PID_FILE).unlink(missing_ok=True)  # stale: that process is something else
    except (OSError, ValueError):
        (node / PID_FILE).unlink(missing_ok=True)
    if node.exists():
        write_json(node / "status.json", read_json(node / "status.json") | {"left": True})
    return stopped


def _is_join(pid: int) -> bool:
    """Whether ``pid`` is a ``warden federate join`` (a pid file can outlive its process and
    the number be reused); where the command line cannot be read, trust the pid file."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return os.name != "posix" or not Path("/proc/self").exists()
    return b"federate" in cmdline and b"join" in cmdline


def leave(store: _Store, node: Path | None = None) -> bool:
    """Stop taking part: the SuperNode stops and the stored choice is cleared."""
    stopped = stop_node(node or node_folder())
    clear(store)
    return stopped
