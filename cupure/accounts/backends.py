"""Django's model backend, with the signed-in reader loaded cheaply: every request of theirs loads them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cupure.lib.db import load


class ProfileBackend(ModelBackend):
    def get_user(self, user_id):
        # Past the ORM (cupure.lib.db.load): it builds this one query in about 300 µs here, more than a page's
        # holes cost. The profile is read on first need (accounts.models.Profile.of), by the few pages that use it.
        user = load(get_user_model(), pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
