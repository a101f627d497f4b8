"""Everyone's choice of the mail they get: each kind offered to them is sent unless they turn
it off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.lib.errors import InvalidInput
from guichet.mail.actions.admin import set_preferences
from guichet.mail.forms import PreferencesForm, offered_kinds
from guichet.mail.models import MailPreference


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    offered = offered_kinds(request.user)
    opted_out = set(MailPreference.objects.filter(user=request.user).values_list("kind", flat=True))
    initial = {"kinds": [kind for kind in offered if kind not in opted_out]}
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial=initial, offered=offered)
        if form.is_valid():
            try:
                set_preferences(
                    user=request.user, offered=set(offered), wanted=set(form.cleaned_data["kinds"])
                )
            except InvalidInput as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your mail preferences were saved."))
                return redirect("mail:preferences")
        status = 400
    else:
        form = PreferencesForm(initial=initial, offered=offered)
    return render(
        request,
        "mail/preferences.html",
        {"form": form, "nav": "profile", "has_email": bool(request.user.email)},
        status=status,
    )
