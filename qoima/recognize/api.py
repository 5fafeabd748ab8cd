"""API endpoints for recognised text (a ninja Router the access layer mounts under /api/v1):

  GET /descriptions/{ref}/text               pages with text, language, confidence, flags (+ words)
  GET /descriptions/{ref}/pages/{page}/alto  the page's ALTO 4.4 XML

Access rules are the catalogue's (accounts.policy): closed and embargoed answer 404, records for
researchers 403 to others; reads of restricted material are audited.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from qoima.accounts import policy
from qoima.catalogue.models import Access, Description
from qoima.recognize.models import RecognizedPage

router = Router(tags=["recognized text"])


class WordOut(Schema):
    text: str
    box: list[int]
    conf: float


class LineOut(Schema):
    box: list[int]
    lang: str
    flags: list[str]
    words: list[WordOut]


class PageOut(Schema):
    page: int
    lang: str
    script: str
    dir: str
    confidence: float
    flags: list[str]
    source: str
    engine: str
    engine_version: str
    model: str
    width: int
    height: int
    text: str
    alto: str
    image: str = "original"
    lines: list[LineOut] | None = None


class TextOut(Schema):
    ref: str
    pages: list[PageOut]


def _description(request: HttpRequest, ref: str) -> Description:
    d = Description.objects.filter(ref=ref).first()
    if d is None:
        raise Http404(f"no description {ref}")
    user = getattr(request, "user", None)
    if not policy.can_view(user, d):
        if policy.state(d) == Access.RESEARCHERS:
            raise HttpError(403, "for registered researchers")
        raise Http404(f"no description {ref}")
    policy.audit(user, d, "api", request=request)
    return d


def page_json(p: RecognizedPage, alto_url: str, words: bool = False) -> dict:
    """One page as the API returns it (also usable by the reading room)."""
    out = {"page": p.page, "lang": p.lang, "script": p.script, "dir": p.dir, "confidence": p.confidence,
           "flags": p.flags, "source": p.source, "engine": p.engine, "engine_version": p.engine_version,
           "model": p.model, "width": p.width, "height": p.height, "text": p.text, "alto": alto_url,
           "image": "enhanced" if p.show_enhanced else "original"}
    if words:
        out["lines"] = [{"box": ln["box"], "lang": ln.get("lang", ""), "flags": ln.get("flags", []),
                         "words": [{"text": w[0], "box": w[1:5], "conf": w[5]} for w in ln["words"]]}
                        for ln in p.lines]
    return out


@router.get("/descriptions/{ref}/text", response={200: TextOut}, url_name="description-text")
def description_text(request: HttpRequest, ref: str, words: bool = False):
    """Recognised text of an item, per page, with confidences (and word boxes with ?words=true)."""
    d = _description(request, ref)
    base = request.build_absolute_uri(f"/api/v1/descriptions/{d.ref}/pages/")
    pages = RecognizedPage.objects.filter(description=d).order_by("page")
    return {"ref": d.ref, "pages": [page_json(p, f"{base}{p.page}/alto", words) for p in pages]}


@router.get("/descriptions/{ref}/pages/{page}/alto", url_name="page-alto",
            response={200: None}, openapi_extra={"responses": {200: {"content": {"application/xml": {}}}}})
def page_alto(request: HttpRequest, ref: str, page: int):
    """The ALTO 4.4 XML of one page (word boxes, confidences, languages)."""
    d = _description(request, ref)
    p = RecognizedPage.objects.filter(description=d, page=page).first()
    if p is None or not p.alto:
        raise Http404(f"{ref}: page {page} has no recognised text")
    resp = HttpResponse(p.alto.encode("utf-8"), content_type="application/xml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{d.ref}-p{page}.alto.xml"'
    return resp
