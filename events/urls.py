from django.urls import path

from events import views

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/acknowledge/", views.acknowledge_many, name="events_acknowledge"),
    path("events/<int:pk>/acknowledge/", views.acknowledge, name="event_acknowledge"),
    path("events/snapshots/<int:pk>.jpg", views.snapshot, name="event_snapshot"),
]
