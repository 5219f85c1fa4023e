"""Claims the desk has already checked: their file formats, a SQLite store, and matching."""
