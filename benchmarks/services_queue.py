"""Staff queue of one body with 200 000 applications, over HTTP, on PostgreSQL.

    .venv/bin/python benchmarks/services_queue.py [--applications N] [--requests R]
        [--concurrency C] [--reuse]

What it does, end to end, touching only 127.0.0.1:
1. (Re)creates the PostgreSQL database ``bench_services`` (``--reuse`` keeps a loaded one)
   and migrates it.
2. Loads N (default 200 000) applications for one body (the administrative services
   centre), plus 10 % of N for each of three other bodies, with PostgreSQL COPY: realistic
   statuses, numbers, terms, overdue shares; then VACUUM ANALYZE.
3. Starts ``hromada serve`` (gunicorn, 2 workers) on a free 127.0.0.1 port against that
   database, with HROMADA_DATA_DIR in /tmp, and signs a staff member of the body in by
   creating the session directly (Django's SessionStore + django_otp's device key for a
   confirmed TOTP device — what the sign-in form stores after a correct code).
4. Drives a bounded load generator (a thread pool of ``requests`` sessions, R requests per
   URL at concurrency C) against /healthz (the baseline: the same server, one SELECT 1)
   and the staff queue's first page filtered by status and overdue; reports p50/p95 of
   each and the ratio, and EXPLAIN (ANALYZE) of the queue's two queries.
5. Stops the server and appends the figures to docs/benchmarks/services.md.

Target (issue 5): the filtered first page at p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "bench_services"
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
TARGET_P95_MS = 50.0

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--applications", type=int, default=200_000)
parser.add_argument("--requests", type=int, default=2_000)
parser.add_argument("--concurrency", type=int, default=4)
parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
parser.add_argument("--no-report", action="store_true", help="print, do not write the .md")
ARGS = parser.parse_args()

DATA_DIR = tempfile.mkdtemp(prefix="hromada-bench-services-")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["HROMADA_DATA_DIR"] = DATA_DIR
os.environ.pop("REDIS_URL", None)  # embedded mode: the bench measures the web + database path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.settings")


def ensure_database(*, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{DB_NAME}"')


ensure_database(fresh=not ARGS.reuse)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from hromada.accounts.models import Role, RoleAssignment, User  # noqa: E402
from hromada.core.calendar import add_working_days  # noqa: E402
from hromada.core.models import Organisation  # noqa: E402
from hromada.services.models import OPEN_STATUSES, Application, ServiceCard, Status  # noqa: E402
from hromada.services.selectors import (  # noqa: E402
    QUEUE_PAGE_SIZE,
    QUEUE_VALUES,
    QueueFilter,
    staff_queue,
)

KYIV = ZoneInfo("Europe/Kyiv")
STAFF_EMAIL = "bench-cnap@example.org"
BODIES = [
    ("admin_services", "Управління адміністративних послуг (ЦНАП)"),
    ("architecture_dept", "Управління архітектури та містобудування"),
    ("land_dept", "Управління земельних ресурсів"),
    ("social_dept", "Управління праці та соціального захисту населення"),
]
SERVICES = [  # (code, name, term in working days)
    ("reiestratsiia-mistsia-prozhyvannia", "Реєстрація місця проживання особи", 1),
    ("dovidka-sklad-simi", "Видача довідки про склад сім'ї", 1),
    ("znyattia-z-reiestratsii", "Зняття із задекларованого місця проживання", 1),
    ("vytiag-reiestr-hromady", "Видача витягу з реєстру територіальної громади", 1),
    ("dozvil-rozmishchennia-reklamy", "Видача дозволу на розміщення зовнішньої реклами", 15),
    ("pasport-pryviaznyi", "Видача паспортa прив'язки тимчасової споруди", 10),
    ("budivelnyi-pasport", "Видача будівельного паспорта забудови земельної ділянки", 10),
    ("mistobudivni-umovy", "Видача містобудівних умов та обмежень", 10),
    ("zemelna-dilianka-oborona", "Надання дозволу на розроблення проєкту землеустрою", 21),
    ("dopomoha-pry-narodzhenni", "Призначення допомоги при народженні дитини", 10),
    ("subsydiia-zhkp", "Призначення житлової субсидії", 10),
    ("posvidchennia-bahatodtnoi", "Видача посвідчення батьків багатодітної сім'ї", 7),
]
# Shares of statuses among applications older than the open window (closed ones).
SURNAMES = [
    "Ковальчук",
    "Мельник",
    "Шевчук",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Мороз",
    "Лисенко",
    "Гнатюк",
    "Савчук",
    "Поліщук",
    "Марчук",
    "Гуменюк",
    "Дячук",
]  # noqa: E501
GIVEN = [
    "Олена",
    "Андрій",
    "Наталія",
    "Петро",
    "Ірина",
    "Василь",
    "Оксана",
    "Микола",
    "Тетяна",
    "Богдан",
    "Юлія",
    "Сергій",
    "Марія",
    "Дмитро",
]  # noqa: E501
STREETS = [
    "Проскурівська",
    "Кам'янецька",
    "Зарічанська",
    "Подільська",
    "Свободи",
    "Шевченка",
    "Гагаріна",
    "Староміська",
    "Володимирська",
    "Соборна",
]  # noqa: E501


# --- data ------------------------------------------------------------------------------------


def _bodies() -> list[Organisation]:
    bodies = []
    for key, name in BODIES:
        body, _ = Organisation.objects.get_or_create(
            key=key, defaults={"name": name, "kind": Organisation.Kind.DEPARTMENT}
        )
        bodies.append(body)
    return bodies


def _cards(bodies: list[Organisation]) -> dict[int, list[tuple[int, int]]]:
    """Per body id: (card id, term in working days)."""
    per_body: dict[int, list[tuple[int, int]]] = {}
    for index, (code, name, term) in enumerate(SERVICES):
        # The centre handles eight services; the departments two or so each.
        body = bodies[0] if index < 8 else bodies[1 + index % 3]
        card, _ = ServiceCard.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "subject": "Фізична особа",
                "term_days": term,
                "term_kind": ServiceCard.Term.WORKING,
                "refusal_grounds": "Подання неповного пакета документів.",
                "result": name,
                "result_delivery": "Особисто в ЦНАП; у кабінеті мешканця.",
                "legal_basis": "Закон України «Про адміністративні послуги»",
                "organisation": body,
                "online": True,
            },
        )
        per_body.setdefault(body.pk, []).append((card.pk, term))
    for body in bodies[1:]:
        per_body.setdefault(body.pk, per_body[bodies[0].pk][:2])
    return per_body


def _residents(count: int, rng: random.Random) -> list[int]:
    have = User.objects.filter(email__startswith="bench-resident-").count()
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"bench-resident-{i}@example.org",
                full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                password=unusable,
            )
            for i in range(have, count)
        ],
        batch_size=5000,
    )
    return list(
        User.objects.filter(email__startswith="bench-resident-").values_list("pk", flat=True)
    )


def _row(
    *,
    rng: random.Random,
    today: date,
    card: tuple[int, int],
    body_id: int,
    applicant: int,
    counters: dict[int, int],
    staff_ids: list[int],
) -> tuple:
    card_id, term = card
    # About 8 % of applications are still open (the last ~6 weeks); the rest are closed.
    open_now = rng.random() < 0.08
    age = rng.randint(0, 42) if open_now else rng.randint(3, 3 * 365)
    submitted_day = today - timedelta(days=age)
    submitted_at = datetime(
        submitted_day.year, submitted_day.month, submitted_day.day,
        rng.randint(8, 17), rng.randint(0, 59), tzinfo=KYIV,
    )  # fmt: skip
    due = add_working_days(submitted_day, term)
    paused_on = closed_at = None
    refusal = ""
    rating = None
    if open_now:
        status = rng.choices(
            [Status.SUBMITTED, Status.IN_PROGRESS, Status.INFO_REQUESTED], weights=[3, 5, 1]
        )[0]
        if status == Status.INFO_REQUESTED:
            paused_on = min(today, submitted_day + timedelta(days=rng.randint(1, 5)))
    else:
        status = Status.REFUSED if rng.random() < 0.06 else Status.DONE
        # Most are closed on time; about one in ten runs late.
        late = rng.random() < 0.1
        closed_day = (
            due + timedelta(days=rng.randint(1, 10))
            if late
            else due - timedelta(days=rng.randint(0, max(0, (due - submitted_day).days)))
        )
        closed_day = min(closed_day, today)
        closed_at = datetime(
            closed_day.year, closed_day.month, closed_day.day, 15, 0, tzinfo=KYIV
        ).isoformat()
        refusal = "Подання неповного пакета документів." if status == Status.REFUSED else ""
        rating = rng.choice([None, None, 5, 5, 4, 3]) if status == Status.DONE else None
    year = submitted_day.year
    counters[year] = counters.get(year, 0) + 1
    sequence = counters[year]
    street = rng.choice(STREETS)
    data = json.dumps(
        {"address": f"м. Хмельницький, вул. {street}, {rng.randint(1, 120)}"},
        ensure_ascii=False,
    )
    assignee = rng.choice(staff_ids) if status == Status.IN_PROGRESS else None
    return (
        card_id,
        applicant,
        status.value,
        f"{year}-{sequence:06d}",
        year,
        sequence,
        data,
        body_id,
        0,
        assignee,
        submitted_at.isoformat(),
        submitted_at.isoformat(),
        due.isoformat(),
        paused_on.isoformat() if paused_on else None,
        closed_at,
        refusal,
        rating,
        1,
    )


COLUMNS = (
    "service_id, applicant_id, status, number, year, sequence, data, organisation_id, step, "
    "assignee_id, created_at, submitted_at, due_date, paused_on, closed_at, refusal_ground, "
    "rating, version"
)


def load(n: int) -> tuple[Organisation, User, float]:
    began = time.perf_counter()
    rng = random.Random(2024)
    bodies = _bodies()
    cards = _cards(bodies)
    staff = User.objects.filter(email=STAFF_EMAIL).first() or User.objects.create_user(
        email=STAFF_EMAIL, password=None, full_name="Наталія Мельничук"
    )
    RoleAssignment.objects.get_or_create(user=staff, role=Role.STAFF, organisation=bodies[0])
    colleagues = [staff.pk]
    for i in range(5):
        colleague, _ = User.objects.get_or_create(
            email=f"bench-staff-{i}@example.org", defaults={"full_name": rng.choice(SURNAMES)}
        )
        colleagues.append(colleague.pk)
    if Application.objects.filter(organisation=bodies[0]).count() >= n:
        print(f"  reusing {Application.objects.count():,} applications")
        return bodies[0], staff, 0.0
    Application.objects.all().delete()
    residents = _residents(20_000, rng)
    today = timezone.localdate()
    counters: dict[int, int] = {}
    plan = [(bodies[0].pk, n)] + [(body.pk, n // 10) for body in bodies[1:]]
    written = 0
    # Load the working-day calendar now: during COPY the connection can run nothing else.
    add_working_days(today, 1)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY services_application ({COLUMNS}) FROM STDIN") as copy:
            for body_id, count in plan:
                for _ in range(count):
                    copy.write_row(
                        _row(
                            rng=rng,
                            today=today,
                            card=rng.choice(cards[body_id]),
                            body_id=body_id,
                            applicant=rng.choice(residents),
                            counters=counters,
                            staff_ids=colleagues,
                        )
                    )
                    written += 1
                    if written % 20_000 == 0:
                        print(f"\r  {written:,} applications", end="", flush=True)
        print()
        for year, last in counters.items():
            cursor.execute(
                "INSERT INTO services_applicationcounter (year, last) VALUES (%s, %s) "
                "ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last",
                [year, last],
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE services_application")
    return bodies[0], staff, time.perf_counter() - began


# --- session, server, load -------------------------------------------------------------------


def staff_session(staff: User) -> str:
    """A signed-in, second-factor-verified session, as the sign-in form would leave it."""
    device = TOTPDevice.objects.filter(user=staff, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "HROMADA_ENV": "development", "DEBUG": "false"}
    log = log_path.open("wb")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "hromada"), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=DATA_DIR,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited; see {log_path}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"the server did not answer in 60 s; see {log_path}")


def drive(url: str, *, count: int, concurrency: int, cookies: dict[str, str]) -> list[float]:
    """``count`` GETs of ``url`` from ``concurrency`` threads, each with its own keep-alive
    session; every response must be 200. Returns latencies in milliseconds."""
    per_thread = [
        count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)
    ]  # noqa: E501

    def worker(n: int) -> list[float]:
        timings = []
        with requests.Session() as http:
            http.cookies.update(cookies)
            for _ in range(n):
                began = time.perf_counter()
                response = http.get(url, timeout=30, allow_redirects=False)
                timings.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
        return timings

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return [t for chunk in pool.map(worker, per_thread) for t in chunk]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def explain(body: Organisation, staff: User) -> tuple[list[str], int]:
    """Plans of the page's two queries (rows and count) and the rows they match."""
    queue = staff_queue(
        organisation_ids={body.pk},
        filters=QueueFilter(status=Status.IN_PROGRESS, overdue=True),
        user=staff,
    )
    plans = []
    for label, sql_source in (
        # What the view runs (selectors.queue_page): the rows, and the count.
        ("page", queue.values_list(*QUEUE_VALUES)[:QUEUE_PAGE_SIZE]),
        ("count", queue.order_by().values("pk")),
    ):
        sql, params = sql_source.query.sql_with_params()
        if label == "count":
            sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plans.append(f"-- {label}\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans, queue.count()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} CPU ({cpu}){mem}; Linux {platform.release()}; Python "
        f"{platform.python_version()}; PostgreSQL {pg} on 127.0.0.1; gunicorn 2 workers × 4 "
        "threads (gthread), embedded mode (no Redis); load generator in the same machine"
    )


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    print(f"loading {ARGS.applications:,} applications for one body into {DB_NAME} …")
    body, staff, loaded_in = load(ARGS.applications)
    total = Application.objects.count()
    open_in_body = Application.objects.filter(organisation=body, status__in=OPEN_STATUSES).count()
    plans, matching = explain(body, staff)
    cookies = {settings.SESSION_COOKIE_NAME: staff_session(staff)}
    connection.close()  # the server gets the database to itself while we measure

    port = free_port()
    log_path = Path(DATA_DIR) / "server.log"
    server = start_server(port, log_path)
    base = f"http://127.0.0.1:{port}"
    queue_url = f"{base}/services/staff/?organisation={body.pk}&status=in_progress&overdue=on"
    overdue_url = f"{base}/services/staff/?organisation={body.pk}&overdue=on"
    try:
        page = requests.get(queue_url, cookies=cookies, timeout=30, allow_redirects=False)
        if page.status_code != 200 or "/services/staff/" not in page.text:
            raise SystemExit(f"the staff queue answered {page.status_code}: not signed in?")
        rows_on_page = len(re.findall(r'href="/services/staff/\d+/"', page.text))
        for url in (f"{base}/healthz", queue_url, overdue_url):  # warm both workers
            drive(url, count=40, concurrency=ARGS.concurrency, cookies=cookies)
        results = {}
        load_before = os.getloadavg()[0]
        for name, url in (
            ("healthz", f"{base}/healthz"),
            ("queue", queue_url),
            ("overdue", overdue_url),
        ):
            began = time.perf_counter()
            timings = drive(url, count=ARGS.requests, concurrency=ARGS.concurrency, cookies=cookies)
            results[name] = (timings, time.perf_counter() - began)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def figures(name: str) -> tuple[float, float, float]:
        timings, seconds = results[name]
        return statistics.median(timings), p95(timings), len(timings) / seconds

    h50, h95, hrps = figures("healthz")
    q50, q95, qrps = figures("queue")
    o50, o95, orps = figures("overdue")
    held = "held" if q95 <= TARGET_P95_MS else "NOT held"
    stamp = datetime.now(KYIV).strftime("%Y-%m-%d %H:%M")
    lines = [
        f"| {stamp} | {total:,} ({ARGS.applications:,} in the body, {open_in_body:,} open) | "
        f"{ARGS.requests:,} × {ARGS.concurrency} | {h50:.1f} / {h95:.1f} | "
        f"{q50:.1f} / {q95:.1f} ({matching:,} rows match) | {q95 / h95:.1f}× | "
        f"{o50:.1f} / {o95:.1f} | {load_before:.1f} → {load_after:.1f} | {held} |",
    ]
    print(f"machine: {machine()}")
    print(f"loaded in {loaded_in:.0f} s; {rows_on_page} links on the first page")
    print(f"healthz  p50 {h50:.1f} ms  p95 {h95:.1f} ms  ({hrps:.0f} req/s)")
    print(
        f"queue    p50 {q50:.1f} ms  p95 {q95:.1f} ms  ({qrps:.0f} req/s)  ratio p95 {q95 / h95:.1f}×"
    )
    print(f"overdue  p50 {o50:.1f} ms  p95 {o95:.1f} ms  ({orps:.0f} req/s)")
    print(f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs")
    print(f"target p95 ≤ {TARGET_P95_MS:.0f} ms: {held}")
    print("\n".join(plans))
    if not ARGS.no_report:
        write_report(lines, plans)
    shutil.rmtree(DATA_DIR, ignore_errors=True)


def write_report(lines: list[str], plans: list[str]) -> None:
    report = ROOT / "docs" / "benchmarks" / "services.md"
    if not report.exists():
        report.write_text(
            "# Services: the staff queue of one body with 200 000 applications\n\n"
            "Command: `.venv/bin/python benchmarks/services_queue.py` (PostgreSQL on "
            "127.0.0.1:5432; it creates the database `bench_services`, loads the data with "
            "COPY, serves it with `hromada serve` — gunicorn, 2 workers — on a free "
            "127.0.0.1 port, signs a staff member of the body in and drives a thread-pool "
            "load generator of `requests` sessions over loopback; then stops the server).\n\n"
            "Measured over HTTP, end to end (session, permissions, two queries, template): "
            "the body's queue, first page (50 rows), filtered by status *in progress* and "
            "*overdue only* — `/services/staff/?organisation=…&status=in_progress&overdue=on`; "
            "the baseline in the same run is the same server's `/healthz` (one `SELECT 1`, "
            "JSON). The extra column is the *overdue only* filter over all open statuses. "
            "Target (issue 5): queue p95 ≤ 50 ms.\n\n"
            f"Machine: {machine()}.\n\n"
            "| run | applications | requests × concurrency | healthz p50 / p95, ms | "
            "queue p50 / p95, ms | queue ÷ healthz p95 | overdue-only p50 / p95, ms | "
            "load average (1 min) before → after | target |\n"
            "|---|---|---|---|---|---|---|---|---|\n",
            encoding="utf-8",
        )
    text = report.read_text(encoding="utf-8")
    marker = "\n## Query plans (last run)\n"
    table, _sep, _old = text.partition(marker)
    table = table.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    plans_text = "\n```\n" + "\n\n".join(plans) + "\n```\n"
    report.write_text(table + marker + plans_text, encoding="utf-8")
    print(f"figures appended to {report.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
