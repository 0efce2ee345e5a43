"""Alerts: saved queries reported once per new match, to a JSONL file, stdout or a webhook,
through `newsprism alert` and the watcher, against a site on 127.0.0.1. Our own wording."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.read import open_store
from newsprism.store.schema import alert_hits, alerts, sources
from newsprism.watch import Watcher, parse_config
from newsprism.watch.alerts import check_alerts
from newsprism.watch.testing import LocalSite, Route, article, rss

DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"

DEPOT = ("Drones hit a depot near Kharkiv", [
    "Russian drones struck a fuel depot on the outskirts of Kharkiv overnight, the regional "
    "governor Marta Hrytsenko said on Tuesday.",
    "\"The fire was put out by morning,\" Hrytsenko told reporters, adding that nobody was hurt.",
])
MARKET = ("Market reopens in Poltava", [
    "The covered market in Poltava reopened after a month of repairs, its manager said on "
    "Friday.",
])
SHELTER = ("New shelter opens in Kharkiv", [
    "A new underground shelter for four hundred people opened in a Kharkiv school on Monday, "
    "the city council said.",
])
cli = CliRunner()


def _alert(db: str, *args: str) -> str:
    result = cli.invoke(app, ["alert", *args, "--db", db])
    assert result.exit_code == 0, result.output
    return result.output


def _poll(site: LocalSite, db: str, lines: list[str] | None = None,
          stdout: list[str] | None = None) -> None:
    cfg = parse_config({"watch": {"min_delay": 0, "retries": 0, "revisit": 0},
                        "source": [{"name": "local", "feed": site.url("/feed.xml")}]}, "w.toml")
    store = open_store(db)
    with store.engine.begin() as conn:
        conn.execute(sources.update().values(last_fetch=None))
    said = lines if lines is not None else []
    watcher = Watcher(cfg, store, on_line=said.append, alerts=False)
    watcher.run(once=True)
    watcher.close()
    check_alerts(store, said.append, stdout.append if stdout is not None else None)


def _publish(site: LocalSite, pages: dict[str, tuple[str, list[str]]]) -> None:
    for path, (title, paragraphs) in pages.items():
        site.set(path, Route(article(title, paragraphs)))
    site.set("/feed.xml", Route(rss([{"title": t, "link": site.url(p), "guid": p,
                                      "description": " ".join(paras)[:80]}
                                     for p, (t, paras) in pages.items()]),
                                content_type="application/rss+xml"))


def test_a_place_in_another_spelling_reports_each_new_page_once_to_a_file(tmp_path, db_url):
    db, out = db_url, tmp_path / "alerts" / "kharkiv.jsonl"
    with LocalSite() as site:
        _publish(site, {"/depot": DEPOT})
        _poll(site, db)  # stored before the alert: not a new match
        added = _alert(db, "add", "kharkiv-watch", "--place", "Kharkov", "--to", f"file:{out}")
        assert "place Kharkov" in added
        _publish(site, {"/depot": DEPOT, "/market": MARKET, "/shelter": SHELTER})
        _poll(site, db)
        lines = out.read_text().splitlines()
        assert [json.loads(x)["url"] for x in lines] == [site.url("/shelter")]
        hit = json.loads(lines[0])
        assert hit["alert"] == "kharkiv-watch" and hit["title"] == SHELTER[0] and hit["key"]
        # the page is edited (still about Kharkiv): a new version, not a new match
        edited = (SHELTER[0], [*SHELTER[1], "It has its own water supply and a first-aid room."])
        _publish(site, {"/depot": DEPOT, "/market": MARKET, "/shelter": edited})
        said: list[str] = []
        _poll(site, db, said)
        assert any("(1 as new versions)" in line for line in said), said
        _poll(site, db)
        assert len(out.read_text().splitlines()) == 1
    listed = _alert(db, "list", "--json")
    assert json.loads(listed)["matches"] == 1 and json.loads(listed)["undelivered"] == 0


def test_a_webhook_that_is_down_keeps_its_matches_and_gets_each_once(tmp_path):
    db = str(tmp_path / "a.db")
    with LocalSite() as site, LocalSite() as receiver:
        _alert(db, "add", "strikes", "--event-type", "strike_or_damage", "--to",
               f"webhook:{receiver.url('/hook')}")
        _alert(db, "add", "governor", "--person", "Hrytsenko")
        receiver.post_status = 503
        _publish(site, {"/depot": DEPOT, "/market": MARKET})
        said: list[str] = []
        printed: list[str] = []
        _poll(site, db, said, printed)
        errors = [line for line in said if line.startswith("error:")]
        assert len(errors) == 1 and "alert 'strikes'" in errors[0] and "HTTP 503" in errors[0] \
            and "1 match(es) kept" in errors[0], said
        assert [json.loads(p)["url"] for p in printed] == [site.url("/depot")]  # stdout alert
        receiver.post_status = 200
        store = open_store(db)
        check_alerts(store, said.append, printed.append)
        check_alerts(store, said.append, printed.append)
        posted = [json.loads(body) for path, body in receiver.posts if path == "/hook"]
        # one failed try, then exactly one delivery
        assert [p["url"] for p in posted] == [site.url("/depot")] * 2
        assert len(printed) == 1
        with store.engine.connect() as conn:
            pending = conn.execute(select(alert_hits.c.key)
                                   .where(alert_hits.c.delivered_at.is_(None))).all()
        assert pending == []


def test_a_new_contradiction_on_a_watched_place_is_reported_once(tmp_path):
    """The demo's tabloid piece inverts the wire's claim about who holds Vovchansk: watched
    as "Volchansk", the contradiction is reported when the second article arrives."""
    db, out = str(tmp_path / "a.db"), tmp_path / "c.jsonl"
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(DEMO / "txt" / "01_vovchansk_eastern_wire.txt", drop)
    _alert(db, "add", "vovchansk", "--contradiction", "Volchansk", "--to", f"file:{out}")
    cfg = parse_config({"source": [{"name": "drop", "folder": str(drop),
                                    "interval": 0}]}, "w.toml")
    store = open_store(db)
    said: list[str] = []
    watcher = Watcher(cfg, store, on_line=said.append)
    watcher.run(once=True)
    assert not out.exists()
    shutil.copy(DEMO / "txt" / "04_vovchansk_daily_flare.txt", drop)
    watcher.run(once=True)
    watcher.run(once=True)
    watcher.close()
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(x["match"], x["place"], x["kind"]) for x in lines] == [
        ("contradiction", "Vovchansk", "control")], said
    assert len(lines[0]["documents"]) == 2


def test_alert_commands_refuse_what_they_cannot_save(tmp_path):
    db = str(tmp_path / "a.db")
    for args, message in [
        (["add", "x"], "needs --place, --person, --event-type or --contradiction"),
        (["add", "x", "--place", "Kyiv", "--to", "mail:me"], "is not a destination"),
        (["add", "x", "--place", "Kyiv", "--contradiction", "Kyiv"], "stands alone"),
    ]:
        result = cli.invoke(app, ["alert", *args, "--db", db])
        assert result.exit_code == 2 and message in result.output, result.output
    _alert(db, "add", "x", "--place", "Kyiv")
    result = cli.invoke(app, ["alert", "add", "x", "--person", "Anyone", "--db", db])
    assert result.exit_code == 2 and "exists already" in result.output
    assert "x" in _alert(db, "list") and "place Kyiv" in _alert(db, "list")
    assert "removed" in _alert(db, "remove", "x")
    assert "no alerts" in _alert(db, "list")


def test_a_running_watcher_reports_matches_of_later_rounds_once(tmp_path):
    """The watermark per alert moves on between rounds: later pages still match."""
    db, out = str(tmp_path / "a.db"), tmp_path / "k.jsonl"
    _alert(db, "add", "k", "--place", "Kharkiv", "--to", f"file:{out}")
    with LocalSite() as site:
        _publish(site, {"/depot": DEPOT})
        cfg = parse_config({"watch": {"min_delay": 0},
                            "source": [{"name": "local", "feed": site.url("/feed.xml"),
                                        "interval": 0}]}, "w.toml")
        watcher = Watcher(cfg, open_store(db), on_line=lambda _line: None)
        watcher.cycle()
        _publish(site, {"/depot": DEPOT, "/market": MARKET, "/shelter": SHELTER})
        watcher.cycle()
        watcher.cycle()
        watcher.close()
    urls = [json.loads(x)["url"] for x in out.read_text().splitlines()]
    assert urls == [site.url("/depot"), site.url("/shelter")]


def _watermark(db: str):
    with open_store(db).engine.connect() as conn:
        return conn.scalar(select(alerts.c.checked_at))


def test_alerts_fire_once_across_restarts_and_across_check_and_watch(tmp_path):
    """`watch --once` (as from cron), `alert check` and a second `watch --once` after new
    pages: each match once in the file, and the watermark, in the database, moves on with
    every check, whichever command made it."""
    db, out = str(tmp_path / "a.db"), tmp_path / "k.jsonl"
    _alert(db, "add", "k", "--place", "Kharkov", "--to", f"file:{out}")
    assert _watermark(db) is None
    config = tmp_path / "watch.toml"
    with LocalSite() as site:
        config.write_text(f'[watch]\nmin_delay = 0\ninterval = 0\n[[source]]\nname = "l"\n'
                          f'feed = "{site.url("/feed.xml")}"\n')
        _publish(site, {"/depot": DEPOT, "/market": MARKET})
        first = cli.invoke(app, ["watch", str(config), "--db", db, "--once"])
        assert first.exit_code == 0, first.output
        marks = [_watermark(db)]
        _alert(db, "check")
        marks.append(_watermark(db))
        _publish(site, {"/depot": DEPOT, "/market": MARKET, "/shelter": SHELTER})
        second = cli.invoke(app, ["watch", str(config), "--db", db, "--once"])
        assert second.exit_code == 0, second.output
        marks.append(_watermark(db))
        _alert(db, "check")
    urls = [json.loads(x)["url"] for x in out.read_text().splitlines()]
    assert urls == [site.url("/depot"), site.url("/shelter")]
    assert None not in marks and marks == sorted(marks) and len(set(marks)) == 3, marks
