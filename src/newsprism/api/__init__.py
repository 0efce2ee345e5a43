"""The HTTP server: a JSON API (api/routes.py) and the analyst dashboard (web/pages.py)."""
