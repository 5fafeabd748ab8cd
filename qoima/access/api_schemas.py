"""Typed shapes of the catalogue API, so the OpenAPI document says what every field is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class Error(Schema):
    detail: str


class Value(Schema):
    """One language version of a text element."""

    value: str
    lang: str = Field(description="BCP 47 language tag, e.g. kk-Latn")
    script: str = Field(description="ISO 15924 script code, e.g. Cyrl")
    dir: str = Field(description="writing direction: ltr or rtl")
    position: int = Field(0, description="order among repeated values of the element")
    original: bool = Field(description="true for the value as first written")
    method: str = Field(description="original, human, machine or reviewed")
    translator: str = ""
    translated_at: datetime | None = None


class DateOut(Schema):
    expression: str = Field(description="the date as written, e.g. '1920-е гг.'")
    lang: str = ""
    event_type: str
    start: date | None = Field(None, description="normalized ISO 8601 start")
    end: date | None = Field(None, description="normalized ISO 8601 end")


class Label(Schema):
    value: str
    lang: str
    script: str
    dir: str
    original: bool


class TermOut(Schema):
    id: int
    taxonomy: str = Field(description="subject, place, genre or occupation")
    label: str
    code: str = ""
    labels: list[Label]


class AgentOut(Schema):
    id: int
    name: str
    kind: str
    role: str = Field(description="creator, subject …")
    url: str


class Links(Schema):
    self: str
    html: str
    parent: str | None = None
    children: str | None = None


class DescriptionSummary(Schema):
    ref: str = Field(description="unique reference code, e.g. KZ-APRK-F1-S2-12")
    identifier: str
    level: str
    title: str = Field(description="title in the original language")
    titles: list[Value]
    parent: str | None = Field(None, description="reference code of the parent")
    repository: str | None = Field(None, description="repository code")
    date_start: date | None = None
    date_end: date | None = None
    has_children: bool
    access: str = Field(description="rule in force: open, researchers, embargo or closed")
    links: Links


class DescriptionDetail(DescriptionSummary):
    original_lang: str
    languages: list[str] = Field(description="languages of the material (BCP 47)")
    scripts: list[str] = Field(description="scripts of the material (ISO 15924)")
    elements: dict[str, list[Value]] = Field(description="every filled ISAD(G) text element, all languages")
    dates: list[DateOut]
    creators: list[AgentOut]
    agents: list[AgentOut] = Field(description="every linked authority with its role")
    access_points: list[TermOut]
    children_count: int = Field(description="children the caller may see")
    has_digital_objects: bool
    access_until: date | None = None
    modified: datetime


class NameOut(Schema):
    value: str
    form: str = Field(description="authorized, parallel, standardized or other")
    lang: str
    script: str
    dir: str
    scheme: str = Field("", description="transliteration scheme, e.g. ALA-LC, ISO 9, kk-Latn-2021")
    original: bool


class AuthoritySummary(Schema):
    id: int
    kind: str = Field(description="person, corporate or family")
    name: str
    identifier: str
    dates_of_existence: str
    names: list[NameOut]
    url: str


class RelationOut(Schema):
    authority: int
    name: str
    relation_type: str
    dates: str = ""


class AuthorityDetail(AuthoritySummary):
    date_start: date | None = None
    date_end: date | None = None
    elements: dict[str, list[Value]]
    relations: list[RelationOut]
    descriptions_count: int = Field(description="linked descriptions the caller may see")
    descriptions: str = Field(description="URL of the list of linked descriptions")


class RepositorySummary(Schema):
    code: str
    country_code: str
    name: str
    names: list[Value]
    url: str


class RepositoryDetail(RepositorySummary):
    website: str
    email: str
    elements: dict[str, list[Value]]
    fonds_count: int = Field(description="top-level descriptions the caller may see")
    fonds: str = Field(description="URL of the list of its top-level descriptions")


class Page(Schema, Generic[T]):
    count: int
    page: int
    pages: int
    next: str | None = None
    previous: str | None = None
    items: list[T]
