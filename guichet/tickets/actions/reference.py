"""Verbs for the reference data administrators edit: the priority matrix and the categories."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.tickets.choices import Level, Priority
from guichet.tickets.models import Category, PriorityRule


def _require_admin(actor) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Only administrators can change this."))


@transaction.atomic
def set_priority_matrix(*, actor, matrix: dict[tuple[int, int], int]) -> int:
    """Replace cells of the impact × urgency matrix; returns how many cells changed."""
    _require_admin(actor)
    errors = {}
    for (urgency, impact), priority in matrix.items():
        if urgency not in Level.values or impact not in Level.values:
            errors[f"u{urgency}_i{impact}"] = _("Unknown cell.")
        elif priority not in Priority.values or priority == Priority.MAJOR:
            errors[f"u{urgency}_i{impact}"] = _("Must be from 1 to 5.")
    if errors:
        raise InvalidInput(errors)
    changed = 0
    for (urgency, impact), priority in matrix.items():
        rule, created = PriorityRule.objects.get_or_create(
            urgency=urgency, impact=impact, defaults={"priority": priority}
        )
        if created:
            changed += 1
        elif rule.priority != priority:
            rule.priority = priority
            rule.save(update_fields=["priority"])
            changed += 1
    return changed


@transaction.atomic
def save_category(
    *,
    actor,
    name_fr: str,
    name_en: str,
    parent: Category | None = None,
    category: Category | None = None,
    active: bool = True,
) -> Category:
    """Create a category, or rename/move/deactivate an existing one."""
    _require_admin(actor)
    errors = {}
    name_fr, name_en = (name_fr or "").strip(), (name_en or "").strip()
    if not name_fr and not name_en:
        errors["name_fr"] = _("Give a name in at least one language.")
    if len(name_fr) > 200 or len(name_en) > 200:
        errors["name_fr"] = _("At most %(n)d characters.") % {"n": 200}
    if parent is not None and category is not None:
        node: Category | None = parent
        while node is not None:
            if node.pk == category.pk:
                errors["parent"] = _("A category cannot be placed under itself.")
                break
            node = node.parent
    if errors:
        raise InvalidInput(errors)
    if category is None:
        base = slugify(f"{parent.code}-{name_en or name_fr}" if parent else (name_en or name_fr))
        code, n = base[:90] or "category", 1
        while Category.objects.filter(code=code).exists():
            n += 1
            code = f"{base[:85]}-{n}"
        return Category.objects.create(
            code=code, name_fr=name_fr, name_en=name_en, parent=parent, active=active
        )
    category.name_fr, category.name_en = name_fr, name_en
    category.parent, category.active = parent, active
    category.save(update_fields=["name_fr", "name_en", "parent", "active"])
    return category
