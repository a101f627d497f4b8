"""Messages for the mail scenarios, written the way clients' mail programs write them.

The senders and the threads come from the data set: new requests from its contacts, replies
from the requesters of its tickets to the mail Guichet sent about them (`In-Reply-To` and
`References` naming a real `OutboundMessage.message_id`), or naming the ticket in the subject
(`[#1234]`) only, out-of-office answers to that mail, and strangers. Texts are the demo's
French and English scenarios (those of the tickets), in plain text or in plain text and HTML
(`multipart/alternative`, as Outlook and webmails send), replies quoting the message they
answer; a few carry a PDF of about 50 KB.

Everything is read from the SQLite file of the data set (its ids are those of a PostgreSQL
replica of it too) and drawn from a seeded generator: the same data set gives the same mail.
"""

import html
import random
import sqlite3
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from django.utils import timezone

from guichet.demo.scenarios import render
from guichet.demo.scenarios_more import SCENARIOS

# Share of each kind of message: (kind, weight). "reply" answers an open ticket (a follow-up),
# "reply_closed" a closed one (a new ticket that names it), "subject" names an open ticket in
# its subject only.
MIX = (
    ("new", 70),
    ("reply", 13),
    ("subject", 4),
    ("reply_closed", 3),
    ("auto", 5),
    ("unknown", 5),
)
# What ingestion should make of each kind.
EXPECTED = {
    "new": "ticket",
    "reply": "followup",
    "subject": "followup",
    "reply_closed": "ticket",
    "auto": "ignored",
    "unknown": "ticket",
}
ATTACHMENT_SHARE = 0.02
PDF_BYTES = 50 * 1024
HTML_SHARE = 0.5
OPEN_STATUSES = ("new", "assigned", "planned", "pending", "solved")
DESK_ADDRESS = "support@guichet.example"
STRANGER_DOMAINS = ("gmail.example", "orange.example", "outlook.example", "free.example")

SIGN_OFF = {"fr": "Cordialement,", "en": "Best regards,"}
REPLIES = {
    "fr": [
        "Bonjour,\n\nC'est toujours pareil ce matin, le problème n'est pas réglé.",
        "Bonjour,\n\nMerci pour votre retour. Je serai disponible demain à partir de 14 h.",
        "Bonjour,\n\nJe vous joins les informations demandées. Le poste est au deuxième étage.",
        "Bonjour,\n\nLe redémarrage n'a rien changé, l'erreur revient au bout de quelques minutes.",
        "Bonjour,\n\nUn collègue a le même souci depuis hier. Pouvez-vous regarder ?",
    ],
    "en": [
        "Hello,\n\nIt is still the same this morning, the problem is not solved.",
        "Hello,\n\nThanks for getting back to me. I am available tomorrow from 2 pm.",
        "Hello,\n\nPlease find the details you asked for. The computer is on the second floor.",
        "Hello,\n\nRestarting did not help, the error comes back after a few minutes.",
        "Hello,\n\nA colleague has had the same issue since yesterday. Could you have a look?",
    ],
}
QUOTED = {  # what the client's program writes above the message it quotes, and that message
    "fr": (
        "Guichet <support@guichet.example> a écrit :",
        "Bonjour,\n\nNous avons bien reçu votre demande « {} ».\nUn technicien va la prendre "
        "en charge.\n\nL'équipe support",
    ),
    "en": (
        "Guichet <support@guichet.example> wrote:",
        'Hello,\n\nWe have received your request "{}".\nA technician will take it '
        "on.\n\nThe support team",
    ),
}
AUTO_REPLIES = {
    "fr": (
        "Réponse automatique : ",
        "Bonjour,\n\nJe suis absent(e) du bureau jusqu'au lundi 8 inclus, avec un accès limité "
        "à mes messages. Pour toute urgence, contactez l'accueil.\n\nCordialement,",
    ),
    "en": (
        "Automatic reply: ",
        "Hello,\n\nI am out of the office until Monday the 8th with limited access to my mail. "
        "For anything urgent, please call the front desk.\n\nBest regards,",
    ),
}


@dataclass(frozen=True)
class Person:
    email: str
    first: str
    last: str
    language: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()


@dataclass(frozen=True)
class Thread:
    """A ticket of the data set, its requester, and a mail Guichet sent about it."""

    ticket_id: int
    title: str
    requester: Person
    outbound_id: str


@dataclass(frozen=True)
class Message:
    kind: str  # a key of EXPECTED
    message_id: str
    raw: bytes
    ticket_id: int | None = None  # the ticket a reply answers


def _person(row) -> Person:
    email, first, last, language = row
    return Person(email, first or "", last or "", language if language in ("fr", "en") else "fr")


def read_sources(db: Path, *, threads: int, seed: int) -> tuple[list[Person], dict[str, list]]:
    """The contacts who write, and threads to answer: open tickets and closed ones."""
    cx = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        # Addresses with accents (a sixth of the data set's) would need SMTPUTF8, which few
        # mail systems speak: those contacts do not write.
        contacts = [
            _person(row)
            for row in cx.execute(
                "SELECT email, first_name, last_name, language FROM accounts_user"
                " WHERE role = 'requester' AND is_active AND email != '' ORDER BY id"
            )
            if row[0].isascii()
        ]
        rng = random.Random(seed)
        (top,) = cx.execute("SELECT max(id) FROM tickets_ticket").fetchone()
        found: dict[str, list] = {"open": [], "closed": []}
        # Open tickets are few (the backlog): all of them, sampled below; closed ones by
        # random ids.
        query = (
            "SELECT t.id, t.title, t.status, u.email, u.first_name, u.last_name, u.language,"
            " (SELECT o.message_id FROM mail_outboundmessage o WHERE o.ticket_id = t.id"
            "  ORDER BY o.id DESC LIMIT 1)"
            " FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id"
            " WHERE t.merged_into_id IS NULL AND u.is_active AND u.email != ''"
        )
        marks = ", ".join("?" * len(OPEN_STATUSES))
        rows = cx.execute(f"{query} AND t.status IN ({marks})", OPEN_STATUSES).fetchall()
        rows = rng.sample(rows, min(len(rows), threads))
        ids = rng.sample(range(1, top + 1), min(top, threads * 2))
        marks = ", ".join("?" * len(ids))
        rows += cx.execute(f"{query} AND t.status = 'closed' AND t.id IN ({marks})", ids).fetchall()
    finally:
        cx.close()
    for ticket_id, title, status, *person, outbound_id in rows:
        if outbound_id and person[0].isascii():
            group = "closed" if status == "closed" else "open"
            found[group].append(Thread(ticket_id, title, _person(person), outbound_id))
    return contacts, found


class Writer:
    """Draws the messages of one run (each with a Message-ID of its own)."""

    def __init__(self, contacts: list[Person], threads: dict[str, list], seed: int):
        self.rng = random.Random(seed)
        self.contacts = contacts
        self.threads = threads
        # New requests go round the contacts in a shuffled order: no sender comes near the
        # mailbox's limit of 20 messages an hour.
        self._order = list(range(len(contacts)))
        self.rng.shuffle(self._order)
        self._next = 0
        self._by_requester: dict[str, dict[str, list[Thread]]] = {}
        for group, found in threads.items():
            for thread in found:
                self._by_requester.setdefault(group, {}).setdefault(
                    thread.requester.email, []
                ).append(thread)
        self._people = {group: sorted(by) for group, by in self._by_requester.items()}
        for people in self._people.values():
            self.rng.shuffle(people)
        self._turn = dict.fromkeys(self._people, 0)
        self._texts = {
            lang: [
                (render(s.title(lang), lang, self.rng), render(s.description(lang), lang, self.rng))
                for s in SCENARIOS
                for _ in range(3)
            ]
            for lang in ("fr", "en")
        }

    def batch(self, count: int) -> list[Message]:
        kinds = [kind for kind, _weight in MIX]
        weights = [weight for _kind, weight in MIX]
        return [self.one(kind) for kind in self.rng.choices(kinds, weights, k=count)]

    def one(self, kind: str) -> Message:
        if kind == "new":
            return self._new(self._contact(), kind)
        if kind == "unknown":
            model = self.rng.choice(self.contacts)
            domain = self.rng.choice(STRANGER_DOMAINS)
            token = uuid.UUID(int=self.rng.getrandbits(128)).hex[:8]
            local = f"{model.first}.{model.last}.{token}".lower().replace(" ", "")
            return self._new(Person(f"{local}@{domain}", model.first, model.last, "fr"), kind)
        thread = self._thread("closed" if kind == "reply_closed" else "open")
        if kind == "auto":
            return self._auto(thread)
        return self._reply(thread, kind, in_subject_only=kind == "subject")

    # Kinds of message

    def _new(self, person: Person, kind: str) -> Message:
        title, description = self.rng.choice(self._texts[person.language])
        text = f"{description}\n\n{SIGN_OFF[person.language]}\n{person.name}"
        mail = self._headers(person, title)
        self._body(mail, text)
        self._maybe_attach(mail)
        return Message(kind, mail["Message-ID"], mail.as_bytes())

    def _reply(self, thread: Thread, kind: str, *, in_subject_only: bool) -> Message:
        person = thread.requester
        prefix = "RE: " if self.rng.random() < 0.6 else "Re: "
        subject = f"{prefix}[#{thread.ticket_id}] {thread.title}"
        mail = self._headers(person, subject)
        if not in_subject_only:
            own = f"<{uuid.UUID(int=self.rng.getrandbits(128)).hex}@{_domain(person.email)}>"
            mail["In-Reply-To"] = thread.outbound_id
            mail["References"] = f"{own} {thread.outbound_id}"
        said = self.rng.choice(REPLIES[person.language])
        wrote, answered = QUOTED[person.language]
        quoted = "\n".join(f"> {line}" for line in answered.format(thread.title).split("\n"))
        text = (
            f"{said}\n\n{SIGN_OFF[person.language]}\n{person.name}\n\n"
            f"{format_datetime(timezone.now())}, {wrote}\n{quoted}"
        )
        self._body(mail, text)
        self._maybe_attach(mail)
        return Message(kind, mail["Message-ID"], mail.as_bytes(), thread.ticket_id)

    def _auto(self, thread: Thread) -> Message:
        person = thread.requester
        prefix, text = AUTO_REPLIES[person.language]
        mail = self._headers(person, f"{prefix}[#{thread.ticket_id}] {thread.title}")
        mail["In-Reply-To"] = thread.outbound_id
        mail["References"] = thread.outbound_id
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Auto-Response-Suppress"] = "All"
        self._body(mail, f"{text}\n{person.name}")
        return Message("auto", mail["Message-ID"], mail.as_bytes(), thread.ticket_id)

    # Parts

    def _thread(self, group: str) -> Thread:
        """A thread of the next requester in turn (a few requesters have many open tickets:
        the API creation scenario opens all of its tickets for one of them)."""
        people = self._people[group]
        requester = people[self._turn[group] % len(people)]
        self._turn[group] += 1
        return self.rng.choice(self._by_requester[group][requester])

    def _contact(self) -> Person:
        person = self.contacts[self._order[self._next % len(self._order)]]
        self._next += 1
        return person

    def _headers(self, person: Person, subject: str) -> EmailMessage:
        mail = EmailMessage()
        domain = _domain(person.email)
        mail["Received"] = (
            f"from mx.{domain} (mx.{domain} [192.0.2.{self.rng.randint(1, 254)}]) by "
            f"mail.guichet.example with ESMTPS; {format_datetime(timezone.now())}"
        )
        mail["From"] = formataddr((person.name, person.email))
        mail["To"] = DESK_ADDRESS
        mail["Subject"] = subject
        mail["Date"] = format_datetime(timezone.now())
        mail["Message-ID"] = f"<{uuid.UUID(int=self.rng.getrandbits(128)).hex}@{domain}>"
        mail["MIME-Version"] = "1.0"
        if self.rng.random() < 0.4:
            mail["X-Mailer"] = "Microsoft Outlook 16.0"
        return mail

    def _body(self, mail: EmailMessage, text: str) -> None:
        mail.set_content(text)
        if self.rng.random() < HTML_SHARE:
            paragraphs = "".join(
                f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>"
                for block in text.split("\n\n")
            )
            mail.add_alternative(
                '<html><head><meta charset="utf-8"><style>p{margin:0}</style></head>'
                f'<body><div class="WordSection1">{paragraphs}</div></body></html>',
                subtype="html",
            )

    def _maybe_attach(self, mail: EmailMessage) -> None:
        if self.rng.random() >= ATTACHMENT_SHARE:
            return
        data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + self.rng.randbytes(PDF_BYTES) + b"\n%%EOF\n"
        name = self.rng.choice(["capture.pdf", "facture.pdf", "rapport-erreur.pdf", "scan.pdf"])
        mail.add_attachment(data, maintype="application", subtype="pdf", filename=name)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1]
