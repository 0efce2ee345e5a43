"""The cleaner on articles written for these tests: junk goes with a reason, body stays."""

from __future__ import annotations

import pytest

from newsprism.clean.dates import find_dates
from newsprism.clean.header import find_header

BODY = [
    "Ukrainian air defence units intercepted most of the drones launched overnight "
    "at the Kharkiv region, the regional governor said on Tuesday morning.",
    "\"We are ready.\"",
    "Talks resumed.",
    "12 drones were shot down over the city, according to the air force command.",
    "What the governor said",
    "He added that repair crews had restored power to most of the affected districts "
    "before dawn and that schools would open as usual.",
    "• Two warehouses were damaged in the northern district",
    "Officials said the full damage assessment would take several more days to complete.",
]


def article(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def reasons(doc) -> dict[str, str]:
    return {r.line: r.reason for r in doc.removed}


def test_real_body_lines_survive_including_short_ones(clean):
    doc = clean(article("Drones hit warehouses near Kharkiv overnight", *BODY))
    assert doc.lines == BODY
    assert doc.title == "Drones hit warehouses near Kharkiv overnight"


def test_navigation_account_social_and_credit_lines_go_with_reasons(clean):
    doc = clean(article(
        "Skip to content", "Menu", "Log in", "Subscribe",
        "Drones hit warehouses near Kharkiv overnight",
        "Photo: Steppe Herald / Ivan Example",
        *BODY,
        "Share on Facebook", "Twitter WhatsApp Telegram",
        "Sign in or create a free Steppe Herald account to comment",
        "© 2026 Steppe Herald. All rights reserved.",
    ))
    assert doc.lines == BODY
    why = reasons(doc)
    assert why["Skip to content"] == "navigation"
    assert why["Subscribe"] == "account"
    assert why["Twitter WhatsApp Telegram"] == "social"
    assert why["Photo: Steppe Herald / Ivan Example"] == "credit"
    assert doc.outlet == "Steppe Herald"


def test_promo_lines_and_tagged_teasers_are_removed(clean):
    doc = clean(article(
        "Drones hit warehouses near Kharkiv overnight",
        BODY[0],
        "READ MORE: Ten things you never knew about winter tyres",
        BODY[3],
        "Also read: Markets rally as oil prices slide",
        "Celebrity chef reveals secret recipe [PICTURES]",
        "Ministers argue over budget in late-night session [LATEST]",
        BODY[5],
    ))
    assert doc.lines == [BODY[0], BODY[3], BODY[5]]
    assert {r.reason for r in doc.removed} == {"title", "promo"}


def test_related_block_is_removed_until_prose_resumes(clean):
    doc = clean(article(
        "Drones hit warehouses near Kharkiv overnight",
        *BODY,
        "Related articles",
        "Grain corridor talks stall again",
        "Second round of prisoner exchanges planned",
        "Power cuts return to the capital",
    ))
    assert doc.lines == BODY
    assert [r.reason for r in doc.removed][-4:] == ["related links"] * 4


def test_repeated_title_date_and_bullets_are_kept_once(clean):
    title = "Kremlin says buffer zone along the border is expanding"
    bullets = [
        "▪️ The defence ministry will report on progress every week",
        "▪️ Evacuation of border villages is not planned for now",
    ]
    doc = clean(article(
        title[:30], title, "7 NOV 2025 12:28", title, "", "7 NOV 2025 12:28",
        BODY[0], "Other statements by the spokesman:", *bullets, *bullets, *bullets,
    ))
    assert doc.title == title
    assert doc.published == "2025-11-07"
    assert doc.lines == [BODY[0], "Other statements by the spokesman:", *bullets]
    counts = [r.reason for r in doc.removed]
    assert counts.count("repeated line") == 4
    assert counts.count("date line") == 2
    assert counts.count("title") + counts.count("repeated title") == 3


def test_no_title_is_invented_when_the_text_starts_with_body(clean):
    doc = clean(article(*BODY))
    assert doc.title is None and doc.published is None and doc.outlet is None
    assert doc.lines == BODY


def test_breadcrumbs_and_media_bank_credit(clean):
    doc = clean(article(
        "Talks in Istanbul end without a joint statement | World | News",
        "© Eastern Wire / Petr Example / Go to the photo bank",
        *BODY,
    ))
    assert doc.title == "Talks in Istanbul end without a joint statement"
    assert doc.outlet == "Eastern Wire"


def test_header_date_formats():
    cases = {
        "date 2025-07-09 Troops advance near the border": ("2025-07-09", True),
        "09:38 GMT 09.07.2025 (Updated: 09:49 GMT 09.07.2025)": ("2025-07-09", False),
        "7 NOV 2025 12:28": ("2025-11-07", False),
        "Published: March 3, 2026": ("2026-03-03", False),
        "Anna Example - Nov 19, 2025, 10:31 pm CST": ("2025-11-19", False),
        "12 ноября 2025, 14:05": ("2025-11-12", False),
    }
    for line, (iso, has_title) in cases.items():
        title, published = find_header([line, *BODY])
        assert published == iso, line
        assert (title == "Troops advance near the border") is has_title, line


def test_dates_are_not_found_in_ordinary_numbers():
    assert find_dates("Some 2025 soldiers and 12.5 tonnes of cargo arrived at 10:30.") == []
    assert find_dates("Invalid 31.02.2025 and 2025-13-40") == []


def test_language_is_detected(clean):
    doc = clean(article(
        "Украинские военные сообщили о новых атаках беспилотников на Харьковскую область.",
        "По словам губернатора, пострадавших нет, но повреждены два склада и линия связи.",
    ))
    assert doc.language == "ru"


@pytest.mark.parametrize("text, code", [
    # plain English news: the fast path (a quarter of the words are function words)
    ("Officials said on Monday that the bridge over the river was damaged in the attack and "
     "that repairs would take at least a month, according to a statement from the ministry, "
     "which has asked drivers to use the northern road instead.", "en"),
    # other languages in Latin script and English with few function words: the classifier
    ("Les autorités ont annoncé lundi que le pont sur la rivière avait été endommagé par "
     "l'attaque et que les réparations prendraient au moins un mois selon le ministère, qui "
     "demande aux conducteurs de prendre la route du nord pendant les travaux.", "fr"),
    ("Die Behörden teilten am Montag mit, dass die Brücke über den Fluss bei dem Angriff "
     "beschädigt wurde und die Reparatur mindestens einen Monat dauern werde, so das "
     "Ministerium, das die Fahrer bittet, die nördliche Straße zu nehmen.", "de"),
    ("Bridge damaged. Repairs: one month. Ministry advice: northern road. Drivers: expect "
     "delays. Traffic police: checkpoints near Izium, Balakliia, Kupiansk. Weather: rain, "
     "fog. Markets: grain prices steady. Schools: open. Hospitals: normal hours.", "en"),
])
def test_language_fast_path_and_classifier_agree(text, code):
    from newsprism.clean.language import _plainly_english, detect_language

    assert detect_language(text) == code
    # the fast path answers only for plain English; everything else is the classifier's
    assert _plainly_english(text) is (text.startswith("Officials"))


def test_html_path_uses_meta_tags_and_drops_chrome(clean):
    page = """<!doctype html><html><head><title>Strike on depot | Baltic Ledger</title>
    <meta property="og:title" content="Strike on fuel depot near Belgorod">
    <meta property="og:site_name" content="Baltic Ledger">
    <meta property="article:published_time" content="2026-02-14T08:00:00Z">
    <link rel="canonical" href="https://baltic-ledger.example/news/depot"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Strike on fuel depot near Belgorod</h1>
    <p>A fuel depot near Belgorod caught fire after a drone attack overnight, the regional
    governor wrote on his channel, adding that nobody was hurt in the blaze.</p>
    <p>READ MORE: Why winter is coming early this year</p>
    <p>Firefighters needed six hours to bring the fire under control, officials said later
    in the day, and the nearby road was closed to traffic until the afternoon.</p></article>
    <footer>Cookie settings. Privacy policy.</footer>
    <script>alert("x")</script></body></html>"""
    doc = clean(page, kind="html")
    assert doc.title == "Strike on fuel depot near Belgorod"
    assert doc.published == "2026-02-14"
    assert doc.outlet == "Baltic Ledger"
    assert doc.url == "https://baltic-ledger.example/news/depot"
    assert len(doc.lines) == 2 and doc.lines[0].startswith("A fuel depot near Belgorod")
    assert "alert" not in doc.text and "Home" not in doc.text
    assert "promo" in {r.reason for r in doc.removed}


def test_a_one_line_flash_without_headline_is_a_document(clean):
    doc = clean("Russian drones hit a fuel depot near Odesa overnight, two people injured\n")
    assert doc.lines == ["Russian drones hit a fuel depot near Odesa overnight, two people injured"]


def test_captions_link_promos_reaction_counts_and_author_bios_go(clean):
    caption = "Rescuers clear rubble near the depot - Steppe Herald, 1920, 14.03.2026"
    agency = "Footage shows the ferry listing after the blast (via WIREPIX)"
    promo = "Follow our live coverage of the war at https://steppe-herald.example/live"
    reaction = "Useful! (57)"
    bio = ("Jana Novak is a senior defence correspondent based in the Prague bureau. "
           "She covers security policy and joined the paper in 2019.")
    doc = clean(article("Drones hit warehouses near Kharkiv overnight", BODY[0], caption,
                        BODY[3], agency, BODY[5], BODY[7], promo, reaction, bio))
    assert doc.lines == [BODY[0], BODY[3], BODY[5], BODY[7]]
    why = reasons(doc)
    assert why[caption] == why[agency] == "credit"
    assert why[promo] == "promo"
    assert why[reaction] == "counter"
    assert why[bio] == "author bio"


def test_a_body_sentence_about_a_journalist_is_not_a_bio(clean):
    line = ("Pavel Orlik is a former editor of a regional weekly who was detained in May "
            "after publishing a list of damaged schools.")
    doc = clean(article("Editor detained in the south", BODY[0], line, BODY[7]))
    assert line in doc.lines


def test_a_topic_card_above_the_headline_is_not_the_story(clean):
    # a picture stamp opens a topic card (label, standing blurb) above the real headline; the
    # story's own picture under the headline dates it
    doc = clean(article(
        "- Eastern Wire, 1280, 02.03.2025",
        "The Conflict in the East Explained",
        "Since 2014 our reporters have followed every turn of the conflict in the eastern "
        "regions, from the first clashes near Sloviansk to the long sieges.",
        "",
        "Drones hit warehouses near Kharkiv overnight",
        "",
        "Firefighters at a burning depot - Eastern Wire, 1280, 11.11.2025",
        *BODY,
    ))
    assert doc.title == "Drones hit warehouses near Kharkiv overnight"
    assert doc.published == "2025-11-11"
    assert doc.lines == BODY
    assert not any("Sloviansk" in line for line in doc.lines)


def test_a_video_blurb_after_the_story_is_cut(clean):
    doc = clean(article(
        "Drones hit warehouses near Kharkiv overnight",
        *BODY,
        "Video",
        "Our correspondent travels along the southern front line to meet the volunteers who "
        "repair drones in a basement workshop near Zaporizhzhia, and hears their stories.",
    ))
    assert doc.lines == BODY


def test_a_wire_credit_with_the_reporters_cities_is_not_body(clean):
    doc = clean(article(
        "Drones hit warehouses near Kharkiv overnight",
        *BODY,
        "(Reporting by Anna Example in Kyiv and Tom Example in Warsaw; Editing by Mark Example)",
    ))
    assert doc.lines == BODY
    assert "Warsaw" not in {e.name for e in doc.entities}


def test_a_byline_name_over_its_role_is_no_body_line(clean):
    doc = clean(article(
        "Drones hit warehouses near Kharkiv overnight",
        "Marta Lindqvist",
        "Defence correspondent, reporting from Odesa",
        *BODY,
    ))
    assert reasons(doc)["Marta Lindqvist"] == "byline"
    assert "Marta Lindqvist" not in {e.name for e in doc.entities}


def test_a_page_that_opens_with_a_menu_is_dated_from_the_line_under_its_headline(clean):
    title = "Drones hit a power plant near the northern border"
    menu = ["Home", "World", "Europe", "Business", "Sport", "Culture", "Weather", "Video",
            "Podcasts", "Newsletters", "Live", "Opinion", "Science", "Health", "Travel",
            "Markets", "Climate"]
    doc = clean(article(
        f"{title} | Example Daily", *menu, title,
        "Officials say the damage will take weeks to repair.", "14 Mar 2026 07:15 GMT",
        *BODY,
    ))
    assert doc.title == title
    assert doc.published == "2026-03-14"
    # only the dateline under the headline dates the page, not a date in the menu or body
    undated = clean(article(f"{title} | Example Daily", *menu, "Archive: 2 January 2026",
                            *BODY))
    assert undated.published is None


def test_a_date_line_under_a_long_menu_dates_the_page(clean):
    menu = [f"Section {name}" for name in ("World", "Politics", "Business", "Sport", "Culture",
                                           "Science", "Health", "Travel", "Opinion", "Video",
                                           "Podcasts", "Weather", "Local", "Markets", "Tech",
                                           "Style", "Food", "Books")]
    doc = clean(article(*menu, "Ferry service to the islands resumes after the storm",
                        "9:41 am CET, Thursday, March 5, 2026", *BODY))
    assert doc.published == "2026-03-05"
    assert "9:41 am CET, Thursday, March 5, 2026" not in doc.lines
