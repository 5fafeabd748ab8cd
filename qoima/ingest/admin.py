"""Ingest and OCR jobs and the stored packages, for archivists in the admin (read-only: jobs are
changed by the queue, packages only by ingest, OCR and audit, so that the AIP's events stay true)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from qoima.catalogue.admin import ArchivistPermissions
from qoima.ingest.models import Aip, AipCopy, Job


class ReadOnly(ArchivistPermissions):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnly, admin.ModelAdmin):
    """Status of long jobs (ingest, OCR, audit) as `qoima worker` runs them; refresh to follow."""

    list_display = ("pk", "kind", "status", "stage", "progress", "created", "modified")
    list_filter = ("status", "kind")
    readonly_fields = ("kind", "status", "stage", "done", "total", "args", "result", "error", "created", "modified")
    date_hierarchy = "created"

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        if not job.total:
            return f"{job.done}" if job.done else "—"
        pct = round(100 * job.done / job.total)
        return format_html('<progress max="{}" value="{}"></progress> {} / {} ({}%)', job.total, job.done,
                           job.done, job.total, pct)


class CopyInline(ReadOnly, admin.TabularInline):
    model = AipCopy
    extra = 0


@admin.register(Aip)
class AipAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("uuid", "label", "description", "status", "version", "file_count", "size", "created")
    list_filter = ("status",)
    search_fields = ("uuid", "label", "description__ref")
    exclude = ("tag_files",)
    readonly_fields = ("uuid", "fingerprint", "label", "description", "status", "version", "file_count", "size",
                       "mets_path", "user", "created", "modified")
    inlines = [CopyInline]
