"""Small text helpers shared by the cleaning stages."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CAMEL_GLUE = re.compile(r"(?<=[a-zа-яії])(?=[A-ZА-ЯІЇЄ])")
_NOT_ALNUM = re.compile(r"[\W_]+")
TERMINAL = tuple(".!?…:;\"”»’')")
BULLETS = "•▪◦‣⁃●○■□►▶➤✓✔-–—*·▪️\ufe0f"


def words(line: str, split_glued: bool = True) -> list[str]:
    """Lower-case word tokens; glued words from scraping ("commentsSign") are split unless
    `split_glued` is off (brand names such as "WhatsApp" are camel case too)."""
    return [w.lower() for w in _WORD.findall(_CAMEL_GLUE.sub(" ", line) if split_glued else line)]


def key(line: str) -> str:
    """Comparison key for near-exact repeats: letters and digits only, lower case."""
    return _NOT_ALNUM.sub("", line.lower())  # [\W_] is exactly "not str.isalnum()"


def strip_bullet(line: str) -> str:
    return line.lstrip(BULLETS + " \t")


def ends_like_sentence(line: str) -> bool:
    return line.rstrip().endswith(TERMINAL)


def is_bullet(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and stripped[0] in BULLETS and strip_bullet(stripped) != stripped
