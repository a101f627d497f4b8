from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def intake(request, **kwargs):
    return HttpResponse("intake")


urlpatterns = [path("intake/", intake, name="intake")]
