"""Every page and API operation of the site, read from the URL resolver and the OpenAPI document (never a
hand-made list), with their path arguments filled from the security scene's objects, so a new page or
endpoint is swept by the security checks the day it is added."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import ApiToken
from api.api import api
from core.tests.security_world import Scene
from directory.models import Membership, OperatorActivity, RflGrant

# Pages anyone may open without logging in: signing up and in, help, the verification of a printed COI.
PUBLIC = {
    "healthz",
    "core:home",
    "core:help",
    "core:help_page",
    "help_statuses",
    "help_form_2021_2306",
    "outputs:verify",
    "accounts:signup",
    "accounts:welcome",
    "accounts:resend_link",
    "accounts:set_language",
}
PUBLIC_PREFIXES = ("account_", "mfa_authenticate")  # allauth's login, logout, password reset and 2FA stage
SKIPPED_PREFIXES = ("admin:", "api:", "customs_api:", "django.", "static")  # the admin (its own checks), the APIs


@dataclass(frozen=True)
class Page:
    name: str
    route: str  # the pattern with <arguments>, for messages
    kwargs: tuple[tuple[str, str], ...]

    @property
    def public(self) -> bool:
        return self.name in PUBLIC or self.name.startswith(PUBLIC_PREFIXES)

    @property
    def has_object(self) -> bool:
        return any(key in ("pk", "document_id") for key, _value in self.kwargs)

    def url(self, scene: Scene, **overrides: Any) -> str:
        values = {**_arguments(scene, self.name), **overrides}
        path = self.route
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "x")), path)
        return "/" + path


def pages() -> list[Page]:
    """Every named page of the site but the admin's and the API's, with plain (not regex) routes."""
    found: list[Page] = []
    _walk(get_resolver(), "", None, found)
    return sorted({p.name: p for p in found}.values(), key=lambda p: p.name)


def _walk(resolver: URLResolver, prefix: str, namespace: str | None, found: list[Page]) -> None:
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            _walk(pattern, prefix + route, ns, found)
            continue
        assert isinstance(pattern, URLPattern)
        name = ":".join(n for n in (namespace, pattern.name) if n)
        if not pattern.name or name.startswith(SKIPPED_PREFIXES) or "^" in route or "(?P" in route:
            continue
        keys = tuple((k, "") for k in re.findall(r"<(?:\w+:)?(\w+)>", prefix + route))
        found.append(Page(name, prefix + route, keys))


def _arguments(scene: Scene, name: str) -> dict[str, Any]:
    """Real objects of ACME's importer for each argument, by page family."""
    w = scene.w
    pk: Any = scene.draft.pk
    if name.startswith("directory:"):
        pk = {
            "directory:decide": lambda: w.membership(w.importer).pk,
            "directory:set_admin": lambda: w.membership(w.importer).pk,
            "directory:decide_activity": lambda: OperatorActivity.objects.filter(operator=w.acme).first().pk,
            "directory:rfl_revoke": lambda: RflGrant.objects.first().pk,
        }.get(name, lambda: w.acme.pk)()
    elif name == "accounts:revoke_token":
        pk = ApiToken.objects.filter(user=w.importer).first().pk
    return {"pk": pk, "document_id": scene.document.pk, "name": "checks", "page": "start", "token": "x"}


# The API, from its OpenAPI document ------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # /api/v1/... with {arguments}
    secured: bool

    def url(self, scene: Scene) -> str:
        ids = {
            "coi_id": scene.draft.pk,
            "document_id": scene.document.pk,
            "operator_id": scene.w.acme.pk,
            "membership_id": Membership.objects.filter(user=scene.w.importer).first().pk,  # type: ignore[union-attr]
            "code": "08013200",
        }
        return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations() -> list[Operation]:
    schema = api.get_openapi_schema()
    return [
        Operation(method, path, bool(operation.get("security")))
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
