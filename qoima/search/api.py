"""GET /api/v1/search?q=…: ranked, access-filtered hits with snippets, and facets.

Mounted by the access layer (`api.add_router("/search", "qoima.search.api.router")`). The session
of a logged-in user is honoured: researchers and archivists find what they may read.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from qoima.search.query import search

router = Router(tags=["search"])


class WordBox(Schema):
    text: str
    box: list[int] = Field(description="x, y, width, height in pixels of the page image")


class HitOut(Schema):
    ref: str = Field(description="reference code (descriptions) or identifier (authority records)")
    title: str = Field(description="title or authorized name as originally written")
    score: float
    snippet: str = Field(description="HTML-escaped passage in its original script, matches in <mark>")
    page: int | None = Field(None, description="page of a recognized-text hit (open the viewer there)")
    kind: str = Field(description="description, page or authority")
    url: str = Field(description="reading-room page (with ?page=N for page hits)")
    lang: str = Field(description="BCP 47 language of the snippet")
    dir: str = Field(description="direction of the snippet: ltr or rtl")
    title_dir: str = Field(description="direction of the title")
    pages: list[int] = Field(default_factory=list, description="all matching pages of the record")
    words: list[WordBox] = Field(default_factory=list,
                                 description="page hits: the matching words and their boxes on the page image")
    level: str = ""


class FacetValue(Schema):
    value: str | int | bool
    label: str = ""
    count: int


class DateFacet(Schema):
    min: int | None = None
    max: int | None = None


class Facets(Schema):
    level: list[FacetValue]
    repository: list[FacetValue]
    date: DateFacet
    language: list[FacetValue]
    creator: list[FacetValue]
    has_images: list[FacetValue]


class SearchOut(Schema):
    total: int = Field(description="records found (a lower bound when total_capped)")
    total_capped: bool = Field(description="more matches exist than were counted")
    hits: list[HitOut]
    facets: Facets = Field(description="counts over the matches found, for narrowing the search")


class SearchParams(Schema):
    q: str = Field(description="words in any language or script (kk Cyrillic/Latin/töte, ru, ar, fa, en)")
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)
    level: str | None = Field(None, description="comma-separated levels, e.g. fonds,item")
    repository: str | None = Field(None, description="comma-separated repository codes")
    date_from: str | None = Field(None, description="YYYY or YYYY-MM-DD")
    date_to: str | None = Field(None, description="YYYY or YYYY-MM-DD")
    language: str | None = Field(None, description="comma-separated language tags of the text")
    creator: str | None = Field(None, description="comma-separated authority ids")
    has_images: bool | None = None


def filters_from(p) -> dict:
    """Facet selections from query parameters; bad dates are the caller's error."""
    f = {k: getattr(p, k) for k in ("level", "repository", "date_from", "date_to", "language", "creator",
                                      "has_images") if getattr(p, k) not in (None, "")}
    for k in ("date_from", "date_to"):
        if k in f:
            v = str(f[k])
            try:
                date(int(v), 1, 1) if len(v) == 4 else date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"{k}: {v!r} is not a year or an ISO date (YYYY-MM-DD)") from None
    if "creator" in f and not all(c.strip().isdigit() for c in str(f["creator"]).split(",")):
        raise ValueError("creator: give authority ids, comma-separated")
    return f


@router.get("", response={200: SearchOut}, summary="Search descriptions, names and recognized text")
def search_endpoint(request: HttpRequest, params: Query[SearchParams]):
    try:
        filters = filters_from(params)
    except ValueError as e:
        raise HttpError(400, str(e)) from None
    result = search(params.q, user=getattr(request, "user", None), limit=params.limit, offset=params.offset,
                    filters=filters, facets=True)
    return result.as_dict()
