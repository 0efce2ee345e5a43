"""Russian and Ukrainian events on the English event layer: lemma triggers in any inflected form,
modality, the actor from the case grammar, places, dates and who claims it. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from newsprism.extract.timex_cyrillic import find_cyrillic_timexes


def events(clean, *body: str, title: str = "Сводка за сутки") -> list:
    """The claimed events of a short article with a headline and the given body lines."""
    return [e for e in clean(title + "\n" + "\n".join(body) + "\n").events if e.is_claim]


@pytest.mark.parametrize(("sentence", "kind"), [
    ("Российские войска ночью обстреляли Херсон из артиллерии.", "strike_or_damage"),
    ("Окупанти знову обстріляли Херсон з артилерії.", "strike_or_damage"),
    ("Армия России освободила село под Бахмутом, утверждают в Москве.", "territorial_control"),
    ("Українські військові звільнили село неподалік Бахмута.", "territorial_control"),
    ("Российская армия взяла под полный контроль окраины Покровска.", "territorial_control"),
    ("Над Одесою сили ППО збили чотири ударні безпілотники.", "military_operation"),
    ("Обстрілів Сум за минулу добу стало більше.", "strike_or_damage"),
    ("В Запорожье прогремели взрывы.", "strike_or_damage"),
    ("Під Покровськом тривають запеклі бої.", "military_operation"),
    ("Ворог відступив від Покровська після невдалого штурму.", "withdrawal"),
    ("За добу ворог здійснив понад сто артобстрілів громади.", "strike_or_damage"),
    ("Наемники заявили о взятии посёлка под Бахмутом.", "territorial_control"),
    ("Після атаки кілька районів Одеси залишилися без світла.", "other"),
    ("Противник продовжує штурмові дії поблизу Покровська.", "military_operation"),
    ("За сутки противник потерял до двухсот военнослужащих.", "casualties"),
])
def test_triggers_match_any_inflected_form(clean, sentence, kind):
    assert kind in {e.type for e in events(clean, sentence)}


def test_actor_is_the_nominative_subject_not_the_target(clean):
    strike = [e for e in events(clean, "Российская армия нанесла ракетный удар по позициям ВСУ "
                                       "у Херсона.") if e.type == "strike_or_damage"]
    assert strike and strike[0].actor == "Russian Armed Forces"
    assert strike[0].place == "Kherson"


def test_a_battlegroup_is_the_actor(clean):
    taken = [e for e in events(clean, "Подразделения группировки войск «Центр» заняли позиции "
                                      "и освободили село под Покровском.")
             if e.type == "territorial_control"]
    assert taken and taken[0].actor == "Center Group of Forces"


def test_a_side_adjective_on_a_weapon_is_the_state(clean):
    strike = [e for e in events(clean, "Російські дрони атакували Одесу вночі.")
              if e.type == "strike_or_damage"]
    assert strike and strike[0].actor == "Russia"


def test_a_country_as_subject_is_the_actor_and_not_the_place(clean):
    strike = [e for e in events(clean, "Росія вдень кілька разів атакувала Харків.")
              if e.type == "strike_or_damage"]
    assert strike and strike[0].actor == "Russia" and strike[0].place == "Kharkiv"


def test_holder_of_a_place_under_control(clean):
    held = [e for e in events(clean, "Село Вигадане Запорізької області під контролем ЗСУ, "
                                     "бої тривають неподалік.")
            if e.type == "territorial_control"]
    assert held and held[0].actor == "Armed Forces of Ukraine"


def test_victims_are_not_the_actor_and_a_strike_in_the_paragraph_carries_on(clean):
    found = events(clean, "Російська армія вранці вдарила по Сумах. Внаслідок влучання "
                          "загинули двоє людей, ще п'ятеро поранені.")
    casualties = [e for e in found if e.type == "casualties"]
    assert casualties and casualties[0].actor in (None, "Russian Armed Forces")
    assert {e.actor for e in found if e.type == "strike_or_damage"} == {"Russian Armed Forces"}


@pytest.mark.parametrize("sentence", [
    "Пострадавших, по предварительным данным, нет.",
    "Жертв та постраждалих немає.",
    "Никто не погиб.",
    "Ворог може атакувати Одесу найближчими днями.",
    "Россия пригрозила ударить по Киеву.",
    "Информация о пострадавших уточняется.",
    "Про наслідки вибухів поки не повідомляється.",
    "Росіяни заявили, що захопили село, однак ця інформація не відповідає дійсності.",
])
def test_denied_hypothetical_threatened_and_references_are_no_claims(clean, sentence):
    assert events(clean, sentence) == []


def test_at_least_is_no_negation(clean):
    assert "casualties" in {e.type for e in events(clean, "В Херсоне погибли не менее трёх "
                                                          "человек.")}


def test_claimed_by_comes_from_the_attribution_frame(clean):
    found = events(clean, "Российская армия ночью ударила по Харькову дронами.",
                   "Об этом сообщил мэр Харькова Игорь Терехов.")
    assert [e.claimed_by for e in found if e.type == "strike_or_damage"] == ["Ihor Terekhov"]
    own = events(clean, "Российская армия ночью ударила по Харькову дронами.")
    assert own[0].claimed_by is None


def test_a_post_headline_inside_the_body_is_no_event(clean):
    found = events(clean,
                   "В Сумах прогремели взрывы — мэр",
                   "Городской голова рассказал, что в городе слышны звуки взрывов.",
                   "Утром российская армия обстреляла окраины города из артиллерии.")
    assert not any(e.evidence.startswith("В Сумах прогремели") for e in found)


def test_a_back_reference_takes_the_last_town(clean):
    found = events(clean, "В Херсоне объявлена воздушная тревога.",
                   "Позже оккупанты обстреляли город из артиллерии.")
    assert ("strike_or_damage", "Kherson") in {(e.type, e.place) for e in found}


@pytest.mark.parametrize(("sentence", "value", "precision"), [
    ("Вчера оккупанты обстреляли город.", "2024-05-09", "day"),
    ("Вчора окупанти обстріляли місто.", "2024-05-09", "day"),
    ("В среду армия отступила.", "2024-05-08", "day"),
    ("У п'ятницю тривали бої.", "2024-05-10", "day"),
    ("Удар пришёлся на 20 апреля.", "2024-04-20", "day"),
    ("Село звільнили 3 травня 2023 року.", "2023-05-03", "day"),
    ("Бои шли в марте 2023 года.", "2023-03", "month"),
    ("Місто обстрілюють з 2022 року.", "2022", "year"),
])
def test_cyrillic_dates(sentence, value, precision):
    found = find_cyrillic_timexes(sentence, "2024-05-10")
    assert [(t.value, t.precision) for t in found] == [(value, precision)]


def test_a_month_without_a_year_and_environment_are_no_dates():
    assert find_cyrillic_timexes("В марте бои усилились.", "2024-05-10") == []
    assert find_cyrillic_timexes("Среда обитания пострадала.", "2024-05-10") == []


def test_a_negated_plan_is_no_claim_and_talks_with_a_capital_are_not_in_it(clean):
    found = events(clean, "Москва не планирует переговоров с Киевом до конца года.")
    assert "negotiation" not in {e.type for e in found}
    talks = events(clean, "Делегации провели переговоры с Киевом в Минске.")
    assert {e.place for e in talks if e.type == "negotiation"} == {"Minsk"}


def test_a_clause_after_the_trigger_does_not_deny_it(clean):
    found = events(clean, "Повреждены несколько частных домов, пострадавших нет.")
    assert {e.type for e in found} == {"strike_or_damage"}


def test_the_subject_of_another_verb_is_not_the_actor(clean):
    found = events(clean, "Ворог випустив по області чотири ракети, дві з них збили над "
                          "Запоріжжям.")
    downed = [e for e in found if e.type == "military_operation"]
    assert downed and downed[0].actor is None
    assert "weapons_launch" in {e.type for e in found}


@pytest.mark.parametrize("sentence", [
    "У Запоріжжі чутно потужні вибухи.",  # heard now: a predicative, no verb
    "Сили оборони проводять наступальні дії біля Куп'янська.",  # a present verb before it
])
def test_a_nominal_event_told_in_the_present_holds_on_the_day_of_the_report(clean, sentence):
    found = events(clean, "12 листопада 2025", sentence, title="Стрічка новин за день")
    assert found and {e.date for e in found} == {"2025-11-12"}, found
