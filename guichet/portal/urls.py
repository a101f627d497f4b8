from django.urls import path

from guichet.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("tickets/<int:pk>/", views.detail, name="detail"),
    path("tickets/<int:pk>/reply/", views.reply, name="reply"),
    path("tickets/<int:pk>/accept/", views.accept, name="accept"),
    path("tickets/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("tickets/<int:pk>/rate/", views.rate, name="rate"),
    path("tickets/<int:pk>/files/<int:file_pk>/", views.download, name="download"),
]
