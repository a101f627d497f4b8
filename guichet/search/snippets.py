"""Snippets and relevance, computed in Python on the few candidates of a search.

The engines find the candidates; this module orders them and cuts the extracts. FTS5's
`bm25()`/`snippet()` and PostgreSQL's `ts_rank`/`ts_headline` differ (and the latter reparses
whole documents), so doing it here gives the same order and the same extracts on both
engines. Every character is escaped before `<mark>` is added.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guichet.search.query import fold, variants

WIDTH = 180
# Endings the engines' stemmers take off ("imprimantes" matches "imprimante").
ENDINGS = ("es", "s", "e", "x")
# Relevance reads the start of long texts: what a text is about shows early.
SCORED_CHARS = 800
SNIPPET_CHARS = 20_000


def stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


class Terms:
    """The search terms as one pattern each, matching the start of a folded word."""

    def __init__(self, terms: list[str]):
        self.terms = terms
        self.patterns = []
        for term in terms:
            stems = sorted({stem(form) for form in variants(term)}, key=len, reverse=True)
            alternatives = "|".join(re.escape(s) for s in stems)
            self.patterns.append(re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*"))
        self.matched = 0
        self.any = re.compile("|".join(p.pattern for p in self.patterns)) if terms else None

    def score(self, fields: list[tuple[str, float]]) -> float:
        """For each term, the weight of the best field it appears in; a hit on every term
        counts double. `matched` is then the number of terms found."""
        self.matched = 0
        if not self.patterns:
            return 0.0
        found = [0.0] * len(self.patterns)
        for text, weight in fields:
            if not text:
                continue
            folded = fold(text[:SCORED_CHARS])
            for i, pattern in enumerate(self.patterns):
                if found[i] < weight and pattern.search(folded):
                    found[i] = weight
        total = sum(found)
        self.matched = sum(1 for weight in found if weight)
        return total * 2 if all(found) else total

    def best_text(self, texts: list[str]) -> str:
        """Of an object's texts, the first with a match (else the first that isn't empty)."""
        for text in texts:
            if text and self.any and self.any.search(fold(text[:SNIPPET_CHARS])):
                return text
        return next((text for text in texts if text), "")

    def highlight(self, text: str, *, width: int = WIDTH) -> SafeString:
        """An escaped extract about `width` characters long, starting shortly before the
        first match, each matching word in <mark>."""
        text = " ".join((text or "")[:SNIPPET_CHARS].split())
        if not text:
            return mark_safe("")
        # Folding keeps one character per character for Latin text (accents are separate
        # combining marks, removed); where it does not, fall back to the unmarked start.
        folded = fold(text)
        spans = []
        if self.any and len(folded) == len(text):
            spans = [m.span() for m in self.any.finditer(folded)]
        start = 0
        if spans and spans[0][0] > width // 3:
            start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        parts: list[str] = []
        position = start
        for begin, finish in spans:
            if begin < start or finish > end:
                continue
            parts.append(escape(text[position:begin]))
            parts.append(f"<mark>{escape(text[begin:finish])}</mark>")
            position = finish
        parts.append(escape(text[position:end]))
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 (every part escaped)
