"""The `newsprism watch` and `newsprism alert ...` commands (registered by newsprism.cli).

Ctrl-C (or SIGTERM) once: the watcher stops after the fetch in hand, storing what it has;
twice: it stops at once, and the transaction in flight is rolled back. Either way nothing is
half-stored, and the next start resumes from the state in the database.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from newsprism.watch import alerts as alert_mod
from newsprism.watch.config import ConfigError, load_config

# as in newsprism.cli (imported lazily below: that module registers this one)
DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path or SQLAlchemy URL.", envvar="NEWSPRISM_DB")
]
DEFAULT_DB = "newsprism.db"


def _main():  # noqa: ANN202
    from newsprism import cli

    return cli


def _error(message: str) -> None:
    main = _main()
    main.err.print(main.safe(f"error: {message}"), style="red", soft_wrap=True)


def _print(message: str) -> None:
    main = _main()
    main.out.print(main.safe(message))

alert_app = typer.Typer(help="Saved queries reported once per new match (to stdout, a "
                             "JSONL file or a webhook).", no_args_is_help=True)


def _say(line: str) -> None:
    main = _main()
    main.err.print(main.safe(line), style="red" if line.startswith("error:") else None,
                   soft_wrap=True)


def watch(
    config: Annotated[Path, typer.Argument(help="The watch list (TOML): sources and limits.")],
    db: DbOption = DEFAULT_DB,
    once: Annotated[bool, typer.Option(
        "--once", help="Poll the sources that are due once, link, deliver alerts and exit "
        "(for cron).")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Processes running the pipeline (1: in this process).")] = 1,
    no_alerts: Annotated[bool, typer.Option(
        "--no-alerts", help="Do not check or deliver alerts.")] = False,
) -> None:
    """Watch feeds, sitemaps, pages and folders: fetch politely, store new and edited
    articles (an edit is a new version of its page), report alerts."""
    from newsprism.engine import LocalEngine
    from newsprism.watch.watcher import Watcher

    try:
        cfg = load_config(config)
    except ConfigError as exc:
        _error(str(exc))
        raise typer.Exit(2) from exc
    store = _main()._open_store(db)
    stop = threading.Event()
    presses = 0

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal presses
        presses += 1
        if presses > 1:
            raise KeyboardInterrupt
        _say("stopping after the fetch in hand (again to stop now)")
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    watcher = Watcher(cfg, store, engine=LocalEngine(workers=workers), on_line=_say,
                      stop=stop, alerts=not no_alerts)
    try:
        names = ", ".join(s.name for s in cfg.sources)
        _say(f"watching {len(cfg.sources)} source(s): {names}")
        watcher.run(once=once)
    except KeyboardInterrupt:
        _say("stopped; the batch in flight was not stored and will be fetched again")
        raise typer.Exit(130) from None
    finally:
        watcher.engine.close()
        watcher.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    if stop.is_set():
        raise typer.Exit(130)


@alert_app.command("add")
def alert_add(
    name: Annotated[str, typer.Argument(help="A name for the alert.")],
    place: Annotated[str | None, typer.Option(help="A place, in any spelling.")] = None,
    person: Annotated[str | None, typer.Option(help="A person (part of a name, or any "
                                                    "spelling of it).")] = None,
    event_type: Annotated[str | None, typer.Option(
        "--event-type", help="An event type (strike, shelling, ...).")] = None,
    contradiction: Annotated[str | None, typer.Option(
        "--contradiction", help="A place: report each new contradiction about it.")] = None,
    to: Annotated[str, typer.Option(help="stdout, file:PATH (JSONL) or webhook:URL "
                                         "(POST).")] = "stdout",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Save an alert; documents stored from now on that match it are reported once."""
    query = alert_mod.AlertQuery(place, person, event_type, contradiction, to)
    store = _main()._open_store(db)
    try:
        alert_mod.add_alert(store, name, query)
    except alert_mod.AlertError as exc:
        _error(str(exc))
        raise typer.Exit(2) from exc
    _print(f"alert '{name}': {query.describe()} → {query.to}")


@alert_app.command("list")
def alert_list(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Saved alerts, with how many matches each reported and how many wait for delivery."""
    saved = alert_mod.list_alerts(_main()._open_store(db))
    if as_json:
        for a in saved:
            _main()._write(json.dumps({"name": a.name, **a.query.criteria(), "to": a.query.to,
                               "created_at": a.created_at.isoformat(), "matches": a.hits,
                               "undelivered": a.undelivered}, ensure_ascii=False) + "\n")
        return
    if not saved:
        _print("no alerts (add one: newsprism alert add NAME --place PLACE)")
        return
    table = Table("name", "looks for", "to", "since", "matches", "undelivered")
    for a in saved:
        safe = _main().safe
        table.add_row(safe(a.name), safe(a.query.describe()), safe(a.query.to),
                      a.created_at.strftime("%Y-%m-%d %H:%M"), str(a.hits), str(a.undelivered))
    _main().out.print(table)


@alert_app.command("remove")
def alert_remove(name: Annotated[str, typer.Argument()], db: DbOption = DEFAULT_DB) -> None:
    """Delete an alert and the record of its matches."""
    if not alert_mod.remove_alert(_main()._open_store(db), name):
        _error(f"no alert named '{name}'")
        raise typer.Exit(1)
    _print(f"removed alert '{name}'")


@alert_app.command("check")
def alert_check(db: DbOption = DEFAULT_DB) -> None:
    """Find new matches now and deliver every pending one (after a `run`, say)."""
    found, sent = alert_mod.check_alerts(_main()._open_store(db), _say)
    if not (found or sent):
        _say("alerts: nothing new")
