from django.urls import path

from certificates import views
from certificates.workflow import views as workflow_views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("new/", views.new_products, name="new"),
    path("new/form/", views.new_form, name="new_form"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/workflow/", workflow_views.panel, name="workflow"),
    path("<int:pk>/workflow/<slug:name>/", workflow_views.step, name="workflow_step"),
    path("<int:pk>/documents/", views.add_document, name="add_document"),
    path("<int:pk>/documents/<int:document_id>/", views.download, name="download"),
    path("<int:pk>/documents/<int:document_id>/remove/", views.remove_document, name="remove_document"),
    path("lookup/operators/", views.lookup_operators, name="lookup_operators"),
    path("lookup/control-bodies/", views.lookup_control_bodies, name="lookup_control_bodies"),
    path("lookup/products/", views.lookup_products, name="lookup_products"),
]
