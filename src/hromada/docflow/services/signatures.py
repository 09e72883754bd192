"""Signing the final PDF of a document."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from hromada.core.audit import audit_record
from hromada.core.services import notify
from hromada.docflow.errors import AlreadyDecided, NotPermitted, WrongState
from hromada.docflow.models import SIGNED_KINDS, ApprovalRoute, Document, Signature
from hromada.docflow.pdf import document_pdf
from hromada.docflow.signing import Signer, configured_signer


@transaction.atomic
def document_sign(*, actor: Any, document: Document, signer: Signer | None = None) -> Signature:
    """The signatory signs the document's final PDF with a PAdES signature."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.signatory_id != getattr(actor, "pk", None):
        raise NotPermitted(_("Only the signatory named on the card may sign this document."))
    if document.kind not in SIGNED_KINDS:
        raise WrongState(_("Documents of this kind are not signed in Hromada."))
    if document.status == Document.Status.SIGNED:
        raise AlreadyDecided(_("The document is already signed."))
    routed = ApprovalRoute.objects.filter(document=document).exists()
    if document.status != Document.Status.APPROVED and (
        routed or document.status != Document.Status.REGISTERED
    ):
        raise WrongState(_("The document must pass its approval route before it is signed."))
    signer = signer or configured_signer()
    signed = signer.sign_pdf(
        document_pdf(document),
        user=actor,
        reason=f"Підписання документа № {document.registration_index}",
        location="Хмельницький",
    )
    signature = Signature(
        document=document,
        signer=actor,
        signed_at=signed.signed_at,
        certificate_subject=signed.certificate_subject,
        certificate_serial=signed.certificate_serial,
        backend=signed.backend,
        sha256=hashlib.sha256(signed.data).hexdigest(),
    )
    signature.pdf.save(f"{document.pk}-{document.number}.pdf", ContentFile(signed.data), save=False)
    signature.save()
    document.status = Document.Status.SIGNED
    document.save(update_fields=["status"])
    if document.created_by_id:
        notify(
            recipients=[document.created_by],
            subject=_("The document is signed: %(document)s") % {"document": document},
            url=document.get_absolute_url(),
        )
    audit_record(
        actor=actor,
        action="docflow.document.sign",
        target=document,
        changes={"certificate": signed.certificate_serial, "sha256": signature.sha256},
        public=document.is_public,
    )
    return signature
