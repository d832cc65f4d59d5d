"""TLS certificates for a federation and the keys its SuperNodes authenticate with.

Made locally with ``cryptography`` (nothing is downloaded): a CA that the joiners pin, a
server certificate signed by it for the addresses the SuperLink is reached at, and one EC
P-384 key pair per SuperNode (Flower's node authentication: the SuperNode signs with the
private key, the SuperLink admits the public key). Private keys are written owner-only.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CA_FILE = "ca.crt"
CERT_FILE = "server.pem"
KEY_FILE = "server.key"
NODE_KEY = "node.key"
NODE_PUB = "node.pub"


@dataclass(frozen=True)
class ServerCerts:
    ca: Path
    cert: Path
    key: Path


@dataclass(frozen=True)
class NodeKeys:
    private: Path  # OpenSSH private key (flower-supernode --auth-supernode-private-key)
    public: Path  # OpenSSH public key (what the SuperLink admits)


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    """Atomic write; owner-only when ``secret``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _san(hosts: Sequence[str]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = []
    for h in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            names.append(x509.DNSName(h))
    return x509.SubjectAlternativeName(names)


def make_server_certs(folder: Path, hosts: Sequence[str], *, days: int = 365) -> ServerCerts:
    """A new CA and a server certificate for ``hosts`` (IP addresses or names) in ``folder``."""
    if not hosts:
        raise ValueError("at least one host name or address is needed for the certificate")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP384R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Warden federation CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA384())
    )
    key = ec.generate_private_key(ec.SECP384R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(_san(hosts), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA384())
    )
    out = ServerCerts(folder / CA_FILE, folder / CERT_FILE, folder / KEY_FILE)
    pem = serialization.Encoding.PEM
    _write(out.ca, ca.public_bytes(pem), secret=False)
    _write(out.cert, cert.public_bytes(pem), secret=False)
    _write(
        out.key,
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        secret=True,
    )
    return out


def make_node_keys(folder: Path) -> NodeKeys:
    """A new P-384 key pair for one SuperNode, in OpenSSH format (what Flower reads)."""
    key = ec.generate_private_key(ec.SECP384R1())
    out = NodeKeys(folder / NODE_KEY, folder / NODE_PUB)
    ssh = serialization.Encoding.OpenSSH
    _write(
        out.private,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        ),
        secret=True,
    )
    _write(
        out.public,
        key.public_key().public_bytes(ssh, serialization.PublicFormat.OpenSSH),
        secret=False,
    )
    return out


def check_public_key(path: Path) -> bytes:
    """The OpenSSH public key in ``path`` if it is an EC key on a NIST curve; else ValueError."""
    try:
        key = serialization.load_ssh_public_key(path.read_bytes())
    except (OSError, ValueError) as e:
        raise ValueError(f"{path.name} is not an OpenSSH public key") from e
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name not in {
        "secp256r1",
        "secp384r1",
        "secp521r1",
    }:
        raise ValueError(f"{path.name} is not an EC key on a NIST curve (P-256/384/521)")
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
