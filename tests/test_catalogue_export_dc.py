"""Dublin Core (oai_dc) export: valid against the OAI schema, one element per language with xml:lang."""

from __future__ import annotations

import pytest
from catalogue_fixtures import DATA, schema
from lxml import etree

from qoima.catalogue import dc
from qoima.catalogue.atom_descriptions import import_descriptions
from qoima.catalogue.exporting import NotVisible
from qoima.catalogue.models import Description

pytestmark = pytest.mark.django_db
NS = {"dc": dc.DC, "oai_dc": dc.OAI_DC}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_multilingual_dublin_core(standards):
    import_descriptions(DATA / "multilingual.csv")
    fonds = Description.objects.get(identifier="F7")
    doc = etree.fromstring(dc.to_bytes(fonds, base_url="https://archive.example/"))
    oai_dc = schema(standards, "oai/oai_dc.xsd")
    assert oai_dc.validate(doc), oai_dc.error_log
    titles = {t.get(XML_LANG): t.text for t in doc.findall("dc:title", NS)}
    assert titles == {"kk": "Халықаралық архивтік ынтымақтастық қоры",
                      "kk-Latn": "Halyqaralyq arhivtik yntymaqtastyq qory",
                      "ru": "Фонд международного архивного сотрудничества",
                      "ar": "صندوق التعاون الأرشيفي الدولي", "en": "International Archival Cooperation Fonds"}
    identifiers = [i.text for i in doc.findall("dc:identifier", NS)]
    assert fonds.ref in identifiers and f"https://archive.example/records/{fonds.ref}" in identifiers
    assert "1992-01-01/2005-12-31" in [d.text for d in doc.findall("dc:date", NS)]
    assert {c.get(XML_LANG) for c in doc.findall("dc:creator", NS)} == {"kk", "kk-Latn", "ru", "en"}
    assert {c.text for c in doc.findall("dc:coverage", NS)} >= {"Алматы", "Almaty", "ألماتي"}
    assert [x.text for x in doc.findall("dc:language", NS)] == ["kk", "ru", "ar", "fa", "en"]
    assert doc.find("dc:publisher", NS).text == "Қазақстан Республикасының Ұлттық архиві"


def test_closed_record_is_not_exported_to_the_public():
    from qoima.accounts.models import User
    from qoima.catalogue import hierarchy

    import_descriptions(DATA / "multilingual.csv")
    fonds = Description.objects.get(identifier="F7")
    hierarchy.set_access(fonds, "closed")
    with pytest.raises(NotVisible):
        dc.element(fonds.ref, user=User.objects.create(username="p", role="public"))
    archivist = User.objects.create(username="a", role="archivist")
    assert dc.element(fonds.ref, user=archivist).find("dc:title", NS) is not None
