"""The analyst dashboard: server-rendered pages (Jinja2, autoescaped) and vendored static files."""
