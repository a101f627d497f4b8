"""How mail shows on a ticket: what the person wrote this time first, the quoted history and
signature folded away (still there, one click to open)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.lib.markdown import render_markdown
from guichet.mail.quoting import fold


def folded_html(text: str) -> SafeString:
    parts = fold(text or "")
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
