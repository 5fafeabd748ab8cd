"""Automatic OCR after ingest, where the fonds (or any description up the tree) asks for it.

Ingest does not know about recognition (it sits below): we listen for new AIP rows and, once the
ingest transaction has committed, queue an OCR job for the description the transfer went into.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from qoima.ingest.models import Aip


@receiver(post_save, sender=Aip)
def _aip_created(sender, instance: Aip, created: bool, raw: bool = False, **kw) -> None:
    if raw or not created or instance.description_id is None:
        return
    aip_id = instance.pk

    def queue() -> None:
        from qoima.recognize.service import setting_for
        from qoima.recognize.tasks import submit_ocr

        aip = Aip.objects.select_related("description").filter(pk=aip_id).first()
        if aip is None or aip.description is None:
            return
        s = setting_for(aip.description)
        if s and s.auto_after_ingest:
            submit_ocr(aip.description.ref, lang=s.lang, user="auto-ocr")

    transaction.on_commit(queue)
