"""Demo data of the resident's cabinet: the catalogue, ЦНАП staff, applications in every
state, and city-issue reports on real Khmelnytskyi streets. Idempotent; built through
the same services the pages use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hromada.accounts.demo import DEMO_PASSWORD
from hromada.accounts.demo_identity import IDENTITIES, sign_in_as
from hromada.accounts.models import Role, RoleAssignment, User
from hromada.accounts.services import role_grant, totp_secret_base32
from hromada.core.models import Organisation
from hromada.services import services
from hromada.services.form_schema import condition_holds
from hromada.services.models import Application, IssueCategory, IssueReport, ServiceCard

STAFF = [
    (
        "staff.cnap@demo.hromada.local",
        "Наталія Олегівна Мельничук",
        "admin_services",
        "3132333435363738393041424344454647484950",
    ),
    (
        "staff.architecture@demo.hromada.local",
        "Ігор Володимирович Ткачук",
        "architecture_dept",
        "5152535455565758595a4142434445464748494a",
    ),
    (
        "staff.social@demo.hromada.local",
        "Лариса Михайлівна Поліщук",
        "social_dept",
        "6162636465666768696a4142434445464748494a",
    ),
]

SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

SAMPLE_ANSWERS = {
    "rnokpp": "3012345670",
    "address": "вул. Проскурівська, 41, кв. 12, м. Хмельницький",
    "basis": "owner",
    "purpose": "subsidy",
    "location": "вул. Кам'янецька, 118, м. Хмельницький",
    "applicant_code": "40123456",
    "carrier": "billboard",
    "area": "6",
    "trees": 2,
    "reason": "emergency",
    "use": "02.01",
    "family_size": 3,
    "iban": "UA213223130000026007233566001",
    "request": "Прошу надати послугу відповідно до інформаційної картки.",
    "phone": "+380671234567",
}

# (service code, applicant key, what happens, days ago it was submitted)
STORIES = [
    ("dovidka-sklad-simi", "olena", "done", 20),
    ("dovidka-sklad-simi", "mykola", "done", 9),
    ("reyestratsiia-mistsia-prozhyvannia", "iryna", "done", 15),
    ("reyestratsiia-mistsia-prozhyvannia", "mykola", "submitted", 0),
    ("dozvil-zovnishnia-reklama", "mykola", "in_progress", 12),
    ("dozvil-zovnishnia-reklama", "olena", "refused", 40),
    ("pasport-pryviazky-ts", "iryna", "in_progress", 16),
    ("order-vydalennia-zelenykh-nasadzhen", "olena", "info_requested", 6),
    ("order-vydalennia-zelenykh-nasadzhen", "iryna", "done", 35),
    ("zhytlova-subsydiia", "mykola", "submitted", 2),
    ("zhytlova-subsydiia", "iryna", "done", 25),
    ("dopomoha-pry-narodzhenni", "olena", "in_progress", 4),
    ("mistobudivni-umovy", "mykola", "in_progress", 18),
    ("dozvil-proiekt-zemleustroiu", "olena", "submitted", 1),
    ("kvartyrnyi-oblik", "iryna", "in_progress", 33),
    ("arkhivni-dovidky", "mykola", "done", 28),
    ("elektronna-cherha-zdo", "olena", "done", 3),
    ("dovidka-vpo", "iryna", "submitted", 0),
]

REPORTS = [
    (
        "pothole",
        "Глибока яма на проїжджій частині біля пішохідного переходу.",
        "вул. Проскурівська, 1",
        "49.421500",
        "26.996000",
        "in_progress",
        "Включено до графіка ямкового ремонту.",
    ),
    (
        "pothole",
        "Вибоїна в правій смузі, машини об'їжджають по зустрічній.",
        "вул. Кам'янецька, 2",
        "49.420000",
        "26.987500",
        "open",
        "",
    ),
    (
        "pothole",
        "Яма біля того самого переходу на Проскурівській.",
        "вул. Проскурівська, 3",
        "49.421550",
        "26.996100",
        "open",
        "",
    ),
    (
        "street-light",
        "Не світять три ліхтарі поспіль, темно ввечері.",
        "вул. Зарічанська, 10",
        "49.431000",
        "26.954000",
        "fixed",
        "Замінено лампи 14.10.",
    ),
    (
        "waste",
        "Контейнери переповнені третій день.",
        "просп. Миру, 60",
        "49.415000",
        "27.023000",
        "closed",
        "Вивезено.",
    ),
    (
        "tree",
        "Сухе дерево нахилилося над тротуаром.",
        "вул. Свободи, 5",
        "49.430000",
        "26.983000",
        "planned",
        "Обстеження комісією заплановано.",
    ),
    (
        "sidewalk",
        "Розбита плитка, важко пройти з візочком.",
        "вул. Степана Бандери, 20",
        "49.439000",
        "26.990000",
        "open",
        "",
    ),
    (
        "bus-stop",
        "Розбите скло на зупинці.",
        "Львівське шосе, 14",
        "49.425000",
        "26.946000",
        "in_progress",
        "",
    ),
    (
        "road-sign",
        "Знак «Пішохідний перехід» лежить на землі.",
        "вул. Пілотська, 65",
        "49.449000",
        "26.985000",
        "fixed",
        "Знак встановлено.",
    ),
    (
        "manhole",
        "Відкритий люк на тротуарі.",
        "вул. Героїв Майдану, 11",
        "49.422000",
        "26.994000",
        "fixed",
        "Кришку встановлено в день звернення.",
    ),
    (
        "playground",
        "Зламана гойдалка на дитячому майданчику у дворі.",
        "вул. Інститутська, 11",
        "49.426000",
        "26.972000",
        "open",
        "",
    ),
    (
        "snow-ice",
        "Ожеледь на сходах підземного переходу.",
        "вул. Подільська, 30",
        "49.419000",
        "26.980000",
        "not_responsible",
        "Перехід на балансі ОСББ «Подільське»; звернення передано їм.",
    ),
    (
        "waste",
        "Стихійне сміттєзвалище біля гаражів.",
        "Старокостянтинівське шосе, 20",
        "49.440000",
        "26.960000",
        "open",
        "",
    ),
]


def _staff_accounts() -> list[tuple[str, str, str]]:
    rows = []
    for email, name, org_key, key_hex in STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        organisation = Organisation.objects.get(key=org_key)
        if not RoleAssignment.objects.filter(
            user=user, role=Role.STAFF, organisation=organisation
        ).exists():
            role_grant(actor=None, user=user, role=Role.STAFF, organisation=organisation)
        device, _created = TOTPDevice.objects.update_or_create(
            user=user, name="Demo authenticator", defaults={"key": key_hex, "confirmed": True}
        )
        rows.append((str(Role.STAFF.label), email, totp_secret_base32(device)))
    return rows


def _answers_for(service: ServiceCard) -> tuple[dict, dict]:
    answers, uploads = {}, {}
    for spec in service.form_schema:
        if not condition_holds(spec, answers):
            continue
        if spec["type"] == "file":
            if spec.get("required"):
                uploads[spec["name"]] = SimpleUploadedFile(
                    f"{spec['name']}.pdf", SAMPLE_PDF, content_type="application/pdf"
                )
        elif spec["name"] in SAMPLE_ANSWERS:
            answers[spec["name"]] = SAMPLE_ANSWERS[spec["name"]]
    return answers, uploads


def _staff_for(application: Application) -> User:
    return User.objects.filter(
        role_assignments__role=Role.STAFF,
        role_assignments__organisation=application.organisation,
    ).first() or User.objects.get(email="admin@demo.hromada.local")


def _play(application: Application, outcome: str) -> Application:
    """Take an application through the services to ``outcome``, step by step."""
    if outcome == "submitted":
        return application
    staff = _staff_for(application)
    application = services.application_assign(
        application=application,
        actor=staff,
        assignee=staff,
        expected_version=application.version,
    )
    if outcome == "in_progress":
        return application
    if outcome == "info_requested":
        return services.application_request_info(
            application=application,
            actor=staff,
            expected_version=application.version,
            note="Додайте, будь ласка, фотографії насаджень з різних боків.",
        )
    if outcome == "refused":
        return services.application_refuse(
            application=application,
            actor=staff,
            expected_version=application.version,
            ground="Постанова КМУ від 29.12.2003 № 2067, п. 21: місце розташування "
            "рекламного засобу не відповідає вимогам щодо безпеки дорожнього руху.",
        )
    while application.step + 1 < len(application.service.route or []):
        application = services.application_advance(
            application=application, actor=staff, expected_version=application.version
        )
        staff = _staff_for(application)
    return services.application_approve(
        application=application,
        actor=staff,
        expected_version=application.version,
        result_text=f"{application.service.result}. Видано за заявою № {application.number}.",
    )


def _shift_back(application: Application, days: int) -> None:
    """Demo history only: place the application ``days`` in the past, its term with it."""
    if not days:
        return
    submitted = application.submitted_at - timedelta(days=days)
    due = services.due_date_for(application.service, timezone.localdate(submitted))
    closed = application.closed_at
    if closed is not None:
        term = max(1, min(days - 1, application.service.term_days))
        closed = submitted + timedelta(days=term, hours=3)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=submitted,
        due_date=due,
        closed_at=closed,
        paused_on=timezone.localdate() if application.paused_on else None,
    )
    application.events.update(created_at=submitted)


@transaction.atomic
def _applications() -> int:
    residents = {identity.key: sign_in_as(identity) for identity in IDENTITIES}
    if Application.objects.filter(applicant__in=residents.values()).exists():
        return 0
    for number, (code, who, outcome, days_ago) in enumerate(STORIES):
        service = ServiceCard.objects.get(code=code)
        applicant = residents[who]
        draft = services.application_draft_get_or_create(service=service, applicant=applicant)
        answers, uploads = _answers_for(service)
        application = services.application_submit(
            application=draft,
            applicant=applicant,
            answers=answers,
            uploads=uploads,
            idempotency_key=f"demo-{number}",
        )
        application = _play(application, outcome)
        application.refresh_from_db()
        _shift_back(application, days_ago)
        if outcome == "done" and number % 2 == 0:
            services.application_rate(
                application=application, applicant=applicant, rating=5 - number % 3
            )
    return len(STORIES)


@transaction.atomic
def _reports() -> int:
    if IssueReport.objects.exists():
        return 0
    resident = User.objects.filter(email="resident@demo.hromada.local").first()
    staff = User.objects.get(email="admin@demo.hromada.local")
    created = []
    for code, text, address, lat, lon, status, note in REPORTS:
        report = services.issue_report_create(
            category=IssueCategory.objects.get(code=code),
            description=text,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            address=address,
            reporter=resident,
            reporter_name=resident.full_name if resident else "",
        )
        if status != "open":
            services.issue_status_set(report=report, actor=staff, status=status, note=note)
        created.append(report)
    # The second report on Proskurivska is the same pothole as the first.
    services.issue_merge(report=created[2], into=created[0], actor=staff)
    return len(created)


def build(*, stdout) -> list:
    cards = services.catalogue_load(actor=None)
    accounts = _staff_accounts()
    applications = _applications()
    reports = _reports()
    stdout.write(
        f"  {cards} service cards, {applications} new applications, {reports} new city reports"
    )
    return accounts
