"""Fixtures for the reading-room, API and admin tests: a small multilingual tree with every access
rule, and users of each role. Import the fixtures you need into a test module."""

from __future__ import annotations

from datetime import date

import pytest

from qoima.catalogue import hierarchy as h
from qoima.catalogue.models import AgentLink, Authority, AuthorityName, DescriptionDate, Term, TermLabel

LANGS = {"kk": "ltr", "ru": "ltr", "en": "ltr", "ar": "rtl", "fa": "rtl"}
FONDS_TITLES = {
    "kk": "Халықаралық ынтымақтастық қоры",
    "ru": "Фонд международного сотрудничества",
    "en": "International cooperation fonds",
    "ar": "رصيد التعاون الدولي",
    "fa": "فوند همکاری بین‌المللی",
}
CLOSED_TITLE = "Жеке деректер — жабық іс"
EMBARGO_TITLE = "Embargoed negotiations"
RESEARCHERS_TITLE = "Expert assessment for researchers"


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """The translation catalogues, compiled as `make setup` does (.mo files are not in git)."""
    from qoima.assets import compile_messages

    compile_messages()


@pytest.fixture
def tree(repository):
    from qoima.catalogue.batch import batch

    with batch():  # index each record once, not on every save
        return _tree(repository)


def _tree(repository):
    """Fonds F1 (kk original, ru/en human, ar machine, fa reviewed) → series S1 with 30 items,
    a closed file S2 with an open item inside, an embargoed and a researchers-only item."""
    f1 = h.create(identifier="F1", level="fonds", repository=repository, title=FONDS_TITLES["kk"], lang="kk")
    for lang in ("ru", "en"):
        f1.set_text("title", FONDS_TITLES[lang], lang)
    f1.set_text("title", FONDS_TITLES["ar"], "ar", method="machine", translator="mt")
    f1.set_text("title", FONDS_TITLES["fa"], "fa", method="reviewed")
    f1.set_text("scope_and_content", "Келісімдер мен хат-хабарлар.", "kk")
    f1.set_text("scope_and_content", "اتفاقيات ومراسلات.", "ar", method="machine")
    f1.set_text("arrangement", "Екі серия.", "kk")  # only in the original language
    DescriptionDate.objects.create(description=f1, expression="1920-е гг.", lang="ru",
                                   start=date(1920, 1, 1), end=date(1929, 12, 31))
    person = Authority.objects.create(kind="person", name="Байтұрсынұлы, Ахмет", dates_of_existence="1872–1937")
    AuthorityName.objects.create(authority=person, value="Байтұрсынұлы, Ахмет", lang="kk", script="Cyrl",
                                 form="authorized", is_original=True)
    AuthorityName.objects.create(authority=person, value="احمەت بايتۇرسىنۇلى", lang="kk-Arab", script="Arab",
                                 form="parallel")
    AuthorityName.objects.create(authority=person, value="Baitūrsynūly, Ahmet", lang="kk-Latn", script="Latn",
                                 form="parallel", scheme="kk-Latn-2021")
    AgentLink.objects.create(description=f1, authority=person, role="creator")
    place = Term.objects.create(taxonomy="place", label="Almaty")
    TermLabel.objects.create(term=place, value="Almaty", lang="en", script="Latn")
    TermLabel.objects.create(term=place, value="ألماتي", lang="ar", script="Arab", is_original=False)
    f1.terms.add(place)

    s1 = h.create(identifier="S1", level="series", parent=f1, title="Хаттар", lang="kk")
    items = [h.create(identifier=str(n), level="item", parent=s1, title=f"Хат {n}", lang="kk") for n in range(1, 31)]
    s2 = h.create(identifier="S2", level="file", parent=f1, title=CLOSED_TITLE, lang="kk")
    h.set_access(s2, "closed", reason="personal data")
    inner = h.create(identifier="1", level="item", parent=s2, title="Ашық құжат", lang="kk")
    h.set_access(inner, "open")
    embargoed = h.create(identifier="E", level="item", parent=f1, title=EMBARGO_TITLE, lang="en")
    h.set_access(embargoed, "embargo", until=date(2099, 1, 1), reason="agreement")
    reserved = h.create(identifier="R", level="item", parent=f1, title=RESEARCHERS_TITLE, lang="en")
    h.set_access(reserved, "researchers")
    return {"fonds": f1, "series": s1, "items": items, "closed": s2, "open_in_closed": inner,
            "embargoed": embargoed, "researchers": reserved, "person": person, "place": place}


def _user(django_user_model, username, role):
    user = django_user_model(username=username, role=role)
    user.set_password("correct horse battery")
    user.save()
    return user


@pytest.fixture
def researcher(django_user_model):
    return _user(django_user_model, "reader", "researcher")


@pytest.fixture
def archivist(django_user_model):
    return _user(django_user_model, "keeper", "archivist")


@pytest.fixture
def public_user(django_user_model):
    return _user(django_user_model, "visitor", "public")
