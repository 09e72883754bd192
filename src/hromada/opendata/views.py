"""Pages of the open data catalogue and the downloads of its data sets."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hromada.accounts.permissions import staff_organisation_ids
from hromada.core.audit import public_history
from hromada.opendata import downloads, selectors
from hromada.opendata.models import Dataset


def _dataset_or_404(key: str) -> Dataset:
    try:
        return selectors.dataset_by_key(key=key)
    except Dataset.DoesNotExist as missing:
        raise Http404 from missing


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    datasets = list(selectors.datasets_public())
    if q:
        words = q.lower().split()
        datasets = [
            dataset
            for dataset in datasets
            if all(
                word in " ".join([dataset.title, dataset.description, *dataset.tags]).lower()
                for word in words
            )
        ]
    if request.GET.get("format") in {"csv", "csv-excel", "xlsx", "json"}:
        from hromada.core.exports import export_response

        return export_response(
            fmt=request.GET["format"],
            filename="datasets",
            header=[
                "name",
                "title",
                "keeper",
                "update_frequency",
                "licence",
                "data_modified",
                "overdue",
            ],
            rows=(
                [
                    dataset.key,
                    dataset.title,
                    dataset.keeper.name,
                    dataset.update_frequency,
                    dataset.licence,
                    dataset.data_modified_at,
                    selectors.is_overdue(dataset),
                ]
                for dataset in datasets
            ),
        )
    return render(request, "opendata/catalogue.html", {"datasets": datasets, "q": q})


@require_safe
def dataset_detail(request: HttpRequest, key: str) -> HttpResponse:
    dataset = _dataset_or_404(key)
    source = selectors.source_of(dataset)
    return render(
        request,
        "opendata/dataset_detail.html",
        {
            "dataset": dataset,
            "columns": source.columns() if source else [],
            "distributions": selectors.distributions_of(dataset),
            "licence": selectors.licence_info(dataset.licence),
            "theme": selectors.theme_title(dataset.theme, request.LANGUAGE_CODE),
            "due": selectors.due_date(dataset),
            "overdue": selectors.is_overdue(dataset),
            "history": public_history(dataset).order_by("-id")[:20],
        },
    )


@require_safe
def download(request: HttpRequest, key: str, filename: str) -> HttpResponse:
    code = next((item.code for item in selectors.DISTRIBUTIONS if item.filename == filename), "")
    dataset = _dataset_or_404(key)
    source = selectors.source_of(dataset)
    if source is None:
        raise Http404
    if code in downloads.EXPORT_CODES:
        return downloads.tabular_response(dataset, source, code)
    if code == "geojson" and source.geometric:
        return downloads.geojson_response(dataset, source)
    if code == "datapackage":
        return JsonResponse(
            downloads.datapackage(request, dataset, source),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    raise Http404


@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    """Data sets past their update frequency; a keeper sees their own first."""
    now = timezone.now()
    mine_ids = staff_organisation_ids(request.user)
    rows = [
        {
            "dataset": dataset,
            "due": selectors.due_date(dataset),
            "mine": dataset.keeper_id in mine_ids,
        }
        for dataset in selectors.datasets_overdue(now=now)
    ]
    rows.sort(key=lambda row: not row["mine"])
    fresh, total = selectors.fresh_counts(now=now)
    return render(request, "opendata/overdue.html", {"rows": rows, "fresh": fresh, "total": total})
