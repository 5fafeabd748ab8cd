"""Keep the index in step with the catalogue, in the same transaction as the change.

The catalogue never imports search; search listens to the catalogue's model signals. Writes that
bypass signals (queryset.update, bulk_create) must call index.index_descriptions() themselves —
access rules and moves need nothing: visibility, reference and title are read live at query time.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from qoima.catalogue.models import (
    AgentLink,
    Authority,
    AuthorityName,
    AuthorityText,
    Description,
    DescriptionDate,
    DescriptionText,
    TermLabel,
)
from qoima.search import index

_DESCRIPTION_FIELDS = {"ref", "identifier"}


@receiver(post_save, sender=Description)
def _description_saved(sender, instance: Description, created: bool, update_fields=None, raw=False, **kw):
    if raw:
        return
    if created or update_fields is None or _DESCRIPTION_FIELDS & set(update_fields):
        index.index_descriptions([instance.pk])


@receiver(post_save, sender=DescriptionText)
@receiver(post_save, sender=DescriptionDate)
@receiver(post_save, sender=AgentLink)
def _description_part_saved(sender, instance, raw=False, **kw):
    if not raw:
        index.index_descriptions([instance.description_id])


@receiver(post_delete, sender=DescriptionText)
@receiver(post_delete, sender=DescriptionDate)
@receiver(post_delete, sender=AgentLink)
def _description_part_deleted(sender, instance, **kw):
    index.index_descriptions([instance.description_id], create=False)


@receiver(post_save, sender=Authority)
def _authority_saved(sender, instance: Authority, created: bool, raw=False, **kw):
    if not raw:
        index.index_authorities([instance.pk], with_descriptions=not created)


@receiver(post_save, sender=AuthorityName)
@receiver(post_save, sender=AuthorityText)
def _authority_part_saved(sender, instance, raw=False, **kw):
    if not raw:
        index.index_authorities([instance.authority_id])


@receiver(post_delete, sender=AuthorityName)
@receiver(post_delete, sender=AuthorityText)
def _authority_part_deleted(sender, instance, **kw):
    index.index_authorities([instance.authority_id], create=False)


@receiver(post_save, sender=TermLabel)
@receiver(post_delete, sender=TermLabel)
def _term_label_changed(sender, instance: TermLabel, **kw):
    ids = list(Description.objects.filter(terms=instance.term_id).values_list("pk", flat=True))
    if ids:
        index.index_descriptions(ids, create=False)


@receiver(m2m_changed, sender=Description.terms.through)
def _terms_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kw):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        index.index_descriptions([instance.pk])
    elif pk_set:
        index.index_descriptions(pk_set)


def connect_recognized_pages() -> bool:
    """Index recognized text when the recognize part is installed (it sits below search):
    each saved RecognizedPage is indexed with its word boxes, a deleted one removed."""
    from django.apps import apps

    if not apps.is_installed("qoima.recognize"):
        return False
    page_model = apps.get_model("recognize", "RecognizedPage")

    def saved(sender, instance, raw=False, **kw):
        if raw:
            return
        words = instance.index_words() if hasattr(instance, "index_words") else None
        index.index_page(instance.description_id, instance.page, instance.text, lang=instance.lang,
                         script=instance.script, words=words)

    def deleted(sender, instance, **kw):
        index.index_page(instance.description_id, instance.page, "")

    post_save.connect(saved, sender=page_model, weak=False, dispatch_uid="search_recognized_page_saved")
    post_delete.connect(deleted, sender=page_model, weak=False, dispatch_uid="search_recognized_page_deleted")
    return True
