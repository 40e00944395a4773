"""The tick-box options of the 2021/2306 model (Annex, Part I) and of the 2021/2307 extract, as choices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """Box 10: goods subject to border control post controls (Art. 45(5) of 2018/848), or exempted (Art. 3 of
    2021/2305) and presented at a point of release for free circulation."""

    BCP = "bcp", _("Border control post")
    RELEASE_POINT = "release_point", _("Point of release for free circulation")


class OrganicStatus(models.TextChoices):
    """Box 13, per line."""

    ORGANIC = "organic", _("Organic")
    IN_CONVERSION = "in_conversion", _("In-conversion")


class ProductCategory(models.TextChoices):
    """Box 13, per line: the categories of Art. 35(7) of 2018/848 (Annex II to 2021/1378)."""

    A = "a", _("(a) Unprocessed plants and plant products, including seeds and other plant reproductive material")
    B = "b", _("(b) Livestock and unprocessed livestock products")
    C = "c", _("(c) Algae and unprocessed aquaculture products")
    D = "d", _("(d) Processed agricultural products, including aquaculture products, for use as food")
    E = "e", _("(e) Feed")
    F = "f", _("(f) Wine")
    G = (
        "g",
        _("(g) Other products listed in Annex I to Regulation (EU) 2018/848 or not covered by the above categories"),
    )


class Satisfactory(models.TextChoices):
    """Boxes 25 and 29."""

    SATISFACTORY = "satisfactory", _("Satisfactory")
    NOT_SATISFACTORY = "not_satisfactory", _("Not satisfactory")


class Box29Result(models.TextChoices):
    """Box 29: the identity check, the physical check and the laboratory test result. Reading: the form offers
    Satisfactory / Not satisfactory; a check that was not done is recorded as "Not done" (issue 22), never left
    blank where it would read as fine: box 25 records it so for every check not made by then, and a check made
    afterwards replaces it with its result."""

    SATISFACTORY = "satisfactory", _("Satisfactory")
    NOT_SATISFACTORY = "not_satisfactory", _("Not satisfactory")
    NOT_DONE = "not_done", _("Not done")

    @classmethod
    def results(cls) -> tuple[str, str]:
        """The values that are a check's result (the check was done)."""
        return (cls.SATISFACTORY, cls.NOT_SATISFACTORY)


class Regulation(models.TextChoices):
    """Box 18: the regulation under which the checks were made, read from box 2 (Art. 46: 2021/1698;
    Arts 47, 48 and 57: 2021/1342)."""

    R2021_1698 = "2021/1698", _("Delegated Regulation (EU) 2021/1698")
    R2021_1342 = "2021/1342", _("Delegated Regulation (EU) 2021/1342")
