"""A certificate authority and a 127.0.0.1 certificate made at start: msal insists on https.

The CA goes into a bundle next to whatever REQUESTS_CA_BUNDLE named before (or certifi's), and
REQUESTS_CA_BUNDLE points at the bundle while the simulator runs: requests (msal's and Portier's
Graph client) reads it on every call that does not pass ``verify=`` itself.
"""

import ipaddress
import os
import ssl
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VARIABLE = "REQUESTS_CA_BUNDLE"


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class Certificates:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="portier-ms-tls-"))
        now = datetime.now(UTC) - timedelta(minutes=5)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = (
            x509.CertificateBuilder()
            .subject_name(_name("Portier test CA"))
            .issuer_name(_name("Portier test CA"))
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        names = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
        leaf = (
            x509.CertificateBuilder()
            .subject_name(_name("127.0.0.1"))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        self.ca_file = self.dir / "ca.pem"
        self.ca_file.write_bytes(_pem(ca))
        self.cert_file = self.dir / "server.pem"
        self.cert_file.write_bytes(_pem(leaf))
        self.key_file = self.dir / "server.key"
        self.key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        os.chmod(self.key_file, 0o600)
        self._previous: str | None = None

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def bundle(self) -> Path:
        """The CA next to the bundle requests would use otherwise."""
        base = os.environ.get(VARIABLE) or certifi.where()
        path = self.dir / "bundle.pem"
        existing = Path(base).read_bytes() if Path(base).is_file() else b""
        path.write_bytes(existing + b"\n" + self.ca_file.read_bytes())
        return path

    def trust(self) -> None:
        """Point REQUESTS_CA_BUNDLE at a bundle holding the CA (until untrust())."""
        self._previous = os.environ.get(VARIABLE)
        os.environ[VARIABLE] = str(self.bundle())

    def untrust(self) -> None:
        if self._previous is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = self._previous
