from django.urls import path

from ptz import views

urlpatterns = [
    path("ptz/audit/", views.audit_log, name="ptz_audit"),
]
