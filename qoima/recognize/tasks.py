"""OCR as a huey job: any `qoima worker` sharing the database and queue runs it. Progress and the
result live in the ingest part's Job table (kind "ocr"), so the CLI and the web follow it the same way."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from qoima.ingest.models import Job
from qoima.ingest.tasks import run_tracked


def run_ocr_job(job_id: int, on_progress=None) -> Job:
    """Run an OCR Job row in this process (a worker, or the CLI inline with a progress bar)."""
    from qoima.recognize import service

    job = Job.objects.get(pk=job_id)

    def report(done: int, total: int, stage: str) -> None:
        if on_progress:
            on_progress(done, total, stage)
        Job.objects.filter(pk=job_id).update(done=done, total=total, stage=stage)

    return run_tracked(job_id, lambda: service.ocr(
        job.args["ref"], lang=job.args.get("lang", ""), force=job.args.get("force", False),
        workers=job.args.get("workers"), progress=report, agent=job.args.get("user") or ""),
        (service.RecognizeError,))


@db_task(retries=1, retry_delay=30)
def run_ocr_job_task(job_id: int) -> None:
    run_ocr_job(job_id)


def submit_ocr(ref: str, lang: str = "", force: bool = False, user: str = "") -> Job:
    job = Job.objects.create(kind="ocr", args={"ref": ref, "lang": lang, "force": force, "user": user})
    run_ocr_job_task(job.pk)
    return job
