"""The benchmark's people: an importer with years of COIs, an exporter with drafts, a control body that signs.

`setup()` prints one JSON line: their sessions and tokens, and the ids the load picks from.
"""

from __future__ import annotations

import json

from allauth.mfa.models import Authenticator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.http import QueryDict

from accounts.models import ApiToken, User
from accounts.two_factor import activate_totp, new_secret
from certificates import filters, page_cache
from certificates.access import Person
from certificates.models import Certificate, Commodity, CommodityLine, Container
from certificates.outputs.pdf_store import stored_pdf
from customs.models import CustomsClient, CustomsOffice
from directory.models import (
    Authority,
    IdentifierType,
    Membership,
    MembershipKind,
    Operator,
    OperatorIdentifier,
    Status,
)


def _person(email: str, **membership: object) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"first_name": "Bench", "last_name": email[:10], "language": "en"}
    )
    Membership.objects.get_or_create(user=user, **membership, defaults={"status": Status.VALID, "is_admin": True})
    return user


def _session(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def _busiest(field: str, **filters: object) -> int:
    row = Certificate.objects.filter(**filters).values(field).annotate(n=Count("id")).order_by("-n", field).first()
    return int(row[field])


def _signers(cb_code: int, cois: list[int], count: int = 100) -> list[list[object]]:
    """Signing jobs [token, TOTP secret, COI id]: several people of the body, so that each person's one-time
    code is used once per period, as when real people sign."""
    jobs: list[list[object]] = []
    people = []
    for i in range(count):
        user = _person(f"bench-cb{i}@bench.example", kind=MembershipKind.CONTROL_BODY, control_body_code_id=cb_code)
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        secret = new_secret()
        activate_totp(user, secret)
        people.append((ApiToken.issue(user, "bench")[1], secret))
    for i, coi in enumerate(cois):
        token, secret = people[i % count]
        jobs.append([token, secret, coi])
    return jobs


def _stored_pdfs(visible: object, count: int = 40) -> list[int]:
    """COIs whose PDF the task worker has rendered, as after each real workflow step (the generator writes
    COIs without going through the steps, so it is done here)."""
    ids = list(visible.order_by("id").values_list("id", flat=True)[:count])  # type: ignore[attr-defined]  # a QuerySet passed as object
    for coi in Certificate.objects.filter(pk__in=ids):
        stored_pdf(coi, "en")
    return ids


def _rendered_pages(ids: list[int]) -> None:
    """The COI pages' shared parts and list rows in the cache, as the task worker leaves them after each real
    workflow step (`pdf_store.prerender`; the generator writes COIs without going through the steps, so it is
    done here)."""
    for coi_id in ids:
        page_cache.warm(coi_id)


# The list's filters the load uses (status, with the country MA): one page number per filter is picked among
# the pages that exist (a page past the last is a 404, as it should be).
LIST_STATUSES = ["first_consignee_signed", "consignment_verified", "basis_for_extract", ""]


def _list_pages(user: User) -> dict[str, int]:
    person = Person.of(user)
    pages = {}
    for status in LIST_STATUSES:
        found = filters.certificate_filter(person, QueryDict(f"status={status}&country=MA")).qs.count()
        pages[status] = max(1, min(5, -(-found // filters.PER_PAGE)))
    return pages


def _drafts_to_submit(exporter_op: int, count: int) -> list[int]:
    """Complete drafts of the bench exporter for the desk's submissions (one consumed per submission): copies of a
    generated draft, each with its products' lines and containers (the generated drafts pass the submission
    rules)."""
    model = (
        Certificate.objects.filter(status="draft", creator_operator_id=exporter_op, national_reference="bench")
        .order_by("id")
        .first()
    )
    if model is None:
        return []
    commodities = list(model.commodities.prefetch_related("lines"))
    containers = list(model.containers.all())
    clones = []
    for _ in range(count):
        clone = Certificate.objects.get(pk=model.pk)
        clone.pk = None
        clone.national_reference = "bench desk"
        clones.append(clone)
    Certificate.objects.bulk_create(clones)
    copies = Commodity.objects.bulk_create(
        Commodity(certificate=c, cn_code_id=m.cn_code_id, position=m.position) for c in clones for m in commodities
    )
    lines = []
    for copy, source in zip(copies, [m for _ in clones for m in commodities], strict=True):
        for line in source.lines.all():
            line.pk, line.commodity = None, copy
            lines.append(
                CommodityLine(**{f.attname: getattr(line, f.attname) for f in CommodityLine._meta.concrete_fields})
            )
    CommodityLine.objects.bulk_create(lines)
    Container.objects.bulk_create(
        Container(certificate=c, position=k.position, number=k.number, seals=k.seals)
        for c in clones
        for k in containers
    )
    return [c.pk for c in clones]


def _customs(count: int = 500) -> dict[str, object]:
    """A customs office (FR000690) with a machine client, an EORI for every importer, and the documents the
    exchange may release (the guides' form: box 20 "Consignment verified"), each with its first line's CN code and
    weight; one of them, kept apart, for the parallel burst of write-offs."""
    authority, _ = Authority.objects.get_or_create(
        name="Bench customs office", defaults={"country": "FR", "city": "Le Havre", "kind": Authority.Kind.CUSTOMS}
    )
    office, _ = CustomsOffice.objects.get_or_create(authority=authority, defaults={"code": "FR000690"})
    importers = Certificate.objects.filter(national_reference="bench").values_list("importer_id", flat=True).distinct()
    have = set(OperatorIdentifier.objects.filter(type=IdentifierType.EORI).values_list("operator_id", flat=True))
    OperatorIdentifier.objects.bulk_create(
        OperatorIdentifier(operator=o, type=IdentifierType.EORI, value=f"{o.country}{o.pk:012d}")
        for o in Operator.objects.filter(pk__in=importers).exclude(pk__in=have)
    )
    eori = dict(OperatorIdentifier.objects.filter(type=IdentifierType.EORI).values_list("operator_id", "value"))
    cois = list(
        Certificate.objects.filter(status="consignment_verified", form="1235/2008", national_reference="bench")
        .order_by("?")[: count + 1]
        .values_list("id", "number", "importer_id")
    )
    # Per COI, its first product's CN code and every line of that code (a write-off takes from them in turn).
    lines: dict[int, list[CommodityLine]] = {}
    for line in (
        CommodityLine.objects.filter(commodity__certificate_id__in=[c[0] for c in cois])
        .select_related("commodity__cn_code")
        .order_by("commodity__position", "commodity_id", "position", "id")
    ):
        mine = lines.setdefault(line.commodity.certificate_id, [])
        if not mine or mine[0].commodity.cn_code_id == line.commodity.cn_code_id:
            mine.append(line)
    docs = [
        [number, eori[importer], lines[pk][0].commodity.cn_code.code,
         str(sum(line.net_weight or 0 for line in lines[pk])), [line.pk for line in lines[pk]]]
        for pk, number, importer in cois
        if pk in lines and importer in eori
    ]  # fmt: skip
    return {"customs_token": CustomsClient.issue(office, "bench")[1], "customs_docs": docs[1:], "burst": docs[0]}


def setup() -> None:
    importer_op = _busiest("importer", national_reference="bench")
    exporter_op = _busiest("creator_operator", status="draft", national_reference="bench")
    cb_code = _busiest("control_body_code", status="description_completed", national_reference="bench")
    importer = _person("bench-importer@bench.example", kind=MembershipKind.OPERATOR, operator_id=importer_op)
    exporter = _person("bench-exporter@bench.example", kind=MembershipKind.OPERATOR, operator_id=exporter_op)
    visible = Certificate.objects.filter(importer_id=importer_op).exclude(status="draft")
    visible_ids = list(visible.order_by("?").values_list("id", flat=True)[:2000])
    config = {
        "importer_session": _session(importer),
        "importer_token": ApiToken.issue(importer, "bench")[1],
        "list_pages": _list_pages(importer),
        "exporter_token": ApiToken.issue(exporter, "bench")[1],
        "visible_ids": visible_ids,
        "numbers": list(visible.order_by("?").values_list("number", flat=True)[:500]),
        "draft_ids": list(
            Certificate.objects.filter(status="draft", creator_operator_id=exporter_op).values_list("id", flat=True)[
                :500
            ]
        ),
        "sign_jobs": _signers(
            cb_code,
            list(
                Certificate.objects.filter(status="description_completed", control_body_code_id=cb_code)
                .order_by("id")
                .values_list("id", flat=True)[:5000]
            ),
        ),
        "pdf_path": "/certificates/{id}/pdf",
        "pdf_ids": _stored_pdfs(visible),
        # The desk (issue 23, point 8): the exporter's pages, a product to start a COI with, drafts to submit.
        "exporter_session": _session(exporter),
        "new_cn": Certificate.objects.filter(creator_operator_id=exporter_op)
        .values_list("commodities__cn_code__code", flat=True)
        .first(),
        "submit_ids": _drafts_to_submit(exporter_op, 400),
        **_customs(),
    }
    # The desk's saves and the API's draft edits on different drafts (both may run in one load).
    drafts: list[int] = config["draft_ids"]  # type: ignore[assignment]  # the list built above
    config["draft_ids"], config["desk_draft_ids"] = drafts[::2] or drafts, drafts[1::2] or drafts
    # Every COI the load reads, as after its last real step: the pages read and the ones searched by number.
    _rendered_pages(visible_ids + list(visible.filter(number__in=config["numbers"]).values_list("id", flat=True)))
    print(json.dumps(config))
