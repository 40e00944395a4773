"""The workflow's test world: the drafting tests' actors, signers with two-factor on, an outsider authority,
and a COI brought to any of the eleven statuses through the workflow's own functions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.tests.helpers import totp_code
from accounts.two_factor import activate_totp
from certificates import services
from certificates.coi_forms import FormCode
from certificates.models import Certificate
from certificates.statuses import COIRole, COIStatus
from certificates.workflow import after_signature, extracts, release
from certificates.workflow import certification as steps
from directory.models import Authority

from .conftest import World
from .factories import AuthorityFactory, member_of

SECRET = "JBSWY3DPEHPK3PXP"
CHECKS = {"documentary": "acceptable", "physical": "not_done"}
ROLES = [str(r) for r in COIRole.values]


@dataclass
class Flow:
    w: World
    outsider_authority: Any
    outsider_exporter: Any

    def person(self, user: Any) -> Any:
        return self.w.person(user)

    def party(self, role: str) -> Any:
        """The person holding `role` on the COIs this world builds."""
        return {
            COIRole.IMPORTER: self.w.importer,
            COIRole.EXPORTER: self.w.exporter,
            COIRole.CONTROL_BODY: self.w.control_body,
            COIRole.VALIDATING_AUTHORITY: self.w.inao_agent,
            COIRole.ENTRY_AUTHORITY: self.w.border_agent,
            COIRole.RFL: self.w.forwarder,
            COIRole.FIRST_CONSIGNEE: self.w.consignee,
        }[role]

    def outsider(self, role: str) -> Any:
        """Someone of the same kind of organisation, not named on the COI."""
        if role == COIRole.CONTROL_BODY:
            return self.w.outsider_control_body
        if role in (COIRole.VALIDATING_AUTHORITY, COIRole.ENTRY_AUTHORITY):
            return self.outsider_authority
        if role == COIRole.EXPORTER:
            return self.outsider_exporter
        return self.w.outsider_importer

    # Bringing a COI to a status, step by step ---------------------------------------------------------

    def coi(self, status: str, *, creator: str = "importer") -> Certificate:
        batches = status in (COIStatus.BASIS_FOR_EXTRACT,)
        if status == COIStatus.DRAFT:
            return self.w.draft(creator, rfl=self.w.transit.pk)
        extra: dict[str, Any] = {"rfl": self.w.transit.pk}
        if batches and self.w.form == "2021/2306":  # box 24 left empty: the decision is "part can be released"
            extra.update(first_consignee=None)
        elif batches:
            extra.update(first_consignee=None, release_in_batches=True)
        coi = self.w.submitted(creator, **extra)
        if status == COIStatus.DESCRIPTION_COMPLETED:
            return coi
        coi = self.sign_18(coi)
        if status == COIStatus.ISSUING_BODY_SIGNED and coi.form != "2021/2306":
            return coi
        if status == COIStatus.REPLACED:
            new = after_signature.replace(self.person(self.w.control_body), coi.pk)
            self.sign_18(new)
            return Certificate.objects.get(pk=coi.pk)
        if coi.form == "2021/2306":
            coi = self.notify(coi)
            if status == COIStatus.ISSUING_BODY_SIGNED:
                return coi
            return self.union_part(coi, status)
        decision = status if status in COIStatus.box20_decisions() else COIStatus.CONSIGNMENT_VERIFIED
        coi = self.decide(coi, decision)
        if status == decision:
            return coi
        if status == COIStatus.DELETED:
            return after_signature.delete(self.person(self.w.inao_agent), coi.pk, reason="Duplicate of another COI")
        coi = steps.sign_box_21(self.person(self.w.consignee), coi.pk, place="Lyon")
        if status == COIStatus.FIRST_CONSIGNEE_SIGNED:
            return coi
        assert status == COIStatus.OFIS_IRREGULARITY
        return after_signature.flag_irregularity(self.person(self.w.importer), coi.pk, description="Residues found")

    def notify(self, coi: Certificate) -> Certificate:
        """The importer's part of a 2021/2306 COI once issued: prior notification (box 20), customs
        warehousing (box 23)."""
        arrival = timezone.now() + datetime.timedelta(days=3)
        data = {"prior_notification_at": arrival.isoformat(), "customs_warehousing": "yes"}
        data["customs_declaration_reference"] = "26FR0000000000001"
        coi, _problems = services.update_boxes(self.person(self.w.importer), coi.pk, data)
        return coi

    def union_part(self, coi: Certificate, status: str) -> Certificate:
        """A 2021/2306 COI, issued, taken through boxes 25, 30 and 31 to `status`."""
        agent = self.person(self.w.inao_agent)
        release.sign_box_25(agent, coi.pk, documentary="satisfactory", selected="no", place="Le Havre")
        decision = status if status in COIStatus.box30_decisions() else COIStatus.RELEASED_ORGANIC
        decision = COIStatus.BASIS_FOR_EXTRACT if status == COIStatus.DEPLETED else decision
        reason = "Batches for two consignees" if decision == COIStatus.BASIS_FOR_EXTRACT else ""
        reason = "Residues above the limit" if decision == COIStatus.CANNOT_BE_RELEASED else reason
        coi = release.decide_box_30(agent, coi.pk, decision=decision, place="Le Havre", reason=reason)
        if status == decision:
            return coi
        if status == COIStatus.DEPLETED:
            return extracts.deplete(agent, coi.pk, note="All batches taken")
        if status == COIStatus.OFIS_IRREGULARITY:
            return after_signature.flag_irregularity(agent, coi.pk, description="Residues found")
        assert status == COIStatus.FIRST_CONSIGNEE_SIGNED
        return release.sign_box_31(self.person(self.w.consignee), coi.pk, in_accordance=True, place="Lyon")

    def sign_18(self, coi: Certificate) -> Certificate:
        return steps.sign_box_18(self.person(self.w.control_body), coi.pk, place="Agadir", checks=CHECKS)

    def decide(self, coi: Certificate, decision: str) -> Certificate:
        reason = "" if decision in (COIStatus.CONSIGNMENT_VERIFIED, COIStatus.BASIS_FOR_EXTRACT) else "Residues"
        return steps.decide(self.person(self.w.inao_agent), coi.pk, decision=decision, place="Paris", reason=reason)

    def extract(self, base: Certificate, packages: int = 100, weight: str = "2000", user: Any = None) -> Certificate:
        line = base.lines()[0] if hasattr(base, "_prefetched_objects_cache") else _first_line(base)
        return extracts.initiate_extract(
            self.person(user or self.w.importer),
            base.pk,
            consignee=self.w.foods.pk,
            quantities={line.pk: (packages, weight)},
        )


def _first_line(coi: Certificate) -> Any:
    return coi.commodities.first().lines.first()


def two_factor(user: Any) -> None:
    activate_totp(user, SECRET)


def code(step: int = 0) -> str:
    return totp_code(SECRET, step)


def make_flow(world: World) -> Flow:
    """Each test file declares `@pytest.fixture def flow(world): return make_flow(world)`."""
    for user in (
        world.control_body,
        world.inao_agent,
        world.border_agent,
        world.consignee,
        world.outsider_control_body,
    ):
        two_factor(user)
    other = AuthorityFactory(name="DDPP du Rhône", country="FR", kind=Authority.Kind.COMPETENT)
    outsider_authority = member_of(other, email="agent@ddpp.example")
    two_factor(outsider_authority)
    from .factories import ActivityFactory, OperatorFactory

    other_exporter = OperatorFactory(name="Other Exporter", country="MA")
    ActivityFactory(operator=other_exporter, kind="exporter", control_body_code=world.ecocert_fr)
    return Flow(world, outsider_authority, member_of(other_exporter, email="exporter@other.example"))


def make_flow_2021_2306(world: World) -> Flow:
    """`make_flow` on the form in force (Reg. (EU) 2021/2306), every user reading English."""
    world.form = FormCode.R2021_2306
    made = make_flow(world)
    User.objects.update(language="en")
    return made


USED_CODES: dict[int, set[str]] = {}


def fresh_code(user: Any) -> str:
    """A two-factor code `user` has not used yet in this test: of the current period, the next or the previous
    (the server accepts those three, each once), chosen when called, so a test that crosses a 30-second boundary
    between two steps never offers a code it gave before; forgotten before each test (conftest's `_fresh_codes`).
    Raises LookupError after three codes in one period (the server would refuse a fourth as well)."""
    used = USED_CODES.setdefault(user.pk, set())
    for step in (0, 1, -1):
        candidate = code(step)
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise LookupError(f"{user} has used the three codes the server accepts now")


def api_auth(user: Any) -> dict[str, str]:
    """The headers of an API call as `user`, with a token of their own."""
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
