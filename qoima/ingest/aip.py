"""Working with stored AIPs: export a copy, add a version (OCR results ...), find IIIF access copies.

`add_version` is the API other parts use to put new files into an existing package: the new
version is a complete BagIt bag (unchanged files are hard links to the previous version on disks),
with a rewritten METS that includes the new files and their PREMIS events. The previous version
stays as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.db import transaction

from qoima.ingest import formats
from qoima.ingest.mets import Event
from qoima.ingest.models import Aip, AipCopy, AipEvent, AipFile
from qoima.ingest.package import (
    QOIMA_VERSION,
    JsonLines,
    Options,
    agents_for,
    aip_prefix,
    asdict_event,
    finish_bag,
    now,
)
from qoima.ingest.service import home, locations
from qoima.storage.locations import FilesystemLocation, Location, StorageError


class AipError(Exception):
    pass


def get_aip(uuid: str) -> Aip:
    try:
        return Aip.objects.get(uuid=uuidlib.UUID(str(uuid)))
    except (ValueError, Aip.DoesNotExist) as exc:
        raise AipError(f"no AIP {uuid}") from exc


def _intact_location(aip: Aip, locs: list[Location]) -> list[Location]:
    ok = set(AipCopy.objects.filter(aip=aip, status="ok").values_list("location", flat=True))
    return sorted(locs, key=lambda loc: (loc.name not in ok, not isinstance(loc, FilesystemLocation)))


def export(uuid: str, dest: Path) -> Path:
    """Copy the current version's bag to `dest` (which must not exist), from a verified copy."""
    aip = get_aip(uuid)
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise AipError(f"{dest} exists and is not empty")
    from qoima.ingest.audit import expected_inventory

    inventory = expected_inventory(aip)
    tmp = dest.with_name(f".{dest.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    for loc in _intact_location(aip, locations()):
        try:
            for rel, (sha, _size) in sorted(inventory.items()):
                out = tmp / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                with loc.open(aip.prefix + rel) as src, open(out, "wb") as f:
                    while chunk := src.read(1 << 20):
                        h.update(chunk)
                        f.write(chunk)
                if h.hexdigest() != sha:
                    raise StorageError(f"{loc.name}: {rel} fails its checksum")
        except (StorageError, OSError):
            shutil.rmtree(tmp, ignore_errors=True)
            continue
        if dest.exists():
            dest.rmdir()
        tmp.rename(dest)
        return dest
    raise AipError(f"no location holds an intact copy of AIP {uuid}")


def open_file(f: AipFile) -> BinaryIO:
    """A stored file of the package, read from the first location holding an intact copy
    (the reading room's downloads; the file's checksum was verified by ingest and audit)."""
    key = f.aip.prefix + f.bag_path
    for loc in _intact_location(f.aip, locations()):
        try:
            return loc.open(key)
        except (StorageError, OSError):
            continue
    raise AipError(f"no location holds {f.bag_path} of AIP {f.aip.uuid}")


@dataclass
class ImageRef:
    path: Path               # the pyramidal TIFF on a local disk
    description_id: int | None
    page: int | None
    file_uuid: str


def image_for_iiif(iiif_id: str) -> ImageRef | None:
    """The access copy behind a IIIF image id, and the description (item) and page it belongs to.
    (On the path of every tile request: one light query, no model instances.)"""
    row = (AipFile.objects.filter(iiif=iiif_id)
           .values_list("aip_id", "aip__uuid", "aip__version", "derivative_path", "description_id", "page", "uuid")
           .first())
    if row is None or not row[3]:
        return None
    aip_id, aip_uuid, version, derivative, description_id, page, file_uuid = row
    aip = Aip(pk=aip_id, uuid=aip_uuid, version=version)
    key = aip.prefix + derivative
    for loc in _intact_location(aip, locations()):
        local = loc.local_path(key)
        if local is not None and local.is_file():
            return ImageRef(local, description_id, page, str(file_uuid))
    cache = home() / "tmp" / "iiif-cache" / f"{iiif_id}.tif"
    if not cache.exists():
        for loc in locations():
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                part = cache.with_suffix(".part")
                with loc.open(key) as src, open(part, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
                part.rename(cache)
                break
            except (StorageError, OSError):
                continue
    return ImageRef(cache, description_id, page, str(file_uuid)) if cache.exists() else None


def add_version(aip_uuid: str, files: dict[str, bytes | Path], events: list[dict] | None = None, *,
                attach: dict[str, str] | None = None, group: str | None = None, agent: str = "") -> int:
    """Add files to an AIP as a new version; return the new version number.

    files:  {path under the bag's data/ folder, e.g. 'ocr/<page uuid>.alto.xml': bytes or a Path}.
            Existing paths are refused (a version adds, it never overwrites).
    events: PREMIS events to record, dicts with type, detail, outcome, outcome_note (optional
            datetime, agent, file = the path it concerns); e.g. {"type": "transcription",
            "detail": "tesseract 5.3 kaz", "file": "ocr/….alto.xml"}.
    attach: {path: uuid of the original page file} puts the new file on that page in the structMap.
    group:  METS fileGrp USE (default: first folder of the path, e.g. 'ocr')."""
    aip = get_aip(aip_uuid)
    events = events or []
    attach = attach or {}
    for rel in files:
        p = PurePosixPath(rel)
        if p.is_absolute() or ".." in p.parts or not p.parts or rel.startswith("data/"):
            raise AipError(f"{rel!r}: give a relative path under data/, without '..' or 'data/'")
        if AipFile.objects.filter(aip=aip, bag_path=f"data/{rel}").exists():
            raise AipError(f"{rel!r} is already in AIP {aip.uuid}; a new version only adds files")
    locs = locations()
    old_prefix = aip.prefix
    version = aip.version + 1
    key = f"{aip.uuid}-v{version}"
    work = home() / "tmp" / "versions" / key
    shutil.rmtree(work, ignore_errors=True)
    from qoima.storage.packages import PackageWriter

    writer = PackageWriter(locs, key, final=aip_prefix(str(aip.uuid), version), work=work)
    options = Options(institution=aip.description.repository.ref_prefix if aip.description and
                      aip.description.repository else "Qoima", label=aip.label)
    if agent:
        options.user = agent
    agents = agents_for(options)
    ts = now()
    try:
        records = JsonLines(work / "records.jsonl")
        for f in AipFile.objects.filter(aip=aip).order_by("id").iterator(chunk_size=2000):
            writer.link(f.bag_path, old_prefix + f.bag_path, f.sha256, f.size)
            records.write(_record_of(f))
        new_rows = []
        for rel, content in sorted(files.items()):
            bag_path = f"data/{rel}"
            entry = (writer.add_bytes(bag_path, content) if isinstance(content, bytes | bytearray)
                     else writer.add_file(bag_path, Path(content)))
            fmt = formats.identify(writer.stage_path(bag_path))
            fid = str(uuidlib.uuid4())
            grp = group or PurePosixPath(rel).parts[0]
            evs = [asdict_event(Event("message digest calculation", ts, "program=python hashlib; algorithm=SHA-256",
                                      "pass", entry.sha256, [agents[0].id_value], [fid])),
                   asdict_event(Event("format identification", ts, formats.tool_version(),
                                      "positive" if fmt.puid != "UNKNOWN" else "negative", fmt.puid,
                                      [agents[1].id_value], [fid]))]
            for ev in events:
                if ev.get("file") == rel:
                    evs.append(asdict_event(_event(ev, ts, [fid], agents[4].id_value)))
            page_of = attach.get(rel)
            rec = {"uuid": fid, "rel": rel, "original": "", "bag_path": bag_path, "sha256": entry.sha256,
                   "size": entry.size, "puid": fmt.puid, "format": fmt.name, "mime": fmt.mime, "group": grp,
                   "events": evs, "group_id": f"g-{page_of}" if page_of else None}
            records.write(rec)
            new_rows.append((rec, page_of))
        records.close()
        items_path = work / "items.jsonl"
        _write_items(aip, items_path, {page: rec["uuid"] for rec, page in new_rows if page})
        writer.verify()
        writer.replicate_remote()
        aip_events = [_event(ev, ts, [str(aip.uuid)], agents[4].id_value) for ev in events if not ev.get("file")]
        aip_events.append(Event("modification", ts, f"version {version}: {len(files)} files added", "pass", "",
                                [agents[0].id_value, agents[4].id_value], [str(aip.uuid)]))
        for loc in locs:
            aip_events.append(Event("replication", ts, f"copy stored in location {loc.name}", "pass",
                                    loc.url.split("?")[0], [agents[0].id_value], [str(aip.uuid)], location=loc.name))
            aip_events.append(Event("fixity check", ts, f"every payload file re-read in {loc.name}, SHA-256", "pass",
                                    "", [agents[0].id_value], [str(aip.uuid)], location=loc.name))
        tag_files = finish_bag(writer, aip_uuid=str(aip.uuid), label=aip.label, agents=agents, aip_events=aip_events,
                               records_path=records.path, items_path=items_path,
                               bag_info_extra=[("Qoima-Version", str(version))], institution=options.institution)
        writer.commit()
        with transaction.atomic():
            by_uuid = {str(u): (i, d, p) for i, u, d, p in
                       AipFile.objects.filter(aip=aip).values_list("id", "uuid", "description_id", "page")}
            for rec, page_of in new_rows:
                # a file attached to a page derives from that page's original (OCR, enhanced copy):
                # the IIIF manifest links its ALTO through `source`
                source, desc, page = by_uuid.get(page_of, (None, None, None)) if page_of else (None, None, None)
                AipFile.objects.create(aip=aip, uuid=rec["uuid"], group=rec["group"], bag_path=rec["bag_path"],
                                       path=rec["rel"], puid=rec["puid"], format_name=rec["format"],
                                       mime=rec["mime"], sha256=rec["sha256"], size=rec["size"],
                                       description_id=desc, page=page, version=version, source_id=source)
            Aip.objects.filter(pk=aip.pk).update(version=version, tag_files={k: list(v) for k, v in tag_files.items()},
                                                 mets_path=f"data/METS.{aip.uuid}.xml")
            for ev in aip_events:
                AipEvent.objects.create(aip=aip, type=ev.type, datetime=datetime.fromisoformat(
                    ev.datetime.replace("Z", "+00:00")), detail=ev.detail, outcome=ev.outcome,
                    outcome_note=ev.outcome_note, agent=",".join(ev.agents), location=ev.location)
            for loc in locs:
                AipCopy.objects.update_or_create(aip=aip, location=loc.name, defaults={
                    "status": "ok", "verified": datetime.now(UTC), "url": loc.url.split("?")[0], "problems": []})
    except BaseException:
        writer.abort()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return version


def _event(ev: dict, ts: str, objects: list[str], default_agent: str) -> Event:
    return Event(ev["type"], ev.get("datetime") or ts, ev.get("detail", ""), ev.get("outcome", "pass"),
                 ev.get("outcome_note", ""), [ev.get("agent") or default_agent], objects)


def _record_of(f: AipFile) -> dict:
    return {"uuid": str(f.uuid), "rel": f.path, "original": f.original_name, "bag_path": f.bag_path,
            "sha256": f.sha256, "size": f.size, "puid": f.puid, "format": f.format_name, "mime": f.mime,
            "group": f.group, "tech": f.tech, "source_uuid": str(f.source.uuid) if f.source_id else None,
            "group_id": f"g-{f.source.uuid if f.source_id else f.uuid}" if f.group in ("original", "access") else None,
            "events": []}


def _write_items(aip: Aip, path: Path, extra_by_page: dict[str, str]) -> None:
    """Items and pages as recorded in the database, with new files attached to their pages."""
    out = JsonLines(path)
    derived = {str(s): str(u) for u, s in AipFile.objects.filter(aip=aip, source__isnull=False)
               .values_list("uuid", "source__uuid")}
    pages: dict[int, list[list[str]]] = {}
    labels: dict[int, str] = {}
    for f in (AipFile.objects.filter(aip=aip, group="original", description__isnull=False)
              .select_related("description").order_by("description__path", "page", "id")):
        page = [str(f.uuid)] + ([derived[str(f.uuid)]] if str(f.uuid) in derived else [])
        if str(f.uuid) in extra_by_page:
            page.append(extra_by_page[str(f.uuid)])
        pages.setdefault(f.description_id, []).append(page)
        labels[f.description_id] = f.description.title or f.description.ref
    for n, (desc_id, item_pages) in enumerate(pages.items(), 1):
        out.write({"id": f"item-{n}", "key": str(desc_id), "type": "item", "label": labels[desc_id], "dc": {},
                   "pages": item_pages})
    out.close()


__all__ = ["add_version", "export", "image_for_iiif", "ImageRef", "AipError", "QOIMA_VERSION"]
