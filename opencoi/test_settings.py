"""The test run's few differences from production settings (set before they are read)."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "0")
os.environ["TESTING"] = "1"
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from opencoi.settings import *  # noqa: E402,F403

# Hashing passwords for real costs a quarter of a second each; tests create many people.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# One process-wide cache that conftest.py empties before each test: rate limits and used TOTP codes must not
# leak from one test to the next (the database cache table is not emptied between tests).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "opencoi-tests"}}
# Tests run without collectstatic: whitenoise finds the files in the apps, as with DEBUG.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# django-axes logs every login at INFO: the test output would drown in it.
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # type: ignore[index]  # noqa: F405  # LOGGING: settings' dict, through import *

# Tests render PDFs where they check them; rendering ahead after every step would only slow them down.
PDF_PRERENDER = False

# Stored files (accompanying documents, kept PDFs) go to a folder of this run's own, emptied at its end: under
# var/media a PDF kept by an earlier run, under the same name (the same COI id and fixed moments in a fresh test
# database), was served instead of the one this run renders, so a PDF assertion could pass on a stale file.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="opencoi-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
