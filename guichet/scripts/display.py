"""A tree shown readably: nested lists from the start, each node once, links for the rest."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.scripts import tree
from guichet.scripts.choices import NodeKind

ACTION_LABELS = {
    "category": lambda v: _("category %(v)s") % {"v": v},
    "type": lambda v: _("type %(v)s") % {"v": v},
    "impact": lambda v: _("impact %(v)s") % {"v": v},
    "urgency": lambda v: _("urgency %(v)s") % {"v": v},
    "escalate": lambda v: _("escalate to %(v)s") % {"v": v},
    "article": lambda v: _("article %(v)s") % {"v": v},
    "visit": lambda v: _("on-site visit") if v else "",
    "solve": lambda v: _("solve: %(v)s") % {"v": tree.text_of(v, get_language())},
}


def action_labels(node: dict) -> list[str]:
    actions = node.get("actions") or {}
    return [label for key, value in actions.items() if (label := ACTION_LABELS[key](value))]


def outline(definition: dict) -> SafeString:
    nodes = definition["nodes"]
    language = get_language()
    shown: set[str] = set()

    def item(node_id: str, depth: int) -> SafeString:
        node = nodes[node_id]
        kind = NodeKind(node["kind"]).label
        text = tree.text_of(node.get("text"), language)
        if node_id in shown or depth > 40:
            return format_html('{} <a href="#node-{}">{}</a>', _("→ see"), node_id, text or node_id)
        shown.add(node_id)
        head = format_html(
            '<span id="node-{}" class="badge">{}</span> <strong>{}</strong> <code>{}</code>',
            node_id,
            kind,
            text,
            node_id,
        )
        if node["kind"] == NodeKind.OUTCOME:
            labels = action_labels(node)
            if labels:
                head += format_html(" — <em>{}</em>", "; ".join(labels))
            return head
        children = format_html_join(
            "",
            "<li>{} {}</li>",
            (
                (format_html("<q>{}</q>", label), item(target, depth + 1))
                for _i, label, target in tree.answers_of(node, language)
            ),
        )
        return head + format_html("<ul>{}</ul>", children)

    return format_html('<ul class="script-tree"><li>{}</li></ul>', item(definition["start"], 0))
