from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from api.api import api
from certificates.help import form_2021_2306_help, statuses_help
from core import views as core_views
from customs.api import api as customs_api

admin.site.site_header = "OpenCOI"
# The admin logs people in through the same pages as the site (lockout, two-factor), never its own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # allauth's decorator wraps the admin's login view

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The customs exchange (Reg. (EU) 2024/2145): its own API, tokens and OpenAPI document (customs/README.md).
    path("api/customs/v1/", customs_api.urls),
    path("customs/", include("customs.urls")),
    # Our own sign-up replaces allauth's; the rest of the account pages are allauth's.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("directory.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include("certificates.outputs.urls")),
    # The help page with the table of who may do what is the certificates app's; the other help pages are core's.
    path("help/statuses/", statuses_help, name="help_statuses"),
    path("help/form-2021-2306/", form_2021_2306_help, name="help_form_2021_2306"),
    path("", include("core.urls")),
]
# Uploaded documents and stored PDFs are never served from MEDIA_URL, not even with DEBUG on: only the
# permission-checked views (certificates:download, outputs:pdf) read them, for the COI's parties.

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
