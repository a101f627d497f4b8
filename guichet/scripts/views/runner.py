"""Running a script: the panels on the ticket page, in phone intake and in the portal, and the
steps. Each step answers the panel again as an htmx fragment; without JavaScript the forms
post normally and land on the run's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.access import (
    is_staff_member,
    ticket_or_404,
    visible_script_runs,
    visible_scripts,
)
from guichet.lib.errors import ActionError, Forbidden, InvalidInput
from guichet.scripts import actions, tree
from guichet.scripts.actions.outcomes import qualification
from guichet.scripts.actions.runs import answered_steps, heading, solving
from guichet.scripts.choices import NodeKind, RunChannel, RunStatus
from guichet.scripts.models import ScriptRun
from guichet.tickets.models import Category

TEMPLATE = "scripts/partials/panel.html"
BODY = "scripts/partials/panel_body.html"


def _category(code) -> Category | None:
    if not isinstance(code, str) or not code or len(code) > 100:
        return None
    return Category.objects.filter(code=code).first()


def offered(user, *, portal: bool, category: Category | None) -> list:
    """Active scripts with a tree; those of the category (or its family) first."""
    scripts = visible_scripts(user).filter(active=True, current__isnull=False)
    if portal:
        scripts = scripts.filter(in_portal=True)
    found = list(scripts.select_related("category"))
    if category is None:
        return found
    family = {category.pk, category.parent_id}

    def rank(script) -> int:
        if script.category_id == category.pk:
            return 0
        if script.category_id in family or (
            script.category and script.category.parent_id in family
        ):
            return 1
        return 2

    return sorted(found, key=rank)


def run_view(run: ScriptRun) -> dict:
    """What the panel shows of a run: the node, its choices, the answers given so far."""
    language = get_language()
    nodes = run.version.definition["nodes"]
    node = nodes[run.node]
    steps = []
    for step in answered_steps(run):
        asked = nodes[step["node"]]
        labels = {i: label for i, label, _next in tree.answers_of(asked, language)}
        steps.append(
            {
                "text": tree.text_of(asked.get("text"), language),
                "answer": labels.get(step.get("answer") or 0, "?"),
            }
        )
    view = {
        "run": run,
        "heading": heading(run),
        "text": tree.text_of(node.get("text"), language),
        "help": tree.text_of(node.get("help"), language),
        "kind": node["kind"],
        "kind_label": NodeKind(node["kind"]).label,
        "answers": tree.answers_of(node, language) if node["kind"] != NodeKind.OUTCOME else [],
        "steps": steps,
        "solving": solving(run),
        "running": run.status == RunStatus.RUNNING,
    }
    if run.status == RunStatus.FINISHED and run.ticket_id is None:
        fill = qualification(node.get("actions") or {})
        if "category" in fill:
            fill["category"] = fill["category"].pk
        view["fill"] = fill
        view["summary"] = _summary(view)
    return view


def _summary(view: dict) -> str:
    lines = [_("Self-diagnosis “%(name)s”:") % {"name": view["run"].version.script.name}]
    lines += [f"- {s['text']} → {s['answer']}" for s in view["steps"]]
    lines.append(_("Result: %(text)s") % {"text": view["text"]})
    return "\n".join(lines)


def _panel(request, *, channel: str, run=None, ticket=None, category=None, status=200, **extra):
    portal = channel == RunChannel.PORTAL
    context = {
        "channel": channel,
        "ticket": ticket,
        "category": category,
        "scripts": offered(request.user, portal=portal, category=category),
        "current": run_view(run) if run is not None else None,
        **extra,
    }
    # A step answers the panel's inside: the panel stays in place, so the pages' own focus
    # handling (detail.js, runner.js: [data-focus] after a swap) finds the new question.
    template = BODY if request.htmx and context.get("focus") else TEMPLATE
    return render(request, template, context, status=status)


def _panel_for_run(request, run: ScriptRun, **extra):
    if run.ticket_id is not None:
        return _panel(request, channel=RunChannel.TICKET, run=run, ticket=run.ticket, **extra)
    return _panel(request, channel=run.channel, run=run, **extra)


def _staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


@login_required
@require_GET
def ticket_panel(request, pk: int):
    if not is_staff_member(request.user):
        raise Http404
    ticket = ticket_or_404(request.user, pk)
    runs = visible_script_runs(request.user, ticket.script_runs.all()).select_related(
        "version__script"
    )
    run = runs.filter(status=RunStatus.RUNNING).order_by("-pk").first()
    run = run or runs.order_by("-pk").first()
    return _panel(request, channel=RunChannel.TICKET, run=run, ticket=ticket,
                  category=ticket.category)  # fmt: skip


@login_required
@require_GET
def intake_panel(request):
    _staff(request)
    return _panel(request, channel=RunChannel.INTAKE)


@login_required
@require_GET
def portal_panel(request):
    category = _category(request.GET.get("category"))
    return _panel(request, channel=RunChannel.PORTAL, category=category)


def _run_or_404(user, pk) -> ScriptRun:
    run = visible_script_runs(user).select_related("version__script", "ticket").filter(pk=pk)
    found = run.first()
    if found is None:
        raise Http404
    return found


def _status(error: ActionError) -> int:
    return 403 if isinstance(error, Forbidden) else 400


@login_required
@require_POST
def start(request):
    channel = request.POST.get("channel", "")
    category = _category(request.POST.get("category"))
    ticket = None
    if channel == RunChannel.TICKET:
        ticket = ticket_or_404(request.user, request.POST.get("ticket"))
        category = ticket.category
    elif channel not in RunChannel.values:
        channel = RunChannel.PORTAL
    raw = request.POST.get("script", "")
    script = visible_scripts(request.user).filter(pk=int(raw) if raw.isdigit() else 0).first()
    try:
        if script is None:
            raise InvalidInput({"script": _("Choose one of the scripts.")})
        run = actions.start_run(script=script, actor=request.user, channel=channel, ticket=ticket)
    except ActionError as error:
        if not request.htmx:
            messages.error(request, error.message)
            return redirect(request.headers.get("Referer") or "scripts:list")
        return _panel(request, channel=channel, ticket=ticket, category=category,
                      error=error.message, status=_status(error), focus=True)  # fmt: skip
    if not request.htmx:
        return redirect("scripts:run", pk=run.pk)
    return _panel_for_run(request, run, focus=True, category=category)


STEPS = {
    "answer": lambda run, user, post: actions.answer(run=run, actor=user, index=post.get("answer")),
    "back": lambda run, user, post: actions.step_back(run=run, actor=user),
    "stop": lambda run, user, post: actions.stop(run=run, actor=user),
    "solved": lambda run, user, post: actions.confirm_solved(run=run, actor=user),
}


@login_required
@require_POST
def step(request, pk: int):
    run = _run_or_404(request.user, pk)
    action = request.POST.get("action") or "answer"
    category = _category(request.POST.get("category"))
    extra: dict = {"category": category, "focus": True}
    try:
        if action == "help":
            extra["need_help"] = True  # the portal's "I still need help": nothing to save
        elif action in STEPS:
            run = STEPS[action](run, request.user, request.POST)
            run = _run_or_404(request.user, run.pk)
            extra["done"] = action
        else:
            raise InvalidInput({"action": _("Unknown step.")})
    except ActionError as error:
        if not request.htmx:
            messages.error(request, error.message)
            return redirect("scripts:run", pk=run.pk)
        return _panel_for_run(request, run, error=error.message, status=_status(error), **extra)
    if not request.htmx:
        return redirect("scripts:run", pk=run.pk)
    return _panel_for_run(request, run, **extra)


@login_required
@require_http_methods(["GET"])
def run_page(request, pk: int):
    """The run on a page of its own: where the forms land without JavaScript."""
    run = _run_or_404(request.user, pk)
    view = run_view(run)
    portal = run.channel == RunChannel.PORTAL
    return render(
        request,
        "scripts/run.html",
        {
            "channel": RunChannel.TICKET if run.ticket_id else run.channel,
            "ticket": run.ticket,
            "current": view,
            "scripts": [],
            "category": None,
            "nav": "portal-new" if portal else "scripts",
        },
    )
