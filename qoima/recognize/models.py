"""Recognised pages and per-fonds OCR settings.

`RecognizedPage` is what readers, the API and the search index use: text (NFC), language,
confidence, flags and every word with its box (`lines`), plus where the ALTO, the plain text
and the enhanced copy are kept inside the item's AIP (the preserved copies; the ALTO is also
kept here so it can be served without touching storage).
"""

from __future__ import annotations

from django.db import models

from qoima.catalogue.models import Description


class RecognizedPage(models.Model):
    description = models.ForeignKey(Description, on_delete=models.CASCADE, related_name="recognized_pages")
    page = models.PositiveIntegerField(help_text="1-based page number within the item")
    source_file = models.ForeignKey("ingest.AipFile", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="recognized_pages", help_text="the original page image (or PDF)")
    pdf_page = models.PositiveIntegerField(null=True, blank=True, help_text="page inside the PDF file, if any")
    text = models.TextField(blank=True)
    lang = models.CharField(max_length=35, blank=True, help_text="main language, BCP 47 (kk-Cyrl, fa ...)")
    langs = models.JSONField(default=list, blank=True)
    script = models.CharField(max_length=4, blank=True, help_text="ISO 15924 of the main language")
    confidence = models.FloatField(default=0.0, help_text="mean word confidence weighted by length, 0-100")
    flags = models.JSONField(default=list, blank=True, help_text="retried, recovered, low-confidence, empty")
    source = models.CharField(max_length=10, default="ocr", help_text="ocr, or pdf-text (text layer extracted)")
    engine = models.CharField(max_length=40, default="tesseract")
    engine_version = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=60, blank=True, help_text="Tesseract model(s), e.g. kaz or fas")
    cleanup = models.JSONField(null=True, blank=True, help_text="clean-up settings used (None: original read)")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    lines = models.JSONField(default=list, blank=True,
                             help_text="[{box, lang, flags, words: [[text, x, y, w, h, conf], ...]}, ...]")
    alto = models.TextField(blank=True, help_text="ALTO 4.4 XML (also preserved in the AIP)")
    aip = models.ForeignKey("ingest.Aip", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    aip_version = models.PositiveIntegerField(null=True, blank=True)
    alto_path = models.CharField(max_length=500, blank=True, help_text="bag path of the ALTO in the AIP")
    text_path = models.CharField(max_length=500, blank=True)
    enhanced_path = models.CharField(max_length=500, blank=True, help_text="bag path of the enhanced copy")
    show_enhanced = models.BooleanField(default=False, help_text="readers see the enhanced copy, not the scan")
    seconds = models.FloatField(default=0.0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["description", "page"]
        constraints = [models.UniqueConstraint(fields=["description", "page"], name="uniq_recognized_page")]

    def __str__(self) -> str:
        return f"{self.description_id} p{self.page}"

    @property
    def dir(self) -> str:
        return "rtl" if self.script == "Arab" else "ltr"

    def words(self):
        """(line index, word text, (x, y, w, h), confidence) in reading order."""
        for li, ln in enumerate(self.lines):
            for w in ln["words"]:
                yield li, w[0], tuple(w[1:5]), w[5]

    def index_words(self) -> list[list[int]]:
        """[start, end, x, y, w, h] per word, offsets into `text` (lines joined by newline, words by
        one space): the form search.index.index_page takes to lead a hit to the word on the image."""
        out, pos = [], 0
        for ln in self.lines:
            words = [w for w in ln["words"] if w[0]]
            if not words:
                continue
            for i, w in enumerate(words):
                if i:
                    pos += 1
                out.append([pos, pos + len(w[0]), *map(int, w[1:5])])
                pos += len(w[0])
            pos += 1
        return out


class OcrSetting(models.Model):
    """OCR language and automatic OCR after ingest, set on a fonds (or any description); the
    nearest setting up the tree applies."""

    description = models.OneToOneField(Description, on_delete=models.CASCADE, related_name="ocr_setting")
    lang = models.CharField(max_length=60, default="auto", help_text="auto, or BCP 47 tags joined by + (kk-Cyrl+ru)")
    auto_after_ingest = models.BooleanField(default=False)
    show_enhanced = models.BooleanField(default=False, help_text="default reader copy for new pages")

    def __str__(self) -> str:
        return f"OCR {self.lang} auto={self.auto_after_ingest} for {self.description_id}"
