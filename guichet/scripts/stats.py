"""Figures of a script's runs: how often each outcome is reached, how many solved at first
contact, where callers drop out. Counted over the runs the viewer may see (the one door)."""

from django.db.models import Count, Q
from django.utils.translation import get_language

from guichet.accounts.access import visible_script_runs
from guichet.scripts import tree
from guichet.scripts.choices import RunStatus
from guichet.scripts.models import Script, ScriptRun


def per_script(user, scripts) -> dict[int, dict]:
    """{script id: {"runs", "finished", "solved"}} for the list."""
    rows = (
        visible_script_runs(user, ScriptRun.objects.filter(version__script__in=scripts))
        .values("version__script")
        .annotate(
            runs=Count("id"),
            finished=Count("id", filter=Q(status=RunStatus.FINISHED)),
            solved=Count("id", filter=Q(solved=True)),
        )
    )
    return {row.pop("version__script"): row for row in rows}


def _label(definitions: list[dict], node_id: str) -> str:
    """A node's text in the newest version that has it (ids may disappear from later ones)."""
    for definition in definitions:
        node = definition.get("nodes", {}).get(node_id)
        if node:
            return tree.text_of(node.get("text"), get_language())
    return node_id


def of_script(user, script: Script) -> dict:
    runs = visible_script_runs(user, ScriptRun.objects.filter(version__script=script))
    definitions = [v.definition for v in script.versions.order_by("-number")]
    totals = runs.aggregate(
        runs=Count("id"),
        finished=Count("id", filter=Q(status=RunStatus.FINISHED)),
        solved=Count("id", filter=Q(solved=True)),
        abandoned=Count("id", filter=Q(status=RunStatus.ABANDONED)),
        running=Count("id", filter=Q(status=RunStatus.RUNNING)),
    )
    outcomes = (
        runs.filter(status=RunStatus.FINISHED)
        .values("outcome")
        .annotate(count=Count("id"), solved=Count("id", filter=Q(solved=True)))
        .order_by("-count", "outcome")
    )
    dropouts = (
        runs.exclude(status=RunStatus.FINISHED)
        .values("node")
        .annotate(
            count=Count("id"),
            abandoned=Count("id", filter=Q(status=RunStatus.ABANDONED)),
            running=Count("id", filter=Q(status=RunStatus.RUNNING)),
        )
        .order_by("-count", "node")
    )
    per_version = dict(
        runs.values("version__number").annotate(n=Count("id")).values_list("version__number", "n")
    )
    return {
        **totals,
        "outcomes": [{**row, "label": _label(definitions, row["outcome"])} for row in outcomes],
        "dropouts": [{**row, "label": _label(definitions, row["node"])} for row in dropouts],
        "per_version": per_version,
    }
