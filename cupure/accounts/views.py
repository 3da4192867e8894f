"""Sign up, profiles, settings. Log-in, log-out and passwords are Django's views with cupure's forms."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import ProfileForm, SignupForm
from .models import Profile


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def signup(request):
    if request.user.is_authenticated:
        return redirect(_next(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        Profile.of(user)
        login(request, user, backend="cupure.accounts.backends.ProfileBackend")
        messages.success(request, f"Welcome, {user.username}. You can comment now.")
        return redirect(_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next(request, "")},
                  status=400 if form.errors else 200)


def profile(request, username):
    from cupure.comments.models import Comment

    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    comments = Comment.objects.public().filter(author=user).select_related("article", "story").order_by("-created_at")
    page = Paginator(comments, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/profile.html", {"person": user, "person_profile": Profile.of(user),
                                                     "page": page})


@login_required
def settings_view(request):
    prof = Profile.of(request.user)
    form = ProfileForm(request.POST or None, instance=prof, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("account-settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if form.errors else 200)
