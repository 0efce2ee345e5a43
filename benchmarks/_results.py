"""Shared by the benchmark scripts: print a table and keep its section of RESULTS.md current."""

from __future__ import annotations

import os
import platform
import re
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nEach section is rewritten by the script named in it.\n"


def show(title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, no_wrap=i == 0)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def markdown_table(columns: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(name: str, body: str, command: str | None = None) -> None:
    """Replace (or append) the section `name` of RESULTS.md; `command` made it (by default
    the script that runs, with its arguments)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    default = shlex.join(["python", f"benchmarks/{Path(sys.argv[0]).name}", *sys.argv[1:]]) \
        if sys.argv and sys.argv[0].endswith(".py") else f"python benchmarks/{name}.py"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    block = (
        f"<!-- {name}:start -->\n## {name}\n\n_Run {stamp} on {machine}; "
        f"command: `{command or default}`_\n\n{body.strip()}\n<!-- {name}:end -->"
    )
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    pattern = re.compile(rf"<!-- {name}:start -->.*?<!-- {name}:end -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")
