"""The node-by-node editor's form: a tree <-> flat form fields, and the forms that draw them.

Field names: `start`, then `n-<i>-<field>` for node row i and `n-<i>-a-<j>-<field>` for its
answer row j. A node row carries, hidden, the id it had when the form was drawn (`orig`), and
every `next` select names those ids: renaming a node therefore renames the references to it.
Rows left blank are ignored; blank rows are what the form offers for adding nodes and answers.

The conversions (`rows_of_tree`, `rows_of_data`, `data_of_rows`, `tree_of_rows`) are pure;
`tree.validate` and the `save_version` action judge the result, this module never does.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.scripts import tree
from guichet.scripts.actions.scripts import NOTE_MAX
from guichet.scripts.choices import NodeKind
from guichet.tickets.choices import Level, TicketType

BLANK_ANSWERS = 2
NODE_ROWS_MAX = tree.MAX_NODES + 1  # every node, and one blank row to add another
ANSWER_ROWS_MAX = tree.MAX_ANSWERS + BLANK_ANSWERS
KEY = re.compile(r"n-(\d{1,9})-(?:a-(\d{1,9})-)?([a-z_]{1,20})")
LEVELS = ("1", "2", "3", "4", "5")
ARTICLE_NUMBER = re.compile(r"[0-9]{1,18}")
FLAGS = ("remove", "visit")
ACTION_FIELDS = (
    *("category", "type", "impact", "urgency"),
    *("solve_fr", "solve_en", "escalate", "article", "visit"),
)


class TooManyRows(ValueError):
    """The data holds more rows than any valid script needs (a forged or runaway form)."""


@dataclass
class AnswerRow:
    text_fr: str = ""
    text_en: str = ""
    next: str = ""
    remove: bool = False

    def is_blank(self) -> bool:
        return not (self.text_fr or self.text_en or self.next)

    def is_kept(self) -> bool:
        return not (self.remove or self.is_blank())


@dataclass
class NodeRow:
    orig: str = ""
    id: str = ""
    kind: str = NodeKind.QUESTION.value
    text_fr: str = ""
    text_en: str = ""
    help_fr: str = ""
    help_en: str = ""
    next: str = ""
    category: str = ""
    type: str = ""
    impact: str = ""
    urgency: str = ""
    solve_fr: str = ""
    solve_en: str = ""
    escalate: str = ""
    article: str = ""
    visit: bool = False
    remove: bool = False
    answers: list[AnswerRow] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """The row's own fields (not its answers), by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "answers"}

    def is_blank(self) -> bool:
        typed = [v for k, v in self.values().items() if k not in ("kind", "remove")]
        return not any(typed) and all(a.is_blank() for a in self.answers)

    def is_kept(self) -> bool:
        return not (self.remove or self.is_blank())

    # A row drawn from a saved node shows the fields of its kind only (a big tree must stay
    # under Django's limit of fields per request); a new row, or one where something was
    # typed, shows them all, so nothing typed is dropped from the page.
    def shows_answers(self) -> bool:
        return self.kind in tree.WITH_ANSWERS or not self.orig or not self._answers_blank()

    def shows_next(self) -> bool:
        return self.kind == NodeKind.INSTRUCTION or not self.orig or bool(self.next)

    def shows_actions(self) -> bool:
        typed = any(getattr(self, name) for name in ACTION_FIELDS)
        return self.kind == NodeKind.OUTCOME or not self.orig or typed

    def _answers_blank(self) -> bool:
        return all(a.is_blank() for a in self.answers)


@dataclass
class Rows:
    start: str = ""
    nodes: list[NodeRow] = field(default_factory=list)


# --- tree -> rows ---------------------------------------------------------------------------


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _lang(text: Any, language: str) -> str:
    return _str(text.get(language)) if isinstance(text, dict) else ""


def _row_of_node(node_id: str, node: Any) -> NodeRow:
    node = node if isinstance(node, dict) else {}
    actions = node.get("actions") if isinstance(node.get("actions"), dict) else {}
    answers = node.get("answers") if isinstance(node.get("answers"), list) else []
    return NodeRow(
        orig=node_id,
        id=node_id,
        kind=_str(node.get("kind")),
        text_fr=_lang(node.get("text"), "fr"),
        text_en=_lang(node.get("text"), "en"),
        help_fr=_lang(node.get("help"), "fr"),
        help_en=_lang(node.get("help"), "en"),
        next=_str(node.get("next")),
        category=_str(actions.get("category")),
        type=_str(actions.get("type")),
        impact=_str(actions.get("impact")),
        urgency=_str(actions.get("urgency")),
        solve_fr=_lang(actions.get("solve"), "fr"),
        solve_en=_lang(actions.get("solve"), "en"),
        escalate=_str(actions.get("escalate")),
        article=_str(actions.get("article")),
        visit=actions.get("visit") is True,
        answers=[
            AnswerRow(
                text_fr=_lang(a.get("text"), "fr"),
                text_en=_lang(a.get("text"), "en"),
                next=_str(a.get("next")),
            )
            for a in answers
            if isinstance(a, dict)
        ],
    )


def rows_of_tree(definition: Mapping[str, Any]) -> Rows:
    nodes = definition.get("nodes")
    nodes = nodes if isinstance(nodes, dict) else {}
    return Rows(
        start=_str(definition.get("start")),
        nodes=[_row_of_node(str(nid), node) for nid, node in nodes.items()],
    )


# --- rows <-> form data ---------------------------------------------------------------------


def _flat(prefix: str, values: Mapping[str, Any]) -> dict[str, str]:
    data = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[f"{prefix}-{name}"] = "on"
        else:
            data[f"{prefix}-{name}"] = value
    return data


def data_of_rows(rows: Rows, note: str = "") -> dict[str, str]:
    """The fields a browser posts for these rows (what the form draws)."""
    data = {"start": rows.start, "note": note}
    for i, row in enumerate(rows.nodes):
        data |= _flat(f"n-{i}", row.values())
        for j, answer in enumerate(row.answers):
            data |= _flat(f"n-{i}-a-{j}", vars(answer))
    return data


def cleaned(value: Any) -> str:
    # Browsers send a textarea's line breaks as CRLF; the tree keeps LF.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def _is_on(value: str) -> bool:
    return value not in ("", "false", "0")


def _fill(row: AnswerRow | NodeRow, fields_: Mapping[str, str]) -> None:
    known = {f.name for f in fields(row)} - {"answers"}
    for name, value in fields_.items():
        if name in known:
            setattr(row, name, _is_on(value) if name in FLAGS else value)


def _collect(data: Mapping[str, Any]) -> tuple[dict, dict]:
    nodes: dict[int, dict[str, str]] = {}
    answers: dict[int, dict[int, dict[str, str]]] = {}
    for key in data:
        match = KEY.fullmatch(key)
        if match is None:
            continue
        i, j, name = int(match[1]), match[2], match[3]
        nodes.setdefault(i, {})
        if len(nodes) > NODE_ROWS_MAX:
            raise TooManyRows(
                _("The form holds too many nodes: a script has at most %(max)s.")
                % {"max": tree.MAX_NODES}
            )
        if j is None:
            nodes[i][name] = cleaned(data.get(key))
            continue
        rows = answers.setdefault(i, {})
        rows.setdefault(int(j), {})[name] = cleaned(data.get(key))
        if len(rows) > ANSWER_ROWS_MAX:
            raise TooManyRows(
                _("A node of the form holds too many answers: at most %(max)s.")
                % {"max": tree.MAX_ANSWERS}
            )
    return nodes, answers


def rows_of_data(data: Mapping[str, Any]) -> Rows:
    """The rows posted, in row order, renames applied; TooManyRows past the caps."""
    nodes, answers = _collect(data)
    rows = Rows(start=cleaned(data.get("start")))
    for i in sorted(nodes):
        row = NodeRow(kind="")
        _fill(row, nodes[i])
        for j in sorted(answers.get(i, {})):
            answer = AnswerRow()
            _fill(answer, answers[i][j])
            row.answers.append(answer)
        rows.nodes.append(row)
    return _renamed(rows)


def _renamed(rows: Rows) -> Rows:
    """Point every reference at the ids as typed, and make those the rows' ids of record."""
    renames = {
        row.orig: row.id
        for row in rows.nodes
        if row.orig and row.id and row.orig != row.id and not row.remove
    }

    def follow(target: str) -> str:
        return renames.get(target, target)

    nodes = [
        replace(
            row,
            orig=row.id or row.orig,
            next=follow(row.next),
            answers=[replace(a, next=follow(a.next)) for a in row.answers],
        )
        for row in rows.nodes
    ]
    return Rows(start=follow(rows.start), nodes=nodes)


# --- rows -> tree ---------------------------------------------------------------------------


def _text(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def _actions(row: NodeRow) -> dict[str, Any]:
    """Only what was filled in; values that are not what `tree` accepts are passed as typed,
    so that validation names them."""
    actions: dict[str, Any] = {}
    for name in ("category", "type"):
        if getattr(row, name):
            actions[name] = getattr(row, name)
    for name in ("impact", "urgency"):
        value = getattr(row, name)
        if value:
            actions[name] = int(value) if value in LEVELS else value
    if row.solve_fr or row.solve_en:
        actions["solve"] = _text(row.solve_fr, row.solve_en)
    if row.escalate:
        actions["escalate"] = row.escalate
    if row.article:
        number = ARTICLE_NUMBER.fullmatch(row.article)
        actions["article"] = int(row.article) if number else row.article
    if row.visit:
        actions["visit"] = True
    return actions


def _node_of_row(row: NodeRow) -> dict[str, Any]:
    node: dict[str, Any] = {"kind": row.kind, "text": _text(row.text_fr, row.text_en)}
    if row.help_fr or row.help_en:
        node["help"] = _text(row.help_fr, row.help_en)
    if row.kind in tree.WITH_ANSWERS:
        node["answers"] = [
            {"text": _text(a.text_fr, a.text_en), "next": a.next}
            for a in row.answers
            if a.is_kept()
        ]
    elif row.kind == NodeKind.INSTRUCTION:
        node["next"] = row.next
    elif row.kind == NodeKind.OUTCOME and (actions := _actions(row)):
        node["actions"] = actions
    return node


def tree_of_rows(rows: Rows) -> dict[str, Any]:
    """The tree the rows describe (removed and blank rows left out)."""
    kept = [row for row in rows.nodes if row.is_kept()]
    return {"start": rows.start, "nodes": {row.id: _node_of_row(row) for row in kept}}


def canonical(definition: Mapping[str, Any]) -> dict[str, Any]:
    """The tree as this editor would write it back: to tell "nothing changed"."""
    return tree_of_rows(rows_of_tree(definition))


# --- what the page shows --------------------------------------------------------------------


def for_display(rows: Rows, blank_nodes: int = 1) -> Rows:
    """Blank rows dropped, then blank answer rows and `blank_nodes` blank node rows added,
    within the caps."""
    nodes = []
    for row in rows.nodes:
        if row.is_blank():
            continue
        answers = [a for a in row.answers if not a.is_blank()]
        if row.shows_answers():
            answers += [AnswerRow() for _i in range(BLANK_ANSWERS)]
        nodes.append(replace(row, answers=answers[:ANSWER_ROWS_MAX]))
    room = max(0, NODE_ROWS_MAX - len(nodes))
    for _i in range(min(blank_nodes, room)):
        nodes.append(NodeRow(answers=[AnswerRow() for _j in range(BLANK_ANSWERS)]))
    return Rows(start=rows.start, nodes=nodes)


def problems(rows: Rows) -> list[tuple[int, str]]:
    """What a tree (a mapping of ids) cannot even express: rows without an id, ids twice."""
    found = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows.nodes):
        if not row.is_kept():
            continue
        if not row.id:
            found.append((index, _("Node number %(n)s has no id.") % {"n": index + 1}))
        elif row.id in seen:
            message = _("Node “%(id)s”: more than one node has this id.") % {"id": row.id}
            found.append((index, message))
        seen.setdefault(row.id, index)
    return found


def _names(message: str, prefix: str) -> bool:
    # "answer 1" must not claim "answer 12"
    rest = message[len(prefix) :]
    return message.startswith(prefix) and not rest[:1].isdigit()


def place(messages: list[str], rows: Rows) -> dict[tuple[int, int | None], list[str]]:
    """Validation messages by (node row, answer row or None) they name, as `tree` words
    them ("Node “x”, answer 2: …"); a message naming no row is left out."""
    placed: dict[tuple[int, int | None], list[str]] = {}
    for message in messages:
        for index, row in enumerate(rows.nodes):
            if not row.id or not row.is_kept():
                continue
            key = _place_one(message, index, row)
            if key is not None:
                placed.setdefault(key, []).append(message)
    return placed


def _place_one(message: str, index: int, row: NodeRow) -> tuple[int, int | None] | None:
    kept = [j for j, answer in enumerate(row.answers) if answer.is_kept()]
    for n, j in enumerate(kept, start=1):
        if _names(message, _("Node “%(id)s”, answer %(n)s") % {"id": row.id, "n": n}):
            return (index, j)
    if _names(message, _("Node “%(id)s”") % {"id": row.id}):
        return (index, None)
    return None


def targets(rows: Rows) -> list[str]:
    """The ids a `next` or the start may name: those of the rows kept, once each."""
    return list(dict.fromkeys(row.id for row in rows.nodes if row.id and row.is_kept()))


# --- the forms that draw the rows -----------------------------------------------------------

Choices = list[tuple[str, str]]


def _with_current(choices: Choices, current: str) -> Choices:
    """Keep a value that is no longer offered (a removed node, a typo), so nothing is lost."""
    if current and current not in {value for value, _label in choices}:
        return [*choices, (current, _("%(value)s (does not exist)") % {"value": current})]
    return choices


def _labelled(choices) -> Choices:
    return [(value, str(label)) for value, label in choices]


def _text_field(label, language: str, *, rows: int = 2, required: bool = False):
    attrs = {"rows": rows, "lang": language, "maxlength": tree.TEXT_MAX}
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs=attrs))


def _line_field(label, language: str, *, required: bool = False):
    attrs = {"lang": language, "maxlength": tree.TEXT_MAX}
    return forms.CharField(label=label, required=required, widget=forms.TextInput(attrs=attrs))


class TreeHeadForm(forms.Form):
    """Drawn only: the rows are read by `rows_of_data`, the note by the view."""

    start = forms.ChoiceField(label=gettext_lazy("Start node"))
    note = forms.CharField(
        label=gettext_lazy("What changed"),
        required=False,
        max_length=NOTE_MAX,
        help_text=gettext_lazy("Kept with the new version, in the list of versions."),
    )

    def __init__(self, *args, ids: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("— choose a node —"))]
        self.fields["start"].choices = _with_current(  # type: ignore[attr-defined]
            blank + ids, self.initial.get("start", "")
        )


class NodeForm(forms.Form):
    """One node row, drawn from `NodeRow.values()`."""

    orig = forms.CharField(required=False, widget=forms.HiddenInput)
    id = forms.CharField(
        label=gettext_lazy("Id"),
        max_length=64,
        help_text=gettext_lazy("Lowercase letters, digits, “-” or “_”."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        help_text=gettext_lazy(
            "A question or a check offers answers; an instruction leads to one next node; "
            "an outcome ends the script."
        ),
    )
    text_fr = _text_field(gettext_lazy("Text (French)"), "fr", required=True)
    text_en = _text_field(gettext_lazy("Text (English)"), "en", required=True)
    help_fr = _text_field(gettext_lazy("Help for the technician (French)"), "fr")
    help_en = _text_field(gettext_lazy("Help for the technician (English)"), "en")
    next = forms.ChoiceField(label=gettext_lazy("Next node"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Ticket type"), required=False)
    impact = forms.ChoiceField(label=gettext_lazy("Impact"), required=False)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), required=False)
    solve_fr = _text_field(gettext_lazy("Solution (French)"), "fr")
    solve_en = _text_field(gettext_lazy("Solution (English)"), "en")
    escalate = forms.CharField(
        label=gettext_lazy("Escalate to the team"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The team's name, as in the list of teams."),
        widget=forms.TextInput(attrs={"list": "tree-teams", "autocomplete": "off"}),
    )
    article = forms.CharField(
        label=gettext_lazy("Knowledge article"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The article's number (or its uid)."),
    )
    visit = forms.BooleanField(label=gettext_lazy("Ask for an on-site visit"), required=False)
    remove = forms.BooleanField(label=gettext_lazy("Remove this node"), required=False)

    def __init__(self, *args, ids: Choices, categories: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        blank: Choices = [("", _("— none —"))]
        levels = [(str(value), f"{value} — {label}") for value, label in Level.choices]
        offered: dict[str, Choices] = {
            "kind": _labelled(NodeKind.choices),
            "next": [("", _("— choose a node —")), *ids],
            "category": blank + categories,
            "type": blank + _labelled(TicketType.choices),
            "impact": blank + levels,
            "urgency": blank + levels,
        }
        for name, choices in offered.items():
            current = str(self.initial.get(name, ""))
            self.fields[name].choices = _with_current(choices, current)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text_fr = _line_field(gettext_lazy("Answer (French)"), "fr", required=True)
    text_en = _line_field(gettext_lazy("Answer (English)"), "en", required=True)
    next = forms.ChoiceField(label=gettext_lazy("Leads to"))
    remove = forms.BooleanField(label=gettext_lazy("Remove this answer"), required=False)

    def __init__(self, *args, ids: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        offered = [("", _("— choose a node —")), *ids]
        self.fields["next"].choices = _with_current(  # type: ignore[attr-defined]
            offered, self.initial.get("next", "")
        )
