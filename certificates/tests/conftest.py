"""The guide's actors, named: ACME's importer, Atlas's exporter, ECOCERT's agent, and outsiders of each kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from certificates.access import Person
from certificates.boxes import BoxData
from certificates.models import Certificate
from certificates.services import create_draft
from certificates.workflow.certification import submit
from core.tests.shared_data import once_per_module, own_copy
from directory.models import ActivityKind, Authority, Membership
from reference.models import CnCode
from reference.tests.fixtures import cn_codes, cn_codes_of_the_module  # noqa: F401 - the whole shipped CN, for search tests

from .factories import (
    ActivityFactory,
    AuthorityFactory,
    ControlBodyCodeFactory,
    ControlBodyFactory,
    OperatorFactory,
    PointOfEntryFactory,
    cn_code,
    member_of,
    rfl_grant,
)
from .seal_pki import pki_seal, trial_pki  # noqa: F401 - the seal's trial PKI and SoftHSM token, once per process


@dataclass
class World:
    ecocert: Any
    ecocert_fr: Any
    other_cb_code: Any
    acme: Any
    atlas: Any
    foods: Any
    farm: Any
    transit: Any
    other_bio: Any
    inao: Any
    douane: Any
    le_havre: Any
    cashew: CnCode
    jam: CnCode
    importer: Any  # Isabelle, of ACME Bio Imports FR
    exporter: Any  # Youssef, of Atlas Organic (Morocco)
    control_body: Any  # Élodie, of ECOCERT MA-BIO-154
    consignee: Any  # Camille, of ACME Bio Foods FR
    inao_agent: Any
    border_agent: Any
    forwarder: Any  # Fabien, RFL of Transit
    outsider_importer: Any  # Olivier, of Other Bio Import
    outsider_control_body: Any  # Oscar, of another control body
    # The form of the COIs `draft` creates: these tests were written for the guides' form, and say so (None:
    # settings.COI_FORM_DEFAULT, for the tests of the default itself).
    form: str | None = "1235/2008"

    def membership(self, user: Any) -> Membership:
        return Membership.objects.select_related("operator", "control_body_code").get(user=user)

    def person(self, user: Any) -> Person:
        return Person.of(user)

    def creator(self, name: str) -> Any:
        return {"importer": self.importer, "exporter": self.exporter, "control_body": self.control_body}[name]

    def complete_data(self) -> BoxData:
        """A COI that passes every rule: cashew nuts from Morocco, two lots, one container, by vessel."""
        return {
            "control_body_code": "MA-BIO-154",
            "exporter": self.atlas.pk,
            "origin_countries": ["MA"],
            "export_country": "MA",
            "release_member_state": "FR",
            "validating_authority": self.inao.pk,
            "point_of_entry": self.le_havre.pk,
            "importer": self.acme.pk,
            "first_consignee": self.foods.pk,
            "commodities": [
                {
                    "cn_code": "08013200",
                    "lines": [
                        {"trade_name": "Organic cashew W320", "lot_number": "LOT-A", "packages": 400,
                         "packaging_type": "CT", "net_weight": "9000", "net_weight_unit": "kg", "producer": self.farm.pk},
                        {"trade_name": "Organic cashew W240", "lot_number": "LOT-B", "packages": 300,
                         "packaging_type": "CT", "net_weight": "6.8", "net_weight_unit": "t", "producer": self.farm.pk},
                    ],
                }
            ],
            "containers": [{"number": "CSQU3054383", "seals": "SEAL-001"}],
            "gross_weight": "16500",
            "gross_weight_unit": "kg",
            "transport_mode": "vessel",
            "transport_identification": "MSC Agadir",
        }  # fmt: skip

    def draft(self, creator: str = "importer", **overrides: Any) -> Certificate:
        user = self.creator(creator)
        coi, _problems = create_draft(
            self.person(user), self.membership(user), {**self.complete_data(), **overrides}, form=self.form
        )
        return fresh(coi)

    def submitted(self, creator: str = "importer", **overrides: Any) -> Certificate:
        coi = self.draft(creator, **overrides)
        return fresh(submit(self.person(self.creator(creator)), coi.pk))


def fresh(coi: Certificate) -> Certificate:
    """The COI as stored, nothing loaded with it: a step returns its COI with its boxes prefetched, and a test
    that asked that copy after a request (`coi.traders.all()`, `coi.documents.exists()`) read what was loaded
    before the request, so an assertion that nothing was saved could never fail (issue 23, box 6)."""
    return Certificate.objects.get(pk=coi.pk)


def build_world() -> World:
    """The guide's actors, built now (the `world` fixture's data)."""
    ecocert = ControlBodyFactory(name="ECOCERT SA", country="FR")
    ecocert_ma = ControlBodyCodeFactory(control_body=ecocert, code="MA-BIO-154", categories="ABD")
    ecocert_fr = ControlBodyCodeFactory(control_body=ecocert, code="FR-BIO-001", categories="ABCDEF")
    other_cb_code = ControlBodyCodeFactory(code="MA-BIO-999", categories="ABCDEF")
    acme = OperatorFactory(name="ACME Bio Imports FR", country="FR")
    ActivityFactory(operator=acme, kind=ActivityKind.IMPORTER, control_body_code=ecocert_fr)
    atlas = OperatorFactory(name="Atlas Organic", country="MA", city="Agadir")
    ActivityFactory(operator=atlas, kind=ActivityKind.EXPORTER, control_body_code=ecocert_ma)
    foods = OperatorFactory(name="ACME Bio Foods FR", country="FR", city="Lyon")
    ActivityFactory(operator=foods, kind=ActivityKind.OPERATOR, control_body_code=ecocert_fr)
    farm = OperatorFactory(name="Souss Cashew Farm", country="MA", city="Taroudant")
    ActivityFactory(operator=farm, kind=ActivityKind.PRODUCER, control_body_code=ecocert_ma)
    transit = OperatorFactory(name="Transit Havrais", country="FR", city="Le Havre")
    other_bio = OperatorFactory(name="Other Bio Import", country="FR")
    ActivityFactory(operator=other_bio, kind=ActivityKind.IMPORTER, control_body_code=ecocert_fr)
    inao = AuthorityFactory(name="INAO", country="FR", kind=Authority.Kind.COMPETENT)
    douane = AuthorityFactory(name="Douane du Havre", country="FR", kind=Authority.Kind.ENTRY)
    le_havre = PointOfEntryFactory(code="FRLEH", name="Le Havre", authority=douane)
    cashew = cn_code("08013200")  # shelled cashew nuts
    jam = cn_code("20079910")  # plum purée for industrial processing
    forwarder = member_of(transit, email="forwarder@transit.example")
    rfl_grant(forwarder, transit, le_havre)
    return World(
        ecocert=ecocert,
        ecocert_fr=ecocert_fr,
        other_cb_code=other_cb_code,
        acme=acme,
        atlas=atlas,
        foods=foods,
        farm=farm,
        transit=transit,
        other_bio=other_bio,
        inao=inao,
        douane=douane,
        le_havre=le_havre,
        cashew=cashew,
        jam=jam,
        importer=member_of(acme, email="importer@acme-bio.example"),
        exporter=member_of(atlas, email="exporter@atlas-organic.example"),
        control_body=member_of(ecocert_ma, email="agent@ecocert.example"),
        consignee=member_of(foods, email="consignee@acme-foods.example"),
        inao_agent=member_of(inao, email="agent@inao.example"),
        border_agent=member_of(douane, email="border@douane.example"),
        forwarder=forwarder,
        outsider_importer=member_of(other_bio, email="importer@other-bio.example"),
        outsider_control_body=member_of(other_cb_code, email="agent@other-cb.example"),
    )


# Built once per module when all its tests ask for the world (core/tests/shared_data.py), else once per test.
world_of_the_module = once_per_module(build_world, "world")


@pytest.fixture
def world(db: Any, world_of_the_module: World | None) -> World:
    return own_copy(world_of_the_module, build_world)


CREATORS = ["importer", "exporter", "control_body"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English unless a test switches language."""
    from django.utils import translation

    translation.activate("en")
    yield


@pytest.fixture(autouse=True)
def _fresh_codes() -> None:
    """Each test counts the two-factor codes its users have used from none (workflow_world.fresh_code)."""
    from .workflow_world import USED_CODES

    USED_CODES.clear()
