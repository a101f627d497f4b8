"""Secrets kept encrypted at rest (mailbox passwords, later licence keys).

Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`. The key is ENCRYPTION_KEY when set
(a Fernet key, so it can differ from SECRET_KEY and survive its rotation), else derived from
SECRET_KEY: an installation works without extra configuration, and a stolen database alone
does not reveal the passwords.
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class Undecryptable(ValueError):
    """The value was encrypted with another key (SECRET_KEY or ENCRYPTION_KEY changed)."""


@functools.cache
def _fernet(key: str, secret: str) -> Fernet:
    if key:
        return Fernet(key.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"guichet-at-rest", info=b"fernet"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _current() -> Fernet:
    return _fernet(getattr(settings, "ENCRYPTION_KEY", ""), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return "" if not value else _current().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as error:
        raise Undecryptable(str(error) or "invalid token") from None
