"""Hromada's registries against pygeoapi (PostgreSQL provider on PostGIS) and Datasette.

    .venv/bin/python benchmarks/geo_peers.py                 # 100 000 features, full run
    .venv/bin/python benchmarks/geo_peers.py --features 20000 --requests 300   # quick look

One generated registry of point features around Khmelnytskyi (49.42 N, 26.98 E) is loaded,
identically, into
  * Hromada on PostgreSQL (database ``bench_hromada``, through ``records_load``, the same
    path as a file import), served by ``hromada serve --workers W`` (gunicorn, gthread, 4
    threads per worker);
  * PostGIS (database ``bench_geo``, table ``features`` with a GiST index) served by
    pygeoapi's PostgreSQL provider under gunicorn with the same W workers and 4 threads;
  * SQLite (``/tmp/bench-geo/bench.db``) served by Datasette (one asyncio process with its
    default SQL thread pool; it has no worker setting), in immutable mode.

The peers live in their own virtual environment (``/tmp/bench-venv``, created here when it
is missing), never in Hromada's dependencies. PostGIS is installed with apt when missing
(``apt-get install -y postgresql-<major>-postgis-3``; needs root).

Every measurement alternates the two servers it compares, round after round, with the
same request list, so the background load of a shared machine falls on both; the ratio
is taken from the medians. Everything listens on 127.0.0.1 only. The figures go to
docs/benchmarks/geo.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/bench-geo")
PEER_VENV = Path("/tmp/bench-venv")
PEER_PACKAGES = ["pygeoapi>=0.21", "datasette", "gunicorn", "psycopg2-binary"]
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
HROMADA_DB = "bench_hromada"
POSTGIS_DB = "bench_geo"
REGISTRY_KEY = "bench_housing"
DATASET_KEY = REGISTRY_KEY.replace("_", "-")
PORTS = {"hromada": 8311, "pygeoapi": 8312, "datasette": 8313}
# The city and its villages: lon 26.90–27.08, lat 49.38–49.47.
AREA = (26.90, 49.38, 27.08, 49.47)
CENTRES = [
    (26.9935, 49.4213),
    (26.9862, 49.4150),
    (27.0180, 49.4315),
    (26.9690, 49.4268),
    (26.9640, 49.4428),
    (27.0310, 49.4252),
    (26.9425, 49.4418),
    (26.9205, 49.4040),
    (27.0620, 49.4585),
]
STREETS = [
    "вул. Проскурівська",
    "вул. Кам'янецька",
    "просп. Миру",
    "вул. Свободи",
    "вул. Зарічанська",
    "вул. Соборна",
    "вул. Подільська",
    "вул. Грушевського",
    "вул. Шевченка",
    "Львівське шосе",
    "вул. Трудова",
    "вул. Геологів",
    "вул. Курчатова",
    "вул. Озерна",
]
MANAGERS = [
    "КП «Управляюча муніципальна компанія «Центральна»",
    "КП «Управляюча муніципальна компанія «Дубове»",
    "ОСББ «Проскурівське»",
    "ОСББ «Затишок»",
    "ТОВ «Житлосервіс Поділля»",
]
CONDITIONS = ["добрий", "задовільний", "незадовільний", "аварійний"]
FIELDS = [
    {"name": "building_id", "title": "Код будинку", "required": True, "pattern": "[0-9]{7}"},
    {"name": "address", "title": "Адреса", "required": True},
    {"name": "street", "title": "Вулиця"},
    {"name": "year_built", "title": "Рік побудови", "type": "integer"},
    {"name": "floors", "title": "Поверхів", "type": "integer"},
    {"name": "apartments", "title": "Квартир", "type": "integer"},
    {"name": "total_area", "title": "Загальна площа", "type": "number", "unit": "м²"},
    {"name": "management_company", "title": "Управитель"},
    {"name": "condition", "title": "Технічний стан", "choices": CONDITIONS},
]
FIELD_NAMES = [item["name"] for item in FIELDS]
SQL_TYPES = {"string": "text", "integer": "integer", "number": "double precision"}


# --- data ------------------------------------------------------------------------------------


def generate(n: int) -> list[tuple[dict, float, float]]:
    """``n`` houses (properties, longitude, latitude): clustered around the city's
    districts, a fifth spread over the whole area. Deterministic."""
    rng = random.Random(784)
    rows = []
    for index in range(n):
        if index % 5 == 4:
            lon, lat = rng.uniform(AREA[0], AREA[2]), rng.uniform(AREA[1], AREA[3])
        else:
            cx, cy = rng.choice(CENTRES)
            lon = min(max(rng.gauss(cx, 0.012), AREA[0]), AREA[2])
            lat = min(max(rng.gauss(cy, 0.008), AREA[1]), AREA[3])
        street = rng.choice(STREETS)
        floors = rng.choice([2, 3, 4, 5, 5, 5, 9, 9, 10, 12, 16])
        apartments = floors * rng.choice([4, 6, 8, 12])
        properties = {
            "building_id": f"{index:07d}",
            "address": f"м. Хмельницький, {street}, {rng.randint(1, 250)}",
            "street": street,
            "year_built": rng.randint(1930, 2024),
            "floors": floors,
            "apartments": apartments,
            "total_area": round(apartments * rng.uniform(42, 78), 1),
            "management_company": rng.choice(MANAGERS),
            "condition": rng.choice(CONDITIONS),
        }
        rows.append((properties, round(lon, 6), round(lat, 6)))
    return rows


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


def psql(sql: str, database: str = "postgres") -> str:
    return run(
        ["psql", "-h", PG["host"], "-U", PG["user"], "-d", database, "-Atqc", sql]
    ).stdout.strip()


def fresh_database(name: str) -> None:
    """An empty database ``name``. An existing one is emptied schema-wise rather than
    dropped: DROP DATABASE waits for every backend of the cluster to acknowledge a barrier,
    and a stuck client elsewhere on a shared server would hold it forever."""
    state = psql(f"SELECT datconnlimit FROM pg_database WHERE datname = '{name}'")
    if state == "":
        psql(f"CREATE DATABASE {name}")
        return
    if state == "-2":
        sys.exit(
            f"The database {name} is marked invalid (an interrupted DROP DATABASE); drop it or pass another name."
        )
    psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    psql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", name)


# --- peers' environment ----------------------------------------------------------------------


def ensure_peer_venv() -> None:
    python = PEER_VENV / "bin" / "python"
    if python.exists():
        probe = subprocess.run(
            [str(python), "-c", "import pygeoapi, datasette, gunicorn, psycopg2"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return
    print(f"installing the peers into {PEER_VENV} …", flush=True)
    if not python.exists():
        run([sys.executable, "-m", "venv", str(PEER_VENV)])
    run([str(PEER_VENV / "bin" / "pip"), "install", "-q", *PEER_PACKAGES])


def ensure_postgis() -> None:
    available = psql("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
    if available == "1":
        return
    major = int(psql("SHOW server_version_num")) // 10000
    package = f"postgresql-{major}-postgis-3"
    if os.geteuid() != 0:
        sys.exit(f"PostGIS is missing: run `apt-get install -y {package}` as root first.")
    print(f"installing {package} …", flush=True)
    run(["apt-get", "update", "-qq"])
    run(
        ["apt-get", "install", "-y", "-qq", package],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


# --- loading the three stores ----------------------------------------------------------------


def hromada_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "HUEY_IMMEDIATE", "DEBUG"}
    }
    env.update(
        DATABASE_URL=f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{HROMADA_DB}",
        HROMADA_DATA_DIR=str(WORK / "hromada-data"),
        DJANGO_SETTINGS_MODULE="hromada.settings",
    )
    return env


HROMADA_LOADER = """
import json, sys, time
import django
django.setup()
from django.core.management import call_command
from hromada.core.models import Organisation
from hromada.core.services import organisation_upsert
from hromada.registries.services import records_load, registry_set_state, registry_upsert

call_command("migrate", interactive=False, verbosity=0)
keeper = organisation_upsert(
    actor=None, key="housing_dept", name="Управління житлової політики і майна",
    kind=Organisation.Kind.DEPARTMENT,
)
fields = json.loads(sys.argv[1])
registry = registry_upsert(
    actor=None, key=sys.argv[2], keeper=keeper, title="Житловий фонд (навантажувальний тест)",
    description="Згенеровані будинки навколо Хмельницького.", geometry_type="point",
    fields=fields, id_field="building_id", label_field="address",
)
rows = [
    (properties, {"type": "Point", "coordinates": [lon, lat]})
    for properties, lon, lat in (json.loads(line) for line in open(sys.argv[3], encoding="utf-8"))
]
started = time.perf_counter()
records_load(actor=None, registry=registry, rows=rows, replace=True, source="benchmark")
registry_set_state(actor=None, registry=registry, state="published")
print(f"{time.perf_counter() - started:.1f}")
"""


def load_hromada(rows_file: Path) -> float:
    fresh_database(HROMADA_DB)
    shutil.rmtree(WORK / "hromada-data", ignore_errors=True)
    (WORK / "hromada-data").mkdir(parents=True)
    fields = [{"type": "string", **item} for item in FIELDS]
    done = run(
        [
            str(ROOT / ".venv/bin/python"),
            "-c",
            HROMADA_LOADER,
            json.dumps(fields),
            REGISTRY_KEY,
            str(rows_file),
        ],
        env=hromada_env(),
    )
    psql("VACUUM ANALYZE", HROMADA_DB)
    return float(done.stdout.strip().splitlines()[-1])


def load_postgis(rows: list[tuple[dict, float, float]]) -> None:
    import psycopg

    fresh_database(POSTGIS_DB)
    types = {item["name"]: SQL_TYPES[item.get("type", "string")] for item in FIELDS}
    columns = ", ".join(f"{name} {types[name]}" for name in FIELD_NAMES)
    with psycopg.connect(dbname=POSTGIS_DB, **PG) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        connection.execute(
            f"CREATE TABLE features (id integer PRIMARY KEY, {columns}, "
            "geom geometry(Point, 4326) NOT NULL)"
        )
        with connection.cursor().copy(
            f"COPY features (id, {', '.join(FIELD_NAMES)}, geom) FROM STDIN"
        ) as copy:
            for index, (properties, lon, lat) in enumerate(rows, 1):
                copy.write_row(
                    [
                        index,
                        *(properties[name] for name in FIELD_NAMES),
                        f"SRID=4326;POINT({lon} {lat})",
                    ]
                )
        connection.execute("CREATE INDEX features_geom ON features USING gist (geom)")
    psql("VACUUM ANALYZE features", POSTGIS_DB)


def load_sqlite(rows: list[tuple[dict, float, float]]) -> Path:
    path = WORK / "bench.db"
    path.unlink(missing_ok=True)
    types = {"string": "TEXT", "integer": "INTEGER", "number": "REAL"}
    columns = ", ".join(f"{item['name']} {types[item.get('type', 'string')]}" for item in FIELDS)
    connection = sqlite3.connect(path)
    connection.execute(
        f"CREATE TABLE features (id INTEGER PRIMARY KEY, {columns}, longitude REAL, latitude REAL)"
    )
    marks = ", ".join("?" * (len(FIELD_NAMES) + 3))
    connection.executemany(
        f"INSERT INTO features VALUES ({marks})",
        (
            (index, *(properties[name] for name in FIELD_NAMES), lon, lat)
            for index, (properties, lon, lat) in enumerate(rows, 1)
        ),
    )
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    return path


# --- servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def get(self, path: str, timeout: float = 120) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait(self, path: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} stopped; see {self.log}")
            try:
                status, _body = self.get(path, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        sys.exit(f"{self.name} did not answer {path} in {seconds} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: gunicorn's workers, or the process itself."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        return pids or [self.process.pid]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start(name: str, command: list[str], env: dict[str, str], cwd: Path = WORK) -> Server:
    log = WORK / f"{name}.log"
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
    )
    return Server(name, PORTS[name], process, log)


def start_hromada(workers: int) -> Server:
    command = [str(ROOT / ".venv/bin/hromada"), "serve", "--workers", str(workers)]
    command += ["--port", str(PORTS["hromada"]), "--host", "127.0.0.1"]
    server = start("hromada", command, hromada_env())
    server.wait(f"/ogc/collections/{REGISTRY_KEY}")
    return server


PYGEOAPI_CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
logging:
  level: ERROR
metadata:
  identification:
    title: bench
    description: bench
    keywords: [bench]
    keywords_type: theme
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: http://127.0.0.1
  license: {{name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact: {{name: bench, position: bench, address: bench, city: Khmelnytskyi, stateorprovince: Khmelnytska, postalcode: '29000', country: Ukraine, phone: '+380', fax: '+380', email: bench@example.org, url: http://127.0.0.1, hours: 24/7, instructions: none, role: pointOfContact}}
resources:
  housing:
    type: collection
    title: housing
    description: housing
    keywords: [housing]
    links: []
    extents:
      spatial: {{bbox: [26.90, 49.38, 27.08, 49.47], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: 127.0.0.1, port: 5432, dbname: {database}, user: postgres, password: '', search_path: [public]}}
        id_field: id
        table: features
        geom_field: geom
"""


def start_pygeoapi(workers: int) -> Server:
    config = WORK / "pygeoapi.yml"
    config.write_text(PYGEOAPI_CONFIG.format(port=PORTS["pygeoapi"], database=POSTGIS_DB))
    openapi = WORK / "pygeoapi-openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    env.pop("DATABASE_URL", None)
    run(
        [
            str(PEER_VENV / "bin/pygeoapi"),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        env=env,
    )
    command = [str(PEER_VENV / "bin/gunicorn"), "pygeoapi.flask_app:APP"]
    command += ["--bind", f"127.0.0.1:{PORTS['pygeoapi']}", "--workers", str(workers)]
    command += ["--worker-class", "gthread", "--threads", "4"]
    server = start("pygeoapi", command, env)
    server.wait("/collections/housing?f=json")
    return server


def start_datasette(database: Path) -> Server:
    command = [str(PEER_VENV / "bin/datasette"), "serve", "-i", str(database)]
    command += ["-h", "127.0.0.1", "-p", str(PORTS["datasette"])]
    command += ["--setting", "sql_time_limit_ms", "60000", "--setting", "max_returned_rows", "1000"]
    server = start("datasette", command, dict(os.environ))
    server.wait("/bench/features.json?_size=1&_nocount=1")
    return server


# --- load generation -------------------------------------------------------------------------


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def hammer(port: int, paths: list[str], concurrency: int, check: bytes) -> Result:
    """Send ``paths`` with ``concurrency`` threads, each on one keep-alive connection."""
    local = threading.local()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def one(path: str) -> None:
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=60
            )
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            ok = response.status == 200 and check in body
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                local.connection = None
        except (OSError, http.client.HTTPException):
            connection.close()
            local.connection = None
            ok = False
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if not ok:
                errors[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, paths))
    return Result(len(paths), time.perf_counter() - started, latencies, errors[0])


def random_bboxes(count: int, seed: int) -> list[tuple[float, float, float, float]]:
    """Boxes of about 700 × 800 m somewhere over the city: a few hundred houses each."""
    rng = random.Random(seed)
    boxes = []
    for _ in range(count):
        cx, cy = rng.choice(CENTRES)
        x = rng.gauss(cx, 0.015)
        y = rng.gauss(cy, 0.01)
        boxes.append(
            (round(x - 0.005, 5), round(y - 0.0035, 5), round(x + 0.005, 5), round(y + 0.0035, 5))
        )
    return boxes


def compare(
    title: str,
    first: tuple[Server, list[str], bytes],
    second: tuple[Server, list[str], bytes],
    *,
    rounds: int,
    concurrency: int,
) -> dict:
    """Alternate the two servers ``rounds`` times; the medians decide."""
    results: dict[str, list[Result]] = {first[0].name: [], second[0].name: []}
    for server, paths, check in (first, second):
        hammer(server.port, paths[:40], concurrency, check)  # warm caches and connections
    for round_number in range(rounds):
        order = (first, second) if round_number % 2 == 0 else (second, first)
        for server, paths, check in order:
            result = hammer(server.port, paths, concurrency, check)
            results[server.name].append(result)
            print(
                f"  {title} · {server.name}: {result.throughput:7.1f} req/s, "
                f"p50 {result.percentile(0.5):6.1f} ms, p95 {result.percentile(0.95):6.1f} ms, "
                f"errors {result.errors}",
                flush=True,
            )
    summary = {}
    for name, runs in results.items():
        summary[name] = {
            "throughput": statistics.median(run.throughput for run in runs),
            "p50": statistics.median(run.percentile(0.5) for run in runs),
            "p95": statistics.median(run.percentile(0.95) for run in runs),
            "errors": sum(run.errors for run in runs),
            "runs": [round(run.throughput, 1) for run in runs],
        }
    return summary


def _rss_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def export_run(server: Server, path: str) -> dict:
    """One full CSV download: rows per second and the serving processes' peak RSS."""
    pids = server.worker_pids()
    for pid in pids:
        # Reset the kernel's peak-RSS mark (VmHWM), so the peak is this download's.
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    lines = 0
    size = 0
    tail = b""
    while chunk := response.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
        tail = chunk[-200:]
    seconds = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        sys.exit(f"{server.name} CSV export answered {response.status}")
    rows = lines - 1  # the header
    peak = max(_rss_kib(pid, "VmHWM") for pid in pids) / 1024
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_mb": peak,
        "bytes": size,
        "tail": tail,
    }


def compare_exports(hromada: Server, datasette: Server, rounds: int) -> dict:
    paths = {
        hromada.name: (hromada, f"/opendata/{DATASET_KEY}/data.csv"),
        datasette.name: (datasette, "/bench/features.csv?_stream=on&_size=max"),
    }
    runs: dict[str, list[dict]] = {name: [] for name in paths}
    for round_number in range(rounds):
        order = list(paths) if round_number % 2 == 0 else list(reversed(paths))
        for name in order:
            server, path = paths[name]
            result = export_run(server, path)
            runs[name].append(result)
            print(
                f"  CSV export · {name}: {result['rows']} rows in {result['seconds']:.2f} s = "
                f"{result['rows_per_s']:,.0f} rows/s, peak RSS {result['peak_mb']:.0f} MB",
                flush=True,
            )
    return {
        name: {
            "rows": items[0]["rows"],
            "rows_per_s": statistics.median(item["rows_per_s"] for item in items),
            "seconds": statistics.median(item["seconds"] for item in items),
            "peak_mb": max(item["peak_mb"] for item in items),
            "mb": items[0]["bytes"] / 1e6,
            "runs": [round(item["rows_per_s"]) for item in items],
        }
        for name, items in runs.items()
    }


# --- report ----------------------------------------------------------------------------------


def machine_facts() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]

    def version(python: Path, code: str) -> str:
        done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
        return done.stdout.strip() or "?"

    peer = PEER_VENV / "bin/python"
    own = ROOT / ".venv/bin/python"
    return {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "Memory": f"{int(memory) // 1024} MiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": version(own, "import django; print(django.get_version())"),
        "Hromada's gunicorn": version(own, "import gunicorn; print(gunicorn.__version__)"),
        "PostgreSQL": psql("SHOW server_version"),
        "PostGIS": psql("SELECT postgis_full_version()", POSTGIS_DB).split('"')[1],
        "pygeoapi": version(peer, "import pygeoapi; print(pygeoapi.__version__)"),
        "SQLAlchemy (pygeoapi)": version(peer, "import sqlalchemy; print(sqlalchemy.__version__)"),
        "Datasette": version(peer, "import datasette.version as v; print(v.__version__)"),
        "SQLite (Datasette)": version(peer, "import sqlite3; print(sqlite3.sqlite_version)"),
    }


def verdict(ok: bool) -> str:
    return "**holds**" if ok else "**missed**"


def write_report(
    args, facts, loads, ogc, page, export, load_before, load_after
) -> tuple[Path, list[bool]]:
    ogc_ratio = ogc["hromada"]["throughput"] / ogc["pygeoapi"]["throughput"]
    page_ratio = page["hromada"]["throughput"] / page["datasette"]["throughput"]
    csv_ratio = export["hromada"]["rows_per_s"] / export["datasette"]["rows_per_s"]
    peak = export["hromada"]["peak_mb"]
    holds = [ogc_ratio >= 3, page_ratio >= 1, csv_ratio >= 1.5 and peak < 150]

    def row(label, result, peer_name, ratio, target, ok, unit="req/s", key="throughput"):
        return (
            f"| {label} | {result['hromada'][key]:,.1f} {unit} | {peer_name}: "
            f"{result[peer_name][key]:,.1f} {unit} | **{ratio:.2f}×** | {target} | {verdict(ok)} |"
        )

    lines = [
        "# Geodata: Hromada against pygeoapi and Datasette",
        "",
        f"Run of {time.strftime('%Y-%m-%d %H:%M %Z')}: {args.features:,} generated point features "
        "(houses clustered around Khmelnytskyi's districts, 49.42 N 26.98 E), the same rows in "
        "all three stores; every comparison alternates the two servers round after round "
        f"({args.rounds} rounds) in the same run, and the ratio is of the medians.",
        "",
        "## Results",
        "",
        "| measure | Hromada | peer | ratio | target | |",
        "| --- | --- | --- | --- | --- | --- |",
        row(
            f"OGC items, random bbox, limit=100 ({args.requests} requests, concurrency {args.concurrency})",
            ogc,
            "pygeoapi",
            ogc_ratio,
            "≥ 3×",
            holds[0],
        ),
        row(
            f"a page of 100 records as JSON, random page ({args.requests} requests, concurrency {args.concurrency})",
            page,
            "datasette",
            page_ratio,
            "≥ 1×",
            holds[1],
        ),
        row(
            f"full CSV export ({export['hromada']['rows']:,} rows)",
            export,
            "datasette",
            csv_ratio,
            "≥ 1.5×, peak < 150 MB",
            holds[2],
            "rows/s",
            "rows_per_s",
        ),
        "",
        f"Peak resident memory of the Hromada worker serving the CSV export: **{peak:.0f} MB** "
        f"(kernel VmHWM, reset before each download; Datasette's process: "
        f"{export['datasette']['peak_mb']:.0f} MB). CSV sizes: Hromada "
        f"{export['hromada']['mb']:.1f} MB, Datasette {export['datasette']['mb']:.1f} MB.",
        "",
        "Ratio in each round (the two servers ran back to back): OGC bbox "
        + ", ".join(
            f"{a / b:.2f}"
            for a, b in zip(ogc["hromada"]["runs"], ogc["pygeoapi"]["runs"], strict=True)
        )
        + "; JSON page "
        + ", ".join(
            f"{a / b:.2f}"
            for a, b in zip(page["hromada"]["runs"], page["datasette"]["runs"], strict=True)
        )
        + "; CSV "
        + ", ".join(
            f"{a / b:.2f}"
            for a, b in zip(export["hromada"]["runs"], export["datasette"]["runs"], strict=True)
        )
        + ". The load of the shared machine moves from round to round; a target whose "
        "margin is smaller than that spread holds on the medians, not in every round.",
        "",
        "Latencies (median of the rounds' percentiles):",
        "",
        "| measure | server | p50 ms | p95 ms | runs (req/s) | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, result in (("OGC bbox", ogc), ("JSON page", page)):
        for name, figures in result.items():
            lines.append(
                f"| {label} | {name} | {figures['p50']:.1f} | {figures['p95']:.1f} | "
                f"{', '.join(map(str, figures['runs']))} | {figures['errors']} |"
            )
    for name, figures in export.items():
        lines.append(
            f"| CSV export | {name} | – | – | rows/s: {', '.join(f'{x:,}' for x in figures['runs'])} | 0 |"
        )
    lines += [
        "",
        "## What is compared",
        "",
        f"- **Hromada** on PostgreSQL (database `{HROMADA_DB}`; records loaded through "
        f"`records_load`, the import path, in {loads['hromada']:.0f} s), served by "
        f"`hromada serve --workers {args.workers}` (gunicorn, gthread, 4 threads per worker). "
        f"OGC: `/ogc/collections/{REGISTRY_KEY}/items?bbox=…&limit=100`; page: "
        f"`/ogc/collections/{REGISTRY_KEY}/items?limit=100&offset=K&after=ID` (the `next` "
        f"link Hromada hands out: keyset paging from the last id); CSV: `/opendata/{DATASET_KEY}/data.csv` (the catalogue's distribution).",
        f"- **pygeoapi** with its PostgreSQL provider on PostGIS (database `{POSTGIS_DB}`, table "
        f"with typed columns and a `geometry(Point, 4326)` column with a GiST index), under "
        f"gunicorn with the same {args.workers} workers, gthread, 4 threads. "
        "`/collections/housing/items?bbox=…&limit=100&f=json`.",
        "- **Datasette** in immutable mode (`datasette serve -i`) on the same rows in SQLite "
        "(id, the nine fields, longitude, latitude). Datasette is one asyncio process with a "
        "pool of 3 SQL threads; it has no worker count to match. Page: "
        "`/bench/features.json?_size=100&_nocount=1&_next=K` (Datasette's own keyset paging); "
        "CSV: `/bench/features.csv?_stream=on&_size=max`.",
        "- Both bbox runs use the same list of boxes of about 700 × 800 m placed around the "
        "city's districts (a few hundred features each, so `limit=100` truncates); both page "
        "runs the same random pages. Both servers count the matches (`numberMatched`).",
        f"- The load generator is a thread pool in the benchmark process ({args.concurrency} "
        "threads, one keep-alive connection each), on the same machine.",
        "",
        "## Hot paths tuned for these targets",
        "",
        "- bbox: the registry's widest record (cached per data version) closes the range on "
        "the leading `minx` column of the `record_bbox` index (`minx >= box.minx - span`), so a "
        "box reads its strip of the index instead of half the registry;",
        "- `numberMatched` of an unfiltered collection comes from the same cached figures; "
        "pages read ids first (`record_page` index on registry, id) and the `next` link seeks "
        "by the last id (`after=`), so a deep page costs what the first one does;",
        "- features embed the stored properties JSON as text (no decode and re-encode);",
        "- CSV downloads go out in chunks of 250 rows (not one write per row), the formula "
        "escaping of `core.exports.safe_cell` is applied only where it changes a cell, points "
        "take their coordinates from the bbox columns, and properties are decoded with orjson.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {name}: {value}" for name, value in facts.items()]
    lines += [
        f"- Load average before / after the run: {load_before} / {load_after}. The machine is "
        "shared with other developers' builds and benchmarks, so absolute figures move "
        "between runs; the ratios are measured in the same run, alternating the servers.",
        "",
        "## Reproduce",
        "",
        "```sh",
        f".venv/bin/python benchmarks/geo_peers.py --features {args.features} "
        f"--requests {args.requests} --concurrency {args.concurrency} --workers {args.workers} "
        f"--rounds {args.rounds}",
        "```",
        "",
        "The script installs PostGIS with apt when it is missing (root), and pygeoapi, "
        f"Datasette, gunicorn and psycopg2 into `{PEER_VENV}` (never into Hromada's "
        "dependencies); it (re)creates the databases `bench_hromada` and `bench_geo` and "
        f"`{WORK}/bench.db`, and listens on 127.0.0.1 only.",
        "",
    ]
    out = ROOT / "docs/benchmarks/geo.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    return out, holds


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    global HROMADA_DB, POSTGIS_DB
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true", help="reuse the stores of the last run")
    parser.add_argument("--hromada-db", default=HROMADA_DB, help="PostgreSQL database for Hromada")
    parser.add_argument("--postgis-db", default=POSTGIS_DB, help="PostGIS database for pygeoapi")
    args = parser.parse_args()
    HROMADA_DB, POSTGIS_DB = args.hromada_db, args.postgis_db
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])

    ensure_postgis()
    ensure_peer_venv()
    loads = {"hromada": 0.0}
    rows_file = WORK / "features.jsonl"
    if not args.skip_load:
        print(f"generating {args.features:,} features …", flush=True)
        rows = generate(args.features)
        with rows_file.open("w", encoding="utf-8") as out:
            for item in rows:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        print("loading Hromada (PostgreSQL) …", flush=True)
        loads["hromada"] = load_hromada(rows_file)
        (WORK / "hromada-load-seconds").write_text(str(loads["hromada"]))
        print(f"  {loads['hromada']:.1f} s; loading PostGIS …", flush=True)
        load_postgis(rows)
        print("loading SQLite …", flush=True)
        load_sqlite(rows)
        del rows

    else:
        loads["hromada"] = float((WORK / "hromada-load-seconds").read_text())
    servers: list[Server] = []
    try:
        print("starting the servers …", flush=True)
        hromada = start_hromada(args.workers)
        servers.append(hromada)
        pygeoapi = start_pygeoapi(args.workers)
        servers.append(pygeoapi)
        datasette = start_datasette(WORK / "bench.db")
        servers.append(datasette)

        boxes = random_bboxes(args.requests, seed=1)
        hromada_ogc = [
            f"/ogc/collections/{REGISTRY_KEY}/items?"
            + urlencode({"bbox": ",".join(map(str, box)), "limit": 100})
            for box in boxes
        ]
        pygeoapi_ogc = [
            "/collections/housing/items?"
            + urlencode({"bbox": ",".join(map(str, box)), "limit": 100, "f": "json"})
            for box in boxes
        ]
        print("OGC items with bbox and limit=100:", flush=True)
        ogc = compare(
            "OGC bbox",
            (hromada, hromada_ogc, b'"FeatureCollection"'),
            (pygeoapi, pygeoapi_ogc, b'"FeatureCollection"'),
            rounds=args.rounds,
            concurrency=args.concurrency,
        )

        rng = random.Random(2)
        offsets = [rng.randrange(0, args.features - 100) // 100 * 100 for _ in range(args.requests)]
        # Hromada's next links carry the last id (after=) beside the position (offset=).
        _status, body = hromada.get(f"/ogc/collections/{REGISTRY_KEY}/items?limit=1")
        before_first = json.loads(body)["features"][0]["id"] - 1
        hromada_page = [
            f"/ogc/collections/{REGISTRY_KEY}/items?limit=100&offset={offset}"
            + (f"&after={before_first + offset}" if offset else "")
            for offset in offsets
        ]
        # Datasette pages by key: _next=K starts after id K (ids are 1…N, as loaded).
        datasette_page = [
            "/bench/features.json?_size=100&_nocount=1" + (f"&_next={offset}" if offset else "")
            for offset in offsets
        ]
        print("a page of 100 records as JSON:", flush=True)
        page = compare(
            "JSON page",
            (hromada, hromada_page, b'"features"'),
            (datasette, datasette_page, b'"rows"'),
            rounds=args.rounds,
            concurrency=args.concurrency,
        )

        print("full CSV export:", flush=True)
        export = compare_exports(hromada, datasette, args.rounds)
        facts = machine_facts()
    finally:
        for server in reversed(servers):
            server.stop()
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    out, holds = write_report(args, facts, loads, ogc, page, export, load_before, load_after)
    names = ["OGC bbox ≥ 3× pygeoapi", "JSON page ≥ 1× Datasette", "CSV ≥ 1.5× Datasette, < 150 MB"]
    for name, ok in zip(names, holds, strict=True):
        print(f"{name}: {'holds' if ok else 'MISSED'}")
    print(f"figures written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
