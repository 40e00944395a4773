"""Account pages: sign-up, the emailed password link, the account page and its API tokens."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import signup
from accounts.forms import ApiTokenForm, FirstPasswordForm, ProfileForm, ResendLinkForm, SignupForm, new_human_check
from accounts.models import ApiToken, User


def signup_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST":
        form = SignupForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            signup.register(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                language=data["language"],
            )
            return render(
                request, "accounts/signup_done.html", {"email": data["email"], "minutes": settings.SIGNUP_LINK_MINUTES}
            )
        # A new question each time: a failed answer cannot be retried by brute force.
        typed = request.POST.copy()
        typed["human_check"] = ""
        form.data = typed
    else:
        form = SignupForm(request=request, initial={"language": request.LANGUAGE_CODE})
    question = new_human_check(request)
    return render(request, "accounts/signup.html", {"form": form, "question": question})


def welcome_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = signup.user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/link_invalid.html", {"form": ResendLinkForm()}, status=410)
    form = FirstPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        signup.confirm_email(user)
        messages.success(request, _("Your password is set. You can now log in."))
        return redirect(reverse("account_login") + f"?login={user.email}")
    return render(request, "accounts/set_password.html", {"form": form, "person": user})


def resend_link_view(request: HttpRequest) -> HttpResponse:
    form = ResendLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is not None and not user.has_usable_password():
            signup.send_password_link(user)
        # Same answer whether the account exists or not: the page must not reveal who has one.
        return render(
            request,
            "accounts/signup_done.html",
            {"email": form.cleaned_data["email"], "minutes": settings.SIGNUP_LINK_MINUTES},
        )
    return render(request, "accounts/link_invalid.html", {"form": form})


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required: a User
    profile_form = ProfileForm(instance=user)
    token_form = ApiTokenForm()
    new_secret = None
    if request.method == "POST" and "save_profile" in request.POST:
        profile_form = ProfileForm(request.POST, instance=user)
        if profile_form.is_valid():
            profile_form.save()
            # The next page comes out in the language just chosen: so does this message.
            translation.activate(user.language)
            messages.success(request, _("Your details are saved."))
            response = redirect("accounts:account")
            response.set_cookie("django_language", user.language)
            return response
    elif request.method == "POST" and "create_token" in request.POST:
        token_form = ApiTokenForm(request.POST)
        if token_form.is_valid():
            _token, new_secret = ApiToken.issue(user, token_form.cleaned_data["name"])
            token_form = ApiTokenForm()
    context = {
        "profile_form": profile_form,
        "token_form": token_form,
        "new_secret": new_secret,
        "tokens": user.api_tokens.filter(revoked_at__isnull=True),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def revoke_token_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoke()
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:account")


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Switch the language for this browser and, when logged in, for the account and its emails."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
        if request.user.is_authenticated:
            User.objects.filter(pk=request.user.pk).update(language=language)
    return response
