"""What people write along the way, as (French, English) pairs."""

# ruff: noqa: E501 - texts read better unwrapped

import random

Pair = tuple[str, str]

STAFF_QUESTIONS: list[Pair] = [
    ("Bonjour, le problème touche-t-il aussi vos collègues ou seulement votre poste ?",
     "Hello, does the problem affect your colleagues too, or only your computer?"),
    ("Bonjour, pouvez-vous m'envoyer une capture d'écran du message d'erreur ?",
     "Hello, could you send me a screenshot of the error message?"),
    ("Je vous propose une prise en main à distance à 14 h, cela vous convient-il ?",
     "I suggest a remote session at 2 pm, does that suit you?"),
    ("Avez-vous installé quelque chose récemment, ou le poste a-t-il été déplacé ?",
     "Have you installed anything recently, or has the computer been moved?"),
    ("Pouvez-vous redémarrer complètement le poste et me dire si le problème persiste ?",
     "Could you fully restart the computer and tell me whether the problem is still there?"),
]  # fmt: skip

REQUESTER_REPLIES: list[Pair] = [
    ("Oui, deux collègues ont le même souci depuis ce matin.",
     "Yes, two colleagues have had the same issue since this morning."),
    ("Voici la capture demandée. Le message apparaît dès l'ouverture.",
     "Here is the screenshot. The message appears as soon as it opens."),
    ("14 h me convient, je serai à mon bureau.", "2 pm is fine, I will be at my desk."),
    ("J'ai redémarré, le problème est toujours là.", "I restarted; the problem is still there."),
    ("Non, rien n'a changé de mon côté à ma connaissance.",
     "No, nothing has changed on my side as far as I know."),
    ("Merci, je reste disponible toute la journée au poste 212.",
     "Thanks, I am available all day on extension 212."),
]  # fmt: skip

REQUESTER_NUDGES: list[Pair] = [
    ("Bonjour, avez-vous des nouvelles ? Je suis toujours bloqué.",
     "Hello, any news? I am still stuck."),
    ("Petite relance : c'est assez urgent pour nous.", "A gentle reminder: this is rather urgent for us."),
]  # fmt: skip

INTERNAL_NOTES: list[Pair] = [
    ("Vu avec le N2 : probablement lié au correctif déployé mardi.",
     "Checked with level 2: probably linked to the patch rolled out on Tuesday."),
    ("Le client a déjà eu ce souci en mars, voir l'historique du poste.",
     "The client had this issue in March already, see the computer's history."),
    ("Attention : contrat au forfait, déplacement à facturer en plus si hors périmètre.",
     "Careful: flat-fee contract, a visit is billed extra if out of scope."),
    ("Utilisateur joignable uniquement le matin.", "User only reachable in the morning."),
    ("Journaux récupérés et joints au dossier éditeur.", "Logs collected and added to the vendor case."),
]  # fmt: skip

TASKS: list[tuple[str, str, int, int]] = [
    ("Diagnostic à distance", "Remote diagnosis", 10, 45),
    ("Prise en main à distance et vérification des journaux",
     "Remote session and log review", 15, 60),
    ("Déplacement sur site et diagnostic", "On-site visit and diagnosis", 60, 180),
    ("Remplacement de la pièce et tests", "Part replaced and tested", 20, 90),
    ("Mise à jour des pilotes et redémarrage", "Drivers updated and restarted", 10, 30),
    ("Appel de vérification avec l'utilisateur", "Follow-up call with the user", 5, 15),
    ("Ouverture d'un dossier chez l'éditeur", "Case opened with the vendor", 10, 30),
    ("Documentation de l'intervention", "Intervention documented", 5, 20),
]  # fmt: skip

ESCALATION_NOTES: list[Pair] = [
    ("Dépasse le niveau 1 : il faut un accès administrateur au serveur.",
     "Beyond level 1: this needs administrator access to the server."),
    ("Diagnostic à distance terminé, une intervention sur place est nécessaire.",
     "Remote diagnosis done; someone has to go on site."),
    ("Problème réseau probable (plusieurs postes touchés), je transmets à l'équipe réseau.",
     "Probably a network problem (several computers affected), passing it to the network team."),
    ("Correctif applicatif nécessaire, je transmets aux experts.",
     "An application fix is needed, passing it to the experts."),
]  # fmt: skip

SUPERVISOR_NOTES: list[Pair] = [
    ("Client mécontent : troisième relance, le contrat prévoit une GTR de 4 h.",
     "Unhappy client: third reminder, the contract promises a 4-hour fix time."),
    ("Le dirigeant a appelé directement, merci de reprendre le dossier en main.",
     "The managing director called in person; please take the case in hand."),
    ("Risque de dépassement du forfait : validation d'un devis nécessaire.",
     "The flat fee may be exceeded: a quote must be approved."),
]  # fmt: skip

PENDING_NOTES: dict[str, list[Pair]] = {
    "customer": [
        ("En attente du retour de l'utilisateur (absent jusqu'à lundi).",
         "Waiting for the user to answer (away until Monday)."),
        ("Rendez-vous à confirmer par le client.", "Waiting for the client to confirm a time."),
    ],
    "supplier": [("Dossier ouvert chez le fournisseur, réf. {ref}.", "Case opened with the supplier, ref. {ref}.")],
    "part": [("Pièce commandée, livraison prévue sous 48 h.", "Part ordered, delivery expected within 48 hours.")],
    "third-party": [("En attente de l'intervention de l'opérateur.", "Waiting for the carrier's engineer.")],
    "planned": [("Intervention à planifier avec le client.", "Visit to be planned with the client.")],
}  # fmt: skip

REFUSALS: list[Pair] = [
    ("Le problème est revenu ce matin, rien n'a changé.", "The problem came back this morning; nothing changed."),
    ("Ce n'est pas résolu : le message d'erreur s'affiche toujours.",
     "It is not solved: the error message still shows."),
]  # fmt: skip

REOPENINGS: list[Pair] = [
    ("Le client rappelle : même symptôme depuis hier.", "The client called back: same symptom since yesterday."),
    ("Rechute constatée lors de la vérification hebdomadaire.", "Relapse found during the weekly check."),
]  # fmt: skip

SATISFACTION: dict[int, list[Pair]] = {
    5: [("Très réactif, merci beaucoup !", "Very quick, thanks a lot!"), ("Parfait.", "Perfect.")],
    4: [("Bien résolu, un peu d'attente au téléphone.", "Well solved, a bit of a wait on the phone.")],
    3: [("Résolu mais il a fallu relancer.", "Solved, but I had to chase it.")],
    2: [("Trop long pour un problème simple.", "Far too long for a simple problem.")],
    1: [("Toujours pas satisfait de la solution.", "Still not happy with the solution.")],
}  # fmt: skip


def pick(rng: random.Random, pairs: list[Pair], language: str) -> str:
    fr, en = rng.choice(pairs)
    return en if language == "en" else fr
