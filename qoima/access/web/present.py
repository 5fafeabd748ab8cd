"""What the reading room shows of a record: values picked for the visitor's language, with the
other language versions and the translation provenance alongside, grouped by ISAD(G) area.

Pure read functions over prefetched rows; the access decisions stay in the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qoima.access.web.labels import AREA_LABELS, ELEMENT_LABELS, LANGUAGE_NAMES, label
from qoima.catalogue import languages
from qoima.catalogue.models import ISAD_ELEMENTS, DescriptionDate, LocalizedValue, Multilingual, pick

# The ISAD(G) area each element belongs to (from its number); extra elements join the nearest area.
ELEMENT_AREA = {key: num.rsplit(".", 1)[0] for key, num, _ in ISAD_ELEMENTS}
ELEMENT_AREA.update({"alternative_title": "3.1", "sources": "3.7", "physical_location": "3.5"})
# Shown in the page heading or as structured rows, not as free-text rows of their area.
HEADING_ELEMENTS = {"title"}


@dataclass
class Shown:
    """One value in the language chosen for the visitor, plus the others a reader may open."""

    value: LocalizedValue
    others: list[LocalizedValue] = field(default_factory=list)
    fallback: bool = False  # not in the visitor's language

    @property
    def lang(self) -> str:
        return self.value.lang

    @property
    def dir(self) -> str:
        return self.value.dir

    @property
    def text(self) -> str:
        return self.value.value

    @property
    def method(self) -> str:
        return self.value.method

    @property
    def is_translation(self) -> bool:
        return not self.value.is_original


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(languages.primary(tag)) or tag


def script_dir(tag: str, script: str = "") -> str:
    return languages.direction(script or languages.resolve(tag)[1]) if tag else "ltr"


def show(values: list[LocalizedValue], lang: str) -> Shown | None:
    chosen = pick(values, lang)
    if chosen is None:
        return None
    others = sorted((v for v in values if v is not chosen), key=lambda v: (not v.is_original, v.lang))
    same = languages.primary(chosen.lang) == languages.primary(lang)
    return Shown(chosen, others, fallback=not same)


def element_values(obj: Multilingual, element: str, lang: str) -> list[Shown]:
    """Every repeated value of an element, each in the visitor's language where one exists."""
    by_pos: dict[int, list[LocalizedValue]] = {}
    for v in obj.text_values(element):
        by_pos.setdefault(v.position, []).append(v)
    return [s for pos in sorted(by_pos) if (s := show(by_pos[pos], lang))]


@dataclass
class Row:
    key: str
    label: str
    values: list[Shown]


@dataclass
class Area:
    code: str
    label: str
    rows: list[Row]


def areas(obj: Multilingual, lang: str, always: set[str] = frozenset()) -> list[Area]:
    """The filled free-text elements of a description by ISAD(G) area, in standard order; areas in
    `always` are listed even without text rows (the template adds their structured rows)."""
    present = {v.element for v in _rows(obj)}
    order = [k for k, _, _ in ISAD_ELEMENTS] + ["alternative_title", "physical_location", "sources"]
    order += sorted(present - set(order))
    out = []
    for code in AREA_LABELS:
        rows = []
        for key in order:
            if key in HEADING_ELEMENTS or key not in present or ELEMENT_AREA.get(key, "3.6") != code:
                continue
            vals = element_values(obj, key, lang)
            if vals:
                rows.append(Row(key, str(label(ELEMENT_LABELS, key)), vals))
        if rows or code in always:
            out.append(Area(code, str(AREA_LABELS[code]), rows))
    return out


def _rows(obj: Multilingual) -> list[LocalizedValue]:
    cache = getattr(obj, "_prefetched_objects_cache", {}).get("texts")
    return list(cache if cache is not None else obj.texts.all())


def texts(obj: Multilingual, elements: list[str], labels: dict, lang: str) -> list[Row]:
    """Filled elements of an authority or repository, in the given order."""
    rows = []
    for key in elements:
        vals = element_values(obj, key, lang)
        if vals:
            rows.append(Row(key, str(label(labels, key)), vals))
    return rows


@dataclass
class ShownDate:
    expression: str
    lang: str
    dir: str
    event_type: str
    start: object
    end: object
    others: list[DescriptionDate]


def dates(rows: list[DescriptionDate], lang: str) -> list[ShownDate]:
    """Dates as written; where one date is written in several languages, the visitor's first."""
    groups: dict[tuple[str, int], list[DescriptionDate]] = {}
    for d in rows:
        groups.setdefault((d.event_type, d.position), []).append(d)
    out = []
    for group in groups.values():
        want = languages.primary(lang)
        chosen = next((d for d in group if languages.primary(d.lang) == want), None) or group[0]
        text = chosen.expression or "/".join(str(x) for x in (chosen.start, chosen.end) if x)
        out.append(ShownDate(text, chosen.lang, script_dir(chosen.lang) if chosen.lang else "auto",
                             chosen.event_type, chosen.start, chosen.end,
                             [d for d in group if d is not chosen and d.expression]))
    return out


def name_of(obj, lang: str) -> Shown | None:
    """Display name of a repository (authorized_name values) in the visitor's language."""
    vals = obj.text_values("authorized_name")
    return show(vals, lang) if vals else None


def authority_name(authority, lang: str):
    """The name form a reader of `lang` knows the authority by: an authorized, parallel or
    standardized form in that language, else the authorized original."""
    names = list(authority.names.all())
    want = languages.primary(lang)
    for form in ("authorized", "parallel", "standardized"):
        exact = [n for n in names if n.form == form and n.lang.lower() == lang.lower()]
        same = exact or [n for n in names if n.form == form and languages.primary(n.lang) == want]
        if same:
            return same[0]
    return authority.display_name(lang)
