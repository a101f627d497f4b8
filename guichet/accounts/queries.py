"""Lookups every request makes, prepared once per process (see guichet.lib.prepared)."""

from guichet.accounts.models import ApiToken, User
from guichet.lib.prepared import Prepared

user_by_id = Prepared(lambda pk: User.objects.filter(pk=pk), int)
token_by_hash = Prepared(lambda key_hash: ApiToken.objects.filter(key_hash=key_hash), str)
