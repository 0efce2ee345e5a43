"""Load against a server on 127.0.0.1: `wrk` (a C load generator: the client's own CPU stays
small beside the server's on a 2-core machine) when it is installed, else httpx in one asyncio
loop (which costs the client about as much CPU as the server, so latencies come out higher).

usage (from a benchmark): measure(base_url, paths, clients=16, seconds=10)
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

LUA = Path(__file__).with_name("_load.lua")


def tool() -> str:
    """The load generator measure() uses: 'wrk' or 'httpx'."""
    return "wrk" if shutil.which("wrk") else "httpx"


def measure(base: str, paths: list[str], clients: int = 16, seconds: float = 10.0) -> dict:
    """{requests, p50, p95, p99, mean, max (ms), errors, largest (bytes)} of GETs cycling
    through `paths` for `seconds`, `clients` connections at a time."""
    if tool() == "wrk":
        return _wrk(base, paths, clients, seconds)
    return asyncio.run(_httpx(base, paths, clients, seconds))


def _wrk(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(paths) + "\n")
    try:
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
             "--timeout", "30s", "-s", str(LUA), base],
            env={**os.environ, "NEWSPRISM_PATHS": fh.name}, check=True, capture_output=True,
            text=True).stdout
    finally:
        os.unlink(fh.name)
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


async def _httpx(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    largest = errors = index = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal index, largest, errors
            while time.monotonic() < deadline:
                path = paths[index % len(paths)]
                index += 1
                t0 = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.TransportError:
                    errors += 1
                    continue
                latencies.append(1000 * (time.perf_counter() - t0))
                largest = max(largest, len(response.content))
                errors += response.status_code != 200

        t0 = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
    ms = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))]

    return {"requests": len(latencies), "seconds": time.monotonic() - t0, "p50": pct(50),
            "p95": pct(95), "p99": pct(99), "mean": statistics.fmean(ms), "max": ms[-1],
            "errors": errors, "largest": largest}
