"""Content checks: each kind of bad file gets the message an author needs, at the right line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cma_desktop.cli import main
from cma_desktop.content.loader import MAX_FILE_BYTES, check_files, load_content
from cma_desktop.content.problems import ContentError
from tests.conftest import write
from tests.samples import MINIMAL, line_of


def problems_for(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path / "content.toml", text)
    return [str(p) for p in check_files([path])]


def only_problem(tmp_path: Path, text: str) -> tuple[int, str]:
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1, problems
    _file, line, message = problems[0].split(":", 2)
    return int(line), message.strip()


def test_minimal_sample_is_valid(tmp_path: Path) -> None:
    assert problems_for(tmp_path, MINIMAL) == []
    content = load_content([write(tmp_path / "c.toml", MINIMAL)])
    assert [d.id for d in content.duties] == ["vital-signs", "scheduling"]
    assert content.settings[0].share.value == "57%"


def test_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    text = MINIMAL.replace('version = "1.0"', 'version = "1.0')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(MINIMAL, 'version = "1.0"')
    assert message.startswith("syntax error at column ")
    assert "(at line" not in message


@pytest.mark.parametrize(
    ("slip", "advice"),
    [
        ('title = "Clinical "Fast Track" Certificate"', "a quote inside the text may end it early"),
        ('title = "Clinical certificate', "the closing quote is missing"),
        ('title = \u201cClinical certificate\u201d', "the quote at column 9 is a curly quote (\u201c), which does not count"),
        ('title = "Clinical certificate\u201d', "the quote at column 30 is a curly quote (\u201d), which does not count"),
        ('title = "See C:\\Users\\lab"', "write \\\\ for one backslash"),
        ('title = "A"\ntitle = "B"', "this key is set twice"),
        ('ti\u00a0tle = "A"', "an invisible character may have been pasted"),
    ],
)
def test_syntax_errors_say_what_to_change(tmp_path: Path, slip: str, advice: str) -> None:
    """The mistakes people make typing TOML by hand get advice, not only the parser's words."""
    text = MINIMAL.replace('title = "Scheduling appointments"', slip, 1)
    assert text != MINIMAL
    line, message = only_problem(tmp_path, text)
    assert line == line_of(MINIMAL, 'title = "Scheduling appointments"') + (1 if "twice" in advice else 0)
    assert message.startswith("syntax error at column ") and advice in message


def test_utf16_without_its_byte_order_mark_is_named(tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_bytes(MINIMAL.encode("utf-16-le"))
    problems = [str(p) for p in check_files([path])]
    assert problems == [f"{path}:1: the file holds NUL characters, as UTF-16 text does; save it with UTF-8 encoding"]


def test_a_reference_with_a_slip_gets_a_suggestion(tmp_path: Path) -> None:
    text = MINIMAL.replace('related = ["duties/scheduling"]', 'related = ["duties/sheduling"]', 1)
    assert text != MINIMAL
    _line, message = only_problem(tmp_path, text)
    assert message.endswith('refers to "duties/sheduling", which does not exist (did you mean "duties/scheduling"?)')


def test_many_broken_references_are_all_named_and_only_the_first_get_suggestions(tmp_path: Path) -> None:
    """Each suggestion compares the word with every id: thousands of them in a large pack took minutes."""
    duties = "".join(f'''
[[duties]]
id = "extra-{number}"
title = "Extra {number}"
category = "clinical"
summary = "More."
body = "More."
sources = ["bls"]
related = ["duties/sheduling"]
''' for number in range(300))
    problems = problems_for(tmp_path, MINIMAL + duties)
    broken = [p for p in problems if 'refers to "duties/sheduling"' in p]
    assert len(broken) == 300
    suggested = [p for p in broken if "did you mean" in p]
    assert 1 <= len(suggested) <= 20 and broken[0] in suggested


@pytest.mark.parametrize(("old", "new", "where", "says"), [
    ('url = "https://www.bls.gov/ooh/healthcare/medical-assistants.htm"',
     'url = "https://www.bls.gov/ooh/health care/medical-assistants.htm"', "sources[0].url", "has a space"),
    ('title = "Scheduling appointments"', 'title = "Scheduling\\nappointments"', "duties[1].title", "must be one line"),
])
def test_addresses_with_spaces_and_titles_with_line_breaks_are_named(tmp_path: Path, old: str, new: str, where: str,
                                                                    says: str) -> None:
    """Either would break the Markdown the app builds around it: a link cut short, a list item split."""
    text = MINIMAL.replace(old, new, 1)
    assert text != MINIMAL
    _line, message = only_problem(tmp_path, text)
    assert message.startswith(where) and says in message


@pytest.mark.parametrize(("body", "says"), [
    ("word " * 4_001, "is 20,005 characters long; at most 20,000"),
    ("see " + "x" * 2_001, "has 2,001 characters with no space between them"),
    ("*_" * 1_000 + "x" + "_*" * 1_000, "has 4,001 characters with no space between them"),
])
def test_text_too_long_to_lay_out_quickly_is_named(tmp_path: Path, body: str, says: str) -> None:
    """A pack's body of 800 KB of *_ marks, or one 400,000-character word, passed validate and then
    froze the window for minutes when its topic was shown."""
    text = MINIMAL.replace('body = "Keeps the day running."', f'body = "{body}"', 1)
    assert text != MINIMAL
    _line, message = only_problem(tmp_path, text)
    assert message.startswith('duties[1].body (id "scheduling"): ') and says in message


@pytest.mark.parametrize(("link", "says"), [
    ("[our site](https://example.org/adult ed)", 'the link address "https://example.org/adult ed" has a space in it'),
    ("[write to us](health@example.org)", 'the link address "health@example.org" would show as plain text'),
])
def test_links_in_text_that_would_not_work_are_named(tmp_path: Path, link: str, says: str) -> None:
    """The app shows such a link as text, or links only half of its address: the author finds out here."""
    text = MINIMAL.replace('body = "Keeps the day running."', f'body = "See {link}."', 1)
    _line, message = only_problem(tmp_path, text)
    assert message.startswith('duties[1].body (id "scheduling"): ') and says in message


def test_the_longest_text_allowed_is_accepted(tmp_path: Path) -> None:
    text = MINIMAL.replace('body = "Keeps the day running."', f'body = "{("y" * 1_999 + " ") * 10}"', 1)
    assert problems_for(tmp_path, text) == []


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    text = MINIMAL.replace('summary = "Booking visits."', 'sumary = "Booking visits."')
    problems = problems_for(tmp_path, text)
    expected_line = line_of(text, "sumary")
    assert f'content.toml:{expected_line}: duties[1].sumary (id "scheduling"): unknown key "sumary" (did you mean "summary"?)' in "\n".join(problems)
    assert any('missing required key "summary"' in p for p in problems)


def test_wrong_type_names_the_key_path(tmp_path: Path) -> None:
    text = MINIMAL.replace("data_year = 2024\nsource", 'data_year = "2024"\nsource')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, 'data_year = "2024"')
    assert message == 'quick_facts[0].data_year (id "median-pay"): expected a whole number, got a string'


def test_missing_field_points_at_the_table_header(tmp_path: Path) -> None:
    text = MINIMAL.replace('category = "administrative"\n', "")
    line, message = only_problem(tmp_path, text)
    header_line = [n for n, l in enumerate(text.splitlines(), 1) if l == "[[duties]]"][1]
    assert line == header_line
    assert message == 'duties[1] (id "scheduling"): missing required key "category"'


def test_bad_choice_suggests_the_right_one(tmp_path: Path) -> None:
    text = MINIMAL.replace('category = "clinical"', 'category = "clincal"')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, "clincal")
    assert message == 'duties[0].category (id "vital-signs"): "clincal" is not one of: clinical, administrative (did you mean "clinical"?)'


def test_duplicate_id(tmp_path: Path) -> None:
    text = MINIMAL.replace('id = "scheduling"', 'id = "vital-signs"').replace('related = ["duties/scheduling"]', "")
    line, message = only_problem(tmp_path, text)
    assert line == [n for n, l in enumerate(text.splitlines(), 1) if l == 'id = "vital-signs"'][1]
    assert "duplicate id \"vital-signs\"" in message


def test_broken_reference(tmp_path: Path) -> None:
    text = MINIMAL.replace('related = ["duties/scheduling"]', 'related = ["duties/scheduling", "faq/no-such-question"]')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, "related =")
    assert message == 'duties[0].related[1] (id "vital-signs"): refers to "faq/no-such-question", which does not exist'


def test_malformed_reference(tmp_path: Path) -> None:
    text = MINIMAL.replace('related = ["duties/scheduling"]', 'related = ["scheduling"]')
    _line, message = only_problem(tmp_path, text)
    assert '"scheduling" is not a reference: write kind/id' in message


def test_figure_without_source(tmp_path: Path) -> None:
    text = MINIMAL.replace('{ label = "Share of time", value = "10%", data_year = 2024, source = "bls" }',
                           '{ label = "Share of time", value = "10%", data_year = 2024 }')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, "Share of time")
    assert message == 'duties[1].figures[0] (id "scheduling"): missing required key "source"'


def test_figure_without_data_year(tmp_path: Path) -> None:
    text = MINIMAL.replace('value = "57%", data_year = 2024, ', 'value = "57%", ')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, "share =")
    assert message == 'settings[0].share (id "physician-offices"): missing required key "data_year"'


def test_figure_citing_an_unknown_source(tmp_path: Path) -> None:
    text = MINIMAL.replace('data_year = 2024\nsource = "bls"', 'data_year = 2024\nsource = "blss"')
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, 'source = "blss"')
    assert message == 'quick_facts[0].source (id "median-pay"): cites source "blss", which no [[sources]] entry defines (did you mean "bls"?)'


def test_source_nobody_cites(tmp_path: Path) -> None:
    extra = '\n[[sources]]\nid = "unused"\ntitle = "T"\npublisher = "P"\nurl = "https://example.org/"\nyear = 2024\n'
    text = MINIMAL + extra
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, 'id = "unused"') - 1
    assert message == 'sources[1] (id "unused"): no item or figure cites this source; cite it or remove it'


def test_quoted_date(tmp_path: Path) -> None:
    _line, message = only_problem(tmp_path, MINIMAL.replace("updated = 2026-11-28", 'updated = "2026-11-28"'))
    assert message == "meta.updated: expected a date like 2026-11-28 (without quotes), got a string"


def test_source_address_must_be_https(tmp_path: Path) -> None:
    _line, message = only_problem(tmp_path, MINIMAL.replace("https://www.bls.gov", "http://www.bls.gov"))
    assert "must be an https:// address" in message


def test_invalid_id(tmp_path: Path) -> None:
    text = MINIMAL.replace('id = "pay"', 'id = "Pay Question"')
    _line, message = only_problem(tmp_path, text)
    assert message == 'faq[0].id (id "Pay Question"): "Pay Question" is not a valid id: use lowercase letters, digits and hyphens'


def test_empty_text(tmp_path: Path) -> None:
    _line, message = only_problem(tmp_path, MINIMAL.replace('title = "Taking vital signs"', 'title = "  "'))
    assert message == 'duties[0].title (id "vital-signs"): must not be empty'


def test_unknown_table(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[dutys]]\nid = "x"\n'
    line, message = only_problem(tmp_path, text)
    assert line == line_of(text, "[[dutys]]")
    assert message == 'dutys: unknown table "dutys" (did you mean "duties"?)'


def test_missing_meta_in_base_file(tmp_path: Path) -> None:
    text = MINIMAL.replace('[meta]\ntitle = "Test content"\nversion = "1.0"\nupdated = 2026-11-28\n', "")
    assert "missing required table [meta]" in only_problem(tmp_path, text)[1]


def test_empty_file(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, "")
    assert any("missing required table [meta]" in p for p in problems)
    assert any("missing required table [overview]" in p for p in problems)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("Test content", "Caf\u00e9").encode("latin-1"))
    problems = [str(p) for p in check_files([path])]
    assert problems == [f"{path}:2: the file is not UTF-8 text; save it with UTF-8 encoding"]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert check_files([path]) == []


def test_missing_file_and_folder(tmp_path: Path) -> None:
    problems = [str(p) for p in check_files([tmp_path / "nope.toml"])]
    assert problems == [f"{tmp_path / 'nope.toml'}:1: cannot read the file: No such file or directory"]
    assert "is a folder" in str(check_files([tmp_path])[0])


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    problems = [str(p) for p in check_files([path])]
    assert problems == [f"{path}:1: the file is larger than 16 MiB, the most a content file may be"]


def test_nesting_too_deep_for_the_parser(tmp_path: Path) -> None:
    assert only_problem(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n") == (1, "tables or arrays are nested too deeply to read")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="a POSIX device file is needed")
def test_a_device_or_pipe_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/dev/zero"]) == 1  # would read for ever
    assert capsys.readouterr().out == "/dev/zero:1: is not a regular file, so it is not a content file\n"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (MINIMAL.replace('category = "clinical"', 'category = "surgical"')
            .replace("data_year = 2024\nsource", 'data_year = "soon"\nsource')
            .replace('related = ["duties/scheduling"]', 'related = ["duties/nothing"]')
            .replace('id = "pay"', 'id = "pay"\ncolour = "blue"'))
    problems = problems_for(tmp_path, text)
    assert len(problems) == 4, problems
    joined = "\n".join(problems)
    for fragment in ('"surgical" is not one of', "expected a whole number", '"duties/nothing"', 'unknown key "colour"'):
        assert fragment in joined


def test_text_with_an_empty_source_list(tmp_path: Path) -> None:
    text = MINIMAL.replace('sources = ["bls"]\nrelated = ["duties/scheduling"]', 'sources = []\nrelated = ["duties/scheduling"]', 1)
    line, message = only_problem(tmp_path, text)
    assert message == 'duties[0].sources (id "vital-signs"): name at least one source for this text'
    assert line == line_of(text, "sources = []")


def test_a_broken_item_still_has_its_id_and_its_figure_source_checked(tmp_path: Path) -> None:
    text = (MINIMAL.replace('id = "vital-signs"', 'id = "Vital Signs"').replace('category = "clinical"', "category = 3")
            .replace('value = "57%", data_year = 2024, source = "bls"', 'value = 57, data_year = 2024, source = "blss"'))
    problems = problems_for(tmp_path, text)
    assert any('"Vital Signs" is not a valid id' in p for p in problems), problems
    assert any("share.source" in p and 'cites source "blss"' in p for p in problems), problems


def test_load_content_raises_with_all_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", MINIMAL.replace('category = "clinical"', 'category = "x"').replace('id = "pay"', 'id = "P"'))
    with pytest.raises(ContentError) as raised:
        load_content([path])
    assert len(raised.value.problems) == 2


def test_pack_overrides_and_adds(tmp_path: Path) -> None:
    base = write(tmp_path / "base.toml", MINIMAL)
    pack = write(tmp_path / "pack.toml", '''
[[duties]]
id = "scheduling"
title = "Scheduling, the local way"
category = "administrative"
summary = "Our clinic's scheduling."
body = "Local text."
sources = ["bls"]

[[faq]]
id = "local-contact"
question = "Who do I talk to here?"
answer = "The career center."
category = "work"
sources = ["bls"]
related = ["duties/vital-signs"]
''')
    content = load_content([base, pack])
    assert [d.title for d in content.duties] == ["Taking vital signs", "Scheduling, the local way"]
    assert [f.id for f in content.faq] == ["pay", "local-contact"]


def test_validate_command_exit_status_and_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "good.toml", MINIMAL)
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == ""
    bad = write(tmp_path / "bad.toml", MINIMAL.replace('category = "clinical"', 'category = "x"').replace("year = 2025", 'year = "2025"'))
    assert main(["validate", str(bad)]) == 1
    out_lines = capsys.readouterr().out.splitlines()
    assert len(out_lines) == 2
    assert all(line.startswith(f"{bad}:") for line in out_lines)


def test_each_problem_stays_on_one_line_whatever_the_file_quotes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.toml", MINIMAL.replace('category = "clinical"', 'category = "a\\nb"\n"odd\\nkey" = 1'))
    assert main(["validate", str(bad)]) == 1
    out_lines = capsys.readouterr().out.splitlines()
    assert len(out_lines) == 2 and all(line.startswith(f"{bad}:") for line in out_lines)
    assert any('"a\\nb" is not one of' in line for line in out_lines)


def test_a_missing_file_does_not_hide_the_problems_of_the_next(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = write(tmp_path / "pack.toml", '[[faq]]\nid = "Bad Id"\nquestion = "Q?"\nanswer = "A."\ncategory = "work"\n'
                 'sources = ["nowhere"]\n')
    assert main(["validate", str(tmp_path / "missing.toml"), str(pack)]) == 1
    out = capsys.readouterr().out
    assert "missing.toml:1: cannot read the file" in out
    assert "is not a valid id" in out and 'cites source "nowhere"' in out


def test_validate_layers_packs_as_the_app_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each pack is checked on the packs before it that check out, so validate and the app agree."""
    base = write(tmp_path / "content.toml", MINIMAL)
    uses = write(tmp_path / "10-programs.toml", '[[faq]]\nid = "local"\nquestion = "Q?"\nanswer = "A."\n'
                 'category = "work"\nsources = ["district"]\n')
    defines = write(tmp_path / "20-sources.toml", '[[sources]]\nid = "district"\ntitle = "District catalog"\n'
                    'publisher = "District"\nurl = "https://example.org/"\nyear = 2026\n'
                    '[[faq]]\nid = "other"\nquestion = "Q2?"\nanswer = "A2."\ncategory = "work"\nsources = ["district"]\n')
    assert main(["validate", str(base), str(uses), str(defines)]) == 1  # the app would skip 10-programs
    assert 'cites source "district", which no [[sources]] entry defines' in capsys.readouterr().out
    assert main(["validate", str(base), str(defines), str(uses)]) == 0


def test_a_pack_replacing_the_only_item_citing_a_bundled_source_is_fine(tmp_path: Path) -> None:
    """The bundled source is left uncited by the pack's new text: no problem of the pack's, nor one its author can fix."""
    onet = '[[sources]]\nid = "onet"\ntitle = "O*NET"\npublisher = "O*NET"\nurl = "https://www.onetonline.org/"\nyear = 2026\n\n'
    base = write(tmp_path / "content.toml", MINIMAL.replace("[overview]", onet + "[overview]", 1)
                 .replace('sources = ["bls"]\nrelated = ["duties/scheduling"]', 'sources = ["onet"]\nrelated = ["duties/scheduling"]', 1))
    assert check_files([base]) == []
    pack = write(tmp_path / "pack.toml", '[[duties]]\nid = "vital-signs"\ntitle = "Vital signs"\nsummary = "S."\n'
                 'body = "B."\ncategory = "clinical"\nsources = ["bls"]\n')
    assert check_files([base, pack]) == []


def test_a_later_pack_replacing_an_earlier_packs_figure_is_blamed_on_nothing(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A yearly update replaces last year's wage, citing a new source: both packs load, none is blamed."""
    base = write(tmp_path / "content.toml", MINIMAL)
    wage = ('[[sources]]\nid = "{sid}"\ntitle = "Wages"\npublisher = "State"\nurl = "https://example.org/"\nyear = 2026\n'
            '[[local_wages]]\nid = "hourly"\narea = "Lakeside"\nlabel = "Median hourly pay"\nvalue = "$21"\n'
            'data_year = {year}\nsource = "{sid}"\n')
    older = write(tmp_path / "10-lakeside.toml", wage.format(sid="wages-2024", year=2024))
    update = write(tmp_path / "20-update.toml", wage.format(sid="wages-2025", year=2025))
    assert main(["validate", str(base), str(older), str(update)]) == 0, capsys.readouterr().out


def test_a_sources_file_read_before_the_pack_citing_it_checks_out(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The split docs/content-format.md suggests: 10-sources.toml, then 20-programs.toml citing it."""
    from cma_desktop.content.loader import load_with_packs

    base = write(tmp_path / "content.toml", MINIMAL)
    sources = write(tmp_path / "10-sources.toml", '[[sources]]\nid = "catalog"\ntitle = "Catalog"\npublisher = "College"\n'
                    'url = "https://example.org/"\nyear = 2026\n[[sources]]\nid = "spare"\ntitle = "Unused"\n'
                    'publisher = "College"\nurl = "https://example.org/spare"\nyear = 2026\n')
    programs = write(tmp_path / "20-programs.toml", '[[faq]]\nid = "local"\nquestion = "Q?"\nanswer = "A."\n'
                     'category = "work"\nsources = ["catalog"]\n')
    assert main(["validate", str(base), str(sources), str(programs)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f'{sources}:7: sources[1] (id "spare"): no item or figure cites this source; cite it or remove it']
    content, skipped = load_with_packs(base, [sources, programs])  # the app loads both
    assert skipped == [] and content.find("faq/local") is not None


def test_validate_notes_an_item_a_pack_replaces_without_failing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Replacing by id is how packs override; done by accident, the author should hear of it."""
    base = write(tmp_path / "content.toml", MINIMAL)
    pack = write(tmp_path / "pack.toml", '[[faq]]\nid = "pay"\nquestion = "Local pay?"\nanswer = "A."\n'
                 'category = "pay"\nsources = ["bls"]\n')
    assert main(["validate", str(base), str(pack)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f'note: {pack}:2: faq "pay" replaces the one in {base}\n'


def test_validate_notes_a_table_a_pack_replaces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second pack's [center], or a pack's [overview], replaces the earlier one whole: said as for ids."""
    base = write(tmp_path / "content.toml", MINIMAL)
    center = '[center]\nname = "{name}"\ncontact = "Room 1"\nsources = ["bls"]\n'
    district = write(tmp_path / "district.toml", center.format(name="District"))
    college = write(tmp_path / "college.toml", center.format(name="College"))
    assert main(["validate", str(base), str(district), str(college)]) == 0
    assert capsys.readouterr().err == f"note: {college}:1: [center] replaces the one in {district}\n"


def test_an_id_with_a_line_break_at_its_end(tmp_path: Path) -> None:
    text = MINIMAL.replace('id = "pay"', 'id = "pay\\n"')
    line, message = only_problem(tmp_path, text)
    assert message.endswith('is not a valid id: use lowercase letters, digits and hyphens')


def test_a_pack_cannot_set_meta(tmp_path: Path) -> None:
    base = write(tmp_path / "content.toml", MINIMAL)
    pack = write(tmp_path / "pack.toml", '[meta]\ntitle = "Ours"\nversion = "1"\nupdated = 2026-01-01\n')
    assert [str(p) for p in check_files([base, pack])] == [
        f"{pack}:1: meta: a pack cannot set [meta]: the version and date belong to the bundled content "
        "(a complete content file of your own needs [overview] too)"]


def test_validate_checks_a_pack_on_top_of_the_bundled_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = write(tmp_path / "pack.toml", '''
[[faq]]
id = "local-contact"
question = "Who do I talk to here?"
answer = "The career center."
category = "work"
sources = ["bls-ooh"]
related = ["duties/vital-signs", "duties/does-not-exist"]
''')
    assert main(["validate", str(pack)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [f'{pack}:8: faq[0].related[1] (id "local-contact"): refers to "duties/does-not-exist", which does not exist']


def test_bundled_content_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    from cma_desktop.locations import bundled_content_path

    assert main(["validate", str(bundled_content_path())]) == 0, capsys.readouterr().out


def test_content_changed_with_replace_finds_its_own_items(bundled_content: object) -> None:
    """Its lookups were copied along with the fields, so a replaced item was still found as it was."""
    import dataclasses

    content: Any = bundled_content
    first = content.duties[0]
    assert content.find(f"duties/{first.id}") is first  # the lookup is filled
    renamed = dataclasses.replace(first, title="Renamed")
    changed = dataclasses.replace(content, duties=(renamed, *content.duties[1:]))
    assert changed.find(f"duties/{first.id}") is renamed and content.find(f"duties/{first.id}") is first
