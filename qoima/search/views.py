"""The reading room's search page: hits with snippets in their own script and direction, facets,
hits inside recognized pages linking to the viewer at that page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from qoima.search.api import filters_from
from qoima.search.query import search

PAGE_SIZE = 20
FACET_KEYS = ("level", "repository", "language", "creator", "has_images")


class _Params:
    def __init__(self, get: QueryDict):
        for k in ("level", "repository", "date_from", "date_to", "language", "creator", "has_images"):
            setattr(self, k, get.get(k) or None)


def _toggle(get: QueryDict, key: str, value) -> str:
    """Query string with facet `key` set to `value`, or cleared when it already is."""
    q = get.copy()
    q.pop("page", None)
    if q.get(key) == str(value):
        q.pop(key)
    else:
        q[key] = str(value)
    return "?" + q.urlencode()


def search_page(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    error = ""
    try:
        filters = filters_from(_Params(request.GET))
    except ValueError as e:
        filters, error = {}, str(e)
    result = None
    facets = []
    if q:
        result = search(q, user=request.user, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                        filters=filters, facets=True)
        labels = {"level": _("Level"), "repository": _("Repository"), "language": _("Language"),
                  "creator": _("Creator"), "has_images": _("Images")}
        for key in FACET_KEYS:
            values = []
            for f in (result.facets or {}).get(key, []):
                label = f.get("label") or f["value"]
                if key == "has_images":
                    label = _("with images") if f["value"] else _("without images")
                values.append({"label": label, "count": f["count"], "href": _toggle(request.GET, key, f["value"]),
                               "active": request.GET.get(key) == str(f["value"])})
            if values:
                facets.append({"key": key, "label": labels[key], "values": values})
    pages = 0
    if result:
        pages = (result.total + PAGE_SIZE - 1) // PAGE_SIZE
    nav = request.GET.copy()
    nav.pop("page", None)
    return render(request, "search/search.html", {
        "q": q, "result": result, "facets": facets, "error": error,
        "date_facet": (result.facets or {}).get("date") if result else None,
        "date_from": request.GET.get("date_from", ""), "date_to": request.GET.get("date_to", ""),
        "page": page, "pages": pages, "base_query": nav.urlencode(),
        "hidden": [(k, v) for k, v in request.GET.items() if k in FACET_KEYS],
    })
