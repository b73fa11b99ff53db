"""The user's own data (notes, bookmarks), kept safe in one SQLite file (no Qt here)."""
