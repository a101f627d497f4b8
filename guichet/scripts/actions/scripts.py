"""Writing scripts: their settings, and their trees as versions (a saved version never changes)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.scripts import tree
from guichet.scripts.choices import NodeKind
from guichet.scripts.models import Script, ScriptVersion
from guichet.tickets.models import Category

NAME_MAX = 200
NOTE_MAX = 250


def may_edit(user) -> bool:
    """Supervisors and administrators write scripts; technicians follow them."""
    return bool(user.is_authenticated and user.is_active and user.is_supervisor)


def require_editor(actor) -> None:
    """`actor` None is the command line (`guichet scripts import`), run by the operator."""
    if actor is not None and not may_edit(actor):
        raise Forbidden(_("Only supervisors and administrators can change scripts."))


def check_tree(definition) -> dict:
    """The tree part of `definition`, or InvalidInput naming each bad node."""
    errors = tree.validate(definition)
    if errors:
        raise InvalidInput({"definition": errors})
    definition = tree.tree_of(definition)
    codes = {
        node["actions"]["category"]: nid
        for nid, node in definition["nodes"].items()
        if node["kind"] == NodeKind.OUTCOME and "category" in (node.get("actions") or {})
    }
    known = set(Category.objects.filter(code__in=list(codes)).values_list("code", flat=True))
    missing = [
        _("Node “%(id)s”: the category “%(code)s” does not exist.") % {"id": nid, "code": code}
        for code, nid in codes.items()
        if code not in known
    ]
    if missing:
        raise InvalidInput({"definition": missing})
    return definition


def _names(errors: dict, name_fr: str, name_en: str) -> tuple[str, str]:
    name_fr, name_en = (name_fr or "").strip(), (name_en or "").strip()
    if not (name_fr or name_en):
        errors["name_fr"] = _("Give the script a name in at least one language.")
    for field, value in (("name_fr", name_fr), ("name_en", name_en)):
        if len(value) > NAME_MAX:
            errors[field] = _("At most %(max)s characters.") % {"max": NAME_MAX}
    return name_fr, name_en


@transaction.atomic
def create_script(
    *,
    actor,
    code: str,
    name_fr: str,
    name_en: str,
    definition: dict,
    description_fr: str = "",
    description_en: str = "",
    category: Category | None = None,
    active: bool = True,
    in_portal: bool = False,
    note: str = "",
    at: datetime | None = None,
) -> Script:
    require_editor(actor)
    at = at or timezone.now()
    errors: dict = {}
    code = (code or "").strip()
    if not tree.NODE_ID.match(code):
        errors["code"] = _("Lowercase letters, digits, “-” or “_”.")
    elif Script.objects.filter(code=code).exists():
        errors["code"] = _("A script with this code already exists.")
    name_fr, name_en = _names(errors, name_fr, name_en)
    try:
        definition = check_tree(definition)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    script = Script.objects.create(
        code=code,
        name_fr=name_fr,
        name_en=name_en,
        description_fr=description_fr or "",
        description_en=description_en or "",
        category=category,
        active=active,
        in_portal=in_portal,
        created_at=at,
        updated_at=at,
    )
    _add_version(script, definition, actor=actor, note=note or _("Created"), at=at)
    return script


@transaction.atomic
def update_script(
    *,
    script: Script,
    actor,
    name_fr: str,
    name_en: str,
    description_fr: str = "",
    description_en: str = "",
    category: Category | None = None,
    active: bool = True,
    in_portal: bool = False,
    at: datetime | None = None,
) -> Script:
    """Change a script's settings (its tree changes by `save_version`)."""
    require_editor(actor)
    errors: dict = {}
    name_fr, name_en = _names(errors, name_fr, name_en)
    if errors:
        raise InvalidInput(errors)
    script = Script.objects.select_for_update().get(pk=script.pk)
    script.name_fr, script.name_en = name_fr, name_en
    script.description_fr, script.description_en = description_fr or "", description_en or ""
    script.category = category
    script.active, script.in_portal = active, in_portal
    script.updated_at = at or timezone.now()
    script.save(
        update_fields=[
            "name_fr",
            "name_en",
            "description_fr",
            "description_en",
            "category",
            "active",
            "in_portal",
            "updated_at",
        ]
    )
    return script


@transaction.atomic
def save_version(
    *, script: Script, actor, definition: dict, note: str = "", at: datetime | None = None
) -> ScriptVersion:
    """Save the tree as the script's next version and make it the one that runs."""
    require_editor(actor)
    definition = check_tree(definition)
    if len(note or "") > NOTE_MAX:
        raise InvalidInput({"note": _("At most %(max)s characters.") % {"max": NOTE_MAX}})
    script = Script.objects.select_for_update().get(pk=script.pk)
    return _add_version(script, definition, actor=actor, note=note, at=at or timezone.now())


def _add_version(script: Script, definition: dict, *, actor, note: str, at) -> ScriptVersion:
    last = script.versions.aggregate(n=Max("number"))["n"] or 0
    version = ScriptVersion.objects.create(
        script=script,
        number=last + 1,
        definition=definition,
        note=(note or "")[:NOTE_MAX],
        created_by=actor,
        created_at=at,
    )
    script.current = version
    script.updated_at = at
    script.save(update_fields=["current", "updated_at"])
    return version


@transaction.atomic
def import_document(*, actor, document: dict, note: str = "") -> tuple[Script, ScriptVersion]:
    """A script file (see `tree`): a new version of the script with its code, else a new
    script. The file's settings (names, category, portal) apply to a new script only."""
    require_editor(actor)
    code = document.get("code")
    script = Script.objects.filter(code=code).first() if isinstance(code, str) else None
    if script is not None:
        version = save_version(script=script, actor=actor, definition=document, note=note)
        return script, version
    if not isinstance(code, str):
        raise InvalidInput({"code": _("The file must give the script's “code”.")})
    name: dict = document["name"] if isinstance(document.get("name"), dict) else {}
    description: dict = (
        document["description"] if isinstance(document.get("description"), dict) else {}
    )
    category_code = document.get("category")
    category = (
        Category.objects.filter(code=category_code).first()
        if isinstance(category_code, str)
        else None
    )
    script = create_script(
        actor=actor,
        code=code,
        name_fr=str(name.get("fr") or ""),
        name_en=str(name.get("en") or ""),
        description_fr=str(description.get("fr") or ""),
        description_en=str(description.get("en") or ""),
        category=category,
        active=document.get("active") is not False,
        in_portal=document.get("in_portal") is True,
        definition=document,
        note=note or _("Imported"),
    )
    assert script.current is not None
    return script, script.current


def export_document(script: Script, version: ScriptVersion | None = None) -> dict:
    """The script and one version (the current one by default) as a file's content."""
    version = version or script.current
    return {
        "code": script.code,
        "name": {"fr": script.name_fr, "en": script.name_en},
        "description": {"fr": script.description_fr, "en": script.description_en},
        "category": script.category.code if script.category else None,
        "active": script.active,
        "in_portal": script.in_portal,
        "version": version.number if version else None,
        **(version.definition if version else {"start": None, "nodes": {}}),
    }
