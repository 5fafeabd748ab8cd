"""IIIF Image API 3.0 (level 2) endpoints: base URI redirect, info.json, image requests."""

from __future__ import annotations

import hashlib
import json
import os
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from qoima.access import gate
from qoima.access.iiif import params, render
from qoima.access.iiif.params import IIIFError
from qoima.access.iiif.sources import ImageFile, alto_of, resolve_image
from qoima.catalogue.models import Description

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
JSONLD = f'application/ld+json;profile="{CONTEXT}"'
EXTRA_FEATURES = ["mirroring", "rotationArbitrary", "sizeUpscaling", "canonicalLinkHeader",
                  "profileLinkHeader", "baseUriRedirect", "cors", "jsonldMediaType", "regionSquare"]


def service_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/iiif/3/")


def image_uri(request: HttpRequest, image_id: str) -> str:
    return service_base(request) + quote(image_id, safe="")


def _error(err: IIIFError, restricted: bool | None = None) -> HttpResponse:
    resp = HttpResponse(f"{err}\n", status=err.status, content_type="text/plain; charset=utf-8")
    if restricted is False:
        resp["Access-Control-Allow-Origin"] = "*"
    resp["Cache-Control"] = "no-store"
    return resp


def _load(request: HttpRequest, image_id: str, door: str, audit: bool) -> tuple[ImageFile, bool]:
    """The image and whether it is restricted; IIIFError 404/403 otherwise."""
    image = resolve_image(image_id)
    if image is None or not os.path.isfile(image.path):
        raise IIIFError(404, f"no image {image_id!r}")
    if image.description_id is None:
        return image, False
    d = Description.objects.filter(pk=image.description_id).only(
        "pk", "ref", "effective_access", "effective_until").first()
    if d is None:
        raise IIIFError(404, f"no image {image_id!r}")
    try:
        return image, gate.check(request, d, door, audit=audit)
    except gate.Denied:
        raise IIIFError(403, f"image {image_id!r} is not open to you") from None


def _etag(image: ImageFile, *parts: str) -> str:
    st = os.stat(image.path)
    h = hashlib.sha1(f"{image.path}|{st.st_mtime_ns}|{st.st_size}|{'|'.join(parts)}".encode()).hexdigest()
    return f'"{h[:32]}"'


def _not_modified(request: HttpRequest, etag: str) -> bool:
    inm = request.headers.get("If-None-Match", "")
    return bool(inm) and (inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")])


def info_document(request: HttpRequest, image: ImageFile) -> dict:
    w, h = (image.width, image.height) if image.width and image.height else render.dimensions(image.path)
    factors = render.scale_factors(image.path)
    sizes = []
    for f in reversed(factors[1:]):
        sizes.append({"width": -(-w // f), "height": -(-h // f)})
    return {
        "@context": CONTEXT,
        "id": image_uri(request, image.id),
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": w,
        "height": h,
        "sizes": sizes,
        "tiles": [{"width": render.TILE, "height": render.TILE, "scaleFactors": factors}],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFormats": ["webp", "tif", "gif"],
        "extraFeatures": EXTRA_FEATURES,
    }


@require_GET
def base_redirect(request: HttpRequest, image_id: str) -> HttpResponse:
    resp = HttpResponseRedirect(image_uri(request, image_id) + "/info.json")
    resp.status_code = 303
    resp["Access-Control-Allow-Origin"] = "*"
    return resp


@require_GET
def info(request: HttpRequest, image_id: str) -> HttpResponse:
    restricted = None
    try:
        image, restricted = _load(request, image_id, "iiif-info", audit=True)
        etag = _etag(image, "info", image_uri(request, image_id))
        if _not_modified(request, etag):
            resp = HttpResponse(status=304)
        else:
            doc = info_document(request, image)
            resp = HttpResponse(json.dumps(doc, ensure_ascii=False), content_type=JSONLD)
        resp["ETag"] = etag
        resp["Link"] = f'<{PROFILE_URI}>;rel="profile"'
        return gate.mark(resp, restricted, max_age=3600)
    except IIIFError as e:
        return _error(e, restricted)


@require_GET
def image(request: HttpRequest, image_id: str, region: str, size: str, rotation: str, quality_format: str) -> HttpResponse:
    restricted = None
    try:
        # Tiles of restricted images are not audited one by one: info.json and whole-image reads are.
        audit_this = region == "full"
        image, restricted = _load(request, image_id, "iiif-image", audit=audit_this)
        w, h = (image.width, image.height) if image.width and image.height else render.dimensions(image.path)
        req = params.parse(region, size, rotation, quality_format, w, h)
        canonical = image_uri(request, image_id) + "/" + _canonical(req, w, h)
        etag = _etag(image, req.canonical)
        if _not_modified(request, etag):
            resp = HttpResponse(status=304)
        else:
            resp = HttpResponse(render.render(image.path, req), content_type=params.FORMATS[req.format])
        resp["ETag"] = etag
        resp["Link"] = f'<{canonical}>;rel="canonical", <{PROFILE_URI}>;rel="profile"'
        return gate.mark(resp, restricted)
    except IIIFError as e:
        return _error(e, restricted)


def _canonical(req: params.Request, iw: int, ih: int) -> str:
    region = "full" if (req.x, req.y, req.w, req.h) == (0, 0, iw, ih) else f"{req.x},{req.y},{req.w},{req.h}"
    size = "max" if (req.width, req.height) == (req.w, req.h) else f"{req.width},{req.height}"
    rot = ("!" if req.mirror else "") + params._fmt_number(req.rotation)
    return f"{region}/{size}/{rot}/{req.quality}.{req.format}"


@require_GET
def malformed(request: HttpRequest, image_id: str, rest: str) -> HttpResponse:
    """A path under a known or unknown id that is not an image request: 404 for unknown ids, else 400."""
    if resolve_image(image_id) is None:
        return _error(IIIFError(404, f"no image {image_id!r}"))
    return _error(IIIFError(400, f"not an image request: {rest!r}; expected region/size/rotation/quality.format"))


@require_GET
def alto(request: HttpRequest, image_id: str) -> HttpResponse:
    """The OCR of one page (ALTO XML), behind the same rule as the page image (the manifests' seeAlso)."""
    restricted = None
    try:
        _image, restricted = _load(request, image_id, "alto", audit=True)
        data = alto_of(image_id)
        if data is None:
            raise IIIFError(404, f"no OCR for image {image_id!r}")
        resp = HttpResponse(data, content_type="application/xml; charset=utf-8")
        return gate.mark(resp, restricted, max_age=3600)
    except IIIFError as e:
        return _error(e, restricted)
