"""Small factory functions for problems, through the real actions."""

from guichet.problems import actions
from guichet.problems.models import Problem


def make_problem(actor, *, title: str = "Printers crash after the driver update", **fields):
    return actions.create_problem(actor=actor, title=title, **fields)


def reload(problem: Problem) -> Problem:
    return Problem.objects.get(pk=problem.pk)
