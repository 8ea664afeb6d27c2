"""Postmortem pages."""

from django.urls import path

from nofault.web.meetings import views as meeting_views
from nofault.web.postmortems import chat_views, views

app_name = "postmortems"
urlpatterns = [
    path("", views.postmortem_list, name="list"),
    path("import/", views.postmortem_import, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("lint/", views.lint_preview, name="lint"),
    path("rules/<str:code>/", views.rule_doc, name="rule_doc"),
    path("new/<str:key>/", views.postmortem_create, name="create"),
    path("<int:pk>/", views.postmortem_detail, name="detail"),
    path("<int:pk>/edit/", views.postmortem_edit, name="edit"),
    path("<int:pk>/rows/", views.postmortem_rows, name="rows"),
    path("<int:pk>/chat/", chat_views.chat_import, name="chat"),
    path("<int:pk>/meeting/", meeting_views.meeting_page, name="meeting"),
    path("<int:pk>/submit/", views.postmortem_submit, name="submit"),
    path("<int:pk>/comment/", views.postmortem_comment, name="comment"),
    path("<int:pk>/approve/", views.postmortem_approve, name="approve"),
    path("<int:pk>/request-changes/", views.postmortem_request_changes, name="request_changes"),
    path("<int:pk>/publish/", views.postmortem_publish, name="publish"),
    path("<int:pk>/reopen/", views.postmortem_reopen, name="reopen"),
    path("<int:pk>/revisions/", views.revision_list, name="revisions"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("<int:pk>/revisions/<int:number>/restore/", views.revision_restore, name="restore"),
    path("<int:pk>/export.<str:fmt>", views.postmortem_export, name="export"),
]
