"""Sign-up as in the guides: the emailed link sets the first password, works once and expires."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User
from core.plaintext import render_text


def register(*, first_name: str, last_name: str, email: str, language: str) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name, language=language)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    send_password_link(user)
    return user


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:welcome", args=[uid, token])


def send_password_link(user: User) -> None:
    """Email the set-password link, in the person's language."""
    with translation.override(user.language):
        context = {"user": user, "link": password_link(user), "minutes": settings.SIGNUP_LINK_MINUTES}
        subject = (
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + render_text("accounts/email/welcome_subject.txt", context).strip()
        )
        body = render_text("accounts/email/welcome_message.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.send()


def user_from_link(uidb64: str, token: str) -> User | None:
    """The person the link is for, or None when it is wrong, expired or already used."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    # The token hashes the password: once a password is set, the same link stops working.
    if user.has_usable_password() or not default_token_generator.check_token(user, token):
        return None
    return user


def confirm_email(user: User) -> None:
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
