"""Extraction: entities, attributed statements and typed events from clean article text."""
