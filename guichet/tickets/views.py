from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def queue(request):
    return HttpResponse("queue")


@login_required
def intake(request):
    return HttpResponse("intake")


@login_required
def dispatch(request):
    return HttpResponse("dispatch")


@login_required
def detail(request, pk):
    return HttpResponse("detail")
