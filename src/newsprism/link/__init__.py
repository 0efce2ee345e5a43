"""Cross-document analysis: links between articles that no single document can show."""
