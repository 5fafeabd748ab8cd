"""Access copies of images for IIIF deep zoom: pyramidal, tiled, JPEG-compressed TIFF (sRGB, 8-bit).

The IIIF image server reads tiles straight from these; the original is never touched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TILE = 256


@lru_cache(maxsize=1)
def tool_version() -> str:
    import pyvips

    return f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}"


def make_access_tiff(src: Path, dest: Path, quality: int = 85) -> dict:
    """Write the pyramidal TIFF of the first page of `src` to `dest`; return its width/height."""
    import pyvips

    img = pyvips.Image.new_from_file(str(src), access="sequential")
    if img.get_typeof("orientation"):
        img = img.autorot()
    if img.hasalpha():
        img = img.flatten(background=[255] * (img.bands - 1))
    target = "b-w" if img.bands == 1 else "srgb"
    if img.interpretation != target or img.format != "uchar":
        try:
            img = img.colourspace(target)  # also brings 16-bit, CMYK and Lab down to 8-bit
        except pyvips.Error:
            pass
    if img.format != "uchar":
        img = img.cast("uchar")
    if img.bands not in (1, 3):
        img = img[:3] if img.bands > 3 else img[0]
    dest.parent.mkdir(parents=True, exist_ok=True)
    img.tiffsave(str(dest), tile=True, pyramid=True, compression="jpeg", Q=quality,
                 tile_width=TILE, tile_height=TILE, strip=True)
    return {"width": img.width, "height": img.height}
