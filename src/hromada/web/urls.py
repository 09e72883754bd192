from django.urls import path

from hromada.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:key>/", views.organisation_detail, name="organisation"),
]
