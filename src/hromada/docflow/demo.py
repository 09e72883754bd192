"""Demo of the document workflow: staff of the executive committee, the nomenclature of
cases, decision No. 784 of 12.08.2021 in the public register, letters with resolutions
under control, an internal document approved and signed with the demo CA."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hromada.accounts.models import Role, RoleAssignment, User
from hromada.accounts.services import role_grant, totp_secret_base32
from hromada.core.models import Organisation, Position
from hromada.core.services import person_get_or_create
from hromada.docflow import services
from hromada.docflow.models import Case, Document, RouteTemplate, RouteTemplateStep

PLAN_FILE = (
    Path(__file__).resolve().parent.parent / "plans" / "data" / "khmelnytskyi-2021-2022.yaml"
)
DEMO_PASSWORD = "hromada-demo"


@dataclass(frozen=True)
class DemoStaff:
    key: str
    email: str
    full_name: str
    organisation_key: str
    title: str
    is_head: bool
    totp_key_hex: str


STAFF = [
    DemoStaff(
        "clerk",
        "docflow.clerk@demo.hromada.local",
        "Ірина Василівна Коваль",
        "executive_committee",
        "Головний спеціаліст загального відділу",
        False,
        "c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4",
    ),
    DemoStaff(
        "mayor",
        "docflow.mayor@demo.hromada.local",
        "Олександр Сергійович Симчишин",
        "executive_committee",
        "Міський голова",
        True,
        "8182838485868788898a8b8c8d8e8f9091929394",
    ),
    DemoStaff(
        "lawyer",
        "docflow.lawyer@demo.hromada.local",
        "Наталія Петрівна Ткачук",
        "executive_committee",
        "Начальник юридичного управління",
        False,
        "9192939495969798999a9b9c9d9e9fa0a1a2a3a4",
    ),
    DemoStaff(
        "finance",
        "docflow.finance@demo.hromada.local",
        "Петро Іванович Мельник",
        "executive_committee",
        "Начальник фінансового управління",
        False,
        "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4",
    ),
]

# (index, title, retention years or None for permanent, basis) — a body's nomenclature.
NOMENCLATURE = {
    "executive_committee": [
        (
            "01-05",
            "Рішення виконавчого комітету міської ради та документи до них",
            None,
            "ст. 16-а Переліку",
        ),
        ("01-10", "Розпорядження міського голови з основної діяльності", None, "ст. 16-а Переліку"),
        (
            "01-15",
            "Листування з органами державної влади з основних питань діяльності",
            5,
            "ст. 22 Переліку",
        ),
        ("01-20", "Звернення громадян і документи щодо їх розгляду", 5, "ст. 82-а Переліку"),
        ("01-25", "Службові записки та внутрішні документи апарату", 3, "ст. 30 Переліку"),
    ],
    "infocentre": [
        ("02-01", "Накази директора з основної діяльності", None, "ст. 16-а Переліку"),
        ("02-07", "Листування з виконавчими органами міської ради", 5, "ст. 22 Переліку"),
    ],
}


def _staff_user(staff: DemoStaff) -> User:
    user = User.objects.filter(email=staff.email).first()
    if user is None:
        user = User.objects.create_user(
            email=staff.email, password=DEMO_PASSWORD, full_name=staff.full_name
        )
    organisation = Organisation.objects.get(key=staff.organisation_key)
    if not RoleAssignment.objects.filter(
        user=user, role=Role.STAFF, organisation=organisation
    ).exists():
        role_grant(actor=None, user=user, role=Role.STAFF, organisation=organisation)
    person = person_get_or_create(full_name=staff.full_name, note=staff.title)
    if person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
    # Positions have no service of their own in core; a head's position is plain data.
    Position.objects.get_or_create(
        person=person,
        organisation=organisation,
        title=staff.title,
        defaults={"is_head": staff.is_head},
    )
    TOTPDevice.objects.update_or_create(
        user=user,
        name="Demo authenticator",
        defaults={"key": staff.totp_key_hex, "confirmed": True},
    )
    return user


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _decision_784(*, mayor: User) -> Document:
    act = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))["plan"]["approving_act"]
    executive = Organisation.objects.get(key="executive_committee")
    existing = Document.objects.filter(
        organisation=executive, kind="executive_decision", year=2021, number=int(act["number"])
    ).first()
    if existing is not None:
        return existing
    journal = services.journal_for(organisation=executive, kind="executive_decision")
    services.journal_year_open(
        actor=None, journal=journal, year=2021, first_number=int(act["number"])
    )
    items = "\n".join(f"{number}. {item}" for number, item in enumerate(act["items"], start=1))
    return services.document_register(
        actor=None,
        organisation=executive,
        kind="executive_decision",
        summary=act["title"],
        registered_on=date.fromisoformat(act["date"]),
        body=f"{act['preamble']}\n\nВИРІШИВ:\n\n{items}",
        signatory_name=act["signed_by"],
        pages=2,
        attachment_pages=9,
        attachments_note="План дій із впровадження Ініціативи «Партнерство «Відкритий Уряд» "
        "на 2021-2022 роки",
        is_public=True,
        medium=Document.Medium.PAPER,
    )


def _nomenclature(year: int) -> dict[tuple[str, str], Case]:
    cases = {}
    for key, rows in NOMENCLATURE.items():
        organisation = Organisation.objects.get(key=key)
        for index, title, years, basis in rows:
            cases[(key, index)] = services.case_upsert(
                actor=None,
                organisation=organisation,
                year=year,
                index=index,
                title=title,
                retention_years=years,
                retention_basis=basis,
            )
    return cases


def _route_template(lawyer: User, finance: User) -> None:
    template, created = RouteTemplate.objects.get_or_create(
        kind="internal", organisation=None, name="Погодження внутрішніх документів"
    )
    if created:
        RouteTemplateStep.objects.create(template=template, stage=1, approver=lawyer)
        RouteTemplateStep.objects.create(template=template, stage=1, approver=finance)


OBLAST_LETTER = [
    "ХМЕЛЬНИЦЬКА ОБЛАСНА ВІЙСЬКОВА АДМІНІСТРАЦІЯ",
    "№ 01-32/5125",
    "Хмельницькому міському голові",
    "Просимо надати інформацію щодо стану впровадження",
    "електронного документообігу у виконавчих органах",
    "міської ради та частку документів, створених",
    "і підписаних в електронній формі.",
    "Заступник начальника Олена Кравчук",
]


def scanned_page(lines: list[str], *, fmt: str = "PDF") -> bytes:
    """A page as a scanner gives it: an image of the text at 200 dpi, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    from hromada.core.pdf import FONT_DIR

    image = Image.new("L", (1654, 200 + 110 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 44)
    for row, line in enumerate(lines):
        draw.text((140, 120 + 110 * row), line, fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, resolution=200, dpi=(200, 200))
    return buffer.getvalue()


def _working_documents(*, users: dict[str, User], cases: dict, today: date) -> int:
    executive = Organisation.objects.get(key="executive_committee")
    executor = User.objects.filter(email="staff.infocentre@demo.hromada.local").first()
    controller = User.objects.filter(email="controller@demo.hromada.local").first()
    if executor is None or controller is None:
        return 0
    clerk, mayor = users["clerk"], users["mayor"]
    made = 0
    letters = [
        (
            "Про надання інформації щодо стану впровадження електронного документообігу",
            "Хмельницька обласна військова адміністрація",
            "01-32/5125",
            30,
            20,
            "late",
        ),
        (
            "Про ремонт покрівлі ліцею № 17 на вул. Проскурівській, 82",
            "Батьківський комітет ліцею № 17",
            "б/н",
            12,
            14,
            "soon",
        ),
        (
            "Щодо оприлюднення наборів відкритих даних на Єдиному державному веб-порталі",
            "Міністерство цифрової трансформації України",
            "1/04-3-8812",
            20,
            10,
            "done",
        ),
    ]
    for summary, correspondent, number, days_ago, term, outcome in letters:
        if Document.objects.filter(summary=summary).exists():
            continue
        received = today - timedelta(days=days_ago)
        letter = services.document_register(
            actor=clerk,
            organisation=executive,
            kind="incoming",
            summary=summary,
            registered_on=received,
            case=cases.get(("executive_committee", "01-15"))
            if received.year == today.year
            else None,
            correspondent=correspondent,
            correspondent_number=number,
            correspondent_date=received - timedelta(days=2),
            received_on=received,
            addressee="Міському голові",
            pages=2,
        )
        resolution = services.resolution_write(
            actor=mayor,
            document=letter,
            instruction="ХМКП «Хмельницькінфоцентр» розглянути та підготувати відповідь.",
            lead_executor=executor,
            co_executors=[users["lawyer"]],
            term_days=term,
            controller=controller,
            written_at=_at(received, 15),
        )
        if number == "01-32/5125":  # this one came on paper: its scan, read by OCR
            services.file_upload(
                actor=clerk,
                document=letter,
                upload=SimpleUploadedFile("skan-lysta-01-32-5125.pdf", scanned_page(OBLAST_LETTER)),
                title="Скан листа",
            )
        if outcome == "done":
            services.execution_report(
                actor=executor,
                resolution=resolution,
                text="Набори даних оприлюднено, відповідь надіслано.",
            )
            services.resolution_remove_from_control(actor=controller, resolution=resolution)
        made += 1

    summary = "Про графік особистого прийому громадян посадовими особами виконавчого комітету"
    if not Document.objects.filter(summary=summary).exists():
        internal = services.document_register(
            actor=clerk,
            organisation=executive,
            kind="internal",
            summary=summary,
            case=cases.get(("executive_committee", "01-25")),
            body="Затвердити графік особистого прийому громадян на четвертий квартал.\n\n"
            "Прийом проводиться у приміщенні міської ради за адресою вул. Гагаріна, 3.",
            signatory=mayor,
        )
        template = RouteTemplate.objects.get(name="Погодження внутрішніх документів")
        services.route_start(
            actor=clerk, document=internal, steps=services.steps_from_template(template=template)
        )
        for approver in (users["lawyer"], users["finance"]):
            services.approval_decide(actor=approver, document=internal, decision="approved")
        services.document_sign(actor=mayor, document=internal)
        made += 1

    summary = "Про проведення службового розслідування"
    if not Document.objects.filter(summary=summary).exists():
        services.document_register(
            actor=clerk,
            organisation=executive,
            kind="internal",
            summary=summary,
            restricted=True,
            body="Для службового користування.",
            signatory=mayor,
        )
        made += 1
    return made


def build(*, stdout) -> list:
    today = timezone.localdate()
    with transaction.atomic():
        users = {staff.key: _staff_user(staff) for staff in STAFF}
        _route_template(users["lawyer"], users["finance"])
        _nomenclature(2021)
        cases = _nomenclature(today.year)
        decision = _decision_784(mayor=users["mayor"])
        made = _working_documents(users=users, cases=cases, today=today)
    old_case = Case.objects.filter(
        year=2021, index="01-25", organisation__key="executive_committee"
    ).first()
    if old_case is not None and old_case.closed_on is None:
        services.case_close(actor=None, case=old_case, on=date(2022, 1, 10))
    stdout.write(f"  docflow: decision № {decision.registration_index}, {made} new documents")
    rows = []
    for staff in STAFF:
        device = TOTPDevice.objects.get(user=users[staff.key], name="Demo authenticator")
        rows.append((f"Docflow: {staff.title}"[:32], staff.email, totp_secret_base32(device)))
    return rows
