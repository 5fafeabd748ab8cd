"""Tree operations over the materialized path: create, move, read a subtree, breadcrumb, access rules.

`path` is the concatenation of fixed-width base-36 primary keys from the root down, one segment per
level and one trailing '/'. A subtree is the index range [path, path + '~'), a breadcrumb is a
primary-key lookup of the segments, and a move rewrites the moved rows only, in one UPDATE.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from qoima.catalogue import languages
from qoima.catalogue.models import PATH_SEGMENT, Access, Description, Repository

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_SEG = PATH_SEGMENT + 1  # segment + '/'
_END = "~"  # sorts after every path character
_REF_UNSAFE = re.compile(r"[\s/?#%\\]+")


class HierarchyError(ValueError):
    pass


def _segment(pk: int) -> str:
    digits = ""
    while pk:
        pk, r = divmod(pk, 36)
        digits = _ALPHABET[r] + digits
    return digits.rjust(PATH_SEGMENT, "0") + "/"


def _pk(segment: str) -> int:
    return int(segment.rstrip("/"), 36)


def sort_key(identifier: str) -> str:
    """Natural order among siblings: 'F2' before 'F10'."""
    return re.sub(r"\d+", lambda m: m.group(0).rjust(12, "0"), identifier.casefold())[:300]


def ref_segment(identifier: str) -> str:
    """An identifier as it appears inside a reference code (no spaces or URL-breaking characters)."""
    return _REF_UNSAFE.sub("_", languages.nfc(identifier).strip()).strip("_")


def build_ref(repository: Repository | None, parent: Description | None, identifier: str, pk: int | None = None) -> str:
    """Repository code (with country) + identifiers down the tree, e.g. KZ-APRK-F1-S2-12."""
    seg = ref_segment(identifier) or (f"n{pk}" if pk else "")
    if parent is not None:
        return f"{parent.ref}-{seg}" if seg else parent.ref
    if repository is not None:
        return f"{repository.ref_prefix}-{seg}" if seg else repository.ref_prefix
    return seg


@transaction.atomic
def create(
    *,
    identifier: str = "",
    level: str = "item",
    parent: Description | None = None,
    repository: Repository | None = None,
    title: str = "",
    lang: str = "en",
    ref: str | None = None,
    **fields,
) -> Description:
    """Insert a description under `parent` (or as a root of `repository`) with its original title."""
    if parent is not None:
        repository = repository or parent.repository
    identifier = languages.nfc(identifier).strip()
    wanted = ref or build_ref(repository, parent, identifier)
    if wanted and Description.objects.filter(ref=wanted).exists():
        raise HierarchyError(f"reference code {wanted!r} is already taken")
    d = Description.objects.create(
        parent=parent, repository=repository, identifier=identifier, level=(level or "item").strip().lower(),
        ref=wanted or f"tmp-{uuid.uuid4().hex}", sort_key=sort_key(identifier),
        depth=(parent.depth + 1) if parent else 0, **fields,
    )
    d.path = (parent.path if parent else "") + _segment(d.pk)
    if not wanted:
        d.ref = build_ref(repository, parent, identifier, d.pk)
    if parent is not None:
        d.effective_access, d.effective_until, d.effective_reason = (
            parent.effective_access, parent.effective_until, parent.effective_reason)
    if d.access_status:
        d.effective_access, d.effective_until, d.effective_reason = d.access_status, d.access_until, d.access_reason
    d.save(update_fields=["path", "ref", "effective_access", "effective_until", "effective_reason"])
    if title:
        d.set_text("title", title, lang)
    return d


def subtree(d: Description, include_self: bool = True) -> QuerySet[Description]:
    """Every description under `d`, in tree order, by an index range on path."""
    qs = Description.objects.filter(path__gte=d.path, path__lt=d.path + _END)
    return qs if include_self else qs.exclude(pk=d.pk)


def ancestors(d: Description) -> list[Description]:
    """Root first, `d` excluded: the breadcrumb, read by primary key from the path."""
    pks = [_pk(d.path[i:i + _SEG]) for i in range(0, len(d.path) - _SEG, _SEG)]
    by_pk = Description.objects.in_bulk(pks)
    return [by_pk[p] for p in pks if p in by_pk]


def children(d: Description | None, repository: Repository | None = None) -> QuerySet[Description]:
    """Children in natural identifier order; with `d` None, the roots (of one repository)."""
    if d is None:
        qs = Description.objects.filter(parent__isnull=True)
        if repository is not None:
            qs = qs.filter(repository=repository)
        return qs.order_by("sort_key", "pk")
    return Description.objects.filter(parent=d).order_by("sort_key", "pk")


@transaction.atomic
def move(d: Description, new_parent: Description | None, repository: Repository | None = None) -> Description:
    """Re-hang `d` and its subtree; paths, depths and reference codes of the subtree only are rewritten."""
    d = Description.objects.select_for_update().get(pk=d.pk)
    if new_parent is not None:
        new_parent = Description.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(d.path):
            raise HierarchyError(f"cannot move {d.ref} under itself ({new_parent.ref})")
        repository = new_parent.repository
    else:
        repository = repository or d.repository
    old_path, old_ref = d.path, d.ref
    new_path = (new_parent.path if new_parent else "") + _segment(d.pk)
    new_ref = build_ref(repository, new_parent, d.identifier, d.pk)
    if new_ref != old_ref and Description.objects.filter(ref=new_ref).exists():
        raise HierarchyError(f"reference code {new_ref!r} is already taken")
    depth_delta = ((new_parent.depth + 1) if new_parent else 0) - d.depth
    rows = subtree(d)
    rows.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        ref=Concat(Value(new_ref), Substr("ref", len(old_ref) + 1)),
        depth=F("depth") + depth_delta,
        repository=repository,
    )
    Description.objects.filter(pk=d.pk).update(parent=new_parent)
    d.refresh_from_db()
    _propagate_access(d)
    return d


def _propagate_access(d: Description) -> None:
    """Recompute the rule in force under `d` (nearest rule up the tree wins)."""
    if d.access_status:
        eff = (d.access_status, d.access_until, d.access_reason)
    elif d.parent_id:
        p = Description.objects.only("effective_access", "effective_until", "effective_reason").get(pk=d.parent_id)
        eff = (p.effective_access, p.effective_until, p.effective_reason)
    else:
        eff = (Access.OPEN, None, "")
    inheriting = subtree(d).filter(access_status=Access.INHERIT) | Description.objects.filter(pk=d.pk)
    # `modified` moves too: harvesters asking "what changed since" must learn of the new rule.
    now = timezone.now()
    inheriting.update(effective_access=eff[0], effective_until=eff[1], effective_reason=eff[2], modified=now)
    # Descendants with a rule of their own keep it, and so do theirs: re-apply each, shallowest first.
    for own in subtree(d, include_self=False).exclude(access_status=Access.INHERIT).order_by(Length("path")):
        subtree(own).filter(Q(access_status=Access.INHERIT) | Q(pk=own.pk)).update(
            effective_access=own.access_status, effective_until=own.access_until,
            effective_reason=own.access_reason, modified=now)


@transaction.atomic
def set_access(d: Description, status: str, until: date | None = None, reason: str = "") -> Description:
    """Set the rule on `d` ('' to inherit) and push the rule in force down its subtree."""
    if status not in Access.values:
        raise HierarchyError(f"unknown access status {status!r}; use one of: {', '.join(v for v in Access.values if v)}")
    if status == Access.EMBARGO and until is None:
        raise HierarchyError("an embargo needs an end date (--until YYYY-MM-DD)")
    Description.objects.filter(pk=d.pk).update(
        access_status=status, access_until=until if status == Access.EMBARGO else None, access_reason=reason)
    d.refresh_from_db()
    _propagate_access(d)
    d.refresh_from_db()
    return d


def refresh_dates(d: Description) -> None:
    """Keep the description's overall ISO range (for filtering) in step with its dates."""
    starts = [x.start for x in d.dates.all() if x.start]
    ends = [x.end for x in d.dates.all() if x.end]
    Description.objects.filter(pk=d.pk).update(date_start=min(starts) if starts else None,
                                               date_end=max(ends) if ends else None)
