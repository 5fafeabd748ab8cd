"""IIIF Presentation API 3.0 documents: a Manifest per described item with images, a Collection per
fonds/series (any description with children).

Every text is a language map keyed by the value's BCP 47 tag, so a Kazakh title in three scripts and
its Russian, Arabic and English translations all travel to the partner's viewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest

from qoima.access.iiif.sources import ImageFile, images_of
from qoima.accounts import policy
from qoima.catalogue.models import ISAD_ELEMENTS, Description

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
DEFAULT_RIGHTS = "http://rightsstatements.org/vocab/CNE/1.0/"
RIGHTS_PREFIXES = ("http://creativecommons.org/", "https://creativecommons.org/",
                   "http://rightsstatements.org/", "https://rightsstatements.org/")
ALTO_PROFILE = "http://www.loc.gov/standards/alto/v4/alto.xsd"
THUMB = 200
_LABELS = {k: label for k, _, label in ISAD_ELEMENTS}
# Metadata pairs shown in viewers, in ISAD(G) order.
METADATA_TEXTS = ["extent_and_medium", "scope_and_content", "admin_bio_history", "access_conditions",
                  "reproduction_conditions", "language_note", "physical_location"]


def manifest_uri(request: HttpRequest, ref: str) -> str:
    return request.build_absolute_uri("/iiif/manifest/" + quote(ref))


def collection_uri(request: HttpRequest, ref: str) -> str:
    return request.build_absolute_uri("/iiif/collection/" + quote(ref))


def image_service(request: HttpRequest, image_id: str) -> str:
    return request.build_absolute_uri("/iiif/3/" + quote(image_id, safe=""))


def lang_map(values: Iterable, fallback: str = "") -> dict[str, list[str]]:
    """A language map from localized value rows (original first)."""
    out: dict[str, list[str]] = {}
    for v in sorted(values, key=lambda v: (not v.is_original, v.position)):
        out.setdefault(v.lang or "none", []).append(v.value)
    if not out and fallback:
        out["none"] = [fallback]
    return out


def en(label: str) -> dict[str, list[str]]:
    return {"en": [label]}


def _dates(d: Description) -> str:
    exprs = [x.expression or "/".join(str(p) for p in (x.start, x.end) if p) for x in d.dates.all()]
    return "; ".join(e for e in exprs if e)


def metadata(d: Description) -> list[dict]:
    md = [{"label": en("Reference code"), "value": {"none": [d.ref]}},
          {"label": en("Level of description"), "value": {"en": [d.level]}}]
    if dates := _dates(d):
        md.append({"label": en("Date(s)"), "value": {"none": [dates]}})
    creators = [a.authority for a in d.agents.select_related("authority").filter(role="creator")]
    if creators:
        names: dict[str, list[str]] = {}
        for a in creators:
            for n in a.names.filter(form="authorized"):
                names.setdefault(n.lang or "none", []).append(n.value)
            if not any(a.names.filter(form="authorized")):
                names.setdefault("none", []).append(a.name)
        md.append({"label": en("Name of creator(s)"), "value": names})
    for element in METADATA_TEXTS:
        vals = d.text_values(element)
        if vals:
            md.append({"label": en(_LABELS.get(element, element.replace("_", " ").capitalize())),
                       "value": lang_map(vals)})
    if d.languages:
        md.append({"label": en("Language of material"), "value": {"none": [", ".join(d.languages)]}})
    return md


def required_statement(d: Description) -> dict:
    repo = d.repository
    value = lang_map(repo.text_values("authorized_name"), fallback=repo.name) if repo else {"none": [settings_name()]}
    return {"label": en("Held by"), "value": value}


def settings_name() -> str:
    return getattr(settings, "QOIMA_ARCHIVE_NAME", "Qoima")


def rights(d: Description) -> str:
    for v in d.text_values("reproduction_conditions"):
        token = v.value.strip().split()[0] if v.value.strip() else ""
        if token.startswith(RIGHTS_PREFIXES):
            return token
    return getattr(settings, "QOIMA_IIIF_RIGHTS", DEFAULT_RIGHTS)


def _service(request: HttpRequest, image: ImageFile) -> list[dict]:
    return [{"id": image_service(request, image.id), "type": "ImageService3", "profile": "level2"}]


def _size(image: ImageFile) -> tuple[int, int]:
    if image.width and image.height:
        return image.width, image.height
    from qoima.access.iiif import render
    from qoima.access.iiif.sources import resolve_image

    path = image.path or (resolve_image(image.id) or image).path
    return render.dimensions(path)


def thumbnail(request: HttpRequest, image: ImageFile) -> dict:
    w, h = _size(image)
    f = min(1.0, THUMB / max(w, h))
    tw, th = max(1, round(w * f)), max(1, round(h * f))
    return {"id": f"{image_service(request, image.id)}/full/{tw},{th}/0/default.jpg", "type": "Image",
            "format": "image/jpeg", "width": tw, "height": th, "service": _service(request, image)}


def canvas(request: HttpRequest, base: str, n: int, image: ImageFile) -> dict:
    w, h = _size(image)
    cid = f"{base}/canvas/p{n}"
    c = {
        "id": cid,
        "type": "Canvas",
        "label": {"none": [image.label or str(n)]},
        "width": w,
        "height": h,
        "items": [{
            "id": f"{base}/page/p{n}/1",
            "type": "AnnotationPage",
            "items": [{
                "id": f"{base}/annotation/p{n}-image",
                "type": "Annotation",
                "motivation": "painting",
                "target": cid,
                "body": {
                    "id": f"{image_service(request, image.id)}/full/max/0/default.jpg",
                    "type": "Image",
                    "format": "image/jpeg",
                    "width": w,
                    "height": h,
                    "service": _service(request, image),
                },
            }],
        }],
        "thumbnail": [thumbnail(request, image)],
    }
    if image.alto_url:
        c["seeAlso"] = [{"id": request.build_absolute_uri(image.alto_url), "type": "Dataset",
                         "format": "application/xml", "profile": ALTO_PROFILE,
                         "label": en(f"OCR text of page {n} (ALTO)")}]
    return c


def _part_of(request: HttpRequest, d: Description) -> list[dict]:
    if d.parent_id is None:
        return []
    parent = Description.objects.prefetch_related("texts").filter(pk=d.parent_id).first()
    if parent is None or not policy.can_view(getattr(request, "user", None), parent):
        return []
    return [{"id": collection_uri(request, parent.ref), "type": "Collection",
             "label": lang_map(parent.text_values("title"), fallback=parent.ref)}]


def _homepage(request: HttpRequest, d: Description) -> list[dict]:
    return [{"id": request.build_absolute_uri(d.get_absolute_url()), "type": "Text",
             "label": lang_map(d.text_values("title"), fallback=d.ref), "format": "text/html"}]


def manifest(request: HttpRequest, d: Description, images: list[ImageFile] | None = None) -> dict | None:
    """The Manifest of `d`, or None when it has no images (a Manifest needs at least one Canvas)."""
    images = images_of(d) if images is None else images
    if not images:
        return None
    base = manifest_uri(request, d.ref)
    doc = {
        "@context": CONTEXT,
        "id": base,
        "type": "Manifest",
        "label": lang_map(d.text_values("title"), fallback=d.ref),
        "metadata": metadata(d),
        "requiredStatement": required_statement(d),
        "rights": rights(d),
        "thumbnail": [thumbnail(request, images[0])],
        "viewingDirection": "left-to-right",
        "behavior": ["paged"] if len(images) > 1 else ["individuals"],
        "homepage": _homepage(request, d),
        "items": [canvas(request, base, n, img) for n, img in enumerate(images, 1)],
    }
    if summary := lang_map(d.text_values("scope_and_content")):
        doc["summary"] = summary
    if rtl_only(d):
        doc["viewingDirection"] = "right-to-left"
    if part_of := _part_of(request, d):
        doc["partOf"] = part_of
    return doc


def rtl_only(d: Description) -> bool:
    """Bound right-to-left when every script of the material is written right-to-left (töte, Arabic, Persian)."""
    from qoima.catalogue.languages import is_rtl

    return bool(d.scripts) and all(is_rtl(s) for s in d.scripts)


def collection(request: HttpRequest, d: Description) -> dict:
    """A Collection of the visible children of `d`: sub-collections and manifests."""
    user = getattr(request, "user", None)
    kids = (Description.objects.filter(parent=d).filter(policy.visible_q(user))
            .order_by("sort_key", "pk").prefetch_related("texts"))
    parents_with_children = set(
        Description.objects.filter(parent__parent=d).values_list("parent_id", flat=True).distinct())
    items = []
    for child in kids:
        label = lang_map(child.text_values("title"), fallback=child.ref)
        if child.pk in parents_with_children:
            items.append({"id": collection_uri(request, child.ref), "type": "Collection", "label": label})
        elif child.has_digital_objects or images_of(child):
            items.append({"id": manifest_uri(request, child.ref), "type": "Manifest", "label": label})
    doc = {
        "@context": CONTEXT,
        "id": collection_uri(request, d.ref),
        "type": "Collection",
        "label": lang_map(d.text_values("title"), fallback=d.ref),
        "metadata": metadata(d),
        "requiredStatement": required_statement(d),
        "homepage": _homepage(request, d),
        "items": items,
    }
    if summary := lang_map(d.text_values("scope_and_content")):
        doc["summary"] = summary
    if part_of := _part_of(request, d):
        doc["partOf"] = part_of
    return doc
