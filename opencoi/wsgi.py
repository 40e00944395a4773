"""
WSGI config for opencoi project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from core.checks import refuse_without_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencoi.settings")

application = get_wsgi_application()
refuse_without_secret_key()
