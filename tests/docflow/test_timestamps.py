"""RFC 3161 time-stamps on signatures: the city's own time-stamping certificate by
default, or an external authority over HTTP (here one served on 127.0.0.1)."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from hromada.docflow.services import document_sign
from hromada.docflow.signing import Verdict, verify_pdf
from tests.docflow.test_signatures import _signed_bytes, approved  # noqa: F401


def test_a_signature_carries_a_trusted_time_stamp(approved, office):  # noqa: F811
    before = timezone.now() - timedelta(seconds=5)
    check = verify_pdf(_signed_bytes(document_sign(actor=office.signatory, document=approved)))
    stamp = check.signatures[0]
    assert check.verdict == Verdict.INTACT
    assert stamp.timestamp_trusted
    assert "Служба позначок часу" in stamp.timestamp_authority
    assert before <= stamp.timestamped_at <= timezone.now() + timedelta(seconds=5)


def _certificate(name: str, key, issuer=None, issuer_key=None, *, tsa: bool = False):
    now = timezone.now()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=not tsa, path_length=None), critical=True)
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture
def external_tsa(tmp_path):
    """An RFC 3161 authority of another root, answering POSTs on 127.0.0.1."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _certificate("Зовнішній ЦСК (тест)", root_key)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _certificate("Зовнішня служба позначок часу", tsa_key, root, root_key, tsa=True)

    def asn1(certificate):
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))

    stamper = DummyTimeStamper(
        tsa_cert=asn1(tsa_cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=SimpleCertificateStore.from_certs([asn1(root)]),
    )
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trust_file = tmp_path / "external-root.pem"
    trust_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    yield f"http://127.0.0.1:{server.server_port}/", trust_file, requests
    server.shutdown()


def test_an_external_authority_stamps_over_http_and_is_trusted_when_listed(
    approved,  # noqa: F811
    office,
    settings,
    external_tsa,
):
    url, trust_file, requests = external_tsa
    settings.DOCFLOW_TSA_URL = url
    data = _signed_bytes(document_sign(actor=office.signatory, document=approved))
    # pyHanko asks once to size the signature's room, then for the real token.
    assert requests and set(requests) == {"application/timestamp-query"}

    untrusted = verify_pdf(data).signatures[0]
    assert untrusted.timestamp_authority == "Common Name: Зовнішня служба позначок часу"
    assert not untrusted.timestamp_trusted

    settings.DOCFLOW_TRUST_FILE = str(trust_file)
    trusted = verify_pdf(data)
    assert trusted.verdict == Verdict.INTACT
    assert trusted.signatures[0].timestamp_trusted
