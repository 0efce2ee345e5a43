"""Watching: sources polled on a schedule (feeds, sitemaps, pages, folders), fetched politely,
stored through the same pipeline as `newsprism run`, and saved queries (alerts) reported once
per new match. See docs/watch.md."""

from newsprism.watch.config import ConfigError, Source, WatchConfig, load_config, parse_config
from newsprism.watch.fetch import Fetcher, FetchError, Limits
from newsprism.watch.watcher import PollReport, Watcher

__all__ = ["ConfigError", "FetchError", "Fetcher", "Limits", "PollReport", "Source",
           "WatchConfig", "Watcher", "load_config", "parse_config"]
