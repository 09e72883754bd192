"""PAdES signatures on PDF (pyHanko): the signer interface, the software-key signer with
the city's own certificate authority, and verification anyone can run.

A national qualified signature (DSTU 4145, the Ukrainian qualified trust services) is
not available in open Python libraries; a city plugs such a backend in by implementing
:class:`Signer` and naming it in the ``DOCFLOW_SIGNER`` setting (docs/decisions/0201).
"""

from __future__ import annotations

import enum
import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DEFAULT_SIGNER = "hromada.docflow.signing.SoftwareKeySigner"
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
CERTIFICATE_YEARS = 2


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    signed_at: datetime
    certificate_subject: str
    certificate_serial: str
    backend: str


@runtime_checkable
class Signer(Protocol):
    """What a signature backend offers. ``backend`` names it in the signature records."""

    backend: str

    def sign_pdf(self, pdf: bytes, *, user: Any, reason: str, location: str) -> SignedPdf:
        """A PAdES-signed copy of ``pdf`` made with the key ``user`` holds."""
        ...

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        """Certificates a signature must chain to for the verification page to trust it."""
        ...


def configured_signer() -> Signer:
    path = getattr(settings, "DOCFLOW_SIGNER", "") or DEFAULT_SIGNER
    return import_string(path)()


# --- the city's own certificate authority (software keys) -------------------------------


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "docflow-ca"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _passphrase(purpose: str) -> bytes:
    # Keys rest encrypted with a secret derived from the installation's secret key,
    # so a copied data folder without the secret does not give the keys away.
    return hashlib.sha256(f"docflow:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def _fit(value: str, limit: int = 64) -> str:
    """X.509 caps names at 64 bytes of UTF-8 (32 Cyrillic letters), not 64 characters."""
    return value.encode()[:limit].decode(errors="ignore")


def _name(common_name: str, organisation: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "UA")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _write_key(path: Path, key: PrivateKey, purpose: str) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_passphrase(purpose)),
        )
    )
    path.chmod(0o600)


def _read_key(path: Path, purpose: str) -> Any:
    return serialization.load_pem_private_key(path.read_bytes(), password=_passphrase(purpose))


def ca_name() -> str:
    if settings.DEMO_MODE:
        return "Тестовий ЦСК Hromada (демонстраційний)"
    return "Внутрішній ЦСК Hromada"


def certificate_authority() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The CA certificate and key, created in the data folder on first use."""
    folder = _folder()
    cert_path, key_path = folder / "ca-cert.pem", folder / "ca-key.pem"
    if not cert_path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        now = timezone.now()
        subject = _name(ca_name(), settings.HROMADA_NAME)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        _write_key(key_path, key, "ca")
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return certificate, _read_key(key_path, "ca")


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def certificate_issue(*, user: Any, organisation_name: str = "") -> Any:
    """Issue a signing certificate to ``user`` from the city's CA; returns the record."""
    from hromada.docflow.models import StaffCertificate

    ca_certificate, ca_key = certificate_authority()
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    valid_until = now + timedelta(days=365 * CERTIFICATE_YEARS)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(user.get_full_name() or user.email, organisation_name))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(valid_until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    serial = format(certificate.serial_number, "x")
    _write_key(_folder() / f"staff-{serial}.pem", key, f"staff:{serial}")
    return StaffCertificate.objects.create(
        user=user,
        serial=serial,
        subject=certificate.subject.rfc4514_string(),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        issued_at=now,
        valid_until=valid_until,
    )


def current_certificate(user: Any) -> Any:
    """The user's valid certificate, issuing one if there is none (or its key is gone)."""
    from hromada.docflow.models import StaffCertificate

    now = timezone.now()
    for record in StaffCertificate.objects.filter(
        user=user, revoked_at__isnull=True, valid_until__gt=now
    ).order_by("-issued_at"):
        if (_folder() / f"staff-{record.serial}.pem").exists():
            return record
    return certificate_issue(user=user)


def _tsa_certificate() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The city's time-stamping certificate (RFC 3161), issued by its CA on first use."""
    folder = _folder()
    cert_path, key_path = folder / "tsa-cert.pem", folder / "tsa-key.pem"
    if not cert_path.exists():
        ca_certificate, ca_key = certificate_authority()
        # RSA: pyHanko's in-process time-stamper signs tokens with RSA keys only.
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = timezone.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name("Служба позначок часу Hromada", settings.HROMADA_NAME))
            .issuer_name(ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * 5))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(ca=False), critical=True)
            # RFC 3161 §2.3: a TSA certificate carries only this purpose, marked critical.
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .sign(ca_key, hashes.SHA256())
        )
        _write_key(key_path, key, "tsa")
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return certificate, _read_key(key_path, "tsa")


def configured_timestamper() -> Any:
    """Who vouches for the time of a signature: the authority at ``DOCFLOW_TSA_URL``
    (RFC 3161 over HTTP), else the city's own time-stamping certificate."""
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    url = getattr(settings, "DOCFLOW_TSA_URL", "")
    if url:
        return HTTPTimeStamper(url, timeout=10)
    certificate, key = _tsa_certificate()
    ca_certificate, _ca_key = certificate_authority()
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # pyHanko calls it a dummy because it signs in-process; the token is a real RFC 3161 one.
    return DummyTimeStamper(
        tsa_cert=_asn1(certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1(ca_certificate)]),
    )


def extra_trust_roots() -> list[asn1_x509.Certificate]:
    """Certificates in ``DOCFLOW_TRUST_FILE`` (PEM), e.g. an external TSA's root."""
    path = getattr(settings, "DOCFLOW_TRUST_FILE", "")
    if not path:
        return []
    return [_asn1(c) for c in x509.load_pem_x509_certificates(Path(path).read_bytes())]


class SoftwareKeySigner:
    """Signs with a staff key kept (encrypted) by the server and a certificate from the
    city's own CA. Not a qualified signature: see docs/decisions/0201."""

    backend = "software-key"

    def sign_pdf(self, pdf: bytes, *, user: Any, reason: str, location: str) -> SignedPdf:
        from pyhanko.keys import load_private_key_from_pemder_data
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        record = current_certificate(user)
        certificate = x509.load_pem_x509_certificate(record.certificate_pem.encode())
        key = _read_key(_folder() / f"staff-{record.serial}.pem", f"staff:{record.serial}")
        key_der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        ca_certificate, _ca_key = certificate_authority()
        signer = signers.SimpleSigner(
            signing_cert=_asn1(certificate),
            signing_key=load_private_key_from_pemder_data(key_der, None),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(ca_certificate)]),
        )
        signed_at = timezone.now()
        output = signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            PdfSignatureMetadata(field_name="Signature1", reason=reason, location=location),
            signer=signer,
            timestamper=configured_timestamper(),
        )
        return SignedPdf(
            data=output.getvalue(),
            signed_at=signed_at,
            certificate_subject=record.subject,
            certificate_serial=record.serial,
            backend=self.backend,
        )

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        certificate, _key = certificate_authority()
        return [_asn1(certificate)]


# --- verification ---------------------------------------------------------------------


class Verdict(enum.StrEnum):
    INTACT = "intact"
    MODIFIED = "modified"
    UNTRUSTED = "untrusted"
    NOT_SIGNED = "not_signed"
    CORRUPTED = "corrupted"
    UNSUPPORTED = "unsupported"


VERDICT_LABELS = {
    Verdict.INTACT: _("Signed and intact: the file has not changed since it was signed."),
    Verdict.MODIFIED: _("Modified after signing: the file is not the one that was signed."),
    Verdict.UNTRUSTED: _(
        "The signature is intact, but its certificate does not come from an authority "
        "this site trusts."
    ),
    Verdict.NOT_SIGNED: _("The file is a PDF but carries no electronic signature."),
    Verdict.CORRUPTED: _("The file is damaged or is not a PDF, so it cannot be checked."),
    Verdict.UNSUPPORTED: _(
        "The file carries a signature this site cannot check (for example a qualified "
        "DSTU 4145 signature) or a damaged signature."
    ),
}
# The worst verdict among a file's signatures is the file's verdict.
_SEVERITY = [Verdict.INTACT, Verdict.UNTRUSTED, Verdict.UNSUPPORTED, Verdict.MODIFIED]


@dataclass(frozen=True)
class SignatureCheck:
    verdict: Verdict
    signer: str
    signed_at: datetime | None
    issuer: str
    # The time an RFC 3161 authority vouches for, and whether this site trusts it.
    timestamped_at: datetime | None = None
    timestamp_authority: str = ""
    timestamp_trusted: bool = False


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])


def _signature_verdict(status: Any) -> Verdict:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not status.intact or not status.valid:
        return Verdict.MODIFIED
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and status.modification_level not in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    ):
        return Verdict.MODIFIED
    if not status.trusted:
        return Verdict.UNTRUSTED
    return Verdict.INTACT


def verify_pdf(
    data: bytes, *, trust_roots: list[asn1_x509.Certificate] | None = None
) -> Verification:
    """Check every signature of ``data``; never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if data.lstrip()[:5] != b"%PDF-":
        return Verification(Verdict.CORRUPTED)
    if trust_roots is None:
        trust_roots = configured_signer().trust_roots() + extra_trust_roots()
    roots = trust_roots
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # any parse failure of an uploaded file is "corrupted"
        logger.info("PDF could not be read: %s", error)
        return Verification(Verdict.CORRUPTED)
    if not embedded:
        return Verification(Verdict.NOT_SIGNED)
    checks = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context, ts_validation_context=context)
        except Exception as error:  # an algorithm pyHanko lacks, or a damaged signature
            logger.info("signature could not be validated: %s", error)
            checks.append(SignatureCheck(Verdict.UNSUPPORTED, "", None, ""))
            continue
        stamp = status.timestamp_validity
        checks.append(
            SignatureCheck(
                verdict=_signature_verdict(status),
                signer=status.signing_cert.subject.human_friendly,
                signed_at=status.signer_reported_dt,
                issuer=status.signing_cert.issuer.human_friendly,
                timestamped_at=stamp.timestamp if stamp else None,
                timestamp_authority=stamp.signing_cert.subject.human_friendly if stamp else "",
                timestamp_trusted=bool(stamp and stamp.intact and stamp.valid and stamp.trusted),
            )
        )
    worst = max((check.verdict for check in checks), key=_SEVERITY.index)
    return Verification(worst, checks)
