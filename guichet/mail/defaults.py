"""The mail Guichet sends when an administrator has not written their own: one (subject, body)
per kind and language.

Bodies are plain text in the Django template language, rendered by `guichet.mail.render`
with a small sandboxed engine; they read only the plain strings of the mail context (see
`render.EXAMPLE_CONTEXT`). Subjects never name the ticket: the renderer puts "[#1234] " in
front, the same way for every kind, so replies find their ticket again. Optional values are
wrapped in `{% if %}` so that an empty one leaves no dangling label; the renderer removes the
blank lines the tags leave behind.
"""

from guichet.mail.choices import MailKind

# Greeting and sign-off shared by every mail, so that all of them read as one desk's voice.
_HELLO_FR = "Bonjour{% if recipient.name %} {{ recipient.name }}{% endif %},"
_HELLO_EN = "Hello{% if recipient.name %} {{ recipient.name }}{% endif %},"
_SIGNED_FR = "Cordialement,\n\nL'équipe support\n{{ site_name }}"
_SIGNED_EN = "Kind regards,\n\nThe support team\n{{ site_name }}"
# Mail to technicians and supervisors: colleagues, no formal closing line.
_TEAM_FR = "L'équipe support\n{{ site_name }}"
_TEAM_EN = "The support team\n{{ site_name }}"

# The ticket's facts a technician wants at a glance, one per line, each only when known.
_FACTS_FR = (
    "{% if organisation.name %}\nClient : {{ organisation.name }}{% endif %}"
    "{% if ticket.priority %}\nPriorité : {{ ticket.priority }}{% endif %}"
    "{% if ticket.status %}\nStatut : {{ ticket.status }}{% endif %}"
)
_FACTS_EN = (
    "{% if organisation.name %}\nCustomer: {{ organisation.name }}{% endif %}"
    "{% if ticket.priority %}\nPriority: {{ ticket.priority }}{% endif %}"
    "{% if ticket.status %}\nStatus: {{ ticket.status }}{% endif %}"
)
_NOTE_FR = "{% if note %}\n\nNote : {{ note }}{% endif %}"
_NOTE_EN = "{% if note %}\n\nNote: {{ note }}{% endif %}"
_OPEN_FR = "{% if ticket.url %}\n\nOuvrir la demande : {{ ticket.url }}{% endif %}"
_OPEN_EN = "{% if ticket.url %}\n\nOpen the ticket: {{ ticket.url }}{% endif %}"
_TICKET_FR = "{{ ticket.reference }} « {{ ticket.title }} »"
_TICKET_EN = '{{ ticket.reference }} "{{ ticket.title }}"'
_KEEP_REFERENCE_FR = (
    "répondez simplement à ce message en conservant la référence [{{ ticket.reference }}] "
    "dans l'objet"
)
_KEEP_REFERENCE_EN = (
    "simply reply to this email and keep the reference [{{ ticket.reference }}] in the subject line"
)


def _mail(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    MailKind.ACKNOWLEDGEMENT.value: {
        "fr": (
            "Votre demande a bien été enregistrée : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                "Nous avons bien reçu votre demande et l'avons enregistrée sous le numéro "
                "{{ ticket.reference }} :\n« {{ ticket.title }} »",
                "Un technicien va la prendre en charge dans les meilleurs délais.",
                f"Pour nous transmettre un complément d'information, {_KEEP_REFERENCE_FR} : "
                "votre message sera ajouté à votre demande."
                "{% if ticket.url %}\n\nVous pouvez aussi suivre son avancement sur le portail :"
                "\n{{ ticket.url }}{% endif %}",
                _SIGNED_FR,
            ),
        ),
        "en": (
            "We have received your request: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                "Thank you for contacting us. We have received your request and registered it "
                'as ticket {{ ticket.reference }}:\n"{{ ticket.title }}"',
                "A technician will handle it as soon as possible.",
                f"To send us more information, {_KEEP_REFERENCE_EN}: "
                "your message will be added to your ticket."
                "{% if ticket.url %}\n\nYou can also follow its progress on the portal:"
                "\n{{ ticket.url }}{% endif %}",
                _SIGNED_EN,
            ),
        ),
    },
    MailKind.REPLY.value: {
        "fr": (
            "Nouvelle réponse à votre demande : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                "{% if author %}{{ author }} a répondu{% else %}Notre équipe a répondu"
                f"{{% endif %}} à votre demande {_TICKET_FR} :",
                "{{ message }}",
                f"Pour répondre, {_KEEP_REFERENCE_FR}."
                "{% if ticket.url %}\n\nRetrouvez l'ensemble des échanges sur le portail :"
                "\n{{ ticket.url }}{% endif %}",
                _SIGNED_FR,
            ),
        ),
        "en": (
            "New reply to your request: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                "{% if author %}{{ author }} has replied{% else %}Our team has replied"
                f"{{% endif %}} to your request {_TICKET_EN}:",
                "{{ message }}",
                f"To answer, {_KEEP_REFERENCE_EN}."
                "{% if ticket.url %}\n\nYou can read the whole conversation on the portal:"
                "\n{{ ticket.url }}{% endif %}",
                _SIGNED_EN,
            ),
        ),
    },
    MailKind.SOLUTION.value: {
        "fr": (
            "Solution proposée pour votre demande : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                "{% if author %}{{ author }} vous propose{% else %}Nous vous proposons"
                f"{{% endif %}} la solution suivante pour votre demande {_TICKET_FR} :",
                "{{ solution }}",
                "Si le problème est résolu, merci de nous le confirmer en un clic :"
                "\n{{ accept_url }}",
                "Si le problème persiste, indiquez-le-nous et nous reprendrons votre demande :"
                "\n{{ refuse_url }}",
                "{% if expires %}Ces liens sont valables jusqu'au {{ expires }}. {% endif %}"
                "Sans réponse de votre part, la demande sera close automatiquement dans "
                "quelques jours.",
                _SIGNED_FR,
            ),
        ),
        "en": (
            "A solution is proposed for your request: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                "{% if author %}{{ author }} proposes{% else %}We propose{% endif %} "
                f"the following solution for your request {_TICKET_EN}:",
                "{{ solution }}",
                "If the problem is solved, please confirm it in one click:\n{{ accept_url }}",
                "If the problem persists, let us know and we will resume work on your request:"
                "\n{{ refuse_url }}",
                "{% if expires %}These links are valid until {{ expires }}. {% endif %}"
                "Without an answer from you, the ticket will be closed automatically after "
                "a few days.",
                _SIGNED_EN,
            ),
        ),
    },
    MailKind.CLOSURE.value: {
        "fr": (
            "Votre demande est close : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                f"Votre demande {_TICKET_FR} est désormais close."
                "{% if solution %}\n\nSolution apportée :\n{{ solution }}{% endif %}",
                "{% if satisfaction_url %}Votre avis nous aide à améliorer notre service : "
                "pourriez-vous prendre une minute pour évaluer notre intervention ?"
                "\n{{ satisfaction_url }}{% endif %}",
                "Si vous rencontrez un nouveau problème, n'hésitez pas à nous écrire.",
                "Merci de votre confiance.",
                _SIGNED_FR,
            ),
        ),
        "en": (
            "Your request is closed: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                f"Your request {_TICKET_EN} is now closed."
                "{% if solution %}\n\nSolution:\n{{ solution }}{% endif %}",
                "{% if satisfaction_url %}Your opinion helps us improve our service: "
                "could you take a minute to rate our work?\n{{ satisfaction_url }}{% endif %}",
                "If you run into a new problem, do not hesitate to write to us.",
                "Thank you for your trust.",
                _SIGNED_EN,
            ),
        ),
    },
    MailKind.REFUSAL.value: {
        "fr": (
            "Votre message n'a pas pu être enregistré",
            _mail(
                _HELLO_FR,
                "Nous avons bien reçu votre message, mais nous n'avons pas pu ouvrir de "
                "demande à partir de cette adresse."
                "{% if reason %}\n\nMotif : {{ reason }}{% endif %}",
                "Si vous êtes client de nos services, contactez-nous par téléphone ou déposez "
                "votre demande sur le portail du support : nous la traiterons dans les "
                "meilleurs délais.",
                "Nous vous prions de nous excuser pour ce désagrément.",
                _SIGNED_FR,
            ),
        ),
        "en": (
            "Your message could not be registered",
            _mail(
                _HELLO_EN,
                "We have received your message, but we could not open a request from this "
                "address.{% if reason %}\n\nReason: {{ reason }}{% endif %}",
                "If you are one of our customers, please call us or submit your request on "
                "the support portal: we will handle it as soon as possible.",
                "We apologise for the inconvenience.",
                _SIGNED_EN,
            ),
        ),
    },
    MailKind.ASSIGNED.value: {
        "fr": (
            "Demande qui vous est attribuée : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                f"La demande {_TICKET_FR} vous a été attribuée"
                "{% if author %} par {{ author }}{% endif %}.\n" + _FACTS_FR + _NOTE_FR + _OPEN_FR,
                _TEAM_FR,
            ),
        ),
        "en": (
            "Ticket assigned to you: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                f"Ticket {_TICKET_EN} has been assigned to you"
                "{% if author %} by {{ author }}{% endif %}.\n" + _FACTS_EN + _NOTE_EN + _OPEN_EN,
                _TEAM_EN,
            ),
        ),
    },
    MailKind.FOLLOWUP.value: {
        "fr": (
            "Nouveau message du demandeur : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                "{% if author %}{{ author }}{% else %}Le demandeur{% endif %} a répondu sur "
                f"la demande {_TICKET_FR}"
                "{% if organisation.name %} ({{ organisation.name }}){% endif %} :",
                "{{ message }}" + _OPEN_FR,
                _TEAM_FR,
            ),
        ),
        "en": (
            "New message from the requester: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                "{% if author %}{{ author }}{% else %}The requester{% endif %} replied on "
                f"ticket {_TICKET_EN}"
                "{% if organisation.name %} ({{ organisation.name }}){% endif %}:",
                "{{ message }}" + _OPEN_EN,
                _TEAM_EN,
            ),
        ),
    },
    MailKind.ESCALATED.value: {
        "fr": (
            "Demande transmise à votre équipe : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                f"La demande {_TICKET_FR} a été transmise à votre équipe"
                "{% if author %} par {{ author }}{% endif %}. Merci de la prendre en charge."
                "{% if message %}\n\n{{ message }}{% endif %}\n" + _FACTS_FR + _NOTE_FR + _OPEN_FR,
                _TEAM_FR,
            ),
        ),
        "en": (
            "Ticket escalated to your team: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                f"Ticket {_TICKET_EN} has been escalated to your team"
                "{% if author %} by {{ author }}{% endif %}. Please take it over."
                "{% if message %}\n\n{{ message }}{% endif %}\n" + _FACTS_EN + _NOTE_EN + _OPEN_EN,
                _TEAM_EN,
            ),
        ),
    },
    MailKind.ESCALATED_UP.value: {
        "fr": (
            "Demande remontée pour arbitrage : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                f"La demande {_TICKET_FR} vous a été remontée"
                "{% if author %} par {{ author }}{% endif %} et attend votre décision."
                "{% if message %}\n\n{{ message }}{% endif %}\n" + _FACTS_FR + _NOTE_FR + _OPEN_FR,
                _TEAM_FR,
            ),
        ),
        "en": (
            "Ticket escalated to you for a decision: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                f"Ticket {_TICKET_EN} has been escalated to you"
                "{% if author %} by {{ author }}{% endif %} and awaits your decision."
                "{% if message %}\n\n{{ message }}{% endif %}\n" + _FACTS_EN + _NOTE_EN + _OPEN_EN,
                _TEAM_EN,
            ),
        ),
    },
    MailKind.REFUSED.value: {
        "fr": (
            "Solution refusée par le demandeur : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                "{% if author %}{{ author }}{% else %}Le demandeur{% endif %} a refusé la "
                f"solution proposée pour la demande {_TICKET_FR} : elle est de nouveau à traiter."
                "{% if message %}\n\nMotif indiqué :\n{{ message }}{% endif %}" + _OPEN_FR,
                _TEAM_FR,
            ),
        ),
        "en": (
            "Solution refused by the requester: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                "{% if author %}{{ author }}{% else %}The requester{% endif %} refused the "
                f"solution proposed for ticket {_TICKET_EN}: it needs work again."
                "{% if message %}\n\nReason given:\n{{ message }}{% endif %}" + _OPEN_EN,
                _TEAM_EN,
            ),
        ),
    },
    MailKind.SLA.value: {
        "fr": (
            "Alerte de niveau de service : {{ ticket.title }}",
            _mail(
                _HELLO_FR,
                "{% if message %}{{ message }}{% else %}Le niveau de service de cette demande "
                "est menacé.{% endif %}",
                f"Demande : {_TICKET_FR}" + _FACTS_FR + _OPEN_FR,
                _TEAM_FR,
            ),
        ),
        "en": (
            "Service level warning: {{ ticket.title }}",
            _mail(
                _HELLO_EN,
                "{% if message %}{{ message }}{% else %}The service level of this ticket is "
                "at risk.{% endif %}",
                f"Ticket: {_TICKET_EN}" + _FACTS_EN + _OPEN_EN,
                _TEAM_EN,
            ),
        ),
    },
}
