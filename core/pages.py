"""Pages of a list, for every paginated page and API list: a page that does not exist is a 404 with the
reason, never the last page in disguise and never a database overflow (a 500)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _

from core.errors import NotFound


def page_or_404(items: Any, per_page: int, number: Any) -> Page:
    """Page `number` (1 when absent) of `items`. Raises NotFound (404) for a number that is not a whole
    number (`1e20`, `x`) or outside 1..the last page (`0`, `9223372036854775807`)."""
    paginator = Paginator(items, per_page)
    if number in (None, ""):
        number = 1
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage):
        raise NotFound(_("This list has no page %(page)s.") % {"page": str(number)[:20]}) from None
