"""Technical metadata of images and PDFs: size in pixels, resolution, colour space, pages.

pyvips reads only the header (images are opened lazily), so this costs little even for large scans.
"""

from __future__ import annotations

from pathlib import Path

from qoima.ingest.formats import Format


def image_metadata(path: Path) -> dict:
    import pyvips

    img = pyvips.Image.new_from_file(str(path), access="sequential")
    fields = set(img.get_fields())
    md = {
        "width": img.width,
        "height": img.height,
        "bands": img.bands,
        "colour_space": str(img.interpretation),
        "sample_format": str(img.format),
        "pages": int(img.get("n-pages")) if "n-pages" in fields else 1,
    }
    if img.xres > 0 and img.yres > 0:
        # libvips stores pixels per millimetre; archives speak dots per inch.
        md["x_dpi"] = round(img.xres * 25.4, 2)
        md["y_dpi"] = round(img.yres * 25.4, 2)
    if "icc-profile-data" in fields:
        md["icc_profile"] = True
    return md


def pdf_metadata(path: Path) -> dict:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return {"pages": len(doc)}
    finally:
        doc.close()


def technical_metadata(path: Path, fmt: Format) -> tuple[dict, str | None]:
    """(metadata, problem): a file that claims a format but cannot be read is kept, with a note."""
    try:
        if fmt.is_image:
            return image_metadata(path), None
        if fmt.is_pdf:
            return pdf_metadata(path), None
    except Exception as exc:  # damaged files are preserved as received; the note says why
        return {}, f"{type(exc).__name__}: {exc}"
    return {}, None
