"""People: one account per natural person, identified by their email."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tokens import SecretToken


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("The email must be set")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]  # people log in by email: AbstractUser's username removed
    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    language = models.CharField(
        _("email language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()  # type: ignore[assignment,misc]  # ours creates people by email, AbstractUser's by username

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(SecretToken):
    """A person's API token (`core.tokens.SecretToken`: only its SHA-256 is stored; the secret is shown once)."""

    PREFIX = "oc_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")

    objects = ApiTokenQuerySet.as_manager()

    class Meta(SecretToken.Meta):
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is never stored."""
        return cls.issue_token(name, user=user)

    @classmethod
    def usable(cls) -> ApiTokenQuerySet:
        """Active tokens with their person and, in the same query, the person's TOTP authenticator (its id and
        stored data: a signature through the API checks its code without reading it again)."""
        totp = Authenticator.objects.filter(user_id=models.OuterRef("user_id"), type=Authenticator.Type.TOTP)
        return (
            cls.objects.active()
            .select_related("user")
            .annotate(
                totp_id=models.Subquery(totp.values("id")[:1]),
                totp_data=models.Subquery(totp.values("data")[:1], output_field=models.JSONField()),
            )
        )

    @classmethod
    def authenticate(cls, secret: str) -> User | None:
        """The person whose active token this is, or None (revoked, unknown, or the person deactivated). The
        person's TOTP authenticator read with the token is kept on them (`accounts.two_factor.totp_of`)."""
        token = cls.find(secret)
        if token is None:
            return None
        user = token.user
        totp_id = getattr(token, "totp_id", None)
        user.known_totp = (  # type: ignore[attr-defined]  # read by two_factor.totp_of for this request
            Authenticator(pk=totp_id, user=user, type=Authenticator.Type.TOTP, data=token.totp_data)  # type: ignore[attr-defined]  # the annotation above
            if totp_id is not None
            else None
        )
        return user


class UsedCode(models.Model):
    """A two-factor (TOTP) code accepted once: one row per authenticator and RFC 6238 time step (`period`: Unix
    time // 30 s, the code's counter). Its unique constraint is the one-use guarantee: of two requests with the
    same code, at the same instant too, one inserts the row and the other is refused (accounts.two_factor).
    A row is of no use once its period is out of the tolerance window (`MFA_TOTP_TOLERANCE`): `manage.py
    purge_used_codes` deletes those (run it daily)."""

    authenticator = models.ForeignKey(Authenticator, on_delete=models.CASCADE, related_name="+")
    period = models.BigIntegerField(_("period"))
    used_at = models.DateTimeField(_("used"), default=timezone.now)

    class Meta:
        verbose_name = _("used two-factor code")
        verbose_name_plural = _("used two-factor codes")
        constraints = [models.UniqueConstraint(fields=["authenticator", "period"], name="accounts_code_used_once")]

    def __str__(self) -> str:
        return f"{self.authenticator_id}@{self.period}"
