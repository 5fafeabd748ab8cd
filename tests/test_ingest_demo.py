"""The demo scans: multilingual pages with Kazakh and Arabic names, ingested under a demo fonds."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent(tmp_path, settings):
    from qoima.ingest.demo import load
    from qoima.ingest.models import Aip

    settings.QOIMA_HOME = tmp_path / "home"
    first = load(settings.QOIMA_HOME, derivatives=False)
    refs = [i["ref"] for i in first["items"]]
    assert any("رسائل" in r for r in refs) and any("Абайдың" in r for r in refs)
    abai = next(i for i in first["items"] if "Абайдың" in i["ref"])
    assert [f["path"].rsplit("/", 1)[1] for f in abai["files"]] == ["бет_1.jpg", "бет_2.jpg"]
    assert load(settings.QOIMA_HOME, derivatives=False)["aip"] == first["aip"]
    assert Aip.objects.count() == 1
