"""Django's model backend, with the signed-in reader loaded cheaply: every request of theirs loads them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from cupure.lib.cache import Recent
from cupure.lib.db import load_row

from .models import ReaderGeneration

ACCOUNT_SECONDS = 60
# Each process keeps the rows of the readers it served last, per reader generation (raised by every save
# of the account: a log-in, a new password, a deactivation), so a request reads one small row, not the account.
_accounts = Recent(2000, ACCOUNT_SECONDS)


class ProfileBackend(ModelBackend):
    def get_user(self, user_id):
        """The reader, a new instance for each request, with ``reader_generation`` (what readers.state keys
        the reader's follows, saves and mutes by). The profile is read on first need (Profile.of)."""
        generation = ReaderGeneration.of(user_id)
        key = (user_id, generation)
        row = _accounts.get(key)
        if row is None:
            # Past the ORM (cupure.lib.db.load_row): it builds this one query in about 300 µs here.
            row = load_row(get_user_model(), pk=user_id) or ()
            _accounts.set(key, row)
        if not row:
            return None
        user = get_user_model().from_db(connection.alias, *row)
        user.reader_generation = generation
        return user if self.user_can_authenticate(user) else None


def forget() -> None:
    """Forget every account this process kept (tests start each from an empty database)."""
    _accounts.clear()
