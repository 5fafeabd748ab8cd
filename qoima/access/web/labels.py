"""Translatable names of the catalogue's codes (ISAD(G) elements and areas, levels, roles, methods).

The models keep English codes; the reading room shows them in the visitor's language from here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ELEMENT_LABELS = {
    "reference_code": _("Reference code"),
    "title": _("Title"),
    "dates": _("Date(s)"),
    "level": _("Level of description"),
    "extent_and_medium": _("Extent and medium"),
    "creators": _("Name of creator(s)"),
    "admin_bio_history": _("Administrative / biographical history"),
    "archival_history": _("Archival history"),
    "acquisition": _("Immediate source of acquisition or transfer"),
    "scope_and_content": _("Scope and content"),
    "appraisal": _("Appraisal, destruction and scheduling"),
    "accruals": _("Accruals"),
    "arrangement": _("System of arrangement"),
    "access_conditions": _("Conditions governing access"),
    "reproduction_conditions": _("Conditions governing reproduction"),
    "language_note": _("Language and scripts of material"),
    "physical_characteristics": _("Physical characteristics and technical requirements"),
    "finding_aids": _("Finding aids"),
    "location_of_originals": _("Existence and location of originals"),
    "location_of_copies": _("Existence and location of copies"),
    "related_units": _("Related units of description"),
    "publication_note": _("Publication note"),
    "note": _("Note"),
    "archivist_note": _("Archivist's note"),
    "rules": _("Rules or conventions"),
    "description_dates": _("Date(s) of description"),
    "alternative_title": _("Other title"),
    "sources": _("Sources"),
    "physical_location": _("Physical location"),
}

AREA_LABELS = {
    "3.1": _("Identity statement"),
    "3.2": _("Context"),
    "3.3": _("Content and structure"),
    "3.4": _("Conditions of access and use"),
    "3.5": _("Allied materials"),
    "3.6": _("Notes"),
    "3.7": _("Description control"),
}

LEVEL_LABELS = {
    "fonds": _("Fonds"),
    "subfonds": _("Sub-fonds"),
    "collection": _("Collection"),
    "series": _("Series"),
    "subseries": _("Sub-series"),
    "file": _("File"),
    "item": _("Item"),
    "part": _("Part"),
}

METHOD_LABELS = {
    "original": _("original"),
    "human": _("human translation"),
    "machine": _("machine translation"),
    "reviewed": _("machine translation, reviewed"),
}

ACCESS_LABELS = {
    "open": _("Open"),
    "closed": _("Closed"),
    "embargo": _("Embargoed"),
    "researchers": _("Registered researchers only"),
}

ROLE_LABELS = {
    "creator": _("Creator"),
    "accumulator": _("Accumulator"),
    "subject": _("Subject"),
}

TAXONOMY_LABELS = {
    "subject": _("Subjects"),
    "place": _("Places"),
    "genre": _("Genres"),
    "occupation": _("Occupations"),
}

AUTHORITY_KIND_LABELS = {
    "person": _("Person"),
    "corporate": _("Corporate body"),
    "family": _("Family"),
}

NAME_FORM_LABELS = {
    "authorized": _("Authorized form"),
    "parallel": _("Parallel form"),
    "standardized": _("Standardized form"),
    "other": _("Other form"),
}

AUTHORITY_ELEMENT_LABELS = {
    "history": _("History"),
    "places": _("Places"),
    "legal_status": _("Legal status"),
    "functions": _("Functions, occupations and activities"),
    "mandates": _("Mandates / sources of authority"),
    "internal_structures": _("Internal structures / genealogy"),
    "general_context": _("General context"),
    "rules": _("Rules or conventions"),
    "sources": _("Sources"),
    "maintenance_notes": _("Maintenance notes"),
    "revision_history": _("Dates of creation and revision"),
}

REPOSITORY_ELEMENT_LABELS = {
    "parallel_name": _("Parallel form of name"),
    "other_name": _("Other form of name"),
    "history": _("History"),
    "geocultural_context": _("Geographical and cultural context"),
    "mandates": _("Mandates / sources of authority"),
    "internal_structures": _("Administrative structure"),
    "collecting_policies": _("Records management and collecting policies"),
    "buildings": _("Buildings"),
    "holdings": _("Holdings"),
    "finding_aids": _("Finding aids, guides and publications"),
    "opening_times": _("Opening times"),
    "access_conditions": _("Conditions and requirements"),
    "disabled_access": _("Accessibility"),
    "research_services": _("Research services"),
    "reproduction_services": _("Reproduction services"),
    "public_facilities": _("Public areas"),
    "address": _("Address"),
    "contact": _("Contact"),
}

# Names of content languages, shown in "also in" toggles (written in their own language).
LANGUAGE_NAMES = {
    "kk": "қазақша", "kk-Latn": "qazaqşa", "kk-Arab": "قازاقشا (توتە)", "ru": "русский", "en": "English",
    "ar": "العربية", "fa": "فارسی", "tr": "Türkçe", "fr": "français", "de": "Deutsch",
}


def label(table: dict, key: str) -> str:
    """The translated label, or the code itself for custom values (custom levels, roles)."""
    return table.get(key) or key.replace("_", " ")
