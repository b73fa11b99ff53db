"""Search as you type over content and notes: forgiving matching, one ranking for both (no Qt here)."""

NOTE_PREFIX = "notes:"  # keys of notes among search results: notes:duties/vital-signs
