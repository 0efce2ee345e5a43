"""Engines decide where the per-document stages run; they all run the same `Pipeline`."""

from newsprism.engine.local import LocalEngine

__all__ = ["LocalEngine"]
