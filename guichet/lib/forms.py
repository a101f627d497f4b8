"""A form renderer that builds the common widgets in Python.

Django renders every widget, and every `<option>` of a select, through the template engine;
a ticket page with a dozen small forms spends more time there than in its queries. This
renderer produces the same markup for inputs, textareas and selects directly (every value
escaped, see guichet.lib.html) and falls back to the templates for anything else.
"""

from collections.abc import Callable
from functools import lru_cache

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString

from guichet.lib.html import esc

INPUT_TYPES = (
    "text",
    "email",
    "number",
    "hidden",
    "password",
    "url",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "checkbox",
    "input",
)


def flatatt(attrs: dict) -> SafeString:
    """The attributes as Django's attrs.html writes them: True alone, False left out."""
    return SafeString(
        "".join(
            f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


def render_input(widget: dict) -> SafeString:
    value = widget["value"]
    value_attr = f' value="{esc(value)}"' if value is not None else ""
    return SafeString(
        f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"'
        f"{value_attr}{flatatt(widget['attrs'])}>"
    )


def render_textarea(widget: dict) -> SafeString:
    return SafeString(
        f'<textarea name="{esc(widget["name"])}"{flatatt(widget["attrs"])}>\n'
        f"{esc(widget['value'] or '')}</textarea>"
    )


def render_select(widget: dict) -> SafeString:
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{esc(group_name)}">')
        for option in options:
            parts.append(
                f'<option value="{esc(option["value"])}"{flatatt(option["attrs"])}>'
                f"{esc(option['label'])}</option>"
            )
        if group_name:
            parts.append("</optgroup>")
    return SafeString(
        f'<select name="{esc(widget["name"])}"{flatatt(widget["attrs"])}>{"".join(parts)}</select>'
    )


def render_file_input(widget: dict) -> SafeString | None:
    """A file input with no file yet, as clearable_file_input.html writes it (a form that
    shows an existing file falls back to the template)."""
    if widget.get("is_initial"):
        return None
    return SafeString(
        f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"'
        f"{flatatt(widget['attrs'])}>"
    )


# Template name -> the function that writes the same markup (None: use the template).
FAST: dict[str, Callable[[dict], SafeString | None]] = {
    f"django/forms/widgets/{name}.html": render_input for name in INPUT_TYPES
}
FAST["django/forms/widgets/clearable_file_input.html"] = render_file_input
FAST["django/forms/widgets/textarea.html"] = render_textarea
FAST["django/forms/widgets/select.html"] = render_select


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        fast = FAST.get(template_name)
        if fast is not None and "widget" in context:
            html = fast(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


# --- Selects whose options are written once ------------------------------------------------
Frozen = tuple[tuple[str, "str | Frozen"], ...]


def _freeze(choices) -> Frozen:
    """Choices as a hashable key, labels in the active language."""
    frozen: list[tuple[str, str | Frozen]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            frozen.append((str(value), _freeze(label)))
        else:
            frozen.append(("" if value is None else str(value), str(label)))
    return tuple(frozen)


@lru_cache(maxsize=1024)
def _option_markup(choices: Frozen) -> tuple[tuple[str, ...], dict[str, int]]:
    """The markup of each option (and optgroup tag), and where the first of each value is."""
    parts: list[str] = []
    first: dict[str, int] = {}

    def option(value: str, label: str) -> None:
        first.setdefault(value, len(parts))
        parts.append(f'<option value="{esc(value)}">{esc(label)}</option>')

    for value, label in choices:
        if isinstance(label, tuple):
            parts.append(f'<optgroup label="{esc(value)}">')
            for inner_value, inner_label in label:
                option(inner_value, str(inner_label))
            parts.append("</optgroup>")
        else:
            option(value, label)
    return tuple(parts), first


def options_html(choices, selected=()) -> SafeString:
    """`<option>` elements (and optgroups) for Django-style choices, `selected` values marked.

    The markup of a list is written once and reused: only the selected options are new.
    """
    parts, first = _option_markup(_freeze(choices))
    marks = sorted({first[value] for value in selected if value in first})
    if marks:
        out = list(parts)
        for index in marks:
            out[index] = out[index].replace('">', '" selected>', 1)
        parts = tuple(out)
    return SafeString("".join(parts))


class FastSelect(forms.Select):
    """A single select that writes its `<option>` elements once per list of choices.

    Django builds a dictionary and renders a template for every option of every select on
    every page; the ticket page's lists of technicians, teams and categories made that the
    biggest cost of the page. The markup is the same as Django's (see the tests).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        # A single select marks the first option of the value, as Django does.
        options = options_html(self.choices, self.format_value(value)[:1])
        return SafeString(f'<select name="{esc(name)}"{flatatt(final)}>{options}</select>')
