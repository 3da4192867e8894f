"""Sign-up, log-in (throttled) and profile forms."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, UserCreationForm
from django.db import transaction

from cupure.lib.clients import address_key, client_address

from .models import Profile, Throttle

LOGIN_WINDOW = timedelta(minutes=15)
# Password-reset emails: per address an hour (refused, saying so), per account's email an hour (silently
# not sent: the page must not tell whether an address has an account).
RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ADDRESS = 10
RESETS_PER_EMAIL = 3
SIGNUP_PROBES = 5  # sign-ups an hour per address that meet an email already registered


class Honeypot(forms.CharField):
    """A field people never see (hidden by CSS, labelled for screen readers); bots fill it in."""

    def __init__(self):
        super().__init__(
            required=False,
            label="Leave this empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp"}),
        )


class SignupForm(UserCreationForm):
    email = forms.EmailField(help_text="For password resets and, if you ask for them, reply notifications.")
    website = Honeypot()

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            # Saying so tells whoever asks that the address has an account: a few times an hour per address
            # serves a reader who forgot; a script trying a list of addresses is stopped.
            address = address_key(client_address(self.request) if self.request else "unknown")
            with transaction.atomic():
                blocked, _ = Throttle.take([("signup-taken", address, RESET_WINDOW, SIGNUP_PROBES)])
            if blocked is not None:
                raise forms.ValidationError("Too many sign-ups were tried from your address. Try again in an hour.")
            raise forms.ValidationError(
                "An account with this email address exists already: log in, or reset its password."
            )
        return email

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                "This form was filled in by a program, it seems: leave the hidden “Leave this empty” field empty."
            )
        return ""


class LoginForm(AuthenticationForm):
    """Django's login form, refusing to try once an account or an address has failed too often."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed log-ins %(whom)s. Try again in %(minutes)s minute(s), or reset the password.",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = address_key(client_address(self.request) if self.request else "unknown")
        limits = [
            ("login-user", username, LOGIN_WINDOW, settings.LOGIN_ATTEMPTS),
            ("login-addr", address, LOGIN_WINDOW, settings.LOGIN_ATTEMPTS_PER_ADDRESS),
        ]
        # The attempt is counted before the password is checked, in one step with the check of the
        # limits (Throttle.take): forty log-ins at once get exactly the allowed number of tries.
        with transaction.atomic():
            blocked, self._attempt = Throttle.take(limits)
        if blocked is not None:
            scope, key, window, limit = limits[blocked]
            wait = Throttle.retry_after(scope, key, window, limit) or 1
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"whom": ("for this account", "from your address")[blocked], "minutes": -(-wait // 60)},
            )
        return super().clean()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # A success: the account's failures are forgotten, and this attempt counts against nothing.
        Throttle.clear("login-user", user.get_username().lower())
        Throttle.objects.filter(pk__in=self._attempt).delete()


class ResetRequestForm(PasswordResetForm):
    """Django's reset request, throttled: a script cannot flood an inbox, nor the outgoing mail server."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.throttled_email = False

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("email") or "").strip().lower()
        if not email:
            return cleaned
        address = address_key(client_address(self.request) if self.request else "unknown")
        with transaction.atomic():
            blocked, _ = Throttle.take(
                [
                    ("reset-addr", address, RESET_WINDOW, RESETS_PER_ADDRESS),
                    ("reset-email", email, RESET_WINDOW, RESETS_PER_EMAIL),
                ]
            )
        if blocked == 0:
            raise forms.ValidationError(
                "Too many password resets were asked for from your address. Try again in an hour.", code="throttled"
            )
        self.throttled_email = blocked == 1
        return cleaned

    def save(self, *args, **kwargs):
        if self.throttled_email:  # the same page as a sent email: nothing said about the account
            return
        super().save(*args, **kwargs)


class NewPasswordForm(SetPasswordForm):
    """The new password from a reset link. Proof of the account's email: the log-in lockout is lifted, as
    the lockout message promises."""

    def save(self, commit=True):
        user = super().save(commit)
        Throttle.clear("login-user", user.get_username().lower())
        return user


class ProfileForm(forms.ModelForm):
    email = forms.EmailField()

    class Meta:
        model = Profile
        fields = ("about", "notify_replies", "digest")
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].initial = user.email
        # Left out of a post (a form from before digests existed): the reader's choice stays as it was.
        self.fields["digest"].required = False

    def clean_digest(self):
        return self.cleaned_data.get("digest") or self.instance.digest

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError("Another account uses this email address.")
        return email

    def save(self, commit=True):
        profile = super().save(commit)
        self.user.email = self.cleaned_data["email"]
        self.user.save(update_fields=["email"])
        return profile
