"""Every page renders for the people it is for, in French and English; outsiders get 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.collation import collation_text
from directory.models import Membership, Operator


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = [
    ("importer@acme-bio.example", "directory:start", None),
    ("importer@acme-bio.example", "directory:roles", None),
    ("importer@acme-bio.example", "directory:organisations", None),
    ("importer@acme-bio.example", "directory:queue", None),
    ("importer@acme-bio.example", "directory:control_body_search", None),
    ("importer@acme-bio.example", "directory:authority_request", None),
    ("agent@inao.example", "directory:queue", None),
    ("agent@ecocert.example", "directory:queue", None),
    ("admin@commission.example", "directory:queue", None),
    ("admin@commission.example", "directory:rfl", None),
    ("importer@acme-bio.example", "accounts:account", None),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("email", "name", "_"), PAGES)
def test_it_renders(demo: dict, email: str, name: str, _: None, language: str) -> None:
    user = demo[email]
    user.language = language
    user.save()
    response = client_for(user).get(reverse(name))
    assert response.status_code == 200


def test_it_shows_the_queue_with_everything_to_decide(demo: dict) -> None:
    response = client_for(demo["agent@inao.example"]).get(reverse("directory:queue"))
    assert "Paul Collègue" in response.content.decode()
    assert "ACME Bio Imports FR" in response.content.decode()


def test_it_searches_operators(demo: dict) -> None:
    client = client_for(demo["importer@other-bio.example"])
    response = client.get(reverse("directory:operator_search"), {"country": "FR", "q": "ACME"})
    body = response.content.decode()
    assert "ACME Bio Imports FR" in body and "Big Street 1" in body and "Other Bio Import" not in body
    response = client.get(reverse("directory:operator_search"), {"country": "FR", "q": "FR-BIO-01/"})
    assert "ACME Bio Foods FR" in response.content.decode()
    response = client.get(reverse("directory:operator_search"), {"country": "FR", "q": "Nothing like it"})
    assert reverse("directory:operator_create") in response.content.decode()


def test_it_gives_outsiders_404_on_an_operator(demo: dict) -> None:
    acme = Operator.objects.get(name="ACME Bio Imports FR")
    outsider = client_for(demo["importer@other-bio.example"])
    pending = Membership.objects.get(user__email="colleague@acme-bio.example")
    assert outsider.get(reverse("directory:operator", args=[acme.pk])).status_code == 404
    assert outsider.get(reverse("directory:operator_users", args=[acme.pk])).status_code == 404
    assert outsider.post(reverse("directory:decide", args=[pending.pk]), {"action": "validate"}).status_code == 404
    assert outsider.post(reverse("directory:set_admin", args=[pending.pk]), {"is_admin": "1"}).status_code == 404
    assert outsider.get(reverse("directory:rfl")).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "requested"


def test_it_shows_a_new_operator_with_its_request_in_the_inao_queue(demo: dict) -> None:
    body = client_for(demo["agent@inao.example"]).get(reverse("directory:queue")).content.decode()
    assert "Bio Nouveau SARL" in body and "FR43396818700016" in body


def test_it_creates_an_operator_only_after_an_empty_search(demo: dict) -> None:
    client = client_for(demo["importer@other-bio.example"])
    response = client.get(reverse("directory:operator_create"), {"country": "FR", "q": "ACME"})
    assert response.status_code == 302
    url = reverse("directory:operator_create") + "?country=FR&q=Vaysse"
    form = {
        "name": "VAYSSE Import",
        "country": "FR",
        "city": "Toulouse",
        "postcode": "31300",
        "address": "Rue Imaginaire",
        "identifiers-TOTAL_FORMS": "1",
        "identifiers-INITIAL_FORMS": "0",
        "identifiers-0-type": "eori",
        "identifiers-0-value": "FR80012345700015",
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-kind": "importer",
        "activities-0-control_body_code": str(
            Operator.objects.get(name="ACME Bio Imports FR").activities.first().control_body_code_id
        ),
        "message": "Operator n. 11111",
    }
    response = client.post(url, form)
    assert (
        "This operator may already exist" in response.content.decode()
        or "existe peut-être" in response.content.decode()
    )
    response = client.post(url, {**form, "confirm_duplicate": "1"})
    assert response.status_code == 302
    created = Operator.objects.get(name="VAYSSE Import")
    assert created.status == "requested"
    assert created.members.get().user == demo["importer@other-bio.example"]


def test_it_switches_the_organisation_acted_for(demo: dict) -> None:
    from directory.access import ACTING_SESSION_KEY
    from directory.models import Status
    from directory.tests.factories import member_of

    person = demo["importer@acme-bio.example"]
    foods = member_of(Operator.objects.get(name="ACME Bio Foods FR"), person)
    client = client_for(person)
    assert client.post(reverse("directory:act_for"), {"membership": foods.pk}).status_code == 302
    assert client.session[ACTING_SESSION_KEY] == foods.pk
    other = Membership.objects.filter(status=Status.VALID).exclude(user=person).first()
    assert client.post(reverse("directory:act_for"), {"membership": other.pk}).status_code == 404


def test_it_requests_control_body_entries_and_an_authority(demo: dict) -> None:
    from directory.models import ControlBodyCode

    person = demo["importer@acme-bio.example"]
    client = client_for(person)
    body = client.get(reverse("directory:control_body_search"), {"q": "Control Union"}).content.decode()
    assert "AE-BIO-149" in body and "AF-BIO-149" in body
    codes = ControlBodyCode.objects.filter(code__in=["AF-BIO-149", "AL-BIO-149"]).values_list("pk", flat=True)
    client.post(reverse("directory:control_body_request"), {"codes": list(codes), "message": "Inspector"})
    assert (
        person.memberships.filter(control_body_code__code__in=["AF-BIO-149", "AL-BIO-149"], status="requested").count()
        == 2
    )
    inao = Membership.objects.filter(authority__name="INAO").first().authority
    client.post(reverse("directory:authority_request"), {"authority": inao.pk})
    assert person.memberships.filter(authority=inao, status="requested").exists()


def test_it_lets_the_commission_grant_rfl_on_its_page(demo: dict) -> None:
    from directory.models import PointOfEntry, RflGrant

    client = client_for(demo["admin@commission.example"])
    response = client.post(
        reverse("directory:rfl"),
        {
            "email": "consignee@acme-foods.example",
            "operator": Operator.objects.get(name="ACME Bio Foods FR").pk,
            "points": [PointOfEntry.objects.get(code="FRLEH").pk],
        },
    )
    assert response.status_code == 302
    assert RflGrant.objects.filter(user=demo["consignee@acme-foods.example"]).exists()


def test_it_keeps_the_queue_queries_constant(demo: dict, django_assert_max_num_queries: object) -> None:
    from directory.models import Membership
    from directory.tests.factories import UserFactory

    client = client_for(demo["agent@inao.example"])
    client.get(reverse("directory:queue"))
    acme = Operator.objects.get(name="ACME Bio Imports FR")
    for _ in range(15):
        Membership.objects.create(user=UserFactory(), kind="operator", operator=acme)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("directory:queue"))
    assert response.content.decode().count('data-testid="pending-') >= 17


def test_it_pages_through_every_organisation_an_authority_decides_on(demo: dict) -> None:
    """An authority sees every operator of its country on Organisations, page after page (none left after 200)."""
    names = [f"Zz Bio {i:03d}" for i in range(230)]
    Operator.objects.bulk_create(
        Operator(name=n, name_key=collation_text(n), country="FR", city="Lyon", address="1 rue", status="valid")
        for n in names
    )
    client = client_for(demo["agent@inao.example"])
    pages = []
    for number in range(1, 20):  # every page that exists, until the first past the last (a 404)
        response = client.get(reverse("directory:organisations"), {"page": number})
        if response.status_code == 404:
            break
        pages.append(response.content.decode())
    seen = "".join(pages)
    assert len(pages) > 1 and f'href="?page={len(pages)}"' in pages[-2]  # the pager leads to the last page
    assert all(name in seen for name in names)


def test_it_says_how_many_control_body_entries_match_when_it_shows_only_the_first(
    demo: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory import views
    from directory.models import ControlBodyCode

    monkeypatch.setattr(views, "CONTROL_BODY_RESULTS", 3)  # the page's limit (200), small for the test
    matching = ControlBodyCode.objects.filter(active=True, control_body__name__icontains="Control Union").count()
    person = demo["importer@acme-bio.example"]
    person.language = "fr"
    person.save()
    body = client_for(person).get(reverse("directory:control_body_search"), {"q": "Control Union"}).content.decode()
    assert matching > 3
    assert f"Les 3 premières des {matching} entrées sont affichées" in body
    assert body.count('name="codes"') == 3


def test_it_says_only_why_a_name_too_long_is_refused_in_the_control_body_search(demo: dict) -> None:
    """A name of 101 characters is refused at its field; the page does not also ask for a country or a name,
    which was given."""
    person = demo["importer@acme-bio.example"]
    person.language = "fr"
    person.save()
    body = client_for(person).get(reverse("directory:control_body_search"), {"q": "a" * 101}).content.decode()
    assert "au plus 100 caractères (actuellement 101)" in body
    assert "Indiquez un pays ou un nom." not in body
    assert (
        "Indiquez un pays ou un nom."
        in client_for(person).get(reverse("directory:control_body_search"), {"q": ""}).content.decode()
    )


def test_it_reads_a_lower_case_country_in_the_control_body_search(demo: dict) -> None:
    client = client_for(demo["importer@acme-bio.example"])
    upper = client.get(reverse("directory:control_body_search"), {"country": "MA"}).content.decode()
    lower = client.get(reverse("directory:control_body_search"), {"country": "ma"})
    assert lower.status_code == 200
    assert "MA-BIO-154" in upper and "MA-BIO-154" in lower.content.decode()
    assert 'class="errorlist' not in lower.content.decode()
