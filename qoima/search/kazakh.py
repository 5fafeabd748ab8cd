"""Kazakh in its three scripts: Cyrillic (1940-), the 2021 Latin alphabet, and töte (Arabic script,
used in the 1920s and by Kazakhs in China), and a suffix stripper for Kazakh morphology.

Conversions go through Cyrillic, the script most archival Kazakh text is in. The 2021 alphabet
(Decree of 1 Feb 2021) has 31 letters: A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z,
where I ı is Cyrillic І і and İ i is И/Й; Ы is Y, Ұ is Ū, Ү is Ü, Ж is J, Ш/Ч/Щ are Ş.
In töte the high hamza ٴ written once at the start of a word marks its vowels as front
(ا ә, و ө, ۇ ү, ى і); words with ە, ك or گ are front without it.
"""

from __future__ import annotations

CYR_TO_LAT = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o",
    "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h",
    "һ": "h", "ц": "s", "ч": "ş", "ш": "ş", "щ": "ş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}
_CYR_UPPER_I = {"и": "İ", "й": "İ", "і": "I", "ё": "İo", "ю": "İu", "я": "İa"}

LAT_TO_CYR = {
    "a": "а", "ä": "ә", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "ğ": "ғ", "h": "х", "ı": "і",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "ñ": "ң", "o": "о", "ö": "ө", "p": "п",
    "q": "қ", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "v": "в", "y": "ы",
    "z": "з", "c": "ц", "w": "у", "x": "х",
}

HAMZA = "\u0674"  # ARABIC LETTER HIGH HAMZA: the front-vowel mark of töte
_FRONT_LETTERS = set("әөүіеэкг")
_CYR_VOWELS = set("аәеоөұүыіэуи")
CYR_TO_TOTE = {
    "а": "ا", "ә": "ا", "б": "ب", "в": "ۆ", "г": "گ", "ғ": "ع", "д": "د", "е": "ە", "ё": "يو", "ж": "ج",
    "з": "ز", "и": "ي", "й": "ي", "к": "ك", "қ": "ق", "л": "ل", "м": "م", "н": "ن", "ң": "ڭ", "о": "و",
    "ө": "و", "п": "پ", "р": "ر", "с": "س", "т": "ت", "у": "ۋ", "ұ": "ۇ", "ү": "ۇ", "ф": "ف", "х": "ح",
    "һ": "ھ", "ц": "تس", "ч": "چ", "ш": "ش", "щ": "شش", "ъ": "", "ы": "ى", "і": "ى", "ь": "", "э": "ە",
    "ю": "يۋ", "я": "يا",
}
TOTE_BACK = {
    "ا": "а", "ب": "б", "ۆ": "в", "گ": "г", "ع": "ғ", "د": "д", "ە": "е", "ه": "е", "ج": "ж", "ز": "з",
    "ي": "и", "ك": "к", "ق": "қ", "ل": "л", "م": "м", "ن": "н", "ڭ": "ң", "و": "о", "پ": "п", "ر": "р",
    "س": "с", "ت": "т", "ۋ": "у", "ۇ": "ұ", "ف": "ф", "ح": "х", "خ": "х", "ھ": "һ", "چ": "ч", "ش": "ш",
    "ى": "ы", "ی": "и", "ک": "к", "ء": "", "ٴ": "", "غ": "ғ", "ې": "е", "ط": "т", "ص": "с", "ض": "з",
    "ظ": "з", "ث": "с", "ذ": "з", "ة": "а", "ئ": "", "أ": "а", "إ": "и", "آ": "а", "ٱ": "а",
    "ٵ": "ә", "ٶ": "ө", "ٷ": "ү", "ٸ": "і",
}
_TOTE_FRONT_VOWEL = {"ا": "ә", "و": "ө", "ۇ": "ү", "ى": "і"}
# Letters only töte (or Uyghur) uses: a word with one of them is certainly not Arabic or Persian.
TOTE_ONLY = set("ٴەۇۋڭۆٵٶٷٸې")


def _is_front(cyr_word: str) -> bool:
    return any(c in _FRONT_LETTERS for c in cyr_word.lower())


def cyr_to_latin(text: str) -> str:
    """Kazakh Cyrillic -> 2021 Latin, keeping case ('Қазақстан' -> 'Qazaqstan', 'Ілияс' -> 'Ilias')."""
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        if low not in CYR_TO_LAT:
            out.append(ch)
            continue
        lat = CYR_TO_LAT[low]
        if low == "и" and text[i + 1:i + 2].lower() in ("я", "ю"):
            continue  # Азия -> Azia, not Aziia
        if ch != low:  # upper case
            nxt = text[i + 1] if i + 1 < len(text) else ""
            whole_upper = nxt.isupper() or (i > 0 and text[i - 1].isupper())
            if low in _CYR_UPPER_I:
                lat = _CYR_UPPER_I[low]
                lat = lat.upper() if whole_upper else lat
            else:
                lat = lat.upper() if whole_upper else lat[:1].upper() + lat[1:]
        out.append(lat)
    return "".join(out)


def latin_to_cyr(text: str) -> str:
    """2021 Latin -> Kazakh Cyrillic. Dotted/dotless i: İ i -> И и, I ı -> І і (as the alphabet says)."""
    out = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "I":
            out.append("І")
        elif ch == "İ":
            out.append("И")
        elif ch.lower() == "i" and i + 1 < n and text[i + 1].lower() in "au" and (i == 0 or not text[i - 1].isalpha()):
            # word-initial ia/iu are я/ю (İa, İu)
            cyr = "я" if text[i + 1].lower() == "a" else "ю"
            out.append(cyr.upper() if ch.isupper() else cyr)
            i += 2
            continue
        else:
            low = ch.lower()
            cyr = LAT_TO_CYR.get(low)
            if cyr is None:
                out.append(ch)
            else:
                out.append(cyr.upper() if ch != low else cyr)
        i += 1
    return "".join(out)


def cyr_to_tote(text: str) -> str:
    """Kazakh Cyrillic -> töte: one high hamza before a front-vowel word without е/к/г."""
    out = []
    word: list[str] = []

    def flush() -> None:
        if not word:
            return
        w = "".join(word)
        conv = "".join(CYR_TO_TOTE.get(c.lower(), c) for c in w)
        low = w.lower()
        if any(c in "әөүі" for c in low) and not any(c in "екгэ" for c in low):
            conv = HAMZA + conv
        out.append(conv)
        word.clear()

    for ch in text:
        if ch.lower() in CYR_TO_TOTE:
            word.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


def tote_to_cyr(word: str) -> str:
    """One töte word -> Kazakh Cyrillic; vowels are front if the word carries ٴ or е/к/г."""
    front = HAMZA in word or any(c in word for c in "ەكگٵٶٷٸ")
    out: list[str] = []
    for ch in word:
        if front and ch in _TOTE_FRONT_VOWEL:
            out.append(_TOTE_FRONT_VOWEL[ch])
        elif ch == "ي" and out and out[-1] in _CYR_VOWELS:
            out.append("й")  # after a vowel ي is the consonant й
        else:
            out.append(TOTE_BACK.get(ch, ch))
    return "".join(out)


def looks_tote(word: str) -> bool:
    """True when the word uses letters only töte has; words of Arabic letters alone stay ambiguous."""
    return any(c in TOTE_ONLY for c in word)


# --- suffix stripping -------------------------------------------------------------------------
# The stripper works on romanization keys (see romanize.tr_key), where the scripts have met and
# vowel pairs are merged (а/ә a, ы/і/и i, о/ө o, ұ/ү/у u, қ/к k, ғ/г g, ң/н n), so one table serves
# Cyrillic, Latin and töte. Layers are peeled from the end of the word: adjectival -ғы/-гі, case,
# possessive, plural. Every intermediate form is kept: "Қазақстанның" gives kazakstan, and so does
# the bare "Қазақстан", whatever a greedy stripper would later make of the final "-тан".
_ADJ = ("gi", "ki")
_CASE = (
    "nin", "din", "tin",  # genitive
    "ni", "di", "ti",  # accusative
    "ga", "ge", "ka", "ke", "na", "ne",  # dative
    "nda", "nde", "da", "de", "ta", "te",  # locative
    "nan", "nen", "dan", "den", "tan", "ten",  # ablative
    "menen", "benen", "penen", "men", "ben", "pen",  # instrumental
    "dai", "dei", "tai", "tei",  # equative
)
_POSS = ("imiz", "iniz", "miz", "niz", "lari", "leri", "dari", "deri", "tari", "teri", "si", "im", "in", "i")
_PLURAL = ("lar", "ler", "dar", "der", "tar", "ter")
_DERIV = ("shilik", "lik", "dik", "tik", "shi")
_LAYERS = [tuple(sorted(layer, key=len, reverse=True)) for layer in (_ADJ, _CASE, _POSS, _PLURAL, _DERIV)]
MIN_STEM = 3
MAX_STEMS = 12


def stems(key: str) -> list[str]:
    """Candidate stems of a romanized Kazakh word; [] when nothing strips.

    Each layer may strip any suffix that fits (not only the longest: -нда/-да after a possessive
    are both locatives) or none, so every segmentation's stem is a candidate."""
    frontier = {key}
    out: list[str] = []
    for layer in _LAYERS:
        nxt = set(frontier)
        for w in frontier:
            for suf in layer:
                if w.endswith(suf) and len(w) - len(suf) >= MIN_STEM:
                    nxt.add(w[: -len(suf)])
        frontier = nxt
    out = sorted(frontier - {key}, key=lambda s: (-len(s), s))
    return out[:MAX_STEMS]
