"""Build an AIP from a received transfer: one pass over the files (fixity, copies to every
location, format identification, technical metadata, access derivatives), then METS/PREMIS,
BagIt tag files, verification of every copy, commit. No database here: the caller records the
result (see qoima.ingest.service) and decides what a known fingerprint means.

Bag layout (BagIt 1.0):
    data/objects/<original relative path, NFC>      originals, never modified
    data/access/<original relative path>.tif        pyramidal TIFF access copies of images
    data/metadata/transfer/metadata.csv             the transfer's descriptive metadata, if any
    data/METS.<aip uuid>.xml                        METS 1.12 + PREMIS 3
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from qoima.ingest import bags, derivatives, formats, naming
from qoima.ingest.metadata_csv import read_metadata_csv
from qoima.ingest.mets import Agent, Event, write_mets
from qoima.ingest.techmd import technical_metadata
from qoima.ingest.transfer import Transfer, TransferFile
from qoima.storage.locations import FilesystemLocation, Location
from qoima.storage.packages import PackageWriter

AIP_NS = uuidlib.UUID("6f1c3d1e-8a4b-4f4e-9b7e-2d5c0e9a1b33")
BATCH = 256
QOIMA_VERSION = "0.1.0"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def aip_prefix(aip_uuid: str, version: int) -> str:
    return f"aips/{aip_uuid}/v{version}/"


@dataclass
class Options:
    derivatives: bool = True
    institution: str = "Qoima"
    user: str = field(default_factory=lambda: os.environ.get("QOIMA_USER") or getpass.getuser())
    label: str = ""


@dataclass
class Built:
    uuid: str
    version: int
    fingerprint: str
    label: str
    records_path: Path
    items_path: Path
    tag_files: dict[str, tuple[str, int]]   # rel → (sha256, size) of tag files and METS
    aip_events: list[Event]
    agents: list[Agent]
    file_count: int
    total_bytes: int
    locations: list[str]
    mets_path: str
    duplicate_of: str | None = None


def agents_for(options: Options, tools: tuple[str, str] | None = None) -> list[Agent]:
    sf, sig = tools or (formats.tool_version(), formats.signature_version())
    return [
        Agent("preservation system", f"Qoima-{QOIMA_VERSION}", "Qoima", "software", QOIMA_VERSION),
        Agent("software", sf, "siegfried (pygfried), PRONOM " + sig, "software", sf.split()[-1]),
        Agent("software", derivatives.tool_version(), "libvips", "software", derivatives.tool_version().split()[-1]),
        Agent("repository code", options.institution, options.institution, "organization"),
        Agent("user", options.user, options.user, "person"),
    ]


def case_insensitive(locations: list[Location]) -> bool:
    """Probe each filesystem location: can it hold 'A' and 'a' side by side?"""
    for loc in locations:
        if isinstance(loc, FilesystemLocation):
            probe = loc.root / f".Qoima-Case-Probe-{uuidlib.uuid4().hex}"
            probe.write_bytes(b"")
            try:
                if Path(str(probe).lower()).exists() and str(probe).lower() != str(probe):
                    return True
            finally:
                probe.unlink(missing_ok=True)
    return False


def _image_groups(transfer: Transfer) -> Iterator[tuple[str, list[TransferFile]]]:
    from qoima.ingest.transfer import iter_folders
    yield from iter_folders(transfer.files)


class JsonLines:
    def __init__(self, path: Path):
        self.path = path
        self.f = open(path, "w", encoding="utf-8")

    def write(self, obj: dict) -> None:
        self.f.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.f.close()


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def build_aip(transfer: Transfer, locations: list[Location], work: Path, options: Options | None = None, *,
              staging_key: str, known: Callable[[str], str | None] = lambda fp: None,
              progress: Callable[[int, int, str], None] | None = None) -> Built:
    """Store the transfer as a verified AIP in every location. `known(fingerprint)` returns the
    uuid of an AIP already holding exactly this content: then nothing is stored and the result
    says `duplicate_of`."""
    options = options or Options()
    identifier = formats.Identifier()
    agents = agents_for(options, (formats.tool_version(), "(signatures loading)"))
    qoima_id, sf_id, vips_id = agents[0].id_value, agents[1].id_value, agents[2].id_value
    org_id, user_id = agents[3].id_value, agents[4].id_value
    work.mkdir(parents=True, exist_ok=True)
    started = now()

    known_names = {f.rel for f in transfer.files}
    known_names |= {str(p) for f in transfer.files for p in PurePosixPath(f.rel).parents}
    known_names.add(".")
    dc_by_name = read_metadata_csv(transfer.metadata_csv, known_names) if transfer.metadata_csv else {}

    writer = PackageWriter(locations, staging_key, final="pending/", work=work)
    records = JsonLines(work / "records.jsonl")
    items = JsonLines(work / "items.jsonl")
    pairs: list[tuple[str, str]] = []
    total = len(transfer.files)
    done = 0
    total_bytes = 0
    item_n = 0
    try:
        for folder, files in _image_groups(transfer):
            image_pages: list[list[str]] = []
            singles: list[tuple[str, list[list[str]]]] = []
            for start in range(0, len(files), BATCH):
                batch = files[start:start + BATCH]
                # siegfried identifies the batch in its helper process while this one copies it
                fut = identifier.submit([f.path for f in batch])
                entries = [writer.add_file(f"data/objects/{f.rel}", f.path) for f in batch]
                fmts = fut.result()
                for f, entry, fmt in zip(batch, entries, fmts, strict=True):
                    ts = now()
                    fid = str(uuidlib.uuid4())
                    tech, problem = technical_metadata(f.path, fmt)
                    sf_tool = agents[1].id_value
                    events = [
                        asdict_event(Event("message digest calculation", ts, "program=python hashlib; algorithm=SHA-256",
                                           "pass", entry.sha256, [qoima_id], [fid])),
                        asdict_event(Event("format identification", ts, sf_tool,
                                           "positive" if fmt.puid != "UNKNOWN" else "negative",
                                           f"{fmt.puid} ({fmt.basis}){'; ' + fmt.warning if fmt.warning else ''}",
                                           [sf_id], [fid])),
                    ]
                    if f.original != f.rel:
                        events.append(asdict_event(Event("filename change", ts, "Unicode NFC normalization", "pass",
                                                         f"{f.original!a} -> {f.rel}", [qoima_id], [fid])))
                    if problem:
                        events.append(asdict_event(Event("validation", ts, "technical metadata extraction", "fail",
                                                         problem, [vips_id], [fid])))
                    rec = {"uuid": fid, "rel": f.rel, "original": f.original, "bag_path": entry.rel,
                           "sha256": entry.sha256, "size": entry.size, "puid": fmt.puid, "format": fmt.name,
                           "format_version": fmt.version, "mime": fmt.mime, "group": "original", "tech": tech,
                           "events": events, "iiif": None, "derivative": None, "group_id": f"g-{fid}"}
                    page = [fid]
                    deriv_rec = None
                    if fmt.is_image and not problem and options.derivatives:
                        deriv_rec = _derivative(writer, f, fid, vips_id, qoima_id)
                        if deriv_rec:
                            rec["iiif"] = fid
                            rec["derivative"] = deriv_rec["bag_path"]
                            page.append(deriv_rec["uuid"])
                    records.write(rec)
                    if deriv_rec:
                        records.write(deriv_rec)
                    pairs.append((f.rel, entry.sha256))
                    total_bytes += entry.size
                    if fmt.is_image and not problem:
                        image_pages.append(page)
                    else:
                        singles.append((f.rel, [page]))
                    done += 1
                if progress:
                    progress(done, total, "copying")
            if image_pages:
                item_n += 1
                key = folder
                items.write(_item(item_n, key, "folder", image_pages, dc_by_name.get(key), transfer))
            for rel, pages in singles:
                item_n += 1
                items.write(_item(item_n, rel, "file", pages, dc_by_name.get(rel), transfer))
        if transfer.metadata_csv:
            entry = writer.add_file("data/metadata/transfer/metadata.csv", transfer.metadata_csv)
            mid = str(uuidlib.uuid4())
            records.write({"uuid": mid, "rel": "metadata/metadata.csv", "original": "metadata/metadata.csv",
                           "bag_path": entry.rel, "sha256": entry.sha256, "size": entry.size, "puid": "x-fmt/18",
                           "format": "Comma Separated Values", "mime": "text/csv", "group": "metadata",
                           "events": [asdict_event(Event("message digest calculation", now(),
                                                         "program=python hashlib; algorithm=SHA-256", "pass",
                                                         entry.sha256, [qoima_id], [mid]))]})
            pairs.append(("metadata/metadata.csv", entry.sha256))
        agents = agents_for(options, identifier.tools())
    finally:
        identifier.close()
        records.close()
        items.close()

    fingerprint = hashlib.sha256("".join(f"{s}  {r}\n" for r, s in sorted(pairs)).encode()).hexdigest()
    del pairs
    existing = known(fingerprint)
    if existing:
        writer.abort()
        return Built(existing, 1, fingerprint, "", records.path, items.path, {}, [], agents, total, total_bytes,
                     [], "", duplicate_of=existing)
    aip_uuid = str(uuidlib.uuid5(AIP_NS, fingerprint))
    writer.final = aip_prefix(aip_uuid, 1)
    label = options.label or transfer.source.name
    if progress:
        progress(done, total, "verifying")
    payload_rels = sorted(writer.entries)
    writer.verify(payload_rels)
    writer.replicate_remote(payload_rels)
    checked = now()
    aip_events = [
        Event("ingestion", started, f"transfer {transfer.source.name!a} ({total} files, {total_bytes} bytes)",
              "pass", f"into {options.label or ''}".strip(), [qoima_id, org_id, user_id], [aip_uuid]),
    ]
    for loc in locations:
        aip_events.append(Event("replication", checked, f"copy stored in location {loc.name}", "pass",
                                _redact(loc.url), [qoima_id], [aip_uuid], location=loc.name))
        aip_events.append(Event("fixity check", checked, f"every payload file re-read in {loc.name}, SHA-256",
                                "pass", f"{len(payload_rels)} files match", [qoima_id], [aip_uuid],
                                location=loc.name))
    tag_files = finish_bag(writer, aip_uuid=aip_uuid, label=label, agents=agents, aip_events=aip_events,
                           records_path=records.path, items_path=items.path,
                           bag_info_extra=[("Internal-Sender-Identifier", transfer.source.name),
                                           ("Qoima-Transfer-Fingerprint", fingerprint)],
                           institution=options.institution)
    if progress:
        progress(done, total, "committing")
    writer.commit()
    return Built(aip_uuid, 1, fingerprint, label, records.path, items.path, tag_files, aip_events, agents,
                 total, total_bytes, [loc.name for loc in locations], f"data/METS.{aip_uuid}.xml")


def asdict_event(ev: Event) -> dict:
    ev.uuid = ev.uuid or str(uuidlib.uuid4())
    return {"type": ev.type, "datetime": ev.datetime, "detail": ev.detail, "outcome": ev.outcome,
            "outcome_note": ev.outcome_note, "agents": ev.agents, "objects": ev.objects, "uuid": ev.uuid}


def _redact(url: str) -> str:
    return url.split("?")[0]


def _derivative(writer: PackageWriter, f: TransferFile, source_uuid: str, vips_id: str, qoima_id: str) -> dict | None:
    rel = f"data/access/{f.rel}.tif"
    try:
        entry, dims = writer.add_produced(rel, lambda p: derivatives.make_access_tiff(f.path, p))
    except Exception:  # a broken image keeps its original; the missing access copy is visible
        return None
    did = str(uuidlib.uuid4())
    ts = now()
    return {"uuid": did, "rel": f.rel + ".tif", "original": "", "bag_path": rel, "sha256": entry.sha256,
            "size": entry.size, "puid": "fmt/353", "format": "Tagged Image File Format", "mime": "image/tiff",
            "group": "access", "tech": dims, "source_uuid": source_uuid, "group_id": f"g-{source_uuid}",
            "events": [asdict_event(Event("normalization", ts, "access copy for IIIF deep zoom: pyramidal tiled "
                                          "TIFF, JPEG Q85, 256px tiles, sRGB", "pass", rel, [vips_id],
                                          [source_uuid, did])),
                       asdict_event(Event("message digest calculation", ts, "program=python hashlib; algorithm=SHA-256",
                                          "pass", entry.sha256, [qoima_id], [did]))]}


def _item(n: int, key: str, kind: str, pages: list[list[str]], dc: dict | None, transfer: Transfer) -> dict:
    name = transfer.source.name if key == "." else PurePosixPath(key).name
    label = (dc or {}).get("title", [None])[0] or name
    return {"id": f"item-{n}", "key": key, "type": "item", "kind": kind, "label": naming.nfc(label),
            "dc": dc or {}, "pages": pages}


def finish_bag(writer: PackageWriter, *, aip_uuid: str, label: str, agents: list[Agent], aip_events: list[Event],
               records_path: Path, items_path: Path, bag_info_extra: list[tuple[str, str]],
               institution: str) -> dict[str, tuple[str, int]]:
    """Write METS and the BagIt tag files into the stage, copy them everywhere, verify; return their digests."""
    groups = []
    for rec in read_jsonl(records_path):
        if rec.get("group", "original") not in groups:
            groups.append(rec.get("group", "original"))
    mets_rel = f"data/METS.{aip_uuid}.xml"

    def produce(path: Path) -> None:
        write_mets(path, aip_uuid=aip_uuid, label=label, created=now(), agents=agents, aip_events=aip_events,
                   records=lambda: read_jsonl(records_path), items=lambda: read_jsonl(items_path), groups=groups)

    writer.add_produced(mets_rel, produce)
    stage = writer.stage_root()
    manifest = stage / "manifest-sha256.txt"
    with open(manifest, "w", encoding="utf-8") as out:
        for rel in sorted(writer.entries):
            out.write(bags.manifest_line(writer.entries[rel].sha256, rel))
    octets = sum(e.size for e in writer.entries.values())
    bags.write_bag_declaration(stage)
    bags.write_bag_info(stage, [
        ("Source-Organization", institution),
        ("Bagging-Date", now()[:10]),
        ("Bag-Software-Agent", f"Qoima {QOIMA_VERSION}"),
        ("External-Identifier", aip_uuid),
        ("External-Description", label),
        ("Payload-Oxum", f"{octets}.{len(writer.entries)}"),
        *bag_info_extra,
    ])
    digests = bags.write_tag_manifest(stage)
    tag_files: dict[str, tuple[str, int]] = {}
    for rel, digest in digests.items():
        size = (stage / rel).stat().st_size
        tag_files[rel] = (digest, size)
        for loc in writer.fs[1:]:
            shutil.copyfile(stage / rel, writer.stage_path(rel, loc))
    for rel in tag_files:
        writer.entries[rel] = type(writer.entries[mets_rel])(rel, tag_files[rel][0], tag_files[rel][1])
    me = writer.entries[mets_rel]
    tag_files[mets_rel] = (me.sha256, me.size)
    writer.verify(sorted(tag_files))
    writer.replicate_remote(sorted(tag_files))
    return tag_files
