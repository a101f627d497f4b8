"""Small trees and scripts for the scripts room's tests."""

from guichet.scripts import actions


def text(fr: str, en: str = "") -> dict:
    return {"fr": fr, "en": en or fr}


def small_tree(**outcome_actions) -> dict:
    """link? yes → gateway check → outcome "fixed" (with `outcome_actions`); no → "cable"."""
    return {
        "start": "link",
        "nodes": {
            "link": {
                "kind": "question",
                "text": text("Le voyant est-il allumé ?", "Is the link light on?"),
                "answers": [
                    {"text": text("Oui", "Yes"), "next": "restart"},
                    {"text": text("Non", "No"), "next": "cable"},
                ],
            },
            "restart": {
                "kind": "instruction",
                "text": text("Redémarrez la box.", "Restart the box."),
                "next": "gateway",
            },
            "gateway": {
                "kind": "check",
                "text": text("La passerelle répond-elle ?", "Does the gateway answer?"),
                "answers": [
                    {"text": text("Oui", "Yes"), "next": "fixed"},
                    {"text": text("Non", "No"), "next": "link"},
                ],
            },
            "fixed": {
                "kind": "outcome",
                "text": text("Réparé", "Fixed"),
                "actions": outcome_actions,
            },
            "cable": {
                "kind": "outcome",
                "text": text("Câble à changer", "Cable to replace"),
                "actions": {"visit": True},
            },
        },
    }


def make_script(code: str = "no-link", *, definition=None, in_portal=False, category=None):
    return actions.create_script(
        actor=None,
        code=code,
        name_fr="Pas de lien",
        name_en="No link",
        definition=definition or small_tree(),
        in_portal=in_portal,
        category=category,
    )
