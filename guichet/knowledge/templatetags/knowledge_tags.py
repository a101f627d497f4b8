"""An article's Markdown with its own files: `![alt](attachment:ID)` shows the image through
the access-checked download, `[text](attachment:ID)` links to the file."""

import re
import secrets

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from guichet.knowledge.actions.files import INLINE_TYPES
from guichet.lib.markdown import render_markdown

register = template.Library()

# Alt text without brackets or newlines, an id of at most 18 digits: a regex that cannot
# backtrack badly on a huge or malformed body.
IMAGE = re.compile(r"!\[([^\[\]\n]{0,300})\]\(attachment:(\d{1,18})\)")
LINK = re.compile(r"\(attachment:(\d{1,18})\)")


# Python-Markdown slows down more than linearly with the number of inline elements in one
# block (brackets, entities): a 200,000-character body of "[x](" or "&lt;" would take minutes.
# A long text is rendered in chunks of paragraphs; a single paragraph over the chunk size is
# shown as plain text, and a paragraph crowded with brackets has them escaped.
CHUNK_CHARS = 10_000
MAX_BRACKETS = 100
_BLANK = re.compile(r"\n[ \t]*\n")


def _chunks(text: str) -> list[str]:
    """Paragraph groups of at most CHUNK_CHARS, never cutting a fenced code block."""
    chunks: list[str] = []
    current = ""
    in_fence = False
    for block in _BLANK.split(text):
        if block.count("```") % 2:
            in_fence = not in_fence
        if current and len(current) + len(block) > CHUNK_CHARS and not in_fence:
            chunks.append(current)
            current = block
        else:
            current = f"{current}\n\n{block}" if current else block
    if current:
        chunks.append(current)
    return chunks


def _tame(block: str) -> str:
    if block.count("[") > MAX_BRACKETS:  # a paragraph crowded with brackets: literal ones
        return block.replace("\\", "\\\\").replace("[", "\\[")
    return block


def safe_markdown(text: str) -> str:
    """Sanitised HTML of the Markdown, in bounded time whatever the text."""
    if len(text) <= CHUNK_CHARS and text.count("[") <= MAX_BRACKETS:
        return str(render_markdown(text))
    parts = []
    for chunk in _chunks(text):
        if len(chunk) > CHUNK_CHARS:
            parts.append(f"<pre>{escape(chunk)}</pre>")
            continue
        blocks = (_tame(block) for block in _BLANK.split(chunk))
        parts.append(str(render_markdown("\n\n".join(blocks))))
    return "\n".join(parts)


def file_url(article_id: int, attachment_id: int) -> str:
    return reverse("knowledge:file", args=[article_id, attachment_id])


def render_article_text(text: str, article_id: int, attachments: dict) -> SafeString:
    """Sanitised Markdown (guichet.lib.markdown), then the article's images put back.

    The sanitiser allows no <img>: images are swapped for a random placeholder word before
    rendering and replaced after it by markup built here, from the article's own files only.
    """
    text = text or ""
    nonce = secrets.token_hex(6)
    images: list[str] = []

    def image(match: re.Match) -> str:
        alt, pk = match.group(1), int(match.group(2))
        item = attachments.get(pk)
        if item is None:
            markup = f'<span class="muted">{escape(alt or _("missing image"))}</span>'
        elif item.content_type in INLINE_TYPES:
            markup = (
                f'<img src="{escape(file_url(article_id, pk))}" alt="{escape(alt)}" '
                'loading="lazy" class="kb-image">'
            )
        else:
            markup = (
                f'<a href="{escape(file_url(article_id, pk))}">{escape(alt or item.filename)}</a>'
            )
        images.append(markup)
        return f" kbimg{nonce}n{len(images) - 1}x "

    def link(match: re.Match) -> str:
        pk = int(match.group(1))
        if pk not in attachments:
            return match.group(0)
        return f"({file_url(article_id, pk)})"

    html = safe_markdown(LINK.sub(link, IMAGE.sub(image, text)))
    for index, markup in enumerate(images):
        html = html.replace(f" kbimg{nonce}n{index}x ", markup).replace(
            f"kbimg{nonce}n{index}x", markup
        )
    return mark_safe(html)  # noqa: S308 - sanitised Markdown plus markup escaped above


@register.simple_tag
def article_text(article, name: str, language: str, attachments: dict) -> SafeString:
    """`{% article_text article "body" "fr" attachments %}`"""
    return render_article_text(getattr(article, f"{name}_{language}", ""), article.pk, attachments)
