from django.urls import path

from directory import views, views_decide

app_name = "directory"

urlpatterns = [
    path("", views.start, name="start"),
    path("roles/", views.roles, name="roles"),
    path("roles/act-for/", views.act_for, name="act_for"),
    path("operators/search/", views.operator_search, name="operator_search"),
    path("operators/new/", views.operator_create, name="operator_create"),
    path("operators/<id:pk>/request/", views.operator_request, name="operator_request"),
    path("control-bodies/", views.control_body_search, name="control_body_search"),
    path("control-bodies/request/", views.control_body_request, name="control_body_request"),
    path("authorities/request/", views.authority_request, name="authority_request"),
    path("requests/", views_decide.queue, name="queue"),
    path("requests/<id:pk>/decide/", views_decide.decide_membership, name="decide"),
    path("requests/<id:pk>/admin/", views_decide.set_admin, name="set_admin"),
    path("activities/<id:pk>/decide/", views_decide.decide_activity, name="decide_activity"),
    path("organisations/", views_decide.organisations, name="organisations"),
    path("operators/<id:pk>/", views_decide.operator_detail, name="operator"),
    path("operators/<id:pk>/decide/", views_decide.decide_operator, name="decide_operator"),
    path("operators/<id:pk>/users/", views_decide.operator_users, name="operator_users"),
    path("operators/<id:pk>/activities/", views_decide.add_activity, name="add_activity"),
    path("operators/<id:pk>/identifiers/", views_decide.add_identifier, name="add_identifier"),
    path("rfl/", views_decide.rfl, name="rfl"),
    path("rfl/<id:pk>/revoke/", views_decide.rfl_revoke, name="rfl_revoke"),
    path("rfl/request/", views_decide.rfl_request, name="rfl_request"),
    path("rfl/requests/<id:pk>/decide/", views_decide.rfl_decide, name="rfl_decide"),
]
