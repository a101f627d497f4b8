"""Real IMAP and SMTP servers for the mail channel's tests (see servers.py)."""

from guichet.mail.tests.servers import _smtp_controller, dovecot, smtp_server, smtp_settings

__all__ = ["_smtp_controller", "dovecot", "smtp_server", "smtp_settings"]
