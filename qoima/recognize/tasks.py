"""OCR as a huey job: any `qoima worker` sharing the database and queue runs it. Progress and the
result live in the ingest part's Job table (kind "ocr"), so the CLI and the web follow it the same way."""

from __future__ import annotations

import traceback

from huey.contrib.djhuey import db_task

from qoima.ingest.models import Job


def run_ocr_job(job_id: int, on_progress=None) -> Job:
    """Run an OCR Job row in this process (a worker, or the CLI inline with a progress bar)."""
    from qoima.recognize import service

    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status="running", stage="starting")

    def report(done: int, total: int, stage: str) -> None:
        if on_progress:
            on_progress(done, total, stage)
        Job.objects.filter(pk=job_id).update(done=done, total=total, stage=stage)

    try:
        result = service.ocr(job.args["ref"], lang=job.args.get("lang", ""), force=job.args.get("force", False),
                             workers=job.args.get("workers"), progress=report, agent=job.args.get("user") or "")
    except service.RecognizeError as exc:
        Job.objects.filter(pk=job_id).update(status="failed", error=str(exc))
        job.refresh_from_db()
        return job
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(status="failed", error=f"{exc}\n\n{traceback.format_exc(limit=5)}")
        raise
    Job.objects.filter(pk=job_id).update(status="done", result=result, stage="done")
    job.refresh_from_db()
    return job


@db_task(retries=1, retry_delay=30)
def run_ocr_job_task(job_id: int) -> None:
    run_ocr_job(job_id)


def submit_ocr(ref: str, lang: str = "", force: bool = False, user: str = "") -> Job:
    job = Job.objects.create(kind="ocr", args={"ref": ref, "lang": lang, "force": force, "user": user})
    run_ocr_job_task(job.pk)
    return job
