"""Tests for sources.text: folding, anchoring and re-anchoring quotes.

Pure functions, no Django: run with ``pytest tests/sources/test_text.py -p no:django``.
Most examples use the real seed articles (fixtures/seeds, byte-for-byte copies), which
contain NBSPs, curly quotes and guillemets as published.
"""

import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sources import text
from sources.text import AnchorResult, Span

SEEDS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"  # copies of the seeds
SEEDS = (
    {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))}
    if SEEDS_DIR.is_dir()
    else {}
)
needs_seeds = pytest.mark.skipif(not SEEDS, reason=f"seed articles not found in {SEEDS_DIR}")

# The conftest's autouse fixture below is a no-op here, so it is safe across examples.
PROPERTY = hypothesis_settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def settings():
    """Stand-in for pytest-django's `settings`, which tests/conftest.py's autouse fixture
    adjusts: this module needs no Django and also runs with ``-p no:django``."""
    return SimpleNamespace(STORAGES={})


def seed(prefix: str) -> str:
    if prefix not in SEEDS:
        pytest.skip(f"seed article {prefix}_*.txt not found in {SEEDS_DIR}")
    return SEEDS[prefix]


def only_span(body: str, exact: str) -> Span:
    """The span of `exact` in `body`, asserting it occurs exactly once (test oracle)."""
    assert body.count(exact) == 1, f"{exact!r} should occur once in the body"
    start = body.index(exact)
    return Span(start, start + len(exact), exact)


# --- fold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("at\xa0the initiative", "at the initiative"),
        ("a \xa0\t\n\u202f\u2009 b", "a b"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("a \u200b b", "a b"),
        ("Ministers\u2019 one\u2018s \u201aq\u201b \u2032 `x\u00b4", "ministers' one's 'q' ' 'x'"),
        ("\u201cWomen\u201d \u201eq\u201f \u00abR\u00bb 5\u2033", '"women" "q" "r" 5"'),
        ("a\u2010b\u2011c\u2012d\u2013e\u2014f\u2015g\u2212h", "a-b-c-d-e-f-g-h"),
        ("Co\u2026", "co..."),
        ("STRASSE Straße", "strasse strasse"),
        ("РОЛЬ Женщин", "роль женщин"),
        ("  padded  ", " padded "),
        ("", ""),
    ],
)
def test_fold_table(raw, folded):
    assert text.fold(raw)[0] == folded


def test_fold_map_points_at_source_characters():
    folded, index_map = text.fold("A\xa0\xa0\u201cB\u2026\u200bß")
    assert folded == 'a "b...ss'
    #                   a  ' ' "  b  .  .  .  s  s  end
    assert index_map == [0, 1, 3, 4, 5, 5, 5, 7, 7, 8]


def test_original_span_keeps_whole_expanded_characters():
    body = "end\u2026 Straße"
    folded, index_map = text.fold(body)
    fs = folded.index("end..")
    assert text.original_span(index_map, fs, fs + len("end..")) == (0, 4)
    fs = folded.index("stras")
    start, end = text.original_span(index_map, fs, fs + len("stras"))
    assert body[start:end] == "Straß"


@given(st.text())
@PROPERTY
def test_fold_map_invariants(raw):
    folded, index_map = text.fold(raw)
    assert len(index_map) == len(folded) + 1
    assert index_map[-1] == len(raw)
    assert index_map == sorted(index_map)
    assert "  " not in folded
    for k, char in enumerate(folded):
        source = raw[index_map[k]]
        if char == " ":
            assert source.isspace()
        else:
            assert not char.isspace()
            assert char in text.fold(source)[0]


@given(st.text(alphabet=st.sampled_from("ab ß\u3000\u2002\u00a0\t\u2014\u201c\u2026\u00ad")))
@PROPERTY
def test_fast_fold_is_fold(raw):
    assert text.fast_fold(raw) == text.fold(raw)


@given(st.text(), st.data())
@PROPERTY
def test_fold_spans_map_back_without_extra_whitespace(raw, data):
    folded, index_map = text.fold(raw)
    inner = [k for k, char in enumerate(folded) if char != " "]
    if not inner:
        return
    fs = data.draw(st.sampled_from(inner))
    fe = data.draw(st.sampled_from([k + 1 for k in inner if k >= fs]))
    start, end = text.original_span(index_map, fs, fe)
    original = raw[start:end]
    assert original == original.strip()
    assert folded[fs:fe] in text.fold(original)[0]


TYPOGRAPHY = "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2026'\"-"
SEPARATORS = [" ", "  ", "\xa0", "\u202f", "\u2009", "\n", "\t", " \n "]
WORDS = ["SCO", "defence", "Ministers", "Women", "peace", "India", "Straße", "of", "the"]
generated_bodies = st.lists(
    st.sampled_from(WORDS + SEPARATORS + list(TYPOGRAPHY) + [",", ".", "..."]),
    min_size=3,
    max_size=80,
).map("".join)


@given(generated_bodies)
@PROPERTY
def test_fold_is_idempotent(raw):
    once = text.fold(raw)[0]
    assert text.fold(once)[0] == once


# --- anchor on the seeds' real text ---------------------------------------------------


@needs_seeds
@pytest.mark.parametrize(
    ("prefix", "typed", "exact"),
    [
        ("000", "at the initiative of India", "at\xa0the initiative of\xa0India"),
        (
            "000",
            "via video conference, on the role of women in the armed forces",
            "via\xa0video conference, on\xa0the role of\xa0women in\xa0the armed forces",
        ),
        (
            "003",
            "meeting of the defence ministers of the Shanghai Cooperation Organisation",
            "meeting of\xa0the defence ministers of\xa0the Shanghai Cooperation Organisation",
        ),
        (
            "001",
            "The Shanghai Cooperation Organisation Defence Ministers' Meeting",
            "The Shanghai Cooperation Organisation Defence Ministers\u2019 Meeting",
        ),
        ("001", "one's own security", "one\u2019s own security"),
        ("002", "Kazakhstan's presidency in the SCO", "Kazakhstan\u2019s presidency in the SCO"),
        ("004", '"This is of particular importance', "\u201cThis is of particular importance"),
        (
            "004",
            "women's participation in peacebuilding",
            "women\u2019s participation in peacebuilding",
        ),
        (
            "000",
            "Vladimir Norov noted that over the 20 years of SCO activity",
            "Vladimir Norov noted that over\xa0the 20 years of\xa0SCO activity",
        ),
    ],
)
def test_anchor_typed_words_find_exact_original_span(prefix, typed, exact):
    body = seed(prefix)
    result = text.anchor(body, typed)
    assert result.status == "found"
    assert result.span == only_span(body, exact)
    assert body[result.span.start : result.span.end] == exact
    assert result.occurrences == (result.span,)
    assert result.closest is None


@needs_seeds
def test_anchor_ignores_case_and_surrounding_whitespace():
    body = seed("000")
    result = text.anchor(body, "  \n AT THE Initiative\tOF india \xa0")
    assert result.found
    assert result.span.exact == "at\xa0the initiative of\xa0India"


@needs_seeds
def test_anchor_across_a_line_break():
    body = seed("000")
    result = text.anchor(
        body, "read out by SCO Deputy Secretary-General Muratbek Azymbakiev. О семинаре"
    )
    assert result.found
    assert result.span.exact.startswith("read out\xa0by SCO")
    assert result.span.exact.endswith("Azymbakiev.\nО семинаре")


@pytest.mark.parametrize("words", ["", "   ", "\xa0\n\t", "\u200b"])
def test_anchor_empty_words_is_not_found_without_closest(words):
    result = text.anchor("Some body text.", words)
    assert result == AnchorResult("not_found", None, (), None)
    assert not result.found


@needs_seeds
def test_anchor_misspelled_word_names_the_right_sentence():
    body = seed("000")
    result = text.anchor(body, "the rolle of women in the armed forces")
    assert result.status == "not_found"
    assert result.span is None and result.occurrences == ()
    assert result.closest is not None
    assert body[result.closest.start : result.closest.end] == result.closest.exact
    assert "the role of\xa0women in\xa0the armed forces" in result.closest.exact
    assert len(result.closest.exact) < 60


@needs_seeds
def test_closest_passage_finds_a_reworded_sentence():
    body = seed("001")
    closest = text.closest_passage(
        body,
        "attempts to ensure ones own security at the expense of other nations are unacceptable",
    )
    assert closest is not None
    assert closest.exact.startswith("attempts to ensure one\u2019s own security")
    assert "at the expense of other countries" in closest.exact


@needs_seeds
def test_anchor_ambiguous_lists_every_occurrence():
    body = seed("004")
    result = text.anchor(body, "Women, Peace and Security")
    assert result.status == "ambiguous"
    assert result.span is None and result.closest is None
    starts = [m.start() for m in re.finditer("women, peace and security", body, re.IGNORECASE)]
    assert [span.start for span in result.occurrences] == starts
    assert len(starts) == 3
    assert all(body[s.start : s.end] == s.exact for s in result.occurrences)


@needs_seeds
def test_anchor_typed_straight_quotes_match_both_curly_occurrences():
    body = seed("004")
    result = text.anchor(body, '"women, peace and security"')
    assert result.status == "ambiguous"
    assert [span.exact for span in result.occurrences] == [
        "\u201cWomen, peace and security\u201d",
        "\u201cWomen, Peace and Security\u201d",
    ]


@needs_seeds
@pytest.mark.parametrize("occurrence", [0, 1, 2])
def test_anchor_occurrence_picks_one(occurrence):
    body = seed("004")
    every = text.anchor(body, "Women, Peace and Security").occurrences
    result = text.anchor(body, "Women, Peace and Security", occurrence=occurrence)
    assert result.status == "found"
    assert result.span == every[occurrence]
    assert result.occurrences == (every[occurrence],)


def test_anchor_occurrence_out_of_range_stays_ambiguous():
    result = text.anchor("the SCO and the SCO", "the sco", occurrence=2)
    assert result.status == "ambiguous"
    assert len(result.occurrences) == 2
    with pytest.raises(ValueError):
        text.anchor("the SCO and the SCO", "the sco", occurrence=-1)


def test_anchor_single_occurrence_ignores_choice():
    result = text.anchor("only once here", "once", occurrence=0, near=999)
    assert result.found and result.span == Span(5, 9, "once")


@needs_seeds
def test_anchor_near_picks_the_closest_occurrence():
    body = seed("004")
    every = text.anchor(body, "Women, Peace and Security").occurrences
    for span in every:
        assert text.anchor(body, "Women, Peace and Security", near=span.start + 3).span == span
    last = text.anchor(body, "women, peace and security", near=len(body))
    assert last.span == every[-1]


def test_anchor_near_exact_tie_stays_ambiguous():
    body = "ab xx ab"
    assert text.anchor(body, "ab", near=4).status == "ambiguous"
    assert text.anchor(body, "ab", near=3).span == Span(0, 2, "ab")
    assert text.anchor(body, "ab", near=5).span == Span(6, 8, "ab")
    assert text.anchor("aaa", "aa", near=1).status == "ambiguous"  # inside both


def test_anchor_overlapping_occurrences_are_all_listed():
    result = text.anchor("aaaa", "aa")
    assert [(s.start, s.end) for s in result.occurrences] == [(0, 2), (1, 3), (2, 4)]


def test_anchor_matches_inside_an_expanded_character_once():
    assert text.anchor("Co\u2026", ".") == text.anchor("Co\u2026", "..")
    assert text.anchor("Co\u2026", ".").span == Span(2, 3, "\u2026")
    assert [s.exact for s in text.anchor("Straße sea", "s").occurrences] == ["S", "ß", "s"]


def test_anchor_ellipsis_and_dashes_both_ways():
    body = "Central Control & Co\u2026 and 2019\u20132021 \u2014 done"
    assert text.anchor(body, "control & co...").span.exact == "Control & Co\u2026"
    assert text.anchor(body, "2019-2021 - done").span.exact == "2019\u20132021 \u2014 done"
    assert text.anchor("wait...", "wait\u2026").span == Span(0, 7, "wait...")


@needs_seeds
@given(st.data())
@PROPERTY
def test_anchor_altered_substring_of_seed_returns_same_span(data):
    body = data.draw(st.sampled_from(sorted(SEEDS.values())))
    start, end = draw_substring(data, body, min_size=4, max_size=70)
    check_anchor_roundtrip(data, body, start, end)


@given(generated_bodies, st.data())
@PROPERTY
def test_anchor_altered_substring_of_generated_text_returns_same_span(body, data):
    if not body.strip():
        return
    start, end = draw_substring(data, body, min_size=1, max_size=40)
    check_anchor_roundtrip(data, body, start, end)


@given(generated_bodies, st.sampled_from(WORDS), st.data())
@PROPERTY
def test_anchor_repeated_substring_is_ambiguous(filler, word, data):
    quote = f"{word}\xa0\u201c{word}\u2019s\u201d"
    body = f"{quote}{filler} {quote.upper()} {filler}"
    result = text.anchor(body, alter(data, quote))
    assert result.status == "ambiguous"
    assert Span(0, len(quote), quote) in result.occurrences
    assert len(result.occurrences) >= 2
    assert all(body[s.start : s.end] == s.exact for s in result.occurrences)


def draw_substring(data, body, *, min_size, max_size):
    """A substring that starts and ends with a visible, non-space character."""
    visible = [k for k, char in enumerate(body) if not char.isspace() and text.fold(char)[0]]
    start = data.draw(st.sampled_from(visible))
    ends = [k + 1 for k in visible if start + min_size <= k + 1 <= start + max_size]
    end = data.draw(st.sampled_from(ends)) if ends else start + 1
    return start, end


STRAIGHTEN = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"'}
STRAIGHTEN |= {"\u00bb": '"', "\u2013": "-", "\u2014": "-"}
CURL = {"'": ["\u2018", "\u2019"], '"': ["\u201c", "\u201d", "\u00ab"], "-": ["\u2013"]}


def alter(data, exact: str) -> str:
    """How an editor might type `exact`: other whitespace, quotes and case."""
    typed = []
    for part in re.split(r"(\s+)", exact):
        if part and part.isspace():
            typed.append(data.draw(st.sampled_from(SEPARATORS)))
            continue
        for char in part:
            options = [char, STRAIGHTEN.get(char, char), *CURL.get(char, [])]
            options += [c for c in (char.upper(), char.lower()) if text.fold(c) == text.fold(char)]
            typed.append(data.draw(st.sampled_from(options)))
    padding = st.sampled_from(["", " ", "\n", "\xa0 "])
    return data.draw(padding) + "".join(typed) + data.draw(padding)


def check_anchor_roundtrip(data, body, start, end):
    exact = body[start:end]
    typed = alter(data, exact)
    folded_body, needle = text.fold(body)[0], text.fold(exact)[0]
    count = sum(folded_body.startswith(needle, k) for k in range(len(folded_body)))
    result = text.anchor(body, typed)
    span = Span(start, end, exact)
    if count == 1:
        assert result.status == "found", (exact, typed)
        assert result.span == span
    else:
        assert count > 1
        assert span in result.occurrences
        assert result.status == "ambiguous" or len(needle) < 4


# --- context, excerpt, normalise_newlines ----------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "size", "expected"),
    [
        (10, 14, 4, ("6789", "EFGH")),
        (2, 4, 32, ("01", "456789ABCDEFGHIJ")),
        (0, 20, 32, ("", "")),
        (10, 10, 3, ("789", "ABC")),
    ],
)
def test_context(start, end, size, expected):
    assert text.context("0123456789ABCDEFGHIJ", start, end, size) == expected


def test_context_default_size():
    body = "x" * 100 + "QUOTE" + "y" * 100
    prefix, suffix = text.context(body, 100, 105)
    assert prefix == "x" * text.CONTEXT_CHARS and suffix == "y" * text.CONTEXT_CHARS


EXCERPT_BODY = "First one. Second has the quote here! Third? Fourth.\nNew para. 次の文。最後"


@pytest.mark.parametrize(
    ("quote", "sentences", "expected"),
    [
        ("the quote", 1, ("Second has ", " here!")),
        ("the quote", 2, ("First one. Second has ", " here! Third?")),
        ("Second has", 1, ("First one. ", " the quote here!")),
        ("Third?", 1, ("Second has the quote here! ", " Fourth.")),
        ("Fourth.", 1, ("Third? ", "\nNew para.")),
        ("New para.", 1, ("Fourth.\n", " 次の文。")),
        ("次の文。", 1, ("New para. ", "最後")),
        (
            "First",
            9,
            ("", " one. Second has the quote here! Third? Fourth.\nNew para. 次の文。最後"),
        ),
    ],
)
def test_excerpt(quote, sentences, expected):
    start = EXCERPT_BODY.index(quote)
    assert text.excerpt(EXCERPT_BODY, start, start + len(quote), sentences) == expected


def test_excerpt_does_not_split_at_dots_inside_words():
    body = "Growth was 3.5 per cent at U.N.-run sites overall. Next."
    start = body.index("per cent")
    assert text.excerpt(body, start, start + 8) == (
        "Growth was 3.5 ",
        " at U.N.-run sites overall.",
    )


def test_excerpt_is_fast_on_long_whitespace_runs():
    body = "a" + " " * 50_000 + "b"
    began = time.perf_counter()
    assert text.excerpt(body, 0, 1) == ("", " " * 50_000 + "b")
    assert time.perf_counter() - began < 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb\r", "a\nb\n"),
        ("a\r\r\nb", "a\n\nb"),
        ("a\n\xa0b\t", "a\n\xa0b\t"),
    ],
)
def test_normalise_newlines(raw, expected):
    assert text.normalise_newlines(raw) == expected


# --- closest_passage ---------------------------------------------------------------------


@pytest.mark.parametrize(("body", "words"), [("", "words"), ("  \n", "words"), ("body", " ")])
def test_closest_passage_none_without_words(body, words):
    assert text.closest_passage(body, words) is None


@needs_seeds
def test_closest_passage_is_fast_on_a_long_body():
    body = "\n\n".join(SEEDS.values())
    body = (body + "\n") * (20_000 // len(body) + 1)
    assert len(body) >= 20_000
    tail = "Tajikistan chaired a meeting of the defense ministers of the Shanghai Cooperation"
    began = time.perf_counter()
    closest = text.closest_passage(body + " Zebra crossing. " + tail, "zebra crosing")
    assert time.perf_counter() - began < 2
    assert closest.exact == "Zebra crossing."


# --- reanchor ----------------------------------------------------------------------------


def stored(body: str, exact: str, occurrence: int = 0):
    """(exact, prefix, suffix, start) of a quote as Quote.save would store it."""
    start = [m.start() for m in re.finditer(re.escape(exact), body)][occurrence]
    prefix, suffix = text.context(body, start, start + len(exact))
    return exact, prefix, suffix, start


@needs_seeds
def test_reanchor_after_text_inserted_before_the_quote():
    body = seed("003")
    exact, prefix, suffix, start = stored(body, "Peace Mission 2021")
    note = "Editor's note: updated.\n"
    result = text.reanchor(note + body, exact, prefix, suffix, start)
    assert result.found
    assert result.span == Span(start + len(note), start + len(note) + len(exact), exact)


@needs_seeds
def test_reanchor_after_whitespace_changed_inside_the_body():
    body = seed("000")
    exact, prefix, suffix, start = stored(body, "at\xa0the initiative of\xa0India")
    edited = body.replace("\xa0", " ")
    result = text.reanchor(edited, exact, prefix, suffix, start)
    assert result.found
    assert result.span == Span(start, start + len(exact), "at the initiative of India")


@needs_seeds
def test_reanchor_after_the_quoted_sentence_is_deleted():
    body = seed("002")
    sentence = next(line for line in body.splitlines() if line.startswith("Hosted as part"))
    exact, prefix, suffix, start = stored(body, "the event has drawn the participation")
    edited = body.replace(sentence + "\n", "")
    result = text.reanchor(edited, exact, prefix, suffix, start)
    assert result.status == "not_found"
    assert result.span is None and result.occurrences == ()
    assert result.closest is not None and result.closest.exact in edited


@pytest.mark.parametrize("which", [0, 1])
def test_reanchor_prefix_and_suffix_pick_the_right_occurrence(which):
    body = "In Astana the ministers met. Later, in Dushanbe the ministers met again."
    exact, prefix, suffix, old_start = stored(body, "the ministers met", which)
    # Swap the two sentences: old_start now points nearer the wrong occurrence.
    edited = "Later, in Dushanbe the ministers met again. In Astana the ministers met."
    expected_after = " again." if which else "."
    result = text.reanchor(edited, exact, prefix, suffix, old_start)
    assert result.found
    assert edited[result.span.end :].startswith(expected_after)
    assert result.span.exact == exact


@pytest.mark.parametrize(
    ("prefix", "suffix", "expected_start"),
    [
        ("In Astana ", "", 10),
        ("Later, in Dushanbe ", "", 48),
        ("", " again.", 48),
        ("", ". Later", 10),
        ("ASTANA\xa0", "", 10),  # compared folded
    ],
)
def test_reanchor_prefix_or_suffix_alone_decides(prefix, suffix, expected_start):
    body = "In Astana the ministers met. Later, in Dushanbe the ministers met again."
    result = text.reanchor(body, "the ministers met", prefix, suffix)
    assert result.found
    assert result.span == Span(expected_start, expected_start + 17, "the ministers met")


def test_reanchor_old_start_breaks_a_tie_and_no_tie_breaker_is_ambiguous():
    body = "the SCO met. the SCO met. the SCO met."
    spans = text.anchor(body, "the SCO met").occurrences
    for span in spans:
        result = text.reanchor(body, "the SCO met", old_start=span.start + 2)
        assert result.span == span
    assert text.reanchor(body, "the SCO met").status == "ambiguous"


def test_reanchor_prefers_exact_matches_to_folded_ones():
    body = "Ministers\u2019 Meeting one. Ministers' Meeting two."
    result = text.reanchor(body, "Ministers' Meeting", old_start=0)
    start = body.index("Ministers' Meeting")
    assert result.span == Span(start, start + 18, "Ministers' Meeting")
    result = text.reanchor(body, "MINISTERS\u2019 MEETING TWO")
    assert result.span.exact == "Ministers' Meeting two"


def test_reanchor_empty_exact_is_not_found():
    assert text.reanchor("body", "") == AnchorResult("not_found", None, (), None)


@needs_seeds
@given(st.data())
@PROPERTY
def test_reanchor_follows_a_quote_through_unrelated_edits(data):
    body = data.draw(st.sampled_from(sorted(SEEDS.values())))
    start, end = draw_substring(data, body, min_size=20, max_size=60)
    exact = body[start:end]
    prefix, suffix = text.context(body, start, end)
    before = data.draw(st.text(alphabet="xyz \n\xa0", max_size=30))
    after = data.draw(st.text(alphabet="xyz \n\xa0", max_size=30))
    cut = data.draw(st.integers(0, start))
    edited = body[:cut] + before + body[cut:end] + after + body[end:]
    result = text.reanchor(edited, exact, prefix, suffix, start)
    occurrences = text.anchor(body, exact).occurrences
    if len(occurrences) == 1:
        assert result.span == Span(start + len(before), end + len(before), exact)
    else:  # a repeated phrase: whatever is chosen is that phrase, never other text
        assert result.status in {"found", "ambiguous"}
        assert all(s.exact == exact for s in result.occurrences)


@needs_seeds
def test_reanchor_all_reports_found_and_lost_keys():
    body = seed("003")
    quotes = [
        ("peace", *stored(body, "Peace Mission 2021")),
        ("dushanbe", *stored(body, "member states in\xa0Dushanbe")),
        ("gone", "a sentence that was never there at all", "", "", 0),
        ("twice", "the SCO", "", "", None),
    ]
    edited = "New lead paragraph.\n" + body.replace("\xa0", " ")
    spans, lost = text.reanchor_all(edited, [tuple(q) for q in quotes])
    assert set(spans) == {"peace", "dushanbe"}
    assert lost == ["gone", "twice"]
    assert spans["peace"].exact == "Peace Mission 2021"
    assert edited[spans["dushanbe"].start : spans["dushanbe"].end] == "member states in Dushanbe"


# --- the module stays free of Django -------------------------------------------------------


def test_module_does_not_import_django():
    module = Path(text.__file__)
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('text_alone', {str(module)!r})\n"
        "mod = importlib.util.module_from_spec(spec); sys.modules['text_alone'] = mod\n"
        "spec.loader.exec_module(mod)\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
        "print(mod.anchor('a\\xa0b', 'A B').span.exact == 'a\\xa0b')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


def test_segments_split_overlapping_spans_and_rebuild_the_body():
    body = "abcdefghij"
    pieces = text.segments(body, [("a", 1, 5), ("b", 3, 8), ("bad", 9, 4)])
    assert "".join(piece for piece, _ in pieces) == body
    assert pieces == [
        ("a", ()),
        ("bc", ("a",)),
        ("de", ("a", "b")),
        ("fgh", ("b",)),
        ("ij", ()),
    ]
