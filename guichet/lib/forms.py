"""A form renderer that builds the common widgets in Python.

Django renders every widget, and every `<option>` of a select, through the template engine;
a ticket page with a dozen small forms spends more time there than in its queries. This
renderer produces the same markup for inputs, textareas and selects directly (values escaped
by format_html) and falls back to the templates for anything else.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(' {}="{}"', name, value)
                if value is not True
                else format_html(" {}", name),
            )
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def render_input(widget: dict) -> SafeString:
    value = widget["value"]
    value_attr = format_html(' value="{}"', value) if value is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        value_attr,
        flatatt(widget["attrs"]),
    )


def render_textarea(widget: dict) -> SafeString:
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        flatatt(widget["attrs"]),
        widget["value"] or "",
    )


def render_select(widget: dict) -> SafeString:
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append(mark_safe("</optgroup>"))  # noqa: S308 - a constant
    return format_html(
        '<select name="{}"{}>{}</select>',
        widget["name"],
        flatatt(widget["attrs"]),
        SafeString("".join(parts)),
    )


FAST = {f"django/forms/widgets/{name}.html": render_input for name in INPUT_TYPES}
FAST["django/forms/widgets/textarea.html"] = render_textarea
FAST["django/forms/widgets/select.html"] = render_select


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        fast = FAST.get(template_name)
        if fast is not None and "widget" in context:
            return fast(context["widget"])
        return super().render(template_name, context, request)
