from django.urls import path

from analytics import views

urlpatterns = [
    path(
        "devices/<int:pk>/rules/<str:name>/",
        views.rule_page,
        name="analytics_rule",
    ),
]
