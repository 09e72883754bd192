from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hromada.api import api

urlpatterns = [
    path("", include("hromada.web.urls")),
    path("accounts/", include("hromada.accounts.urls")),
    # Each module owns its paths, including the standard interfaces it speaks
    # (/api/3/action/ for CKAN, /ogc/, /open311/v2/ …), so they come before the JSON API.
    path("", include("hromada.plans.urls")),
    path("", include("hromada.docflow.urls")),
    path("", include("hromada.services.urls")),
    path("", include("hromada.registries.urls")),
    path("", include("hromada.opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
# Uploaded files are never served by path: each module serves its files through a
# view that checks who may see them (e.g. evidence only once its report is published).
