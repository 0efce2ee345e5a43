"""The watch list: a TOML file of sources and the politeness they are fetched with.

```toml
[watch]                       # all optional
interval = "15m"              # default per source
revisit = "6h"                # pages still listed are fetched again (conditional GET) after
                              # this, to see edits the feed does not announce; "off": never
min_delay = 1.0               # seconds between two requests to one host
timeout = 10                  # seconds, connect and read
total_timeout = 30            # seconds for a whole response
max_mb = 5                    # largest response
archive_max_mb = 2048         # largest WARC file of a `warc = URL` source
archive_timeout = "30m"       # for a whole WARC file
max_redirects = 5
retries = 2
link_every = "5m"             # how often stories, claims and contradictions are recomputed
batch = 20                    # pages fetched, then stored in one transaction
max_pages = 200               # pages per source and round (the rest in the next rounds)
concurrency = 8               # sources polled at once (each host still one request at a time)
queue = 500                   # pages fetched and waiting for the pipeline, at most

[[source]]
name = "river-news"           # unique; how the dashboard and the errors name it
feed = "https://river.example/rss.xml"   # or: sitemap, url, folder, warc (a WARC's URL)
interval = "30m"
```

A mistake in the file is a `ConfigError` naming the file, the source and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from newsprism.watch.fetch import Limits

KINDS = ("feed", "sitemap", "url", "folder", "warc")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
_NAME = re.compile(r"^[\w.\-]{1,100}$")


class ConfigError(ValueError):
    """The watch list cannot be used as written."""


@dataclass
class Source:
    name: str
    kind: str  # feed | sitemap | url | folder | warc (a WARC file by URL)
    location: str  # a URL, or a folder path
    interval: float  # seconds between polls
    revisit: float = 6 * 3600.0  # entries still listed are fetched again after this (inf: never)


@dataclass
class WatchConfig:
    sources: list[Source]
    limits: Limits = field(default_factory=Limits)
    interval: float = 900.0
    link_every: float = 300.0
    batch: int = 20  # entries fetched, then stored in one transaction
    max_pages: int = 200  # per source and round; the rest in the next round
    concurrency: int = 8  # sources polled at once, by as many threads
    queue: int = 500  # pages fetched and waiting for the pipeline, at most (then polls defer)


def duration(value: object, where: str) -> float:
    """Seconds from 90, 2.5, "90s", "15m", "6h" or "1d"."""
    if isinstance(value, bool):
        raise ConfigError(f"{where}: a duration, not {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ConfigError(f"{where}: {value!r} is not a duration (e.g. 90, \"90s\", "
                              "\"15m\", \"6h\")")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds < 0:
        raise ConfigError(f"{where}: a duration cannot be negative")
    return seconds


def _whole(value: object, low: int, high: int, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where} must be a whole number from {low} to {high:,}")
    return value


def _revisit(value: object, where: str) -> float:
    if value is False or (isinstance(value, str) and value.strip().lower() in ("off", "never")):
        return float("inf")
    return duration(value, where)


# max_mb and archive_max_mb in the file
_LIMIT_KEYS = {f.name for f in fields(Limits)} - {"max_bytes", "archive_max_bytes"}


def _limits(table: dict, where: str) -> Limits:
    limits = Limits()
    for key, value in table.items():
        if key == "max_mb":
            limits.max_bytes = int(duration(value, f"{where}: max_mb") * 2**20)
        elif key == "archive_max_mb":
            limits.archive_max_bytes = int(duration(value, f"{where}: archive_max_mb") * 2**20)
        elif key in ("user_agent", "robots_agent"):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: {key} must be a non-empty string")
            setattr(limits, key, value.strip())
        elif key in ("max_redirects", "retries"):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 20:
                raise ConfigError(f"{where}: {key} must be a whole number from 0 to 20")
            setattr(limits, key, value)
        elif key in _LIMIT_KEYS:
            setattr(limits, key, duration(value, f"{where}: {key}"))
    return limits


def parse_config(data: dict, where: str) -> WatchConfig:
    watch = data.get("watch", {})
    if not isinstance(watch, dict):
        raise ConfigError(f"{where}: [watch] must be a table")
    known = _LIMIT_KEYS | {"max_mb", "archive_max_mb", "interval", "link_every", "batch", "revisit",
                           "max_pages", "concurrency", "queue"}
    unknown = sorted(set(watch) - known)
    if unknown:
        raise ConfigError(f"{where}: [watch] has unknown key(s) {', '.join(unknown)}")
    batch = _whole(watch.get("batch", 20), 1, 1000, f"{where}: [watch] batch")
    max_pages = _whole(watch.get("max_pages", 200), 1, 100_000, f"{where}: [watch] max_pages")
    concurrency = _whole(watch.get("concurrency", 8), 1, 64, f"{where}: [watch] concurrency")
    queue = _whole(watch.get("queue", 500), 1, 100_000, f"{where}: [watch] queue")
    default_interval = duration(watch.get("interval", 900), f"{where}: [watch] interval")
    default_revisit = _revisit(watch.get("revisit", "6h"), f"{where}: [watch] revisit")
    sources: list[Source] = []
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(f"{where}: no [[source]] entries")
    seen: set[str] = set()
    for i, entry in enumerate(raw_sources, 1):
        label = f"{where}: source {i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{label}: must be a table")
        name = entry.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConfigError(f"{label}: 'name' must be 1-100 letters, digits, '.', '-' or '_'")
        label = f"{where}: source '{name}'"
        if name in seen:
            raise ConfigError(f"{label}: the name is used twice")
        seen.add(name)
        kinds = [k for k in KINDS if k in entry]
        if len(kinds) != 1:
            raise ConfigError(f"{label}: give exactly one of {', '.join(KINDS)}")
        kind = kinds[0]
        location = entry[kind]
        if not isinstance(location, str) or not location.strip():
            raise ConfigError(f"{label}: '{kind}' must be a non-empty string")
        location = location.strip()
        if kind == "folder":
            base = Path(where).parent
            folder = Path(location).expanduser()
            location = str(folder if folder.is_absolute() else base / folder)
        elif urlsplit(location).scheme not in ("http", "https") or not urlsplit(location).netloc:
            raise ConfigError(f"{label}: '{location[:100]}' is not an http(s) URL")
        unknown = sorted(set(entry) - {"name", "interval", "revisit", *KINDS})
        if unknown:
            raise ConfigError(f"{label}: unknown key(s) {', '.join(unknown)}")
        interval = duration(entry.get("interval", default_interval), f"{label}: interval")
        revisit = _revisit(entry["revisit"], f"{label}: revisit") if "revisit" in entry \
            else default_revisit
        sources.append(Source(name, kind, location, interval, revisit))
    return WatchConfig(sources=sources, limits=_limits(watch, f"{where}: [watch]"),
                       interval=default_interval, batch=batch, max_pages=max_pages,
                       concurrency=concurrency, queue=queue,
                       link_every=duration(watch.get("link_every", 300),
                                           f"{where}: [watch] link_every"))


def load_config(path: Path) -> WatchConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_config(data, str(path))
