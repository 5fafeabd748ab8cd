"""Helpers for the recognize tests: the shared ALTO schema (skips when absent), cached pages."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[1]


def shared_standards() -> Path:
    base = Path(os.environ["QOIMA_SHARED"]) if os.environ.get("QOIMA_SHARED") else REPO.parent / "shared"
    return base / "standards"


class _CatalogResolver(etree.Resolver):
    """Maps the schemas' remote locations to the offline copies listed in catalog.xml."""

    def __init__(self, catalog: Path):
        super().__init__()
        tree = etree.parse(str(catalog))
        self.map = {el.get("name"): str(catalog.parent / el.get("uri"))
                    for el in tree.iter() if isinstance(el.tag, str) and el.tag.endswith("uri") and el.get("name")}

    def resolve(self, url, pubid, context):
        if url in self.map:
            return self.resolve_filename(self.map[url], context)
        return None


@cache
def alto_schema() -> etree.XMLSchema:
    std = shared_standards()
    xsd = std / "schemas" / "alto" / "alto-4-4.xsd"
    catalog = std / "schemas" / "catalog.xml"
    if not xsd.exists() or not catalog.exists():
        pytest.skip(f"official ALTO schema not available under {std} (set QOIMA_SHARED)")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_CatalogResolver(catalog))
    return etree.XMLSchema(etree.parse(str(xsd), parser))


def assert_valid_alto(data: bytes) -> None:
    schema = alto_schema()
    doc = etree.fromstring(data)
    if not schema.validate(doc):
        raise AssertionError("ALTO invalid: " + "; ".join(str(e) for e in schema.error_log)[:2000])
