from django.urls import path

from hromada.services import open311, views

app_name = "services"
urlpatterns = [
    path("services/", views.index, name="index"),
    path("services/situations/<slug:key>/", views.situation, name="situation"),
    path(
        "services/catalogue/download/<str:fmt>/",
        views.catalogue_download,
        name="catalogue_download",
    ),
    path("services/card/<slug:code>/", views.card, name="card"),
    path("services/card/<slug:code>/apply/", views.apply, name="apply"),
    path("services/my/", views.my_applications, name="my_applications"),
    path("services/my/<int:pk>/", views.my_application, name="my_application"),
    path("services/my/<int:pk>/receipt.pdf", views.receipt, name="receipt"),
    path("services/files/<int:pk>/", views.file_download, name="file"),
    path("services/staff/", views.staff_queue, name="staff_queue"),
    path("services/staff/<int:pk>/", views.staff_application, name="staff_application"),
    path("services/statistics/", views.statistics_page, name="statistics"),
    path("services/issues/", views.issues, name="issues"),
    path("services/issues/new/", views.issue_new, name="issue_new"),
    path("services/issues/<int:pk>/", views.issue, name="issue"),
    path("services/issues/<int:pk>/photo.jpg", views.issue_photo, name="issue_photo"),
    # Open311 GeoReport v2: each resource in JSON and, under an ``_xml`` name, in XML.
    path("open311/v2/discovery.json", open311.discovery, name="open311_discovery"),
    path(
        "open311/v2/discovery.xml",
        open311.discovery,
        {"fmt": "xml"},
        name="open311_discovery_xml",
    ),
    path("open311/v2/services.json", open311.service_list, name="open311_services"),
    path(
        "open311/v2/services.xml",
        open311.service_list,
        {"fmt": "xml"},
        name="open311_services_xml",
    ),
    path(
        "open311/v2/services/<slug:code>.json",
        open311.service_definition,
        name="open311_service",
    ),
    path(
        "open311/v2/services/<slug:code>.xml",
        open311.service_definition,
        {"fmt": "xml"},
        name="open311_service_xml",
    ),
    path("open311/v2/requests.json", open311.requests_collection, name="open311_requests"),
    path(
        "open311/v2/requests.xml",
        open311.requests_collection,
        {"fmt": "xml"},
        name="open311_requests_xml",
    ),
    path("open311/v2/requests/<int:pk>.json", open311.request_detail, name="open311_request"),
    path(
        "open311/v2/requests/<int:pk>.xml",
        open311.request_detail,
        {"fmt": "xml"},
        name="open311_request_xml",
    ),
]
