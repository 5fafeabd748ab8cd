"""What the archive knows about its AIPs: packages, their files, their copies, their events, jobs.

A row of Aip exists only once every location holds a verified copy (it is written in the same
transaction as the items it describes), so a listed AIP is never partial. Per-file PREMIS events
live in the METS inside the package; the database keeps package-level events (ingestion,
replication, fixity checks, repairs, new versions) for audit reports and the web.
"""

from __future__ import annotations

import uuid

from django.db import models


class Aip(models.Model):
    class Status(models.TextChoices):
        STORED = "stored", "stored, every copy verified"
        DAMAGED = "damaged", "a copy failed its last audit"

    uuid = models.UUIDField(unique=True)
    fingerprint = models.CharField(max_length=64, unique=True,
                                   help_text="SHA-256 over the transfer's (checksum, path) lines: same content, same AIP")
    label = models.CharField(max_length=500)
    description = models.ForeignKey("catalogue.Description", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="aips", help_text="the description the transfer was ingested into")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STORED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    file_count = models.PositiveIntegerField(default=0)
    size = models.BigIntegerField(default=0, help_text="bytes of the originals")
    tag_files = models.JSONField(default=dict, help_text="{path: [sha256, size]} of tag files and METS, current version")
    mets_path = models.CharField(max_length=200)
    user = models.CharField(max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "AIP"

    def __str__(self) -> str:
        return f"{self.uuid} {self.label}"

    @property
    def prefix(self) -> str:
        return f"aips/{self.uuid}/v{self.version}/"


class AipFile(models.Model):
    """One file of the package: an original, an access copy, the transfer metadata, an OCR result..."""

    aip = models.ForeignKey(Aip, on_delete=models.CASCADE, related_name="files")
    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    group = models.CharField(max_length=20, default="original", help_text="original, access, metadata, ocr ...")
    bag_path = models.CharField(max_length=2000, help_text="path inside the bag, e.g. data/objects/…")
    path = models.CharField(max_length=2000, blank=True, help_text="relative path in the transfer (NFC)")
    original_name = models.CharField(max_length=2000, blank=True, help_text="the path exactly as received")
    puid = models.CharField(max_length=40, blank=True, db_index=True)
    format_name = models.CharField(max_length=300, blank=True)
    mime = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    tech = models.JSONField(default=dict, blank=True, help_text="width, height, dpi, colour space, pages")
    iiif = models.CharField(max_length=64, null=True, blank=True, unique=True, help_text="IIIF image id")
    derivative_path = models.CharField(max_length=2000, blank=True, help_text="bag path of the IIIF access copy")
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="derived")
    description = models.ForeignKey("catalogue.Description", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="digital_files")
    page = models.PositiveIntegerField(null=True, blank=True, help_text="order among the item's pages")
    version = models.PositiveIntegerField(default=1, help_text="AIP version that added the file")

    class Meta:
        ordering = ["aip", "description", "page", "id"]
        indexes = [models.Index(fields=["aip", "bag_path"], name="aipfile_path"),
                   models.Index(fields=["description", "page"], name="aipfile_pages")]

    def __str__(self) -> str:
        return self.bag_path


class AipCopy(models.Model):
    """The copy of a package held by one storage location, with its last verification."""

    aip = models.ForeignKey(Aip, on_delete=models.CASCADE, related_name="copies")
    location = models.CharField(max_length=100)
    url = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, default="ok", help_text="ok, damaged, missing")
    verified = models.DateTimeField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["aip", "location"], name="uniq_aip_copy")]
        ordering = ["aip", "location"]


class AipEvent(models.Model):
    """A PREMIS event about a package (or one of its files)."""

    aip = models.ForeignKey(Aip, on_delete=models.CASCADE, related_name="events")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    type = models.CharField(max_length=60)
    datetime = models.DateTimeField()
    detail = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, default="pass")
    outcome_note = models.TextField(blank=True)
    agent = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["datetime", "id"]


class Job(models.Model):
    """A long task (ingest, audit) as the CLI and the web see it: progress, result, error."""

    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=10, default="queued", help_text="queued, running, done, failed")
    args = models.JSONField(default=dict)
    stage = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
