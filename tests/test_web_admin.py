"""Cataloguing in the admin: archivists may edit; creating and moving go through the hierarchy so
reference codes, paths and access rules stay right."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web_fixtures are redefined as arguments)

from __future__ import annotations

import pytest

from qoima.catalogue.models import Description
from tests.web_fixtures import archivist, researcher, tree  # noqa: F401

pytestmark = pytest.mark.django_db
ADD = "/admin/catalogue/description/add/"


def form_data(response) -> dict:
    """The POST data of an admin change form as it was rendered (fields and inline rows)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        fs = inline.formset
        for key, value in fs.management_form.initial.items():
            data[f"{fs.prefix}-{key}"] = value
        for f in fs.forms:
            for name in f.fields:
                value = f[name].value()
                if value is not None:
                    data[f.add_prefix(name)] = value
    return data


def add_description(client, **fields) -> Description:
    data = form_data(client.get(ADD))
    data.update({"level": "fonds", "languages": "[]", "scripts": "[]", "publication_status": "published",
                 "texts-TOTAL_FORMS": "1", "texts-0-element": "title", "texts-0-position": "0",
                 "texts-0-lang": "KK", "texts-0-value": "Жаңа қор", "texts-0-is_original": "on",
                 "texts-0-method": "original", "dates-TOTAL_FORMS": "1", "dates-0-event_type": "creation",
                 "dates-0-expression": "1920-е гг.", "dates-0-lang": "ru", "dates-0-position": "0"})
    data.update(fields)
    r = client.post(ADD, data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    return Description.objects.get(identifier=fields["identifier"], parent=fields.get("parent") or None)


def test_only_archivists_reach_the_admin(client, researcher, archivist):
    client.force_login(researcher)
    assert client.get("/admin/catalogue/description/").status_code == 302  # to the login page
    client.force_login(archivist)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/catalogue/description/").status_code == 200


def test_list_and_search(client, archivist, tree):
    client.force_login(archivist)
    r = client.get("/admin/catalogue/description/", {"q": "Хаттар"})
    body = r.content.decode()
    assert tree["series"].ref in body and tree["items"][0].ref not in body
    r = client.get("/admin/catalogue/description/", {"q": tree["fonds"].ref})
    assert tree["fonds"].ref in r.content.decode()


def test_create_goes_through_the_hierarchy(client, archivist, repository):
    client.force_login(archivist)
    fonds = add_description(client, repository=repository.pk, identifier="F9")
    assert fonds.ref == "KZ-APRK-F9" and fonds.path and fonds.depth == 0
    assert fonds.title == "Жаңа қор" and fonds.original_lang == "kk"
    value = fonds.texts.get(element="title")
    assert (value.lang, value.script) == ("kk", "Cyrl")  # tag normalized, script detected
    assert (fonds.date_start.year, fonds.date_end.year) == (1920, 1929)  # normalized from the expression
    child = add_description(client, parent=fonds.pk, identifier="1", level="file", access_status="closed",
                            access_reason="personal data")
    assert child.ref == "KZ-APRK-F9-1" and child.path.startswith(fonds.path) and child.depth == 1
    assert child.effective_access == "closed"
    # a duplicate reference code is refused with a message, nothing written
    data = form_data(client.get(ADD))
    data.update({"parent": fonds.pk, "identifier": "1", "level": "file", "languages": "[]", "scripts": "[]",
                 "publication_status": "published"})
    r = client.post(ADD, data)
    assert r.status_code == 200 and "KZ-APRK-F9-1 is already taken" in r.content.decode()
    assert Description.objects.filter(ref="KZ-APRK-F9-1").count() == 1


def test_moving_in_the_admin_rewrites_the_subtree(client, archivist, tree, repository):
    client.force_login(archivist)
    target = add_description(client, repository=repository.pk, identifier="F2")
    series = tree["series"]
    url = f"/admin/catalogue/description/{series.pk}/change/"
    data = form_data(client.get(url))
    data["parent"] = target.pk
    r = client.post(url, data)
    assert r.status_code == 302
    series.refresh_from_db()
    assert series.ref == "KZ-APRK-F2-S1" and series.path.startswith(target.path)
    item = Description.objects.get(pk=tree["items"][-1].pk)
    assert item.ref == "KZ-APRK-F2-S1-30" and item.depth == 2
    assert series.title == "Хаттар"  # values kept
    # renaming the identifier renames the reference codes below too
    data = form_data(client.get(url))
    data["identifier"] = "S7"
    assert client.post(url, data).status_code == 302
    assert Description.objects.get(pk=tree["items"][0].pk).ref == "KZ-APRK-F2-S7-1"


def test_moving_under_itself_is_refused(client, archivist, tree):
    client.force_login(archivist)
    url = f"/admin/catalogue/description/{tree['fonds'].pk}/change/"
    data = form_data(client.get(url))
    data["parent"] = tree["series"].pk
    r = client.post(url, data)
    assert r.status_code == 200 and "cannot be moved under itself" in r.content.decode()
    tree["fonds"].refresh_from_db()
    assert tree["fonds"].parent_id is None


def test_access_rule_changed_in_the_admin_reaches_the_subtree(client, archivist, tree):
    client.force_login(archivist)
    url = f"/admin/catalogue/description/{tree['series'].pk}/change/"
    data = form_data(client.get(url))
    data.update({"access_status": "embargo", "access_until": "2090-01-01", "access_reason": "agreement"})
    assert client.post(url, data).status_code == 302
    item = Description.objects.get(pk=tree["items"][0].pk)
    assert item.effective_access == "embargo" and str(item.effective_until) == "2090-01-01"


@pytest.mark.django_db
def test_admin_manages_users_and_shows_the_audit_log_read_only(client):
    from qoima.accounts.models import AuditEntry, User

    admin_user = User.objects.create_user("chief", password="long-enough-pw", role="admin")
    client.force_login(admin_user)
    assert client.get("/admin/accounts/user/").status_code == 200
    AuditEntry.objects.create(username="r", action="read", ref="KZ-X-1", access="closed", door="page")
    page = client.get("/admin/accounts/auditentry/")
    assert page.status_code == 200 and "KZ-X-1" in page.content.decode()
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403


def test_archivists_follow_jobs_and_packages_on_the_web(client, archivist, researcher):
    from qoima.ingest.models import Aip, Job

    job = Job.objects.create(kind="ingest", status="running", stage="hashing", done=30, total=120,
                             args={"path": "/scans/қор"})
    aip = Aip.objects.create(uuid="0b7e5f39-0c7e-4c3a-9a39-8f1d5c2b6a11", fingerprint="f" * 64, label="демо",
                             mets_path="data/METS.xml")
    client.force_login(researcher)
    assert client.get("/admin/ingest/job/").status_code in (302, 403)
    client.force_login(archivist)
    listing = client.get("/admin/ingest/job/").content.decode()
    assert "hashing" in listing and '<progress max="120" value="30">' in listing
    detail = client.get(f"/admin/ingest/job/{job.pk}/change/")
    assert detail.status_code == 200 and "/scans/қор" in detail.content.decode()
    assert client.get(f"/admin/ingest/aip/{aip.pk}/change/").status_code == 200
    assert client.post(f"/admin/ingest/job/{job.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Job.objects.filter(pk=job.pk).exists()
