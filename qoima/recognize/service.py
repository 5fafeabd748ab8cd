"""OCR of catalogue descriptions: find the page files of a description and everything under it,
recognise them in the worker pool, add ALTO + text + enhanced copies to each AIP as a new version
with PREMIS events, and record the pages for readers, the API and the search index.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction

from qoima.catalogue.hierarchy import ancestors, subtree
from qoima.catalogue.models import Description
from qoima.ingest.models import Aip, AipFile

from . import alto as alto_mod
from .languages import MODELS, parse_langs, script_of
from .models import OcrSetting, RecognizedPage
from .page import PageText
from .pool import OcrPool

Progress = Callable[[int, int, str], None]
IMAGE_MIMES = ("image/",)
PDF_MIMES = ("application/pdf",)


class RecognizeError(Exception):
    pass


@dataclass
class PageJob:
    description: Description
    page: int                  # 1-based page number within the item
    file: AipFile
    pdf_page: int | None = None


def get_description(ref: str) -> Description:
    d = Description.objects.filter(ref=ref).first()
    if d is None:
        raise RecognizeError(f"no description with reference code {ref!r}")
    return d


def setting_for(d: Description) -> OcrSetting | None:
    """The OCR setting nearest up the tree (the description's own first)."""
    chain = [d, *reversed(ancestors(d))]
    by_desc = {s.description_id: s for s in OcrSetting.objects.filter(description__in=chain)}
    for x in chain:
        if x.pk in by_desc:
            return by_desc[x.pk]
    return None


def configure(ref: str, *, lang: str | None = None, auto: bool | None = None,
              show_enhanced: bool | None = None) -> OcrSetting:
    """Set the OCR language / auto-OCR after ingest / reader copy on a fonds (or any description)."""
    d = get_description(ref)
    if lang is not None and lang != "auto":
        lang = "+".join(parse_langs(lang))
    s, _ = OcrSetting.objects.get_or_create(description=d)
    if lang is not None:
        s.lang = lang
    if auto is not None:
        s.auto_after_ingest = auto
    if show_enhanced is not None:
        s.show_enhanced = show_enhanced
    s.save()
    return s


def _page_count(f: AipFile) -> int:
    pages = (f.tech or {}).get("pages")
    try:
        return max(1, int(pages))
    except (TypeError, ValueError):
        return 0


def page_jobs(root: Description) -> list[PageJob]:
    """Every page to read under `root` (itself included): original images, and PDFs page by page."""
    jobs: list[PageJob] = []
    descs = subtree(root).filter(digital_files__group="original").distinct()
    files = (AipFile.objects.filter(description__in=descs, group="original")
             .select_related("aip", "description").order_by("description__path", "page", "id"))
    counters: dict[int, int] = {}
    for f in files:
        mime = f.mime or ""
        if not mime.startswith(IMAGE_MIMES + PDF_MIMES) and not f.bag_path.lower().endswith(".pdf"):
            continue
        n = counters.get(f.description_id, 0)
        if mime in PDF_MIMES or f.bag_path.lower().endswith(".pdf"):
            count = _page_count(f) or _pdf_pages_of(f)
            for k in range(1, count + 1):
                n += 1
                jobs.append(PageJob(f.description, n, f, pdf_page=k))
        else:
            n += 1
            jobs.append(PageJob(f.description, n, f))
        counters[f.description_id] = n
    return jobs


def _pdf_pages_of(f: AipFile) -> int:
    import pypdfium2 as pdfium

    path = local_copy(f)
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def local_copy(f: AipFile) -> Path:
    """A local path to the stored file: the file itself on a filesystem location, else a cached copy."""
    from qoima.ingest.service import home, locations

    key = f.aip.prefix + f.bag_path
    for loc in locations():
        local = loc.local_path(key)
        if local is not None and local.is_file():
            return local
    cache = home() / "tmp" / "ocr-cache" / f"{f.uuid}{Path(f.bag_path).suffix}"
    if cache.exists():
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    for loc in locations():
        try:
            part = cache.with_name(cache.name + ".part")
            with loc.open(key) as src, open(part, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            part.rename(cache)
            return cache
        except OSError:
            continue
    raise RecognizeError(f"{f.bag_path}: no storage location can read AIP {f.aip.uuid}")


def ocr(ref: str, *, lang: str = "", force: bool = False, workers: int | None = None,
        progress: Progress | None = None, agent: str = "") -> dict:
    """Recognise every page of `ref` and the descriptions under it that has not been read yet
    (all with force=True). lang: "auto", tags like "kk-Cyrl+ru", or "" for the fonds setting."""
    from qoima.ingest.service import home

    root = get_description(ref)
    if lang and lang != "auto":
        lang = "+".join(parse_langs(lang))
    jobs = page_jobs(root)
    done_keys = set() if force else set(
        RecognizedPage.objects.filter(description__in={j.description.pk for j in jobs})
        .values_list("description_id", "page"))
    todo = [j for j in jobs if (j.description.pk, j.page) not in done_keys]
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    work = home() / "tmp" / "ocr" / run_id
    work.mkdir(parents=True, exist_ok=True)
    langs_by_desc: dict[int, str] = {}
    tasks = []
    for i, j in enumerate(todo):
        if j.description.pk not in langs_by_desc:
            s = setting_for(j.description)
            langs_by_desc[j.description.pk] = lang or (s.lang if s else "auto")
        task = {"id": i, "path": str(local_copy(j.file)), "lang": langs_by_desc[j.description.pk], "cleanup": True,
                "enhanced": str(work / f"{j.file.uuid}-{j.pdf_page or 1}.png")}
        if j.pdf_page:
            task["pdf_page"] = j.pdf_page
        tasks.append(task)
    total = len(tasks)
    if progress:
        progress(0, total, "reading pages")
    results: dict[int, dict] = {}
    errors: list[str] = []
    pages_done = 0
    try:
        with OcrPool(min(workers or 0, total) or None) as pool:
            for res in pool.run(tasks):
                if "error" in res:
                    errors.append(res["error"])
                else:
                    results[res["id"]] = res
                if progress:
                    progress(len(results) + len(errors), total, "reading pages")
        # One new AIP version per package with every page it holds.
        by_aip: dict[int, list[int]] = {}
        for i in results:
            by_aip.setdefault(todo[i].file.aip_id, []).append(i)
        for aip_id, idxs in by_aip.items():
            if progress:
                progress(total, total, "preserving results in the AIP")
            pages_done += _store(Aip.objects.get(pk=aip_id), [(todo[i], results[i]) for i in sorted(idxs)],
                                 run_id, agent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"ref": root.ref, "pages": len(jobs), "recognized": pages_done,
            "skipped": len(jobs) - len(todo), "errors": errors, "run": run_id}


def premis_detail(page: PageText) -> str:
    """Engine, version, model and clean-up settings in one line for the PREMIS event."""
    if page.source == "pdf-text":
        return f"text layer extracted with pdfium (pypdfium2 {page.engine_version}); no OCR"
    cl = page.cleanup or {}
    steps = ",".join(cl.get("steps", [])) or "none"
    return (f"program=Tesseract; version={page.engine_version}; model={page.model}; languages={'+'.join(page.langs)}; "
            f"cleanup=v{cl.get('version', '-')} [{steps}] median={cl.get('median')} skew={cl.get('skew_degrees')} "
            f"otsu={cl.get('otsu_threshold')}; detection={'auto' if page.detection else 'given'}")


def _store(aip: Aip, done: list[tuple[PageJob, dict]], run_id: str, agent: str) -> int:
    """Add ALTO, text and enhanced copies to the AIP (new version), then record the pages."""
    from qoima.ingest.aip import add_version

    files: dict[str, bytes | Path] = {}
    events: list[dict] = []
    attach: dict[str, str] = {}
    rows = []
    for job, res in done:
        page = PageText.from_dict(res["page"])
        stem = f"{job.file.uuid}" + (f"-p{job.pdf_page}" if job.pdf_page else "")
        alto_rel = f"ocr/{run_id}/{stem}.alto.xml"
        text_rel = f"ocr/{run_id}/{stem}.txt"
        alto_bytes = alto_mod.to_alto(page, image_name=Path(job.file.bag_path).name, page_number=job.page)
        files[alto_rel] = alto_bytes
        files[text_rel] = alto_mod.to_text(page).encode("utf-8")
        attach[alto_rel] = str(job.file.uuid)
        detail = premis_detail(page)
        outcome = "pass" if page.text else "fail"
        note = f"{len(page.text)} characters, confidence {page.conf:.1f}" + (
            f", flags {','.join(page.flags)}" if page.flags else "")
        kind = "transcription" if page.source == "ocr" else "extraction"
        events.append({"type": kind, "detail": detail, "outcome": outcome, "outcome_note": note, "file": alto_rel})
        enhanced_rel = ""
        if res.get("enhanced"):
            enhanced_rel = f"enhanced/{run_id}/{stem}.png"
            files[enhanced_rel] = Path(res["enhanced"])
            events.append({"type": "creation", "file": enhanced_rel, "outcome": "pass",
                           "detail": f"page clean-up v{(page.cleanup or {}).get('version')}: "
                                     f"{', '.join((page.cleanup or {}).get('steps', []))}",
                           "outcome_note": f"enhanced copy of {job.file.bag_path}; the original is unchanged"})
        rows.append((job, page, alto_bytes, alto_rel, text_rel, enhanced_rel))
    version = add_version(str(aip.uuid), files, events, attach=attach, agent=agent)
    with transaction.atomic():
        for job, page, alto_bytes, alto_rel, text_rel, enhanced_rel in rows:
            s = setting_for(job.description)
            existing = RecognizedPage.objects.filter(description=job.description, page=job.page).first()
            RecognizedPage.objects.update_or_create(
                description=job.description, page=job.page,
                defaults={
                    "source_file": job.file, "pdf_page": job.pdf_page, "text": page.text, "lang": page.lang,
                    "langs": page.langs, "script": script_of(page.lang) if page.lang in MODELS else "",
                    "confidence": round(page.conf, 2), "flags": page.flags, "source": page.source,
                    "engine": page.engine, "engine_version": page.engine_version, "model": page.model,
                    "cleanup": page.cleanup, "width": page.width, "height": page.height,
                    "lines": lines_json(page), "alto": alto_bytes.decode("utf-8"), "aip": aip,
                    "aip_version": version, "alto_path": f"data/{alto_rel}", "text_path": f"data/{text_rel}",
                    "enhanced_path": f"data/{enhanced_rel}" if enhanced_rel else "",
                    "show_enhanced": existing.show_enhanced if existing else bool(s and s.show_enhanced),
                    "seconds": page.seconds,
                })
    return len(rows)


def lines_json(page: PageText) -> list[dict]:
    return [{"box": list(ln.box), "lang": ln.lang, "flags": ln.flags,
             "words": [[w.text, *map(int, w.box), round(w.conf, 1)] for w in ln.words]}
            for ln in page.lines if ln.words]


def pages_of(ref: str, page: int | None = None) -> list[RecognizedPage]:
    """Recognised pages of one description (item), in page order."""
    d = get_description(ref)
    qs = RecognizedPage.objects.filter(description=d).order_by("page")
    if page is not None:
        qs = qs.filter(page=page)
    return list(qs)


def texts_under(ref: str) -> list[RecognizedPage]:
    """Recognised pages of a description and everything under it, in tree and page order."""
    d = get_description(ref)
    return list(RecognizedPage.objects.filter(description__in=subtree(d))
                .select_related("description").order_by("description__path", "page"))


def choose_copy(ref: str, page: int, enhanced: bool) -> RecognizedPage:
    """Archivist's choice of the copy readers see for a page: the enhanced copy or the original scan."""
    pages = pages_of(ref, page)
    if not pages:
        raise RecognizeError(f"{ref}: page {page} has not been recognised")
    p = pages[0]
    if enhanced and not p.enhanced_path:
        raise RecognizeError(f"{ref}: page {page} has no enhanced copy (text layer PDF)")
    p.show_enhanced = enhanced
    p.save(update_fields=["show_enhanced", "modified"])
    return p


def enhanced_file(p: RecognizedPage) -> Path | None:
    """A local path to the enhanced copy of a page (for side-by-side viewing)."""
    if not p.enhanced_path or p.aip is None:
        return None
    f = AipFile.objects.filter(aip=p.aip, bag_path=p.enhanced_path).select_related("aip").first()
    return local_copy(f) if f else None
