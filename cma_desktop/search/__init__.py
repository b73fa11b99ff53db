"""Search as you type over content and notes: forgiving matching, one ranking for both (no Qt here)."""
