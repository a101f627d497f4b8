"""Folding the history and signature of inbound mail, as real clients write them."""

from hypothesis import given
from hypothesis import strategies as st

from guichet.mail.quoting import Folded, fold

HISTORY_FR = """Bonjour Claire Martin,

Julien Moreau vous propose la solution suivante pour votre demande #4821.

Cordialement,

L'équipe support
Guichet"""

HISTORY_EN = """Hello John,

Julien Moreau proposes the following solution for your request #4821.

Kind regards,

The support team
Guichet"""


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def test_it_folds_an_outlook_reply_in_french():
    reply = (
        "Bonjour,\n\nLe problème est réglé, merci beaucoup pour votre aide.\n\n"
        "Bien cordialement,\nClaire Martin\nCabinet Durand & Associés\n\n"
    )
    history = (
        "De : Support Numéria <support@numeria-services.example>\n"
        "Envoyé : lundi 3 mars 2025 10:12\n"
        "À : Claire Martin <claire.martin@cabinet-durand.example>\n"
        "Objet : [#4821] Solution proposée pour votre demande\n\n" + HISTORY_FR
    )

    folded = fold(reply + history)

    assert folded.body == reply.strip()
    assert folded.quoted == history
    assert folded.signature == ""


def test_it_folds_an_outlook_reply_below_a_line_of_underscores():
    history = (
        "________________________________\n"
        "De : Support Numéria <support@numeria-services.example>\n"
        "Envoyé : lundi 3 mars 2025 10:12\n"
        "À : Claire Martin\n"
        "Objet : RE: [#4821] Imprimante du 2e étage hors service\n\n" + HISTORY_FR
    )

    folded = fold("Merci, je regarde ça demain matin.\n\n" + history)

    assert folded.body == "Merci, je regarde ça demain matin."
    assert folded.quoted == history


def test_it_folds_an_outlook_original_message_in_english():
    history = (
        "-----Original Message-----\n"
        "From: Guichet Support <support@numeria-services.example>\n"
        "Sent: Monday, March 3, 2025 10:12 AM\n"
        "To: John Smith <john.smith@acme.example>\n"
        "Subject: RE: [#4821] Printer out of order\n\n" + HISTORY_EN
    )
    reply = "Hi,\n\nIt happened again this morning, see the attached screenshot.\n\nRegards,\nJohn"

    folded = fold(f"{reply}\n\n{history}\n")

    assert folded.body == reply
    assert folded.quoted == history


def test_it_folds_the_french_original_message_separator():
    folded = fold(
        "C'est noté, merci.\r\n\r\n-----Message d'origine-----\r\nDe : Support\r\n"
        "Bonjour Claire,\r\n"
    )

    assert folded.body == "C'est noté, merci."
    assert folded.quoted.startswith("-----Message d'origine-----")


def test_it_folds_an_outlook_header_block_in_bold_as_converted_from_html():
    folded = fold(
        "Thanks!\n\n*From:* Guichet Support <support@numeria-services.example>\n"
        "*Sent:* Monday, March 3, 2025 10:12 AM\n*To:* John Smith\n"
        "*Subject:* [#4821] Printer out of order\n\n" + HISTORY_EN
    )

    assert folded.body == "Thanks!"
    assert folded.quoted.startswith("*From:* Guichet Support")


def test_it_keeps_a_from_line_that_is_not_a_header_block():
    text = "From: the accounting department\n\nAll printers are down since this morning."

    assert fold(text) == Folded(body=text, quoted="", signature="")


def test_it_folds_a_gmail_reply_in_english_with_a_wrapped_attribution():
    history = (
        "On Mon, Mar 3, 2025 at 10:12 AM Guichet Support <\n"
        "support@numeria-services.example> wrote:\n\n" + quoted(HISTORY_EN)
    )

    folded = fold("Thanks, that fixed it!\n\n" + history + "\n")

    assert folded.body == "Thanks, that fixed it!"
    assert folded.quoted == history


def test_it_folds_a_gmail_reply_in_french():
    history = (
        "Le lun. 3 mars 2025 à 10:12, Support Numéria <support@numeria-services.example> a "
        "écrit :\n\n" + quoted(HISTORY_FR)
    )

    folded = fold("Merci, c'est parfait.\n\n" + history)

    assert folded.body == "Merci, c'est parfait."
    assert folded.quoted == history


def test_it_folds_a_gmail_reply_wrapped_between_a_and_ecrit():
    history = (
        "Le lun. 3 mars 2025 à 10:12, Support Numéria <support@numeria-services.example> a\n"
        "écrit :\n\n" + quoted(HISTORY_FR)
    )

    folded = fold("Merci, c'est parfait.\n\n" + history)

    assert folded.body == "Merci, c'est parfait."
    assert folded.quoted == history


def test_it_folds_a_thunderbird_reply_in_french_and_english():
    french = "Le 03/03/2025 à 10:12, Support Numéria a écrit :\n" + quoted(HISTORY_FR)
    english = "On 03/03/2025 10:12, Guichet Support wrote:\n" + quoted(HISTORY_EN)

    assert fold("Bien reçu, merci.\n\n" + french) == Folded(
        body="Bien reçu, merci.", quoted=french, signature=""
    )
    assert fold("Got it, thanks.\n\n" + english) == Folded(
        body="Got it, thanks.", quoted=english, signature=""
    )


def test_it_folds_an_attribution_without_a_date_right_above_the_quote():
    history = "Guichet Support wrote:\n" + quoted(HISTORY_EN)

    assert fold("Fine by me.\n\n" + history).quoted == history


def test_it_folds_an_apple_mail_reply():
    history = (
        "On 3 Mar 2025, at 10:12, Guichet Support <support@numeria-services.example> wrote:\n\n"
        + quoted(HISTORY_EN)
    )

    folded = fold("Works now, thank you.\n\nJohn\n\n" + history)

    assert folded.body == "Works now, thank you.\n\nJohn"
    assert folded.quoted == history


def test_it_folds_history_converted_from_html_without_quote_marks():
    # parse.html_to_text drops <blockquote>, so the history follows the attribution unmarked.
    history = "Le lun. 3 mars 2025 à 10:12, Support Numéria a écrit :\n\n" + HISTORY_FR

    folded = fold("Merci, tout fonctionne.\n\n" + history)

    assert folded.body == "Merci, tout fonctionne."
    assert folded.quoted == history


def test_it_keeps_a_sentence_that_only_looks_like_an_attribution():
    text = "Bonjour,\n\nLe serveur a écrit :\nErreur 500 sur la page de connexion\n\nMerci"

    assert fold(text) == Folded(body=text, quoted="", signature="")


def test_it_separates_an_iphone_signature_from_the_body_and_the_quote():
    history = "Le 3 mars 2025 à 10:12, Support Numéria <support@numeria-services.example> a écrit :"
    history += "\n\n" + quoted(HISTORY_FR)

    folded = fold("Oui, c'est bon pour moi.\n\nEnvoyé de mon iPhone\n\n" + history)

    assert folded == Folded(
        body="Oui, c'est bon pour moi.", signature="Envoyé de mon iPhone", quoted=history
    )


def test_it_recognises_mobile_signatures_in_english_and_french():
    for signature in ("Sent from my iPhone", "Envoyé depuis mon mobile", "Get Outlook for iOS"):
        folded = fold(f"OK for Thursday.\n\n{signature}")

        assert folded == Folded(body="OK for Thursday.", signature=signature, quoted="")


def test_it_separates_a_dash_dash_space_signature():
    signature = (
        "-- \nClaire Martin\nAssistante de direction\nCabinet Durand & Associés\n01 23 45 67 89"
    )

    folded = fold("Bonjour,\n\nLe poste de l'accueil redémarre en boucle.\n\n" + signature)

    assert folded.body == "Bonjour,\n\nLe poste de l'accueil redémarre en boucle."
    assert folded.signature == signature
    assert folded.quoted == ""


def test_it_puts_a_signature_between_the_body_and_the_quote():
    signature = "-- \nJohn Smith\nAcme"
    history = "On 03/03/2025 10:12, Guichet Support wrote:\n" + quoted(HISTORY_EN)

    folded = fold(f"Still broken.\n\n{signature}\n\n{history}")

    assert folded == Folded(body="Still broken.", signature=signature, quoted=history)


def test_it_keeps_a_double_dash_without_space_in_the_body():
    text = "Voici la procédure :\n--\nredémarrer le poste"

    assert fold(text).body == text


def test_it_keeps_inline_answers_as_body():
    text = (
        "On 03/03/2025 10:12, Guichet Support wrote:\n"
        "> Could you tell us the model of the printer?\n\n"
        "It's an HP LaserJet M507.\n\n"
        "> And is the error message still displayed?\n\n"
        'Yes, "50.4 Fuser error".\n\n'
        "Thanks,\nJohn"
    )

    assert fold(text) == Folded(body=text, quoted="", signature="")


def test_it_keeps_a_bottom_posted_answer_and_its_quote_as_body():
    text = "Le 03/03/2025 à 10:12, Support Numéria a écrit :\n" + quoted(HISTORY_FR)
    text += "\n\nMerci, le problème est résolu.\nClaire"

    assert fold(text) == Folded(body=text, quoted="", signature="")


def test_it_folds_only_the_quote_left_after_inline_answers():
    answers = (
        "Bonjour,\n\nLe 03/03/2025 à 10:12, Support Numéria a écrit :\n"
        "> Pouvez-vous nous indiquer le modèle de l'imprimante ?\n\n"
        "C'est une HP LaserJet M507."
    )
    rest = "> Cordialement,\n>\n> L'équipe support"

    folded = fold(f"{answers}\n\n{rest}")

    assert folded == Folded(body=answers, quoted=rest, signature="")


def test_it_never_folds_everything():
    forward = (
        "-----Original Message-----\nFrom: Acme accounting\nSent: Monday\nTo: John\n"
        "Subject: Invoice\n\nThe printer is out of order again."
    )
    top_quoted = quoted(HISTORY_EN)

    assert fold(forward) == Folded(body=forward, quoted="", signature="")
    assert fold(top_quoted) == Folded(body=top_quoted, quoted="", signature="")
    assert fold("-- \nClaire Martin") == Folded(body="-- \nClaire Martin", quoted="", signature="")


def test_it_keeps_a_bare_gmail_forward_whole():
    text = (
        "---------- Forwarded message ---------\nFrom: Acme accounting <compta@acme.example>\n"
        "Date: Mon, Mar 3, 2025 at 9:02 AM\nSubject: Invoice printer\nTo: John <john@acme.example>"
        "\n\nThe printer is out of order again."
    )

    assert fold(text) == Folded(body=text, quoted="", signature="")


def test_it_handles_empty_and_blank_text():
    assert fold("") == Folded(body="", quoted="", signature="")
    assert fold("\n \n") == Folded(body="", quoted="", signature="")


def non_blank_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


TRICKY_LINES = [
    "",
    " ",
    "> quoted",
    ">",
    "-- ",
    "--",
    "Sent from my iPhone",
    "Envoyé de mon iPhone",
    "On Mon, Mar 3, 2025 at 10:12 AM Guichet Support <",
    "support@numeria-services.example> wrote:",
    "Le 3 mars 2025 à 10:12, Support Numéria a écrit :",
    "écrit :",
    "-----Original Message-----",
    "________________________________",
    "From: Guichet Support",
    "De : Support Numéria",
    "Sent: Monday",
    "To: John",
    "Subject: RE: [#4821]",
    "Objet : RE: [#4821]",
    "---------- Forwarded message ---------",
]


@given(
    st.lists(st.one_of(st.sampled_from(TRICKY_LINES), st.text(max_size=40)), max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_it_never_loses_a_line(lines, newline):
    text = newline.join(lines)

    folded = fold(text)

    joined = "\n".join([folded.body, folded.signature, folded.quoted])
    assert non_blank_lines(joined) == non_blank_lines(text)


SAFE_LINE = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzéèàçô ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'",
    min_size=1,
    max_size=60,
).filter(lambda line: line.strip() == line and line)
SIGNATURES = ["", "-- \nClaire Martin\nCabinet Durand & Associés", "Envoyé de mon iPhone"]
HISTORIES = [
    "",
    "On 03/03/2025 10:12, Guichet Support wrote:\n" + quoted(HISTORY_EN),
    "Le 03/03/2025 à 10:12, Support Numéria a écrit :\n\n" + quoted(HISTORY_FR),
    "De : Support Numéria\nEnvoyé : lundi 3 mars 2025 10:12\nÀ : Claire Martin\n"
    "Objet : RE: [#4821]\n\n" + HISTORY_FR,
    "-----Original Message-----\nFrom: Guichet Support\nSent: Monday\n\n" + HISTORY_EN,
]


@given(
    st.lists(SAFE_LINE, min_size=1, max_size=8),
    st.sampled_from(SIGNATURES),
    st.sampled_from(HISTORIES),
)
def test_it_finds_the_parts_it_was_given_back(body_lines, signature, history):
    body = "\n".join(body_lines)
    text = "\n\n".join(part for part in (body, signature, history) if part)

    assert fold(text) == Folded(body=body, quoted=history, signature=signature)
