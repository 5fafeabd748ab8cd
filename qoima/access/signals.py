"""Keep an OAI-PMH tombstone when a description that harvesters have seen is deleted."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from qoima.access.models import OaiRecord
from qoima.catalogue.models import Description


@receiver(pre_delete, sender=Description, dispatch_uid="qoima-oai-tombstone")
def tombstone(sender, instance: Description, **kwargs) -> None:
    OaiRecord.objects.filter(description_id=instance.pk).update(
        deleted_at=timezone.now(), ref=instance.ref, path=instance.path, repository_id=instance.repository_id)
