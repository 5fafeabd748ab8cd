"""AtoM archival-description CSV import: the official examples, a multilingual file, bad input."""

from __future__ import annotations

import unicodedata

import pytest
from catalogue_fixtures import DATA, everything_stored, fold, missing_cells

from qoima.catalogue.atom_descriptions import import_descriptions
from qoima.catalogue.importing import CatalogueImportError
from qoima.catalogue.models import AgentLink, Description, DescriptionDate, Repository, Term

pytestmark = pytest.mark.django_db

HEADER = "legacyId,parentId,identifier,title,levelOfDescription,culture\n"


def write(tmp_path, text: str, name: str = "in.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("name", ["example_information_objects_isad.csv", "example_information_objects_rad.csv"])
def test_atom_examples_import_completely(standards, name):
    path = standards / "atom-csv" / name
    report = import_descriptions(path)
    assert report.created == 2
    assert missing_cells(path) == []
    fonds = Description.objects.get(identifier="F1")
    item = fonds.children.get()
    assert fonds.level == "fonds" and item.level == "item"
    assert fonds.ref.endswith("-F1") and item.ref.startswith(fonds.ref + "-")
    creation = fonds.dates.get(event_type="creation")
    assert creation.start.isoformat().endswith("-01-01") and creation.end.isoformat().endswith("-12-31")
    assert AgentLink.objects.filter(description=fonds, role="creator").count() == 1
    assert AgentLink.objects.filter(description=fonds, role="accumulator").count() == 1
    assert fonds.languages == ["en", "fr"]
    assert [v.value for v in fonds.texts_in("note")][:2] == [
        "Example fonds General note (ISAD 3.6.1)" if "isad" in name else "Example Fonds General note (RAD 1.8B21)",
        "Example fonds General note 2" if "isad" in name else "Example Fonds General note 2"]


def test_rad_columns_land_in_nearest_isad_element(standards):
    import_descriptions(standards / "atom-csv" / "example_information_objects_rad.csv")
    fonds = Description.objects.get(identifier="F1")
    physical = [v.value for v in fonds.texts_in("physical_characteristics")]
    assert "Conservation: Example Fonds Conservation note (RAD 1.8B9b)" in physical
    series = [v.value for v in fonds.texts_in("publication_note")]
    assert any(v.startswith("Title proper of publisher's series:") for v in series)
    assert fonds.text("reproduction_conditions").value.startswith("Example Fonds Terms governing use")
    assert Term.objects.filter(taxonomy="place", label="Place of publication, distribution, etc (RAD 1.4C)").exists()


def test_multilingual_csv(tmp_path):
    report = import_descriptions(DATA / "multilingual.csv")
    assert report.created == 6 and report.translations == 6
    fonds = Description.objects.get(identifier="F7")
    assert fonds.original_lang == "kk"
    titles = {v.lang: v for v in fonds.text_values("title")}
    assert set(titles) == {"kk", "kk-Latn", "ru", "ar", "en"}
    assert titles["kk"].is_original and titles["kk"].method == "original"
    assert all(not v.is_original and v.method == "human" for t, v in titles.items() if t != "kk")
    assert titles["kk-Latn"].script == "Latn" and titles["ar"].script == "Arab" and titles["ar"].dir == "rtl"
    assert fonds.text("title", "en").value == "International Archival Cooperation Fonds"
    assert fonds.title == "Халықаралық архивтік ынтымақтастық қоры"
    assert fonds.languages == ["kk", "ru", "ar", "fa", "en"] and fonds.scripts == ["Cyrl", "Latn", "Arab"]
    # repeated notes keep their positions in every language
    notes_ru = [v.value for v in fonds.texts_in("note", "ru")]
    assert notes_ru == ["Примечание первое", "Примечание второе"]
    # the parent came after its child in the file; Persian translation of the child
    letters = Description.objects.get(legacy_id="ml-2")
    assert letters.parent == fonds and letters.ref == fonds.ref + "-2"
    fa = letters.text("title", "fa")
    assert fa.value == "مکاتبات با سازمان اسناد و کتابخانه ملی ایران" and fa.dir == "rtl" and not fa.is_original
    assert letters.text("scope_and_content").value == "Letters on the exchange of microfilms.\n\nSecond paragraph."
    assert letters.texts.get(element="dates", lang="fa").value == "۱۳۷۳–۱۳۷۸"
    microfilm = Term.objects.get(taxonomy="subject", label="Microfilm")
    assert {lab.lang for lab in microfilm.labels.all()} == {"en", "fa"}
    # creator names in several languages and scripts, one authority
    creator = AgentLink.objects.get(description=fonds, role="creator").authority
    assert {n.lang for n in creator.names.all()} == {"kk", "kk-Latn", "ru", "en"}
    # repository created from its name, reference codes start with it
    assert Repository.objects.get().name == "Қазақстан Республикасының Ұлттық архиві"
    assert fonds.ref.endswith("-F7")
    # missing and repeated identifiers: stable, legacyId-based codes, with warnings
    series = Description.objects.get(legacy_id="ml-3")
    assert Description.objects.get(legacy_id="ml-4").ref == series.ref + "-Lml-4"
    assert Description.objects.get(legacy_id="ml-5").ref == series.ref + "-12"
    assert Description.objects.get(legacy_id="ml-6").ref == series.ref + "-12_Lml-6"
    assert any("no identifier" in w for w in report.warnings)
    assert any("already taken" in w for w in report.warnings)


def test_reimport_updates_instead_of_duplicating():
    import_descriptions(DATA / "multilingual.csv")
    before = (Description.objects.count(), DescriptionDate.objects.count(), Term.objects.count(),
              sorted(Description.objects.values_list("ref", flat=True)))
    refs = dict(Description.objects.values_list("legacy_id", "pk"))
    report = import_descriptions(DATA / "multilingual.csv")
    assert report.created == 0 and report.updated == 6
    after = (Description.objects.count(), DescriptionDate.objects.count(), Term.objects.count(),
             sorted(Description.objects.values_list("ref", flat=True)))
    assert before == after
    assert dict(Description.objects.values_list("legacy_id", "pk")) == refs


def test_reimport_applies_changes(tmp_path):
    p = write(tmp_path, HEADER + "a,,F1,First title,Fonds,en\nb,a,1,Item,Item,en\n")
    import_descriptions(p, source="s")
    p.write_text(HEADER + "a,,F1,Changed title,Fonds,en\nb,a,2,Item,Item,en\n", encoding="utf-8")
    import_descriptions(p, source="s")
    a = Description.objects.get(legacy_id="a")
    assert a.title == "Changed title" and a.texts.filter(element="title").count() == 1
    assert Description.objects.get(legacy_id="b").ref == "F1-2"


def test_parent_from_earlier_import(tmp_path):
    import_descriptions(write(tmp_path, HEADER + "p1,,F1,Fonds,Fonds,en\n", "parents.csv"), source="batch")
    import_descriptions(write(tmp_path, HEADER + "c1,p1,7,Child,File,en\n", "children.csv"), source="batch")
    assert Description.objects.get(legacy_id="c1").ref == "F1-7"


def test_nfc_bom_and_semicolons(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Қазақ тілі: йогурт, Ёлка")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    text = HEADER.replace(",", ";") + f'x;;F1;"{decomposed}";Fonds;kk\n'
    import_descriptions(write(tmp_path, "\ufeff" + text))
    d = Description.objects.get()
    assert d.title == unicodedata.normalize("NFC", decomposed)
    assert d.identifier == "F1"


def test_tab_delimited(tmp_path):
    import_descriptions(write(tmp_path, HEADER.replace(",", "\t") + "x\t\tF1\tTitle, with comma\tFonds\ten\n"))
    assert Description.objects.get().title == "Title, with comma"


def _refused(path, *needles, **kw):
    count = Description.objects.count()
    with pytest.raises(CatalogueImportError) as e:
        import_descriptions(path, **kw)
    assert Description.objects.count() == count, "a failed import must leave the database as it was"
    for n in needles:
        assert n in str(e.value), str(e.value)
    return str(e.value)


def test_unknown_parent_rolls_back_everything(tmp_path):
    rows = "".join(f"r{i},,F{i},Fonds {i},Fonds,en\n" for i in range(1, 6))
    p = write(tmp_path, HEADER + rows + "r6,99,X,Orphan,File,en\n", "bad.csv")
    msg = _refused(p, "bad.csv", "row 7", "column parentId", "unknown parent legacyId 99")
    assert msg == "bad.csv, row 7, column parentId: unknown parent legacyId 99"


def test_not_utf8(tmp_path):
    p = write(tmp_path, HEADER + "a,,F1,Société générale,Fonds,fr\n", "latin1.csv", encoding="latin-1")
    _refused(p, "latin1.csv", "line 2", "not UTF-8", "byte offset")


def test_same_legacy_id_and_culture_twice(tmp_path):
    p = write(tmp_path, HEADER + "a,,F1,One,Fonds,en\na,,F1,Two,Fonds,en\n")
    _refused(p, "row 3", "column legacyId", "same culture en", "row 2")


def test_bad_culture(tmp_path):
    _refused(write(tmp_path, HEADER + "a,,F1,One,Fonds,english!\n"), "row 2", "column culture", "english!")


def test_bad_event_date(tmp_path):
    p = write(tmp_path, "legacyId,identifier,title,eventDates,eventStartDates,culture\na,F1,T,1920s,nineteen,en\n")
    _refused(p, "row 2", "column eventStartDates", "nineteen")


def test_end_before_start(tmp_path):
    p = write(tmp_path, "legacyId,identifier,title,eventStartDates,eventEndDates,culture\n"
                        "a,F1,T,1930-01-01,1920-01-01,en\n")
    _refused(p, "row 2", "column eventEndDates", "before")


def test_parent_cycle(tmp_path):
    _refused(write(tmp_path, HEADER + "a,b,1,A,File,en\nb,a,2,B,File,en\n"), "column parentId", "cycle")


def test_ragged_row(tmp_path):
    _refused(write(tmp_path, HEADER + "a,,F1,One,Fonds,en,extra,cells\n"), "row 2", "cells but the header has 6")


def test_bad_script_code(tmp_path):
    p = write(tmp_path, "legacyId,identifier,title,script,culture\na,F1,T,Cyrillic!,en\n")
    _refused(p, "row 2", "column script", "ISO 15924")


def test_unknown_columns_warn_and_are_kept_or_refused_when_strict(tmp_path):
    p = write(tmp_path, "legacyId,identifier,title,shelfMark,culture\na,F1,T,B-17,en\n")
    _refused(p, "column shelfMark", "unknown column", strict=True)
    report = import_descriptions(p)
    assert any("shelfMark" in w for w in report.warnings)
    assert "shelfmark: b-17" in everything_stored()


def test_not_an_atom_file(tmp_path):
    _refused(write(tmp_path, "a,b,c\n1,2,3\n"), "not an AtoM archival description CSV")


def test_every_value_is_nfc_and_tagged():
    import_descriptions(DATA / "multilingual.csv")
    from qoima.catalogue.models import DescriptionText

    for v in DescriptionText.objects.all():
        assert unicodedata.is_normalized("NFC", v.value)
        assert v.lang and (v.script or v.lang == "zxx"), (v.element, v.value)
        if v.script == "Arab":
            assert v.dir == "rtl"
    assert fold("Халықаралық ынтымақтастық") in everything_stored()


def test_overlong_identifier_is_refused(tmp_path):
    p = write(tmp_path, HEADER + f"a,,{'X' * 201},T,Fonds,en\n")
    _refused(p, "row 2", "identifier is 201 characters long")


def test_explicit_usual_script_is_the_same_language(tmp_path):
    p = write(tmp_path, HEADER + "a,,F1,Хаттар,Fonds,kk-Cyrl\na,,F1,Hattar,Fonds,kk_Latn\na,,F1,Письма,Fonds,ru-Cyrl\n")
    import_descriptions(p)
    d = Description.objects.get()
    assert sorted(v.lang for v in d.text_values("title")) == ["kk", "kk-Latn", "ru"]
    assert d.original_lang == "kk"
    _refused(write(tmp_path, HEADER + "b,,F2,Хаттар,Fonds,kk\nb,,F2,Хаттар,Fonds,kk-Cyrl\n", "dup.csv"),
             "row 3", "same culture kk")
