"""Search as you type over content and notes: forgiving matching, one ranking for both (no Qt here)."""

NOTE_PREFIX = "notes:"  # keys of notes among search results: notes:duties/vital-signs
# Keys of what the Local tab shows, as search results: programs/<id>, center, local_wages/<id>.
LOCAL_PROGRAM, LOCAL_CENTER, LOCAL_WAGE = "programs", "center", "local_wages"
# The Overview's introduction and its quick-fact cards (facts/<id>), as search results.
OVERVIEW_INTRO, QUICK_FACT = "overview/intro", "facts"
