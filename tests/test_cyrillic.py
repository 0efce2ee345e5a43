"""Russian and Ukrainian reports: inflected names resolve to the English entries of English text,
short reports are documents, and the framing lexicon reads both languages. Sentences written
for these tests."""

from __future__ import annotations

import pytest

from newsprism.extract.cyrillic import cyrillic_mentions, transliterate
from newsprism.extract.entities import DocEntities
from newsprism.extract.framing import find_framing
from newsprism.extract.morph import is_cyrillic, language, lemmas, place_candidates


def found(*sentences: str) -> list[tuple[str, str, str]]:
    """(surface, type, canonical name) of every mention, sentences read as one document."""
    doc = DocEntities()
    out = []
    for s in sentences:
        out += [(m.text, m.type, m.name) for m in cyrillic_mentions(s, doc)]
    return out


def places(*sentences: str) -> dict[str, str]:
    return {text: name for text, kind, name in found(*sentences) if kind == "place"}


def test_script_and_language():
    assert is_cyrillic("Вночі над містом збили дрон.")
    assert not is_cyrillic("Drones were shot down over the city.")
    assert language("Вночі над містом збили дрон, повідомили в ОВА.") == "uk"
    assert language("Ночью над городом сбили беспилотник.") == "ru"


def test_lemmas_and_place_candidates_reach_the_nominative():
    assert "харків" in {c.lower() for c in place_candidates("Харкові", "uk")}
    assert "зеленський" in lemmas("Зеленського", "uk")
    assert lemmas("ЗСУ", "uk") == ("ЗСУ",)


@pytest.mark.parametrize(("sentence", "surface", "name"), [
    ("Вночі у Харкові пролунали вибухи.", "Харкові", "Kharkiv"),
    ("Ночью в Харькове было слышно взрывы.", "Харькове", "Kharkiv"),
    ("Бои идут на окраинах Бахмута.", "Бахмута", "Bakhmut"),
    ("Сирени лунали у Криму та у Києві.", "Києві", "Kyiv"),
    ("Сирени лунали у Криму та у Києві.", "Криму", "Crimea"),
    ("Утром во Львове прозвучала тревога.", "Львове", "Lviv"),
])
def test_inflected_places_resolve(sentence, surface, name):
    assert places(sentence)[surface] == name


@pytest.mark.parametrize(("sentence", "surface", "name"), [
    ("Обстріл зачепив два села Харківської області.", "Харківської області", "Kharkiv Oblast"),
    ("В Николаевской области сбили ракету.", "Николаевской области", "Mykolaiv Oblast"),
    ("Харківська область знову під ударом.", "Харківська область", "Kharkiv Oblast"),
    ("Удар прийшовся по Чугуївському району.", "Чугуївському району", "Chuhuiv Raion"),
    ("Мирные жители Донецкой обл. эвакуируются.", "Донецкой обл", "Donetsk Oblast"),
    ("Учения прошли в ДНР и ЛНР.", "ДНР", "Donetsk Oblast"),
    ("Учения прошли в ДНР и ЛНР.", "ЛНР", "Luhansk Oblast"),
    ("Глава Донецкой Народной Республики выступил.", "Донецкой Народной Республики",
     "Donetsk Oblast"),
    ("Уламки впали у Печерському районі столиці.", "Печерському районі", "Pecherskyi District"),
    ("Беспилотники атаковали Ярославскую область.", "Ярославскую область", "Yaroslavl Oblast"),
])
def test_region_forms_resolve(sentence, surface, name):
    assert places(sentence)[surface] == name


def test_names_that_look_like_places_are_not_places():
    got = found("Министр Александр Камышин посетил завод.",
                "Владимир Путин провел совещание.",
                "Бійці Корпус Азов тримають оборону, передає Радіо Свобода.")
    assert not any(kind == "place" for _, kind, _ in got), got
    assert ("Александр Камышин", "person", "Oleksandr Kamyshin") in got
    assert ("Владимир Путин", "person", "Vladimir Putin") in got
    assert ("Радіо Свобода", "organization", "Radio Liberty") in got
    pipeline = found("Дрони атакували нафтопровід «Дружба» біля кордону.")
    assert [(kind, name) for _, kind, name in pipeline] == [("organization", "Druzhba pipeline")]


def test_two_word_village_is_one_name_and_an_unknown_one_is_not_a_namesake():
    assert places("Снаряд упав біля села Зелений Гай.") == {"Зелений Гай": "Zelenyi Hai"}
    assert "Кам'янку" not in places("Окупанти обстріляли Нову Кам'янку.")


def test_people_and_organisations_get_the_english_canonical_names():
    got = found("Володимир Зеленський провів нараду з командуванням ЗСУ.",
                "Президент Зеленського не запрошували, заявили в Минобороны России.",
                "Міноборони РФ звітує про збиті дрони, ВСУ это опровергают.")
    assert ("Володимир Зеленський", "person", "Volodymyr Zelensky") in got
    assert ("Зеленського", "person", "Volodymyr Zelensky") in got
    assert ("Минобороны России", "organization", "Ministry of Defence of Russia") in got
    assert ("Міноборони РФ", "organization", "Ministry of Defence of Russia") in got
    assert {name for s, _, name in got if s in ("ЗСУ", "ВСУ")} == {"Armed Forces of Ukraine"}


def test_unknown_person_is_transliterated_and_a_later_surname_joins_them():
    got = found("Про це повідомив староста громади Мирослав Гончаренко.",
                "За словами Гончаренка, поранених немає.")
    people = {s: name for s, kind, name in got if kind == "person"}
    assert people["Мирослав Гончаренко"] == "Myroslav Honcharenko"
    assert people["Гончаренка"] == "Myroslav Honcharenko"


def test_oblast_administration_is_an_organisation_named_after_its_region():
    got = found("Голова Харківської ОВА Петро Вигаданий повідомив про удар.", "В ОВА додали.")
    orgs = [(s, name) for s, kind, name in got if kind == "organization"]
    assert orgs == [("Харківської ОВА", "Kharkiv Oblast Military Administration"),
                    ("ОВА", "Kharkiv Oblast Military Administration")]
    assert ("Петро Вигаданий", "person", "Petro Vyhadanyi") in got


def test_transliteration_systems():
    assert transliterate("Юрій Згурський", "uk") == "Yurii Zghurskyi"
    assert transliterate("Юрий Щербаков", "ru") == "Yury Shcherbakov"


def test_framing_in_russian_and_ukrainian_in_any_case_form():
    terms = {m.term: m.category for m in find_framing(
        "В ходе СВО подразделения освободили посёлок, киевский режим молчит.")}
    assert terms == {"СВО": "loaded_pro_kremlin", "освободили": "loaded_pro_kremlin",
                     "киевский режим": "loaded_pro_kremlin"}
    uk = {m.term: m.category for m in find_framing("Окупантів нібито відкинули від міста.")}
    assert uk == {"Окупантів": "loaded_pro_ukrainian", "нібито": "hedge"}
    assert find_framing("Российские войска заняли село, сообщили в штабе.")[0].category \
        == "attribution"


def test_one_line_report_is_a_document(clean):
    doc = clean("Окупанти вночі обстріляли Херсон, поранено двох людей\n")
    assert doc.lines == ["Окупанти вночі обстріляли Херсон, поранено двох людей"]


def test_two_line_report_keeps_its_body(clean):
    doc = clean("Над Харьковом сбиты два беспилотника\n"
                "Обломки упали на частный сектор, пострадавших нет.\n")
    assert doc.title == "Над Харьковом сбиты два беспилотника"
    assert doc.lines == ["Обломки упали на частный сектор, пострадавших нет."]


def test_short_cyrillic_paragraphs_before_the_longer_ones_stay(clean):
    body = [
        "Російська армія обстріляла місто вдень.",
        "Про це в Телеграмі повідомив голова обласної адміністрації.",
        "Джерело: обласна адміністрація",
        "За його словами, пошкоджено кілька житлових будинків і магазин, а рятувальники ще "
        "розбирають завали на місці влучання та шукають людей, які могли там залишитися.",
        "Як уточнили в міській раді, на місці працюють усі служби, а мешканцям сусідніх "
        "будинків запропонували тимчасове житло в школі неподалік.",
    ]
    doc = clean("Пошук\nПогода +3\nУдар по місту вдень\n" + "\n".join(body) + "\n")
    assert doc.title == "Удар по місту вдень"
    assert doc.lines == body


def test_first_name_and_surname_make_a_person_even_when_the_surname_is_a_word():
    got = found("Об этом сообщил Степан Кузнец, глава поселка.")
    assert ("Степан Кузнец", "person", "Stepan Kuznets") in got
    assert not any(kind == "place" for _, kind, _ in got)


def test_villages_missing_from_the_gazetteer_after_a_settlement_word():
    got = places("Ворог атакував села Вигаданівка, Небувале та Уявне.")
    assert got == {"Вигаданівка": "Vyhadanivka", "Небувале": "Nebuvale", "Уявне": "Uiavne"}


def test_front_directions_are_not_places():
    assert places("Бої точаться на Олександрівському та Гуляйпільському напрямках.") == {}


def test_country_named_inside_an_organisation_is_mentioned_too():
    got = found("Заяву оприлюднило Міністерство оборони Росії.")
    assert ("Міністерство оборони Росії", "organization", "Ministry of Defence of Russia") in got
    assert ("Росії", "place", "Russia") in got


@pytest.mark.parametrize("chrome", [
    "Погода у Києві: +3, хмарно",
    "Стрічка новин",
    "Поиск по сайту",
    "Мы используем файлы cookie, чтобы сайт работал лучше",
    "Главные новости дня",
    "Курс валют USD 41.20 EUR 44.90",
])
def test_site_chrome_never_becomes_the_title(clean, chrome):
    body = ("Уночі над областю працювала протиповітряна оборона: збито шість ударних дронів, "
            "уламки пошкодили два приватні будинки, постраждалих немає, повідомили в ОВА.")
    doc = clean(f"{chrome}\nСили ППО збили над областю шість дронів\n{body}\n")
    assert doc.title == "Сили ППО збили над областю шість дронів"
    assert chrome not in doc.lines
    assert doc.lines == [body]


@pytest.mark.parametrize("odd", ["", " ", "-", "«»", "обл.", "і, та, й", "Р-н", "ЖЖ Ж", "Кам'"])
def test_odd_fragments_give_no_error(odd):
    assert isinstance(found(odd), list)


def test_a_village_name_several_oblasts_share_is_the_one_in_the_oblast_named():
    doc = DocEntities()
    first = {m.text: m.place for m in cyrillic_mentions(
        "Ворог скинув авіабомби на Золочів Харківської області.", doc) if m.type == "place"}
    assert first["Золочів"].region == "Kharkiv Oblast"
    later = {m.text: m.place for m in cyrillic_mentions("У Золочеві пошкоджено школу.", doc)}
    assert later["Золочеві"].region == "Kharkiv Oblast"  # the document named the oblast before
    alone = {m.text: m.place for m in cyrillic_mentions("У Золочеві пошкоджено школу.",
                                                         DocEntities())}
    assert alone["Золочеві"].region != "Kharkiv Oblast"  # nothing says which: the first row


def test_a_telegram_channel_header_is_not_the_title(clean):
    post = ("Уламки збитого дрона впали на дах гаража, постраждалих немає, повідомили в "
            "міській раді ввечері.")
    doc = clean("Новини Приозерного | Офіційно\n12.4K subscribers\n310 photos\nDownload Telegram\n"
                f"Уламки дрона впали на гараж\n{post}\n")
    assert doc.title == "Уламки дрона впали на гараж"
    assert doc.lines == [post]
