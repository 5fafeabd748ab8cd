"""Ingest and audit as huey jobs: any `qoima worker` on any machine sharing the database and queue runs them.

The Job row carries progress and the result, so the CLI and the web can show status."""

from __future__ import annotations

import traceback
from collections.abc import Callable

from huey.contrib.djhuey import db_task

from qoima.ingest.models import Job


def _progress(job_id: int, also=None):
    last = {"n": -1}

    def report(done: int, total: int, stage: str) -> None:
        if also:
            also(done, total, stage)
        if done != last["n"] and (done - last["n"] >= 50 or done == total or stage != "copying"):
            Job.objects.filter(pk=job_id).update(done=done, total=total, stage=stage)
            last["n"] = done
    return report


def run_tracked(job_id: int, work: Callable[[], dict], refused: tuple[type[Exception], ...]) -> Job:
    """Run `work` for a Job row, recording running / done with its result / failed with the error.
    `refused` errors are bad input (retrying cannot help): the job fails quietly; others re-raise
    so the queue may retry."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status="running", stage="starting")
    try:
        result = work()
    except refused as exc:
        Job.objects.filter(pk=job_id).update(status="failed", error=str(exc))
        job.refresh_from_db()
        return job
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(status="failed", error=f"{exc}\n\n{traceback.format_exc(limit=5)}")
        raise
    Job.objects.filter(pk=job_id).update(status="done", result=result, stage="done")
    job.refresh_from_db()
    return job


def run_job(job_id: int, on_progress=None) -> Job:
    """Run a Job row's work in this process (the worker, or the CLI inline)."""
    from qoima.ingest import audit, service

    job = Job.objects.get(pk=job_id)

    def work() -> dict:
        if job.kind == "ingest":
            return service.ingest(job.args["path"], job.args["into"], derivatives=job.args.get("derivatives", True),
                                  user=job.args.get("user"), progress=_progress(job_id, on_progress))
        if job.kind == "audit":
            return audit.audit(repair=job.args.get("repair", False), progress=_progress(job_id, on_progress))
        raise ValueError(f"unknown job kind {job.kind!r}")

    return run_tracked(job_id, work, (service.IngestError,))


@db_task(retries=2, retry_delay=10)
def run_job_task(job_id: int) -> None:
    run_job(job_id)


def submit(kind: str, args: dict) -> Job:
    job = Job.objects.create(kind=kind, args=args)
    run_job_task(job.pk)
    return job
