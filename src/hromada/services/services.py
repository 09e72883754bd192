"""Every write of the resident's cabinet: catalogue, applications, city-issue reports."""

from __future__ import annotations

import io
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed
from PIL import Image, ImageOps, UnidentifiedImageError

from hromada.accounts.permissions import can_change
from hromada.core.audit import audit_record, diff, snapshot
from hromada.core.calendar import add_calendar_days, add_working_days, working_days_between
from hromada.core.files import validate_upload
from hromada.core.models import Organisation
from hromada.core.services import notify, organisations_load
from hromada.registries.selectors import nearest_record
from hromada.services import documents
from hromada.services.form_schema import SchemaError, condition_holds, schema_check
from hromada.services.models import (
    Application,
    ApplicationCounter,
    ApplicationEvent,
    ApplicationFile,
    IssueCategory,
    IssueReport,
    IssueStatus,
    LifeSituation,
    ServiceCard,
    Status,
)

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue-khmelnytskyi.yaml"
# The community's area (Khmelnytskyi city territorial community), a generous bounding box.
COMMUNITY_BBOX = (Decimal("49.28"), Decimal("26.78"), Decimal("49.56"), Decimal("27.18"))
PHOTO_MAX_SIDE = 1600
PHOTO_MAX_BYTES = 15 * 1024 * 1024


class ServiceRefused(Exception):
    """An action refused with a message for the person; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApplicationConflict(ServiceRefused):
    """Someone else changed the application first (optimistic lock lost)."""


# --- catalogue ---------------------------------------------------------------------------------

CARD_FIELDS = [
    "name",
    "register_id",
    "subject",
    "required_documents",
    "is_free",
    "fee",
    "fee_payment",
    "term_days",
    "term_kind",
    "term_basis",
    "refusal_grounds",
    "result",
    "result_delivery",
    "legal_basis",
    "organisation_id",
    "centre_id",
    "online",
    "requires_identity",
    "form_schema",
    "route",
    "published",
]


def _route_check(route: list[dict[str, Any]], known_orgs: set[str]) -> None:
    for position, step in enumerate(route, start=1):
        if not step.get("name"):
            raise SchemaError(f"route step {position}: a name is required")
        org = step.get("organisation")
        if org and org not in known_orgs:
            raise SchemaError(f"route step {position}: unknown organisation {org!r}")


@transaction.atomic
def life_situation_upsert(*, actor: Any, key: str, name: str, order: int = 0) -> LifeSituation:
    situation, created = LifeSituation.objects.get_or_create(
        key=key, defaults={"name": name, "order": order}
    )
    if created:
        audit_record(actor=actor, action="service.situation.create", target=situation)
    elif (situation.name, situation.order) != (name, order):
        situation.name, situation.order = name, order
        situation.save(update_fields=["name", "order"])
        audit_record(actor=actor, action="service.situation.update", target=situation)
    return situation


@transaction.atomic
def service_card_upsert(
    *, actor: Any, code: str, situations: list[str], **fields: Any
) -> ServiceCard:
    """Create the card ``code`` or bring it to ``fields``; audit only real changes."""
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise SchemaError(f"service {code!r}: unknown fields {sorted(unknown)}")
    if fields.get("online") and not fields.get("form_schema"):
        raise SchemaError(f"service {code!r}: online without a form")
    schema_check(fields.get("form_schema", []))
    _route_check(fields.get("route", []), set(Organisation.objects.values_list("key", flat=True)))
    card = ServiceCard.objects.select_for_update().filter(code=code).first()
    before = snapshot(card, CARD_FIELDS) if card else {}
    if card is None:
        card = ServiceCard(code=code)
    for name, value in fields.items():
        setattr(card, name, value)
    card.full_clean(exclude=["life_situations"])
    changes = diff(before, snapshot(card, CARD_FIELDS))
    if changes:
        card.save()
        audit_record(
            actor=actor,
            action="service.card.create" if not before else "service.card.update",
            target=card,
            changes=changes,
        )
    wanted = set(LifeSituation.objects.filter(key__in=situations).values_list("pk", flat=True))
    if len(wanted) != len(set(situations)):
        raise SchemaError(f"service {code!r}: unknown life situation in {situations}")
    if set(card.life_situations.values_list("pk", flat=True)) != wanted:
        card.life_situations.set(wanted)
    return card


@transaction.atomic
def catalogue_load(*, actor: Any, path: Path = CATALOGUE_FILE) -> int:
    """Load life situations and service cards from a YAML file, all or nothing.

    Raises ValueError listing every bad card (the row-level report); nothing is saved then.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("organisations"):
        organisations_load(actor=actor, entries=data["organisations"])
    for order, (key, name) in enumerate(data["life_situations"].items()):
        life_situation_upsert(actor=actor, key=key, name=name, order=order)
    organisations = {o.key: o for o in Organisation.objects.all()}
    defaults = data.get("defaults", {})
    errors: list[str] = []
    loaded = 0
    for number, entry in enumerate(data["services"], start=1):
        entry = {**defaults, **entry}
        code = entry.pop("code", f"#{number}")
        try:
            org_key = entry.pop("organisation")
            centre_key = entry.pop("centre", None)
            if org_key not in organisations:
                raise SchemaError(f"unknown organisation {org_key!r}")
            entry["organisation_id"] = organisations[org_key].pk
            entry["centre_id"] = organisations[centre_key].pk if centre_key else None
            form = entry.pop("form", [])
            entry["form_schema"] = data.get("forms", {})[form] if isinstance(form, str) else form
            entry["required_documents"] = entry.pop("documents", [])
            if entry.get("fee") is not None:
                entry["fee"] = Decimal(str(entry["fee"])).quantize(Decimal("0.01"))
            with transaction.atomic():
                service_card_upsert(
                    actor=actor, code=code, situations=entry.pop("situations", []), **entry
                )
            loaded += 1
        except (SchemaError, ValidationError, KeyError, TypeError) as error:
            errors.append(f"service {number} ({code}): {error}")
    for number, entry in enumerate(data.get("issue_categories", []), start=1):
        entry = dict(entry)
        try:
            organisation = organisations[entry.pop("organisation")]
            issue_category_upsert(actor=actor, organisation=organisation, **entry)
        except (KeyError, TypeError, ValidationError) as error:
            errors.append(f"issue category {number} ({entry.get('code')}): {error}")
    if errors:
        raise ValueError("The catalogue was not loaded:\n" + "\n".join(errors))
    return loaded


@transaction.atomic
def issue_category_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    organisation: Organisation,
    group: str = "",
    description: str = "",
    is_road: bool = False,
) -> IssueCategory:
    fields = {
        "name": name,
        "organisation": organisation,
        "group": group,
        "description": description,
        "is_road": is_road,
    }
    category = IssueCategory.objects.filter(code=code).first()
    if category is None:
        category = IssueCategory(code=code, **fields)
        category.full_clean()
        category.save()
        audit_record(actor=actor, action="service.issue_category.create", target=category)
        return category
    names = ["name", "organisation_id", "group", "description", "is_road"]
    before = snapshot(category, names)
    for key, value in fields.items():
        setattr(category, key, value)
    changes = diff(before, snapshot(category, names))
    if changes:
        category.full_clean()
        category.save()
        audit_record(
            actor=actor, action="service.issue_category.update", target=category, changes=changes
        )
    return category


# --- applications: resident's side -------------------------------------------------------------


def _check_may_apply(service: ServiceCard, applicant: Any) -> None:
    if not service.published or not service.online:
        raise ServiceRefused(_("This service cannot be applied for online yet."))
    if service.requires_identity and not applicant.identity_verified:
        raise ServiceRefused(
            _("This service needs a verified identity: sign in with your e-ID first.")
        )


def _first_step_organisation(service: ServiceCard) -> Organisation:
    return _step_organisation(service, 0)


def _step_organisation(service: ServiceCard, step: int) -> Organisation:
    route = service.route or []
    key = route[step].get("organisation") if step < len(route) else None
    return Organisation.objects.get(key=key) if key else service.organisation


def _event(
    application: Application, *, actor: Any, kind: str, note: str = "", internal: bool = False
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, actor=actor, kind=kind, note=note, internal=internal
    )


def _store_uploads(
    application: Application, *, uploads: list[tuple[str, Any]], actor: Any, kind: str
) -> None:
    """Store (form field, file) pairs; field "" for files not tied to a form field."""
    for field, upload in uploads:
        if kind == ApplicationFile.Kind.ATTACHMENT and field:
            # A new file for a field replaces the draft's previous one.
            application.files.filter(kind=kind, field=field).delete()
        stored = ApplicationFile(
            application=application,
            kind=kind,
            field=field,
            original_name=Path(upload.name).name[:255],
            uploaded_by=actor,
        )
        stored.file.save(
            f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload, save=False
        )
        stored.save()


@transaction.atomic
def application_draft_get_or_create(*, service: ServiceCard, applicant: Any) -> Application:
    """The applicant's one draft for ``service`` (created empty the first time)."""
    _check_may_apply(service, applicant)
    draft = Application.objects.filter(
        service=service, applicant=applicant, status=Status.DRAFT
    ).first()
    if draft is None:
        draft = Application.objects.create(
            service=service,
            applicant=applicant,
            organisation=_first_step_organisation(service),
        )
        audit_record(
            actor=applicant, action="service.application.draft", target=draft, public=False
        )
    return draft


@transaction.atomic
def application_draft_save(
    *, application: Application, applicant: Any, answers: dict[str, Any], uploads: dict[str, Any]
) -> Application:
    if application.applicant_id != applicant.pk or application.status != Status.DRAFT:
        raise ServiceRefused(_("This draft can no longer be changed."))
    application.data = answers
    application.save(update_fields=["data"])
    _store_uploads(
        application,
        uploads=list(uploads.items()),
        actor=applicant,
        kind=ApplicationFile.Kind.ATTACHMENT,
    )
    return application


def _next_number(year: int) -> int:
    # The counter row is locked until the submit commits: numbers are gap-free, and a
    # failed submit rolls its number back with it.
    ApplicationCounter.objects.get_or_create(year=year)
    counter = ApplicationCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def due_date_for(service: ServiceCard, start: date) -> date:
    if service.term_kind == ServiceCard.Term.WORKING:
        return add_working_days(start, service.term_days)
    return add_calendar_days(start, service.term_days)


def application_submit(
    *,
    application: Application,
    applicant: Any,
    answers: dict[str, Any],
    uploads: dict[str, Any],
    idempotency_key: str,
) -> Application:
    """Submit the draft: number, due date, receipt. The same key twice gives one application."""
    existing = (
        Application.objects.filter(applicant=applicant, idempotency_key=idempotency_key)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if existing is not None:
        return existing
    try:
        return _submit(
            application=application,
            applicant=applicant,
            answers=answers,
            uploads=uploads,
            idempotency_key=idempotency_key,
        )
    except IntegrityError:
        # A concurrent submit with the same key won the race: return its application.
        existing = Application.objects.filter(
            applicant=applicant, idempotency_key=idempotency_key
        ).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submit(
    *,
    application: Application,
    applicant: Any,
    answers: dict[str, Any],
    uploads: dict[str, Any],
    idempotency_key: str,
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != applicant.pk:
        raise ServiceRefused(_("This is not your application."))
    if application.status != Status.DRAFT:
        raise ServiceRefused(_("This application has already been submitted."))
    _check_may_apply(application.service, applicant)
    application.data = answers
    _store_uploads(
        application,
        uploads=list(uploads.items()),
        actor=applicant,
        kind=ApplicationFile.Kind.ATTACHMENT,
    )
    required_files = {
        spec["name"]
        for spec in application.service.form_schema
        if spec["type"] == "file" and spec.get("required") and condition_holds(spec, answers)
    }
    attached = set(application.files.filter(kind="attachment").values_list("field", flat=True))
    missing = required_files - attached
    if missing:
        raise ServiceRefused(_("A required document is not attached."))
    now = timezone.now()
    today = timezone.localdate(now)
    application.submit()
    application.year = today.year
    application.sequence = _next_number(today.year)
    application.number = f"{today.year}-{application.sequence:06d}"
    application.submitted_at = now
    application.due_date = due_date_for(application.service, today)
    application.idempotency_key = idempotency_key
    application.organisation = _first_step_organisation(application.service)
    application.step = 0
    application.version += 1
    application.save()
    _event(application, actor=applicant, kind=ApplicationEvent.Kind.SUBMITTED)
    audit_record(
        actor=applicant,
        action="service.application.submit",
        target=application,
        changes={"number": [None, application.number], "due_date": [None, application.due_date]},
        public=False,
    )
    notify(
        recipients=[applicant],
        subject=_("Application %(number)s received") % {"number": application.number},
        body=_("Your application for “%(service)s” is received. Due date: %(due)s.")
        % {"service": application.service.name, "due": f"{application.due_date:%d.%m.%Y}"},
        url=application.get_absolute_url(),
    )
    return application


def receipt_for(*, application: Application) -> bytes:
    return documents.receipt_pdf(application)


@transaction.atomic
def application_provide_info(
    *, application: Application, applicant: Any, note: str, uploads: list[Any]
) -> Application:
    """The resident answers a request for more information; the term runs again."""
    if application.applicant_id != applicant.pk:
        raise ServiceRefused(_("This is not your application."))
    if not note.strip() and not uploads:
        raise ServiceRefused(_("Write an answer or attach a document."))
    for upload in uploads:
        try:
            validate_upload(upload, allowed={"pdf", "jpg", "jpeg", "png"})
        except ValidationError as error:
            raise ServiceRefused(" ".join(error.messages)) from error
    version = application.version
    try:
        application.provide_info()
    except TransitionNotAllowed as error:
        raise ServiceRefused(_("No information is requested for this application now.")) from error
    today = timezone.localdate()
    before_due = application.due_date
    application.due_date = _extend_for_pause(application, today)
    application.paused_on = None
    _save_versioned(
        application, expected_version=version, fields=["status", "due_date", "paused_on"]
    )
    _store_uploads(
        application,
        uploads=[("", upload) for upload in uploads],
        actor=applicant,
        kind=ApplicationFile.Kind.ATTACHMENT,
    )
    _event(application, actor=applicant, kind=ApplicationEvent.Kind.INFO_PROVIDED, note=note)
    audit_record(
        actor=applicant,
        action="service.application.info_provided",
        target=application,
        changes={"due_date": [before_due, application.due_date]},
        public=False,
    )
    if application.assignee_id:
        notify(
            recipients=[application.assignee],
            subject=_("Application %(number)s: the applicant answered")
            % {"number": application.number},
            url=reverse("services:staff_application", kwargs={"pk": application.pk}),
        )
    return application


def _extend_for_pause(application: Application, today: date) -> date:
    """Our rule: days the applicant spends answering do not count against the body.

    The due date moves by the days the term was paused (working or calendar days, as
    the service's term is counted); see docs/decisions/0301-services-lifecycle-and-routes.md.
    """
    if application.paused_on is None or application.due_date is None:
        return application.due_date
    if application.service.term_kind == ServiceCard.Term.WORKING:
        paused = working_days_between(application.paused_on, today)
        return add_working_days(application.due_date, paused)
    paused = (today - application.paused_on).days
    return add_calendar_days(application.due_date, paused) if paused else application.due_date


@transaction.atomic
def application_rate(*, application: Application, applicant: Any, rating: int) -> Application:
    if application.applicant_id != applicant.pk:
        raise ServiceRefused(_("This is not your application."))
    if application.status not in (Status.DONE, Status.REFUSED):
        raise ServiceRefused(_("You can rate the service once it is finished."))
    if rating not in range(1, 6):
        raise ServiceRefused(_("Choose a rating from 1 to 5."))
    Application.objects.filter(pk=application.pk).update(rating=rating)
    application.rating = rating
    _event(application, actor=applicant, kind=ApplicationEvent.Kind.RATED, note=str(rating))
    return application


# --- applications: staff side ----------------------------------------------------------------


def _save_versioned(application: Application, *, expected_version: int, fields: list[str]) -> None:
    """UPDATE … WHERE version = N: of two staff acting at once, exactly one wins."""
    values = {name: getattr(application, name) for name in fields}
    updated = Application.objects.filter(pk=application.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise ApplicationConflict(
            _(
                "Someone else changed this application a moment ago. Nothing of yours was "
                "saved: look at its new state and act again."
            )
        )
    application.version = expected_version + 1


def _staff_check(application: Application, actor: Any, expected_version: int) -> None:
    if not can_change(actor, application):
        raise ServiceRefused(
            _("Only staff of %(body)s may act on this application now.")
            % {"body": application.organisation}
        )
    if application.version != expected_version:
        raise ApplicationConflict(
            _(
                "Someone else changed this application a moment ago. Nothing of yours was "
                "saved: look at its new state and act again."
            )
        )


def _transition(application: Application, name: str) -> None:
    try:
        getattr(application, name)()
    except TransitionNotAllowed as error:
        raise ServiceRefused(
            _("This cannot be done while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        ) from error


@transaction.atomic
def application_assign(
    *, application: Application, actor: Any, assignee: Any, expected_version: int
) -> Application:
    _staff_check(application, actor, expected_version)
    if not can_change(assignee, application):
        raise ServiceRefused(_("The chosen person does not work for the body handling it."))
    if not application.is_open:
        raise ServiceRefused(_("This application is closed."))
    fields = ["assignee"]
    application.assignee = assignee
    if application.status == Status.SUBMITTED:
        _transition(application, "take")
        fields.append("status")
    _save_versioned(application, expected_version=expected_version, fields=fields)
    _event(
        application,
        actor=actor,
        kind=ApplicationEvent.Kind.ASSIGNED,
        note=assignee.get_full_name() or assignee.email,
        internal=True,
    )
    audit_record(
        actor=actor,
        action="service.application.assign",
        target=application,
        changes={"assignee": [None, assignee.pk]},
        public=False,
    )
    return application


@transaction.atomic
def application_comment(*, application: Application, actor: Any, note: str) -> ApplicationEvent:
    """An internal comment: seen by staff only, never conflicts with other actions."""
    if not can_change(actor, application):
        raise ServiceRefused(_("Only staff of the body handling it may comment."))
    if not note.strip():
        raise ServiceRefused(_("Write the comment first."))
    return _event(
        application,
        actor=actor,
        kind=ApplicationEvent.Kind.COMMENT,
        note=note.strip(),
        internal=True,
    )


@transaction.atomic
def application_request_info(
    *, application: Application, actor: Any, note: str, expected_version: int
) -> Application:
    _staff_check(application, actor, expected_version)
    if not note.strip():
        raise ServiceRefused(_("Say what information is needed."))
    _transition(application, "request_info")
    application.paused_on = timezone.localdate()
    if application.assignee_id is None:
        application.assignee = actor
    _save_versioned(
        application, expected_version=expected_version, fields=["status", "paused_on", "assignee"]
    )
    _event(application, actor=actor, kind=ApplicationEvent.Kind.INFO_REQUESTED, note=note.strip())
    audit_record(
        actor=actor, action="service.application.request_info", target=application, public=False
    )
    notify(
        recipients=[application.applicant],
        subject=_("Application %(number)s: more information is needed")
        % {"number": application.number},
        body=note.strip(),
        url=application.get_absolute_url(),
    )
    return application


@transaction.atomic
def application_advance(
    *, application: Application, actor: Any, expected_version: int, note: str = ""
) -> Application:
    """Pass the application to the next step of its service's route."""
    _staff_check(application, actor, expected_version)
    route = application.service.route or []
    if application.step + 1 >= len(route):
        raise ServiceRefused(_("This is the last step of the route: issue the result or refuse."))
    if application.status == Status.SUBMITTED:
        _transition(application, "take")
    elif application.status != Status.IN_PROGRESS:
        _transition(application, "take")  # raises the clear "cannot be done" message
    application.step += 1
    application.organisation = _step_organisation(application.service, application.step)
    application.assignee = None
    _save_versioned(
        application,
        expected_version=expected_version,
        fields=["status", "step", "organisation", "assignee"],
    )
    _event(
        application,
        actor=actor,
        kind=ApplicationEvent.Kind.STEP,
        note=f"{route[application.step]['name']} — {application.organisation}"
        + (f"\n{note.strip()}" if note.strip() else ""),
    )
    audit_record(
        actor=actor,
        action="service.application.advance",
        target=application,
        changes={"step": [application.step - 1, application.step]},
        public=False,
    )
    return application


@transaction.atomic
def application_approve(
    *,
    application: Application,
    actor: Any,
    expected_version: int,
    result_upload: Any = None,
    result_text: str = "",
) -> Application:
    """Issue the result: an uploaded document, or a PDF generated from ``result_text``."""
    _staff_check(application, actor, expected_version)
    route = application.service.route or []
    if application.step + 1 < len(route):
        raise ServiceRefused(
            _("This application has further steps on its route: pass it on first.")
        )
    if result_upload is None and not result_text.strip():
        raise ServiceRefused(_("Attach the result document or write its text to generate one."))
    if result_upload is not None:
        try:
            validate_upload(result_upload, allowed={"pdf", "docx", "odt", "jpg", "png"})
        except ValidationError as error:
            raise ServiceRefused(" ".join(error.messages)) from error
    _transition(application, "approve")
    application.closed_at = timezone.now()
    _save_versioned(application, expected_version=expected_version, fields=["status", "closed_at"])
    if result_upload is None:
        signer = actor.get_full_name() or actor.email
        content = documents.result_pdf(application, text=result_text.strip(), signer=signer)
        result_upload = ContentFile(content, name=f"rezultat-{application.number}.pdf")
    _store_uploads(
        application, uploads=[("", result_upload)], actor=actor, kind=ApplicationFile.Kind.RESULT
    )
    _event(application, actor=actor, kind=ApplicationEvent.Kind.RESULT)
    audit_record(
        actor=actor, action="service.application.approve", target=application, public=False
    )
    notify(
        recipients=[application.applicant],
        subject=_("Application %(number)s: the result is ready") % {"number": application.number},
        body=_("Download the result in your cabinet."),
        url=application.get_absolute_url(),
    )
    return application


@transaction.atomic
def application_refuse(
    *, application: Application, actor: Any, expected_version: int, ground: str
) -> Application:
    _staff_check(application, actor, expected_version)
    if not ground.strip():
        raise ServiceRefused(_("A refusal needs its legal ground."))
    _transition(application, "refuse")
    application.refusal_ground = ground.strip()
    application.closed_at = timezone.now()
    _save_versioned(
        application,
        expected_version=expected_version,
        fields=["status", "refusal_ground", "closed_at"],
    )
    _event(application, actor=actor, kind=ApplicationEvent.Kind.REFUSED, note=ground.strip())
    audit_record(actor=actor, action="service.application.refuse", target=application, public=False)
    notify(
        recipients=[application.applicant],
        subject=_("Application %(number)s is refused") % {"number": application.number},
        body=ground.strip(),
        url=application.get_absolute_url(),
    )
    return application


# --- city-issue reports ------------------------------------------------------------------------


def point_in_community(latitude: Decimal, longitude: Decimal) -> bool:
    south, west, north, east = COMMUNITY_BBOX
    return south <= latitude <= north and west <= longitude <= east


def photo_clean(upload: Any) -> ContentFile:
    """A JPEG at most PHOTO_MAX_SIDE px, with every metadata block (GPS included) dropped."""
    try:
        validate_upload(upload, allowed={"jpg", "jpeg", "png"}, max_bytes=PHOTO_MAX_BYTES)
        image = Image.open(upload)
        image.load()
    except ValidationError as error:
        raise ServiceRefused(" ".join(error.messages)) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ServiceRefused(_("The photo could not be read: send a JPEG or PNG.")) from error
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    buffer = io.BytesIO()
    # Saving without exif=… writes no EXIF block, so no location leaves with the photo.
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


# Road reports are linked to the road of the roads registry within this distance.
ROADS_REGISTRY = "roads"
ROAD_SNAP_METRES = 40.0


@transaction.atomic
def issue_report_create(
    *,
    category: IssueCategory,
    description: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    photo: Any = None,
    reporter: Any = None,
    reporter_name: str = "",
    reporter_email: str = "",
) -> IssueReport:
    if not description.strip():
        raise ServiceRefused(_("Describe the problem."))
    if reporter_email:
        try:
            validate_email(reporter_email)
        except ValidationError as error:
            raise ServiceRefused(_("The e-mail address is not valid.")) from error
    if (latitude is None) != (longitude is None):
        raise ServiceRefused(_("Give both the latitude and the longitude of the point."))
    if latitude is None and not address.strip():
        raise ServiceRefused(_("Choose the point on the map or give the address."))
    if latitude is not None and not point_in_community(Decimal(latitude), Decimal(longitude)):
        raise ServiceRefused(_("The point is outside the community's area."))
    report = IssueReport(
        category=category,
        organisation=category.organisation,
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
        reporter_name=reporter_name[:200],
        reporter_email=reporter_email,
        description=description.strip(),
        latitude=latitude,
        longitude=longitude,
        address=address.strip()[:300],
    )
    if category.is_road and latitude is not None:
        report.road = nearest_record(
            registry_key=ROADS_REGISTRY,
            longitude=float(longitude),
            latitude=float(latitude),
            within_m=ROAD_SNAP_METRES,
        )
    if photo is not None:
        cleaned = photo_clean(photo)
        report.photo.save(cleaned.name, cleaned, save=False)
    report.save()
    audit_record(
        actor=reporter,
        action="service.issue.create",
        target=report,
        changes={
            "category": [None, category.code],
            "status": [None, report.status],
            **({"road": [None, report.road.label]} if report.road else {}),
        },
    )
    return report


@transaction.atomic
def issue_status_set(
    *, report: IssueReport, actor: Any, status: str, note: str = ""
) -> IssueReport:
    if not can_change(actor, report):
        raise ServiceRefused(_("Only staff of the responsible body may change this report."))
    if status not in IssueStatus.values:
        raise ServiceRefused(_("Choose one of the statuses."))
    if status == IssueStatus.NOT_RESPONSIBLE and not note.strip():
        raise ServiceRefused(_("Say who is responsible instead, in the note."))
    before = snapshot(report, ["status", "status_note"])
    report.status = status
    report.status_note = note.strip()
    report.save(update_fields=["status", "status_note", "updated_at"])
    audit_record(
        actor=actor,
        action="service.issue.status",
        target=report,
        changes=diff(before, snapshot(report, ["status", "status_note"])),
    )
    if report.reporter_id:
        notify(
            recipients=[report.reporter],
            subject=_("Your report № %(id)s: %(status)s")
            % {"id": report.pk, "status": report.get_status_display()},
            body=report.status_note,
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def issue_merge(*, report: IssueReport, into: IssueReport, actor: Any) -> IssueReport:
    """Mark ``report`` a duplicate of ``into`` and close it with a note pointing there."""
    if report.pk == into.pk:
        raise ServiceRefused(_("A report cannot duplicate itself."))
    if into.duplicate_of_id:
        raise ServiceRefused(_("Merge into the original report, not into a duplicate."))
    if not (can_change(actor, report) and can_change(actor, into)):
        raise ServiceRefused(_("Only staff of the responsible body may merge reports."))
    report.duplicate_of = into
    report.status = IssueStatus.CLOSED
    report.status_note = _("Duplicate of report № %(id)s.") % {"id": into.pk}
    report.save(update_fields=["duplicate_of", "status", "status_note", "updated_at"])
    IssueReport.objects.filter(duplicate_of=report).update(duplicate_of=into)
    audit_record(
        actor=actor,
        action="service.issue.merge",
        target=report,
        changes={"duplicate_of": [None, into.pk]},
    )
    return report
