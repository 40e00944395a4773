"""The file store failing (Django's default storage: the app server's disk, or an S3-compatible object store
when `S3_BUCKET` is set; issue 26): what counts as "the store did not answer", and what a caller says then.

Writes to the store follow one order everywhere, so that no row ever names a file the store does not hold:
- a file that a row will name is written first, and the row after it, in one transaction (an upload refused
  because the store is down records nothing; a row that fails after its file leaves at worst a file no row
  names);
- a file that a row named is deleted only once the row's deletion is committed, by a task queued in the same
  transaction (`core.tasks.delete_stored_file`), retried while the store is down;
- files that no row names (the stored PDFs of `certificates/outputs/pdf_store.py`) are rebuilt when missing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

try:
    from botocore.exceptions import BotoCoreError, ClientError

    REMOTE_STORE_ERRORS: tuple[type[BaseException], ...] = (BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - botocore comes with django-storages[s3], in requirements.lock
    REMOTE_STORE_ERRORS = ()
# What the disk (OSError) or the object store's client raises when it cannot read or write.
STORE_ERRORS: tuple[type[BaseException], ...] = (OSError, *REMOTE_STORE_ERRORS)

RETRY_AFTER_SECONDS = 60
MESSAGE = _("The document store cannot be reached right now: nothing was saved. Try again in a few minutes.")


class StoreUnavailable(Exception):
    """The store refused or did not answer a read or a write (connection refused or cut, timeout, a 5xx):
    nothing that depended on it was recorded. Pages and the API answer 503 with `Retry-After`."""

    def __init__(self, cause: BaseException | None = None) -> None:
        super().__init__(str(MESSAGE))
        self.cause: Any = cause
