"""What every portal view shares: requesters only, staff are sent to their own screens."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from guichet.accounts.access import is_staff_member


def requester_page(staff_target: str):
    """Sign-in required; support staff are redirected to `staff_target` (a URL name that
    takes the same `pk` argument as the portal page, if any)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if is_staff_member(request.user):
                pk = kwargs.get("pk")
                return redirect(staff_target, pk=pk) if pk is not None else redirect(staff_target)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
