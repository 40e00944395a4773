"""The rule: every form keeps what was typed on every error. Each page of the site (read from the URL resolver,
as the security sweeps do) is either in FORMS, posted here with exactly one error, or in NO_TYPED_INPUT with
the reason it has nothing to keep; a new page fails this test until it is one or the other. A form of FORMS is
refused (4xx, not a redirect that would drop the values) and every other posted value comes back in the
form's controls, as the browser would post them again (passwords and two-factor codes excepted: a page never
echoes them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certificates.statuses import COIStatus
from certificates.tests.factories import AuthorityFactory, member_of
from certificates.tests.test_pages import form_post
from certificates.workflow import release
from core.tests.security_world import PDF, Scene, build_scene
from core.tests.urlmap import pages
from directory.models import Authority, ControlBodyCode

# Written for the guides' form (1235/2008): COIs made here through the pages take it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("guides_form")]

NEVER_ECHOED = {"password", "password1", "password2", "oldpassword", "code", "csrfmiddlewaretoken", "file"}
WRONG_CODE = "000000"


class FormState(HTMLParser):
    """What each control of a page holds: the values a browser would post again (name -> values)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            current = self.values[self._textarea][-1]
            # Browsers drop the newline that follows <textarea>, as Django's widget writes it.
            self.values[self._textarea][-1] = current + (data[1:] if not current and data.startswith("\n") else data)


def controls(html: str) -> dict[str, list[str]]:
    parser = FormState()
    parser.feed(html)
    return parser.values


@dataclass
class Case:
    """A page's form posted with one error (`broken`: the field(s) in error, not asserted)."""

    actor: Callable[[Scene], Any]
    url: Callable[[Scene], str]
    post: Callable[[Scene], dict[str, Any]]
    broken: set[str] = field(default_factory=set)
    before: Callable[[Client, Scene], None] | None = None


def _commission(s: Scene) -> Any:
    commission = AuthorityFactory(name="European Commission", country="BE", kind=Authority.Kind.COMMISSION)
    return member_of(commission, email="agent@commission.example")


def _signup_question(client: Client, s: Scene) -> None:
    client.get("/accounts/signup/")


def _sign_18(s: Scene) -> dict[str, Any]:
    return {
        "documentary": "acceptable",
        "documentary_remarks": "Invoice and TC match",
        "physical": "not_done",
        "physical_remarks": "Sampled 3 cartons",
        "place": "Agadir",
        "code": WRONG_CODE,
        "sign": "18",
    }


def _coi(s: Scene, status: str) -> Any:
    """A COI of the scene's world in that status, made once per test."""
    made = s.__dict__.setdefault("made", {})
    if status not in made:
        made[status] = s.flow.coi(status)
    return made[status]


def _form_2021_2306(s: Scene, status: str, box_25: bool = False) -> Any:
    """A COI of the 2021/2306 form in that status (box 25 signed if asked), made once per test."""
    made = s.__dict__.setdefault("made_2306", {})
    if (status, box_25) not in made:
        form, s.w.form = getattr(s.w, "form", None), "2021/2306"
        try:
            coi = s.flow.coi(status)
        finally:
            s.w.form = form
        if box_25:
            agent = s.w.person(s.w.inao_agent)
            release.sign_box_25(agent, coi.pk, documentary="satisfactory", selected="no", place="Le Havre")
        made[(status, box_25)] = coi
    return made[(status, box_25)]


def _extract_post(s: Scene, **extra: str) -> dict[str, Any]:
    line = _coi(s, COIStatus.BASIS_FOR_EXTRACT).commodities.first().lines.order_by("position").first()
    return {"consignee": str(s.w.foods.pk), f"packages_{line.pk}": "100", f"weight_{line.pk}": "2000", **extra}


def _new_form(s: Scene) -> dict[str, Any]:
    return form_post(s.w, exporter="", national_reference="ACME-2026-99", action="save")


SIGNUP = Case(
    actor=lambda s: None,
    url=lambda s: "/accounts/signup/",
    post=lambda s: {
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia@acme-bio.example",
        "email2": "nadia@acme-bio.example",
        "language": "fr",
        "human_check": "999999",
    },
    broken={"human_check"},
    before=_signup_question,
)

FORMS: dict[str, Case] = {
    "accounts:signup": SIGNUP,
    "account_signup": SIGNUP,
    "account_login": Case(
        actor=lambda s: None,
        url=lambda s: "/accounts/login/",
        post=lambda s: {"login": "importer@acme-bio.example", "password": "not-the-password"},
    ),
    "accounts:account": Case(
        actor=lambda s: s.w.importer,
        url=lambda s: "/accounts/me/",
        post=lambda s: {"first_name": "Isabelle", "last_name": "B" * 200, "language": "fr", "save_profile": "1"},
        broken={"last_name"},
    ),
    "certificates:new_form": Case(
        actor=lambda s: s.w.importer, url=lambda s: "/certificates/new/form/", post=_new_form, broken={"exporter"}
    ),
    "certificates:edit": Case(
        actor=lambda s: s.w.importer,
        url=lambda s: f"/certificates/{s.draft.pk}/edit/",
        post=lambda s: form_post(s.w, gross_weight="seize mille", action="submit"),
        broken={"gross_weight"},
    ),
    "certificates:add_document": Case(
        actor=lambda s: s.w.importer,
        url=lambda s: f"/certificates/{s.draft.pk}/documents/",
        post=lambda s: {
            "type": "bill_of_lading",
            "reference": "BL-MSC-2026-88",
            "date": "2026-11-02",
            "issuer": "MSC",
            "next": "edit",
            "file": SimpleUploadedFile("bl.pdf", PDF, content_type="application/pdf"),
        },
        broken={"issuing_country"},
    ),
    "certificates:workflow_sign_18": Case(
        actor=lambda s: s.w.control_body,
        url=lambda s: f"/certificates/{s.submitted.pk}/workflow/sign-18/",
        post=_sign_18,
    ),
    "certificates:workflow_checks": Case(
        actor=lambda s: s.w.control_body,
        url=lambda s: f"/certificates/{s.submitted.pk}/workflow/checks/",
        post=lambda s: {**_sign_18(s), "documentary": "bogus"},
        broken={"documentary"},
    ),
    "certificates:workflow_decide": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: f"/certificates/{_coi(s, COIStatus.ISSUING_BODY_SIGNED).pk}/workflow/decide/",
        post=lambda s: {
            "decision": "released_as_conventional",
            "reason": "Résidus de chlorpyriphos",
            "place": "Paris",
            "code": WRONG_CODE,
        },
    ),
    "certificates:workflow_sign_21": Case(
        actor=lambda s: s.w.consignee,
        url=lambda s: f"/certificates/{s.verified.pk}/workflow/sign-21/",
        post=lambda s: {"place": "Lyon", "code": WRONG_CODE},
    ),
    "certificates:workflow_verify_23": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: f"/certificates/{_form_2021_2306(s, COIStatus.ISSUING_BODY_SIGNED).pk}/workflow/verify-23/",
        post=lambda s: {"place": "Le Havre", "code": WRONG_CODE},
    ),
    "certificates:workflow_sign_25": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: f"/certificates/{_form_2021_2306(s, COIStatus.ISSUING_BODY_SIGNED).pk}/workflow/sign-25/",
        post=lambda s: {"documentary": "satisfactory", "selected": "yes", "place": "Le Havre", "code": WRONG_CODE},
    ),
    "certificates:workflow_decide_30": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: (
            f"/certificates/{_form_2021_2306(s, COIStatus.ISSUING_BODY_SIGNED, box_25=True).pk}/workflow/decide-30/"
        ),
        post=lambda s: {
            "decision": "cannot_be_released",
            "reason": "Résidus de chlorpyriphos",
            "place": "Le Havre",
            "code": WRONG_CODE,
        },
    ),
    "certificates:workflow_sign_31": Case(
        actor=lambda s: s.w.consignee,
        url=lambda s: f"/certificates/{_form_2021_2306(s, COIStatus.RELEASED_ORGANIC).pk}/workflow/sign-31/",
        post=lambda s: {"in_accordance": "no", "remark": "Cartons abîmés", "place": "Lyon", "code": WRONG_CODE},
    ),
    "certificates:workflow_extract": Case(
        actor=lambda s: s.w.importer,
        url=lambda s: f"/certificates/{_coi(s, COIStatus.BASIS_FOR_EXTRACT).pk}/workflow/extract/",
        post=lambda s: {**_extract_post(s), "consignee": str(s.w.atlas.pk)},  # not a first consignee
        broken={"consignee"},
    ),
    "certificates:workflow_split": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: f"/certificates/{_coi(s, COIStatus.BASIS_FOR_EXTRACT).pk}/workflow/split/",
        post=lambda s: _extract_post(s, place="Paris", code=WRONG_CODE),
    ),
    "directory:operator_create": Case(
        actor=lambda s: s.w.outsider_importer,
        url=lambda s: "/directory/operators/new/?country=FR&q=Vaysse",
        post=lambda s: {
            "name": "VAYSSE Import",
            "country": "FR",
            "city": "Toulouse",
            "postcode": "31300",
            "address": "Rue Imaginaire",
            "identifiers-TOTAL_FORMS": "1",
            "identifiers-INITIAL_FORMS": "0",
            "identifiers-0-type": "eori",
            "identifiers-0-value": "FR12345678901234",
            "activities-TOTAL_FORMS": "1",
            "activities-INITIAL_FORMS": "0",
            "activities-0-kind": "importer",
            "activities-0-control_body_code": str(s.w.ecocert_fr.pk),
            "message": "Operator n. 11111",
            "contact_email": "nadia@vaysse.example",
        },
        broken={"identifiers-0-value"},
    ),
    "directory:operator_request": Case(
        actor=lambda s: s.w.outsider_importer,
        url=lambda s: f"/directory/operators/{s.w.acme.pk}/request/",
        post=lambda s: {"message": "Je travaille chez ACME", "contact_email": "pas-un-email", "contact_phone": "0102"},
        broken={"contact_email"},
    ),
    "directory:authority_request": Case(
        actor=lambda s: s.w.outsider_importer,
        url=lambda s: "/directory/authorities/request/",
        post=lambda s: {
            "authority": str(s.w.inao.pk),
            "message": "Agent INAO",
            "contact_email": "pas-un-email",
            "contact_phone": "0102",
        },
        broken={"contact_email"},
    ),
    "directory:control_body_request": Case(
        actor=lambda s: s.w.outsider_importer,
        url=lambda s: "/directory/control-bodies/request/",
        post=lambda s: {
            "country": "MA",
            "q": "",
            "codes": [str(ControlBodyCode.objects.get(code="MA-BIO-154").pk)],
            "message": "Inspectrice",
            "contact_email": "pas-un-email",
            "contact_phone": "0102",
        },
        broken={"contact_email"},
    ),
    "directory:add_activity": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: f"/directory/operators/{s.w.foods.pk}/activities/",
        post=lambda s: {
            "kind": "importer",
            "control_body_code": str(s.w.ecocert_fr.pk),
            "identifier": "AB-123",
            "valid_from": "2026-06-01",
            "valid_until": "2026-01-01",
            "remarks": "Nouvelle activité",
        },
    ),
    "directory:add_identifier": Case(
        actor=lambda s: s.w.inao_agent,
        url=lambda s: f"/directory/operators/{s.w.foods.pk}/identifiers/",
        post=lambda s: {"type": "eori", "value": "FR12345678901234"},
        broken={"value"},
    ),
    "directory:rfl": Case(
        actor=_commission,
        url=lambda s: "/directory/rfl/",
        post=lambda s: {
            "email": s.w.outsider_importer.email,  # not a member of Transit: refused, every value kept
            "operator": str(s.w.transit.pk),
            "points": [str(s.w.le_havre.pk)],
        },
    ),
    "directory:rfl_request": Case(
        actor=lambda s: s.w.forwarder,
        url=lambda s: "/directory/rfl/request/",
        post=lambda s: {"operator": str(s.w.transit.pk), "message": "Transitaire au Havre"},
        broken={"points"},
    ),
}

# Pages with nothing typed to keep, and why.
GET_ONLY = "shows or downloads; no form is posted to it"
BUTTON = "a button only: nothing is typed"
ONE_FIELD = "one field, the one in error (or a password or code, never echoed)"
SEARCH = "a GET search: what was typed is in the address and comes back"
DECISION = "a decision button and the reason, the only typed field (refused when empty)"
ALLAUTH = "allauth's page of one field or of passwords only"
NO_TYPED_INPUT: dict[str, str] = {
    "healthz": GET_ONLY,
    "core:home": GET_ONLY,
    "core:help": GET_ONLY,
    "core:help_page": GET_ONLY,
    "help_statuses": GET_ONLY,
    "help_form_2021_2306": GET_ONLY,
    "core:notices": "ticks only (email opt-outs), none of which can be wrong",
    "outputs:verify": GET_ONLY,
    # Its form (Art. 8 manual quantity management) needs a released COI with customs lines, which this scene has
    # not: that what is typed is kept on a refusal is tested in customs/tests/test_manual_records_contingency.py.
    "customs:quantities": "tested with its own world (customs/tests/test_manual_records_contingency.py)",
    # The office's machine clients: one field (the system's name), the one in error; only an office's
    # administrator opens it, whom this scene has not (customs/tests/test_machine_clients_page.py).
    "customs:clients": ONE_FIELD,
    "customs:revoke_client": BUTTON,
    # The office's staff and their administrator flag (customs/tests/test_office_staff.py): a button per person.
    "customs:staff": GET_ONLY,
    "customs:set_admin": BUTTON,
    "outputs:dashboard": SEARCH,
    "outputs:export_csv": GET_ONLY,
    "outputs:export_xlsx": GET_ONLY,
    "outputs:pdf": GET_ONLY,
    "accounts:welcome": ONE_FIELD,
    "accounts:resend_link": ONE_FIELD,
    "accounts:revoke_token": BUTTON,
    "accounts:set_language": BUTTON,
    "account_change_password": ALLAUTH,
    "account_confirm_login_code": ALLAUTH,
    "account_email": ALLAUTH,
    "account_email_verification_sent": GET_ONLY,
    "account_inactive": GET_ONLY,
    "account_logout": BUTTON,
    "account_reauthenticate": ALLAUTH,
    "account_reset_password": ALLAUTH,
    "account_reset_password_done": GET_ONLY,
    "account_reset_password_from_key_done": GET_ONLY,
    "account_set_password": ALLAUTH,
    "mfa_activate_totp": ALLAUTH,
    "mfa_authenticate": ALLAUTH,
    "mfa_deactivate_totp": ALLAUTH,
    "mfa_download_recovery_codes": GET_ONLY,
    "mfa_generate_recovery_codes": BUTTON,
    "mfa_index": GET_ONLY,
    "mfa_reauthenticate": ALLAUTH,
    "mfa_view_recovery_codes": GET_ONLY,
    "certificates:list": SEARCH,
    "certificates:new": SEARCH,
    "certificates:detail": GET_ONLY,
    "certificates:download": GET_ONLY,
    "certificates:copy": BUTTON,
    "certificates:submit": BUTTON,
    "certificates:remove_document": BUTTON,
    "certificates:workflow": GET_ONLY,
    "certificates:lookup_control_bodies": SEARCH,
    "certificates:lookup_operators": SEARCH,
    "certificates:lookup_choices": SEARCH,
    "certificates:lookup_products": SEARCH,
    "certificates:workflow_submit_extract": BUTTON,
    "certificates:workflow_replace": "one optional note",
    "certificates:workflow_deplete": "one optional note",
    "certificates:workflow_flag": ONE_FIELD,
    "certificates:workflow_delete": ONE_FIELD,
    "directory:start": GET_ONLY,
    "directory:roles": GET_ONLY,
    "directory:act_for": BUTTON,
    "directory:operator_search": SEARCH,
    "directory:control_body_search": SEARCH,
    "directory:queue": GET_ONLY,
    "directory:organisations": GET_ONLY,
    "directory:operator": GET_ONLY,
    "directory:operator_users": SEARCH,
    "directory:decide": DECISION,
    "directory:decide_activity": DECISION,
    "directory:decide_operator": DECISION,
    "directory:rfl_decide": DECISION,
    "directory:set_admin": BUTTON,
    "directory:rfl_revoke": BUTTON,
}


def page_names() -> set[str]:
    return {p.name for p in pages()}


def test_it_knows_every_page_as_a_form_to_check_or_a_page_with_nothing_typed() -> None:
    unknown = page_names() - set(FORMS) - set(NO_TYPED_INPUT)
    assert unknown == set(), "add each to FORMS (with one error) or to NO_TYPED_INPUT (with the reason)"
    assert set(FORMS) & set(NO_TYPED_INPUT) == set()


@pytest.fixture
def scene(db: None) -> Scene:
    return build_scene()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_it_gives_back_every_other_value_typed_on_an_error(scene: Scene, name: str) -> None:
    case = FORMS[name]
    client = Client()
    actor = case.actor(scene)
    if actor is not None:
        client.force_login(actor)
    if case.before:
        case.before(client, scene)
    posted = case.post(scene)
    response = client.post(case.url(scene), posted)
    assert 400 <= response.status_code < 500 or (
        response.status_code == 200 and "error" in response.content.decode()
    ), (
        response.status_code,
        response.get("Location"),
    )
    assert response.status_code != 302
    state = controls(response.content.decode())
    lost = {}
    for key, value in posted.items():
        if key in case.broken or key in NEVER_ECHOED or key in ("action", "next", "sign", "save_profile"):
            continue
        for one in value if isinstance(value, list) else [value]:
            if str(one) not in state.get(key, []):
                lost[key] = (one, state.get(key))
    assert lost == {}
