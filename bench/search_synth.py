"""Synthetic multilingual archival descriptions (kk in three scripts, ru, ar, fa, en) for the search
benchmarks: titles and scope notes built from each language's archival vocabulary with inflected
Kazakh and Russian forms, and person and place names written in every script."""

from __future__ import annotations

import random

VOCAB = {
    "ru": ("переписка документы отчёт протокол заседания комитета управления областного городского истории "
           "торговли сельского хозяйства школы образования переселения земли приказы распоряжения ведомости "
           "списки жителей уезда волости губернии письма дневники фотографии карты планы строительства "
           "железной дороги завода колхоза совхоза партии съезда выборов налогов переписи населения архива "
           "фонда описи дела купцов рабочих учителей врачей больницы библиотеки музея театра газеты журнала").split(),
    "kk": ("хаттар құжаттар есебі хаттамасы мәжілісі комитетінің басқармасының облыстық қалалық тарихы "
           "саудасы ауыл шаруашылығы білім қоныс аудару жер бұйрықтары өкімдері тізімдері "
           "тұрғындарының болысының губерниясының күнделіктері суреттері картасы жоспары құрылысы темір жолы "
           "зауыты ұжымшары кеңшары партиясының съезі сайлау салықтары санағы халқының мұрағаты қоры "
           "тізімдемесі ісі көпестер жұмысшылар мұғалімдер дәрігерлер ауруханасы кітапханасы мұражайы "
           "театры газеті журналы").split(),
    "kk-Latn": ("hattar qūjattar esebı hattamasy mäjılısı komitetınıñ basqarmasynyñ oblystyq qalalyq tarihy "
                "saudasy auyl şaruaşylyğy bılım qonys audaru jer būiryqtary ökımderı tızımderı "
                "tūrğyndarynyñ bolysynyñ künделіkterı suretterı kartasy josparı qūrylysy temır joly").split(),
    "kk-Arab": ("حاتتار قۇجاتتار ەسەبى حاتتاماسى ٴماجىلىسى كوميتەتىنىڭ باسقارماسىنىڭ وبلىستىق قالالىق تاريحى "
                "ساۋداسى اۋىل شارۋاشىلىعى ٴبىلىم قونىس اۋدارۋ جەر بۇيرىقتارى ٴتىزىمدەرى "
                "تۇرعىندارىنىڭ بولىسىنىڭ كۇندەلىكتەرى سۋرەتتەرى كارتاسى جوسپارى قۇرىلىسى").split(),
    "ar": ("مراسلات وثائق تقرير محضر اجتماع لجنة إدارة البلدية تاريخ التجارة الزراعة المدرسة التعليم "
           "الأراضي أوامر قرارات سجلات قوائم السكان المنطقة الولاية يوميات صور خرائط مخططات البناء "
           "السكك الحديدية المصنع الحزب المؤتمر الانتخابات الضرائب التعداد الأرشيف المجموعة الملف التجار "
           "العمال المعلمين الأطباء المستشفى المكتبة المتحف المسرح الصحيفة المجلة ").split(),
    "fa": ("مکاتبات اسناد صورتجلسه کمیسیون اداره شهرداری تاریخ تجارت کشاورزی مدرسه آموزش زمین "
           "دستورها فرمان‌ها دفاتر فهرست ساکنان ولایت خاطرات عکس‌ها نقشه‌ها ساختمان راه‌آهن "
           "کارخانه حزب کنگره انتخابات مالیات سرشماری بایگانی مجموعه پرونده بازرگانان کارگران معلمان "
           "پزشکان بیمارستان کتابخانه موزه تئاتر روزنامه مجله ابریشم ").split(),
    "en": ("correspondence records reminutes meeting committee administration regional municipal history "
           "trade agriculture school education resettlement land orders decrees registers lists inhabitants "
           "district province letters diaries photographs maps plans construction railway factory party "
           "congress elections taxes census population archive fonds file merchants workers teachers "
           "doctors hospital library museum theatre newspaper journal ").split(),
}
# Person names: the same name in the scripts it is written in across the partner archives.
NAMES = [
    ("Сейфуллин", "Seifullin", "سەيفۋللين", "سيفولين"), ("Жансүгіров", "Jansügırov", "جانسۇگىروۆ", "جانسوغيروف"),
    ("Майлин", "Mailin", "مايلين", "مايلين"), ("Досмұхамедов", "Dosmūhamedov", "دوسمۇحامەدوۆ", "دوسمحمدوف"),
    ("Бөкейханов", "Bökeihanov", "ٴبوكەيحانوۆ", "بوكيخانوف"), ("Тынышбаев", "Tynyşbaev", "تىنىشباەۆ", "تينيشباييف"),
    ("Аль-Мансури", "Al-Mansouri", "المنصوري", "المنصوري"), ("Аль-Марри", "Al-Marri", "المري", "المري"),
    ("Аль-Кувари", "Al-Kuwari", "الكواري", "الكواري"), ("Аль-Сулейти", "Al-Sulaiti", "السليطي", "السليطي"),
    ("Аль-Атия", "Al-Attiyah", "العطية", "العطية"), ("Аль-Хаджири", "Al-Hajri", "الهاجري", "الهاجري"),
    ("Мирза Хасан", "Mirza Hasan", "ميرزا حاسان", "میرزا حسن"), ("Тагизаде", "Taghizadeh", "تاعيزادە", "تقی‌زاده"),
    ("Ахмади", "Ahmadi", "احمادي", "احمدی"), ("Хосейни", "Hosseini", "حوسەيني", "حسینی"),
    ("Рахими", "Rahimi", "راحيمي", "رحیمی"), ("Карими", "Karimi", "كاريمي", "کریمی"),
    ("Иванов", "Ivanov", "يۆانوۆ", "إيفانوف"), ("Петров", "Petrov", "پەتروۆ", "بيتروف"),
    ("Смирнов", "Smirnov", "سميرنوۆ", "سميرنوف"), ("Кузнецов", "Kuznetsov", "كۋزنەتسوۆ", "كوزنيتسوف"),
]
PLACES = [
    ("Ақмола", "Aqmola", "اقمولا", "آقمولا"), ("Қарағанды", "Qarağandy", "قاراعاندى", "كاراغاندا"),
    ("Павлодар", "Pavlodar", "پاۆلودار", "بافلودار"), ("Орал", "Oral", "ورال", "أورال"),
    ("Доха", "Doha", "دوحا", "الدوحة"), ("Эр-Рияд", "Riyadh", "رياد", "الرياض"), ("Шираз", "Shiraz", "شيراز", "شیراز"),
    ("Тебриз", "Tabriz", "تابريز", "تبریز"), ("Исфахан", "Isfahan", "يسفاحان", "اصفهان"),
    ("Мешхед", "Mashhad", "ماشحاد", "مشهد"), ("Бухара", "Bukhara", "بۇحارا", "بخارى"), ("Қостанай", "Qostanai", "قوستاناي", "كوستاناي"),
]
LANGS = ["kk", "ru", "ar", "fa", "en", "kk-Latn", "kk-Arab"]
_SCRIPT_INDEX = {"kk": 0, "ru": 0, "kk-Latn": 1, "en": 1, "kk-Arab": 2, "ar": 3, "fa": 3}


def name_in(lang: str, forms: tuple[str, ...]) -> str:
    return forms[_SCRIPT_INDEX[lang]]


def description(rng: random.Random, i: int) -> dict:
    """One synthetic description: {'lang', 'title', 'scope', 'names'} (names in the record's script)."""
    lang = rng.choice(LANGS)
    vocab = VOCAB[lang]
    person = name_in(lang, rng.choice(NAMES))
    place = name_in(lang, rng.choice(PLACES))
    title_words = rng.sample(vocab, rng.randint(3, 6)) + [person if rng.random() < 0.5 else place]
    rng.shuffle(title_words)
    scope = rng.sample(vocab, min(len(vocab), rng.randint(12, 28))) + [place, person, str(1900 + i % 90)]
    rng.shuffle(scope)
    return {"lang": lang, "title": " ".join(title_words), "scope": " ".join(scope), "names": [person]}
