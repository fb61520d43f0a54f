"""Anchoring quotes in article text: pure functions, standard library only, no Django.

The archive stores a quote as an exact span of an article's clean ``body``
(``body[start:end] == exact``) plus a little ``prefix``/``suffix`` context, like a W3C
TextQuoteSelector. Editors type or paste words that differ from the body in trivial ways:
an ordinary space for a no-break space, straight quotes for curly ones, a hyphen for a
dash, "..." for "…", other capitals. :func:`fold` erases those differences and keeps a
map from every folded character back to the original text, so a match found with
``str.find`` on folded text converts back to the exact original span.

- :func:`anchor` turns typed words into a span: found, ambiguous (with every occurrence)
  or not found (with the closest passage, for the error message).
- :func:`reanchor` / :func:`reanchor_all` re-find stored quotes after the body is edited,
  using prefix/suffix and the old offset to choose among several occurrences.
- :func:`context` and :func:`excerpt` give the text around a span.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

CONTEXT_CHARS = 32  # default prefix/suffix length

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032`\u00b4\u2039\u203a"  # ‘ ’ ‚ ‛ ′ ` ´ ‹ ›
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"  # “ ” „ ‟ « » ″
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # ‐ ‑ ‒ – — ― −

# Characters folded to something other than their casefold.
_REPLACE = {
    **dict.fromkeys(_SINGLE_QUOTES, "'"),
    **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    **dict.fromkeys(_DASHES, "-"),
    "\u2026": "...",  # …
}
# Invisible characters that are dropped altogether: zero-width space, non-joiner and
# joiner, word joiner, byte-order mark, soft hyphen. They neither break nor make a word.
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def fold(text: str) -> tuple[str, list[int]]:
    """Fold text for matching, with a map back to the original.

    Every run of whitespace (any ``str.isspace()`` character: NBSP, narrow NBSP, thin
    space, tabs, newlines…) becomes one ``" "``; invisible characters (zero-width space,
    soft hyphen…) are dropped; typographic single quotes become ``'``, double quotes
    ``"``, dashes ``-``, an ellipsis ``...``; everything is casefolded.

    Returns ``(folded, index_map)`` where ``index_map[k]`` is the index in ``text`` of the
    character that produced ``folded[k]`` (for a whitespace run: its first character),
    and ``index_map[len(folded)] == len(text)``. A folded span ``[fs, fe)`` that neither
    starts nor ends with a space maps back to exactly ``text[index_map[fs]:
    index_map[fe - 1] + 1]`` (see :func:`original_span`): no whitespace lost or added.
    """
    out: list[str] = []
    index_map: list[int] = []
    in_space = False
    for i, char in enumerate(text):
        if char in _DROP:
            continue
        if char.isspace():
            if not in_space:
                out.append(" ")
                index_map.append(i)
                in_space = True
            continue
        in_space = False
        folded = _REPLACE.get(char)
        if folded is None:
            folded = char.casefold()
        out.append(folded)
        index_map.extend([i] * len(folded))
    index_map.append(len(text))
    return "".join(out), index_map


# What fold() does one character for one, for str.translate (C speed): quotes, dashes
# and the usual spaces. Anything else fold() changes is left for _NOT_ONE_FOR_ONE to spot.
_ONE_FOR_ONE = str.maketrans(
    {
        **{char: r for char, r in _REPLACE.items() if len(r) == 1},
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\t\n\r", " "),
    }
)
_NOT_ONE_FOR_ONE = re.compile("[\u2026" + "".join(sorted(_DROP)) + "]| {2}|[^\\S ]")


def fast_fold(text: str) -> tuple[str, list[int]]:
    """:func:`fold`, quicker for the common text where every character folds to one
    (the index map is then the identity); other text goes through :func:`fold`."""
    folded = text.translate(_ONE_FOR_ONE).casefold()
    if len(folded) != len(text) or _NOT_ONE_FOR_ONE.search(folded):
        return fold(text)
    return folded, list(range(len(text) + 1))


def fold_key(text: str) -> str:
    """``" ".join(fold(text)[0].split())`` — the folded words only, for comparing two
    texts — without building an index map when every character folds to one."""
    folded = text.translate(_ONE_FOR_ONE).casefold()
    if len(folded) != len(text) or _NOT_ONE_FOR_ONE.search(folded.replace("  ", " ")):
        folded = fold(text)[0]
    return " ".join(folded.split())


def original_span(index_map: list[int], fs: int, fe: int) -> tuple[int, int]:
    """The original ``(start, end)`` of the folded span ``[fs, fe)``.

    A span ending inside a character that folded to several (``…`` -> ``...``,
    ``ß`` -> ``ss``) takes in that whole character.
    """
    if fe <= fs:
        start = index_map[fs]
        return start, start
    return index_map[fs], index_map[fe - 1] + 1


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str  # body[start:end]


@dataclass(frozen=True)
class AnchorResult:
    status: str  # "found" | "ambiguous" | "not_found"
    span: Span | None  # the match when found
    occurrences: tuple[Span, ...]  # 1 when found, >1 when ambiguous, empty when not found
    closest: Span | None  # when not found: the closest passage of the body, if any

    @property
    def found(self) -> bool:
        return self.status == "found"


def _found(span: Span) -> AnchorResult:
    return AnchorResult("found", span, (span,), None)


def _ambiguous(spans: list[Span]) -> AnchorResult:
    return AnchorResult("ambiguous", None, tuple(spans), None)


def _not_found(closest: Span | None) -> AnchorResult:
    return AnchorResult("not_found", None, (), closest)


class _Folded:
    """A body folded once, for several searches (see :func:`reanchor_all`)."""

    def __init__(self, body: str):
        self.body = body
        self.folded, self.index_map = fold(body)

    def find_all(self, words: str) -> list[Span]:
        """Every span of the body whose folded form contains folded ``words``, in order.

        Overlapping matches count (``"aa"`` occurs twice in ``"aaa"``); matches that map
        to the same original span (inside an expanded character) are reported once.
        """
        needle = fold(words)[0].strip(" ")
        if not needle:
            return []
        spans: list[Span] = []
        seen: set[tuple[int, int]] = set()
        find = self.folded.find
        fs = find(needle)
        while fs != -1:
            start, end = original_span(self.index_map, fs, fs + len(needle))
            if (start, end) not in seen:
                seen.add((start, end))
                spans.append(Span(start, end, self.body[start:end]))
            fs = find(needle, fs + 1)
        return spans


def _find_exact(body: str, exact: str) -> list[Span]:
    spans = []
    start = body.find(exact)
    while start != -1:
        spans.append(Span(start, start + len(exact), exact))
        start = body.find(exact, start + 1)
    return spans


def _gap(span: Span, offset: int) -> int:
    """How far ``offset`` is from ``span``: 0 when inside it (or at either end)."""
    return max(span.start - offset, offset - span.end, 0)


def _nearest(spans: list[Span], distance: Callable[[Span], int]) -> Span | None:
    """The span at the least ``distance``; None on a tie (we never guess)."""
    ranked = sorted(spans, key=distance)
    if len(ranked) > 1 and distance(ranked[0]) == distance(ranked[1]):
        return None
    return ranked[0]


def anchor(
    body: str, words: str, *, occurrence: int | None = None, near: int | None = None
) -> AnchorResult:
    """Find typed or pasted ``words`` in ``body``, folding both (see :func:`fold`).

    Leading/trailing whitespace of ``words`` is ignored. The span returned is the exact
    body text (its NBSPs, curly quotes and case). One occurrence -> "found". Several ->
    "ambiguous" with all of them, unless ``occurrence`` (a 0-based index into them) or
    else ``near`` (a character offset: the occurrence nearest to it, or containing it;
    a tie stays ambiguous) picks one. An out-of-range ``occurrence`` leaves the choice ambiguous.
    Not found -> "not_found" with the closest passage; empty words -> closest None.
    """
    if occurrence is not None and occurrence < 0:
        raise ValueError(f"occurrence must be 0 or more, not {occurrence}")
    if not fold(words)[0].strip(" "):
        return _not_found(None)
    spans = _Folded(body).find_all(words)
    if not spans:
        return _not_found(closest_passage(body, words))
    if len(spans) == 1:
        return _found(spans[0])
    if occurrence is not None and occurrence < len(spans):
        return _found(spans[occurrence])
    if near is not None:
        nearest = _nearest(spans, lambda span: _gap(span, near))
        if nearest is not None:
            return _found(nearest)
    return _ambiguous(spans)


def context(body: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """(prefix, suffix): up to ``size`` characters of ``body`` before start and after end."""
    return body[max(0, start - size) : start], body[end : end + size]


_WORD = re.compile(r"\S+")
_SHORTLIST = 6  # windows kept from the cheap first pass of closest_passage


def closest_passage(body: str, words: str) -> Span | None:
    """The passage of ``body`` most like ``words``: a whole-word span of similar length.

    Slides a window of as many body words as ``words`` has over the folded body and
    ranks every window by ``difflib``'s cheap ``quick_ratio`` (same characters); the
    best few, also one word shorter or longer at either end, are then ranked by the
    real ``ratio``. Linear in the body, so ~20,000 characters take milliseconds.
    None when ``words`` or ``body`` has no words.
    """
    target = fold(words)[0].strip(" ")
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(body)]
    if not target or not tokens:
        return None
    folded_tokens = [fold(body[start:end])[0] for start, end in tokens]
    size = min(len(target.split(" ")), len(tokens))

    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(target)  # seq2 is the one difflib indexes once

    def window(first: int, last: int) -> str:
        return " ".join(folded_tokens[first:last])

    quick = []
    for first in range(len(tokens) - size + 1):
        matcher.set_seq1(window(first, first + size))
        quick.append((-matcher.quick_ratio(), first))
    quick.sort()

    best: tuple[float, int, int] | None = None  # (-ratio, first, last)
    for _, first in quick[:_SHORTLIST]:
        for lo in (first - 1, first, first + 1):
            for hi in (first + size - 1, first + size, first + size + 1):
                if lo < 0 or hi > len(tokens) or hi <= lo:
                    continue
                matcher.set_seq1(window(lo, hi))
                candidate = (-matcher.ratio(), lo, hi)
                if best is None or candidate < best:
                    best = candidate
    assert best is not None
    start, end = tokens[best[1]][0], tokens[best[2] - 1][1]
    return Span(start, end, body[start:end])


def _common_prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(body: str, span: Span, prefix: str, suffix: str) -> int:
    """How many folded characters of prefix/suffix agree with the text around ``span``."""
    # Fold a generous window: whitespace runs in the body may fold to fewer characters.
    before = fold(body[max(0, span.start - 2 * len(prefix) - 8) : span.start])[0]
    after = fold(body[span.end : span.end + 2 * len(suffix) + 8])[0]
    return _common_prefix_len(fold(prefix)[0][::-1], before[::-1]) + _common_prefix_len(
        fold(suffix)[0], after
    )


def _choose(
    body: str, spans: list[Span], prefix: str, suffix: str, old_start: int | None
) -> Span | None:
    """The one span whose surroundings best match prefix/suffix, then nearest old_start."""
    if len(spans) == 1:
        return spans[0]
    scores = [_context_score(body, span, prefix, suffix) for span in spans]
    top = max(scores)
    best = [span for span, score in zip(spans, scores, strict=True) if score == top]
    if len(best) == 1:
        return best[0]
    if old_start is None:
        return None
    return _nearest(best, lambda span: abs(span.start - old_start))


def _reanchor(
    folded: _Folded, exact: str, prefix: str, suffix: str, old_start: int | None
) -> AnchorResult:
    body = folded.body
    if not exact.strip():
        return _not_found(None)
    for spans in (_find_exact(body, exact), folded.find_all(exact)):
        if spans:
            chosen = _choose(body, spans, prefix, suffix, old_start)
            return _found(chosen) if chosen else _ambiguous(spans)
    return _not_found(closest_passage(body, exact))


def reanchor(
    body: str, exact: str, prefix: str = "", suffix: str = "", old_start: int | None = None
) -> AnchorResult:
    """Re-find a stored quote in a (possibly edited) body.

    Exact occurrences of ``exact`` are tried first, folded ones (see :func:`fold`) only
    when there is none. Among several occurrences the one whose surrounding text best
    matches ``prefix``/``suffix`` (compared folded, outwards from the quote) wins, then
    the one nearest ``old_start``; if that still leaves a tie, the result is
    "ambiguous" rather than a guess. Gone -> "not_found" with the closest passage.
    """
    return _reanchor(_Folded(body), exact, prefix, suffix, old_start)


def reanchor_all(
    body: str, quotes: Iterable[tuple[Hashable, str, str, str, int]]
) -> tuple[dict, list]:
    """Re-find many quotes in one body, folding it once.

    ``quotes`` yields ``(key, exact, prefix, suffix, old_start)``. Returns
    ``({key: Span}, [keys])``: the new span of every quote re-found, and the keys of the
    quotes that can no longer be found or are now ambiguous (never silently re-pointed).
    """
    folded = _Folded(body)
    spans: dict = {}
    lost: list = []
    for key, exact, prefix, suffix, old_start in quotes:
        result = _reanchor(folded, exact, prefix, suffix, old_start)
        if result.found:
            spans[key] = result.span
        else:
            lost.append(key)
    return spans, lost


# A sentence ends at . ! ? (and closing quotes or brackets after it) followed by
# whitespace, at 。, or at a newline. Every alternative starts with a fixed character,
# so matching stays linear even on long runs of whitespace.
_SENTENCE_BREAK = re.compile(r"(?P<end>[.!?]+[\"'”’»)\]]*)\s+|(?P<cjk>。)\s*|\n\s*")


def _sentence_bounds(body: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the sentences of ``body``, each sorted."""
    starts, ends = [0], []
    for match in _SENTENCE_BREAK.finditer(body):
        ends.append(match.start() + len(match["end"] or match["cjk"] or ""))
        starts.append(match.end())
    ends.append(len(body))
    return starts, ends


def excerpt(body: str, start: int, end: int, sentences: int = 1) -> tuple[str, str]:
    """(before, after): the quote's sentence around it, and whole sentences beyond.

    ``before`` runs from the start of the ``sentences``-th sentence start before
    ``start``: with ``sentences=1`` that is the beginning of the quote's own sentence, or
    the whole previous sentence when the quote starts one. ``after`` mirrors it up to
    the ``sentences``-th sentence end after ``end``. Sentences end at . ! ? followed by
    whitespace, at 。 and at newlines.
    """
    starts, ends = _sentence_bounds(body)
    earlier = [s for s in starts if s < start]
    later = [e for e in ends if e > end]
    first = earlier[-sentences] if len(earlier) >= sentences else 0
    last = later[sentences - 1] if len(later) >= sentences else len(body)
    return body[first:start], body[end:last]


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` -> ``\\n``; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise(text: str) -> str:
    """The one stored form of a body: ``\\n`` line endings and Unicode NFC.

    Browsers send CRLF and outlets mix composed and decomposed letters; comparing or
    anchoring anything before this runs would count characters that later vanish."""
    return unicodedata.normalize("NFC", normalise_newlines(text))


_SENTENCE_END = set('.!?:;。！？…"”»)]')
_HARD_BREAK = re.compile(r"(?<=\S)\n(?=\S)")


def reflow(body: str) -> str:
    """``body`` for reading: a lone line break inside a sentence (an outlet's hard wrap)
    becomes a space. Same length as ``body``, so every offset still points at the same
    character; paragraph breaks and lines that end a sentence stay."""
    return _HARD_BREAK.sub(lambda m: "\n" if body[m.start() - 1] in _SENTENCE_END else " ", body)


def removed_lines(original: str, body: str) -> list[list[tuple[str, bool]]]:
    """The lines of ``original``, each as ``[(text, removed), …]``: what cleaning dropped
    from ``body`` — whole lines, or the words it trimmed from a line's start or end
    (compared folded, so typography does not count as a change)."""
    kept = fold(body)[0]
    lines = []
    for line in normalise(original).split("\n"):
        if not line.strip() or fold(line.strip())[0] in kept:
            lines.append([(line, False)])
            continue
        lines.append(_trimmed(line, kept))
    return lines


def _trimmed(line: str, kept: str) -> list[tuple[str, bool]]:
    """A line only partly kept: the longest run of its words found in ``kept``."""
    words = line.split(" ")
    best = (0, 0, 0)  # (length, start, end) in words
    for start in range(len(words)):
        for end in range(len(words), start, -1):
            if end - start <= best[0]:
                break
            if fold(" ".join(words[start:end]).strip())[0] in kept:
                best = (end - start, start, end)
                break
    length, start, end = best
    if length < 3:  # a stray word or two in common is no evidence the line was kept
        return [(line, True)]
    pieces = [
        (" ".join(words[:start]) + (" " if start else ""), True),
        (" ".join(words[start:end]), False),
        ((" " if end < len(words) else "") + " ".join(words[end:]), True),
    ]
    return [(text, gone) for text, gone in pieces if text]


def script_language(text: str, default: str = "en") -> str:
    """A language tag for a short text by its script: Chinese characters → ``zh``,
    Cyrillic → ``ru``, anything else → ``default``. For names and titles whose language
    is not recorded (each needs its own ``lang``, WCAG 3.1.2)."""
    for char in text or "":
        if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
            return "zh"
        if "\u0400" <= char <= "\u04ff":
            return "ru"
    return default


def segments(body: str, spans: Iterable[tuple[Hashable, int, int]]) -> list[tuple[str, tuple]]:
    """Split `body` at every span boundary, for highlighting quotes that may overlap.

    `spans` are (key, start, end). Returns [(text, keys covering that text)], in body
    order; concatenating the texts gives `body` back. Keys keep the order of `spans`.
    """
    spans = [(key, start, end) for key, start, end in spans if 0 <= start < end <= len(body)]
    cuts = sorted({0, len(body), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    pieces = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        keys = tuple(key for key, start, end in spans if start <= left and right <= end)
        pieces.append((body[left:right], keys))
    return pieces
