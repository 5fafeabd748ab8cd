from qoima.recognize.orthography import correct_word


def test_kazakh_latin_vowel_harmony_fixes_u_macron():
    assert correct_word("mürağaty", "kk-Latn") == "mūrağaty"
    assert correct_word("Ülttyq", "kk-Latn") == "Ūlttyq"
    assert correct_word("ūlken", "kk-Latn") == "ülken"      # front word keeps ü
    assert correct_word("eldıň", "kk-Latn") == "eldıñ"


def test_tote_letters_and_hamza():
    assert correct_word("ˆبىز", "kk-Arab") == "\u0674بىز"
    assert correct_word("كەلىسىم,", "kk-Arab") == "كەلىسىم،"
    assert correct_word("ههلدىڭ", "kk-Arab") == "ەەلدىڭ"


def test_persian_letters():
    assert correct_word("كتابي", "fa") == "کتابی"
    assert correct_word("كتابي", "ar") == "كتابي"
    assert correct_word("word", "en") == "word"
