"""The catalogue as DCAT-AP 3 (rdflib): /catalog.jsonld and /catalog.ttl, paged with Hydra
as ckanext-dcat does (``?page=N``)."""

from __future__ import annotations

from math import ceil

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from hromada.opendata import selectors
from hromada.opendata.downloads import distribution_url
from hromada.opendata.models import FREQUENCY_URIS, Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
FORMAT_CODES = {
    "CSV": "CSV",
    "XLSX": "XLSX",
    "JSON": "JSON",
    "GeoJSON": "GEOJSON",
    "datapackage": "JSON",
}
PAGE_SIZE = 100


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _dataset(graph: Graph, request: HttpRequest, dataset: Dataset, language: str) -> URIRef:
    node = URIRef(request.build_absolute_uri(dataset.get_absolute_url()))
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(dataset.key)))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang=language)))
    if dataset.title_en:
        graph.add((node, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    graph.add(
        (node, DCTERMS.description, Literal(dataset.description or dataset.title, lang=language))
    )
    graph.add(
        (node, DCTERMS.issued, Literal(dataset.created_at.isoformat(), datatype=XSD.dateTime))
    )
    modified = dataset.data_modified_at or dataset.metadata_modified_at
    graph.add((node, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    graph.add((node, DCAT.landingPage, node))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(FREQUENCY_URIS[dataset.update_frequency])))
    for tag in dataset.tags:
        graph.add((node, DCAT.keyword, Literal(tag, lang=language)))
    publisher = URIRef(request.build_absolute_uri(dataset.keeper.get_absolute_url()))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(dataset.keeper.name, lang="uk")))
    contact = BNode(f"contact-{dataset.key}")
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(dataset.keeper.name)))
    if dataset.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    licence_title, licence_url = selectors.licence_info(dataset.licence)
    licence = URIRef(licence_url) if licence_url else Literal(licence_title)
    for distribution in selectors.distributions_of(dataset):
        url = URIRef(distribution_url(request, dataset, distribution.code))
        graph.add((node, DCAT.distribution, url))
        graph.add((url, RDF.type, DCAT.Distribution))
        graph.add((url, DCTERMS.title, Literal(str(distribution.title), lang=language)))
        graph.add((url, DCAT.accessURL, url))
        graph.add((url, DCAT.downloadURL, url))
        graph.add(
            (
                url,
                DCAT.mediaType,
                URIRef(f"https://www.iana.org/assignments/media-types/{distribution.media_type}"),
            )
        )
        graph.add((url, DCTERMS.format, URIRef(FILE_TYPES + FORMAT_CODES[distribution.format])))
        graph.add((url, DCTERMS.license, licence))
    return node


def catalogue_graph(request: HttpRequest) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("hydra", HYDRA)
    language = "uk"
    catalogue = URIRef(request.build_absolute_uri(reverse("opendata:index")))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add(
        (
            catalogue,
            DCTERMS.title,
            Literal(f"Відкриті дані: {settings.HROMADA_NAME}", lang=language),
        )
    )
    graph.add((catalogue, DCTERMS.title, Literal("Open data of the community", lang="en")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Набори відкритих даних громади: реєстри, геодані, план дій та інші.", lang=language
            ),
        )
    )
    graph.add((catalogue, FOAF.homepage, URIRef(request.build_absolute_uri("/"))))
    graph.add(
        (
            catalogue,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/UKR"),
        )
    )
    publisher = URIRef(request.build_absolute_uri("/"))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.HROMADA_NAME, lang="uk")))
    datasets = list(selectors.datasets_public().order_by("key"))
    page = _page(request)
    pages = max(1, ceil(len(datasets) / PAGE_SIZE))
    for dataset in datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        graph.add((catalogue, DCAT.dataset, _dataset(graph, request, dataset, language)))
    if datasets:
        modified = max(item.metadata_modified_at for item in datasets)
        graph.add(
            (catalogue, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime))
        )
    base = request.build_absolute_uri(request.path)
    paging = URIRef(f"{base}?page={page}")
    graph.add((paging, RDF.type, HYDRA.PagedCollection))
    graph.add((paging, HYDRA.totalItems, Literal(len(datasets), datatype=XSD.integer)))
    graph.add((paging, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    graph.add((paging, HYDRA.firstPage, Literal(f"{base}?page=1")))
    graph.add((paging, HYDRA.lastPage, Literal(f"{base}?page={pages}")))
    if page < pages:
        graph.add((paging, HYDRA.nextPage, Literal(f"{base}?page={page + 1}")))
    if page > 1:
        graph.add((paging, HYDRA.previousPage, Literal(f"{base}?page={page - 1}")))
    return graph


@require_safe
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        catalogue_graph(request).serialize(format="turtle"),
        content_type="text/turtle; charset=utf-8",
    )


@require_safe
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    graph = catalogue_graph(request)
    context = {
        "dcat": str(DCAT),
        "dct": str(DCTERMS),
        "foaf": str(FOAF),
        "vcard": str(VCARD),
        "hydra": str(HYDRA),
    }
    return HttpResponse(
        graph.serialize(format="json-ld", context=context, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )
