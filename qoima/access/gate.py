"""The reading room's and the API's one door to a single description.

Rule (the same for pages and the API):
- a description the visitor may not see because it is closed or under embargo answers 404, exactly
  as if it did not exist, so its existence is not disclosed;
- a description for registered researchers answers 403 with a login prompt (its existence and title
  are public knowledge in the catalogue of most archives; only its contents are reserved);
- lists and children only ever contain what `policy.visible_q` lets through;
- a read of restricted material that is allowed is written to the audit log.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse

from qoima.accounts import policy
from qoima.catalogue.models import Access, Description, DescriptionText


class NotFound(Exception):
    """No such description, or one the visitor may not know exists."""


class LoginRequired(Exception):
    """The description exists and is reserved for registered researchers."""

    def __init__(self, description: Description):
        super().__init__(description.ref)
        self.description = description


def description_for(user, ref: str, door: str, request=None, queryset: QuerySet | None = None) -> Description:
    """The description `ref` if `user` may read it (audited when restricted); raises otherwise."""
    qs = queryset if queryset is not None else Description.objects.all()
    d = qs.filter(ref=ref).first()
    if d is None:
        raise NotFound(ref)
    if not policy.can_view(user, d):
        if policy.state(d) == Access.RESEARCHERS:
            raise LoginRequired(d)
        raise NotFound(ref)
    policy.audit(user, d, door, request=request)
    return d


def visible_children(user, d: Description | None, repository=None) -> QuerySet[Description]:
    """Children (or roots) the visitor may see, in natural order, with their titles prefetched and
    whether they have visible children of their own."""
    from qoima.catalogue import hierarchy

    qs = hierarchy.children(d, repository=repository).filter(policy.visible_q(user))
    return with_list_data(user, qs)


def with_list_data(user, qs: QuerySet[Description]) -> QuerySet[Description]:
    """Prefetch what a list row shows: titles in every language, dates, repository, and whether
    the row has children the visitor may see."""
    below = Description.objects.filter(parent=OuterRef("pk")).filter(policy.visible_q(user))
    return qs.select_related("repository").prefetch_related(
        Prefetch("texts", queryset=DescriptionText.objects.filter(element="title"), to_attr="title_values"),
        "dates",
    ).annotate(has_children=Exists(below))


# --- doors that serve files and documents (IIIF images, info.json, manifests, downloads) -------
# Open material may be cached publicly and fetched from any origin (viewers on partners' sites);
# restricted material is private, never stored by shared caches, and each read is audited.

OPEN_MAX_AGE = 86400


class Denied(Exception):
    """The user may not see this description (HTTP 403 at doors that name their objects by opaque ids,
    404 where a reference code would confirm the record exists)."""


def check(request: HttpRequest, d: Description, door: str, audit: bool = True) -> bool:
    """True when `d` is restricted (the caller must not cache it publicly); raise Denied if not visible."""
    user = getattr(request, "user", None)
    if not policy.can_view(user, d):
        raise Denied(d.ref)
    restricted = policy.is_restricted(d)
    if restricted and audit:
        policy.audit(user, d, door, request=request)
    return restricted


def mark(response: HttpResponse, restricted: bool, max_age: int = OPEN_MAX_AGE) -> HttpResponse:
    """Caching and CORS headers for open or restricted content."""
    if restricted:
        response["Cache-Control"] = "private, no-store"
        response["Vary"] = "Cookie"
    else:
        response["Cache-Control"] = f"public, max-age={max_age}"
        response["Access-Control-Allow-Origin"] = "*"
    return response
