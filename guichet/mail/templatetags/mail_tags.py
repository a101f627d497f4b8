from django import template

from guichet.mail.display import folded_html
from guichet.mail.models import InboundMessage

register = template.Library()


@register.filter
def folded(text):
    """A message's text as HTML, its quoted history and signature folded."""
    return folded_html(str(text or ""))


@register.inclusion_tag("mail/partials/ticket_mail.html")
def ticket_mail(ticket):
    """The messages a ticket received, each with its original (.eml) to download."""
    messages = list(
        InboundMessage.objects.filter(ticket_id=ticket.pk)
        .only("pk", "sender", "subject", "outcome", "received_at", "size")
        .order_by("-id")[:20]
    )
    return {"ticket": ticket, "messages": messages}
