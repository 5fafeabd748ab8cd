"""Where each harvest of a partner's OAI-PMH provider stopped, so the next one asks only for changes."""

from __future__ import annotations

from django.db import models

from qoima.catalogue.models import Repository


class Harvest(models.Model):
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="harvests")
    base_url = models.URLField(max_length=1000)
    set_spec = models.CharField(max_length=500, blank=True)
    metadata_prefix = models.CharField(max_length=40, default="oai_dc")
    # The provider's responseDate of the first request of the last complete harvest: the next
    # harvest asks from there (the provider's clock, not ours).
    harvested_until = models.CharField(max_length=25, blank=True)
    last_run = models.DateTimeField(null=True, blank=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["base_url", "set_spec", "metadata_prefix"],
                                               name="uniq_harvest")]

    def __str__(self) -> str:
        return f"{self.base_url} [{self.set_spec or 'all'}] until {self.harvested_until or '-'}"
