"""Sign up, profiles, settings. Log-in, log-out and passwords are Django's views with cupure's forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cupure.comments.models import Comment
from cupure.news.feeds import FORMATS

from .forms import NewPasswordForm, ProfileForm, ResetRequestForm, SignupForm
from .models import ApiToken, Profile


def next_url(request, default="home"):
    """The `next` the form or link carries, when it stays on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def signup(request):
    if request.user.is_authenticated:
        return redirect(next_url(request))
    form = SignupForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        Profile.of(user)
        login(request, user, backend="cupure.accounts.backends.ProfileBackend")
        messages.success(request, f"Welcome, {user.username}. You can comment now.")
        return redirect(next_url(request))
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": next_url(request, "")},
        status=400 if form.errors else 200,
    )


def profile(request, username):
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    comments = Comment.objects.public().filter(author=user).select_related("article", "story").order_by("-created_at")
    page = Paginator(comments, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/profile.html", {"person": user, "person_profile": Profile.of(user), "page": page})


@login_required
def settings_view(request):
    prof = Profile.of(request.user)
    form = ProfileForm(request.POST or None, instance=prof, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("account-settings")
    return _settings_page(request, form, status=400 if form.errors else 200)


def _settings_page(request, form, new_token: str = "", status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user)
    key = Profile.of(request.user).personal_feed_key()
    feeds = {
        name.replace("-", "_"): [
            (label, request.build_absolute_uri(reverse(f"{name}-feed-{fmt}", args=[key]))) for fmt, label, _ in FORMATS
        ]
        for name in ("for-you", "saved")
    }
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "personal_feeds": feeds},
        status=status,
    )


@login_required
@require_POST
def token_create(request):
    """A new personal API token, shown on this response only (it is never stored in clear)."""
    if ApiToken.objects.filter(user=request.user).count() >= 20:
        messages.error(request, "You have 20 tokens already: revoke one first.")
        return redirect("account-settings")
    _, token = ApiToken.issue(request.user, request.POST.get("name", "").strip())
    form = ProfileForm(instance=Profile.of(request.user), user=request.user)
    return _settings_page(request, form, new_token=token)


@login_required
@require_POST
def token_revoke(request, pk):
    deleted, _ = ApiToken.objects.filter(user=request.user, pk=pk).delete()
    messages.success(request, "The token is revoked." if deleted else "No such token.")
    return redirect("account-settings")


class PasswordResetView(auth.PasswordResetView):
    form_class = ResetRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth.PasswordResetConfirmView):
    form_class = NewPasswordForm
