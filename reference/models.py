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

    class Meta:
        verbose_name = _("CN code")
        verbose_name_plural = _("CN codes")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.formatted} {self.description}"

    @property
    def description(self) -> str:
        if (translation.get_language() or "en").startswith("fr") and self.description_fr:
            return self.description_fr
        return self.description_en

    @property
    def formatted(self) -> str:
        """08013200 -> 0801 32 00, the way the nomenclature prints codes."""
        c = self.code
        return " ".join(p for p in [c[:4], c[4:6], c[6:8]] if p)


class CnWord(models.Model):
    """The search index of the nomenclature: one row per word (lower case, no accents) of a description.

    `search_cn` looks words up by prefix here, on an index, instead of scanning descriptions with LIKE '%...%'.
    Rebuilt by the loader for the codes it creates or changes.
    """

    cn = models.ForeignKey(CnCode, on_delete=models.CASCADE, related_name="words")
    language = models.CharField(max_length=2)
    # db_index: on PostgreSQL Django adds the varchar_pattern_ops index that LIKE 'word%' uses.
    word = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return f"{self.language}:{self.word}"
