from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def detail(request, **kwargs):
    return HttpResponse("detail")


urlpatterns = [path("<int:pk>/", detail, name="detail")]
