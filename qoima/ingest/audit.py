"""`qoima audit`: re-verify every copy of every AIP; with repair, restore damaged copies from good ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from qoima.ingest.models import Aip, AipCopy, AipEvent, AipFile
from qoima.ingest.service import locations
from qoima.storage.fixity import check_copy, repair_copy
from qoima.storage.locations import Location


def expected_inventory(aip: Aip) -> dict[str, tuple[str, int]]:
    """Every file the current version's bag must hold: payload from the files table, tag files from the AIP."""
    inv = {bag_path: (sha, size) for bag_path, sha, size in
           AipFile.objects.filter(aip=aip).values_list("bag_path", "sha256", "size").iterator(chunk_size=5000)}
    inv.update({rel: (v[0], v[1]) for rel, v in aip.tag_files.items()})
    return inv


def audit_aip(aip: Aip, locs: list[Location], repair: bool = False) -> dict:
    expected = expected_inventory(aip)
    now = datetime.now(UTC)
    reports = {loc.name: check_copy(loc, aip.prefix, expected) for loc in locs}
    if repair:
        good = [loc for loc in locs if reports[loc.name].intact]
        others = good + [loc for loc in locs if not reports[loc.name].intact]
        for loc in locs:
            r = reports[loc.name]
            if not r.intact:
                repair_copy(loc, others, aip.prefix, expected, r)
    all_ok = True
    for loc in locs:
        r = reports[loc.name]
        ok = r.intact or (repair and r.intact_after_repair)
        all_ok &= ok
        problems = r.missing + r.changed + r.extra + r.unreadable
        AipEvent.objects.create(
            aip=aip, type="fixity check", datetime=now, location=loc.name, agent="Qoima",
            detail=f"audit of the copy in {loc.name}: {r.checked} files re-read, SHA-256",
            outcome="pass" if r.intact else "fail",
            outcome_note="" if r.intact else
            f"missing {len(r.missing)}, changed {len(r.changed)}, extra {len(r.extra)}, unreadable {len(r.unreadable)}: "
            + ", ".join(problems[:20]))
        if r.repaired or r.removed:
            AipEvent.objects.create(
                aip=aip, type="replication", datetime=datetime.now(UTC), location=loc.name, agent="Qoima",
                detail=f"repair of the copy in {loc.name} from a verified copy",
                outcome="pass" if not r.unrepaired else "fail",
                outcome_note=f"restored {len(r.repaired)}, removed {len(r.removed)}, could not restore "
                             f"{len(r.unrepaired)}: " + ", ".join((r.repaired + r.removed + r.unrepaired)[:20]))
        AipCopy.objects.update_or_create(
            aip=aip, location=loc.name,
            defaults={"url": loc.url.split("?")[0], "verified": now,
                      "status": "ok" if ok else ("missing" if r.missing and not r.checked else "damaged"),
                      "problems": [] if ok else problems[:100]})
    Aip.objects.filter(pk=aip.pk).update(status=Aip.Status.STORED if all_ok else Aip.Status.DAMAGED)
    return {"aip": str(aip.uuid), "intact": all_ok, "copies": [reports[loc.name].as_dict() for loc in locs]}


def audit(repair: bool = False, progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Audit every AIP in every configured location; `ok` is true when all is intact (after repair)."""
    locs = locations()
    aips = list(Aip.objects.order_by("id").values_list("id", flat=True))
    results = []
    for n, pk in enumerate(aips, 1):
        results.append(audit_aip(Aip.objects.get(pk=pk), locs, repair))
        if progress:
            progress(n, len(aips), "auditing")
    return {"ok": all(r["intact"] for r in results), "aips": results}
