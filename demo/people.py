"""The demo's people: the guides' actors, one account per role, the signing ones with two-factor on."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings

from accounts.models import User
from accounts.two_factor import activate_recovery_codes, activate_totp

# email, role shown when the demo starts, (first name, last name), signs (two-factor on)
DEMO_ACCOUNTS: list[tuple[str, str, tuple[str, str], bool]] = [
    ("admin@commission.example", "Commission (administrator)", ("Claire", "Commission"), True),
    ("agent@inao.example", "INAO, French competent authority", ("Inès", "Aubert"), True),
    ("border@douane.example", "Authority at a French point of entry", ("Bruno", "Douane"), True),
    ("agent@ecocert.example", "ECOCERT, control body MA-BIO-154", ("Élodie", "Certif"), True),
    ("exporter@atlas-organic.example", "Exporter in Morocco", ("Youssef", "Atlas"), False),
    ("importer@acme-bio.example", "Importer, ACME Bio Imports FR", ("Isabelle", "Acme"), False),
    ("consignee@acme-foods.example", "First consignee, ACME Bio Foods FR", ("Camille", "Foods"), True),
    ("forwarder@transit.example", "Freight forwarder (RFL)", ("Fabien", "Transit"), False),
    ("customs@douane.example", "Customs office FR000690 (administrator)", ("Corinne", "Bureau"), False),
    ("importer@other-bio.example", "Outsider importer, Other Bio Import", ("Olivier", "Other"), False),
    ("agent@other-cb.example", "Outsider control body", ("Oscar", "Certif"), True),
]


def demo_user(email: str, first_name: str, last_name: str, *, signs: bool, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, "language": "fr"}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.is_staff = user.is_superuser = staff
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    if signs and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        activate_totp(user, settings.DEMO_TOTP_SECRET)
        activate_recovery_codes(user)
    return user
