"""Demo scans: a few letter pages rendered in Kazakh (Cyrillic, Latin, töte), Russian and Arabic,
with Kazakh and Arabic file names, ingested under a demo item like a real digitization batch.

    from qoima.ingest.demo import load
    load(home, into="KZ-QOIMA-F1")       # after django setup; returns the ingest JSON result
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

FONTS = {
    "Cyrl": ["/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
             "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"],
    "Arab": ["/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
             "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
}
FONTS["Latn"] = FONTS["Cyrl"]

# (folder, file stem, script, direction, lines) — public-domain style texts written for the demo.
LETTERS = [
    ("Абайдың_хаттары_1903", "бет", "Cyrl", "ltr", [
        ["Құрметті досым!", "Сіздің хатыңызды алдым, көп рахмет.", "Біздің ауылда бәрі аман-сау,",
         "күз ерте түсті, егін жиналып болды.", "Кітаптарды жіберуіңізді өтінемін.", "Сәлеммен, Ибраһим. 1903 жыл."],
        ["Екінші бет.", "Мектеп ашу туралы ойымызды айтайын:", "балаларға оқу керек, ғылым керек.",
         "Уездік бастыққа өтініш жаздық.", "Жауабын күтеміз.", "Қош болыңыз."],
    ]),
    ("Письма_Алаш_1918", "страница", "Cyrl", "ltr", [
        ["Уважаемый Алихан Нурмухамедович!", "Сообщаю, что съезд назначен на декабрь.",
         "Делегаты из Семипалатинска прибудут", "к пятому числу. Прошу подготовить", "доклад о земельном вопросе.",
         "С уважением, секретарь. 1918 г."],
    ]),
    ("رسائل_الدوحة_١٩٥٠", "صفحة", "Arab", "rtl", [
        ["بسم الله الرحمن الرحيم", "حضرة الأخ الكريم المحترم،", "السلام عليكم ورحمة الله وبركاته،",
         "وصلتنا رسالتكم وسررنا بأخباركم.", "نرجو إرسال الكتب مع القافلة القادمة.", "والسلام، الدوحة سنة ١٩٥٠"],
    ]),
    ("Hattar_latyn_2021", "bet", "Latn", "ltr", [
        ["Qadirli Aigerim!", "Arhivke jiberilgen qujattar tizimi:", "hattar, fotosuretter, kúndelikter.",
         "Barlyǵy sandyq túrinde saqtalady.", "Sálemmen, Nurlan. 2021 jyl."],
    ]),
]
TOTE = ("توتە_جازۋى", "بەت", "Arab", "rtl", [["قۇرمەتتى دوسىم!", "حاتىڭىزدى الدىم، كوپ راحمەت.",
                                             "اۋىلدا بارى امان-ساۋ.", "سالەممەن، ٴىبىراھىم."]])


def _font(script: str, size: int):
    from PIL import ImageFont

    for path in FONTS[script]:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def render_page(lines: list[str], script: str, direction: str, path: Path, seed: int = 0) -> Path:
    """An aged paper page at 200 dpi with the text set in the right direction (raqm shapes Arabic)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    w, h = 1240, 1754  # A5-ish at 200 dpi, small enough for a quick demo
    rng = np.random.default_rng(seed)
    paper = np.full((h, w, 3), (236, 226, 198), dtype=np.int16) + rng.normal(0, 6, (h, w, 1)).astype(np.int16)
    img = Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    draw = ImageDraw.Draw(img)
    font = _font(script, 44)
    y = 160
    for line in lines:
        kwargs = {"direction": direction} if direction == "rtl" else {}
        x = w - 120 if direction == "rtl" else 120
        anchor = "ra" if direction == "rtl" else "la"
        draw.text((x, y), line, font=font, fill=(40, 32, 28), anchor=anchor, **kwargs)
        y += 90
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=88, dpi=(200, 200))
    return path


def make_transfer(root: Path) -> Path:
    """Write the demo transfer (folders of pages + metadata/metadata.csv) under `root`."""
    seed = 0
    for folder, stem, script, direction, pages in [*LETTERS, TOTE]:
        for n, lines in enumerate(pages, 1):
            seed += 1
            render_page(lines, script, direction, root / folder / f"{stem}_{n}.jpg", seed)
    (root / "metadata").mkdir(parents=True, exist_ok=True)
    (root / "metadata" / "metadata.csv").write_text(
        "filename,dc.title,dc.date,dc.language,dc.description\n"
        "objects/Абайдың_хаттары_1903,Ибраһимнің хаттары,1903,kk,Досына жазылған екі беттік хат\n"
        "objects/Письма_Алаш_1918,Письмо секретаря съезда Алаш,1918,ru,О созыве съезда\n"
        "objects/رسائل_الدوحة_١٩٥٠,رسالة من الدوحة,1950,ar,رسالة شخصية عن إرسال الكتب\n"
        "objects/Hattar_latyn_2021,Nurlannyń haty,2021,kk-Latn,Arhivke jiberilgen qujattar\n"
        "objects/توتە_جازۋى,تٴوتە جازۋىمەن حات,1925,kk-Arab,تٴوتە جازۋىمەن جازىلعان حات\n",
        encoding="utf-8")
    return root


def load(home: Path | None = None, into: str | None = None, *, derivatives: bool = True) -> dict:
    """Ingest the demo scans under `into` (default: a demo fonds, created if missing); idempotent."""
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Description, Repository
    from qoima.ingest import service

    if into is None:
        repo, _ = Repository.objects.get_or_create(code="QOIMA", defaults={"country_code": "KZ",
                                                                           "name": "Qoima demo archive"})
        fonds = Description.objects.filter(ref=f"{repo.ref_prefix}-SCANS").first() or hierarchy.create(
            identifier="SCANS", level="fonds", repository=repo, title="Цифрланған хаттар", lang="kk")
        into = fonds.ref
    if home:
        (home / "tmp").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="qoima-demo-scans-", dir=str(home / "tmp") if home else None))
    try:
        # a stable folder name: the same scans are recognized as the same transfer on a rerun
        return service.ingest(make_transfer(tmp / "демо_хаттар"), into, derivatives=derivatives, user="demo")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
