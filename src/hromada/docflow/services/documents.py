"""Registration of documents, their files, links and access grants."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.files import validate_upload
from hromada.core.models import Organisation
from hromada.docflow import ocr
from hromada.docflow.access import can_edit, can_register
from hromada.docflow.errors import NotPermitted, WrongState
from hromada.docflow.models import (
    DECISION_KINDS,
    AccessGrant,
    Case,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentLink,
    FileVersion,
    Journal,
    JournalCounter,
    TextStatus,
)
from hromada.docflow.pdf import pdf_text

logger = logging.getLogger(__name__)

JOURNAL_PREFIXES = {
    DocumentKind.INCOMING: "Вх",
    DocumentKind.OUTGOING: "Вих",
    DocumentKind.INTERNAL: "Вн",
    DocumentKind.EXECUTIVE_DECISION: "",
    DocumentKind.COUNCIL_DECISION: "",
    DocumentKind.ORDER: "Р",
    DocumentKind.APPEAL: "Зв",
}
CARD_FIELDS = [
    "kind",
    "organisation_id",
    "registration_index",
    "registered_on",
    "case_id",
    "correspondent",
    "correspondent_number",
    "correspondent_date",
    "received_on",
    "summary",
    "addressee",
    "signatory_id",
    "signatory_name",
    "pages",
    "attachment_pages",
    "attachments_note",
    "restricted",
    "is_public",
    "medium",
]
FILE_TYPES = {"pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg", "txt"}


def journal_for(*, organisation: Organisation, kind: str) -> Journal:
    journal, _created = Journal.objects.get_or_create(
        organisation=organisation,
        kind=kind,
        defaults={"prefix": JOURNAL_PREFIXES.get(kind, "")},
    )
    return journal


def _locked_counter(journal: Journal, year: int) -> JournalCounter:
    """The counter row of (journal, year), locked until the registration commits.

    Two first registrations of a year may both try to create the row; the unique
    constraint lets one win and the other then locks the winner's row."""
    counter = JournalCounter.objects.select_for_update().filter(journal=journal, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            JournalCounter.objects.create(journal=journal, year=year, last_number=0)
    except IntegrityError:
        pass
    return JournalCounter.objects.select_for_update().get(journal=journal, year=year)


def next_number(*, journal: Journal, year: int) -> int:
    """Take the next number of the journal's year: no gap, no duplicate, because the
    counter row stays locked to the end of the surrounding registration transaction
    (which rolls the number back too if the registration fails)."""
    counter = _locked_counter(journal, year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def journal_year_open(*, actor: Any, journal: Journal, year: int, first_number: int) -> None:
    """Continue a paper journal: the next number of ``year`` will be ``first_number``."""
    counter = _locked_counter(journal, year)
    if counter.last_number >= first_number:
        raise WrongState(
            _("Numbers up to %(number)s are already taken in this journal.")
            % {"number": counter.last_number}
        )
    counter.last_number = first_number - 1
    counter.save(update_fields=["last_number"])
    audit_record(
        actor=actor,
        action="docflow.journal.open_year",
        target=journal,
        changes={"year": year, "first_number": first_number},
        public=False,
    )


def registration_index(*, journal: Journal, case: Case | None, number: int) -> str:
    prefix = case.index if case is not None else journal.prefix
    return f"{prefix}/{number}" if prefix else str(number)


def search_text_of(document: Document) -> str:
    """Card fields and the text of each file's latest version, for full-text search."""
    parts = [
        document.registration_index,
        document.summary,
        document.correspondent,
        document.correspondent_number,
        document.addressee,
        document.signatory_name,
        document.attachments_note,
        document.body,
    ]
    if document.pk:
        for file in document.files.all():
            latest = file.versions.order_by("-number").only("text").first()
            if latest is not None and latest.text:
                parts.append(latest.text)
    return "\n".join(part for part in parts if part)


def _check_card(
    *,
    organisation: Organisation,
    kind: str,
    case: Case | None,
    year: int,
    restricted: bool,
    is_public: bool,
) -> None:
    if kind not in DocumentKind.values:
        raise ValidationError(_("Unknown document kind."))
    if case is not None:
        if case.organisation_id != organisation.pk or case.year != year:
            raise ValidationError(
                _("The case must belong to the registering body and the registration year.")
            )
        if case.closed_on is not None:
            raise ValidationError(_("The case is closed and in the archive; choose an open case."))
    if is_public and kind not in DECISION_KINDS:
        raise ValidationError(
            _("Only decisions of the council and its executive committee are published.")
        )
    if is_public and restricted:
        raise ValidationError(_("A document with restricted access cannot be published."))


@transaction.atomic
def document_register(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    summary: str,
    registered_on: date | None = None,
    case: Case | None = None,
    correspondent: str = "",
    correspondent_number: str = "",
    correspondent_date: date | None = None,
    received_on: date | None = None,
    body: str = "",
    addressee: str = "",
    addressee_bodies: Iterable[Organisation] = (),
    signatory: Any = None,
    signatory_name: str = "",
    pages: int = 1,
    attachment_pages: int = 0,
    attachments_note: str = "",
    restricted: bool = False,
    is_public: bool = False,
    medium: str = Document.Medium.ELECTRONIC,
) -> Document:
    """Register a document: give it the next number of its journal and year."""
    if actor is not None and not can_register(actor, organisation.pk):
        raise NotPermitted(_("You may register documents only for your own body."))
    registered_on = registered_on or timezone.localdate()
    year = registered_on.year
    if case is not None:
        case = Case.objects.get(pk=case.pk)  # its state now, not as the caller loaded it
    _check_card(
        organisation=organisation,
        kind=kind,
        case=case,
        year=year,
        restricted=restricted,
        is_public=is_public,
    )
    journal = journal_for(organisation=organisation, kind=kind)
    number = next_number(journal=journal, year=year)
    document = Document(
        kind=kind,
        organisation=organisation,
        journal=journal,
        year=year,
        number=number,
        registration_index=registration_index(journal=journal, case=case, number=number),
        registered_on=registered_on,
        case=case,
        correspondent=correspondent,
        correspondent_number=correspondent_number,
        correspondent_date=correspondent_date,
        received_on=received_on,
        summary=summary.strip(),
        body=body,
        addressee=addressee,
        signatory=signatory,
        signatory_name=signatory_name,
        pages=pages,
        attachment_pages=attachment_pages,
        attachments_note=attachments_note,
        restricted=restricted,
        is_public=is_public,
        medium=medium,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.search_text = search_text_of(document)
    document.full_clean(exclude=["journal", "search_text"])
    document.save()
    document.addressee_bodies.set(list(addressee_bodies))
    audit_record(
        actor=actor,
        action="docflow.document.register",
        target=document,
        changes=diff({}, snapshot(document, CARD_FIELDS)),
        public=is_public,
    )
    return document


# The descriptive fields of the card a clerk may correct after registration; the
# registration itself (kind, journal, number, index, date) stays as it was given.
EDITABLE_CARD_FIELDS = (
    "summary",
    "correspondent",
    "correspondent_number",
    "correspondent_date",
    "received_on",
    "addressee",
    "addressee_bodies",
    "signatory",
    "signatory_name",
    "pages",
    "attachment_pages",
    "attachments_note",
    "restricted",
    "case",
)
# As the registration event names them (foreign keys by their ids).
_EDIT_AUDIT_FIELDS = [
    name
    for name in CARD_FIELDS
    if name not in {"kind", "organisation_id", "registration_index", "registered_on"}
    and name not in {"is_public", "medium"}
]


def card_lock_reason(document: Document) -> str:
    """Why the card of ``document`` can no longer be corrected, or "" while it can."""
    if document.status == Document.Status.SIGNED:
        return _("The document is signed; its registration card can no longer change.")
    if document.case_id is not None and document.case.closed_on is not None:
        return _("The document's case is closed and in the archive; its card can no longer change.")
    return ""


def _card_snapshot(document: Document) -> dict[str, Any]:
    values = snapshot(document, _EDIT_AUDIT_FIELDS)
    values["addressee_bodies"] = sorted(document.addressee_bodies.values_list("pk", flat=True))
    return values


@transaction.atomic
def document_update(*, actor: Any, document: Document, **changes: Any) -> Document:
    """Correct the descriptive fields of a registered card (EDITABLE_CARD_FIELDS);
    audited only when something really changed."""
    fixed = sorted(set(changes) - set(EDITABLE_CARD_FIELDS))
    if fixed:
        raise ValidationError(
            _("These fields of the registration cannot be changed: %(fields)s.")
            % {"fields": ", ".join(fixed)}
        )
    # can_edit matches created_by against the actor's pk, which is None for anonymous.
    if not getattr(actor, "is_authenticated", False) or not can_edit(actor, document):
        raise NotPermitted(_("Only the registering body may correct this registration card."))
    # Lock the row and judge its state now, not as the caller loaded it.
    document.refresh_from_db(from_queryset=Document.objects.select_for_update())
    reason = card_lock_reason(document)
    if reason:
        raise WrongState(reason)
    before = _card_snapshot(document)
    addressee_bodies = changes.pop("addressee_bodies", None)
    case = changes.pop("case", document.case)
    if case is not None:
        case = Case.objects.get(pk=case.pk)
    if "summary" in changes:
        changes["summary"] = changes["summary"].strip()
    for name, value in changes.items():
        setattr(document, name, value)
    document.case = case
    _check_card(
        organisation=document.organisation,
        kind=document.kind,
        case=case,
        year=document.year,
        restricted=document.restricted,
        is_public=document.is_public,
    )
    document.full_clean(exclude=["journal", "search_text"])
    after = snapshot(document, _EDIT_AUDIT_FIELDS)
    after["addressee_bodies"] = (
        sorted(body.pk for body in addressee_bodies)
        if addressee_bodies is not None
        else before["addressee_bodies"]
    )
    changed = diff(before, after)
    if not changed:
        return document
    if "addressee_bodies" in changed:
        document.addressee_bodies.set(after["addressee_bodies"])
    document.search_text = search_text_of(document)
    # search_text is among the saved fields: its update keeps the SQLite FTS index in step.
    document.save(update_fields=[*_card_model_fields(changed), "search_text"])
    audit_record(
        actor=actor,
        action="docflow.document.update",
        target=document,
        changes=changed,
        # A restricted card never shows in public history, before or after the change.
        public=document.is_public and not before["restricted"] and not document.restricted,
    )
    return document


def _card_model_fields(changed: dict[str, Any]) -> list[str]:
    names = {"case_id": "case", "signatory_id": "signatory"}
    return [names.get(name, name) for name in changed if name != "addressee_bodies"]


@transaction.atomic
def document_publish(*, actor: Any, document: Document) -> Document:
    if not can_edit(actor, document):
        raise NotPermitted(_("Only the registering body may publish its decisions."))
    _check_card(
        organisation=document.organisation,
        kind=document.kind,
        case=None,
        year=document.year,
        restricted=document.restricted,
        is_public=True,
    )
    if not document.is_public:
        document.is_public = True
        document.save(update_fields=["is_public"])
        audit_record(
            actor=actor,
            action="docflow.document.publish",
            target=document,
            changes={"is_public": [False, True]},
        )
    return document


def _refresh_search_text(document: Document) -> None:
    document.search_text = search_text_of(document)
    document.save(update_fields=["search_text"])


@transaction.atomic
def file_upload(*, actor: Any, document: Document, upload: Any, title: str = "") -> FileVersion:
    """Store ``upload`` as a new version of the document's file ``title`` (by default
    the file name); refused for forbidden types, oversize files and signed documents."""
    if actor is not None and not can_edit(actor, document):
        raise NotPermitted(_("Only the registering body may add files to this document."))
    if document.status == Document.Status.SIGNED:
        raise WrongState(_("The document is signed; its files can no longer change."))
    validate_upload(upload, allowed=FILE_TYPES)
    data = upload.read()
    upload.seek(0)
    name = upload.name.rsplit("/", 1)[-1][:200]
    file, _created = DocumentFile.objects.select_for_update().get_or_create(
        document=document, title=(title or name).strip()[:200]
    )
    number = (file.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    text = pdf_text(data) if name.lower().endswith(".pdf") else ""
    version = FileVersion(
        file=file,
        number=number,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        text_status=_text_status(name, text),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.content.save(name, ContentFile(data), save=False)
    try:
        version.save()
        _refresh_search_text(document)
        audit_record(
            actor=actor,
            action="docflow.file.upload",
            target=document,
            changes={"file": file.title, "version": number, "sha256": version.sha256},
            public=False,
        )
    except Exception:
        # Nothing half-saved: the rows roll back with the transaction, the bytes go here.
        version.content.delete(save=False)
        raise
    if version.text_status == TextStatus.QUEUED:
        from hromada.docflow.tasks import recognise_file_version

        transaction.on_commit(lambda: recognise_file_version(version.pk))
    return version


def _text_status(name: str, text: str) -> str:
    if not ocr.needs_recognition(name, text):
        return TextStatus.EXTRACTED if text else TextStatus.NONE
    return TextStatus.QUEUED if ocr.available() else TextStatus.NO_OCR


def file_version_recognise(*, version_id: int) -> FileVersion:
    """Read a queued scan with OCR and index its text (the task runs it after commit).
    OCR runs outside any transaction: it may take a minute, and holds no lock meanwhile."""
    version = FileVersion.objects.select_related("file").get(pk=version_id)
    if version.text_status != TextStatus.QUEUED:
        return version
    with version.content.open("rb") as stored:
        data = stored.read()
    try:
        text, status = ocr.recognise(data, version.original_name), TextStatus.RECOGNISED
    except ocr.RecognitionFailed as error:
        logger.warning("OCR of file version %s failed: %s", version.pk, error)
        text, status = "", TextStatus.FAILED
    return _file_version_text_store(version=version, text=text, status=status)


# A queued scan older than this has lost its task (OCR takes seconds a page).
OCR_STALE_AFTER = timedelta(minutes=30)


def file_versions_left_queued() -> list[int]:
    """Ids of scans still queued for OCR long after their upload."""
    stale = timezone.now() - OCR_STALE_AFTER
    queued = FileVersion.objects.filter(text_status=TextStatus.QUEUED, uploaded_at__lt=stale)
    return list(queued.order_by("id").values_list("id", flat=True))


@transaction.atomic
def _file_version_text_store(*, version: FileVersion, text: str, status: str) -> FileVersion:
    document = Document.objects.select_for_update().get(pk=version.file.document_id)
    version.text, version.text_status = text, status
    version.save(update_fields=["text", "text_status"])
    _refresh_search_text(document)
    audit_record(
        actor=None,
        action="docflow.file.recognise",
        target=document,
        changes={"file": version.file.title, "version": version.number, "result": status},
        public=False,
    )
    return version


@transaction.atomic
def document_link(*, actor: Any, source: Document, target: Document, kind: str) -> DocumentLink:
    if actor is not None and not can_edit(actor, source):
        raise NotPermitted(_("Only the registering body may link this document."))
    if source.pk == target.pk:
        raise ValidationError(_("A document cannot be linked to itself."))
    if kind not in DocumentLink.Kind.values:
        raise ValidationError(_("Unknown kind of link."))
    link, created = DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)
    if created:
        audit_record(
            actor=actor,
            action="docflow.document.link",
            target=source,
            changes={"kind": kind, "target": str(target)},
            public=False,
        )
    return link


@transaction.atomic
def access_grant(*, actor: Any, document: Document, user: Any) -> AccessGrant:
    if not can_edit(actor, document):
        raise NotPermitted(_("Only the registering body may grant access to this document."))
    grant, created = AccessGrant.objects.get_or_create(
        document=document, user=user, defaults={"granted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="docflow.access.grant",
            target=document,
            changes={"user": user.email},
            public=False,
        )
    return grant


@transaction.atomic
def document_opened(*, actor: Any, document: Document) -> None:
    """Record that ``actor`` opened a restricted document (never in public history)."""
    if document.restricted:
        audit_record(
            actor=actor, action="docflow.document.open_restricted", target=document, public=False
        )
