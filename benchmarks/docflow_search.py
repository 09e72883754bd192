"""Full-text search over registration cards: p50/p95 of document_search on N cards.

    .venv/bin/python benchmarks/docflow_search.py [N]            # SQLite (FTS5), fresh DB
    DATABASE_URL=postgres://…/bench .venv/bin/python benchmarks/docflow_search.py [N]

Baseline, measured in the same run on the same data: the same query as a plain
``search_text LIKE '%word%'`` scan (what a search without a full-text index costs).
Figures are appended to docs/benchmarks/docflow.md.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
QUERIES = 200
BASELINE_QUERIES = 5
ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HROMADA_DATA_DIR", tempfile.mkdtemp(prefix="hromada-bench-docflow-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from hromada.accounts.models import Role, RoleAssignment, User  # noqa: E402
from hromada.core.models import Organisation  # noqa: E402
from hromada.docflow.models import Document, Journal  # noqa: E402
from hromada.docflow.selectors import DocumentFilters, document_search  # noqa: E402

WORDS = (  # noqa: SIM905
    "ремонт покрівлі школи ліцею дороги освітлення вулиці парку благоустрій тарифи "
    "водопостачання каналізації опалення звернення мешканців депутатський запит бюджет "
    "програма розвитку цифрового відкритих даних адміністративних послуг транспорту "
    "медичних закладів культури туризму молоді спорту соціального захисту земельних "
    "ділянок оренди комунального майна житлового фонду енергозбереження проскурівська "
    "кам'янецька зарічанська гагаріна свободи шевченка подільська озерна виставкова"
).split()


def load(n: int) -> None:
    organisation, _ = Organisation.objects.get_or_create(
        key="executive_committee",
        defaults={"name": "Виконавчий комітет", "kind": Organisation.Kind.EXECUTIVE_BODY},
    )
    journal, _ = Journal.objects.get_or_create(organisation=organisation, kind="incoming")
    have = Document.objects.count()
    rng = random.Random(784)
    start = date(2015, 1, 1)
    batch = []
    for i in range(have, n):
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        day = start + timedelta(days=i % 3650)
        batch.append(
            Document(
                kind="incoming",
                organisation=organisation,
                journal=journal,
                year=day.year,
                number=i + 1,
                registration_index=f"Вх/{i + 1}",
                registered_on=day,
                summary=words[:200],
                search_text=words,
                restricted=i % 50 == 0,
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Document.objects.bulk_create(batch)
            batch = []
            print(f"\r  {i + 1:,} cards", end="", flush=True)
    if batch:
        with transaction.atomic():
            Document.objects.bulk_create(batch)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE docflow_document")


def timed(run) -> float:
    began = time.perf_counter()
    run()
    return (time.perf_counter() - began) * 1000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    began = time.perf_counter()
    load(N)
    loaded_in = time.perf_counter() - began
    user = User.objects.filter(email="bench@example.org").first() or User.objects.create_user(
        email="bench@example.org", password=None, full_name="Bench"
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.CONTROLLER, organisation=None)
    rng = random.Random(12)
    queries = [" ".join(rng.sample(WORDS, rng.choice([1, 2]))) for _ in range(QUERIES)]

    def search(query: str):
        return lambda: list(document_search(user=user, filters=DocumentFilters(query=query))[:20])

    fts = [timed(search(query)) for query in queries]

    def scan(query: str):
        documents = Document.objects.all()
        for word in query.split():
            documents = documents.filter(search_text__icontains=word)
        return lambda: list(documents.order_by("-registered_on", "-id")[:20])

    baseline = [timed(scan(query)) for query in queries[:BASELINE_QUERIES]]
    line = (
        f"| {connection.vendor} | {N:,} | {statistics.median(fts):.1f} | {p95(fts):.1f} | "
        f"{statistics.median(baseline):.1f} | {statistics.median(baseline) / p95(fts):.1f}× | "
        f"{loaded_in:.0f} s |"
    )
    print(line)
    report = ROOT / "docs" / "benchmarks" / "docflow.md"
    if not report.exists():
        report.write_text(
            "# Docflow: full-text search over registration cards\n\n"
            "`benchmarks/docflow_search.py N`: `document_search` (access filter + full-text, "
            "first 20 hits, newest first) for 200 one- or two-word queries; baseline: the same "
            "query as a `LIKE '%word%'` scan on the same data in the same run (5 queries). "
            "Machine: the 2-core development VM, shared.\n\n"
            "| engine | cards | search p50, ms | search p95, ms | LIKE scan p50, ms | "
            "scan ÷ search p95 | load time |\n|---|---|---|---|---|---|---|\n",
            encoding="utf-8",
        )
    with report.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


if __name__ == "__main__":
    main()
