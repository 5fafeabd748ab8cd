"""The index table: one row per searchable unit (a description, an authority, an OCR page).

The row holds pre-analyzed keys (see analyze.py) in eight columns, title-like text (titles, names)
apart from the body so matches there rank higher. SQLite indexes them with an FTS5 table kept in
step by triggers; PostgreSQL with generated tsvector columns (weights A-D = ex/st/tr/sk) and a GIN
index, plus pg_trgm on the romanized title keys. Reference, title, level, access are read live
from the catalogue at query time, so a move needs no reindex; access columns are mirrored by triggers.
Small columns come first: SQLite reads a row's columns in order, and the key columns are long.
"""

from __future__ import annotations

from django.db import models

from qoima.catalogue.models import Authority, Description

KEY_COLUMNS = ("t_ex", "t_st", "t_tr", "t_sk", "b_ex", "b_st", "b_tr", "b_sk")


class Entry(models.Model):
    class Kind(models.TextChoices):
        DESCRIPTION = "description", "description"
        AUTHORITY = "authority", "authority record"
        PAGE = "page", "recognized page"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.ForeignKey(Description, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+", db_constraint=True)
    authority = models.ForeignKey(Authority, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField(null=True, blank=True, help_text="1-based page of an OCR entry")
    # Copies of the description's access rule in force, kept by database triggers on the catalogue
    # table (so queryset.update() and tree-wide rule changes reach them): the policy's filter is
    # applied to these columns inside the index scan, without a lookup per match.
    effective_access = models.CharField(max_length=12, default="open")
    effective_until = models.DateField(null=True, blank=True)
    langs = models.CharField(max_length=200, blank=True, help_text="space-separated primary languages of the text")
    segments = models.JSONField(default=list, help_text="[[element, lang, script, text], ...] for snippets")
    words = models.JSONField(null=True, blank=True, help_text="OCR word boxes [[start, end, x, y, w, h], ...]")
    t_ex = models.TextField(blank=True)
    t_st = models.TextField(blank=True)
    t_tr = models.TextField(blank=True)
    t_sk = models.TextField(blank=True)
    b_ex = models.TextField(blank=True)
    b_st = models.TextField(blank=True)
    b_tr = models.TextField(blank=True)
    b_sk = models.TextField(blank=True)

    class Meta:
        db_table = "search_entry"
        indexes = [
            models.Index(fields=["description", "kind", "page"], name="search_entry_desc"),
            models.Index(fields=["authority"], name="search_entry_auth"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} d={self.description_id} a={self.authority_id} p={self.page}"
