"""Django's password authentication, with the signed-in user read by a prepared query
(see guichet.lib.prepared): every request of a session reads it."""

from django.contrib.auth.backends import ModelBackend

from guichet.accounts.models import User
from guichet.lib.prepared import Prepared

_by_id = Prepared(lambda pk: User.objects.filter(pk=pk), int)


class Backend(ModelBackend):
    def get_user(self, user_id):
        found = _by_id(int(user_id))
        if found and self.user_can_authenticate(found[0]):
            return found[0]
        return None
