"""AtoM authority record, relationship and repository CSV import."""

from __future__ import annotations

import pytest
from catalogue_fixtures import missing_cells

from qoima.catalogue.atom_authorities import import_authorities
from qoima.catalogue.atom_repositories import import_repositories
from qoima.catalogue.importing import CatalogueImportError
from qoima.catalogue.models import Authority, AuthorityName, AuthorityRelation, Repository

pytestmark = pytest.mark.django_db


def test_authority_examples_import_completely(standards):
    folder = standards / "atom-csv"
    report = import_authorities(folder / "example_authority_records.csv")
    assert report.created == 2
    rel = import_authorities(folder / "example_authority_record_relationships.csv")
    assert rel.relations == 1
    assert missing_cells(folder / "example_authority_records.csv") == []
    assert missing_cells(folder / "example_authority_record_relationships.csv") == []
    person = Authority.objects.get(kind="person")
    assert person.name == "Example person (ISAAR 5.1.2)"
    assert person.names.filter(form=AuthorityName.Form.PARALLEL).count() == 2
    assert person.names.filter(form=AuthorityName.Form.STANDARDIZED).count() == 2
    assert (str(person.date_start), str(person.date_end)) == ("1940-01-01", "2020-12-31")
    corp = Authority.objects.get(kind="corporate")
    assert corp.corporate_identifier == "CORP-ID (ISAAR 5.1.6)" and corp.date_end is None  # "2000 - Present"
    assert person.terms.filter(taxonomy="occupation").count() == 2
    r = AuthorityRelation.objects.get()
    assert (r.source, r.target, r.relation_type) == (person, corp, "is controlled by")
    assert (str(r.date_start), str(r.date_end)) == ("2010-01-01", "2015-12-31")
    again = import_authorities(folder / "example_authority_records.csv")
    import_authorities(folder / "example_authority_record_relationships.csv")
    assert again.updated == 2 and Authority.objects.count() == 2 and AuthorityRelation.objects.count() == 1


def test_repository_examples_import_completely(standards):
    path = standards / "atom-csv" / "example_repositories.csv"
    report = import_repositories(path)
    assert report.created == 2
    assert missing_cells(path) == []
    repo = Repository.objects.get(code="REPOID-01")
    assert repo.country_code == "US" and repo.name == "Example Archives"
    assert repo.website == "http://examplerepositorysite.com" and repo.email == "archivist@example.com"
    assert [v.value for v in repo.texts_in("thematic_areas")] == ["Education 1", "Communication"]
    assert Repository.objects.get(code="ARTEFAC").country_code == "CA"
    import_repositories(path)
    assert Repository.objects.count() == 2


def test_authority_translation_rows(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("legacyId,culture,typeOfEntity,authorizedFormOfName,history\n"
                 "7,kk,Person,Әлихан Бөкейхан,Қазақ қайраткері.\n"
                 "7,ru,Person,Алихан Букейханов,Казахский общественный деятель.\n"
                 "7,kk,Person,Álıhan Bókeıhan,Qazaq qaıratkeri.\n", encoding="utf-8")
    report = import_authorities(p)
    assert report.created == 1 and report.translations == 2
    a = Authority.objects.get()
    assert {(n.lang, n.is_original) for n in a.names.all()} == {("kk", True), ("ru", False), ("kk-Latn", False)}
    assert a.text("history", "kk-Latn").value == "Qazaq qaıratkeri."


def test_relationship_to_unknown_authority_is_refused(tmp_path):
    p = tmp_path / "rel.csv"
    p.write_text("subjectAuthorizedFormOfName,relationType,objectAuthorizedFormOfName,culture\nA,is part of,B,en\n",
                 encoding="utf-8")
    with pytest.raises(CatalogueImportError, match=r"rel.csv, row 2, column subjectAuthorizedFormOfName: no authority"):
        import_authorities(p)


def test_bad_entity_type_rolls_back(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("culture,typeOfEntity,authorizedFormOfName\nen,Person,Good One\nen,Robot,Bad One\n", encoding="utf-8")
    with pytest.raises(CatalogueImportError, match=r"bad.csv, row 3, column typeOfEntity: unknown type of entity"):
        import_authorities(p)
    assert Authority.objects.count() == 0
