"""Fixtures for the access tests: a small catalogue with open, closed, embargoed and researchers-only
items that have generated pyramidal TIFF scans, registered as an in-memory IIIF image source."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

GRID = 8  # colour cells per side in generated test images


def cell_colour(i: int, j: int) -> tuple[int, int, int]:
    return ((37 * i + 11 * j) % 256, (91 * j + 17 * i) % 256, (53 * (i + j) + 101) % 256)


def make_image(path: Path, width: int, height: int, pyramid: bool = True) -> Path:
    """A grid of distinct colour cells (cell (i, j) at column i, row j), as a pyramidal tiled TIFF."""
    import pyvips

    cw, ch = -(-width // GRID), -(-height // GRID)
    rows = []
    for j in range(GRID):
        row = [pyvips.Image.black(cw, ch, bands=3) + list(cell_colour(i, j)) for i in range(GRID)]
        rows.append(pyvips.Image.arrayjoin(row, across=GRID))
    img = pyvips.Image.arrayjoin(rows, across=1).crop(0, 0, width, height).cast("uchar").copy(interpretation="srgb")
    path.parent.mkdir(parents=True, exist_ok=True)
    if pyramid:
        img.tiffsave(str(path), tile=True, pyramid=True, compression="jpeg", Q=90, tile_width=256, tile_height=256)
    else:
        img.write_to_file(str(path))
    return path


@pytest.fixture(scope="session")
def scan_files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("scans")
    return {
        "p1": make_image(root / "p1.tif", 1200, 900),
        "p2": make_image(root / "p2.tif", 900, 1200),
        "closed": make_image(root / "closed.tif", 600, 400),
        "embargo": make_image(root / "embargo.tif", 600, 400),
        "researchers": make_image(root / "researchers.tif", 600, 400),
    }


@pytest.fixture
def archive(db, scan_files):
    """A fonds with a series of items: open (2 pages, OCR on page 1), closed, embargoed, researchers."""
    from qoima.access.iiif import sources
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Access, Repository

    repo = Repository.objects.create(code="APRK", country_code="KZ", name="Президент архиві", email="a@example.kz")
    repo.set_text("authorized_name", "Президент архиві", "kk")
    fonds = hierarchy.create(identifier="F1", level="fonds", repository=repo, title="Алаш қозғалысы", lang="kk")
    fonds.set_text("title", "Движение Алаш", "ru")
    fonds.set_text("title", "حركة الاش", "ar")
    series = hierarchy.create(identifier="S1", level="series", parent=fonds, title="Хаттар", lang="kk")
    item = hierarchy.create(identifier="1", level="item", parent=series, title="Бөкейхановтың хаты", lang="kk",
                            has_digital_objects=True, languages=["kk"], scripts=["Arab"])
    item.set_text("title", "Letter of Bukeikhanov", "en")
    item.set_text("scope_and_content", "Хат төте жазуымен", "kk")
    closed = hierarchy.create(identifier="2", level="item", parent=series, title="Жеке іс (жабық)", lang="kk",
                              has_digital_objects=True)
    hierarchy.set_access(closed, Access.CLOSED, reason="personal data")
    embargo = hierarchy.create(identifier="3", level="item", parent=series, title="Тыйым салынған хат", lang="kk",
                               has_digital_objects=True)
    hierarchy.set_access(embargo, Access.EMBARGO, until=date.today() + timedelta(days=3650), reason="embargo")
    researchers = hierarchy.create(identifier="4", level="item", parent=series, title="Зерттеушілерге", lang="kk",
                                   has_digital_objects=True)
    hierarchy.set_access(researchers, Access.RESEARCHERS, reason="fragile")
    for d in (closed, embargo, researchers):
        d.refresh_from_db()

    src = sources.MemorySource([
        sources.ImageFile("img-open-1", str(scan_files["p1"]), item.pk, 1, "1", alto_url="/iiif/alto/img-open-1.xml"),
        sources.ImageFile("img-open-2", str(scan_files["p2"]), item.pk, 2, "2"),
        sources.ImageFile("img-closed", str(scan_files["closed"]), closed.pk, 1),
        sources.ImageFile("img-embargo", str(scan_files["embargo"]), embargo.pk, 1),
        sources.ImageFile("img-researchers", str(scan_files["researchers"]), researchers.pk, 1),
    ])
    sources.register(src)
    try:
        yield {"repo": repo, "fonds": fonds, "series": series, "item": item, "closed": closed,
               "embargo": embargo, "researchers": researchers, "source": src}
    finally:
        sources.unregister(src)


@pytest.fixture
def researcher(db):
    from qoima.accounts.models import User

    return User.objects.create_user("reader", password="a long passphrase", role="researcher")


@pytest.fixture
def archivist(db):
    from qoima.accounts.models import User

    return User.objects.create_user("keeper", password="a long passphrase", role="archivist")
