"""OGC API – Features, Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) at /ogc/.

JSON unless the client asks for HTML (``?f=html``, or a browser's Accept header), so
OWSLib and QGIS (which send no HTML preference) get JSON. Errors are OGC exception
documents with the right status, never a 500.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hromada.registries import selectors
from hromada.registries.models import Record, RegistryDefinition

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
ITEM_PARAMETERS = {"f", "limit", "offset", "after", "bbox", "bbox-crs", "datetime", "q"}


class OgcError(Exception):
    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def _error(error: OgcError) -> JsonResponse:
    return JsonResponse(
        {"code": error.code, "description": error.description},
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )


def wants_html(request: HttpRequest) -> bool:
    fmt = request.GET.get("f", "")
    if fmt:
        if fmt not in {"html", "json", "geojson"}:
            raise OgcError(400, "InvalidParameterValue", _("Unknown format; use f=json or f=html."))
        return fmt == "html"
    return "text/html" in request.headers.get("Accept", "")


def _url(request: HttpRequest, name: str, params: dict[str, Any] | None = None, **kwargs) -> str:
    url = request.build_absolute_uri(reverse(f"registries:{name}", kwargs=kwargs or None))
    return f"{url}?{urlencode(params)}" if params else url


def _json(payload: Any, *, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False, default=str),
        content_type=f"{content_type}; charset=utf-8" if ";" not in content_type else content_type,
    )


def ogc_view(view):
    """Turn OgcError and a missing collection into OGC exception responses."""

    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OgcError as error:
            return _error(error)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_safe(wrapper)


def _collection(key: str) -> RegistryDefinition:
    try:
        return selectors.registry_by_key(key=key)
    except RegistryDefinition.DoesNotExist as missing:
        raise OgcError(
            404, "NotFound", _("There is no collection “%(id)s”.") % {"id": key}
        ) from missing


# --- landing, conformance, OpenAPI ---------------------------------------------------------------


@ogc_view
def landing(request: HttpRequest) -> HttpResponse:
    payload = {
        "title": _("Hromada geoportal: OGC API – Features"),
        "description": _("Registries of the community as OGC API – Features collections."),
        "links": [
            {"rel": "self", "type": "application/json", "href": _url(request, "ogc_landing")},
            {
                "rel": "alternate",
                "type": "text/html",
                "href": _url(request, "ogc_landing", {"f": "html"}),
            },
            {"rel": "service-desc", "type": OPENAPI, "href": _url(request, "ogc_api")},
            {
                "rel": "conformance",
                "type": "application/json",
                "href": _url(request, "ogc_conformance"),
            },
            {"rel": "data", "type": "application/json", "href": _url(request, "ogc_collections")},
        ],
    }
    if wants_html(request):
        return render(request, "registries/ogc_landing.html", {"payload": payload})
    return _json(payload)


@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    payload = {"conformsTo": CONFORMANCE}
    if wants_html(request):
        return render(request, "registries/ogc_conformance.html", {"payload": payload})
    return _json(payload)


# --- collections -------------------------------------------------------------------------------


def _collection_payload(request: HttpRequest, registry: RegistryDefinition) -> dict[str, Any]:
    extent: dict[str, Any] = {}
    box = selectors.registry_extent(registry)
    if box:
        extent["spatial"] = {"bbox": [list(box)], "crs": CRS84}
    start, end = selectors.registry_time_extent(registry)
    if start:
        extent["temporal"] = {
            "interval": [[start.isoformat(), end.isoformat()]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    key = registry.key
    return {
        "id": key,
        "title": registry.title,
        "description": registry.description,
        "keywords": registry.tags,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": extent,
        "license": registry.licence,
        "links": [
            {
                "rel": "self",
                "type": "application/json",
                "href": _url(request, "ogc_collection", key=key),
            },
            {
                "rel": "alternate",
                "type": "text/html",
                "href": _url(request, "ogc_collection", {"f": "html"}, key=key),
            },
            {
                "rel": "items",
                "type": GEOJSON,
                "title": _("Features as GeoJSON"),
                "href": _url(request, "ogc_items", key=key),
            },
            {
                "rel": "items",
                "type": "text/html",
                "title": _("Features as a web page"),
                "href": _url(request, "ogc_items", {"f": "html"}, key=key),
            },
            {
                "rel": "license",
                "type": "text/html",
                "title": registry.licence,
                "href": "https://creativecommons.org/licenses/by/4.0/",
            },
        ],
        "queryables": [
            {"name": field["name"], "title": field["title"], "type": field["type"]}
            for field in registry.fields
        ],
    }


@ogc_view
def collections(request: HttpRequest) -> HttpResponse:
    registries = list(selectors.registries_public())
    payload = {
        "links": [
            {"rel": "self", "type": "application/json", "href": _url(request, "ogc_collections")},
            {
                "rel": "alternate",
                "type": "text/html",
                "href": _url(request, "ogc_collections", {"f": "html"}),
            },
        ],
        "collections": [_collection_payload(request, registry) for registry in registries],
    }
    if wants_html(request):
        return render(
            request,
            "registries/ogc_collections.html",
            {"payload": payload, "registries": registries},
        )
    return _json(payload)


@ogc_view
def collection(request: HttpRequest, key: str) -> HttpResponse:
    registry = _collection(key)
    payload = _collection_payload(request, registry)
    if wants_html(request):
        return render(
            request, "registries/ogc_collection.html", {"payload": payload, "registry": registry}
        )
    return _json(payload)


# --- items -------------------------------------------------------------------------------------


def _integer(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise OgcError(
            400, "InvalidParameterValue", _("%(name)s must be a whole number.") % {"name": name}
        ) from error
    if not low <= value <= high:
        raise OgcError(
            400,
            "InvalidParameterValue",
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError as error:
        raise OgcError(400, "InvalidParameterValue", _("bbox must be numbers.")) from error
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4:
        raise OgcError(
            400, "InvalidParameterValue", _("bbox takes four numbers: minx,miny,maxx,maxy.")
        )
    minx, miny, maxx, maxy = numbers
    if miny > maxy or not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise OgcError(400, "InvalidParameterValue", _("bbox latitudes are out of order or range."))
    if minx > maxx:
        # A box across the antimeridian: nothing of ours lies there, keep the east part.
        minx = -180.0
    return (minx, miny, maxx, maxy)


def _instant(text: str, *, end: bool) -> datetime | None:
    if text in ("..", ""):
        return None
    value = parse_datetime(text)
    if value is None:
        day = parse_date(text)
        if day is None:
            raise OgcError(
                400, "InvalidParameterValue", _("datetime must be RFC 3339 or an interval a/b.")
            )
        value = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def parse_datetime_param(raw: str) -> tuple[datetime | None, datetime | None]:
    if "/" in raw:
        start, _sep, end = raw.partition("/")
        low, high = _instant(start, end=False), _instant(end, end=True)
        if low and high and low > high:
            raise OgcError(
                400, "InvalidParameterValue", _("The datetime interval ends before it starts.")
            )
        return low, high
    if parse_datetime(raw) is None and parse_date(raw) is not None:
        return _instant(raw, end=False), _instant(raw, end=True)
    value = _instant(raw, end=False)
    return value, value


def items_filter(request: HttpRequest, registry: RegistryDefinition) -> selectors.RecordFilter:
    names = set(registry.field_names())
    unknown = set(request.GET) - ITEM_PARAMETERS - names
    if unknown:
        raise OgcError(
            400,
            "InvalidParameterValue",
            _("Unknown query parameters: %(names)s.") % {"names": ", ".join(sorted(unknown))},
        )
    crs = request.GET.get("bbox-crs")
    if crs and crs != CRS84:
        raise OgcError(400, "InvalidParameterValue", _("Only CRS84 bounding boxes are supported."))
    where = selectors.RecordFilter(q=request.GET.get("q", ""))
    if request.GET.get("bbox"):
        where.bbox = parse_bbox(request.GET["bbox"])
    if request.GET.get("datetime"):
        where.changed_from, where.changed_to = parse_datetime_param(request.GET["datetime"])
    values, faults = selectors.parse_property_filters(registry, request.GET)
    if faults:
        name, reason = next(iter(faults.items()))
        raise OgcError(400, "InvalidParameterValue", f"{name}: {reason}")
    where.properties = values
    return where


def _page_links(
    request: HttpRequest,
    registry: RegistryDefinition,
    limit: int,
    offset: int,
    more: bool,
    last_id: int | None,
) -> list[dict[str, str]]:
    """Links of a page. ``next`` carries the last id (``after``), so following it seeks
    in the index instead of skipping ``offset`` rows; ``offset`` keeps the position."""
    params = {
        name: value for name, value in request.GET.items() if name not in {"offset", "after", "f"}
    }
    params["limit"] = limit

    def link(
        rel: str, kind: str, at: int, fmt: str | None = None, after: int | None = None
    ) -> dict[str, str]:
        query = {**params, "offset": at}
        if after is not None:
            query["after"] = after
        if fmt:
            query["f"] = fmt
        return {
            "rel": rel,
            "type": kind,
            "href": _url(request, "ogc_items", query, key=registry.key),
        }

    current = request.GET.get("after")
    current_after = int(current) if current else None
    links = [
        link("self", GEOJSON, offset, after=current_after),
        link("alternate", "text/html", offset, "html", after=current_after),
        {
            "rel": "collection",
            "type": "application/json",
            "href": _url(request, "ogc_collection", key=registry.key),
        },
    ]
    if more and last_id is not None:
        links.append(link("next", GEOJSON, offset + limit, after=last_id))
    if offset > 0:
        links.append(link("prev", GEOJSON, max(0, offset - limit)))
    return links


@ogc_view
def items(request: HttpRequest, key: str) -> HttpResponse:
    registry = _collection(key)
    html = wants_html(request)
    limit = _integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _integer(request, "offset", 0, 0, 10**9)
    after = _integer(request, "after", -1, 0, 2**63 - 1) if request.GET.get("after") else None
    where = items_filter(request, registry)
    queryset = selectors.records_filtered(registry=registry, where=where)
    matched = selectors.records_matched(registry=registry, where=where, queryset=queryset)
    if after is not None:
        # Keyset paging: the page starts after that id; offset only tells the position.
        page = selectors.records_page(queryset.filter(id__gt=after), 0, limit + 1)
    else:
        page = selectors.records_page(queryset, offset, limit + 1)
    if html:
        records = list(page.only("id", "label", "registry_id", "properties", "updated_at"))
        more, records = len(records) > limit, records[:limit]
        links = _page_links(
            request, registry, limit, offset, more, records[-1].pk if records else None
        )
        return render(
            request,
            "registries/ogc_items.html",
            {
                "registry": registry,
                "records": records,
                "matched": matched,
                "offset": offset,
                "links": {link["rel"]: link["href"] for link in links},
                "json_url": links[0]["href"],
            },
        )
    rows = list(
        page.annotate(properties_text=selectors.properties_as_text()).values_list(
            "id", "label", "properties_text", "geometry"
        )
    )
    # One row beyond the page tells whether a next page exists.
    more, rows = len(rows) > limit, rows[:limit]
    links = _page_links(request, registry, limit, offset, more, rows[-1][0] if rows else None)
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "numberMatched": matched,
            "numberReturned": len(rows),
            "timeStamp": timezone.now().isoformat(timespec="seconds"),
            "links": links,
        },
        ensure_ascii=False,
    )
    body = ",".join(selectors.feature_json(*row) for row in rows)
    return HttpResponse(
        f'{head[:-1]},"features":[{body}]}}', content_type=f"{GEOJSON}; charset=utf-8"
    )


@ogc_view
def item(request: HttpRequest, key: str, feature_id: str) -> HttpResponse:
    registry = _collection(key)
    html = wants_html(request)
    try:
        record = Record.objects.get(registry=registry, pk=int(feature_id))
    except (ValueError, Record.DoesNotExist) as missing:
        raise OgcError(
            404,
            "NotFound",
            _("There is no feature “%(id)s” in this collection.") % {"id": feature_id},
        ) from missing
    if html:
        from hromada.registries.views import render_record

        return render_record(request, record)
    links = [
        {
            "rel": "self",
            "type": GEOJSON,
            "href": _url(request, "ogc_item", key=key, feature_id=record.pk),
        },
        {
            "rel": "alternate",
            "type": "text/html",
            "href": request.build_absolute_uri(record.get_absolute_url()),
        },
        {
            "rel": "collection",
            "type": "application/json",
            "href": _url(request, "ogc_collection", key=key),
        },
    ]
    feature = json.loads(
        selectors.feature_json(record.pk, record.label, record.properties, record.geometry)
    )
    feature["links"] = links
    return _json(feature, content_type=GEOJSON)


# --- the OpenAPI 3.0 document ----------------------------------------------------------------------


def _response(description: str, schema_ref: str | None = None, media: str = "application/json"):
    content = {media: {"schema": {"$ref": schema_ref} if schema_ref else {"type": "object"}}}
    return {"description": description, "content": content}


@ogc_view
def openapi(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri(reverse("registries:ogc_landing")).rstrip("/")
    error = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}},
    }
    collection_id = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "schema": {
            "type": "string",
            "enum": list(selectors.registries_public().values_list("key", flat=True)),
        },
    }
    fmt = {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "html"]}}
    document = {
        "openapi": "3.0.3",
        "info": {
            "title": "Hromada OGC API – Features",
            "version": "1.0.0",
            "description": "Registries of the community (GeoJSON, WGS 84).",
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": base}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "getLandingPage",
                    "summary": "Landing page",
                    "parameters": [fmt],
                    "responses": {"200": _response("Links to the API"), "400": error},
                }
            },
            "/conformance": {
                "get": {
                    "operationId": "getConformance",
                    "summary": "Conformance classes",
                    "parameters": [fmt],
                    "responses": {"200": _response("Conformance classes")},
                }
            },
            "/api": {
                "get": {
                    "operationId": "getOpenAPI",
                    "summary": "This document",
                    "responses": {"200": _response("OpenAPI 3.0", media=OPENAPI)},
                }
            },
            "/collections": {
                "get": {
                    "operationId": "getCollections",
                    "summary": "Collections (one per public registry)",
                    "parameters": [fmt],
                    "responses": {"200": _response("Collections")},
                }
            },
            "/collections/{collectionId}": {
                "get": {
                    "operationId": "describeCollection",
                    "summary": "One collection",
                    "parameters": [collection_id, fmt],
                    "responses": {"200": _response("Collection"), "404": error},
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "operationId": "getFeatures",
                    "summary": "Features of a collection; other query parameters named like a field filter on its value",
                    "parameters": [
                        collection_id,
                        fmt,
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_LIMIT,
                                "default": DEFAULT_LIMIT,
                            },
                        },
                        {
                            "name": "offset",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 0, "default": 0},
                        },
                        {
                            "name": "after",
                            "in": "query",
                            "description": "Start after this feature id (the next links use it).",
                            "schema": {"type": "integer", "minimum": 0},
                        },
                        {
                            "name": "bbox",
                            "in": "query",
                            "style": "form",
                            "explode": False,
                            "schema": {
                                "type": "array",
                                "minItems": 4,
                                "maxItems": 6,
                                "items": {"type": "number"},
                            },
                        },
                        {
                            "name": "bbox-crs",
                            "in": "query",
                            "schema": {"type": "string", "enum": [CRS84]},
                        },
                        {
                            "name": "datetime",
                            "in": "query",
                            "description": "Matched against the time a record last changed.",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "description": "Text search in the record's values.",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": _response(
                            "GeoJSON FeatureCollection",
                            "#/components/schemas/featureCollectionGeoJSON",
                            GEOJSON,
                        ),
                        "400": error,
                        "404": error,
                    },
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "operationId": "getFeature",
                    "summary": "One feature",
                    "parameters": [
                        collection_id,
                        {
                            "name": "featureId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        fmt,
                    ],
                    "responses": {
                        "200": _response(
                            "GeoJSON Feature", "#/components/schemas/featureGeoJSON", GEOJSON
                        ),
                        "404": error,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "exception": {
                    "type": "object",
                    "required": ["code"],
                    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
                },
                "featureGeoJSON": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "integer"},
                        "geometry": {"type": "object", "nullable": True},
                        "properties": {"type": "object", "nullable": True},
                    },
                },
                "featureCollectionGeoJSON": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/featureGeoJSON"},
                        },
                        "numberMatched": {"type": "integer"},
                        "numberReturned": {"type": "integer"},
                        "links": {"type": "array", "items": {"type": "object"}},
                    },
                },
            }
        },
    }
    return _json(document, content_type=OPENAPI)
