from django.urls import path

from guichet.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("<int:pk>/", views.detail, name="detail"),
]
