"""Dashboard pages (filled in by the web work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
