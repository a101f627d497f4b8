"""Sessions in the database, read with one prepared query (see guichet.lib.prepared).

Every signed-in request reads its session: the lookup is the same each time, and compiling it
cost more than running it. Writing, expiry and cleaning are Django's.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from guichet.lib.prepared import Prepared

_by_key = Prepared(lambda key: Session.objects.filter(session_key=key), str)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _by_key(self.session_key) if self.session_key else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
