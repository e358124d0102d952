"""The session engine (``SESSION_ENGINE``): Django's database sessions, each read with SQL
compiled once (``core.queries.row_by_pk``) instead of a query built on every request. The
same answer as Django's own: the session with that key if it has not expired, else none
(and a new key when one is needed)."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone

from core.queries import row_by_pk


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> AbstractBaseSession | None:
        session = row_by_pk(self.model, self.session_key) if self.session_key else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
