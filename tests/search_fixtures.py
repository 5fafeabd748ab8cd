"""Small multilingual records for the search tests, built through the catalogue's own API."""

from __future__ import annotations

from qoima.catalogue import hierarchy
from qoima.catalogue.models import AgentLink, Authority, AuthorityName, Repository


def make_repository(code: str = "APRK", country: str = "KZ") -> Repository:
    return Repository.objects.create(code=code, country_code=country, name=f"Archive {code}")


def make_description(repo: Repository, identifier: str, title: str, lang: str, *, scope: str = "",
                     scope_lang: str | None = None, parent=None, level: str = "item", **texts: str):
    d = hierarchy.create(identifier=identifier, level=level, parent=parent, repository=None if parent else repo,
                         title=title, lang=lang)
    if scope:
        d.set_text("scope_and_content", scope, scope_lang or lang)
    for element, value in texts.items():
        d.set_text(element, value, lang)
    return d


def make_person(*forms: tuple[str, str], kind: str = "person") -> Authority:
    """An authority whose first form is the authorized original; forms are (value, lang)."""
    a = Authority.objects.create(kind=kind, name=forms[0][0])
    for i, (value, lang) in enumerate(forms):
        AuthorityName.objects.create(authority=a, value=value, lang=lang, is_original=(i == 0),
                                     form=AuthorityName.Form.AUTHORIZED if i == 0 else AuthorityName.Form.PARALLEL)
    return a


def link(description, authority: Authority, role: str = "creator") -> AgentLink:
    return AgentLink.objects.create(description=description, authority=authority, role=role)
