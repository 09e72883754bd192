"""The modules presented on the home page, in the order of the action plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    title: str
    summary: str
    plan_item: str
    url_name: str

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


MODULES = [
    Module(
        "plans",
        _("Open Government action plan"),
        _("Commitments, measures, responsible bodies, progress reports and live indicators."),
        _("Decision No. 784"),
        "plans:index",
    ),
    Module(
        "docflow",
        _("Paperless document workflow"),
        _("One system for all documents of the executive bodies, with e-signatures."),
        "1.1",
        "docflow:index",
    ),
    Module(
        "services",
        _("Resident's cabinet"),
        _("Every municipal service online: apply, pay, follow, receive the result."),
        "1.2",
        "services:index",
    ),
    Module(
        "registries",
        _("Geoportal and open data"),
        _("Communal property, housing, roads, development budget and heritage on the map."),
        "1.3",
        "registries:index",
    ),
    Module(
        "opendata",
        _("Open data catalogue"),
        _("Every public list as open data: CSV, XLSX, JSON, GeoJSON, CKAN and DCAT."),
        "1.3",
        "opendata:index",
    ),
    Module(
        "participation",
        _("E-democracy"),
        _("Petitions, appeals, public-information requests, consultations, public budget."),
        _("Plan"),
        "participation:index",
    ),
    Module(
        "green",
        _("Green city"),
        _("Green City Action Plan indicators and the waste-education tour centre."),
        "2.1–2.2",
        "green:index",
    ),
    Module(
        "skills",
        _("Digital skills"),
        _("Digital-literacy courses, access points and smart village libraries."),
        "3.1–3.2",
        "skills:index",
    ),
]
