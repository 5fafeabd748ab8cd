"""IIIF Presentation endpoints: /iiif/manifest/{ref} and /iiif/collection/{ref}.

A record the user may not see answers 404, exactly like a record that does not exist: reference
codes are guessable, so a 403 would confirm that a closed file exists.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from qoima.access import gate
from qoima.access.iiif import presentation
from qoima.accounts import policy
from qoima.catalogue.models import Description

JSONLD = f'application/ld+json;profile="{presentation.CONTEXT}"'


def _not_found(ref: str) -> HttpResponse:
    resp = HttpResponse(f"no record {ref!r}\n", status=404, content_type="text/plain; charset=utf-8")
    resp["Access-Control-Allow-Origin"] = "*"
    resp["Cache-Control"] = "no-store"
    return resp


def _json(doc: dict, restricted: bool) -> HttpResponse:
    resp = HttpResponse(json.dumps(doc, ensure_ascii=False), content_type=JSONLD)
    return gate.mark(resp, restricted, max_age=600)


def _visible(request: HttpRequest, ref: str) -> Description | None:
    d = Description.objects.select_related("repository").prefetch_related("texts", "dates").filter(ref=ref).first()
    if d is None or not policy.can_view(getattr(request, "user", None), d):
        return None
    return d


@require_GET
def manifest(request: HttpRequest, ref: str) -> HttpResponse:
    d = _visible(request, ref)
    if d is None:
        return _not_found(ref)
    doc = presentation.manifest(request, d)
    if doc is None:
        return _not_found(ref)
    return _json(doc, gate.check(request, d, "iiif-manifest"))


@require_GET
def collection(request: HttpRequest, ref: str) -> HttpResponse:
    d = _visible(request, ref)
    if d is None:
        return _not_found(ref)
    doc = presentation.collection(request, d)
    return _json(doc, gate.check(request, d, "iiif-collection"))
