"""The questioning scripts every installation starts with (YAML files in `seeds/`).

Loaded by a data migration with the historical models, and by tests whose database was
flushed; a script whose code already exists is left as it is.
"""

from pathlib import Path

from django.utils import timezone

from guichet.scripts import tree

SEEDS = Path(__file__).parent / "seeds"


def documents() -> list[dict]:
    return [tree.parse(path.read_text("utf-8"), "yaml") for path in sorted(SEEDS.glob("*.yaml"))]


def load(apps) -> int:
    """Create the missing seeded scripts; returns how many were created."""
    Script = apps.get_model("scripts", "Script")
    ScriptVersion = apps.get_model("scripts", "ScriptVersion")
    Category = apps.get_model("tickets", "Category")
    now = timezone.now()
    created = 0
    for document in documents():
        if Script.objects.filter(code=document["code"]).exists():
            continue
        name = document.get("name") or {}
        description = document.get("description") or {}
        script = Script.objects.create(
            code=document["code"],
            name_fr=name.get("fr", ""),
            name_en=name.get("en", ""),
            description_fr=description.get("fr", ""),
            description_en=description.get("en", ""),
            category=Category.objects.filter(code=document.get("category") or "").first(),
            active=document.get("active", True),
            in_portal=document.get("in_portal", False),
            created_at=now,
            updated_at=now,
        )
        version = ScriptVersion.objects.create(
            script=script,
            number=1,
            definition=tree.tree_of(document),
            note="Seed",
            created_at=now,
        )
        script.current = version
        script.save(update_fields=["current"])
        created += 1
    return created
