"""What pages read of a signed-in reader at every request: their mute rules, and what they follow and save
(for the Follow and Save buttons).

Each process keeps it per reader and reader generation (accounts.models.ReaderGeneration, read with the
account): a page pays no query for it, and a change made through any process shows on the reader's very
next page. Entries also expire after STATE_SECONDS, which bounds what no bump covers (a hidden source
renamed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cupure.accounts.models import ReaderGeneration
from cupure.lib.cache import Recent
from cupure.lib.db import fetch

from .models import FOLLOWABLE, SAVEABLE, Follow, Mute, Saved
from .mutes import MuteRules

STATE_SECONDS = 60


@dataclass(frozen=True)
class ReaderState:
    rules: MuteRules = field(default_factory=MuteRules)
    # ("follow" | "save", kind, id) of everything the reader follows and saves
    has: frozenset[tuple[str, str, int]] = frozenset()


# A reader's state is a few hundred bytes to a few hundred kB (thousands of saved articles).
_states = Recent(2000, STATE_SECONDS)


def of(request) -> ReaderState:
    """The state of the reader making ``request``, read once per request (empty for readers not signed in)."""
    state = getattr(request, "_cupure_reader", None)
    if state is None:
        user = getattr(request, "user", None)
        state = of_user(user) if user is not None and user.is_authenticated else ReaderState()
        request._cupure_reader = state
    return state


def of_user(user) -> ReaderState:
    generation = getattr(user, "reader_generation", None)  # read with the account (accounts.backends)
    key = (user.pk, ReaderGeneration.of(user.pk) if generation is None else generation)
    state = _states.get(key)
    if state is None:
        state = _read(user)
        _states.set(key, state)
    return state


def _read(user) -> ReaderState:
    return ReaderState(Mute.rules_for(user), frozenset(_targets(user.pk)))


def clear() -> None:
    """Forget every reader's state in this process (tests start each from an empty database)."""
    _states.clear()


def _targets(user_id: int):
    """("follow" | "save", kind, id) of every follow and save of the reader: one query, past the ORM."""
    parts = []
    for name, model, kinds in (("follow", Follow, FOLLOWABLE), ("save", Saved, SAVEABLE)):
        columns = ", ".join(model._meta.get_field(k).column for k in kinds)
        parts.append(
            f"SELECT '{name}', {columns}{', NULL' * (len(FOLLOWABLE) - len(kinds))} FROM "
            f"{model._meta.db_table} WHERE user_id = %s"
        )
    for name, *ids in fetch(" UNION ALL ".join(parts), [user_id, user_id]):
        kinds = FOLLOWABLE if name == "follow" else SAVEABLE
        for kind, pk in zip(kinds, ids):
            if pk is not None:
                yield name, kind, pk
