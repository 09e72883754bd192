"""Pages of the geoportal: the map, its table alternative, registry and record pages, and the
web import for a registry's keepers."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hromada.accounts.permissions import can_change
from hromada.core.audit import public_history
from hromada.core.exports import FORMATS, export_response
from hromada.registries import selectors
from hromada.registries.models import Record, RegistryDefinition
from hromada.registries.ogc import OgcError, parse_bbox
from hromada.registries.services import ImportRejected, records_import

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
# Distinct, colour-blind-safe hues (Okabe–Ito), dark enough for white popups and lines.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8F6A00", "#56B4E9", "#000000"]
TABLE_PAGE = 50


def _registry_or_404(key: str) -> RegistryDefinition:
    try:
        return selectors.registry_by_key(key=key)
    except RegistryDefinition.DoesNotExist as missing:
        raise Http404 from missing


class MapFilter:
    """The filters the map, the table and the permalink share, read from the query string."""

    def __init__(self, request: HttpRequest):
        self.registries = list(selectors.registries_on_map())
        by_key = {registry.key: registry for registry in self.registries}
        self.layer = by_key.get(request.GET.get("layer", ""))
        self.q = request.GET.get("q", "").strip()[:200]
        self.errors: list[str] = []
        self.bbox = None
        if request.GET.get("bbox"):
            try:
                self.bbox = parse_bbox(request.GET["bbox"])
            except OgcError as error:
                self.errors.append(error.description)
        self.fields = selectors.filterable_fields(self.layer) if self.layer else []
        self.properties: dict[str, Any] = {}
        if self.layer:
            allowed = {field["name"] for field in self.fields}
            params = {name: value for name, value in request.GET.items() if name in allowed}
            self.properties, faults = selectors.parse_property_filters(self.layer, params)
            self.errors += [f"{name}: {reason}" for name, reason in faults.items()]

    @property
    def layers(self) -> list[RegistryDefinition]:
        return [self.layer] if self.layer else self.registries

    def where(self, *, with_bbox: bool = True) -> selectors.RecordFilter:
        return selectors.RecordFilter(
            bbox=self.bbox if with_bbox else None, q=self.q, properties=dict(self.properties)
        )

    def query(self, **extra: Any) -> str:
        params: dict[str, Any] = {}
        if self.layer:
            params["layer"] = self.layer.key
        if self.q:
            params["q"] = self.q
        params.update(
            {
                name: str(value).lower() if isinstance(value, bool) else value
                for name, value in self.properties.items()
            }
        )
        if self.bbox:
            params["bbox"] = ",".join(f"{value:.5f}" for value in self.bbox)
        params.update(extra)
        return urlencode(params)

    def field_controls(self) -> list[dict[str, Any]]:
        controls = []
        for field in self.fields:
            options = field["choices"] or ["true", "false"]
            current = self.properties.get(field["name"])
            current = str(current).lower() if isinstance(current, bool) else str(current or "")
            controls.append(
                {
                    "name": field["name"],
                    "title": field["title"],
                    "options": options,
                    "current": current,
                }
            )
        return controls


def _layer_payload(request: HttpRequest, filters: MapFilter) -> list[dict[str, Any]]:
    payload = []
    for index, registry in enumerate(filters.registries):
        if filters.layer and registry.key != filters.layer.key:
            continue
        params: dict[str, Any] = {"limit": 10000}
        if filters.q:
            params["q"] = filters.q
        for name, value in filters.properties.items():
            params[name] = str(value).lower() if isinstance(value, bool) else value
        payload.append(
            {
                "key": registry.key,
                "title": registry.title,
                "geometry": registry.geometry_type,
                "label": registry.label_field,
                "color": PALETTE[index % len(PALETTE)],
                "url": reverse("registries:ogc_items", kwargs={"key": registry.key})
                + "?"
                + urlencode(params),
                "record_url": reverse("registries:record", kwargs={"key": registry.key, "pk": 0}),
            }
        )
    return payload


def geoportal(request: HttpRequest) -> HttpResponse:
    filters = MapFilter(request)
    counts = {
        registry.key: selectors.records_filtered(registry=registry, where=filters.where()).count()
        for registry in filters.layers
    }
    layers = _layer_payload(request, filters)
    for layer in layers:
        layer["count"] = counts.get(layer["key"], 0)
    context = {
        "filters": filters,
        "layers": layers,
        "layers_json": json.dumps(layers, ensure_ascii=False),
        "total": sum(counts.values()),
        "tile_url": getattr(settings, "GEOPORTAL_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(
            settings, "GEOPORTAL_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION
        ),
        "table_url": reverse("registries:table")
        + ("?" + filters.query() if filters.query() else ""),
    }
    return render(request, "registries/geoportal.html", context)


def _table_rows(filters: MapFilter) -> tuple[list[str], list[dict[str, Any]], Any]:
    if filters.layer:
        registry = filters.layer
        queryset = selectors.records_filtered(registry=registry, where=filters.where())
        return [field["title"] for field in registry.fields[:6]], [registry], queryset
    return [], filters.registries, None


def table(request: HttpRequest) -> HttpResponse:
    filters = MapFilter(request)
    fmt = request.GET.get("format", "")
    if filters.layer and fmt in FORMATS:
        registry = filters.layer
        queryset = selectors.records_filtered(registry=registry, where=filters.where())
        columns = selectors.table_columns(registry)
        return export_response(
            fmt=fmt,
            filename=registry.key,
            header=[column["name"] for column in columns],
            rows=selectors.table_rows(registry=registry, queryset=queryset),
        )
    sections = []
    for registry in filters.layers:
        queryset = selectors.records_filtered(registry=registry, where=filters.where())
        page = Paginator(queryset.select_related("registry"), TABLE_PAGE).get_page(
            request.GET.get("page") if filters.layer else 1
        )
        shown = registry.fields[:5]
        sections.append(
            {
                "registry": registry,
                "page": page,
                "count": page.paginator.count,
                "fields": shown,
                "rows": [
                    (record, [record.properties.get(field["name"]) for field in shown])
                    for record in page.object_list
                ],
                "more_url": reverse("registries:table") + "?" + filters.query(layer=registry.key),
            }
        )
    context = {
        "filters": filters,
        "sections": sections,
        "total": sum(section["count"] for section in sections),
        "map_url": reverse("registries:index") + ("?" + filters.query() if filters.query() else ""),
        "download_query": filters.query(),
        "formats": [
            ("csv", "CSV"),
            ("csv-excel", _("CSV for Excel")),
            ("xlsx", "XLSX"),
            ("json", "JSON"),
        ],
    }
    return render(request, "registries/table.html", context)


def registry_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "registries/registry_list.html", {"registries": selectors.registries_public()}
    )


def registry_detail(request: HttpRequest, key: str) -> HttpResponse:
    registry = _registry_or_404(key)
    return render(
        request,
        "registries/registry_detail.html",
        {
            "registry": registry,
            "count": registry.records.count(),
            "may_import": can_change(request.user, registry),
            "dataset_key": registry.key.replace("_", "-"),
            "history": public_history(registry).order_by("-id")[:20],
            "map_url": reverse("registries:index") + "?" + urlencode({"layer": registry.key}),
            "table_url": reverse("registries:table") + "?" + urlencode({"layer": registry.key}),
        },
    )


def render_record(request: HttpRequest, record: Record) -> HttpResponse:
    registry = record.registry
    facts = [
        {"field": field, "value": record.properties.get(field["name"])} for field in registry.fields
    ]
    return render(
        request,
        "registries/record_detail.html",
        {
            "registry": registry,
            "record": record,
            "facts": facts,
            "geometry": record.geometry,
            "history": public_history(record).order_by("-id")[:50],
            "tile_url": getattr(settings, "GEOPORTAL_TILE_URL", DEFAULT_TILE_URL),
            "tile_attribution": getattr(
                settings, "GEOPORTAL_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION
            ),
            "ogc_url": reverse(
                "registries:ogc_item", kwargs={"key": registry.key, "feature_id": record.pk}
            ),
        },
    )


def record_detail(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    registry = _registry_or_404(key)
    try:
        record = selectors.record_by_id(registry=registry, pk=pk)
    except Record.DoesNotExist as missing:
        raise Http404 from missing
    return render_record(request, record)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or Windows-1251, separated by commas or semicolons), XLSX, GeoJSON or "
            "a zipped Shapefile in WGS 84. Columns are named like the registry's fields."
        ),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the registry: delete records that are not in the file"),
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def registry_import(request: HttpRequest, key: str) -> HttpResponse:
    try:
        registry = selectors.registry_by_key(key=key, public_only=False)
    except RegistryDefinition.DoesNotExist as missing:
        raise Http404 from missing
    if not can_change(request.user, registry):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected: ImportRejected | None = None
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = records_import(
                actor=request.user,
                registry=registry,
                filename=upload.name,
                data=upload.read(),
                replace=form.cleaned_data["replace"],
            )
        except ImportRejected as error:
            rejected = error
    status = 422 if rejected else 200
    return render(
        request,
        "registries/import.html",
        {"registry": registry, "form": form, "rejected": rejected, "result": result},
        status=status,
    )
