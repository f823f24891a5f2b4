"""An index of each person's sessions: recorded at sign-in, dropped at sign-out,
used to end all of a person's sessions at once when they are deactivated.

The index lives in the schema the session does (UserSession is a per-schema
table, like the sessions themselves), so a regency only ever ends its own."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from accounts.models import User, UserSession


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key)
    return store


def user_session_record(*, request: HttpRequest, user: User) -> None:
    """Index the request's session under `user`, forgetting their sessions that
    have since expired or been cleared (so the index does not grow forever)."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return
    stale = [
        row_key
        for row_key in UserSession.objects.filter(user=user).values_list("session_key", flat=True)
        if row_key != key and not _store().exists(row_key)
    ]
    if stale:
        UserSession.objects.filter(user=user, session_key__in=stale).delete()
    UserSession.objects.update_or_create(session_key=key, defaults={"user": user})


def user_session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user: User) -> int:
    """Delete every indexed session of `user` from the session store; returns
    how many. Their next request carries a session that no longer exists, so it
    is anonymous."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _store().delete(key)
    UserSession.objects.filter(user=user).delete()
    return len(keys)
