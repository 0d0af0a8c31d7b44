from __future__ import annotations

from django.urls import path

from govsite.platform.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("new/<int:campaign_pk>/<int:entry_pk>/", views.task_create, name="create"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/feedback/", views.task_feedback, name="feedback"),
    path("<int:pk>/recheck/", views.task_recheck, name="order_recheck"),
    path("<int:pk>/closure/", views.task_closure, name="closure"),
    path("<int:pk>/feedback/<int:feedback_pk>/attachment", views.feedback_attachment, name="attachment"),
    path("rechecks/<int:pk>/", views.recheck_detail, name="recheck"),
    path("rechecks/<int:pk>/archive/<int:index>/", views.recheck_archived, name="recheck_archived"),
    path("self-inspection/", views.round_list, name="rounds"),
    path("self-inspection/<int:pk>/", views.round_detail, name="round"),
    path("self-inspection/<int:pk>/submit/", views.round_submit, name="submit"),
    path("self-inspection/<int:pk>/reverify/", views.round_reverify, name="reverify"),
    path("self-inspection/<int:pk>/template/<str:key>.xlsx", views.round_template, name="template"),
    path("self-inspection/<int:pk>/report/<str:key>", views.round_report, name="report"),
]
