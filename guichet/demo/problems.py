"""The demo's problems: causes behind recurring incidents, in every state, each linked to the
demo's tickets of its category, and one published as a bilingual known error."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from guichet.demo.people import Cast
from guichet.knowledge.actions import update_article
from guichet.problems import actions
from guichet.problems.choices import ProblemStatus
from guichet.problems.models import Problem, ProblemTicket
from guichet.tickets.choices import TicketType
from guichet.tickets.models import Category, Ticket

# (category, team, days ago, impact, urgency, the statuses it went through, French fields,
#  English fields for its known error when it is published)
PROBLEMS: list[dict[str, Any]] = [
    {
        "category": "hardware-printer",
        "team": "n2",
        "days": 21,
        "levels": (4, 4),
        "path": [ProblemStatus.ANALYSING, ProblemStatus.KNOWN_ERROR],
        "fr": {
            "title": "Le pilote d'impression plante après la mise à jour 5.2",
            "description": "Depuis la mise à jour du pilote universel en version 5.2, le "
            "spouleur s'arrête dès qu'un document recto verso part vers les copieurs.",
            "impact_analysis": "Tous les sites équipés de copieurs multifonctions ; "
            "l'impression recto verso est bloquée.",
            "root_cause": "Régression du pilote 5.2 dans le module de gestion du recto verso "
            "(confirmée par l'éditeur).",
            "workaround": "Réinstaller le pilote 5.1 depuis le partage `\\\\deploy\\pilotes` "
            "puis redémarrer le service « Spouleur d'impression ».",
            "permanent_fix": "Déployer le correctif 5.2.1 de l'éditeur dès sa publication.",
        },
        "en": {
            "title": "Print driver crashes after the 5.2 update",
            "symptom": "Since the universal driver was updated to 5.2, the spooler stops as "
            "soon as a double-sided document is sent to the copiers.",
            "cause": "A regression of driver 5.2 in its duplex module (confirmed by the vendor).",
            "workaround": "Reinstall driver 5.1 from the `\\\\deploy\\drivers` share, then "
            "restart the Print Spooler service.",
            "solution": "Deploy the vendor's 5.2.1 fix as soon as it is released.",
        },
    },
    {
        "category": "network-vpn",
        "team": "network",
        "days": 12,
        "levels": (4, 3),
        "path": [ProblemStatus.ANALYSING],
        "fr": {
            "title": "Coupures VPN toutes les 20 minutes avec le firmware 7.4",
            "description": "Les utilisateurs en télétravail perdent la connexion VPN à "
            "intervalles réguliers depuis la mise à jour du pare-feu.",
            "impact_analysis": "Télétravailleurs des trois clients ; reconnexion manuelle.",
            "root_cause": "",
            "workaround": "Passer le client VPN en mode TCP/443 en attendant l'analyse.",
            "permanent_fix": "",
        },
    },
    {
        "category": "messaging-mailbox",
        "team": "n2",
        "days": 40,
        "levels": (3, 3),
        "path": [ProblemStatus.ANALYSING, ProblemStatus.SOLVED],
        "fr": {
            "title": "Profils Outlook corrompus après la migration des boîtes",
            "description": "Outlook reste sur « Chargement du profil » ou redemande le mot "
            "de passe en boucle.",
            "impact_analysis": "Une vingtaine de postes migrés le même week-end.",
            "root_cause": "Ancien cache OST conservé avec l'identifiant de la boîte d'origine.",
            "workaround": "Créer un nouveau profil Outlook et supprimer l'ancien fichier OST.",
            "permanent_fix": "Script de nettoyage des caches OST déployé par GPO.",
        },
    },
    {
        "category": "network-wifi",
        "team": "network",
        "days": 90,
        "levels": (2, 2),
        "path": [ProblemStatus.ANALYSING, ProblemStatus.SOLVED, ProblemStatus.CLOSED],
        "fr": {
            "title": "Wi-Fi instable en salle de réunion au 2e étage",
            "description": "Déconnexions fréquentes pendant les visioconférences.",
            "impact_analysis": "Réunions clients perturbées.",
            "root_cause": "Borne saturée et canal en conflit avec le voisin.",
            "workaround": "Utiliser la prise réseau murale de la salle.",
            "permanent_fix": "Deuxième borne installée, canaux 5 GHz replanifiés.",
        },
    },
    {
        "category": "accounts-password",
        "team": "n1",
        "days": 3,
        "levels": (3, 4),
        "path": [],
        "fr": {
            "title": "Comptes verrouillés chaque lundi matin",
            "description": "Plusieurs utilisateurs trouvent leur compte verrouillé en "
            "arrivant le lundi.",
            "impact_analysis": "",
            "root_cause": "",
            "workaround": "",
            "permanent_fix": "",
        },
    },
]
INCIDENTS_EACH = 5
TRANSLATION_EDITS = (("title_en", "symptom_en", "cause_en"), ("workaround_en", "solution_en"))


def _incidents(code: str) -> list[Ticket]:
    """Recent demo incidents of the category that no problem covers yet."""
    return list(
        Ticket.objects.filter(category__code=code, type=TicketType.INCIDENT)
        .exclude(problem_links__isnull=False)
        .order_by("-created_at")[:INCIDENTS_EACH]
    )


@transaction.atomic
def seed(cast: Cast, *, now: datetime) -> None:
    if Problem.objects.exists() or ProblemTicket.objects.exists():
        return  # seeded already (or someone works on problems here): leave it as it is
    actor = cast.admin  # sees every client's tickets, so every link is allowed
    categories = {c.code: c for c in Category.objects.all()}
    for spec in PROBLEMS:
        at = now - timedelta(days=spec["days"])
        impact, urgency = spec["levels"]
        members = cast.members.get(spec["team"]) or [actor]
        incidents = _incidents(spec["category"])
        if incidents:  # the problem comes after its incidents, never before them
            at = min(max(at, max(t.created_at for t in incidents) + timedelta(minutes=5)), now)
        problem = actions.create_problem(
            actor=actor,
            tickets=incidents,
            impact=impact,
            urgency=urgency,
            category=categories.get(spec["category"]),
            team=cast.teams.get(spec["team"]),
            assignee=members[0],
            at=at,
            **spec["fr"],
        )
        # The steps follow every two days, or closer together when that would pass now.
        spacing = min(timedelta(days=2), (now - at) / (len(spec["path"]) + 1))
        for step, status in enumerate(spec["path"], start=1):
            at_step = at + spacing * step
            if status == ProblemStatus.KNOWN_ERROR:
                article, _posted = actions.publish_known_error(
                    problem=problem, actor=actor, at=at_step
                )
                # The translation in two edits, as a translator would save it.
                english = {f"{name}_en": text for name, text in spec.get("en", {}).items()}
                for group in TRANSLATION_EDITS:
                    part = {name: english[name] for name in group if name in english}
                    if part:
                        update_article(article=article, actor=actor, at=at_step, **part)
            else:
                actions.set_status(problem=problem, actor=actor, status=status, at=at_step)
