"""The revisions, oldest first by number; each says why it exists."""
