"""The one access rule every door asks: pages, search, IIIF, manifests, OAI-PMH, API, downloads.

Visibility is expressed as a Q filter on Description so it can be part of any query (search and
paging included), never a check applied after the fact.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from qoima.accounts.models import ROLE_RANK, AuditEntry, Role
from qoima.catalogue.models import Access, Description


def role_of(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.PUBLIC
    if user.is_superuser:
        return Role.ADMIN
    return getattr(user, "role", Role.PUBLIC) or Role.PUBLIC


def sees_everything(user) -> bool:
    return ROLE_RANK[role_of(user)] >= ROLE_RANK[Role.ARCHIVIST]


def visible_q(user, prefix: str = "", today: date | None = None) -> Q:
    """Filter for the descriptions `user` may see; `prefix` is the lookup path to a Description
    (e.g. 'description__' from a related model)."""
    if sees_everything(user):
        return Q()
    today = today or timezone.localdate()
    q = Q(**{f"{prefix}effective_access": Access.OPEN}) | Q(
        **{f"{prefix}effective_access": Access.EMBARGO, f"{prefix}effective_until__lt": today})
    if ROLE_RANK[role_of(user)] >= ROLE_RANK[Role.RESEARCHER]:
        q |= Q(**{f"{prefix}effective_access": Access.RESEARCHERS})
    return q


def visible(user, qs=None):
    """Descriptions `user` may see."""
    qs = Description.objects.all() if qs is None else qs
    return qs.filter(visible_q(user))


def state(d: Description, today: date | None = None) -> str:
    """The rule in force today: an embargo that has ended is open."""
    today = today or timezone.localdate()
    if d.effective_access == Access.EMBARGO and d.effective_until and d.effective_until < today:
        return Access.OPEN
    return d.effective_access or Access.OPEN


def can_view(user, d: Description) -> bool:
    s = state(d)
    if s == Access.OPEN or sees_everything(user):
        return True
    return s == Access.RESEARCHERS and ROLE_RANK[role_of(user)] >= ROLE_RANK[Role.RESEARCHER]


def is_restricted(d: Description) -> bool:
    return state(d) != Access.OPEN


def audit(user, d: Description, door: str, action: str = "read", request=None) -> None:
    """Record a read of restricted material; open material is not logged."""
    if not is_restricted(d):
        return
    authed = user is not None and getattr(user, "is_authenticated", False)
    AuditEntry.objects.create(
        user=user if authed else None, username=user.get_username() if authed else "",
        action=action, ref=d.ref, access=state(d), door=door,
        remote_addr=(request.META.get("REMOTE_ADDR") if request is not None else None),
    )
