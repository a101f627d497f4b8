"""Verbs for the reference data administrators edit: the priority matrix, the categories and
the pending reasons."""

import re

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.tickets.choices import Level, Priority
from guichet.tickets.models import Category, PendingReason, PriorityRule

CODE = re.compile(r"[a-z0-9][a-z0-9_-]*")
CODE_MAX = 50
NAME_MAX = 200


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


@transaction.atomic
def save_pending_reason(
    *,
    actor,
    code: str,
    name_fr: str,
    name_en: str,
    active: bool = True,
    reason: PendingReason | None = None,
) -> PendingReason:
    """Create a pending reason, or rename/deactivate an existing one. Its code never changes:
    the API, integrations and contracts' settings refer to reasons by code."""
    _require_admin(actor)
    errors: dict[str, str] = {}
    code = (code or "").strip()
    name_fr, name_en = (name_fr or "").strip(), (name_en or "").strip()
    if reason is not None:
        if code != reason.code:
            errors["code"] = _("The code of a pending reason cannot change.")
    elif not code:
        errors["code"] = _("Give a code.")
    elif len(code) > CODE_MAX:
        errors["code"] = _("At most %(n)d characters.") % {"n": CODE_MAX}
    elif not CODE.fullmatch(code):
        errors["code"] = _("Lower-case letters, digits, hyphens and underscores only.")
    elif PendingReason.objects.filter(code=code).exists():
        errors["code"] = _("Another pending reason has this code.")
    for field, name in (("name_fr", name_fr), ("name_en", name_en)):
        if not name:
            errors[field] = _("Give a name.")
        elif len(name) > NAME_MAX:
            errors[field] = _("At most %(n)d characters.") % {"n": NAME_MAX}
    if errors:
        raise InvalidInput(errors)
    if reason is None:
        return PendingReason.objects.create(
            code=code, name_fr=name_fr, name_en=name_en, active=bool(active)
        )
    reason.name_fr, reason.name_en, reason.active = name_fr, name_en, bool(active)
    reason.save(update_fields=["name_fr", "name_en", "active"])
    return reason
