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
    *[
        path(f"open311/v2/{route}.{fmt}", view, {"fmt": fmt}, name=name + suffix)
        for route, view, name in (
            ("discovery", open311.discovery, "open311_discovery"),
            ("services", open311.service_list, "open311_services"),
            ("services/<slug:code>", open311.service_definition, "open311_service"),
            ("requests", open311.requests_collection, "open311_requests"),
            ("requests/<int:pk>", open311.request_detail, "open311_request"),
        )
        for fmt, suffix in (("json", ""), ("xml", "_xml"))
    ],
]
