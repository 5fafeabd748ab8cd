"""OAI-PMH 2.0 data provider: the six verbs, sets, datestamps, resumption, deletions.

Decisions (what harvesters see):
- Identifiers are `oai:{QOIMA_OAI_REPOSITORY_ID}:{reference code}` (non-ASCII percent-encoded).
- Sets: one per repository (`setSpec` = repository code) and one per fonds / top-level unit
  (`{repository}:{reference code}`, or `{repository}:~{id}` when the code has characters setSpec
  forbids). Partner collections harvested from elsewhere are not re-published.
- Only what the public may read is disseminated. A record that harvesters were shown and that is
  later closed, embargoed or restricted to researchers is reported with status="deleted" (its
  datestamp is the moment the rule changed), so partners withdraw it; a record removed from the
  catalogue keeps a persistent tombstone. A record that was never public is never mentioned, not
  even as deleted: its reference code does not leak.
- An embargo that has ended makes a record public without an edit; its datestamp is then the day
  the embargo ended, so incremental harvests pick it up.
- Resumption tokens are signed and stateless (query + position), so they survive restarts and work
  across any number of server processes. Lists are in primary-key order: stable under updates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from urllib.parse import quote, unquote

from django.core import signing
from django.db.models import Min, Q
from django.utils import timezone

from qoima.access.models import OaiRecord
from qoima.access.oai import dc, formats
from qoima.access.oai.xmlout import text, utc
from qoima.accounts import policy
from qoima.catalogue.models import (
    PATH_SEGMENT,
    Access,
    AgentLink,
    AuthorityName,
    Description,
    DescriptionDate,
    DescriptionText,
    Repository,
)

PAGE_RECORDS = int(os.environ.get("QOIMA_OAI_PAGE", "1000"))
PAGE_IDENTIFIERS = PAGE_RECORDS * 5
TOKEN_SALT = "qoima.oai.resumption"
_SETSPEC_PART = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def repository_id() -> str:
    return os.environ.get("QOIMA_OAI_REPOSITORY_ID", "qoima.archive")


def oai_identifier(ref: str) -> str:
    return f"oai:{repository_id()}:{quote(ref, safe=':-_.!~*()/;?@&=+$,')}"


def ref_from_identifier(identifier: str) -> str | None:
    prefix = f"oai:{repository_id()}:"
    if not identifier.startswith(prefix):
        return None
    return unquote(identifier[len(prefix):])


# --- sets --------------------------------------------------------------------------------------

def repo_spec(repo: Repository) -> str:
    return repo.code if _SETSPEC_PART.match(repo.code) else f"~r{repo.pk}"


def fonds_spec(repo_part: str, d: Description) -> str:
    return f"{repo_part}:{d.ref if _SETSPEC_PART.match(d.ref) else f'~{d.pk}'}"


@dataclass(frozen=True)
class SetFilter:
    repository_id: int | None = None
    path: str | None = None


def resolve_set(spec: str) -> SetFilter | None:
    parts = spec.split(":")
    if len(parts) > 2 or not all(_SETSPEC_PART.match(p) for p in parts):
        return None
    rp = parts[0]
    repo = (Repository.objects.filter(pk=int(rp[2:])).first() if re.fullmatch(r"~r\d+", rp)
            else Repository.objects.filter(code=rp).first())
    if repo is None or repo.is_partner:
        return None
    if len(parts) == 1:
        return SetFilter(repository_id=repo.pk)
    fp = parts[1]
    d = (Description.objects.filter(pk=int(fp[1:])).first() if re.fullmatch(r"~\d+", fp)
         else Description.objects.filter(ref=fp).first())
    if d is None or d.repository_id != repo.pk or d.parent_id is not None:
        return None
    return SetFilter(repository_id=repo.pk, path=d.path)


def record_sets(d: Description, repos: dict[int, Repository], roots: dict[str, Description]) -> list[str]:
    repo = repos.get(d.repository_id) if d.repository_id else None
    if repo is None:
        return []
    rp = repo_spec(repo)
    specs = [rp]
    root = roots.get(d.path[:PATH_SEGMENT + 1])
    if root is not None:
        specs.append(fonds_spec(rp, root))
    return specs


# --- arguments ---------------------------------------------------------------------------------

def parse_datestamp(value: str, name: str, end: bool = False) -> tuple[datetime, str]:
    if _SECOND.match(value):
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "s"
        except ValueError:
            pass
    elif _DAY.match(value):
        try:
            d = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            t = time(23, 59, 59) if end else time(0, 0, 0)
            return datetime.combine(d, t, tzinfo=UTC), "d"
    raise OAIError("badArgument", f"{name}={value!r} is not a UTC datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")


def check_arguments(args: dict[str, list[str]]) -> str:
    verbs = args.get("verb", [])
    if len(verbs) != 1:
        raise OAIError("badVerb", "the verb argument is missing or repeated")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"{verb!r} is not an OAI-PMH verb")
    required, optional = VERBS[verb]
    for k, v in args.items():
        if k == "verb":
            continue
        if k not in required | optional:
            raise OAIError("badArgument", f"{verb} does not take the argument {k!r}")
        if len(v) > 1:
            raise OAIError("badArgument", f"argument {k!r} is repeated")
    if "resumptionToken" in args:
        if len(args) > 2:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument")
    else:
        missing = [k for k in sorted(required) if k not in args]
        if missing:
            raise OAIError("badArgument", f"{verb} needs the argument(s): {', '.join(missing)}")
    return verb


# --- the record stream -------------------------------------------------------------------------

@dataclass
class Query:
    verb: str
    prefix: str
    set: str = ""
    frm: str = ""
    until: str = ""
    phase: int = 0  # 0: descriptions, 1: tombstones
    after: int = 0  # last primary key sent
    cursor: int = 0  # records sent before this page
    total: int = -1

    def token(self) -> str:
        return signing.dumps([self.verb, self.prefix, self.set, self.frm, self.until, self.phase, self.after,
                              self.cursor, self.total], salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, verb: str, token: str) -> Query:
        try:
            v = signing.loads(token, salt=TOKEN_SALT)
            q = cls(*v)
        except (signing.BadSignature, TypeError, ValueError):
            raise OAIError("badResumptionToken", "the resumption token is invalid") from None
        if q.verb != verb:
            raise OAIError("badResumptionToken", f"this resumption token belongs to {q.verb}, not {verb}")
        return q


def _public_q(today: date) -> Q:
    return policy.visible_q(None, today=today)


def _window(q: Query) -> tuple[datetime | None, datetime | None]:
    frm = until = None
    gf = gu = None
    if q.frm:
        frm, gf = parse_datestamp(q.frm, "from")
    if q.until:
        until, gu = parse_datestamp(q.until, "until", end=True)
    if gf and gu and gf != gu:
        raise OAIError("badArgument", "from and until must have the same granularity")
    if frm and until and frm > until:
        raise OAIError("badArgument", "from is later than until")
    return frm, until


def _embargo_end_q(field_from: date | None, field_until: date | None, today: date) -> Q:
    """Embargoes that ended (record public since effective_until + 1 day) within the window."""
    q = Q(effective_access=Access.EMBARGO, effective_until__lt=today)
    if field_from:
        q &= Q(effective_until__gte=field_from - timedelta(days=1))
    if field_until:
        q &= Q(effective_until__lte=field_until - timedelta(days=1))
    return q


def _description_qs(q: Query, sf: SetFilter | None, frm, until, today: date):
    qs = Description.objects.exclude(repository__is_partner=True)
    if sf is not None:
        if sf.repository_id is not None:
            qs = qs.filter(repository_id=sf.repository_id)
        if sf.path is not None:
            qs = qs.filter(path__gte=sf.path, path__lt=sf.path + "~")
    # Public now, or shown to harvesters before (then it goes out as deleted).
    qs = qs.filter(_public_q(today) | Q(oai_record__isnull=False))
    if frm or until:
        mod = Q()
        if frm:
            mod &= Q(modified__gte=frm)
        if until:
            mod &= Q(modified__lte=until)
        qs = qs.filter(mod | _embargo_end_q(frm.date() if frm else None, until.date() if until else None, today))
    return qs


def _tombstone_qs(sf: SetFilter | None, frm, until):
    qs = OaiRecord.objects.filter(description__isnull=True, deleted_at__isnull=False)
    if sf is not None:
        if sf.repository_id is not None:
            qs = qs.filter(repository_id=sf.repository_id)
        if sf.path is not None:
            qs = qs.filter(path__gte=sf.path, path__lt=sf.path + "~")
    if frm:
        qs = qs.filter(deleted_at__gte=frm)
    if until:
        qs = qs.filter(deleted_at__lte=until)
    return qs


def datestamp(d: Description, today: date) -> datetime:
    if d.effective_access == Access.EMBARGO and d.effective_until and d.effective_until < today:
        ended = datetime.combine(d.effective_until + timedelta(days=1), time(0), tzinfo=UTC)
        return max(d.modified, ended)
    return d.modified


class TextRow(NamedTuple):
    """A text value as `Multilingual.text_values` reads it, without building a model instance."""

    element: str
    position: int
    value: str
    lang: str
    script: str
    is_original: bool


@dataclass
class Item:
    identifier: str
    datestamp: datetime
    sets: list[str]
    deleted: bool
    description: Description | None = None


class Provider:
    """Answers one request; `base_url` is this endpoint's absolute URL."""

    def __init__(self, base_url: str, record_url):
        self.base_url = base_url
        self.record_url = record_url  # ref -> absolute URL of the record page
        self.today = timezone.localdate()
        self._repos: dict[int, Repository] | None = None
        self._roots: dict[str, Description] | None = None

    # context for set membership, loaded once per response
    def repos(self) -> dict[int, Repository]:
        if self._repos is None:
            self._repos = {r.pk: r for r in Repository.objects.filter(is_partner=False)}
        return self._repos

    def roots(self) -> dict[str, Description]:
        if self._roots is None:
            self._roots = {d.path: d for d in Description.objects.filter(parent__isnull=True)
                           .filter(_public_q(self.today)).only("pk", "ref", "path", "repository_id")}
        return self._roots

    def item(self, d: Description) -> Item:
        public = policy.can_view(None, d)
        return Item(oai_identifier(d.ref), datestamp(d, self.today),
                    record_sets(d, self.repos(), self.roots()) if public else [], not public, d)

    def tombstone(self, t: OaiRecord) -> Item:
        return Item(oai_identifier(t.ref), t.deleted_at, [], True)

    # -- verbs ----------------------------------------------------------------------------------

    def identify(self) -> str:
        earliest = [x for x in (Description.objects.aggregate(m=Min("modified"))["m"],
                                OaiRecord.objects.aggregate(m=Min("deleted_at"))["m"]) if x]
        first = min(earliest) if earliest else datetime(2000, 1, 1, tzinfo=UTC)
        repo = Repository.objects.filter(is_partner=False).order_by("pk").first()
        name = os.environ.get("QOIMA_ARCHIVE_NAME") or (repo.name if repo else "Qoima archive")
        email = os.environ.get("QOIMA_ADMIN_EMAIL") or (repo.email if repo and repo.email else "")
        email = email or f"archive@{repository_id()}"
        sample = oai_identifier("KZ-APRK-F1-1")
        return (
            f"<Identify><repositoryName>{text(name)}</repositoryName><baseURL>{text(self.base_url)}</baseURL>"
            "<protocolVersion>2.0</protocolVersion>"
            f"<adminEmail>{text(email)}</adminEmail><earliestDatestamp>{utc(first)}</earliestDatestamp>"
            "<deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
            "<description><oai-identifier xmlns=\"http://www.openarchives.org/OAI/2.0/oai-identifier\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai-identifier "
            "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd\"><scheme>oai</scheme>"
            f"<repositoryIdentifier>{text(repository_id())}</repositoryIdentifier><delimiter>:</delimiter>"
            f"<sampleIdentifier>{text(sample)}</sampleIdentifier></oai-identifier></description></Identify>"
        )

    def _lookup(self, identifier: str) -> Item:
        ref = ref_from_identifier(identifier)
        if ref is not None:
            d = Description.objects.filter(ref=ref).exclude(repository__is_partner=True).select_related("oai_record").first()
            if d is not None:
                if policy.can_view(None, d):
                    return self.item(d)
                if getattr(d, "oai_record", None) is not None:
                    return self.item(d)  # deleted
            t = OaiRecord.objects.filter(ref=ref, description__isnull=True, deleted_at__isnull=False).first()
            if t is not None:
                return self.tombstone(t)
        raise OAIError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository")

    def list_metadata_formats(self, identifier: str | None) -> str:
        if identifier:
            self._lookup(identifier)
        rows = "".join(
            f"<metadataFormat><metadataPrefix>{f.prefix}</metadataPrefix><schema>{f.schema}</schema>"
            f"<metadataNamespace>{f.namespace}</metadataNamespace></metadataFormat>"
            for f in formats.available())
        if not rows:
            raise OAIError("noMetadataFormats", "no metadata formats are available")
        return f"<ListMetadataFormats>{rows}</ListMetadataFormats>"

    def list_sets(self, token: str | None) -> str:
        if token:
            raise OAIError("badResumptionToken", "ListSets is answered in one response; no token was issued")
        repos = self.repos()
        if not repos:
            raise OAIError("noSetHierarchy", "this repository has no sets")
        out = ["<ListSets>"]
        for repo in repos.values():
            out.append(f"<set><setSpec>{text(repo_spec(repo))}</setSpec><setName>{text(repo.name)}</setName></set>")
        for root in Description.objects.filter(parent__isnull=True, repository_id__in=list(repos)).filter(
                _public_q(self.today)).order_by("repository_id", "sort_key").only("pk", "ref", "title", "repository_id"):
            spec = fonds_spec(repo_spec(repos[root.repository_id]), root)
            out.append(f"<set><setSpec>{text(spec)}</setSpec><setName>{text(root.title or root.ref)}</setName></set>")
        out.append("</ListSets>")
        return "".join(out)

    def get_record(self, identifier: str, prefix: str) -> str:
        fmt = formats.get(prefix)
        item = self._lookup(identifier)
        body = self._records([item], fmt)
        if not item.deleted and item.description is not None:
            expose([item.description])
        return f"<GetRecord>{body}</GetRecord>"

    def list(self, verb: str, args: dict[str, str]) -> Iterator[str]:
        """ListIdentifiers / ListRecords: a generator of XML chunks (first chunk computed eagerly so
        errors such as noRecordsMatch become proper OAI errors)."""
        if "resumptionToken" in args:
            q = Query.from_token(verb, args["resumptionToken"])
        else:
            q = Query(verb, args["metadataPrefix"], args.get("set", ""), args.get("from", ""), args.get("until", ""))
        fmt = formats.get(q.prefix)
        frm, until = _window(q)
        sf = None
        if q.set:
            if not self.repos():
                raise OAIError("noSetHierarchy", "this repository has no sets")
            sf = resolve_set(q.set)
            if sf is None:
                raise OAIError("noRecordsMatch", f"no records in set {q.set!r}")
        size = PAGE_RECORDS if verb == "ListRecords" else PAGE_IDENTIFIERS
        descs = _description_qs(q, sf, frm, until, self.today)
        tombs = _tombstone_qs(sf, frm, until)
        if q.total < 0:
            q.total = descs.count() + tombs.count()
        items: list[Item] = []
        phase, after = q.phase, q.after
        if phase == 0:
            page = list(descs.filter(pk__gt=after).order_by("pk").select_related("repository").defer(
                "sort_key", "description_status", "level_of_detail", "description_identifier",
                "institution_identifier", "source", "legacy_id", "created")[: size + 1])
            more0 = len(page) > size
            page = page[:size]
            items = [self.item(d) for d in page]
            if page:
                after = page[-1].pk
            if not more0:
                phase, after = 1, 0
        if phase == 1 and len(items) < size:
            rest = list(tombs.filter(pk__gt=after).order_by("pk")[: size - len(items) + 1])
            more1 = len(rest) > size - len(items)
            rest = rest[: size - len(items)]
            items += [self.tombstone(t) for t in rest]
            if rest:
                after = rest[-1].pk
            done = not more1
        else:
            done = False
        if not items and q.cursor == 0:
            raise OAIError("noRecordsMatch", "no records match these arguments")
        nxt = None if done else Query(q.verb, q.prefix, q.set, q.frm, q.until, phase, after, q.cursor + len(items), q.total)
        exposed = [i.description for i in items if not i.deleted and i.description is not None]
        return self._stream(verb, items, fmt, q, nxt, exposed)

    def _stream(self, verb, items, fmt, q: Query, nxt: Query | None, exposed) -> Iterator[str]:
        yield f"<{verb}>"
        chunk = 200
        for i in range(0, len(items), chunk):
            part = items[i:i + chunk]
            yield self._records(part, fmt) if verb == "ListRecords" else "".join(self._header(x) for x in part)
        if nxt is not None or q.cursor:
            tok = text(nxt.token()) if nxt is not None else ""
            yield f'<resumptionToken completeListSize="{q.total}" cursor="{q.cursor}">{tok}</resumptionToken>'
        yield f"</{verb}>"
        expose(exposed)

    def _header(self, item: Item) -> str:
        status = ' status="deleted"' if item.deleted else ""
        sets = "".join(f"<setSpec>{text(s)}</setSpec>" for s in item.sets)
        return (f"<header{status}><identifier>{text(item.identifier)}</identifier>"
                f"<datestamp>{utc(item.datestamp)}</datestamp>{sets}</header>")

    def _records(self, items: list[Item], fmt) -> str:
        live = [i.description for i in items if not i.deleted and i.description is not None]
        related = self._related(live)
        out = []
        for item in items:
            if item.deleted:
                out.append(f"<record>{self._header(item)}</record>")
                continue
            md = fmt.write(item.description, related[item.description.pk])
            out.append(f"<record>{self._header(item)}<metadata>{md}</metadata></record>")
        return "".join(out)

    def _related(self, descriptions: list[Description]) -> dict[int, dc.Related]:
        """Texts, dates, creators, terms and parents of a page of records: one query per table
        (Django's prefetch_related builds a queryset per record, several times slower here)."""
        ids = [d.pk for d in descriptions]
        parents = self._parent_refs(descriptions)
        rel = {d.pk: dc.Related(url=self.record_url(d.ref), parent_ref=parents.get(d.parent_id),
                                publisher=d.repository.name if d.repository_id and d.repository else "")
               for d in descriptions}
        texts: dict[int, list] = {pk: [] for pk in ids}
        for pk, *row in DescriptionText.objects.filter(description_id__in=ids).values_list(
                "description_id", "element", "position", "value", "lang", "script", "is_original"):
            texts[pk].append(TextRow(*row))
        for d in descriptions:
            d._prefetched_objects_cache = {"texts": texts[d.pk]}
        for pk, *row in DescriptionDate.objects.filter(description_id__in=ids).order_by("position").values_list(
                "description_id", "expression", "lang", "start", "end"):
            rel[pk].dates.append(tuple(row))
        links = list(AgentLink.objects.filter(description_id__in=ids, role="creator").values_list(
            "description_id", "authority_id", "authority__name"))
        names: dict[int, list[tuple[str, str]]] = {}
        for aid, value, lang in AuthorityName.objects.filter(
                authority_id__in={a for _, a, _ in links}, form="authorized").values_list("authority_id", "value", "lang"):
            names.setdefault(aid, []).append((value, lang))
        for pk, aid, name in links:
            rel[pk].creators += names.get(aid) or [(name, "")]
        for pk, taxonomy, label in Description.terms.through.objects.filter(description_id__in=ids).values_list(
                "description_id", "term__taxonomy", "term__label"):
            rel[pk].terms.append((taxonomy, label))
        return rel

    def _parent_refs(self, descriptions: list[Description]) -> dict[int, str]:
        """Reference codes of the visible parents of one page of records, in one query."""
        ids = {d.parent_id for d in descriptions if d.parent_id}
        if not ids:
            return {}
        return dict(Description.objects.filter(pk__in=ids).filter(_public_q(self.today)).values_list("pk", "ref"))


def expose(descriptions: list[Description]) -> None:
    """Remember what harvesters were shown (see module docstring)."""
    if not descriptions:
        return
    known = set(OaiRecord.objects.filter(description_id__in=[d.pk for d in descriptions])
                .values_list("description_id", flat=True))
    new = [OaiRecord(description_id=d.pk, ref=d.ref, repository_id=d.repository_id, path=d.path)
           for d in descriptions if d.pk not in known]
    if new:
        OaiRecord.objects.bulk_create(new, ignore_conflicts=True)
        OaiRecord.objects.filter(description__isnull=True, ref__in=[r.ref for r in new]).delete()
