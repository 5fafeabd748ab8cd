"""URL map of the whole site; each part contributes its own patterns."""

from django.contrib import admin
from django.urls import include, path

from qoima.access.api import api
from qoima.access.oai import views as oai_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("qoima.search.urls")),
    path("iiif/", include("qoima.access.iiif.urls")),
    path("oai", oai_views.oai, name="oai"),
    path("", include("qoima.access.web.urls")),
]
