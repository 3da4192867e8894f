"""What the Follow, Save and Hide buttons on a page say for the reader looking at it."""

from __future__ import annotations

from cupure.lib.db import fetch

from . import screen
from .models import Follow, Saved


def buttons(request, *, follow=None, save=None, hide=None) -> dict:
    """``follow``/``save``: ``(kind, id)``; ``hide``: a source's ``(id, name)``. For the templates'
    ``readers/_buttons.html``: each button's kind, id, label and whether it is on (always off for readers
    not signed in: their button leads to the log-in page)."""
    user = request.user
    signed_in = user.is_authenticated
    on = _on(user, follow=follow, save=save) if signed_in else set()
    out = {"next": request.get_full_path(), "signed_in": signed_in}
    for name, target in (("follow", follow), ("save", save)):
        if target:
            out[name] = {"kind": target[0], "id": target[1], "on": name in on}
    if hide is not None:
        pk, name = hide
        # The reader's rules, read once for this request anyway: a hidden source is one of their mutes.
        out["hide"] = {"id": pk, "name": name, "on": pk in screen.reader_rules(request).sources}
    return out


def _on(user, **targets) -> set[str]:
    """Which of the ``targets`` (button name -> ``(kind, id)``) the reader has: one query for all, past the
    ORM (cupure.lib.db.fetch), as every page with buttons asks."""
    parts, params = [], []
    for name, model in (("follow", Follow), ("save", Saved)):
        if targets.get(name):
            kind, pk = targets[name]
            column = model._meta.get_field(kind).column  # an unknown kind fails here, never reaches SQL
            parts.append(f"SELECT '{name}' FROM {model._meta.db_table} WHERE user_id = %s AND {column} = %s")
            params += [user.pk, pk]
    return {row[0] for row in fetch(" UNION ALL ".join(parts), params)} if parts else set()
