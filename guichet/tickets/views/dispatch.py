from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def dispatch(request, **kwargs):
    return HttpResponse("dispatch")


urlpatterns = [path("dispatch/", dispatch, name="dispatch")]
