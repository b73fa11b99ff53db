"""A small valid content file that the validation tests break in one place at a time."""

MINIMAL = '''\
[meta]
title = "Test content"
version = "1.0"
updated = 2026-11-28

[[sources]]
id = "bls"
title = "Medical Assistants"
publisher = "BLS"
url = "https://www.bls.gov/ooh/healthcare/medical-assistants.htm"
year = 2025

[overview]
title = "What a CMA does"
intro = "Medical assistants work in clinics."
sources = ["bls"]

[[quick_facts]]
id = "median-pay"
label = "Median annual pay"
value = "$44,200"
data_year = 2024
source = "bls"

[[duties]]
id = "vital-signs"
title = "Taking vital signs"
category = "clinical"
summary = "Blood pressure, pulse and more."
body = """
Measured at the start of most visits.
"""
sources = ["bls"]
related = ["duties/scheduling"]

[[duties]]
id = "scheduling"
title = "Scheduling appointments"
category = "administrative"
summary = "Booking visits."
body = "Keeps the day running."
sources = ["bls"]
figures = [
  { label = "Share of time", value = "10%", data_year = 2024, source = "bls" },
]

[[settings]]
id = "physician-offices"
title = "Physicians' offices"
summary = "Where most work."
body = "Most medical assistants work here."
sources = ["bls"]
share = { label = "Share of jobs", value = "57%", data_year = 2024, source = "bls" }

[[faq]]
id = "pay"
question = "What is the pay?"
answer = "A median of $44,200 in May 2024."
category = "pay"
sources = ["bls"]
'''


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in sample")
