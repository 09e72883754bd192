from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hromada.core import selectors as core_selectors
from hromada.core.audit import public_history
from hromada.core.models import Organisation
from hromada.plans import selectors as plans_selectors
from hromada.web.modules import MODULES


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/home.html", {"modules": MODULES, "headline": plans_selectors.plan_headline()}
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/organisation_list.html",
        {"organisations": core_selectors.organisations_public()},
    )


def organisation_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        organisation = core_selectors.organisation_by_key(key=key)
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "children": organisation.children.all(),
            "history": public_history(organisation)[:50],
            "plans": plans_selectors.plans_involving(organisation=organisation),
        },
    )


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "ok", 10)
    return "ok" if cache.get("healthz") == "ok" else "failed"


def _check_queue() -> str:
    from huey.contrib.djhuey import HUEY

    HUEY.storage.queue_size()
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks.update(cache=_check_cache, queue=_check_queue)
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # a health check reports, it never raises
            results[name] = f"failed: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failed", "checks": results},
        status=200 if healthy else 503,
    )
