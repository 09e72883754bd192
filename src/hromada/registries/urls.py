from django.urls import path

from hromada.registries import ogc, views

app_name = "registries"
urlpatterns = [
    path("geoportal/", views.geoportal, name="index"),
    path("geoportal/table/", views.table, name="table"),
    path("registries/", views.registry_list, name="list"),
    path("registries/<slug:key>/", views.registry_detail, name="registry"),
    path("registries/<slug:key>/import/", views.registry_import, name="import"),
    path("registries/<slug:key>/<int:pk>/", views.record_detail, name="record"),
    path("ogc/", ogc.landing, name="ogc_landing"),
    path("ogc/api", ogc.openapi, name="ogc_api"),
    path("ogc/conformance", ogc.conformance, name="ogc_conformance"),
    path("ogc/collections", ogc.collections, name="ogc_collections"),
    path("ogc/collections/<slug:key>", ogc.collection, name="ogc_collection"),
    path("ogc/collections/<slug:key>/items", ogc.items, name="ogc_items"),
    path("ogc/collections/<slug:key>/items/<str:feature_id>", ogc.item, name="ogc_item"),
]
