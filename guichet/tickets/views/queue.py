from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def queue(request, **kwargs):
    return HttpResponse("queue")


urlpatterns = [path("", queue, name="queue")]
