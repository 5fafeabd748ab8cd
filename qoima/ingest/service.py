"""Ingest with the database: receive → build the AIP in every location → record it and its items.

Crash safety: the AIP's files reach their final place only after every copy is verified, and the
database rows (AIP, files, copies, events, catalogue items) are written in one transaction after
that. A rerun of an interrupted ingest recomputes the same AIP (its uuid derives from the
content), replaces any orphaned copy, and records it once; a rerun of a finished one finds the
fingerprint and returns the stored AIP.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from qoima.catalogue import dates as cat_dates
from qoima.catalogue import hierarchy
from qoima.catalogue.models import Description, DescriptionDate
from qoima.ingest.models import Aip, AipCopy, AipEvent, AipFile
from qoima.ingest.package import Built, Options, build_aip, case_insensitive, read_jsonl
from qoima.ingest.transfer import TransferRefused, receive
from qoima.storage.locations import Location, configured_locations

BATCH = 2000


class IngestError(Exception):
    """The ingest cannot run (unknown reference code, refused transfer ...): a clear message."""


def home() -> Path:
    return Path(settings.QOIMA_HOME)


def locations() -> list[Location]:
    return configured_locations(home())


def ingest(path: str | Path, into: str, *, derivatives: bool = True, user: str | None = None,
           progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Ingest a transfer under the description with reference code `into`; return the JSON result."""
    parent = Description.objects.filter(ref=into).first()
    if parent is None:
        raise IngestError(f"no description with reference code {into!r}")
    source = Path(path).expanduser().resolve()
    key = hashlib.sha256(f"{source}\n{into}".encode()).hexdigest()[:32]
    work = home() / "tmp" / "ingest" / key
    if work.exists():
        shutil.rmtree(work)  # an interrupted attempt: start clean
    locs = locations()
    options = Options(derivatives=derivatives, institution=_institution(parent), label=source.name)
    if user:
        options.user = user
    try:
        try:
            transfer = receive(source, work, case_insensitive_target=case_insensitive(locs))
        except TransferRefused as exc:
            raise IngestError(str(exc)) from exc
        known = lambda fp: str(Aip.objects.filter(fingerprint=fp).values_list("uuid", flat=True).first() or "")  # noqa: E731
        try:
            built = build_aip(transfer, locs, work, options, staging_key=key, known=lambda fp: known(fp) or None,
                              progress=progress)
        except TransferRefused as exc:
            raise IngestError(str(exc)) from exc
        if built.duplicate_of:
            return result_json(Aip.objects.get(uuid=built.duplicate_of))
        try:
            aip = record(built, parent, locs, options)
        except IntegrityError:
            existing = Aip.objects.filter(fingerprint=built.fingerprint).first()
            if existing is None:
                raise
            aip = existing
        return result_json(aip)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _institution(parent: Description) -> str:
    repo = parent.repository
    return repo.ref_prefix if repo else "Qoima"


def _free_identifier(parent: Description, identifier: str) -> str:
    base = hierarchy.ref_segment(identifier) or "item"
    candidate, n = base, 1
    while Description.objects.filter(ref=hierarchy.build_ref(parent.repository, parent, candidate)).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _make_item(parent: Description, item: dict) -> Description:
    dc = item.get("dc") or {}
    lang = (dc.get("language") or ["und"])[0]
    ident = (dc.get("identifier") or [None])[0] or (item["label"] if item["key"] == "." else Path(item["key"]).name)
    d = hierarchy.create(identifier=_free_identifier(parent, ident), level="item", parent=parent,
                         title=item["label"], lang=lang, has_digital_objects=True,
                         languages=[v for v in dc.get("language", [])], source="ingest")
    for n, text in enumerate(dc.get("description", [])):
        d.set_text("scope_and_content", text, lang, position=n)
    for n, expression in enumerate(dc.get("date", [])):
        start, end = cat_dates.normalize(expression)
        DescriptionDate.objects.create(description=d, expression=expression, start=start, end=end, position=n)
    if dc.get("date"):
        hierarchy.refresh_dates(d)
    notes = [f"dc.{k}: {v}" for k, vals in dc.items() if k not in {"title", "description", "date", "language",
                                                                        "identifier"} for v in vals]
    if notes:
        d.set_text("note", "\n".join(notes), lang)
    return d


def record(built: Built, parent: Description, locs: list[Location], options: Options) -> Aip:
    """Write the AIP, its items, files, copies and events in one transaction."""
    with transaction.atomic():
        aip = Aip.objects.create(uuid=built.uuid, fingerprint=built.fingerprint, label=built.label,
                                 description=parent, version=built.version, file_count=built.file_count,
                                 size=built.total_bytes, mets_path=built.mets_path, user=options.user,
                                 tag_files={k: list(v) for k, v in built.tag_files.items()})
        placement: dict[str, tuple[int, int]] = {}
        for item in read_jsonl(built.items_path):
            d = _make_item(parent, item)
            for n, page in enumerate(item["pages"], 1):
                for fid in page:
                    placement[fid] = (d.pk, n)
        by_uuid: dict[str, int] = {}
        batch: list[AipFile] = []

        def flush():
            AipFile.objects.bulk_create(batch)
            batch.clear()

        pending_sources: list[tuple[str, str]] = []
        for rec in read_jsonl(built.records_path):
            desc_id, page = placement.get(rec["uuid"], (None, None))
            batch.append(AipFile(aip=aip, uuid=rec["uuid"], group=rec.get("group", "original"),
                                 bag_path=rec["bag_path"], path=rec.get("rel", ""),
                                 original_name=rec.get("original", ""), puid=rec.get("puid", ""),
                                 format_name=rec.get("format", ""), mime=rec.get("mime", ""),
                                 sha256=rec["sha256"], size=rec["size"], tech=rec.get("tech") or {},
                                 iiif=rec.get("iiif"), derivative_path=rec.get("derivative") or "",
                                 description_id=desc_id, page=page, version=built.version))
            if rec.get("source_uuid"):
                pending_sources.append((rec["uuid"], rec["source_uuid"]))
            if len(batch) >= BATCH:
                flush()
        flush()
        if pending_sources:
            ids = dict(AipFile.objects.filter(aip=aip).values_list("uuid", "id"))
            ids = {str(k): v for k, v in ids.items()}
            for child, src in pending_sources:
                by_uuid[child] = ids[src]
            for start in range(0, len(pending_sources), BATCH):
                chunk = pending_sources[start:start + BATCH]
                objs = [AipFile(id=ids[c], source_id=ids[s]) for c, s in chunk]
                AipFile.objects.bulk_update(objs, ["source"])
        now = datetime.now(UTC)
        for loc in locs:
            AipCopy.objects.create(aip=aip, location=loc.name, url=loc.url.split("?")[0], status="ok", verified=now)
        for ev in built.aip_events:
            AipEvent.objects.create(aip=aip, type=ev.type, datetime=_parse_dt(ev.datetime), detail=ev.detail,
                                    outcome=ev.outcome, outcome_note=ev.outcome_note, agent=",".join(ev.agents),
                                    location=ev.location)
    return aip


def _parse_dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def result_json(aip: Aip) -> dict:
    """{"aip": uuid, "items": [{"ref", "files": [{path, uuid, puid, sha256, size, iiif}]}]} (originals in page order)."""
    items: dict[int, dict] = {}
    files = (AipFile.objects.filter(aip=aip, group="original").select_related("description")
             .order_by("description__path", "page", "id"))
    for f in files.iterator(chunk_size=BATCH):
        key = f.description_id or 0
        if key not in items:
            items[key] = {"ref": f.description.ref if f.description else None, "files": []}
        items[key]["files"].append({"path": f.path, "uuid": str(f.uuid), "puid": f.puid, "sha256": f.sha256,
                                    "size": f.size, "iiif": f.iiif})
    return {"aip": str(aip.uuid), "items": list(items.values())}
