"""Reading-room pages: home, records, the fonds tree, authorities, terms and repositories.

Every query for lists goes through `policy.visible_q` (in `gate`), every single record through
`gate.description_for`; see `qoima.access.gate` for the rule.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from qoima.access import gate
from qoima.access.web import labels, present
from qoima.accounts import policy
from qoima.catalogue import hierarchy
from qoima.catalogue.models import (
    AUTHORITY_TEXT_ELEMENTS,
    REPOSITORY_TEXT_ELEMENTS,
    AgentLink,
    Authority,
    Description,
    Repository,
    Term,
    TermLabel,
)

PAGE_SIZE = 25


def _lang() -> str:
    return get_language() or "en"


def _page(request: HttpRequest, qs, size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(request.GET.get("page"))


@dataclass
class Item:
    """One row of a list of descriptions."""

    ref: str
    level: str
    level_label: str
    title: present.Shown | None
    dates: list[present.ShownDate]
    has_children: bool
    access: str  # rule in force, shown to those allowed to see restricted rows


def item(d: Description, lang: str) -> Item:
    values = getattr(d, "title_values", None)
    if values is None:
        values = d.text_values("title")
    return Item(d.ref, d.level, str(labels.label(labels.LEVEL_LABELS, d.level)), present.show(values, lang),
                present.dates(list(d.dates.all()), lang), bool(getattr(d, "has_children", False)),
                policy.state(d))


def _repo_item(r: Repository, lang: str) -> dict:
    return {"repository": r, "name": present.name_of(r, lang), "fonds": getattr(r, "fonds_count", None)}


def home(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    visible_roots = Q(descriptions__parent__isnull=True) & policy.visible_q(request.user, "descriptions__")
    repos = Repository.objects.prefetch_related("texts").annotate(
        fonds_count=Count("descriptions", filter=visible_roots, distinct=True))
    roots = gate.visible_children(request.user, None)
    page = _page(request, roots, 12)
    return render(request, "qoima/home.html", {
        "repositories": [_repo_item(r, lang) for r in repos],
        "page": page, "items": [item(d, lang) for d in page],
        "total": Description.objects.filter(policy.visible_q(request.user)).count(),
    })


def record(request: HttpRequest, ref: str) -> HttpResponse:
    lang = _lang()
    qs = Description.objects.select_related("repository").prefetch_related(
        "texts", "dates", Prefetch("agents", queryset=AgentLink.objects.select_related("authority")
                                   .prefetch_related("authority__names")),
        Prefetch("terms", queryset=Term.objects.prefetch_related("labels")))
    try:
        d = gate.description_for(request.user, ref, "page", request=request, queryset=qs)
    except gate.NotFound:
        raise Http404(ref) from None
    except gate.LoginRequired as e:
        return render(request, "qoima/login_required.html", {"ref": e.description.ref}, status=403)

    crumbs = []
    for a in hierarchy.ancestors(d):
        if policy.can_view(request.user, a):
            crumbs.append({"ref": a.ref, "title": present.show(a.text_values("title"), lang),
                           "level": labels.label(labels.LEVEL_LABELS, a.level)})
        else:
            crumbs.append({"ref": None, "title": None, "level": labels.label(labels.LEVEL_LABELS, a.level)})

    children = gate.visible_children(request.user, d)
    page = _page(request, children)

    agents = [{"authority": link.authority, "role": link.role,
               "role_label": labels.label(labels.ROLE_LABELS, link.role),
               "name": present.authority_name(link.authority, lang)} for link in d.agents.all()]
    creators = [a for a in agents if a.get("role") == "creator"]
    other_agents = [a for a in agents if a.get("role") != "creator"]

    terms: dict[str, list] = {}
    for t in d.terms.all():
        chosen = present.show(list(t.labels.all()), lang)
        terms.setdefault(t.taxonomy, []).append({"term": t, "label": chosen})
    access_points = [{"taxonomy": labels.label(labels.TAXONOMY_LABELS, tax), "terms": ts}
                     for tax, ts in sorted(terms.items())]

    shown_dates = present.dates(list(d.dates.all()), lang)
    title = present.show(d.text_values("title"), lang)
    context = {
        "d": d, "title": title, "crumbs": crumbs, "dates": shown_dates,
        "level_label": labels.label(labels.LEVEL_LABELS, d.level),
        "areas": present.areas(d, lang, {"3.1"} | ({"3.2"} if creators else set()) | ({"3.4"} if d.languages else set())), "creators": creators, "other_agents": other_agents,
        "access_points": access_points, "page": page, "children": [item(c, lang) for c in page],
        "state": policy.state(d), "state_label": labels.label(labels.ACCESS_LABELS, policy.state(d)),
        "repository_name": present.name_of(d.repository, lang) if d.repository else None,
        "material_languages": [(t, present.language_name(t)) for t in d.languages],
        "transcription": _transcription(request, d),
        **_files(d),
    }
    return render(request, "qoima/record.html", context)


FILES_SHOWN = 50


def _originals(d: Description):
    """The preserved originals of an item: scans in page order, then other files."""
    from qoima.ingest.models import AipFile

    return AipFile.objects.filter(description=d, group="original").order_by("page", "id")


def _file_name(f) -> str:
    return (f.path or f.bag_path).rsplit("/", 1)[-1]


def _files(d: Description) -> dict:
    """The originals listed on the record page, each downloadable."""
    qs = _originals(d)
    files = [{"page": f.page, "name": _file_name(f), "size": f.size, "mime": f.mime, "format_name": f.format_name}
             for f in qs.only("page", "path", "bag_path", "size", "mime", "format_name")[:FILES_SHOWN + 1]]
    more = qs.count() - FILES_SHOWN if len(files) > FILES_SHOWN else 0
    return {"files": files[:FILES_SHOWN], "files_more": more}


def _transcription(request: HttpRequest, d: Description) -> list[dict]:
    """The item's recognised pages (OCR) beside the scans; the page asked for (?page=N, where
    search hits link to) comes first and open. The record's own access check has already passed."""
    from qoima.recognize.models import RecognizedPage

    try:
        wanted = int(request.GET.get("page", "0"))
    except ValueError:
        wanted = 0
    pages = (RecognizedPage.objects.filter(description=d).exclude(text="")
             .only("page", "text", "lang", "script", "confidence", "flags", "alto").order_by("page"))
    return [{"page": p.page, "text": p.text, "lang": p.lang, "dir": p.dir, "confidence": p.confidence,
             "low": "low-confidence" in (p.flags or []), "open": p.page == wanted or (not wanted and i == 0),
             "alto": reverse("api-1:page-alto", kwargs={"ref": d.ref, "page": p.page}) if p.alto else None}
            for i, p in enumerate(pages)]


def browse(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    repo = None
    if request.GET.get("repository"):
        repo = get_object_or_404(Repository, code=request.GET["repository"])
    page = _page(request, gate.visible_children(request.user, None, repository=repo))
    template = "qoima/_tree_nodes.html" if request.headers.get("X-Requested-With") == "fetch" else "qoima/browse.html"
    return render(request, template, {"page": page, "items": [item(d, lang) for d in page], "repository": repo})


def browse_node(request: HttpRequest, ref: str) -> HttpResponse:
    """The children of one node of the tree, as an HTML fragment the tree script inserts."""
    lang = _lang()
    try:
        d = gate.description_for(request.user, ref, "tree", request=request)
    except (gate.NotFound, gate.LoginRequired):
        raise Http404(ref) from None
    page = _page(request, gate.visible_children(request.user, d))
    return render(request, "qoima/_tree_nodes.html", {"page": page, "items": [item(c, lang) for c in page],
                                                      "parent": d})


def authority(request: HttpRequest, pk: int) -> HttpResponse:
    lang = _lang()
    a = get_object_or_404(Authority.objects.prefetch_related("names", "texts"), pk=pk)
    forms = []
    for form, form_label in labels.NAME_FORM_LABELS.items():
        names = [n for n in a.names.all() if n.form == form]
        if names:
            forms.append({"label": form_label, "names": names})
    links = AgentLink.objects.filter(authority=a).filter(policy.visible_q(request.user, "description__"))
    described = Description.objects.filter(pk__in=links.values("description_id")).order_by("path")
    page = _page(request, gate.with_list_data(request.user, described))
    roles = {}
    for link in links.filter(description__in=[d.pk for d in page]):
        roles.setdefault(link.description_id, []).append(labels.label(labels.ROLE_LABELS, link.role))
    items = [(item(d, lang), roles.get(d.pk, [])) for d in page]
    relations = [{"type": r.relation_type, "other": r.target, "name": present.authority_name(r.target, lang), "dates": r.dates}
                 for r in a.relations_out.select_related("target").prefetch_related("target__names")]
    relations += [{"type": r.relation_type, "other": r.source, "name": present.authority_name(r.source, lang), "dates": r.dates}
                  for r in a.relations_in.select_related("source").prefetch_related("source__names")]
    return render(request, "qoima/authority.html", {
        "a": a, "name": present.authority_name(a, lang), "kind_label": labels.label(labels.AUTHORITY_KIND_LABELS, a.kind),
        "forms": forms, "rows": present.texts(a, AUTHORITY_TEXT_ELEMENTS, labels.AUTHORITY_ELEMENT_LABELS, lang),
        "page": page, "items": items, "relations": relations,
    })


def authorities(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    page = _page(request, Authority.objects.prefetch_related("names").order_by("name"), 50)
    return render(request, "qoima/authorities.html", {
        "page": page, "items": [{"a": a, "name": present.authority_name(a, lang),
                                 "kind": labels.label(labels.AUTHORITY_KIND_LABELS, a.kind)} for a in page]})


def term(request: HttpRequest, pk: int) -> HttpResponse:
    lang = _lang()
    t = get_object_or_404(Term.objects.prefetch_related("labels"), pk=pk)
    qs = t.descriptions.filter(policy.visible_q(request.user)).order_by("path")
    page = _page(request, gate.with_list_data(request.user, qs))
    all_labels: list[TermLabel] = list(t.labels.all())
    return render(request, "qoima/term.html", {
        "t": t, "label": present.show(all_labels, lang), "labels": all_labels,
        "taxonomy": labels.label(labels.TAXONOMY_LABELS, t.taxonomy),
        "page": page, "items": [item(d, lang) for d in page]})


def repository(request: HttpRequest, code: str) -> HttpResponse:
    lang = _lang()
    r = get_object_or_404(Repository.objects.prefetch_related("texts"), code=code)
    page = _page(request, gate.visible_children(request.user, None, repository=r))
    elements = [e for e in REPOSITORY_TEXT_ELEMENTS if e != "authorized_name"]
    return render(request, "qoima/repository.html", {
        "r": r, "name": present.name_of(r, lang),
        "rows": present.texts(r, elements, labels.REPOSITORY_ELEMENT_LABELS, lang),
        "page": page, "items": [item(d, lang) for d in page]})


def robots(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public reading room; the sitemap lists what is public."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/",
             f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def download(request: HttpRequest, ref: str) -> HttpResponse:
    """The original scan (or file) of page ?page=N of an item, exactly as preserved, under its
    original Unicode name. The same gate as the record page: a closed record answers as a missing
    one, a researchers-only record asks for login; restricted reads are audited, never cached."""
    from qoima.ingest.aip import AipError, open_file

    try:
        d = gate.description_for(request.user, ref, "download", request=request)
    except gate.NotFound:
        raise Http404(ref) from None
    except gate.LoginRequired as e:
        return render(request, "qoima/login_required.html", {"ref": e.description.ref}, status=403)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404("page must be a number") from None
    files = _originals(d).select_related("aip")
    f = files.filter(page=page).first() or (files.first() if page == 1 else None)  # a lone file has no page
    if f is None:
        raise Http404(f"{ref} has no page {page}")
    try:
        stream = open_file(f)
    except AipError:
        raise Http404(f"{ref}: page {page} is not available") from None
    response = FileResponse(stream, as_attachment=True, filename=_file_name(f),
                            content_type=f.mime or "application/octet-stream")
    response["Content-Length"] = str(f.size)
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(f.sha256)).decode()}:"  # RFC 9530
    return gate.mark(response, policy.is_restricted(d))
