from django.urls import path

from hromada.opendata import ckan, dcat, views

app_name = "opendata"
urlpatterns = [
    path("opendata/", views.catalogue, name="index"),
    path("opendata/overdue/", views.overdue, name="overdue"),
    path("opendata/<slug:key>/", views.dataset_detail, name="dataset"),
    path("opendata/<slug:key>/<str:filename>", views.download, name="download"),
    # CKAN clients use both prefixes; neither redirects.
    path("api/3/action/<str:name>", ckan.action, name="ckan_action"),
    path("api/action/<str:name>", ckan.action, name="ckan_action_unversioned"),
    path("catalog.ttl", dcat.catalogue_turtle, name="dcat_turtle"),
    path("catalog.jsonld", dcat.catalogue_jsonld, name="dcat_jsonld"),
]
