"""What the Follow, Save and Hide buttons on a page say for the reader looking at it."""

from __future__ import annotations

from . import state


def buttons(request, *, follow=None, save=None, hide=None) -> dict:
    """``follow``/``save``: ``(kind, id)``; ``hide``: a source's ``(id, name)``. For the templates'
    ``readers/_buttons.html``: each button's kind, id, label and whether it is on (always off for readers
    not signed in: their button leads to the log-in page)."""
    you = state.of(request)  # what the reader follows, saves and hides, read once per request
    out = {"next": request.get_full_path(), "signed_in": request.user.is_authenticated}
    for name, target in (("follow", follow), ("save", save)):
        if target:
            kind, pk = target
            out[name] = {"kind": kind, "id": pk, "on": (name, kind, pk) in you.has}
    if hide is not None:
        pk, name = hide
        out["hide"] = {"id": pk, "name": name, "on": pk in you.rules.sources}
    return out
