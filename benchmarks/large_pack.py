"""Generated data for the benchmarks: a content pack with many items, a store with many notes."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from pathlib import Path

WORDS = (
    "patient vital signs blood pressure pulse temperature scheduling appointments billing coding insurance claims "
    "records chart history intake specimen collection laboratory testing sterilization instruments infection control "
    "medication refills pharmacy injections immunization wound dressing sutures electrocardiogram diagnostic imaging "
    "referral admission supplies inventory ordering reception greeting phones messages privacy confidentiality "
    "pediatrics geriatrics cardiology dermatology ophthalmology podiatry orthopedics obstetrics gynecology surgery "
    "clinic hospital outpatient practice physician provider nurse assistant certification exam recertification "
    "credential education program externship practicum accreditation wages salary growth openings career"
).split()


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def write_pack(path: Path, items: int, seed: int = 2026) -> Path:
    """A pack of duties, specializations, settings and FAQ entries that cite the bundled BLS source."""
    rng = random.Random(seed)
    kinds = ("duties", "specializations", "settings", "faq")
    lines: list[str] = []
    for n in range(items):
        kind = kinds[n % len(kinds)]
        title = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize() + f" {n}"
        body = " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 6)))
        lines.append(f"[[{kind}]]")
        lines.append(f'id = "generated-{n}"')
        if kind == "faq":
            lines += [f'question = "{title}?"', f'answer = """{body}"""', 'category = "work"']
        else:
            lines += [f'title = "{title}"', f'summary = "{sentence(rng, 10)}"', f'body = """{body}"""']
        if kind == "duties":
            lines.append(f'category = "{rng.choice(["clinical", "administrative"])}"')
        if kind == "settings":
            lines.append('share = { label = "Share of jobs", value = "1%", data_year = 2024, source = "bls-ooh" }')
        lines += ['sources = ["bls-ooh"]', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def bulk_add_notes(data_dir: Path, notes: Iterable[tuple[str, str, str, str]]) -> None:
    """Creates the store through the app, then adds (key, title, body, updated_at) rows in one
    transaction, counted as a change so that the next open brings the full-text index up to date."""
    from cma_desktop.store.notes_store import NotesStore

    NotesStore(data_dir).close()
    with sqlite3.connect(data_dir / "notes.sqlite3") as connection:
        connection.executemany("INSERT INTO notes (key, title, body, updated_at) VALUES (?, ?, ?, ?)", notes)
        connection.execute("INSERT INTO store_state (name, value) VALUES ('changes', '1') "
                           "ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
    NotesStore(data_dir).close()
