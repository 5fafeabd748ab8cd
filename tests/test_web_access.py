"""The access rule on every reading-room page: closed and embargoed records are invisible (404, not
listed, no title in breadcrumbs) to those without rights; researchers-only records answer 403 with
a login prompt to the public; allowed reads of restricted material are audited."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web_fixtures are redefined as arguments)

from __future__ import annotations

import pytest

from qoima.accounts.models import AuditEntry
from tests.web_fixtures import (  # noqa: F401
    CLOSED_TITLE,
    EMBARGO_TITLE,
    RESEARCHERS_TITLE,
    archivist,
    compiled_messages,
    public_user,
    researcher,
    tree,
)

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/browse/", "/records/{fonds}", "/browse/node/{fonds}", "/authorities/{person}",
              "/terms/{place}", "/repositories/APRK"]


def pages(tree):
    return [p.format(fonds=tree["fonds"].ref, person=tree["person"].pk, place=tree["place"].pk) for p in LIST_PAGES]


def login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("who", ["anonymous", "public_user"])
def test_closed_and_embargoed_are_invisible_to_the_public(client, tree, who, request):
    login(client, request.getfixturevalue(who) if who != "anonymous" else None)
    for key in ("closed", "embargoed"):
        assert client.get(f"/records/{tree[key].ref}").status_code == 404
        assert client.get(f"/browse/node/{tree[key].ref}").status_code == 404
    body = "".join(client.get(p).content.decode() for p in pages(tree))
    for title in (CLOSED_TITLE, EMBARGO_TITLE, RESEARCHERS_TITLE):
        assert title not in body
    for key in ("closed", "embargoed", "researchers"):
        assert tree[key].ref + '"' not in body and tree[key].ref + "<" not in body


def test_researchers_only_asks_the_public_to_log_in(client, tree):
    url = f"/records/{tree['researchers'].ref}"
    r = client.get(url)
    assert r.status_code == 403
    body = r.content.decode()
    assert "/accounts/login/?next=" in body and RESEARCHERS_TITLE not in body


def test_researchers_only_refuses_a_public_account_without_login_prompt(client, tree, public_user):
    client.force_login(public_user)
    r = client.get(f"/records/{tree['researchers'].ref}")
    assert r.status_code == 403 and "does not have researcher access" in r.content.decode()


def test_researcher_reads_researchers_only_and_is_audited(client, tree, researcher):
    client.force_login(researcher)
    r = client.get(f"/records/{tree['researchers'].ref}")
    assert r.status_code == 200 and RESEARCHERS_TITLE in r.content.decode()
    entry = AuditEntry.objects.get(ref=tree["researchers"].ref)
    assert (entry.username, entry.door, entry.access) == ("reader", "page", "researchers")
    # listed for the researcher, still not the closed or embargoed ones
    body = client.get(f"/records/{tree['fonds'].ref}").content.decode()
    assert RESEARCHERS_TITLE in body and CLOSED_TITLE not in body and EMBARGO_TITLE not in body
    assert client.get(f"/records/{tree['closed'].ref}").status_code == 404


def test_archivist_sees_everything_and_reads_are_audited(client, tree, archivist):
    client.force_login(archivist)
    for key, title in (("closed", CLOSED_TITLE), ("embargoed", EMBARGO_TITLE)):
        r = client.get(f"/records/{tree[key].ref}")
        assert r.status_code == 200 and title in r.content.decode()
    assert set(AuditEntry.objects.values_list("ref", flat=True)) == {tree["closed"].ref, tree["embargoed"].ref}
    body = client.get(f"/records/{tree['fonds'].ref}").content.decode()
    assert CLOSED_TITLE in body and EMBARGO_TITLE in body
    assert "Closed" in body  # the rule in force is shown to staff
    assert client.get("/records/" + tree["fonds"].ref).status_code == 200
    assert not AuditEntry.objects.filter(ref=tree["fonds"].ref).exists()  # open material is not logged


def test_open_record_under_closed_file_hides_the_closed_title(client, tree):
    r = client.get(f"/records/{tree['open_in_closed'].ref}")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Ашық құжат" in body
    assert CLOSED_TITLE not in body
    crumb = body.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "restricted" in crumb and f'/records/{tree["closed"].ref}"' not in crumb


def test_embargo_that_has_ended_is_open(client, tree):
    from datetime import date

    from qoima.catalogue import hierarchy as h

    h.set_access(tree["embargoed"], "embargo", until=date(2001, 1, 1), reason="ended")
    assert client.get(f"/records/{tree['embargoed'].ref}").status_code == 200
