"""How a COI is read: one query set for everything its page, PDF, XML and rules read."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from certificates.models import Certificate, Commodity, CommodityLine
from directory.models import OperatorActivity


def detail_queryset() -> QuerySet[Certificate]:
    """A COI with everything its page, PDF and rules read, in a fixed number of queries (8 whatever its size)."""
    activities = OperatorActivity.objects.select_related("control_body_code")
    return Certificate.objects.select_related(
        "control_body_code__control_body",
        "exporter",
        "importer",
        "first_consignee",
        "rfl",
        "validating_authority",
        "point_of_entry__authority",
        "creator",
        "creator_operator",
        "creator_control_body_code",
    ).prefetch_related(
        Prefetch("commodities", Commodity.objects.select_related("cn_code__parent__parent__parent")),
        Prefetch(
            "commodities__lines",
            CommodityLine.objects.select_related("producer", "producer_control_body_code__control_body"),
        ),
        "containers",
        "documents",
        Prefetch("exporter__activities", activities),
        Prefetch("importer__activities", activities),
        Prefetch("first_consignee__activities", activities),
    )
