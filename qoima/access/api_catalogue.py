"""Catalogue endpoints of the JSON API: descriptions, their children, authorities, repositories.

The access rule is the reading room's (`qoima.access.gate`): lists are filtered by
`policy.visible_q`; a closed or embargoed description answers 404, a researchers-only one 403 to
those without researcher rights. The session cookie of a logged-in user is honoured.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from qoima.access import gate
from qoima.access.api_schemas import (
    AgentOut,
    AuthorityDetail,
    AuthoritySummary,
    DateOut,
    DescriptionDetail,
    DescriptionSummary,
    Error,
    Label,
    Links,
    NameOut,
    Page,
    RelationOut,
    RepositoryDetail,
    RepositorySummary,
    TermOut,
    Value,
)
from qoima.accounts import policy
from qoima.catalogue import hierarchy
from qoima.catalogue.models import (
    AgentLink,
    Authority,
    Description,
    DescriptionText,
    LocalizedValue,
    Repository,
    Term,
)

router = Router(tags=["catalogue"])
API = "/api/v1"
MAX_PAGE_SIZE = 100


class Paging(Schema):
    page: int = 1
    page_size: int = 25


def _value(v: LocalizedValue) -> Value:
    return Value(value=v.value, lang=v.lang, script=v.script, dir=v.dir, position=v.position,
                 original=v.is_original, method=v.method, translator=v.translator, translated_at=v.translated_at)


def _elements(obj, skip: frozenset[str] = frozenset()) -> dict[str, list[Value]]:
    out: dict[str, list[Value]] = {}
    rows = getattr(obj, "_prefetched_objects_cache", {}).get("texts")
    for v in sorted(rows if rows is not None else obj.texts.all(),
                    key=lambda v: (v.element, v.position, not v.is_original, v.lang)):
        if v.element not in skip:
            out.setdefault(v.element, []).append(_value(v))
    return out


def _record_url(ref: str) -> str:
    return reverse("record", args=[ref])


def _api_url(ref: str, suffix: str = "") -> str:
    return reverse("api-1:description", kwargs={"ref": ref}) + suffix


def _paged(request: HttpRequest, qs: QuerySet, paging: Paging, convert) -> dict:
    if paging.page < 1 or not 1 <= paging.page_size <= MAX_PAGE_SIZE:
        raise HttpError(422, f"page must be ≥ 1 and page_size between 1 and {MAX_PAGE_SIZE}")
    paginator = Paginator(qs, paging.page_size)
    if paging.page > max(paginator.num_pages, 1):
        raise HttpError(404, f"page {paging.page} does not exist (last page: {paginator.num_pages})")
    page = paginator.page(paging.page)

    def url(n: int) -> str:
        params = request.GET.copy()
        params["page"] = n
        return request.path + "?" + urlencode(sorted(params.lists()), doseq=True)

    return {"count": paginator.count, "page": page.number, "pages": paginator.num_pages,
            "next": url(page.next_page_number()) if page.has_next() else None,
            "previous": url(page.previous_page_number()) if page.has_previous() else None,
            "items": [convert(x) for x in page.object_list]}


def _summaries(user, qs: QuerySet[Description]) -> QuerySet[Description]:
    below = Description.objects.filter(parent=OuterRef("pk")).filter(policy.visible_q(user))
    return qs.select_related("repository", "parent").prefetch_related(
        Prefetch("texts", queryset=DescriptionText.objects.filter(element="title"), to_attr="title_values"),
    ).annotate(has_children=Exists(below))


def _summary(d: Description) -> dict:
    titles = getattr(d, "title_values", None)
    if titles is None:
        titles = d.text_values("title")
    parent_ref = d.parent.ref if d.parent_id else None
    return dict(
        ref=d.ref, identifier=d.identifier, level=d.level, title=d.title, titles=[_value(v) for v in titles],
        parent=parent_ref, repository=d.repository.code if d.repository_id else None,
        date_start=d.date_start, date_end=d.date_end, has_children=bool(getattr(d, "has_children", False)),
        access=policy.state(d),
        links=Links(self=_api_url(d.ref), html=_record_url(d.ref),
                    parent=_api_url(parent_ref) if parent_ref else None,
                    children=_api_url(d.ref, "/children")),
    )


def _get(request: HttpRequest, ref: str, queryset: QuerySet | None = None) -> Description:
    try:
        return gate.description_for(request.user, ref, "api", request=request, queryset=queryset)
    except gate.NotFound:
        raise HttpError(404, f"no description with reference code {ref!r}") from None
    except gate.LoginRequired:
        raise HttpError(403, f"{ref} is open to registered researchers: log in with a researcher account") from None


def _agent(link: AgentLink) -> AgentOut:
    a = link.authority
    return AgentOut(id=a.pk, name=a.name, kind=a.kind, role=link.role, url=f"{API}/authorities/{a.pk}")


def _term(t: Term) -> TermOut:
    return TermOut(id=t.pk, taxonomy=t.taxonomy, label=t.label, code=t.code,
                   labels=[Label(value=x.value, lang=x.lang, script=x.script, dir=x.dir, original=x.is_original)
                           for x in t.labels.all()])


@router.get("/descriptions", response={200: Page[DescriptionSummary], 404: Error, 403: Error, 422: Error},
            summary="List descriptions", url_name="descriptions")
def list_descriptions(request: HttpRequest, under: str | None = None, level: str | None = None,
                      repository: str | None = None, authority: int | None = None, roots: bool = False,
                      paging: Query[Paging] = None):
    """Descriptions in tree order; `under` restricts to the descendants of a reference code, `roots`
    to top-level descriptions (fonds), `authority` to those linked to an authority record."""
    qs = Description.objects.filter(policy.visible_q(request.user))
    if under:
        qs = qs.filter(pk__in=hierarchy.subtree(_get(request, under), include_self=False).values("pk"))
    if roots:
        qs = qs.filter(parent__isnull=True)
    if level:
        qs = qs.filter(level=level.lower())
    if repository:
        qs = qs.filter(repository__code=repository)
    if authority is not None:
        qs = qs.filter(agents__authority_id=authority).distinct()
    return _paged(request, _summaries(request.user, qs.order_by("path")), paging or Paging(), _summary)


@router.get("/descriptions/{path:ref}/children",
            response={200: Page[DescriptionSummary], 404: Error, 403: Error, 422: Error},
            summary="Children of a description", url_name="description-children")
def description_children(request: HttpRequest, ref: str, paging: Query[Paging] = None):
    d = _get(request, ref)
    qs = hierarchy.children(d).filter(policy.visible_q(request.user))
    return _paged(request, _summaries(request.user, qs), paging or Paging(), _summary)


@router.get("/descriptions/{path:ref}", response={200: DescriptionDetail, 404: Error, 403: Error},
            summary="One description with every language value", url_name="description")
def get_description(request: HttpRequest, ref: str):
    qs = Description.objects.select_related("repository", "parent").prefetch_related(
        "texts", "dates", Prefetch("agents", queryset=AgentLink.objects.select_related("authority")),
        Prefetch("terms", queryset=Term.objects.prefetch_related("labels")))
    d = _get(request, ref, qs)
    agents = [_agent(link) for link in d.agents.all()]
    children = hierarchy.children(d).filter(policy.visible_q(request.user)).count()
    d.has_children = children > 0
    d.title_values = d.text_values("title")
    return {
        **_summary(d),
        "original_lang": d.original_lang, "languages": d.languages or [], "scripts": d.scripts or [],
        "elements": _elements(d),
        "dates": [DateOut(expression=x.expression, lang=x.lang, event_type=x.event_type, start=x.start, end=x.end)
                  for x in d.dates.all()],
        "creators": [a for a in agents if a.role == "creator"], "agents": agents,
        "access_points": [_term(t) for t in d.terms.all()],
        "children_count": children, "has_digital_objects": d.has_digital_objects,
        "access_until": d.effective_until if policy.state(d) == "embargo" else None,
        "modified": d.modified,
    }


def _names(a: Authority) -> list[NameOut]:
    return [NameOut(value=n.value, form=n.form, lang=n.lang, script=n.script, dir=n.dir, scheme=n.scheme,
                    original=n.is_original) for n in a.names.all()]


def _authority(a: Authority) -> dict:
    return dict(id=a.pk, kind=a.kind, name=a.name, identifier=a.identifier, dates_of_existence=a.dates_of_existence,
                names=_names(a), url=f"{API}/authorities/{a.pk}")


@router.get("/authorities", response={200: Page[AuthoritySummary], 404: Error, 422: Error},
            summary="List authority records", url_name="authorities")
def list_authorities(request: HttpRequest, kind: str | None = None, paging: Query[Paging] = None):
    qs = Authority.objects.prefetch_related("names").order_by("name", "pk")
    if kind:
        qs = qs.filter(kind=kind)
    return _paged(request, qs, paging or Paging(), _authority)


@router.get("/authorities/{int:authority_id}", response={200: AuthorityDetail, 404: Error},
            summary="One authority record with all its name forms", url_name="authority")
def get_authority(request: HttpRequest, authority_id: int):
    a = Authority.objects.prefetch_related("names", "texts").filter(pk=authority_id).first()
    if a is None:
        raise HttpError(404, f"no authority record {authority_id}")
    relations = [RelationOut(authority=r.target_id, name=r.target.name, relation_type=r.relation_type, dates=r.dates)
                 for r in a.relations_out.select_related("target")]
    relations += [RelationOut(authority=r.source_id, name=r.source.name, relation_type=r.relation_type, dates=r.dates)
                  for r in a.relations_in.select_related("source")]
    count = (Description.objects.filter(policy.visible_q(request.user))
             .filter(agents__authority=a).distinct().count())
    return {**_authority(a), "date_start": a.date_start, "date_end": a.date_end, "elements": _elements(a),
            "relations": relations, "descriptions_count": count,
            "descriptions": f"{API}/descriptions?authority={a.pk}"}


def _repository(r: Repository) -> dict:
    return dict(code=r.code, country_code=r.country_code, name=r.name,
                names=[_value(v) for v in r.text_values("authorized_name")], url=f"{API}/repositories/{r.code}")


@router.get("/repositories", response={200: list[RepositorySummary]}, summary="List repositories",
            url_name="repositories")
def list_repositories(request: HttpRequest):
    return [_repository(r) for r in Repository.objects.prefetch_related("texts").order_by("code")]


@router.get("/repositories/{code}", response={200: RepositoryDetail, 404: Error},
            summary="One repository", url_name="repository")
def get_repository(request: HttpRequest, code: str):
    r = Repository.objects.prefetch_related("texts").filter(code=code).first()
    if r is None:
        raise HttpError(404, f"no repository with code {code!r}")
    fonds = hierarchy.children(None, repository=r).filter(policy.visible_q(request.user)).count()
    return {**_repository(r), "website": r.website, "email": r.email,
            "elements": _elements(r, skip=frozenset({"authorized_name"})), "fonds_count": fonds,
            "fonds": f"{API}/descriptions?repository={code}&roots=true"}
