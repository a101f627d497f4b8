from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts import actions
from guichet.accounts.choices import Language


@login_required
def profile(request):
    if request.method == "POST" and request.POST.get("language") in Language.values:
        request.user.language = request.POST["language"]
        request.user.save(update_fields=["language"])
        messages.success(request, _("Your language was saved."))
        return redirect("accounts:profile")
    tokens = request.user.api_tokens.all()
    new_key = request.session.pop("new_token_key", None)
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "new_key": new_key,
            "languages": Language.choices,
            "nav": "profile",
        },
    )


@login_required
@require_POST
def create_token_view(request):
    _token, key = actions.create_token(user=request.user, name=request.POST.get("name", ""))
    request.session["new_token_key"] = key
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token_view(request, token_id: int):
    if actions.revoke_token(user=request.user, token_id=token_id):
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
