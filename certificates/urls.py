from django.urls import path

from certificates import step_views, views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("new/", views.new_products, name="new"),
    path("new/form/", views.new_form, name="new_form"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/submit/", views.submit, name="submit"),
    path("<id:pk>/copy/", views.copy, name="copy"),
    path("<id:pk>/workflow/", step_views.panel, name="workflow"),
    # One page per step of the workflow (its name as in `certificates/workflow/offer.STEPS`).
    path("<id:pk>/workflow/checks/", step_views.record_checks, name="workflow_checks"),
    path("<id:pk>/workflow/sign-18/", step_views.sign_18, name="workflow_sign_18"),
    path("<id:pk>/workflow/decide/", step_views.decide, name="workflow_decide"),
    path("<id:pk>/workflow/sign-21/", step_views.sign_21, name="workflow_sign_21"),
    path("<id:pk>/workflow/replace/", step_views.replace, name="workflow_replace"),
    path("<id:pk>/workflow/flag/", step_views.flag, name="workflow_flag"),
    path("<id:pk>/workflow/delete/", step_views.delete, name="workflow_delete"),
    path("<id:pk>/workflow/extract/", step_views.extract, name="workflow_extract"),
    path("<id:pk>/workflow/submit-extract/", step_views.submit_extract, name="workflow_submit_extract"),
    path("<id:pk>/workflow/split/", step_views.split, name="workflow_split"),
    path("<id:pk>/workflow/deplete/", step_views.deplete, name="workflow_deplete"),
    path("<id:pk>/workflow/verify-23/", step_views.verify_23, name="workflow_verify_23"),
    path("<id:pk>/workflow/sign-25/", step_views.sign_25, name="workflow_sign_25"),
    path("<id:pk>/workflow/decide-30/", step_views.decide_30, name="workflow_decide_30"),
    path("<id:pk>/workflow/sign-31/", step_views.sign_31, name="workflow_sign_31"),
    path("<id:pk>/documents/", views.add_document, name="add_document"),
    path("<id:pk>/documents/<id:document_id>/", views.download, name="download"),
    path("<id:pk>/documents/<id:document_id>/remove/", views.remove_document, name="remove_document"),
    path("lookup/operators/", views.lookup_operators, name="lookup_operators"),
    path("lookup/control-bodies/", views.lookup_control_bodies, name="lookup_control_bodies"),
    path("lookup/products/", views.lookup_products, name="lookup_products"),
]
