"""What OAI-PMH harvesters have been shown, so withdrawals reach them as persistent deletions.

A row is written the first time a description goes out in an OAI-PMH response. If that description
later becomes invisible to the public (closed, embargoed, researchers only) it is reported as
deleted; if it is removed from the catalogue the row stays as a tombstone (description = NULL,
`deleted_at` set). A record that was never public is never mentioned at all, not even as deleted.
"""

from __future__ import annotations

from django.db import models

from qoima.catalogue.models import Description


class OaiRecord(models.Model):
    description = models.OneToOneField(Description, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="oai_record")
    ref = models.CharField(max_length=500, db_index=True)
    repository_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=1000, blank=True, db_index=True, help_text="tree path when last seen")
    first_exposed = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "OAI-PMH record (exposure / tombstone)"

    def __str__(self) -> str:
        return f"{self.ref}{' (deleted)' if self.deleted_at else ''}"
