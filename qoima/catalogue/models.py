"""The catalogue: repositories (ISDIAH), descriptions (ISAD(G)), authorities (ISAAR(CPF)), terms.

Every free-text element is a row of a value table tagged with a BCP 47 language and an ISO 15924
script, so one element can hold the original and any number of translations with their provenance.
The hierarchy is a materialized path (fixed-width segments of primary keys): subtree, breadcrumb
and children are index range scans, and a move rewrites only the moved subtree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils import timezone

from qoima.catalogue import languages

# ISAD(G) 3.1.1–3.7.3: (element key, ISAD number, English label). Structured elements (reference
# code, level, dates, creators, language codes) are columns or related tables; the rest are texts.
ISAD_ELEMENTS: list[tuple[str, str, str]] = [
    ("reference_code", "3.1.1", "Reference code"),
    ("title", "3.1.2", "Title"),
    ("dates", "3.1.3", "Date(s)"),
    ("level", "3.1.4", "Level of description"),
    ("extent_and_medium", "3.1.5", "Extent and medium of the unit of description"),
    ("creators", "3.2.1", "Name of creator(s)"),
    ("admin_bio_history", "3.2.2", "Administrative / Biographical history"),
    ("archival_history", "3.2.3", "Archival history"),
    ("acquisition", "3.2.4", "Immediate source of acquisition or transfer"),
    ("scope_and_content", "3.3.1", "Scope and content"),
    ("appraisal", "3.3.2", "Appraisal, destruction and scheduling information"),
    ("accruals", "3.3.3", "Accruals"),
    ("arrangement", "3.3.4", "System of arrangement"),
    ("access_conditions", "3.4.1", "Conditions governing access"),
    ("reproduction_conditions", "3.4.2", "Conditions governing reproduction"),
    ("language_note", "3.4.3", "Language/scripts of material"),
    ("physical_characteristics", "3.4.4", "Physical characteristics and technical requirements"),
    ("finding_aids", "3.4.5", "Finding aids"),
    ("location_of_originals", "3.5.1", "Existence and location of originals"),
    ("location_of_copies", "3.5.2", "Existence and location of copies"),
    ("related_units", "3.5.3", "Related units of description"),
    ("publication_note", "3.5.4", "Publication note"),
    ("note", "3.6.1", "Note"),
    ("archivist_note", "3.7.1", "Archivist's note"),
    ("rules", "3.7.2", "Rules or conventions"),
    ("description_dates", "3.7.3", "Date(s) of descriptions"),
]
STRUCTURED_ELEMENTS = {"reference_code", "dates", "level", "creators"}
# Free-text elements of a description; `sources` and `alternative_title` come from AtoM/EAD.
DESCRIPTION_TEXT_ELEMENTS = [k for k, _, _ in ISAD_ELEMENTS if k not in STRUCTURED_ELEMENTS] + [
    "alternative_title", "sources", "physical_location",
]
ISAD_AREAS = [
    ("3.1", "Identity statement area"),
    ("3.2", "Context area"),
    ("3.3", "Content and structure area"),
    ("3.4", "Conditions of access and use area"),
    ("3.5", "Allied materials area"),
    ("3.6", "Notes area"),
    ("3.7", "Description control area"),
]
AUTHORITY_TEXT_ELEMENTS = [
    "history", "places", "legal_status", "functions", "mandates", "internal_structures",
    "general_context", "rules", "sources", "maintenance_notes", "revision_history",
]
REPOSITORY_TEXT_ELEMENTS = [
    "authorized_name", "parallel_name", "other_name", "history", "geocultural_context", "mandates",
    "internal_structures", "collecting_policies", "buildings", "holdings", "finding_aids", "opening_times",
    "access_conditions", "disabled_access", "research_services", "reproduction_services", "public_facilities",
    "address", "contact",
]

LEVELS = ["fonds", "subfonds", "collection", "series", "subseries", "file", "item", "part"]
PATH_SEGMENT = 7  # base-36 digits per level: 78 billion rows


class Method(models.TextChoices):
    ORIGINAL = "original", "original"
    HUMAN = "human", "human translation"
    MACHINE = "machine", "machine translation"
    REVIEWED = "reviewed", "machine translation, reviewed"


class Access(models.TextChoices):
    INHERIT = "", "inherit"
    OPEN = "open", "open"
    CLOSED = "closed", "closed"
    EMBARGO = "embargo", "embargoed until a date"
    RESEARCHERS = "researchers", "registered researchers only"


class LocalizedValue(models.Model):
    """One language version of one element; `is_original` marks the value as first written."""

    element = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0, help_text="order of repeated values")
    value = models.TextField()
    lang = models.CharField(max_length=35, help_text="BCP 47 tag, e.g. kk-Latn")
    script = models.CharField(max_length=4, blank=True, help_text="ISO 15924 code, e.g. Cyrl")
    is_original = models.BooleanField(default=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ORIGINAL)
    translator = models.CharField(max_length=200, blank=True)
    translated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["element", "position", "-is_original", "lang"]

    @property
    def dir(self) -> str:
        return languages.direction(self.script)

    def __str__(self) -> str:
        return f"{self.element}[{self.lang}]: {self.value[:60]}"


def pick(values: Iterable[LocalizedValue], lang: str | None = None) -> LocalizedValue | None:
    """The value to show a reader of `lang`: same tag, same language, else the original."""
    values = list(values)
    if not values:
        return None
    if lang:
        want = lang.lower()
        for v in values:
            if v.lang.lower() == want:
                return v
        for v in values:
            if languages.primary(v.lang) == languages.primary(want):
                return v
    for v in values:
        if v.is_original:
            return v
    return values[0]


class Multilingual(models.Model):
    """Shared access to a model's value table (`texts`)."""

    class Meta:
        abstract = True

    def text_values(self, element: str) -> list[LocalizedValue]:
        cache = getattr(self, "_prefetched_objects_cache", {}).get("texts")
        rows = cache if cache is not None else self.texts.all()
        return [v for v in rows if v.element == element]

    def text(self, element: str, lang: str | None = None) -> LocalizedValue | None:
        """First value of an element in the reader's language (repeated values: use `texts_in`)."""
        vals = [v for v in self.text_values(element) if v.position == 0] or self.text_values(element)
        return pick(vals, lang)

    def texts_in(self, element: str, lang: str | None = None) -> list[LocalizedValue]:
        """Each repeated value of an element, in the reader's language where one exists."""
        by_pos: dict[int, list[LocalizedValue]] = {}
        for v in self.text_values(element):
            by_pos.setdefault(v.position, []).append(v)
        return [p for pos in sorted(by_pos) if (p := pick(by_pos[pos], lang))]

    def set_text(
        self,
        element: str,
        value: str,
        lang: str,
        *,
        script: str = "",
        position: int = 0,
        original: bool | None = None,
        method: str | None = None,
        translator: str = "",
        translated_at=None,
    ) -> LocalizedValue | None:
        """Create or replace the value of (element, position, language); an empty value deletes it.

        The first value of an element is the original unless told otherwise."""
        value = languages.nfc(value).strip()
        tag, script = languages.resolve(lang, value, script)
        existing = self.texts.filter(element=element, position=position)
        if not value:
            existing.filter(lang=tag).delete()
            self._after_text_change(element)
            return None
        if original is None:
            current = existing.filter(lang=tag).first()
            original = current.is_original if current else not existing.exclude(lang=tag).exists()
        if original:
            existing.exclude(lang=tag).filter(is_original=True).update(
                is_original=False, method=Method.HUMAN)
        method = method or (Method.ORIGINAL if original else Method.HUMAN)
        if method != Method.ORIGINAL and translated_at is None:
            translated_at = timezone.now()
        obj, _ = self.texts.update_or_create(
            element=element, position=position, lang=tag,
            defaults=dict(value=value, script=script, is_original=original, method=method,
                          translator=translator, translated_at=translated_at),
        )
        self._after_text_change(element)
        return obj

    def _after_text_change(self, element: str) -> None:
        """Hook: models that cache a display value refresh it here."""


class Repository(Multilingual):
    """An archival institution (ISDIAH essentials); its code starts every reference code."""

    code = models.CharField(max_length=64, unique=True, help_text="repository identifier, e.g. APRK")
    country_code = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    name = models.CharField(max_length=500, help_text="authorized form of name (original language)")
    kind = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    is_partner = models.BooleanField(default=False, help_text="records harvested from a partner archive")
    source_url = models.URLField(blank=True, help_text="where a partner collection is harvested from")
    legacy_id = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name_plural = "repositories"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def ref_prefix(self) -> str:
        """Country code + repository code (ISAD(G) 3.1.1), without doubling a code that has it."""
        cc = self.country_code.upper()
        if cc and not self.code.upper().startswith(cc + "-"):
            return f"{cc}-{self.code}"
        return self.code

    def _after_text_change(self, element: str) -> None:
        if element == "authorized_name":
            v = self.text("authorized_name")
            if v and v.value != self.name:
                self.name = v.value[:500]
                self.save(update_fields=["name", "modified"])


class RepositoryText(LocalizedValue):
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="texts")

    class Meta(LocalizedValue.Meta):
        constraints = [models.UniqueConstraint(fields=["repository", "element", "position", "lang"],
                                               name="uniq_repository_text")]


class Description(Multilingual):
    """A unit of description at any level; `path` encodes its ancestors for index-only tree reads."""

    repository = models.ForeignKey(Repository, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="descriptions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    ref = models.CharField("reference code", max_length=500, unique=True)
    identifier = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=40, default="item", db_index=True)
    sort_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    title = models.CharField(max_length=1000, blank=True, editable=False,
                             help_text="the original title, kept for lists and sorting")
    original_lang = models.CharField(max_length=35, blank=True, help_text="language the description was written in")
    languages = models.JSONField(default=list, blank=True, help_text="languages of the material (BCP 47)")
    scripts = models.JSONField(default=list, blank=True, help_text="scripts of the material (ISO 15924)")
    date_start = models.DateField(null=True, blank=True, db_index=True)
    date_end = models.DateField(null=True, blank=True, db_index=True)
    # Access rule set on this description ('' = inherit) and the one in force (nearest rule up the tree).
    access_status = models.CharField(max_length=12, choices=Access.choices, default=Access.INHERIT, blank=True)
    access_until = models.DateField(null=True, blank=True)
    access_reason = models.CharField(max_length=500, blank=True)
    effective_access = models.CharField(max_length=12, default=Access.OPEN, db_index=True, editable=False)
    effective_until = models.DateField(null=True, blank=True, editable=False)
    effective_reason = models.CharField(max_length=500, blank=True, editable=False)
    has_digital_objects = models.BooleanField(default=False, db_index=True)
    publication_status = models.CharField(max_length=20, default="published")
    description_status = models.CharField(max_length=40, blank=True)
    level_of_detail = models.CharField(max_length=40, blank=True)
    description_identifier = models.CharField(max_length=200, blank=True)
    institution_identifier = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="import source, e.g. atom-csv:file.csv")
    legacy_id = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)

    terms = models.ManyToManyField("Term", blank=True, related_name="descriptions")

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["parent", "sort_key"], name="desc_children"),
            models.Index(fields=["source", "legacy_id"], name="desc_legacy"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return f"/records/{self.ref}"

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    def _after_text_change(self, element: str) -> None:
        if element == "title":
            v = self.text("title")
            title = v.value[:1000] if v else ""
            fields = ["modified"]
            if title != self.title:
                self.title = title
                fields.append("title")
            if v and v.is_original and self.original_lang != v.lang:
                self.original_lang = v.lang
                fields.append("original_lang")
            self.save(update_fields=fields)
        else:
            Description.objects.filter(pk=self.pk).update(modified=timezone.now())


class DescriptionText(LocalizedValue):
    description = models.ForeignKey(Description, on_delete=models.CASCADE, related_name="texts")

    class Meta(LocalizedValue.Meta):
        constraints = [models.UniqueConstraint(fields=["description", "element", "position", "lang"],
                                               name="uniq_description_text")]


class DescriptionDate(models.Model):
    """ISAD(G) 3.1.3: a date as written, its event type, and the ISO 8601 range it normalizes to."""

    description = models.ForeignKey(Description, on_delete=models.CASCADE, related_name="dates")
    event_type = models.CharField(max_length=40, default="creation")
    expression = models.CharField(max_length=500, blank=True)
    lang = models.CharField(max_length=35, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.expression or f"{self.start}/{self.end}"


class Authority(Multilingual):
    """A person, corporate body or family (ISAAR(CPF)) with all its name forms."""

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        CORPORATE = "corporate", "corporate body"
        FAMILY = "family", "family"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=500, help_text="preferred authorized form (original)")
    identifier = models.CharField(max_length=200, blank=True, db_index=True, help_text="ISAAR 5.4.1")
    corporate_identifier = models.CharField(max_length=200, blank=True, help_text="ISAAR 5.1.6")
    institution_identifier = models.CharField(max_length=500, blank=True)
    dates_of_existence = models.CharField(max_length=500, blank=True, help_text="as written (ISAAR 5.2.1)")
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    description_status = models.CharField(max_length=40, blank=True)
    level_of_detail = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=200, blank=True)
    legacy_id = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)
    terms = models.ManyToManyField("Term", blank=True, related_name="authorities")

    class Meta:
        verbose_name_plural = "authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/authorities/{self.pk}"

    def display_name(self, lang: str | None = None) -> AuthorityName | None:
        names = list(self.names.all())
        return pick([n for n in names if n.form == AuthorityName.Form.AUTHORIZED], lang) or pick(names, lang)


class AuthorityText(LocalizedValue):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="texts")

    class Meta(LocalizedValue.Meta):
        constraints = [models.UniqueConstraint(fields=["authority", "element", "position", "lang"],
                                               name="uniq_authority_text")]


class AuthorityName(models.Model):
    """One form of a name: authorized (per language/script), parallel, standardized or other."""

    class Form(models.TextChoices):
        AUTHORIZED = "authorized", "authorized form"
        PARALLEL = "parallel", "parallel form"
        STANDARDIZED = "standardized", "standardized form (other rules)"
        OTHER = "other", "other form"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="names")
    form = models.CharField(max_length=12, choices=Form.choices, default=Form.AUTHORIZED)
    value = models.CharField(max_length=500)
    lang = models.CharField(max_length=35, blank=True)
    script = models.CharField(max_length=4, blank=True)
    scheme = models.CharField(max_length=60, blank=True,
                              help_text="transliteration scheme, e.g. ALA-LC, ISO 9, kk-Latn-2021")
    is_original = models.BooleanField(default=False)

    class Meta:
        ordering = ["form", "-is_original", "lang", "value"]
        indexes = [models.Index(fields=["value"], name="authority_name_value")]

    @property
    def is_translation(self) -> bool:
        return not self.is_original

    @property
    def dir(self) -> str:
        return languages.direction(self.script)

    def __str__(self) -> str:
        return self.value


class AuthorityRelation(models.Model):
    """ISAAR(CPF) 5.3: a relationship between two authorities."""

    source = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="relations_in")
    relation_type = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    dates = models.CharField(max_length=200, blank=True)
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)


class AgentLink(models.Model):
    """An authority's role for a description: creator (ISAD 3.2.1), accumulator, subject …"""

    description = models.ForeignKey(Description, on_delete=models.CASCADE, related_name="agents")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(max_length=40, default="creator")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["description", "authority", "role"], name="uniq_agent_link")]


class Term(models.Model):
    """A controlled access point: subject, place, genre (or occupation for authorities)."""

    class Taxonomy(models.TextChoices):
        SUBJECT = "subject", "subject"
        PLACE = "place", "place"
        GENRE = "genre", "genre"
        OCCUPATION = "occupation", "occupation"

    taxonomy = models.CharField(max_length=12, choices=Taxonomy.choices)
    label = models.CharField(max_length=500, help_text="preferred label (original)")
    code = models.CharField(max_length=200, blank=True, help_text="identifier in an external vocabulary")

    class Meta:
        ordering = ["taxonomy", "label"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "label"], name="uniq_term")]

    def __str__(self) -> str:
        return self.label

    def display(self, lang: str | None = None) -> str:
        chosen = pick(list(self.labels.all()), lang)
        return chosen.value if chosen else self.label


class TermLabel(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="labels")
    value = models.CharField(max_length=500)
    lang = models.CharField(max_length=35)
    script = models.CharField(max_length=4, blank=True)
    is_original = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "lang", "value"], name="uniq_term_label")]

    @property
    def dir(self) -> str:
        return languages.direction(self.script)
