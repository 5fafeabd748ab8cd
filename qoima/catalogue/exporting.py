"""What exporters share: loading a description with everything an export reads in a few queries, and
the visibility rule (an OAI-PMH or API caller passes its user; the CLI passes None and sees all)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from qoima.catalogue import hierarchy
from qoima.catalogue.models import AgentLink, AuthorityName, Description


class NotVisible(PermissionError):
    """The asker may not see this description."""


def prefetched(qs: QuerySet[Description]) -> QuerySet[Description]:
    return qs.select_related("repository").prefetch_related(
        "texts", "dates", "terms__labels", "repository__texts",
        Prefetch("agents", queryset=AgentLink.objects.select_related("authority").prefetch_related(
            Prefetch("authority__names", queryset=AuthorityName.objects.order_by("-is_original", "form", "lang")))),
    )


def visible(qs: QuerySet[Description], user) -> QuerySet[Description]:
    """`qs` limited to what `user` may see; None means an archivist's tool (everything)."""
    if user is None:
        return qs
    from qoima.accounts.policy import visible_q  # accounts sits beside catalogue at the bottom layer

    return qs.filter(visible_q(user))


def load(d: Description | str, user=None) -> Description:
    """A description by object or reference code, prefetched; NotVisible / DoesNotExist otherwise."""
    ref = d.ref if isinstance(d, Description) else d
    obj = prefetched(visible(Description.objects.filter(ref=ref), user)).first()
    if obj is None:
        if Description.objects.filter(ref=ref).exists():
            raise NotVisible(f"{ref}: not visible to this user")
        raise Description.DoesNotExist(f"no description with reference code {ref!r}")
    return obj


def children(d: Description, user=None) -> Iterator[Description]:
    """Visible children in natural order, prefetched, streamed in chunks."""
    yield from prefetched(visible(hierarchy.children(d), user)).iterator(chunk_size=200)
