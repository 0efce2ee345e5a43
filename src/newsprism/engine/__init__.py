"""Engines decide where the per-document stages run; they all run the same `Pipeline`.

`LocalEngine` (the default) uses this machine's cores; `DaskEngine` (the `dask` extra) uses a
Dask cluster, local or remote. Both return results in input order, so a run stores the same
thing whichever engine it uses.
"""

from __future__ import annotations

from newsprism.engine.base import Engine
from newsprism.engine.local import LocalEngine, available_cores
from newsprism.pipeline import Pipeline

ENGINES = ("local", "dask")

__all__ = ["ENGINES", "Engine", "LocalEngine", "available_cores", "make_engine"]


def make_engine(kind: str = "local", pipeline: Pipeline | None = None,
                workers: int | None = None, scheduler: str | None = None) -> Engine:
    """The engine `newsprism run --engine KIND` uses; ValueError/ImportError say what's wrong."""
    if kind == "local":
        if scheduler:
            raise ValueError("--scheduler needs --engine dask")
        return LocalEngine(pipeline, workers)
    if kind == "dask":
        from newsprism.engine.dask_engine import DaskEngine

        return DaskEngine(pipeline, workers=workers, scheduler=scheduler)
    raise ValueError(f"unknown engine '{kind}': choose one of {', '.join(ENGINES)}")
