"""Turn a mail kind, a language and a plain context into a subject, a text part and an HTML
part.

Administrators may replace any default template, so templates run in a small sandbox rather
than through the project's template engine:

* a standalone engine with no loader and no library: `include`, `extends`, `load`, `url`,
  `debug`, `ssi`... do not exist there, and `validate` names them before Django would;
* only a handful of tags and filters, none of which can make the output grow without bound
  (loops cannot nest and see at most `LOOP_LIMIT` items, no padding or re-encoding filter);
* the context is copied into read-only plain values, so a template can neither reach a model
  nor change what the next template sees.

The HTML part is never a template: it is the rendered text, escaped, with its links made
clickable, inside a fixed layout. Text and HTML therefore always say the same thing, and
neither a context value nor an administrator can put markup in a mail.

A broken administrator template never stops a notification: `render` falls back to the
default, and `validate` tells the administrator what is wrong when they save it.
"""

import datetime
import functools
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from django.template import Context, Engine, Library, Template, defaultfilters, defaulttags
from django.template.base import Lexer, Parser, Token, TokenType
from django.utils import translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.mail.defaults import DEFAULTS

logger = logging.getLogger(__name__)

SUBJECT_LIMIT = 250
BODY_LIMIT = 20_000
LOOP_LIMIT = 50
DEFAULT_LANGUAGE = "fr"

# Opening tags an administrator may use; their closing and intermediate tags follow.
ALLOWED_TAGS = ("if", "for", "with", "comment", "firstof", "now", "spaceless", "autoescape")
_INNER_TAGS = (
    "elif",
    "else",
    "endif",
    "empty",
    "endfor",
    "endwith",
    "endcomment",
    "endspaceless",
    "endautoescape",
)
# Filters that only shorten, recase or format a value: chaining them cannot blow up the size
# of a mail (unlike ljust, center, stringformat, urlencode, force_escape, join or add).
ALLOWED_FILTERS = (
    "capfirst",
    "cut",
    "date",
    "default",
    "default_if_none",
    "first",
    "last",
    "length",
    "lower",
    "pluralize",
    "slice",
    "slugify",
    "striptags",
    "time",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "wordcount",
    "wordwrap",
    "yesno",
)

_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")
_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)")
# Django's own wording: the line is given separately, and nothing can be loaded here.
_NOISE = re.compile(r" on line \d+| Did you forget to register or load this tag\?")


@dataclass(frozen=True)
class Rendered:
    subject: str  # one line, no CR/LF (header injection impossible), at most 250 chars
    text: str  # the text/plain part
    html: str  # the text/html part: a complete small document saying the same as `text`


class TemplateInvalid(ValueError):
    """An administrator's template that cannot be used; `errors` maps "subject" and/or
    "body" to a message for the form."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class _BoundedSequence:
    """What a sandboxed `{% for %}` iterates over: the real sequence, cut to LOOP_LIMIT."""

    def __init__(self, expression: Any):
        self.expression = expression

    def resolve(self, context: Context, ignore_failures: bool = False) -> Any:
        values = self.expression.resolve(context, ignore_failures=ignore_failures)
        if values is None:
            return None
        if isinstance(values, Mapping):
            values = list(values)
        try:
            return values[:LOOP_LIMIT]
        except TypeError:
            return list(values)[:LOOP_LIMIT]


def _bounded_for(parser: Parser, token: Token) -> Any:
    node = defaulttags.do_for(parser, token)
    node.sequence = _BoundedSequence(node.sequence)  # type: ignore[assignment]
    return node


_LIBRARY = Library()
for _name in ALLOWED_TAGS:
    _LIBRARY.tags[_name] = defaulttags.register.tags[_name]
_LIBRARY.tags["for"] = _bounded_for
for _name in ALLOWED_FILTERS:
    _LIBRARY.filters[_name] = defaultfilters.register.filters[_name]


class _SandboxEngine(Engine):
    """An engine whose only builtins are the sandbox library (Django always adds its own
    default tags, filters and loader tags otherwise)."""

    default_builtins: ClassVar[list[str]] = []

    def get_template_builtins(self, builtins: list[str]) -> list[Library]:
        return [_LIBRARY]


_ENGINE = _SandboxEngine(
    dirs=[], app_dirs=False, loaders=[], libraries={}, builtins=[], debug=False, autoescape=False
)


@functools.lru_cache(maxsize=256)
def _compile(source: str) -> Template:
    return _ENGINE.from_string(source)


def _check_tokens(source: str) -> str:
    """The first forbidden tag, filter or nested loop in `source`, as a message ("" if none)."""
    in_comment = False
    loops = 0
    for token in Lexer(source).tokenize():
        line = token.lineno or 1
        if token.token_type == TokenType.TEXT and not in_comment:
            # Django prints an unclosed "{{" or "{%" as text; it is a typo, not the intent.
            opening = re.search(r"\{\{|\{%", token.contents)
            if opening:
                return _("Line %(line)d: “%(opening)s” is not closed.") % {
                    "line": line + token.contents.count("\n", 0, opening.start()),
                    "opening": opening.group(),
                }
        if token.token_type not in (TokenType.BLOCK, TokenType.VAR):
            continue
        bits = token.split_contents() if token.token_type == TokenType.BLOCK else []
        name = bits[0] if bits else ""
        if in_comment:
            # Django skips everything up to endcomment: what is commented out never runs.
            in_comment = name != "endcomment"
            continue
        if token.token_type == TokenType.BLOCK and name:
            if name not in ALLOWED_TAGS and name not in _INNER_TAGS:
                return _(
                    "Line %(line)d: the “%(tag)s” tag is not allowed in mail templates "
                    "(allowed: %(allowed)s)."
                ) % {"line": line, "tag": name, "allowed": ", ".join(ALLOWED_TAGS)}
            if name == "comment":
                in_comment = True
                continue
            if name == "for":
                loops += 1
                if loops > 1:
                    return _("Line %(line)d: a loop cannot contain another loop.") % {"line": line}
            elif name == "endfor":
                loops = max(loops - 1, 0)
        for found in _FILTER.finditer(_QUOTED.sub('""', token.contents)):
            if found.group(1) not in ALLOWED_FILTERS:
                return _(
                    "Line %(line)d: the “%(filter)s” filter is not allowed in mail templates "
                    "(allowed: %(allowed)s)."
                ) % {"line": line, "filter": found.group(1), "allowed": ", ".join(ALLOWED_FILTERS)}
    return ""


def _check(source: str) -> str:
    problem = _check_tokens(source)
    if problem:
        return problem
    try:
        _compile(source)
    except Exception as exc:  # any parse failure is the administrator's to fix, not a crash
        token = getattr(exc, "token", None)
        line = getattr(token, "lineno", None)
        error = _NOISE.sub("", str(exc))
        if line:
            return _("Syntax error on line %(line)d: %(error)s") % {"line": line, "error": error}
        return _("Syntax error: %(error)s") % {"error": error}
    return ""


def validate(subject: str, body: str) -> None:
    """Raise TemplateInvalid if an administrator's (subject, body) cannot be used."""
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = _("Enter a subject.")
    elif len(subject) > SUBJECT_LIMIT:
        errors["subject"] = _(
            "The subject is too long: %(length)d characters, at most %(limit)d."
        ) % {"length": len(subject), "limit": SUBJECT_LIMIT}
    elif problem := _check(subject):
        errors["subject"] = problem
    if not body.strip():
        errors["body"] = _("Enter the text of the message.")
    elif len(body) > BODY_LIMIT:
        errors["body"] = _("The text is too long: %(length)d characters, at most %(limit)d.") % {
            "length": len(body),
            "limit": BODY_LIMIT,
        }
    elif problem := _check(body):
        errors["body"] = problem
    if errors:
        raise TemplateInvalid(errors)


def _plain(value: Any) -> Any:
    """A read-only copy made of strings, numbers, dates, tuples and mapping proxies: a
    template can call a value's argument-less methods, so nothing it holds may change state
    (dict.clear) or lead anywhere else (a model's methods)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): _plain(item) for key, item in value.items()})
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_plain(item) for item in value)
    return str(value)


def _language(kind: str, language: str) -> str:
    code = (language or "").replace("_", "-").split("-")[0].lower()
    return code if code in DEFAULTS[kind] else DEFAULT_LANGUAGE


def _tidy(text: str) -> str:
    """The rendered body without trailing spaces and with at most one blank line in a row:
    `{% if %}` tags on their own lines leave empty ones behind."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # "-- " keeps its space: it is what mail clients recognise as a signature separator.
    lines = [line if line == "-- " else line.rstrip() for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _one_line(text: str) -> str:
    """Control characters and line or paragraph separators become spaces, runs of spaces
    one: nothing in a subject can start a new header."""
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    )
    return " ".join(text.split())


def _subject(rendered: str, reference: str) -> str:
    subject = _one_line(rendered)
    reference = _one_line(reference)
    prefix = f"[{reference}] " if reference and f"[{reference}]" not in subject else ""
    room = SUBJECT_LIMIT - len(prefix)
    if len(subject) > room:
        subject = subject[: max(room - 1, 0)].rstrip() + "…"
    return (prefix + subject)[:SUBJECT_LIMIT]


def _render_pair(
    source: tuple[str, str], values: Mapping[str, Any], language: str
) -> tuple[str, str]:
    subject_source, body_source = source
    with translation.override(language):
        subject = _compile(subject_source).render(Context(dict(values), autoescape=False))
        body = _compile(body_source).render(Context(dict(values), autoescape=False))
    return subject, _tidy(body)


_LAYOUT = """<!DOCTYPE html>
<html lang="{language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{title}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;color:#1f2937;">
<div role="article" aria-label="{title}" lang="{language}" \
style="max-width:640px;margin:0 auto;padding:16px;">
<div style="background-color:#ffffff;border:1px solid #d1d5db;border-radius:8px;\
padding:24px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,\
sans-serif;font-size:16px;line-height:1.5;color:#1f2937;overflow-wrap:break-word;\
word-wrap:break-word;">
{content}
</div>
</div>
</body>
</html>
"""
_PARAGRAPH = '<p style="margin:0 0 16px 0;">'
_LINK = '<a style="color:#1d4ed8;text-decoration:underline;" '


def _html(subject: str, text: str, language: str) -> str:
    # Escape first, then link: urlize on safe input adds anchors without unescaping anything.
    content = urlize(SafeString(escape(text)), nofollow=True, autoescape=True)
    content = linebreaks(content, autoescape=False)
    # The text is escaped, so these literal tags can only be the ones just added.
    content = content.replace("<p>", _PARAGRAPH).replace("<a ", _LINK)
    return _LAYOUT.format(language=language, title=escape(subject), content=content)


def render(
    kind: str,
    language: str,
    context: dict,
    *,
    reference: str = "",
    override: tuple[str, str] | None = None,
) -> Rendered:
    """The mail of `kind` in `language` ("fr" when unknown), from the administrator's
    `override` (subject, body) when it is usable, otherwise from the default."""
    if kind not in DEFAULTS:
        raise ValueError(f"unknown mail kind: {kind!r}")
    language = _language(kind, language)
    values = _plain(context or {})
    rendered: tuple[str, str] | None = None
    if override is not None:
        try:
            validate(*override)
            rendered = _render_pair(override, values, language)
        except Exception:  # a broken override must never stop a notification
            logger.warning(
                "Mail template for %s (%s) cannot be used, sending the default",
                kind,
                language,
                exc_info=True,
            )
            rendered = None
        if rendered is not None and (not _one_line(rendered[0]) or not rendered[1].strip()):
            logger.warning(
                "Mail template for %s (%s) rendered empty, sending the default", kind, language
            )
            rendered = None
    if rendered is None:
        rendered = _render_pair(DEFAULTS[kind][language], values, language)
    subject = _subject(rendered[0], reference)
    return Rendered(subject=subject, text=rendered[1], html=_html(subject, rendered[1], language))


# What administrators see when they preview a template: every variable set, as the desk of a
# French IT services company would fill it.
EXAMPLE_CONTEXT: dict = {
    "site_name": "Guichet",
    "ticket": {
        "reference": "#4821",
        "id": "4821",
        "title": "Imprimante du 2e étage hors service",
        "status": "En cours",
        "priority": "Haute",
        "url": "http://127.0.0.1:8000/portal/tickets/4821/",
    },
    "recipient": {"name": "Claire Martin"},
    "organisation": {"name": "Cabinet Durand & Associés"},
    "author": "Julien Moreau",
    "message": (
        "Bonjour Madame Martin,\n\n"
        "Je passerai demain matin vers 9 h pour remplacer l'unité de fusion de l'imprimante. "
        "Pourriez-vous prévenir l'accueil de mon arrivée ?\n\n"
        "Julien Moreau"
    ),
    "solution": (
        "L'unité de fusion de l'imprimante HP LaserJet du 2e étage a été remplacée et le "
        "pilote mis à jour sur les postes du service comptable. Une page de test a été "
        "imprimée avec succès."
    ),
    "accept_url": "http://127.0.0.1:8000/mail/answer/NDgyMTo3OjE3NDE2MDAwMDA:1tr9Qe:x2Vb/?accept=1",
    "refuse_url": "http://127.0.0.1:8000/mail/answer/NDgyMTo3OjE3NDE2MDAwMDA:1tr9Qe:x2Vb/?accept=0",
    "satisfaction_url": "http://127.0.0.1:8000/mail/rate/NDgyMTo3OjE3NDE2ODY0MDA:1trVb1:Kp7w/",
    "expires": "lundi 24 mars 2025",
    "reason": "cette adresse n'est rattachée à aucun client de notre service.",
    "note": "La cliente n'est joignable que le matin.",
}


def example_context(kind: str) -> dict:
    """EXAMPLE_CONTEXT with `author` and `message` as they would be for `kind`: the
    requester writes follow-ups and refusals, the desk writes replies and warnings."""
    context = {**EXAMPLE_CONTEXT}
    if kind in ("followup", "refused"):
        context["author"] = "Claire Martin"
        context["recipient"] = {"name": "Julien Moreau"}
    if kind == "followup":
        context["message"] = (
            "Bonjour,\n\nL'imprimante affiche de nouveau « Erreur 50.4 » depuis ce matin, "
            "même après un redémarrage.\n\nClaire Martin"
        )
    elif kind == "refused":
        context["message"] = "Les impressions sortent toujours avec des traces noires."
    elif kind in ("assigned", "escalated", "escalated_up", "sla"):
        context["recipient"] = {"name": "Julien Moreau"}
        context["author"] = "Sophie Lefèvre"
        context["message"] = {
            "assigned": "",
            "escalated": "Transmise à l'équipe Réseau et impression.",
            "escalated_up": "Délai de résolution dépassé de 2 heures.",
            "sla": "Le délai de résolution expire dans 1 heure (aujourd'hui à 16:30).",
        }[kind]
    return context
