"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, browsable docs at /api/v1/docs).

Each part adds its endpoints as a ninja Router with one line below, e.g.
`api.add_router("/search", "qoima.search.api.router")`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import NinjaAPI

api = NinjaAPI(
    title="Qoima API",
    version="1",
    urls_namespace="api-1",
    description="Archival descriptions (ISAD(G)), authority records (ISAAR(CPF)) and repositories, "
                "every text value with its BCP 47 language, ISO 15924 script and translation provenance. "
                "Access rules apply: closed and embargoed records are not listed and answer 404; records "
                "for registered researchers answer 403 unless the session belongs to one.",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


# --- parts register their routers below -------------------------------------------------------
# recognized text first: the catalogue's /descriptions/{path:ref} would otherwise swallow …/text
api.add_router("/", "qoima.recognize.api.router")
api.add_router("/", "qoima.access.api_catalogue.router")
api.add_router("/search", "qoima.search.api.router")
