"""Where IIIF images come from: `iiif` id -> access copy on disk + the description it belongs to.

The image server and the manifests ask `resolve_image(id)` and `images_of(description)` only.
Sources are small objects with `get(id)` and `for_description(d)`; the default list is:

- `IngestSource`: the pyramidal TIFF access copies ingest stores in AIPs (`AipFile.iiif`);
- `DirectorySource`: image files in the folder named by QOIMA_IIIF_DIR, id = file name without
  extension. They belong to no description and are public (conformance images, exhibitions).

Tests and other parts may `register()` further sources.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$")
IMAGE_SUFFIXES = (".tif", ".tiff", ".ptif", ".jp2", ".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class ImageFile:
    """One image the IIIF server can serve."""

    id: str
    path: str
    description_id: int | None = None
    order: int = 0
    label: str = ""
    width: int = 0  # 0: read from the file
    height: int = 0
    alto_url: str = ""  # OCR of this page, when recognition produced it
    extra: dict = field(default_factory=dict, compare=False, hash=False)


class ImageSource(Protocol):
    def get(self, image_id: str) -> ImageFile | None: ...

    def for_description(self, description) -> list[ImageFile]: ...


class DirectorySource:
    """Public images in one folder (QOIMA_IIIF_DIR): `<id>.<ext>`."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder else None

    def _folder(self) -> Path | None:
        if self.folder is not None:
            return self.folder
        env = os.environ.get("QOIMA_IIIF_DIR")
        return Path(env) if env else None

    def get(self, image_id: str) -> ImageFile | None:
        folder = self._folder()
        if folder is None or not SAFE_ID.match(image_id):
            return None
        for suffix in IMAGE_SUFFIXES:
            p = folder / f"{image_id}{suffix}"
            if p.is_file():
                return ImageFile(id=image_id, path=str(p))
        return None

    def for_description(self, description) -> list[ImageFile]:
        return []


class IngestSource:
    """Access derivatives recorded by ingest (`AipFile.iiif`), pages in `AipFile.page` order; the
    OCR of a page (recognize adds `ocr/<page uuid>.alto.xml` to the AIP) is linked as ALTO."""

    # id -> file is fixed once ingest has stored it, and every tile asks: remember it briefly. The
    # access rule is not cached (the image views read the description on every request), and an
    # entry whose file has gone is looked up again.
    TTL = 30.0
    MAX = 20_000

    def __init__(self) -> None:
        self._cache: dict[str, tuple[float, ImageFile | None]] = {}

    def get(self, image_id: str) -> ImageFile | None:
        if not SAFE_ID.match(image_id):
            return None
        now = time.monotonic()
        hit = self._cache.get(image_id)
        if hit is not None and hit[0] > now and (hit[1] is None or os.path.isfile(hit[1].path)):
            return hit[1]
        from qoima.ingest.aip import image_for_iiif

        ref = image_for_iiif(image_id)
        found = None if ref is None else ImageFile(id=image_id, path=str(ref.path), description_id=ref.description_id,
                                                   order=ref.page or 0)
        if len(self._cache) >= self.MAX:
            self._cache.clear()
        # misses are remembered only for a moment: a new ingest's images must appear quickly
        self._cache[image_id] = (now + (self.TTL if found else 2.0), found)
        return found

    def for_description(self, description) -> list[ImageFile]:
        from qoima.ingest.models import AipFile

        files = list(AipFile.objects.filter(description_id=description.pk, iiif__isnull=False)
                     .exclude(derivative_path="").order_by("page", "id"))
        with_ocr = set(AipFile.objects.filter(source__in=files, bag_path__endswith=".alto.xml")
                       .values_list("source_id", flat=True))
        out = []
        for f in files:
            tech = f.tech or {}
            out.append(ImageFile(
                id=f.iiif, path="", description_id=description.pk, order=f.page or 0,
                label=str(f.page) if f.page else "", width=int(tech.get("width") or 0),
                height=int(tech.get("height") or 0),
                alto_url=f"/iiif/alto/{f.iiif}.xml" if f.pk in with_ocr else ""))
        return out

    def alto(self, image_id: str) -> bytes | None:
        """The ALTO XML of the page behind `image_id`, read from the AIP's storage."""
        from qoima.ingest.aip import _intact_location, locations
        from qoima.ingest.models import AipFile

        page = AipFile.objects.select_related("aip").filter(iiif=image_id).first()
        if page is None:
            return None
        alto = AipFile.objects.filter(source=page, bag_path__endswith=".alto.xml").order_by("-version").first()
        if alto is None:
            return None
        for loc in _intact_location(page.aip, locations()):
            try:
                with loc.open(page.aip.prefix + alto.bag_path) as f:
                    return f.read()
            except OSError:
                continue
        return None


class MemorySource:
    """Images registered in-process: used by tests and by parts that manage their own files."""

    def __init__(self, images: Iterable[ImageFile] = ()):
        self.images = {i.id: i for i in images}

    def add(self, image: ImageFile) -> ImageFile:
        self.images[image.id] = image
        return image

    def get(self, image_id: str) -> ImageFile | None:
        return self.images.get(image_id)

    def for_description(self, description) -> list[ImageFile]:
        return [i for i in self.images.values() if i.description_id == description.pk]


_sources: list[ImageSource] = [IngestSource(), DirectorySource()]


def register(source: ImageSource, first: bool = True) -> ImageSource:
    if first:
        _sources.insert(0, source)
    else:
        _sources.append(source)
    return source


def unregister(source: ImageSource) -> None:
    if source in _sources:
        _sources.remove(source)


def resolve_image(image_id: str) -> ImageFile | None:
    """The image with this IIIF id, or None (a 404)."""
    for source in _sources:
        found = source.get(image_id)
        if found is not None:
            return found
    return None


def alto_of(image_id: str) -> bytes | None:
    """The OCR (ALTO XML) of one page image, from the first source that has it."""
    for source in _sources:
        fn = getattr(source, "alto", None)
        if fn is not None and (data := fn(image_id)) is not None:
            return data
    return None


def images_of(description) -> list[ImageFile]:
    """The images of one description, in page order."""
    out: list[ImageFile] = []
    seen: set[str] = set()
    for source in _sources:
        for image in source.for_description(description):
            if image.id not in seen:
                seen.add(image.id)
                out.append(image)
    return sorted(out, key=lambda i: (i.order, i.label, i.id))
