"""Synthetic archival test pages for the seven script/language cases, with ground truth.

The project makes its own test material so that OCR quality can be measured anywhere without
downloading data: realistic archival sentences are rendered with Debian fonts (Arabic script is
shaped by Pillow's raqm layout with the system FriBiDi) and then degraded like an old scan (skew,
uneven paper, stains, faded ink, noise, blur, JPEG). Every random choice comes from a seed.
"""

from __future__ import annotations

import io
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

CASES: tuple[str, ...] = ("kk-Cyrl", "kk-Latn", "kk-Arab", "ru", "ar", "fa", "en")

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/noto"))
LATIN_FONTS = ("DejaVuSerif.ttf", "NotoSerif-Regular.ttf", "DejaVuSans.ttf", "NotoSans-Regular.ttf")
ARABIC_FONTS = ("NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf")

KK_CYRL = (
    "Қазақстан Республикасының Ұлттық мұрағаты елдің тарихи жадын сақтайды.",
    "Мұрағат қорларында ғасырлар бойы жиналған қолжазбалар мен құжаттар бар.",
    "Біз көне құжаттарды сандық пішімге көшіріп, оқырмандарға ұсынамыз.",
    "Ынтымақтастық туралы келісім бойынша екі елдің мұрағатшылары тәжірибе алмасады.",
    "Әрбір парақтың бейнесі сканерден өтіп, мәтіні танылып, іздеуге дайындалады.",
    "Ғалымдар мен зерттеушілер оқу залында сирек кітаптармен жұмыс істейді.",
    "Халқымыздың мәдени мұрасын болашақ ұрпаққа жеткізу біздің ортақ міндетіміз.",
    "Ескі газеттер мен хаттар төте жазуымен басылған, оларды оқу оңай емес.",
    "Қордың сипаттамасы халықаралық стандарт бойынша жасалды.",
    "Зақымдалған беттер дақтардан тазартылып, мәтін қайта оқылады.",
)
RU = (
    "Национальный архив хранит документы по истории государства и общества.",
    "В фондах архива собраны рукописи, письма, карты и фотографии прошлых веков.",
    "Соглашение о сотрудничестве позволяет архивистам обмениваться опытом и копиями.",
    "Каждая страница сканируется, проверяется и сохраняется в нескольких копиях.",
    "Исследователи могут искать текст на любом языке и в любой письменности.",
    "Ветхие листы очищают от пятен, чтобы текст можно было прочитать снова.",
    "Описание фонда составлено по международному стандарту архивного описания.",
    "Читальный зал открыт для всех, кто изучает историю своего края.",
    "Архивные дела переданы на хранение в государственный архив области.",
    "Опись содержит сведения о каждой единице хранения и её состоянии.",
)
EN = (
    "The national archive preserves the records of the state and its people.",
    "Its holdings include manuscripts, letters, maps and photographs from past centuries.",
    "An agreement on cooperation allows archivists to exchange experience and copies.",
    "Every page is scanned, checked and stored in several verified copies.",
    "Researchers can search the text in any language and in any script.",
    "Damaged sheets are cleaned of stains so that the text can be read again.",
    "The fonds was described according to the international standard for archival description.",
    "The reading room is open to everyone who studies the history of the region.",
    "The inventory lists each file of the series with its dates and extent.",
    "Old newspapers printed in the Arabic script are difficult to read today.",
)
AR = (
    "تحفظ دار الوثائق الوطنية سجلات الدولة وتاريخ المجتمع.",
    "تضم مجموعات الأرشيف مخطوطات ورسائل وخرائط وصورا من القرون الماضية.",
    "تسمح اتفاقية التعاون للمؤرشفين بتبادل الخبرات والنسخ الرقمية.",
    "يتم مسح كل صفحة ضوئيا ثم فحصها وحفظها في عدة نسخ موثقة.",
    "يستطيع الباحثون البحث في النصوص بأي لغة وبأي خط.",
    "تنظف الأوراق التالفة من البقع حتى يمكن قراءة النص من جديد.",
    "وصفت المجموعة وفق المعيار الدولي للوصف الأرشيفي.",
    "قاعة المطالعة مفتوحة لكل من يدرس تاريخ المنطقة.",
    "نقلت الملفات القديمة إلى المخزن الجديد بعد ترميمها.",
    "يحتوي الفهرس على وصف كل ملف وتاريخه وحالته.",
)
FA = (
    "سازمان اسناد و کتابخانه ملی ایران حافظه تاریخی کشور را نگهداری می\u200cکند.",
    "در مجموعه\u200cهای آرشیو نسخه\u200cهای خطی، نامه\u200cها، نقشه\u200cها و عکس\u200cهای قدیمی وجود دارد.",
    "تفاهم\u200cنامه همکاری به آرشیوداران اجازه می\u200cدهد تجربه و نسخه\u200cها را مبادله کنند.",
    "هر صفحه اسکن می\u200cشود، بررسی می\u200cشود و در چند نسخه نگهداری می\u200cشود.",
    "پژوهشگران می\u200cتوانند متن را به هر زبان و با هر خطی جستجو کنند.",
    "برگه\u200cهای آسیب\u200cدیده از لکه\u200cها پاک می\u200cشوند تا متن بهتر خوانده شود.",
    "این مجموعه بر پایه استاندارد بین\u200cالمللی توصیف آرشیوی توصیف شده است.",
    "تالار مطالعه برای همه کسانی که تاریخ منطقه را می\u200cخوانند باز است.",
    "پرونده\u200cهای قدیمی پس از مرمت به مخزن تازه منتقل شدند.",
    "فهرست، شرح هر پرونده و تاریخ و وضعیت آن را در بر دارد.",
)

# Kazakh Cyrillic -> Latin (alphabet approved in 2021: Ä Ğ I/ı İ/i Ñ Ö Q Ş Ū Ü Y).
_KK_LATN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
_KK_LATN_UPPER = {"і": "I", "и": "İ", "й": "İ"}

# Kazakh Cyrillic -> töte (Arabic-script Kazakh as written in China and by the diaspora).
_TOTE = {
    "а": "ا", "ә": "ا", "б": "ب", "в": "ۆ", "г": "گ", "ғ": "ع", "д": "د", "е": "ە", "ё": "يو",
    "ж": "ج", "з": "ز", "и": "ي", "й": "ي", "к": "ك", "қ": "ق", "л": "ل", "м": "م", "н": "ن",
    "ң": "ڭ", "о": "و", "ө": "و", "п": "پ", "р": "ر", "с": "س", "т": "ت", "у": "ۋ", "ұ": "ۇ",
    "ү": "ۇ", "ф": "ف", "х": "ح", "һ": "ھ", "ц": "تس", "ч": "چ", "ш": "ش", "щ": "شش", "ъ": "",
    "ы": "ى", "і": "ى", "ь": "", "э": "ە", "ю": "يۋ", "я": "يا", ",": "،", "?": "؟", ";": "؛",
}
_TOTE_HAMZA = "\u0674"  # high hamza: marks a front-vowel word that has no е, к or г to show it


def kk_cyrl_to_latn(text: str) -> str:
    """Transliterate Kazakh Cyrillic into the 2021 Latin alphabet."""
    out = []
    for ch in text:
        low = ch.lower()
        if low not in _KK_LATN:
            out.append(ch)
        elif ch != low:
            rep = _KK_LATN_UPPER.get(low) or _KK_LATN[low]
            out.append(rep[:1].upper() + rep[1:])
        else:
            out.append(_KK_LATN[low])
    return "".join(out)


def kk_cyrl_to_tote(text: str) -> str:
    """Transliterate Kazakh Cyrillic into töte, adding the high hamza to front-vowel words."""
    words = []
    for word in text.lower().split(" "):
        conv = "".join(_TOTE.get(ch, ch) for ch in word)
        if set(word) & set("әөүі") and not set(word) & set("екгэ"):
            conv = _TOTE_HAMZA + conv
        words.append(conv)
    return " ".join(words)


def sentences(case: str) -> tuple[str, ...]:
    """The ground-truth sentences of one case (NFC)."""
    table = {
        "kk-Cyrl": KK_CYRL, "ru": RU, "en": EN, "ar": AR, "fa": FA,
        "kk-Latn": tuple(kk_cyrl_to_latn(s) for s in KK_CYRL),
        "kk-Arab": tuple(kk_cyrl_to_tote(s) for s in KK_CYRL),
    }
    if case not in table:
        raise ValueError(f"unknown test-page case {case!r}; expected one of {', '.join(CASES)}")
    return tuple(unicodedata.normalize("NFC", s) for s in table[case])


def is_rtl(case: str) -> bool:
    return case in ("ar", "fa", "kk-Arab")


def find_font(name: str) -> Path:
    for d in FONT_DIRS:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(f"font {name} not found in {', '.join(map(str, FONT_DIRS))} (install fonts-dejavu-core, fonts-noto-core)")


@dataclass
class TestPage:
    """A rendered page: the image, its ground-truth text (one line per printed line) and how it was made."""

    case: str
    image: Image.Image
    text: str
    font: str
    dpi: int
    seed: int


_LANG_TAG = {"kk-Cyrl": "kk", "kk-Latn": "kk", "kk-Arab": "kk", "ru": "ru", "ar": "ar", "fa": "fa", "en": "en"}


def make_page(case: str, *, seed: int = 0, dpi: int = 300, a4: bool = True, n_sentences: int = 8,
              font: str | None = None, point_size: float = 12.0) -> TestPage:
    """Render `n_sentences` sentences of `case` (order and font chosen by `seed`) on a clean page.

    a4=True gives a full A4 sheet (210 x 297 mm); otherwise the page is cut just below the text.
    """
    rng = random.Random(f"{case}:{seed}")
    rtl = is_rtl(case)
    if rtl and not features.check("raqm"):
        raise RuntimeError("Pillow lacks raqm layout: Arabic script cannot be shaped (install libraqm0, libfribidi0)")
    pool = list(sentences(case))
    rng.shuffle(pool)
    chosen = [pool[i % len(pool)] for i in range(n_sentences)]
    font = font or rng.choice(ARABIC_FONTS if rtl else LATIN_FONTS)
    px = round(point_size * dpi / 72)
    fnt = ImageFont.truetype(str(find_font(font)), px, layout_engine=ImageFont.Layout.RAQM if rtl else ImageFont.Layout.BASIC)
    width, height = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    margin = round(dpi * 0.9)
    kw = {"direction": "rtl", "language": _LANG_TAG[case]} if rtl else {}

    # Wrap the sentences as running text into lines that fit the measure.
    lines: list[str] = []
    current = ""
    for word in " ".join(chosen).split(" "):
        trial = f"{current} {word}" if current else word
        if current and fnt.getlength(trial, **kw) > width - 2 * margin:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    leading = round(px * rng.uniform(1.55, 1.9))
    if not a4:
        height = 2 * margin + leading * len(lines)
    paper = tuple(rng.randint(236, 250) for _ in range(2)) + (rng.randint(222, 238),)
    img = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(img)
    ink = (rng.randint(15, 40),) * 3
    for i, line in enumerate(lines):
        y = margin + i * leading
        if rtl:
            draw.text((width - margin, y), line, font=fnt, fill=ink, anchor="ra", **kw)
        else:
            draw.text((margin, y), line, font=fnt, fill=ink, anchor="la")
    return TestPage(case=case, image=img, text="\n".join(lines), font=font, dpi=dpi, seed=seed)


def degrade(img: Image.Image, *, seed: int = 0, strength: float = 1.0) -> Image.Image:
    """Make a clean page look like a damaged scan: uneven yellowed paper, stains, faded ink, skew,
    noise, blur and JPEG compression. `strength` scales every effect (0 = untouched)."""
    rng = np.random.default_rng(seed)
    w, h = img.size
    a = np.asarray(img.convert("RGB"), dtype=np.float32)

    # Faded ink: pull dark pixels towards the paper.
    fade = 1.0 - 0.35 * strength * rng.uniform(0.4, 1.0)
    paper = np.median(a.reshape(-1, 3), axis=0)
    a = paper - (paper - a) * fade

    # Uneven illumination / yellowing: a smooth low-frequency multiplicative field.
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.sqrt(((gx - cx) / w) ** 2 + ((gy - cy) / h) ** 2)
    light = 1.0 - 0.28 * strength * dist / dist.max()
    a *= light[..., None]
    a[..., 2] *= 1.0 - 0.08 * strength  # yellowing

    # Stains: blurred brownish blobs and rings, partly over the text.
    stains = Image.new("L", (w, h), 0)
    sd = ImageDraw.Draw(stains)
    for _ in range(int(rng.integers(2, 5))):
        r = rng.uniform(0.04, 0.12) * w
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        val = int(rng.uniform(40, 90) * strength)
        if rng.random() < 0.5:
            sd.ellipse((x - r, y - r * rng.uniform(0.6, 1.0), x + r, y + r), fill=val)
        else:
            sd.ellipse((x - r, y - r, x + r, y + r), outline=val * 2, width=max(2, int(r * 0.06)))
    stains = stains.filter(ImageFilter.GaussianBlur(w / 200))
    s = np.asarray(stains, dtype=np.float32)[..., None] / 255.0
    brown = np.array([150, 110, 60], dtype=np.float32)
    a = a * (1 - s) + np.minimum(a, brown) * s

    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    # Skew as on a flatbed scanner.
    angle = float(rng.uniform(-3.0, 3.0)) * min(strength, 1.0)
    out = out.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=tuple(int(v) for v in paper))
    # Blur, then sensor noise and speckles.
    out = out.filter(ImageFilter.GaussianBlur(0.4 + 0.6 * strength * rng.uniform(0.5, 1.0) * w / 2480))
    a = np.asarray(out, dtype=np.float32)
    a += rng.normal(0, 14 * strength, a.shape[:2])[..., None]
    speck = rng.random(a.shape[:2]) < 0.0015 * strength
    a[speck] = rng.uniform(20, 90)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    # JPEG round trip.
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=int(75 - 35 * min(strength, 1.0)))
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def write_case(case: str, folder: Path, *, seed: int = 0, dpi: int = 300, degraded: bool = True) -> tuple[Path, Path]:
    """Write a page image and its ground truth (`.gt.txt`) into `folder`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    page = make_page(case, seed=seed, dpi=dpi)
    img = degrade(page.image, seed=seed) if degraded else page.image
    stem = f"{case}-{seed}"
    img_path = folder / f"{stem}.jpg"
    img.save(img_path, quality=92, dpi=(dpi, dpi))
    gt = folder / f"{stem}.gt.txt"
    gt.write_text(page.text + "\n", encoding="utf-8")
    return img_path, gt
