from django.urls import path

from guichet.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("suggestions", views.suggestions, name="suggestions"),
    path("ticket/<int:pk>/suggestions", views.ticket_suggestions, name="ticket-suggestions"),
    path("solved", views.deflect, name="deflect"),
]
