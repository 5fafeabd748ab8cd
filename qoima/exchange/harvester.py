"""Harvest a partner archive's OAI-PMH provider (oai_dc) into a separate, labelled partner collection.

The partner's records become root descriptions of a Repository with `is_partner=True` (its code
and name from the provider's Identify unless given), keyed by their OAI identifier
(`source` = "oai:<base URL>", `legacy_id` = identifier), so a harvest can be repeated: the next one
asks `from` the provider's responseDate of the previous complete harvest, updates changed records,
adds new ones and removes those the provider reports deleted. Each page is written in one
transaction; a harvest that stops half-way resumes from its last complete harvest date.
Responses are parsed without DTDs, entities or network access (catalogue.xmlsafe).
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from qoima.catalogue import hierarchy, languages, xmlsafe
from qoima.catalogue.dates import normalize as normalize_date
from qoima.catalogue.models import LEVELS, Description, DescriptionDate, Repository
from qoima.exchange.models import Harvest

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
USER_AGENT = "Qoima-harvester/0.1 (OAI-PMH 2.0)"
# dc element -> description text element
TEXTS = {"title": "title", "description": "scope_and_content", "format": "extent_and_medium",
         "rights": "reproduction_conditions", "coverage": "note", "subject": "note", "creator": "note",
         "source": "location_of_originals", "relation": "related_units"}
MAPPED = sorted(set(TEXTS.values()))


class HarvestError(Exception):
    """The provider could not be harvested; the message says which request and why."""


Fetch = Callable[[str], bytes]


def http_fetch(url: str, retries: int = 3, timeout: int = 120) -> bytes:
    """GET with a polite User-Agent, honouring 503 Retry-After (the OAI-PMH flow control)."""
    for attempt in range(retries + 1):
        req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            if e.code == 503 and attempt < retries:
                time.sleep(min(int(e.headers.get("Retry-After") or 5), 60))
                continue
            raise HarvestError(f"{url}: HTTP {e.code} {e.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            if attempt < retries:
                time.sleep(2 ** attempt)
                continue
            raise HarvestError(f"{url}: {getattr(e, 'reason', e)}") from None
    raise HarvestError(f"{url}: no answer")


@dataclass
class Result:
    repository: str
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged_deleted: int = 0
    pages: int = 0
    errors: list[str] = field(default_factory=list)


def _request(fetch: Fetch, base: str, **params: str):
    url = base + ("&" if "?" in base else "?") + urllib.parse.urlencode(params)
    try:
        tree = xmlsafe.parse_bytes(fetch(url), name=url)
    except xmlsafe.UnsafeXMLError as e:
        raise HarvestError(str(e)) from None
    root = tree.getroot()
    if root.tag != f"{OAI}OAI-PMH":
        raise HarvestError(f"{url}: not an OAI-PMH response (root element {root.tag})")
    return url, root


def _errors(root) -> list[tuple[str, str]]:
    return [(e.get("code", ""), (e.text or "").strip()) for e in root.findall(f"{OAI}error")]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "partner"


def partner_repository(fetch: Fetch, base_url: str, code: str | None = None, name: str | None = None) -> Repository:
    """The partner collection for this provider, created from its Identify response when new."""
    existing = Repository.objects.filter(source_url=base_url, is_partner=True).first()
    if existing is not None:
        return existing
    url, root = _request(fetch, base_url, verb="Identify")
    if _errors(root):
        raise HarvestError(f"{url}: {_errors(root)}")
    ident = root.find(f"{OAI}Identify")
    repo_name = name or (ident.findtext(f"{OAI}repositoryName") or "").strip() or urllib.parse.urlsplit(base_url).netloc
    rid = root.findtext(".//{http://www.openarchives.org/OAI/2.0/oai-identifier}repositoryIdentifier")
    code = code or "P-" + _slug(rid or urllib.parse.urlsplit(base_url).netloc)
    if Repository.objects.filter(code=code).exists():
        raise HarvestError(f"repository code {code!r} is taken by another repository; choose one with --code")
    return Repository.objects.create(code=code, name=repo_name[:500], is_partner=True, source_url=base_url,
                                     kind="partner archive (harvested over OAI-PMH)")


def _granularity(fetch: Fetch, base_url: str) -> str:
    _url, root = _request(fetch, base_url, verb="Identify")
    return (root.findtext(f"{OAI}Identify/{OAI}granularity") or "YYYY-MM-DD").strip()


def _local_identifier(identifier: str) -> str:
    parts = identifier.split(":", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "oai" else identifier


def _lang(value_lang: str | None, text: str) -> str:
    try:
        return languages.normalize_tag(value_lang) if value_lang else "und"
    except languages.LanguageTagError:
        return "und"


def _apply(repo: Repository, source: str, identifier: str, dc, datestamp: str) -> str:
    """Create or update one partner record from its oai_dc; returns 'added' or 'updated'."""
    values: dict[str, list[tuple[str, str]]] = {}
    for el in dc:
        if not isinstance(el.tag, str) or not el.tag.startswith(DC):
            continue
        name = el.tag[len(DC):]
        text = languages.nfc((el.text or "").strip())
        if text:
            values.setdefault(name, []).append((text, el.get(XML_LANG) or ""))
    d = Description.objects.filter(repository=repo, source=source, legacy_id=identifier[:200]).first()
    titles = values.get("title") or [(_local_identifier(identifier), "")]
    level = next((t.lower() for t, _ in values.get("type", []) if t.lower() in LEVELS), "item")
    material_langs = []
    for t, _ in values.get("language", []):
        try:
            material_langs.append(languages.normalize_tag(t))
        except languages.LanguageTagError:
            pass
    status = "updated"
    if d is None:
        ident = _local_identifier(identifier)
        ref = hierarchy.build_ref(repo, None, ident)
        if Description.objects.filter(ref=ref).exists():
            ref = hierarchy.build_ref(repo, None, f"{ident}-{abs(hash(identifier)) % 10**8}")
        d = hierarchy.create(identifier=ident[:200], level=level, repository=repo, ref=ref, source=source,
                             legacy_id=identifier[:200])
        status = "added"
    else:
        d.texts.filter(element__in=MAPPED).delete()
        d.dates.all().delete()
    Description.objects.filter(pk=d.pk).update(level=level, languages=material_langs, has_digital_objects=False)
    positions: dict[tuple[str, str], int] = {}
    for dc_name, element in TEXTS.items():
        for text, lang in values.get(dc_name, []) if dc_name != "title" else titles:
            tag = _lang(lang, text)
            if dc_name in ("coverage", "subject", "creator"):
                text = f"{dc_name}: {text}"
            pos = positions.get((element, tag), 0)
            positions[(element, tag)] = pos + 1
            d.set_text(element, text, tag, position=pos)
    for n, (text, lang) in enumerate(values.get("date", [])):
        start, end = normalize_date(text)
        DescriptionDate.objects.create(description=d, expression=text[:500], lang=_lang(lang, text) if lang else "",
                                       start=start, end=end, position=n)
    hierarchy.refresh_dates(d)
    return status


def harvest(base_url: str, set_spec: str = "", from_date: str = "", *, code: str | None = None,
            name: str | None = None, fetch: Fetch = http_fetch, progress: Callable[[Result], None] | None = None,
            full: bool = False) -> Result:
    """Harvest `base_url` (incrementally unless `full` or `from_date` is given)."""
    base_url = base_url.strip()
    if not re.match(r"^https?://", base_url):
        raise HarvestError(f"{base_url!r} is not an http(s) URL of an OAI-PMH provider")
    repo = partner_repository(fetch, base_url, code, name)
    state, _ = Harvest.objects.get_or_create(repository=repo, base_url=base_url, set_spec=set_spec,
                                             metadata_prefix="oai_dc")
    result = Result(repository=repo.code)
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    if set_spec:
        params["set"] = set_spec
    since = from_date or ("" if full else state.harvested_until)
    if since:
        params["from"] = since
    source = f"oai:{base_url}"[:200]
    if since and len(since) > 10 and _granularity(fetch, base_url) == "YYYY-MM-DD":
        params["from"] = since[:10]  # the provider counts in days
    started_at = None
    while True:
        url, root = _request(fetch, base_url, **params)
        started_at = started_at or (root.findtext(f"{OAI}responseDate") or "").strip()
        errors = _errors(root)
        if errors:
            if errors[0][0] == "noRecordsMatch":
                break
            raise HarvestError(f"{url}: " + "; ".join(f"{c}: {m}" for c, m in errors))
        listing = root.find(f"{OAI}ListRecords")
        if listing is None:
            raise HarvestError(f"{url}: no ListRecords element in the response")
        with transaction.atomic():
            for rec in listing.findall(f"{OAI}record"):
                header = rec.find(f"{OAI}header")
                identifier = (header.findtext(f"{OAI}identifier") or "").strip()
                if not identifier:
                    result.errors.append(f"{url}: a record without identifier was skipped")
                    continue
                if header.get("status") == "deleted":
                    gone = Description.objects.filter(repository=repo, source=source, legacy_id=identifier[:200])
                    if gone.exists():
                        for g in gone:
                            g.delete()
                        result.deleted += 1
                    else:
                        result.unchanged_deleted += 1
                    continue
                dc = rec.find(f"{OAI}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc")
                if dc is None:
                    result.errors.append(f"{identifier}: no oai_dc metadata; skipped")
                    continue
                status = _apply(repo, source, identifier, dc, header.findtext(f"{OAI}datestamp") or "")
                setattr(result, status, getattr(result, status) + 1)
        result.pages += 1
        if progress:
            progress(result)
        token = (listing.findtext(f"{OAI}resumptionToken") or "").strip()
        if not token:
            break
        params = {"verb": "ListRecords", "resumptionToken": token}
    # Next time: ask from the provider's own clock at the start of this harvest (inclusive, so a
    # record changed during the harvest is fetched again rather than missed).
    state.harvested_until = started_at or state.harvested_until
    state.last_run = timezone.now()
    state.added, state.updated, state.deleted = result.added, result.updated, result.deleted
    state.save()
    return result
