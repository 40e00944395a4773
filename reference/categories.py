"""Product categories of a control body's recognition (Regulation (EU) 2018/848, art. 35(7) / 46)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    A = "A", _("A: unprocessed plant products")
    B = "B", _("B: live animals or unprocessed animal products")
    C = "C", _("C: aquaculture products and seaweeds")
    D = "D", _("D: processed agricultural products for use as food")
    E = "E", _("E: processed agricultural products for use as feed")
    F = "F", _("F: vegetative propagating material and seeds for cultivation")


ALL_CATEGORIES = "".join(ProductCategory.values)
