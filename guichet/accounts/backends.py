"""Django's password authentication, with the signed-in user read by a prepared query
(see guichet.lib.prepared): every request of a session reads it."""

from django.contrib.auth.backends import ModelBackend

from guichet.accounts.queries import user_by_id


class Backend(ModelBackend):
    def get_user(self, user_id):
        found = user_by_id(int(user_id))
        if found and self.user_can_authenticate(found[0]):
            return found[0]
        return None
