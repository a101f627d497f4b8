from django.urls import path

from guichet.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("tickets/<int:pk>/", views.detail, name="detail"),
]
