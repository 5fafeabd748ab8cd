"""Reading-room pages: languages and directions, values with lang/dir, fallback, paging, pages of
authorities, terms and repositories."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web_fixtures are redefined as arguments)

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.web_fixtures import FONDS_TITLES, LANGS, compiled_messages, tree  # noqa: F401

pytestmark = pytest.mark.django_db


def get(client, url, lang="en", **params):
    client.cookies["django_language"] = lang
    return client.get(url, params)


def html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


@pytest.mark.parametrize("lang", list(LANGS))
def test_record_page_in_every_language(client, tree, lang):
    f1 = tree["fonds"]
    r = get(client, f"/records/{f1.ref}", lang)
    assert r.status_code == 200
    body = r.content.decode()
    assert html_tag(body) == f'<html lang="{lang}" dir="{LANGS[lang]}">'
    # the title in the visitor's language, tagged with its language and direction
    m = re.search(r'<h1 id="record-title" lang="([^"]+)" dir="([^"]+)">([^<]+)</h1>', body)
    assert m.groups() == (lang, LANGS[lang], FONDS_TITLES[lang])
    # UI strings are translated: the ISAD(G) element label differs from English except in English
    assert ("Reference code" in body) == (lang == "en")


def test_values_fall_back_to_the_original_with_their_own_tags(client, tree):
    body = get(client, f"/records/{tree['fonds'].ref}", "en").content.decode()
    # 'arrangement' exists only in Kazakh: shown in Kazakh, marked as such, never as English
    assert re.search(r'<div class="value fallback" lang="kk" dir="ltr">Екі серия\.</div>', body)
    # scope and content: the Arabic value is a machine translation, offered in the "also in" box
    assert re.search(r'lang="ar" dir="rtl">اتفاقيات ومراسلات\.</div>', body)
    assert "machine translation" in body


def test_translation_provenance_is_shown(client, tree):
    body = get(client, f"/records/{tree['fonds'].ref}", "ar").content.decode()
    assert "ترجمة آلية" in body  # the Arabic title is a machine translation
    body = get(client, f"/records/{tree['fonds'].ref}", "fa").content.decode()
    assert "ترجمهٔ ماشینی، بازبینی‌شده" in body  # reviewed
    head = get(client, f"/records/{tree['fonds'].ref}", "kk").content.decode().split('class="record-head"')[1]
    assert "машиналық аударма" not in head.split("<details")[0]  # the Kazakh original carries no badge


def test_dates_as_written_creators_and_access_points(client, tree):
    body = get(client, f"/records/{tree['fonds'].ref}", "ar").content.decode()
    assert '<span lang="ru" dir="ltr">1920-е гг.</span>' in body
    assert f'href="/authorities/{tree["person"].pk}"' in body
    assert f'href="/terms/{tree["place"].pk}"' in body
    assert '<a href="/terms/{}" lang="ar" dir="rtl">ألماتي</a>'.format(tree["place"].pk) in body


def test_children_are_paged_in_natural_order(client, tree):
    series = tree["series"]
    first = get(client, f"/records/{series.ref}").content.decode()
    refs = re.findall(r'<bdi class="ref">([^<]+)</bdi>', first.split('id="children-h"')[1])
    assert refs == [f"{series.ref}-{n}" for n in range(1, 26)]
    assert 'rel="next" href="?page=2"' in first
    second = get(client, f"/records/{series.ref}", page=2).content.decode()
    refs = re.findall(r'<bdi class="ref">([^<]+)</bdi>', second.split('id="children-h"')[1])
    assert refs == [f"{series.ref}-{n}" for n in range(26, 31)]
    assert "Page 2 of 2" in second


def test_breadcrumb_links_ancestors(client, tree):
    item = tree["items"][0]
    body = get(client, f"/records/{item.ref}", "kk").content.decode()
    crumb = body.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'href="{reverse("record", args=[tree["fonds"].ref])}"' in crumb
    assert FONDS_TITLES["kk"] in crumb and "Хаттар" in crumb


def test_home_browse_and_tree_fragment(client, tree):
    home = get(client, "/", "ru").content.decode()
    assert FONDS_TITLES["ru"] in home and "Архивы" in home
    browse = get(client, "/browse/").content.decode()
    assert f'data-src="/browse/node/{tree["fonds"].ref}"' in browse
    node = get(client, f"/browse/node/{tree['fonds'].ref}").content.decode()
    assert node.lstrip().startswith('<ul class="tree-level">')
    assert f'data-src="/browse/node/{tree["series"].ref}"' in node
    series = get(client, f"/browse/node/{tree['series'].ref}").content.decode()
    assert series.count('class="tree-node"') == 25 and "data-more" in series and "?page=2" in series


def test_authority_page_lists_every_name_form(client, tree):
    body = get(client, f"/authorities/{tree['person'].pk}", "en").content.decode()
    assert '<span lang="kk-Arab" dir="rtl">احمەت بايتۇرسىنۇلى</span>' in body
    assert "kk-Latn-2021" in body and "Baitūrsynūly, Ahmet" in body
    assert tree["fonds"].ref in body
    assert get(client, "/authorities/").status_code == 200
    assert get(client, "/authorities/999999").status_code == 404


def test_term_and_repository_pages(client, tree, repository):
    body = get(client, f"/terms/{tree['place'].pk}", "ar").content.decode()
    assert "ألماتي" in body and tree["fonds"].ref in body
    body = get(client, f"/repositories/{repository.code}", "en").content.decode()
    assert FONDS_TITLES["en"] in body
    assert get(client, "/repositories/NOPE").status_code == 404


def test_unknown_reference_code_is_404(client, tree):
    assert get(client, "/records/KZ-APRK-NOPE").status_code == 404


def test_reference_codes_with_any_letters_and_dots(client, repository):
    from qoima.catalogue import hierarchy as h

    d = h.create(identifier="Қ.1:ә", level="fonds", repository=repository, title="Қолжазба", lang="kk")
    r = get(client, reverse("record", args=[d.ref]))
    assert r.status_code == 200 and "Қолжазба" in r.content.decode()


def test_set_language_switches_page_language_and_direction(client, tree):
    url = f"/records/{tree['fonds'].ref}"
    r = client.post("/i18n/setlang/", {"language": "ar", "next": url})
    assert r.status_code == 302 and r["Location"] == url
    body = client.get(url).content.decode()
    assert html_tag(body) == '<html lang="ar" dir="rtl">'
    assert FONDS_TITLES["ar"] in body


@pytest.mark.parametrize("lang", list(LANGS))
def test_every_page_speaks_every_language(client, tree, repository, lang):
    urls = ["/", "/browse/", f"/browse/node/{tree['fonds'].ref}", "/authorities/",
            f"/authorities/{tree['person'].pk}", f"/terms/{tree['place'].pk}", f"/repositories/{repository.code}",
            f"/records/{tree['items'][0].ref}", f"/records/{tree['fonds'].ref}", "/accounts/login/"]
    for url in urls:
        r = get(client, url, lang)
        assert r.status_code == 200, url
        body = r.content.decode()
        if not url.startswith("/browse/node/"):  # a fragment, not a page
            assert html_tag(body) == f'<html lang="{lang}" dir="{LANGS[lang]}">', url
        # every value of the catalogue carries its language and direction
        for m in re.finditer(r'<(?:h1|span|div|a)[^>]*\blang="([^"]+)"[^>]*>', body):
            assert re.search(r'\bdir="(ltr|rtl)"', m.group(0)), (url, m.group(0))
    r = get(client, f"/records/{tree['researchers'].ref}", lang)
    assert r.status_code == 403 and html_tag(r.content.decode()) == f'<html lang="{lang}" dir="{LANGS[lang]}">'


def test_material_languages_are_named(client, tree):
    from qoima.catalogue.models import Description

    Description.objects.filter(pk=tree["fonds"].pk).update(languages=["kk-Arab", "ru"])
    body = get(client, f"/records/{tree['fonds'].ref}", "en").content.decode()
    assert '<span lang="kk-Arab" dir="rtl">قازاقشا (توتە)</span>, <span lang="ru" dir="ltr">русский</span>' in body


def test_record_page_queries_do_not_grow_with_children(client, tree, django_assert_max_num_queries):
    from qoima.catalogue import hierarchy as h

    with django_assert_max_num_queries(16):
        assert get(client, f"/records/{tree['series'].ref}").status_code == 200
    for n in range(31, 41):
        h.create(identifier=str(n), level="item", parent=tree["series"], title=f"Хат {n}", lang="kk")
    with django_assert_max_num_queries(16):
        assert get(client, f"/records/{tree['series'].ref}", page=2).status_code == 200


def test_logout_returns_to_the_reading_room_look(client, django_user_model):
    user = django_user_model.objects.create_user("someone", password="x" * 12)
    client.force_login(user)
    body = get(client, "/", "kk").content.decode()
    assert "someone" in body
    r = client.post("/accounts/logout/")
    assert r.status_code == 200 and "Жүйеден шықтыңыз" in r.content.decode()


def test_recognised_text_is_shown_beside_the_scans_in_its_direction(client, tree, django_user_model):
    from qoima.recognize.models import RecognizedPage

    item = tree["items"][0]
    RecognizedPage.objects.create(description=item, page=1, text="Құрметті досым!", lang="kk-Cyrl", script="Cyrl",
                                  confidence=91.5)
    RecognizedPage.objects.create(description=item, page=2, text="حضرة الأخ الكريم", lang="ar", script="Arab",
                                  confidence=42.0, flags=["low-confidence"], alto="<alto/>")
    body = get(client, f"/records/{item.ref}", page=2).content.decode()
    assert '<pre lang="kk-Cyrl" dir="ltr">Құрметті досым!</pre>' in body
    assert '<pre lang="ar" dir="rtl">حضرة الأخ الكريم</pre>' in body
    assert '<details id="text-p2" class="page-text" open>' in body  # the page a search hit points at
    assert '<details id="text-p1" class="page-text">' in body
    assert "low confidence" in body and f"/api/v1/descriptions/{item.ref}/pages/2/alto" in body

    secret = tree["researchers"]
    RecognizedPage.objects.create(description=secret, page=1, text="Expert secret words", lang="en", script="Latn")
    refused = get(client, f"/records/{secret.ref}")
    assert refused.status_code == 403 and "Expert secret words" not in refused.content.decode()
