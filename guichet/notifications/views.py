from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from guichet.notifications import actions


@login_required
def notification_list(request):
    notifications = request.user.notifications.select_related("ticket")[:100]
    return render(
        request, "notifications/list.html", {"notifications": notifications, "nav": "notifications"}
    )


@login_required
@require_POST
def mark_all_read(request):
    actions.mark_read(user=request.user)
    return redirect("notifications:list")
