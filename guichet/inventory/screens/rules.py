"""The rules: how an inventory finds the asset it is about (reconciliation rules, in order)
and which organisation an agent's tag sends it to (tag rules). Bad input shows the page again
with the form's errors (400)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.inventory import actions, queries
from guichet.inventory.forms import RulesForm, TagRuleForm
from guichet.inventory.screens.common import manager_required, screen_context
from guichet.lib.errors import InvalidInput


def _page(request, *, status: int = 200, rules_form=None, tag_form=None):
    rules = queries.reconciliation_rules()
    context = screen_context(
        request,
        "rules",
        rules_form=rules_form or RulesForm(rules=rules),
        tag_form=tag_form or TagRuleForm(user=request.user),
        tag_rules=queries.tag_rules(request.user),
    )
    return render(request, "inventory/rules.html", context, status=status)


@manager_required
@require_GET
def rule_page(request):
    return _page(request)


@manager_required
@require_POST
def save_rules(request):
    rules = queries.reconciliation_rules()
    data = request.POST
    if data.get("full") != "1":
        data = RulesForm(rules=rules).saved_data(request.POST.get("move", ""))
    form = RulesForm(data, rules=rules)
    if form.is_valid():
        try:
            actions.set_rules(actor=request.user, order=form.order(), active=form.active())
        except InvalidInput as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The reconciliation rules were saved."))
            return redirect("inventory:rules")
    return _page(request, status=400, rules_form=form)


@manager_required
@require_POST
def add_tag_rule(request):
    form = TagRuleForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_tag_rule(actor=request.user, pattern=data["pattern"],
                                 organisation=data["organisation"],
                                 location=data["location"])  # fmt: skip
        except InvalidInput as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The tag rule was added."))
            return redirect("inventory:rules")
    return _page(request, status=400, tag_form=form)


@manager_required
@require_POST
def delete_tag_rule(request, pk: int):
    rule = get_object_or_404(queries.visible_tag_rules(request.user), pk=pk)
    try:
        actions.delete_tag_rule(actor=request.user, rule=rule)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The tag rule “%(pattern)s” was deleted.") % {
            "pattern": rule.pattern})  # fmt: skip
    return redirect("inventory:rules")


@manager_required
@require_POST
def move_tag_rule(request, pk: int):
    rule = get_object_or_404(queries.visible_tag_rules(request.user), pk=pk)
    try:
        actions.move_tag_rule(actor=request.user, rule=rule,
                              direction=request.POST.get("direction", ""))  # fmt: skip
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('inventory:rules')}#tag-rule-{rule.pk}")


urlpatterns = [
    path("rules/", rule_page, name="rules"),
    path("rules/order/", save_rules, name="rules-save"),
    path("rules/tags/", add_tag_rule, name="tag-rule-add"),
    path("rules/tags/<int:pk>/delete/", delete_tag_rule, name="tag-rule-delete"),
    path("rules/tags/<int:pk>/move/", move_tag_rule, name="tag-rule-move"),
]
