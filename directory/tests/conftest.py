"""Named actors of the guides, for every directory test."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.tests.shared_data import once_per_module, own_copy
from directory.models import ActivityKind, Authority
from directory.tests.factories import (
    AuthorityFactory,
    ControlBodyCodeFactory,
    ControlBodyFactory,
    OperatorActivityFactory,
    OperatorFactory,
    OperatorIdentifierFactory,
    PointOfEntryFactory,
    UserFactory,
    member_of,
)


def load_accounts_and_directory() -> dict:
    """The demo accounts (without two-factor, which is the accounts app's concern) and the directory's demo."""
    from demo.directory import load_directory_demo
    from demo.people import DEMO_ACCOUNTS, demo_user

    users = {email: demo_user(email, first, last, signs=False) for email, _role, (first, last), _signs in DEMO_ACCOUNTS}
    load_directory_demo(users)
    return users


@pytest.fixture
def demo(db: None) -> dict:
    return load_accounts_and_directory()


def build_world() -> SimpleNamespace:
    """INAO, the Commission, ECOCERT (MA-BIO-154, FR-BIO-01), ACME in France, Atlas in Morocco, and outsiders."""
    w = SimpleNamespace()
    w.inao = AuthorityFactory(name="INAO", country="FR")
    w.commission = AuthorityFactory(name="European Commission", kind=Authority.Kind.COMMISSION, country="BE")
    w.port = PointOfEntryFactory(code="FRLEH", name="Le Havre")
    w.ecocert = ControlBodyFactory(name="ECOCERT")
    w.ma154 = ControlBodyCodeFactory(control_body=w.ecocert, code="MA-BIO-154")
    w.fr01 = ControlBodyCodeFactory(control_body=w.ecocert, code="FR-BIO-01")
    w.other_cb = ControlBodyFactory(name="Other CB")
    w.tn999 = ControlBodyCodeFactory(control_body=w.other_cb, code="TN-BIO-999")
    w.ma999 = ControlBodyCodeFactory(control_body=w.other_cb, code="MA-BIO-999")

    w.acme = OperatorFactory(name="ACME Bio Imports FR", city="Paris")
    OperatorIdentifierFactory(operator=w.acme, value="FR43396818700016")
    OperatorActivityFactory(operator=w.acme, kind=ActivityKind.IMPORTER, control_body_code=w.fr01)
    w.atlas = OperatorFactory(name="Atlas Organic Export", country="MA", city="Agadir", postcode="80000")
    OperatorActivityFactory(operator=w.atlas, kind=ActivityKind.EXPORTER, control_body_code=w.ma154)
    w.other = OperatorFactory(name="Other Bio Import", city="Lyon")
    OperatorActivityFactory(operator=w.other, kind=ActivityKind.OPERATOR, control_body_code=w.fr01)

    w.inao_agent = member_of(w.inao, UserFactory(first_name="Inès", language="fr")).user
    w.commission_admin = member_of(w.commission).user
    w.border_agent = member_of(w.port.authority).user
    w.ecocert_agent = member_of(w.ma154).user
    w.other_cb_agent = member_of(w.ma999).user
    w.acme_admin = member_of(w.acme, is_admin=True).user
    w.atlas_admin = member_of(w.atlas, is_admin=True).user
    w.outsider = member_of(w.other, is_admin=True).user
    return w


# Built once per module when all its tests ask for the world (core/tests/shared_data.py), else once per test.
world_of_the_module = once_per_module(build_world, "world")


@pytest.fixture
def world(db: None, world_of_the_module: SimpleNamespace | None) -> SimpleNamespace:
    return own_copy(world_of_the_module, build_world)
