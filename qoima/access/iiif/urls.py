"""IIIF routes: /iiif/3/... (Image API) and /iiif/manifest|collection/... (Presentation API)."""

from django.urls import path, re_path

from qoima.access.iiif import image_views, presentation_views

_ID = r"(?P<image_id>[^/]+)"

urlpatterns = [
    re_path(rf"^3/{_ID}$", image_views.base_redirect, name="iiif-base"),
    re_path(rf"^3/{_ID}/info\.json$", image_views.info, name="iiif-info"),
    re_path(rf"^3/{_ID}/(?P<region>[^/]+)/(?P<size>[^/]+)/(?P<rotation>[^/]+)/(?P<quality_format>[^/]+)$",
            image_views.image, name="iiif-image"),
    re_path(rf"^3/{_ID}/(?P<rest>.+)$", image_views.malformed),
    re_path(rf"^alto/{_ID}\.xml$", image_views.alto, name="iiif-alto"),
    path("manifest/<path:ref>", presentation_views.manifest, name="iiif-manifest"),
    path("collection/<path:ref>", presentation_views.collection, name="iiif-collection"),
]
