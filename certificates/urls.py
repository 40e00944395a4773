from django.urls import path

from certificates import views
from certificates.workflow import views as workflow_views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("new/", views.new_products, name="new"),
    path("new/form/", views.new_form, name="new_form"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/submit/", views.submit, name="submit"),
    path("<id:pk>/copy/", views.copy, name="copy"),
    path("<id:pk>/workflow/", workflow_views.panel, name="workflow"),
    # One page per step of the workflow (its name as in `certificates/workflow/offer.STEPS`).
    path("<id:pk>/workflow/checks/", workflow_views.record_checks, name="workflow_checks"),
    path("<id:pk>/workflow/sign-18/", workflow_views.sign_18, name="workflow_sign_18"),
    path("<id:pk>/workflow/decide/", workflow_views.decide, name="workflow_decide"),
    path("<id:pk>/workflow/sign-21/", workflow_views.sign_21, name="workflow_sign_21"),
    path("<id:pk>/workflow/replace/", workflow_views.replace, name="workflow_replace"),
    path("<id:pk>/workflow/flag/", workflow_views.flag, name="workflow_flag"),
    path("<id:pk>/workflow/delete/", workflow_views.delete, name="workflow_delete"),
    path("<id:pk>/workflow/extract/", workflow_views.extract, name="workflow_extract"),
    path("<id:pk>/workflow/submit-extract/", workflow_views.submit_extract, name="workflow_submit_extract"),
    path("<id:pk>/workflow/split/", workflow_views.split, name="workflow_split"),
    path("<id:pk>/workflow/deplete/", workflow_views.deplete, name="workflow_deplete"),
    path("<id:pk>/workflow/verify-23/", workflow_views.verify_23, name="workflow_verify_23"),
    path("<id:pk>/workflow/sign-25/", workflow_views.sign_25, name="workflow_sign_25"),
    path("<id:pk>/workflow/decide-30/", workflow_views.decide_30, name="workflow_decide_30"),
    path("<id:pk>/workflow/sign-31/", workflow_views.sign_31, name="workflow_sign_31"),
    path("<id:pk>/documents/", views.add_document, name="add_document"),
    path("<id:pk>/documents/<id:document_id>/", views.download, name="download"),
    path("<id:pk>/documents/<id:document_id>/remove/", views.remove_document, name="remove_document"),
    path("lookup/operators/", views.lookup_operators, name="lookup_operators"),
    path("lookup/control-bodies/", views.lookup_control_bodies, name="lookup_control_bodies"),
    path("lookup/products/", views.lookup_products, name="lookup_products"),
]
