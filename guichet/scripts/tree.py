"""A script's tree: its shape, its validation, and its JSON / YAML form. Pure Python.

    {"start": "link", "nodes": {
        "link": {"kind": "question", "text": {"fr": "…", "en": "…"}, "help": {...},
                 "answers": [{"text": {...}, "next": "ip"}, ...]},
        "restart": {"kind": "instruction", "text": {...}, "next": "link"},
        "gateway": {"kind": "check", "text": {...}, "answers": [...]},
        "fixed": {"kind": "outcome", "text": {...}, "actions": {"category": "network-access",
                  "type": "incident", "impact": 3, "urgency": 3, "solve": {...},
                  "escalate": "Réseau N2", "article": 12, "visit": true}}}}

A file (import, export, seeds) may carry the script's own fields beside the tree: `code`,
`name`, `description` (bilingual), `category` (a category code), `active`, `in_portal`.
Every error names the node (and the answer) it is about, so an editor can find it.
"""

import json
import re
from collections import deque
from typing import Any

import yaml
from django.utils.translation import gettext as _

from guichet.scripts.choices import NodeKind

NODE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_NODES = 200
MAX_ANSWERS = 12
TEXT_MAX = 2000
SIZE_MAX = 200_000  # characters of the JSON form: a tree is a few kilobytes
LANGUAGES = ("fr", "en")
TICKET_TYPES = ("incident", "request")
ACTION_KEYS = {"article", "category", "type", "impact", "urgency", "solve", "escalate", "visit"}
META_KEYS = {"code", "name", "description", "category", "active", "in_portal", "version"}
WITH_ANSWERS = (NodeKind.QUESTION, NodeKind.CHECK)


class TreeError(ValueError):
    """The text could not be read as a tree at all (bad JSON or YAML, wrong top level)."""


def parse(text: str, fmt: str = "") -> dict:
    """Read a JSON or YAML document (YAML when `fmt` says so, else JSON first, then YAML)."""
    if len(text) > SIZE_MAX:
        raise TreeError(
            _("The file is too large (at most %(max)s characters).") % {"max": SIZE_MAX}
        )
    data: Any = None
    if fmt != "yaml":
        try:
            data = json.loads(text)
        except ValueError as error:
            if fmt == "json":
                raise TreeError(_("Not valid JSON: %(error)s") % {"error": error}) from None
            data = None
    if fmt == "yaml" or data is None:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise TreeError(_("Not valid JSON or YAML: %(error)s") % {"error": error}) from None
    if not isinstance(data, dict):
        raise TreeError(_("The document must be an object with “start” and “nodes”."))
    return data


def dump(document: dict, fmt: str = "json") -> str:
    if fmt == "yaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def tree_of(document: dict) -> dict:
    """The tree part of a document (what a version stores)."""
    return {"start": document.get("start"), "nodes": document.get("nodes")}


def text_of(text: Any, language: str | None) -> str:
    """A bilingual text in the language asked for, else the other one."""
    if not isinstance(text, dict):
        return ""
    first = "en" if (language or "fr").startswith("en") else "fr"
    other = "fr" if first == "en" else "en"
    return str(text.get(first) or text.get(other) or "")


def _check_text(errors: list, where: str, text: Any, *, required: bool = True) -> None:
    if text is None and not required:
        return
    if not isinstance(text, dict) or set(text) - set(LANGUAGES):
        errors.append(_("%(where)s: the text must be {“fr”: …, “en”: …}.") % {"where": where})
        return
    values = [text.get(lang) for lang in LANGUAGES]
    if any(v is not None and not isinstance(v, str) for v in values):
        errors.append(_("%(where)s: the text must be {“fr”: …, “en”: …}.") % {"where": where})
        return
    if required and not any((v or "").strip() for v in values):
        errors.append(_("%(where)s: the text is empty in both languages.") % {"where": where})
    if any(len(v or "") > TEXT_MAX for v in values):
        errors.append(
            _("%(where)s: the text is longer than %(max)s characters.")
            % {"where": where, "max": TEXT_MAX}
        )


def _check_level(errors: list, where: str, value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors.append(
            _("%(where)s: “%(name)s” must be a whole number from 1 to 5.")
            % {"where": where, "name": name}
        )


def _check_actions(errors: list, where: str, actions: Any) -> None:
    if actions is None:
        return
    if not isinstance(actions, dict):
        errors.append(_("%(where)s: “actions” must be an object.") % {"where": where})
        return
    for key in sorted(set(actions) - ACTION_KEYS):
        errors.append(_("%(where)s: unknown action “%(key)s”.") % {"where": where, "key": key})
    if "type" in actions and actions["type"] not in TICKET_TYPES:
        errors.append(_("%(where)s: “type” must be “incident” or “request”.") % {"where": where})
    for name in ("impact", "urgency"):
        if name in actions:
            _check_level(errors, where, actions[name], name)
    if "solve" in actions:
        _check_text(errors, _("%(where)s, solution") % {"where": where}, actions["solve"])
    for name in ("category", "escalate", "article"):
        value = actions.get(name)
        if name in actions and (
            isinstance(value, bool)
            or not isinstance(value, str | int)
            or (isinstance(value, str) and not 0 < len(value.strip()) <= 200)
        ):
            errors.append(
                _("%(where)s: “%(name)s” must be a code, a name or a number.")
                % {"where": where, "name": name}
            )
    if "visit" in actions and not isinstance(actions["visit"], bool):
        errors.append(_("%(where)s: “visit” must be true or false.") % {"where": where})


def _check_node(errors: list, node_id: str, node: Any, ids: set) -> list[str]:
    """Check one node; return the ids it leads to (existing ones only)."""
    where = _("Node “%(id)s”") % {"id": node_id}
    if not NODE_ID.match(node_id):
        errors.append(
            _("%(where)s: an id is lowercase letters, digits, “-” or “_” (64 at most).")
            % {"where": where}
        )
    if not isinstance(node, dict):
        errors.append(_("%(where)s: a node must be an object.") % {"where": where})
        return []
    kind = node.get("kind")
    if kind not in NodeKind.values:
        errors.append(
            _("%(where)s: the kind must be question, instruction, check or outcome.")
            % {"where": where}
        )
        return []
    _check_text(errors, where, node.get("text"))
    _check_text(errors, _("%(where)s, help") % {"where": where}, node.get("help"), required=False)
    targets: list[str] = []

    def target(label: str, value: Any) -> None:
        if not isinstance(value, str) or value not in ids:
            errors.append(
                _("%(where)s: leads to “%(next)s”, which does not exist.")
                % {"where": label, "next": value}
            )
        else:
            targets.append(value)

    if kind in WITH_ANSWERS:
        answers = node.get("answers")
        if not isinstance(answers, list) or not answers:
            errors.append(_("%(where)s: needs at least one answer.") % {"where": where})
            return targets
        if len(answers) > MAX_ANSWERS:
            errors.append(
                _("%(where)s: at most %(max)s answers.") % {"where": where, "max": MAX_ANSWERS}
            )
        for index, answer in enumerate(answers, start=1):
            label = _("Node “%(id)s”, answer %(n)s") % {"id": node_id, "n": index}
            if not isinstance(answer, dict):
                errors.append(_("%(where)s: an answer must be an object.") % {"where": label})
                continue
            _check_text(errors, label, answer.get("text"))
            target(label, answer.get("next"))
    elif kind == NodeKind.INSTRUCTION:
        target(where, node.get("next"))
    else:
        if "next" in node or "answers" in node:
            errors.append(_("%(where)s: an outcome ends the script (no next).") % {"where": where})
        _check_actions(errors, where, node.get("actions"))
    return targets


def validate(document: Any) -> list[str]:
    """Every error of the tree, in reading order; an empty list means it is valid."""
    if not isinstance(document, dict):
        return [_("The document must be an object with “start” and “nodes”.")]
    try:
        size = len(json.dumps(document, ensure_ascii=False))
    except (TypeError, ValueError):
        return [_("The document holds values that are not text, numbers or lists.")]
    if size > SIZE_MAX:
        return [_("The script is too large (at most %(max)s characters).") % {"max": SIZE_MAX}]
    nodes = document.get("nodes")
    if not isinstance(nodes, dict) or not nodes:
        return [_("“nodes” must be an object holding at least one node.")]
    if len(nodes) > MAX_NODES:
        return [_("A script has at most %(max)s nodes.") % {"max": MAX_NODES}]
    errors: list[str] = []
    start = document.get("start")
    if not isinstance(start, str) or start not in nodes:
        errors.append(_("The start “%(start)s” is not one of the nodes.") % {"start": start})
    ids = set(nodes)
    graph = {str(nid): _check_node(errors, str(nid), node, ids) for nid, node in nodes.items()}
    if errors:
        return errors  # reachability means little while links are broken
    assert isinstance(start, str)  # checked above: errors would have returned
    reached = _reach(start, graph)
    for nid in graph:
        if nid not in reached:
            errors.append(_("Node “%(id)s” cannot be reached from the start.") % {"id": nid})
    reverse: dict[str, list[str]] = {nid: [] for nid in graph}
    for nid, targets in graph.items():
        for t in targets:
            reverse[t].append(nid)
    exits: set[str] = set()
    for nid, node in nodes.items():
        if node["kind"] == NodeKind.OUTCOME:
            exits |= _reach(nid, reverse)
    for nid in graph:
        if nid in reached and nid not in exits:
            errors.append(
                _("Node “%(id)s” never leads to an outcome (a loop without exit).") % {"id": nid}
            )
    return errors


def _reach(start: str, graph: dict[str, list[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in graph[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def answers_of(node: dict, language: str | None) -> list[tuple[int, str, str]]:
    """(index, label, next id) of a node's choices; an instruction's single "Done"."""
    if node["kind"] == NodeKind.INSTRUCTION:
        return [(0, _("Done, continue"), node["next"])]
    return [
        (index, text_of(answer["text"], language), answer["next"])
        for index, answer in enumerate(node.get("answers", []))
    ]
