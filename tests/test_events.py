"""Events as a reader would check them: told how (modality), by whom, where and when.

Every sentence here is written for these tests. Each test takes one way events used to go
wrong on real articles (issue 11) and checks the user-visible reading."""

from __future__ import annotations

import pytest

from newsprism.extract.timex import find_timexes
from newsprism.link.claims import EventRef, find_contradictions, group_claims
from newsprism.model import Event


def article(*paragraphs: str) -> str:
    return "A report from the front line\nPublished: November 12, 2025\n" + \
        "\n".join(paragraphs) + "\n"


@pytest.fixture
def events(clean):
    def read(*paragraphs: str) -> list[Event]:
        return clean(article(*paragraphs)).events
    return read


def only(found: list[Event], type_: str) -> Event:
    matching = [e for e in found if e.type == type_]
    assert len(matching) == 1, found
    return matching[0]


def test_a_threat_is_not_a_strike(events):
    found = events("The governor threatened to bomb the bridges of Zaporizhzhia.")
    strike = only(found, "strike_or_damage")
    assert strike.modality == "threatened" and not strike.is_claim


def test_a_demand_to_withdraw_is_not_a_withdrawal(events):
    found = events("The Kremlin demanded that Ukraine withdraw its troops from Kherson Oblast.")
    assert [e.modality for e in found if e.type == "withdrawal"] == ["demanded"]


def test_a_likely_buildup_is_hypothetical(events):
    found = events("It is very likely that the Russians will try to build up forces near Kupiansk.")
    assert {e.modality for e in found if e.type == "military_buildup"} == {"hypothetical"}


def test_a_planned_meeting_is_a_claim(events):
    found = events("The two foreign ministers will meet in Geneva next week.")
    meeting = only(found, "meeting")
    assert meeting.modality == "planned" and meeting.is_claim


def test_a_denied_capture_is_a_denial(events):
    found = events("Ukrainian forces did not retreat from Siversk, the general staff said.")
    assert [e.modality for e in found if e.type == "withdrawal"] == ["denied"]


def test_occupied_as_an_adjective_is_not_territorial_control(events):
    found = events("Partisans blew up a railway line in occupied Melitopol.")
    assert not [e for e in found if e.type == "territorial_control"]


def test_the_agent_acts_not_the_target(events):
    found = events("The Armed Forces of Ukraine destroyed two Russian howitzers near Bakhmut.")
    assert only(found, "strike_or_damage").actor == "Armed Forces of Ukraine"


def test_a_side_adjective_on_a_retreat_names_who_retreats(events):
    found = events("Analysts describe a repeated Russian retreat from the Dnipro islands.")
    assert only(found, "withdrawal").actor == "Russian Armed Forces"


def test_the_place_of_the_speaker_is_not_the_place_of_the_event(events):
    found = events("In Moscow, the Kremlin spokesman said the strike hit a depot near Sumy.")
    assert {e.place for e in found if e.type == "strike_or_damage"} == {"Sumy"}
    found = events("In Moscow, the Kremlin spokesman declined to comment on the strike.")
    assert not [e for e in found if e.type == "strike_or_damage"]


def test_a_meeting_venue_is_not_the_place_of_what_was_discussed(events):
    found = events("At a meeting in Brussels, the ministers discussed drone attacks on Odesa.")
    assert {e.place for e in found if e.type == "strike_or_damage"} == {"Odesa"}


def test_claimed_by_carries_through_the_paragraph(events):
    found = events("Russian forces captured Lyptsi, the Russian Defence Ministry said. "
                   "Ukrainian units then withdrew from the nearby village of Vovchansk.")
    assert {e.claimed_by for e in found} == {"Ministry of Defence of Russia"}


@pytest.mark.parametrize(("text", "published", "value", "precision"), [
    ("the peninsula annexed in 2014", None, "2014", "year"),
    ("an interview in March 2024", None, "2024-03", "month"),
    ("talks on 3 March 2024", None, "2024-03-03", "day"),
    ("from May 25 the unit rests", "2023-05-20", "2023-05-25", "day"),
    ("shelling on Tuesday", "2025-11-12", "2025-11-11", "day"),
    ("shelling yesterday", "2025-11-12", "2025-11-11", "day"),
])
def test_time_expressions_resolve_with_their_precision(text, published, value, precision):
    assert [(t.value, t.precision) for t in find_timexes(text, published)] == [(value, precision)]


@pytest.mark.parametrize(("text", "published"), [
    ("shelling on Tuesday", None), ("talks on May 25", None),
    ("fighting in November", "2025-11-12"),  # which November is not stated
])
def test_what_the_text_does_not_date_stays_undated(text, published):
    assert find_timexes(text, published) == []


def test_the_event_takes_the_date_of_the_statement_when_it_has_none_of_its_own(events):
    found = events("The commander said on Monday that his troops had captured Lyptsi.")
    capture = only(found, "territorial_control")
    assert (capture.date, capture.date_precision) == ("2025-11-10", "day")


def test_the_event_date_is_its_own_not_the_statement_date(events):
    found = events("The ministry said on Tuesday that a missile struck Dnipro on Sunday.")
    assert only(found, "strike_or_damage").date == "2025-11-09"


def _ref(doc: str, outlet: str, event: Event) -> EventRef:
    return EventRef(doc, 0, outlet, "2025-11-12", event)


def test_only_claims_are_grouped_and_can_contradict():
    held = Event("territorial_control", "Russian Armed Forces", "Lyptsi", None, None,
                 "Russian forces captured Lyptsi.")
    guess = Event("territorial_control", "Armed Forces of Ukraine", "Lyptsi", None, None,
                  "Ukrainian forces could retake Lyptsi.", modality="hypothetical")
    claims = group_claims([_ref("a", "Outlet A", held), _ref("b", "Outlet B", guess)])
    assert [len(c.members) for c in claims] == [1]
    assert find_contradictions(claims) == []
    retaken = Event("territorial_control", "Armed Forces of Ukraine", "Lyptsi", None, None,
                    "Ukrainian forces retook Lyptsi.")
    claims = group_claims([_ref("a", "Outlet A", held), _ref("b", "Outlet B", retaken)])
    assert [c.kind for c in find_contradictions(claims)] == ["control"]


def test_a_year_does_not_contradict_a_day():
    a = Event("strike_or_damage", "Russia", "Sumy", "2025", None, "A strike hit Sumy in 2025.",
              date_precision="year")
    b = Event("strike_or_damage", "Russia", "Sumy", "2025-11-10", None,
              "A strike hit Sumy on Monday.", date_precision="day")
    claims = group_claims([_ref("a", "Outlet A", a), _ref("b", "Outlet B", b)])
    assert not [c for c in find_contradictions(claims) if c.kind == "dates"]


def test_modality_and_date_precision_are_stored_and_exported(clean, tmp_path):
    from newsprism.store import Store

    doc = clean(article("Russia threatened to strike Kharkiv. A missile struck Sumy in 2024."))
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    try:
        store.add([doc])
        back = store.get(doc.id)
    finally:
        store.close()
    assert back is not None
    record = back.to_export()
    assert {(e["type"], e["modality"]) for e in record["unasserted_events"]} >= {
        ("strike_or_damage", "threatened")}
    assert all(e["modality"] in ("asserted", "planned") for e in record["events"])
    dated = [e for e in record["events"] if e["place"] == "Sumy"]
    assert [(e["date"], e["date_precision"]) for e in dated] == [("2024", "year")]


# --- speech acts, sanctions in other words, air defence, background, dates (issue 11, part 2)

def test_a_warning_by_a_named_state_is_a_diplomatic_statement(events):
    found = events("Belarus warned against any deployment of foreign troops near its border.")
    act = only(found, "diplomatic_statement")
    assert act.actor == "Belarus" and act.is_claim and act.claimed_by is None


def test_a_capital_acting_stands_for_its_state(events):
    found = events("Moscow vowed to keep its pledge on the grain corridor.")
    assert only(found, "diplomatic_statement").actor == "Russia"


def test_a_speech_act_without_a_named_speaker_is_no_event(events):
    found = events("Some observers urged calm after the talks.")
    assert [e for e in found if e.type == "diplomatic_statement"] == []


def test_a_capital_after_a_preposition_is_where_not_who(events):
    found = events("Speaking to journalists in Moscow, a ministry official said that troops had "
                   "captured Tykhe.")
    assert only(found, "territorial_control").actor != "Russia"


def test_sanctions_placed_on_a_bank_are_a_sanction(events):
    found = events("The European Union placed full blocking sanctions on a Russian state bank.")
    assert only(found, "sanction").is_claim


def test_a_ban_on_investments_is_a_sanction(events):
    found = events("Canada barred its companies from trading with two Russian shipping firms.")
    assert [e.type for e in found if e.type == "sanction"] == ["sanction"]


def test_a_missile_downed_by_air_defence_is_an_operation_not_damage(events):
    found = events("Two missiles were destroyed by Ukrainian air defences over Odesa.")
    types = {e.type for e in found}
    assert "military_operation" in types and "strike_or_damage" not in types


def test_arrests_at_a_protest_are_an_event(events):
    found = events("About 300 people were arrested at an anti-war rally in Saint Petersburg.")
    assert only(found, "other").is_claim


def test_a_question_asserts_nothing(events):
    assert events("Who will pay for the damaged bridge in Kherson?") == []


def test_years_of_fighting_is_background_not_an_event(events):
    found = events("The volunteer spent three years fighting in the Donbas before he came home.")
    assert [e for e in found if e.type == "military_operation" and e.is_claim] == []


def test_a_month_name_is_not_a_modal(events):
    found = events("After talks in Ankara on May 4, the two sides agreed on a ceasefire.")
    assert all(e.modality == "asserted" for e in found if e.type == "negotiation")


def test_a_date_later_in_the_paragraph_dates_the_event(events):
    found = events("Russian drones struck a fuel depot in Uman. The governor said the attack "
                   "began at dawn on November 10.")
    assert {e.date for e in found if e.type == "strike_or_damage"} == {"2025-11-10"}


def test_overnight_is_the_day_of_publication(events):
    found = events("An overnight drone attack damaged a power station in Sumy.")
    assert only(found, "strike_or_damage").date == "2025-11-12"


def test_an_undated_page_dates_relative_words_from_the_day_it_states(clean):
    doc = clean("Refinery fire after drone raid\n"
                "Drones struck an oil refinery in Saratov overnight, starting a fire.\n"
                "Local officials said the raid began shortly after 3 a.m. on Sunday, June 8, "
                "2025.\n")
    assert doc.published is None or doc.published == "2025-06-08"
    assert {e.date for e in doc.events if e.type == "strike_or_damage"} == {"2025-06-08"}


def test_the_attack_told_again_keeps_its_date(events):
    found = events("Russian missiles struck Kharkiv on November 11, damaging a school.",
                   "Rescuers worked through the day. Three homes were damaged during the "
                   "attack, the mayor said.")
    assert {e.date for e in found if e.type == "strike_or_damage"} == {"2025-11-11"}


def test_a_denial_contradicts_the_claim_it_denies():
    said = Event("territorial_control", "Russian Armed Forces", "Siversk", "2025-11-12",
                 "Ministry of Defence of Russia", "Russian forces took Siversk, the ministry said.")
    denied = Event("territorial_control", "Russian Armed Forces", "Siversk", "2025-11-12",
                   "General Staff of the Armed Forces of Ukraine",
                   "The General Staff denied that Russian forces had taken Siversk.",
                   modality="denied")
    refs = [_ref("a", "Eastern Wire", said), _ref("b", "Baltic Ledger", denied)]
    found = find_contradictions(group_claims(refs), refs)
    assert [c.kind for c in found] == ["denial"]
    text = found[0].description
    assert "Eastern Wire (Ministry of Defence of Russia)" in text
    assert "Baltic Ledger (General Staff of the Armed Forces of Ukraine) denies" in text


def test_a_denial_of_another_place_or_week_contradicts_nothing():
    said = Event("strike_or_damage", "Russia", "Sumy", "2025-11-12", None, "Drones hit Sumy.")
    elsewhere = Event("strike_or_damage", "Russia", "Konotop", "2025-11-12", "Russia",
                      "Moscow denied striking Konotop.", modality="denied")
    later = Event("strike_or_damage", "Russia", "Sumy", "2025-12-01", "Russia",
                  "Moscow denied striking Sumy.", modality="denied")
    refs = [_ref("a", "Eastern Wire", said), _ref("b", "Baltic Ledger", elsewhere),
            _ref("c", "Baltic Ledger", later)]
    assert find_contradictions(group_claims(refs), refs) == []


def test_a_night_attack_dated_a_day_apart_is_no_contradiction_but_three_days_are():
    def strike(day: str) -> Event:
        return Event("strike_or_damage", "Russia", "Sumy", day, None, "Drones hit Sumy.",
                     date_precision="day")
    night = [_ref("a", "Outlet A", strike("2025-11-10")),
             _ref("b", "Outlet B", strike("2025-11-11"))]
    assert not [c for c in find_contradictions(group_claims(night)) if c.kind == "dates"]
    apart = [_ref("a", "Outlet A", strike("2025-11-10")),
             _ref("b", "Outlet B", strike("2025-11-13"))]
    assert [c.kind for c in find_contradictions(group_claims(apart))] == ["dates"]


def test_the_operation_of_a_plant_is_no_military_operation(events):
    found = events("Engineers restored the operation of the water plant in Mykolaiv.")
    assert [e for e in found if e.type == "military_operation"] == []


def test_fighting_as_the_circumstance_of_losses_is_not_an_event_of_its_own(events):
    found = events("The brigade lost 40 soldiers in heavy fighting near Toretsk.")
    assert {e.type for e in found} == {"casualties"}


@pytest.mark.parametrize(("sentence", "type_"), [
    ("The northern grouping eliminated up to 90 enemy fighters near Kupiansk.", "casualties"),
    ("The enemy is regrouping east of Siversk, the spokesman said.", "military_buildup"),
    ("Two fuel depots in Bryansk were targeted overnight.", "strike_or_damage"),
    ("Russian units continued to gain ground west of Toretsk.", "advance"),
    ("A column of armour edged closer to Kramatorsk.", "advance"),
    ("Ukrainian troops in the village were surrounded.", "military_operation"),
    ("Moscow annexed the peninsula after a disputed vote.", "territorial_control"),
    ("The minister cancelled a planned visit to Baku.", "other"),
    ("Inspectors inspected the reactor halls at the plant.", "other"),
])
def test_war_reporting_vocabulary_is_read_as_its_event(events, sentence, type_):
    assert type_ in {e.type for e in events(sentence) if e.is_claim}


def test_a_year_that_bounds_a_period_does_not_date_the_event(events):
    found = events("It was the largest drone attack on Lviv since the invasion began in 2022.")
    strike = only(found, "strike_or_damage")
    assert strike.date != "2022"


def test_one_nights_attack_told_in_many_paragraphs_keeps_its_day(events):
    found = events("Drones struck a refinery in Ryazan on November 11.",
                   "A storage tank caught fire.",
                   "The plant had been damaged before, in a raid last year.")
    dates = {e.evidence[:12]: e.date for e in found if e.type == "strike_or_damage"}
    assert dates["Drones struc"] == "2025-11-11" and dates["A storage ta"] == "2025-11-11"
    assert dates["The plant ha"] is None  # background, not the night's attack


def test_counts_of_unlike_things_do_not_contradict():
    def strike(text: str) -> Event:
        return Event("casualties", None, "Vovchansk", "2025-11-12", None, text)
    refs = [_ref("a", "Outlet A", strike("Russian forces lost 85 soldiers there over the past "
                                         "day.")),
            _ref("b", "Outlet B", strike("Kyiv lost 420 Ukrainian soldiers there in a week."))]
    assert find_contradictions(group_claims(refs)) == []
    drones = [_ref("a", "Outlet A", Event("strike_or_damage", "Russia", "Kharkiv", None, None,
                                          "Russia hit Kharkiv with 40 drones.")),
              _ref("b", "Outlet B", Event("strike_or_damage", "Russia", "Kharkiv", None, None,
                                          "Russia launched 86 drones at Ukraine, hitting "
                                          "Kharkiv hardest.")),
              _ref("c", "Outlet C", Event("strike_or_damage", "Russia", "Kharkiv", None, None,
                                          "Russian forces hit Kharkiv with 12 drones."))]
    found = find_contradictions(group_claims(drones))
    assert [c.kind for c in found] == ["numbers"]
    assert "40 drones" in found[0].description and "12 drones" in found[0].description


def test_a_trigger_outside_what_was_said_is_the_outlets_own_claim(events):
    found = events("Ukrainian troops pushed Russian units out of Lyptsi, the village that Moscow "
                   "had boasted of capturing a day earlier.")
    assert all(e.claimed_by is None for e in found if e.type == "territorial_control")


def test_a_trigger_inside_what_was_said_keeps_its_claimant(events):
    found = events("Russia's Defence Ministry said its forces had captured Lyptsi.")
    assert {e.claimed_by for e in found if e.type == "territorial_control"} == {
        "Ministry of Defence of Russia"}


def test_the_side_that_lost_men_is_not_who_killed_them(events):
    found = events("Ukrainian troops lost 40 soldiers near Toretsk.")
    assert only(found, "casualties").actor is None
    found = events("Two civilians were killed by Russian shelling in Nikopol.")
    assert only(found, "casualties").actor == "Russia"


def test_forces_that_attack_are_the_forces_a_russian_attack_is_the_state(events):
    assert only(events("Russian forces attacked Kupiansk with glide bombs."),
                "strike_or_damage").actor == "Russian Armed Forces"
    assert only(events("A Russian attack damaged a school in Kupiansk."),
                "strike_or_damage").actor == "Russia"


def test_a_strike_told_without_its_attacker_takes_the_articles_one_attacker(events):
    found = events("Russian missiles struck Dnipro overnight.",
                   "A second strike hit a depot in Pavlohrad.")
    assert {e.actor for e in found if e.type == "strike_or_damage"} == {"Russia"}
    both = events("Russian missiles struck Dnipro overnight.",
                  "Ukrainian drones struck a refinery in Tuapse.",
                  "A fire broke out at a depot in Pavlohrad.")
    assert [e.actor for e in both if "Pavlohrad" in e.evidence] == [None]


def test_a_tag_line_in_headline_case_restates_no_event(events):
    found = events(
        "Russian artillery shelled two border villages near Sumy on Tuesday morning, damaging "
        "a school and several houses, the regional governor said in a statement.",
        "Russian Forces Shell Border Villages Again, Regional Governor Says",
        "Repair crews restored power to most homes in the district by the evening, officials "
        "in the regional administration added, and the school will reopen next week.",
        "Residents of the villages have been offered places in temporary shelters in the "
        "regional centre while the damaged houses are repaired.",
    )
    assert any(e.evidence.startswith("Russian artillery") for e in found)
    assert not any("Villages Again" in e.evidence for e in found)


def test_a_concession_is_background_to_the_event(events):
    found = events(
        "Night attack on the south",
        "Despite air defence units intercepting most of the drones, the attack damaged a "
        "power plant near Odesa on Sunday.",
    )
    assert {e.type for e in found} == {"strike_or_damage"}


def test_delegations_that_met_held_a_meeting(events):
    found = events("The two delegations met for three hours on Monday in Riyadh.")
    meeting = only(found, "meeting")
    assert meeting.date == "2025-11-10"


def test_a_flag_raised_over_a_town_is_a_claim_of_control(events):
    found = events("The ministry said its units had raised their flag over Lyptsi on Sunday.")
    assert only(found, "territorial_control").date == "2025-11-09"


def test_the_start_of_the_invasion_is_dated(events):
    found = events("Thousands have fled since Russia launched its full-scale invasion in "
                   "February 2022.")
    war = only(found, "military_operation")
    assert (war.date, war.date_precision) == ("2022-02", "month")


def test_two_events_of_one_sentence_take_their_own_years(events):
    found = events("Russia, which annexed the peninsula in 2014 and launched a full-scale "
                   "invasion in 2022, denies the charge.")
    assert only(found, "territorial_control").date == "2014"
    assert only(found, "military_operation").date == "2022"


def test_an_advance_told_as_going_on_holds_on_the_day_of_the_news(events):
    found = events("Russian forces are advancing near Pokrovsk, the general staff said.")
    assert only(found, "advance").date == "2025-11-12"


def test_an_occupation_and_a_dated_invasion_told_as_background_are_dated(events):
    found = events("The plant has stood idle since Russia occupied it in 2022.")
    assert only(found, "territorial_control").date == "2022"
    found = events("Millions fled after Russia's full-scale invasion of Ukraine in February 2022.")
    assert only(found, "military_operation").date == "2022-02"


def test_occupied_as_an_adjective_and_an_undated_invasion_are_no_events(events):
    assert events("Life in occupied Crimea has changed, and the invasion was a mistake.") == []


def test_a_year_told_of_the_town_does_not_date_the_event(events):
    found = events("Izium, a river town that Russia held in 2022, came under heavy shelling "
                   "again.")
    assert only(found, "strike_or_damage").date is None
    found = events("The strike, which came on Monday, hit a school in Izium.")
    assert only(found, "strike_or_damage").date == "2025-11-10"
    found = events("Izium, a river town seized by Russia in 2022 and retaken months later, "
                   "was shelled on Tuesday.")
    assert only(found, "strike_or_damage").date == "2025-11-11"


def test_a_year_written_before_the_event_noun_dates_it(events):
    found = events("Grain exports have halved since Moscow's 2022 invasion.")
    assert (only(found, "military_operation").date,
            only(found, "military_operation").date_precision) == ("2022", "year")
    found = events("Kyiv never accepted the 2014 annexation of the peninsula by Russia.")
    assert only(found, "territorial_control").date == "2014"


def test_the_night_before_a_dated_statement_is_that_statement_s_night(events):
    found = events("The air force said on Sunday that its units had shot down 31 drones "
                   "overnight.")
    assert only(found, "military_operation").date == "2025-11-09"
    found = events("Air defences shot down 31 drones overnight, the air force said.")
    assert only(found, "military_operation").date == "2025-11-12"


def test_a_period_bound_does_not_date_a_situation(events):
    found = events("Ukrainian units have pulled back from the ridge since Russia invaded in "
                   "March 2022.")
    assert only(found, "withdrawal").date is None
    assert only(found, "military_operation").date == "2022-03"


@pytest.mark.parametrize(("sentence", "type_", "when"), [
    ("The invasion, which began in February 2022, has displaced millions.",
     "military_operation", "2022-02"),
    ("Moscow invaded its neighbour in 2022.", "military_operation", "2022"),
    ("Russian units took the village of Kurakhove on Sunday.", "territorial_control",
     "2025-11-09"),
    ("The mining town fell to Russian troops in October 2024.", "territorial_control",
     "2024-10"),
    ("Russian missiles hit Chernihiv on Monday.", "strike_or_damage", "2025-11-10"),
])
def test_common_ways_of_telling_dated_events_are_found(events, sentence, type_, when):
    assert only(events(sentence), type_).date == when


def test_an_ongoing_operation_holds_on_the_day_it_was_said(events):
    found = events("Russian units are creating a buffer zone along the border near Sumy, the "
                   "spokesman said on Monday.")
    assert only(found, "military_operation").date == "2025-11-10"


def test_a_sentence_with_a_time_of_its_own_does_not_borrow_the_report_s_day(events):
    found = events(
        "Russian forces shelled Nikopol on Sunday.",
        "Artillery fire also damaged the market, the mayor told reporters on Tuesday.",
    )
    dated = {e.evidence[:20]: e.date for e in found if e.type == "strike_or_damage"}
    assert dated["Russian forces shell"] == "2025-11-09"
    assert dated["Artillery fire also "] is None


# --- the second actor: who or what was acted on (ACLED's actor2)

@pytest.mark.parametrize(("sentence", "type_", "actor", "actor2"), [
    ("Russian troops shelled Ukrainian trenches near Lyman on Monday.", "strike_or_damage",
     "Russian Armed Forces", "Armed Forces of Ukraine"),
    ("Ukrainian sea drones attacked Russian patrol boats off the coast.", "strike_or_damage",
     "Ukraine", "Russian Armed Forces"),
    ("Ukrainian trenches near Lyman were shelled by Russian troops.", "strike_or_damage",
     "Russian Armed Forces", "Armed Forces of Ukraine"),
    ("Russian missiles hit Ukrainian power plants in the west.", "strike_or_damage", "Russia",
     "Ukraine"),
    ("The European Union adopted fresh sanctions against Belarus.", "sanction",
     "European Union", "Belarus"),
    ("Russia launched 60 drones at Ukraine overnight, the air force said.", "weapons_launch",
     "Russia", "Ukraine"),
    ("Russian forces lost 400 soldiers over the past day, the general staff said.",
     "casualties", None, "Russian Armed Forces"),
])
def test_the_party_acted_on_is_the_second_actor(events, sentence, type_, actor, actor2):
    event = only(events(sentence), type_)
    assert (event.actor, event.actor2) == (actor, actor2)


@pytest.mark.parametrize("sentence", [
    "Drones damaged a school in Sumy, regional governor Oleh Example said.",  # the teller
    "Clashes between Russia and Ukraine went on near Siversk.",  # each side on the other
    "Shelling damaged several houses across Ukraine.",  # where, not whom
])
def test_no_second_actor_is_guessed(events, sentence):
    assert all(e.actor2 is None for e in events(sentence))


def test_the_second_actor_is_stored_and_exported(tmp_path):
    from typer.testing import CliRunner

    from newsprism.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article(
        "Ukrainian artillery destroyed Russian tanks near Robotyne on Sunday."), "utf-8")
    db = str(tmp_path / "e.db")
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(folder), "--db", db, "--workers", "1"]).exit_code == 0
    out = runner.invoke(app, ["export", "--db", db, "--kind", "events", "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    import json
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert [(r["actor1"], r["actor2"]) for r in rows if r["event_type"] == "strike_or_damage"] \
        == [("Armed Forces of Ukraine", "Russian Armed Forces")]


def test_a_state_holding_since_a_date_is_dated_from_it(events):
    found = events("The coastal strip has been occupied by Russia since 2015.")
    assert only(found, "territorial_control").date == "2015"
    found = events("Ukrainian brigades have been fighting Russian forces near Toretsk since "
                   "March 2024.")
    assert only(found, "military_operation").date == "2024-03"
    # a superlative only compares with the period: its own day dates it
    found = events("Russia launched its heaviest missile attack since March 2024 on Sunday.")
    assert only(found, "weapons_launch").date == "2025-11-09"


def test_a_night_that_names_its_day_takes_that_day(events):
    found = events("Russian drones attacked Odesa overnight into Sunday.")
    assert only(found, "strike_or_damage").date == "2025-11-09"


def test_a_confirmation_is_a_statement_dated_by_its_own_time_not_the_speaker_s_past(events):
    found = events("Anna Example, the mayor of the port in 2019, confirmed the account in a "
                   "March 2024 interview.")
    statement = only(found, "diplomatic_statement")
    assert (statement.date, statement.date_precision) == ("2024-03", "month")


def test_a_coming_day_dates_no_event_already_done(events):
    found = events("The two foreign ministers met in Vienna. They will meet again in Geneva on "
                   "20 November.")
    dates = {e.modality: e.date for e in found if e.type == "meeting"}
    assert dates == {"asserted": None, "planned": "2025-11-20"}


def test_a_capital_struck_without_a_preposition_is_where_the_strike_was(events):
    found = events("Russian drones attacked Kyiv before dawn on Monday.")
    assert only(found, "strike_or_damage").place == "Kyiv"
    found = events("Kyiv said Russian drones attacked energy sites.")  # Kyiv speaks here
    assert only(found, "strike_or_damage").place is None


def test_a_statement_event_is_dated_by_the_day_it_was_made(events):
    found = events("Poland's foreign ministry said on Monday that it condemned the closure of "
                   "the border crossing at Dorohusk.")
    statement = only(found, "diplomatic_statement")
    assert (statement.date, statement.date_precision) == ("2025-11-10", "day")


def test_regaining_firing_on_sending_troops_and_fatal_shootings_are_events(events):
    found = events(
        "The army said it had regained most of the villages east of Kupiansk.",
        "Russian artillery fired on Kupiansk again on Tuesday.",
        "Belarus has sent more troops to the border near Volyn.",
        "Police fatally shot a man who was carrying a metal pipe in Lviv.",
        "Twelve drones were shot down over Lviv overnight.",
        "The company fired its chief executive on Monday.",
    )
    kinds = {(e.type, e.evidence.split()[1]) for e in found}
    assert ("territorial_control", "army") in kinds
    assert ("strike_or_damage", "artillery") in kinds
    assert ("military_buildup", "has") in kinds
    assert ("casualties", "fatally") in kinds
    assert not [e for e in found if "chief executive" in e.evidence]
    assert not [e for e in found if e.type == "casualties" and "drones" in e.evidence]


def test_troops_entering_a_named_town_advance_but_drones_entering_airspace_do_not(events):
    found = events("On 5 November, Russian troops entered Pokrovsk, the ministry said.",
                   "Twenty drones entered Ukrainian airspace overnight.")
    advance = only(found, "advance")
    assert (advance.place, advance.date) == ("Pokrovsk", "2025-11-05")


def test_a_possessive_before_the_target_and_taking_a_town_under_control(events):
    found = events("Drones hit Ukraine's energy facilities in the west on Tuesday.",
                   "The general reported the taking of Vuhledar under control by his troops.")
    assert only(found, "strike_or_damage").date == "2025-11-11"
    assert only(found, "territorial_control").place == "Vuhledar"


def test_other_states_weapons_and_armed_groups_act(events):
    """"Israeli jets struck" is Israel's strike, not the attacker of the rest of the article;
    "Hamas fighters attacked" is Hamas's, not a German town's (Hamm)."""
    found = events(
        "Russian drones struck Kharkiv overnight, the regional governor said.",
        "Israeli jets struck targets in southern Lebanon on Sunday.",
        "Hamas fighters attacked a military post near the border.",
    )
    strikes = [e for e in found if e.type == "strike_or_damage"]
    by_evidence = {e.evidence.split()[0]: e for e in strikes}
    assert by_evidence["Russian"].actor == "Russia"
    assert by_evidence["Israeli"].actor == "Israel"
    assert by_evidence["Hamas"].actor == "Hamas"


def test_a_planned_meeting_on_a_weekday_is_on_the_coming_one(events):
    """Published on Wednesday 12 November 2025: "is due to meet on Monday" is the 17th, while
    "struck on Monday" is the 10th."""
    found = events(
        "The Security Council is due to hold an emergency meeting on Monday, diplomats said.",
        "Russian drones struck Odesa on Monday, the governor said.",
    )
    assert only(found, "meeting").date == "2025-11-17"
    assert only(found, "strike_or_damage").date == "2025-11-10"
    agreed = events("Officials agreed to the proposal at talks with the envoys on Monday.")
    assert only(agreed, "negotiation").date == "2025-11-10"  # agreed: it happened


def test_one_nights_attack_dates_its_undated_toll(events):
    """Every dated strike of the report is of one night: the toll told without a date is of
    that night too; a strike told as background keeps no date."""
    found = events(
        "Russian drones struck Sumy overnight on Tuesday, the regional governor said.",
        "A 60-year-old man was wounded by falling debris in the city centre.",
        "The city had previously been shelled many times.",
    )
    toll = only(found, "casualties")
    assert toll.date == only([e for e in found if "overnight" in e.evidence],
                             "strike_or_damage").date == "2025-11-11"
    background = [e for e in found if "previously" in e.evidence]
    assert all(e.date is None for e in background)


def test_a_datelines_day_dates_only_what_nothing_else_dates(events):
    """"PORT SUDAN, Nov 12 — X said on Sunday they had taken the city": the city was taken by
    Sunday, the day the statement was made, not on the day the report was filed; an event
    with no other date keeps the dateline's day."""
    found = events(
        "PORT SUDAN, Nov 12 — The Rapid Support Forces said on Sunday they had taken full "
        "control of El Fasher after a long siege.",
        "KHARTOUM, Nov 12 (Agency) — Army units have launched renewed assaults north of the city.",
    )
    assert only(found, "territorial_control").date == "2025-11-09"
    assert only(found, "military_operation").date == "2025-11-12"


def test_a_night_attack_between_two_days_is_of_the_day_it_ends(events):
    found = events("Russia launched 40 missiles and 215 drones between 10pm on Tuesday and 6am "
                   "today, the air force said.")
    assert only(found, "weapons_launch").date == "2025-11-12"


def test_rockets_fired_and_depots_hit_are_events_but_targeted_sanctions_are_no_strike(events):
    found = events(
        "The militia said its fighters fired a barrage of rockets at a naval base near Haifa.",
        "Two rockets were fired from the north of the strip, the army said.",
        "The army said its aircraft hit weapons depots and a command centre in the south.",
        "The group said it had targeted a bulk carrier in the Red Sea.",
        "The EU imposed targeted sanctions on the bank.",
    )
    launches = [e for e in found if e.type == "weapons_launch"]
    assert {e.evidence.split()[1] for e in launches} == {"militia", "rockets"}
    strikes = {e.evidence for e in found if e.type == "strike_or_damage"}
    assert any("depots" in e for e in strikes) and any("bulk carrier" in e for e in strikes)
    assert not any("sanctions" in e for e in strikes)


def test_a_bodys_own_fighters_act_for_it(events):
    found = events("Hezbollah said its fighters fired a barrage of rockets at a naval base near "
                   "Haifa.")
    assert only(found, "weapons_launch").actor == "Hezbollah"
