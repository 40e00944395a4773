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
    # One page per step of the workflow, from its declaration (`certificates/workflow/steps.STEPS`).
    *step_views.step_urls(),
    path("<id:pk>/documents/", views.add_document, name="add_document"),
    path("<id:pk>/documents/<id:document_id>/", views.download, name="download"),
    path("<id:pk>/documents/<id:document_id>/remove/", views.remove_document, name="remove_document"),
    path("lookup/operators/", views.lookup_operators, name="lookup_operators"),
    path("lookup/control-bodies/", views.lookup_control_bodies, name="lookup_control_bodies"),
    path("lookup/choices/", views.lookup_choices, name="lookup_choices"),
    path("lookup/products/", views.lookup_products, name="lookup_products"),
]
