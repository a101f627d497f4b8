"""The requester portal: my tickets, a new request, one ticket and what I can do on it."""

from guichet.portal.views.mine import home
from guichet.portal.views.new import new
from guichet.portal.views.ticket import accept, detail, download, rate, refuse, reply

__all__ = ["accept", "detail", "download", "home", "new", "rate", "refuse", "reply"]
