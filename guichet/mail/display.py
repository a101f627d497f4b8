"""How mail shows on a ticket: what the person wrote this time first, the quoted history and
signature folded away (still there, one click to open)."""

from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.lib.markdown import CACHED_CHARS, CACHED_TEXTS, render_markdown
from guichet.mail.quoting import Folded, fold


@lru_cache(maxsize=CACHED_TEXTS)
def _fold_cached(text: str) -> Folded:
    return fold(text)


def folded_html(text: str) -> SafeString:
    # Every ticket page folds each of its messages again: short ones are folded once.
    text = text or ""
    parts = _fold_cached(text) if len(text) <= CACHED_CHARS else fold(text)
    html = render_markdown(parts.body)
    rest = "\n\n".join(part for part in (parts.signature, parts.quoted) if part.strip())
    if not rest:
        return html
    return format_html(
        '{}<details class="quoted"><summary>{}</summary>{}</details>',
        html,
        _("Show the quoted text"),
        render_markdown(rest),
    )
