"""The node-by-node editor: a script's tree as one fieldset per node, for people who do not
write YAML. It saves through `save_version`, like the YAML editor and the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import is_staff_member
from guichet.accounts.models import Team
from guichet.lib.errors import ActionError, InvalidInput
from guichet.scripts import actions, tree, tree_form
from guichet.scripts.models import Script
from guichet.scripts.tree_form import AnswerForm, NodeForm, NodeRow, Rows, TreeHeadForm
from guichet.scripts.views.library import script_or_404
from guichet.tickets.models import Category


def _require_editor(request) -> None:
    if not (is_staff_member(request.user) and actions.may_edit(request.user)):
        raise PermissionDenied


def _stored(script: Script) -> Rows:
    definition = script.current.definition if script.current else {}
    return tree_form.for_display(tree_form.rows_of_tree(definition))


@login_required
@require_http_methods(["GET", "POST"])
def tree_edit(request, pk: int):
    _require_editor(request)
    script = script_or_404(request.user, pk)
    if request.method == "GET":
        return _page(request, script, _stored(script))
    try:
        posted = tree_form.rows_of_data(request.POST)
    except tree_form.TooManyRows as error:
        return _page(request, script, _stored(script), messages_=[str(error)], status=400)
    # Blank rows asked for stay on the page until they are used.
    blanks = sum(1 for row in posted.nodes if row.is_blank())
    note = tree_form.cleaned(request.POST.get("note"))
    if "add_node" in request.POST:
        rows = tree_form.for_display(posted, blanks + 1)
        return _page(request, script, rows, note=note, focus=len(rows.nodes) - 1)
    blanks = max(1, blanks)
    if "refresh" in request.POST:
        return _page(request, script, tree_form.for_display(posted, blanks), note=note)
    rows = tree_form.for_display(posted, blanks)
    problems = tree_form.problems(rows)
    if problems:
        return _page(request, script, rows, note=note, problems=problems, status=400)
    definition = tree_form.tree_of_rows(rows)
    if script.current and definition == tree_form.canonical(script.current.definition):
        messages.info(request, _("Nothing changed."))
        return redirect("scripts:detail", pk=script.pk)
    try:
        version = actions.save_version(
            script=script, actor=request.user, definition=definition, note=note
        )
    except InvalidInput as error:
        found = [message for values in error.errors.values() for message in values]
    except ActionError as error:
        found = [error.message]
    else:
        messages.success(request, _("Version %(n)s saved.") % {"n": version.number})
        return redirect("scripts:detail", pk=script.pk)
    return _page(request, script, rows, note=note, messages_=found, status=400)


def _page(
    request,
    script: Script,
    rows: Rows,
    *,
    note: str = "",
    problems: list[tuple[int, str]] | None = None,
    messages_: list[str] | None = None,
    status: int = 200,
    focus: int | None = None,
):
    placed = tree_form.place(messages_ or [], rows)
    for index, message in problems or []:
        placed.setdefault((index, None), []).append(message)
    ids = _ids(rows)
    categories = _categories()
    context = {
        "script": script,
        "head": TreeHeadForm(initial={"start": rows.start, "note": note}, ids=ids),
        "nodes": [
            _node(index, row, placed, ids, categories, focus)
            for index, row in enumerate(rows.nodes)
        ],
        "teams": Team.objects.order_by("name").values_list("name", flat=True),
        "summary": _summary(messages_ or [], problems or [], placed),
        "max_nodes": tree.MAX_NODES,
        "nav": "scripts",
    }
    return render(request, "scripts/tree_edit.html", context, status=status)


def _anchor(index: int, answer: int | None) -> str:
    return f"node-{index}" if answer is None else f"node-{index}-answer-{answer}"


def _summary(found: list[str], problems: list[tuple[int, str]], placed: dict) -> list:
    """Each message once, linked to the first place it is shown at."""
    summary = [(message, _anchor(index, None)) for index, message in problems]
    for message in found:
        where = next((key for key, values in placed.items() if message in values), None)
        summary.append((message, _anchor(*where) if where else ""))
    return summary


def _ids(rows: Rows) -> tree_form.Choices:
    language = get_language()
    texts = {row.id: (row.text_fr, row.text_en) for row in rows.nodes}
    choices = []
    for node_id in tree_form.targets(rows):
        fr, en = texts[node_id]
        text = tree.text_of({"fr": fr, "en": en}, language)
        choices.append((node_id, f"{node_id} — {Truncator(text).chars(60)}" if text else node_id))
    return choices


def _categories() -> tree_form.Choices:
    found = Category.objects.filter(active=True).select_related("parent").order_by("code")
    return [(c.code, f"{c.code} — {c.full_name}") for c in found]


def _answers(index: int, row: NodeRow, placed: dict, ids) -> list[dict]:
    """The answer rows, numbered as `tree` numbers them in its messages (kept ones only)."""
    answers = []
    number = 0
    for j, answer in enumerate(row.answers):
        if answer.is_kept():
            number += 1
            legend = _("Answer %(n)s") % {"n": number}
        else:
            legend = _("Removed answer") if answer.remove else _("New answer")
        form = AnswerForm(
            prefix=f"n-{index}-a-{j}",
            initial=vars(answer),
            ids=ids,
            use_required_attribute=not answer.is_blank(),
        )
        errors = placed.get((index, j), [])
        if errors:
            _described_by(form, "text_fr", _anchor(index, j))
        answers.append(
            {
                "form": form,
                "legend": legend,
                "anchor": _anchor(index, j),
                "errors": errors,
                "blank": answer.is_blank(),
            }
        )
    return answers


def _node(index: int, row: NodeRow, placed: dict, ids, categories, focus: int | None) -> dict:
    existing = bool(row.orig)
    form = NodeForm(
        prefix=f"n-{index}",
        initial=row.values(),
        ids=ids,
        categories=categories,
        use_required_attribute=existing,
    )
    errors = placed.get((index, None), [])
    if errors:
        _described_by(form, "id", _anchor(index, None))
    if index == focus and not existing:  # the row just asked for: typing goes on from there
        form.fields["id"].widget.attrs["autofocus"] = True
    return {
        "form": form,
        "legend": _("Node “%(id)s”") % {"id": row.orig} if existing else _("New node"),
        "existing": existing,
        "anchor": _anchor(index, None),
        "errors": errors,
        "answers": _answers(index, row, placed, ids) if row.shows_answers() else [],
        "shows_next": row.shows_next(),
        "shows_actions": row.shows_actions(),
    }


def _described_by(form, name: str, anchor: str) -> None:
    """The first field of a node or answer with errors names them, beside its help text."""
    bound = form[name]
    described = [f"{anchor}-errors"]
    if bound.help_text:
        described.append(f"{bound.auto_id}_helptext")
    form.fields[name].widget.attrs |= {
        "aria-describedby": " ".join(described),
        "aria-invalid": "true",
    }
