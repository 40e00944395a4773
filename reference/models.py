"""Reference data: the combined nomenclature (CN), and the lists the COI form offers.

Fixed short lists (document types, packaging, units, procedures) live in `reference/lists.py` and
`reference/procedures.py` as code; the nomenclature, which changes every year, is data loaded by
`manage.py load_cn`.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class CnCode(models.Model):
    """A code of the nomenclature: HS chapter (2 digits), heading (4), subheading (6) or CN subdivision (8)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    level = models.PositiveSmallIntegerField(_("digits"))
    description_en = models.CharField(_("description (English)"), max_length=500)
    description_fr = models.CharField(_("description (French)"), max_length=500, blank=True)
    # Control-body recognition categories (A-F) a product of this code falls in; empty: inherit the parent's.
    categories = models.CharField(_("product categories"), max_length=6, blank=True)
    selectable = models.BooleanField(_("may be chosen on a COI"), default=True)
    # False once a yearly nomenclature no longer has the code: kept because certificates reference it.
    in_force = models.BooleanField(_("in the current nomenclature"), default=True)
    # The code as a reader needs it: heading, six-digit subheading, leaf ("Coconuts, ... cashew nuts, ...: Shelled").
    path_en = models.TextField(_("full description (English)"), blank=True)
    path_fr = models.TextField(_("full description (French)"), blank=True)
    # The path folded for search (lower case, no accents, words separated by one space, a space first and last):
    # " noix de coco noix du bresil ... sans coques ". A word-start search is `search_fr LIKE '% cajou%'`,
    # the same on SQLite and PostgreSQL; the few thousand codes of the extract scan in milliseconds.
    search_en = models.TextField(editable=False, blank=True)
    search_fr = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("CN code")
        verbose_name_plural = _("CN codes")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.formatted} {self.path}"

    @property
    def description(self) -> str:
        """The code's own text in the reader's language (a leaf: "sans coques"); English where no French."""
        if _french() and self.description_fr:
            return self.description_fr
        return self.description_en

    @property
    def path(self) -> str:
        """Heading, subheading and leaf in the reader's language: what pages show wherever a product is shown or
        picked ("Noix de coco, noix du Brésil et noix de cajou, … : sans coques"); the code's own text if no path
        was loaded yet."""
        return (self.path_fr if _french() else self.path_en) or self.description

    @property
    def formatted(self) -> str:
        """08013200 -> 0801 32 00, the way the nomenclature prints codes."""
        c = self.code
        return " ".join(p for p in [c[:4], c[4:6], c[6:8]] if p)


def _french() -> bool:
    return (translation.get_language() or "en").startswith("fr")
