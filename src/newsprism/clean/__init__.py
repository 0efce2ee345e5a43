"""Cleaning stages: from decoded text to body paragraphs, removed lines and metadata."""
