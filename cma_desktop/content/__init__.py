"""Content: the typed model, the TOML loader and its checks (no Qt here)."""
