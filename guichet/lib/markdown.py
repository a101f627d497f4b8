"""Markdown rendered safely: HTML in the source is escaped or stripped, links get rel=noopener."""

import threading
from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}


_local = threading.local()


def _converter() -> md.Markdown:
    """One converter per thread: building one costs more than converting a short text."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = md.Markdown(extensions=["fenced_code", "tables", "sane_lists", "nl2br"])
        _local.converter = converter
    return converter


# A ticket page is shown again after every action on it (htmx swaps it whole): its
# description and follow-ups are rendered from the same texts many times over. Short texts
# are kept, rendered, by the process; long ones are rendered each time, so that memory stays
# bounded (at most CACHED_TEXTS × CACHED_CHARS characters of source).
CACHED_TEXTS = 2048
CACHED_CHARS = 4000


def render_markdown(text: str) -> SafeString:
    text = text or ""
    if len(text) <= CACHED_CHARS:
        return _cached(text)
    return _render(text)


@lru_cache(maxsize=CACHED_TEXTS)
def _cached(text: str) -> SafeString:
    return _render(text)


def _render(text: str) -> SafeString:
    html = _converter().reset().convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 output is sanitised
