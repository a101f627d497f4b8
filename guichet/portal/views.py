from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    return HttpResponse("portal")


@login_required
def new(request):
    return HttpResponse("new")


@login_required
def detail(request, pk):
    return HttpResponse("detail")
