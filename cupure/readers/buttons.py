"""What the Follow, Save and Hide buttons on a page say for the reader looking at it."""

from __future__ import annotations

from .models import Follow, Mute, Saved


def buttons(request, *, follow=None, save=None, hide=None) -> dict:
    """``follow``/``save``: ``(kind, thing)``; ``hide``: a source. For the templates' ``readers/_buttons.html``:
    each button's kind, id, label and whether it is on (always off for readers not signed in: their button
    leads to the log-in page)."""
    user = request.user
    signed_in = user.is_authenticated
    out = {"next": request.get_full_path(), "signed_in": signed_in}
    if follow:
        kind, thing = follow
        on = signed_in and Follow.objects.of(user, kind, thing.pk).exists()
        out["follow"] = {"kind": kind, "id": thing.pk, "on": on}
    if save:
        kind, thing = save
        on = signed_in and Saved.objects.of(user, kind, thing.pk).exists()
        out["save"] = {"kind": kind, "id": thing.pk, "on": on}
    if hide is not None:
        on = signed_in and Mute.objects.filter(user=user, source=hide).exists()
        out["hide"] = {"id": hide.pk, "name": hide.name, "on": on}
    return out
