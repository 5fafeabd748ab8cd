"""`{% iiif_viewer d %}`: the IIIF viewer (Mirador, served from static/vendor) for a description
with images, opened at `?page=N` (1-based page, i.e. canvas N of the manifest)."""

from __future__ import annotations

from django import template
from django.contrib.staticfiles import finders
from django.urls import reverse

from qoima.access.iiif.presentation import image_service, manifest_uri
from qoima.access.iiif.sources import images_of

register = template.Library()
BUNDLE = "vendor/mirador/mirador.min.js"


@register.inclusion_tag("qoima/_iiif_viewer.html", takes_context=True)
def iiif_viewer(context, d) -> dict:
    request = context.get("request")
    images = images_of(d) if d is not None and request is not None else []
    if not images:
        return {"show": False}
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    page = min(max(page, 1), len(images))
    manifest = manifest_uri(request, d.ref)
    return {
        "show": True,
        "manifest": manifest,
        "canvas": f"{manifest}/canvas/p{page}",
        "page": page,
        "pages": len(images),
        "download": f"{reverse('download', args=[d.ref])}?page={page}",
        "bundle": BUNDLE if finders.find(BUNDLE) else None,
        # Without the viewer bundle (setup not run) the page still shows the scan, as a still image.
        "still": f"{image_service(request, images[page - 1].id)}/full/!1200,1200/0/default.jpg",
    }
