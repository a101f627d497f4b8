"""The knowledge base as a folder of Markdown files, to keep in git and edit by hand.

Layout (every name below is fixed unless said otherwise)::

    knowledge.yaml                 format: 1   (marks the root; required on import)
    <uid>/                         one folder per article, named by its uid: a new title never
                                   renames it, so git history follows the article
        meta.yaml                  uid, kind, status, audience, keywords, software,
                                   categories (codes), organisations (names)
        fr.md, en.md               each language version that has any text; missing = empty
        attachments/<name>         the article's files, under safe names

A language file is YAML front matter between two `---` lines, then the Markdown body::

    ---
    title: Réinitialiser un mot de passe
    symptom: |-                    a known error's symptom, cause, workaround and solution
      ...                          (always written for a known error, only when not empty
    ---                            otherwise)
    The body, exactly as stored, followed by one newline (only when the body is not empty).

Exact round trip: the body is written byte for byte (CR, trailing spaces, `---` lines,
leading `#`...); one final newline is added and taken off again. Front matter values are
literal blocks where YAML can keep them exactly, double-quoted with escapes otherwise (CR,
tabs, trailing spaces on a line, Unicode line separators). Output is UTF-8 with LF line ends,
keys in a fixed order, lists sorted, so exporting twice gives the same bytes. Markdown links
`attachment:<id>` to the article's own files become `attachments/<name>` on export and go back
to the new ids on import. Times, revisions, votes and ticket links are not exported.

On import, folder names do not matter (meta.yaml's uid does), files starting with a dot are
skipped (`.git`), files beside the article folders are ignored (a README), and anything
unexpected inside an article folder is refused. Reading the files safely (size limits, zip
traps) is in `transfer_files.py`; comparing with the database and saving in
`actions/transfer.py`.
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from guichet.knowledge.choices import (
    KNOWN_ERROR_FIELDS,
    LANGUAGES,
    ArticleKind,
    ArticleStatus,
    Audience,
)

FORMAT = 1
ROOT_FILE = "knowledge.yaml"
META_FILE = "meta.yaml"
ATTACHMENTS = "attachments"
META_KEYS = (
    "uid",
    "kind",
    "status",
    "audience",
    "keywords",
    "software",
    "categories",
    "organisations",
)
TEXT_KEYS = ("title", *KNOWN_ERROR_FIELDS)
# Mirrors the model and actions.articles.MAX_TEXT_CHARS; checked here so a refusal names
# the file and the field instead of coming back from the action without them.
MAX_CHARS = {"title": 250, "keywords": 500, "software": 500}
MAX_TEXT_CHARS = 200_000
SAFE_NAME = re.compile(r"[^\w.-]+")
# Characters YAML turns into plain newlines inside block scalars: such text is escaped.
_YAML_BREAKS = re.compile("[\r\x85\u2028\u2029]")


@dataclass(frozen=True)
class Problem:
    """Why an import is refused: the file (relative to the root), the field, the reason."""

    path: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.path} ({self.field})" if self.field else self.path
        return f"{where}: {self.message}"


class TransferError(Exception):
    """Input that cannot be imported; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ArticleData:
    """One article as it stands in the folder (attachment links as `attachments/<name>`)."""

    uid: str
    kind: str = ArticleKind.ARTICLE
    status: str = ArticleStatus.DRAFT
    audience: str = Audience.INTERNAL
    keywords: str = ""
    software: str = ""
    categories: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # "title_fr", "body_en"...
    attachments: dict[str, bytes] = field(default_factory=dict)
    folder: str = field(default="", compare=False)

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    @property
    def title(self) -> str:
        return self.text("title_fr").strip() or self.text("title_en").strip()


# --- YAML ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """SafeDumper choosing the style of strings: literal blocks for multi-line text."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if _YAML_BREAKS.search(value):
        style = '"'
    elif "\n" in value:
        style = "|"  # the emitter falls back to double quotes if a block would lose anything
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict) -> str:
    # A huge width: folded long lines would be exact too, but noisy in diffs.
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000_000,
        line_break="\n",
    )


def load_yaml(text: str, path: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)s)") % {"line": mark.line + 1} if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise TransferError(
            [
                Problem(
                    path,
                    _("Invalid YAML%(where)s: %(reason)s") % {"where": where, "reason": reason},
                )
            ]
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TransferError([Problem(path, _("Expected “key: value” lines."))])
    return data


# --- Export -------------------------------------------------------------------------------


def safe_name(name: str) -> str:
    """A file name that is the same on every system and needs no escaping in Markdown."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = SAFE_NAME.sub("-", name).strip("-.")[:120]
    return name or "file"


def unique_names(filenames: list[str]) -> list[str]:
    """Safe names, made distinct even where the file system ignores case."""
    seen: set[str] = set()
    names = []
    for filename in filenames:
        base = safe_name(filename)
        stem, dot, ext = base.rpartition(".") if "." in base[1:] else (base, "", "")
        candidate, number = base, 1
        while candidate.lower() in seen:
            number += 1
            candidate = f"{stem}-{number}{dot}{ext}"
        seen.add(candidate.lower())
        names.append(candidate)
    return names


def links_to_paths(text: str, names: dict[int, str]) -> str:
    """`attachment:<id>` of this article's files → `attachments/<name>`."""
    if not names:
        return text

    def replace(match: re.Match) -> str:
        name = names.get(int(match.group(1)))
        return f"{ATTACHMENTS}/{name}" if name else match.group(0)

    return re.sub(r"(?<![\w/])attachment:(\d+)(?!\d)", replace, text)


def paths_to_links(text: str, ids: dict[str, int]) -> str:
    """`attachments/<name>` of this article's files → `attachment:<id>`."""
    if not ids:
        return text
    names = "|".join(re.escape(n) for n in sorted(ids, key=len, reverse=True))
    pattern = rf"(?<![\w/.-]){ATTACHMENTS}/({names})(?![\w.-])"
    return re.sub(pattern, lambda m: f"attachment:{ids[m.group(1)]}", text)


def render_article(data: ArticleData) -> dict[str, bytes]:
    """The files of one article folder, by name relative to it."""
    meta = {key: getattr(data, key) for key in META_KEYS}
    meta["categories"] = sorted(data.categories)
    meta["organisations"] = sorted(data.organisations)
    files = {META_FILE: dump_yaml(meta).encode()}
    for lang in LANGUAGES:
        values = {name: data.text(f"{name}_{lang}") for name in (*TEXT_KEYS, "body")}
        if not any(values.values()):
            continue
        front = {"title": values["title"]}
        for name in KNOWN_ERROR_FIELDS:
            if data.kind == ArticleKind.KNOWN_ERROR or values[name]:
                front[name] = values[name]
        body = values["body"]
        text = f"---\n{dump_yaml(front)}---\n{body + chr(10) if body else ''}"
        files[f"{lang}.md"] = text.encode()
    for name, content in data.attachments.items():
        files[f"{ATTACHMENTS}/{name}"] = content
    return files


# --- Import -------------------------------------------------------------------------------

_OPENING = re.compile(r"---[ \t]*\r?\n")
_CLOSING = re.compile(r"^---[ \t]*(\r?\n|\Z)", re.MULTILINE)


def split_front_matter(text: str, path: str) -> tuple[str, str]:
    """(front matter, body) of a language file; the body loses the one newline we added."""
    text = text.removeprefix("\ufeff")  # editors on Windows may add a byte order mark
    opening = _OPENING.match(text)
    if not opening:
        raise TransferError([Problem(path, _("The file must start with a “---” line."))])
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        raise TransferError([Problem(path, _("The front matter has no closing “---” line."))])
    body = text[closing.end() :]
    newline = closing.group(1) or "\n"
    return text[opening.end() : closing.start()], body.removesuffix(newline)


def decode(content: bytes, path: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TransferError(
            [Problem(path, _("Not UTF-8 text (byte %(position)s).") % {"position": error.start})]
        ) from None


def _string(value, path: str, key: str, problems: list[Problem]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(Problem(path, _("Expected text; put it in quotes."), key))
        return ""
    if "\x00" in value:
        problems.append(Problem(path, _("Contains a NUL character, which cannot be stored."), key))
    limit = MAX_CHARS.get(key, MAX_TEXT_CHARS)
    if len(value) > limit:
        problems.append(
            Problem(
                path,
                _("At most %(limit)s characters (this has %(count)s).")
                % {"limit": limit, "count": len(value)},
                key,
            )
        )
    return value


def _names(value, path: str, key: str, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(path, _("Expected a list of names."), key))
        return []
    return sorted(set(value))


def _choice(value, choices, path: str, key: str, problems: list[Problem], default: str) -> str:
    if value is None:
        return default
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        problems.append(
            Problem(
                path,
                _("Unknown value “%(value)s” (expected one of: %(allowed)s).")
                % {"value": value, "allowed": allowed},
                key,
            )
        )
        return default
    return value


def _unknown_keys(data: dict, allowed, path: str, problems: list[Problem]) -> None:
    for key in data:
        if key not in allowed:
            problems.append(Problem(path, _("Unknown field."), str(key)))


def _language(data: ArticleData, lang: str, content: bytes, path: str, problems) -> None:
    try:
        front_text, body = split_front_matter(decode(content, path), path)
        front = load_yaml(front_text, path)
    except TransferError as error:
        problems.extend(error.problems)
        return
    _unknown_keys(front, TEXT_KEYS, path, problems)
    for name in TEXT_KEYS:
        data.texts[f"{name}_{lang}"] = _string(front.get(name), path, name, problems)
    data.texts[f"body_{lang}"] = _string(body, path, "body", problems)


def parse_article(folder: str, files: dict[str, bytes]) -> ArticleData:
    """One article folder (files by name relative to it) → its data; refuses with every
    problem found, each naming the file and the field."""
    problems: list[Problem] = []
    meta_path = f"{folder}/{META_FILE}"
    if META_FILE not in files:
        raise TransferError([Problem(meta_path, _("Missing: every article folder needs one."))])
    try:
        meta = load_yaml(decode(files[META_FILE], meta_path), meta_path)
    except TransferError as error:
        raise TransferError(error.problems) from None
    _unknown_keys(meta, META_KEYS, meta_path, problems)
    try:
        uid = str(uuid.UUID(str(meta.get("uid") or "")))
    except ValueError:
        raise TransferError([Problem(meta_path, _("Missing or not a valid uid."), "uid")]) from None
    data = ArticleData(uid=uid, folder=folder)
    data.kind = _choice(meta.get("kind"), ArticleKind, meta_path, "kind", problems, data.kind)
    data.status = _choice(
        meta.get("status"), ArticleStatus, meta_path, "status", problems, data.status
    )
    data.audience = _choice(
        meta.get("audience"), Audience, meta_path, "audience", problems, data.audience
    )
    for key in ("keywords", "software"):
        setattr(data, key, _string(meta.get(key), meta_path, key, problems))
    data.categories = _names(meta.get("categories"), meta_path, "categories", problems)
    data.organisations = _names(meta.get("organisations"), meta_path, "organisations", problems)
    data.texts = {f"{name}_{lang}": "" for name in (*TEXT_KEYS, "body") for lang in LANGUAGES}
    for name, content in sorted(files.items()):
        path = f"{folder}/{name}"
        if name in (f"{lang}.md" for lang in LANGUAGES):
            _language(data, name[:2], content, path, problems)
        elif name.startswith(f"{ATTACHMENTS}/") and name.count("/") == 1:
            filename = name.split("/", 1)[1]
            if safe_name(filename) != filename:
                problems.append(
                    Problem(
                        path, _("Unsafe file name; use letters, digits, “.”, “-” and “_” only.")
                    )
                )
            data.attachments[filename] = content
        elif name != META_FILE:
            problems.append(
                Problem(
                    path, _("Unexpected file (expected meta.yaml, fr.md, en.md or attachments/).")
                )
            )
    unreadable = any(p.path.endswith(".md") for p in problems)
    if not data.title and not unreadable:  # an unreadable file already says why
        problems.append(Problem(folder, _("Give a title in French, in English, or both."), "title"))
    if problems:
        raise TransferError(problems)
    return data
