from django.http import HttpResponse
from django.urls import path

app_name = "scripts"


def _stub(request, **kwargs):  # replaced by the scripts views
    return HttpResponse("")


urlpatterns = [
    path("", _stub, name="list"),
    path("ticket/<int:pk>/panel", _stub, name="ticket-panel"),
    path("intake/panel", _stub, name="intake-panel"),
    path("portal/panel", _stub, name="portal-panel"),
]
