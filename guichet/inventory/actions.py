"""The inventory verbs: taking in one agent's inventory, the agents' contacts, the
organisations' keys, and the conflicts a human resolves."""

import fnmatch
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import may_manage_inventory, visible_assets, visible_organisations
from guichet.assets.actions.assets import create_asset
from guichet.assets.choices import AssetKind, AssetState, Source
from guichet.assets.models import Asset
from guichet.inventory import document
from guichet.inventory.choices import ConflictResolution, ConflictStatus
from guichet.inventory.models import Agent, Conflict, InventoryKey, ReconciliationRule, TagRule
from guichet.inventory.normal import Inventory
from guichet.inventory.reconcile import reconcile
from guichet.inventory.update import Changes, apply, hardware_values
from guichet.lib.errors import ActionError, Forbidden, InvalidInput


class Refused(ActionError):
    """The inventory cannot be taken: the agent is told why (its log shows it)."""


@dataclass
class Result:
    asset: Asset | None
    created: bool = False
    conflict: Conflict | None = None
    changes: Changes | None = None


def route(tag: str, organisation):
    """(organisation, location) from the tag rules: the first rule whose pattern matches
    and, when the agent's URL names an organisation, that is of the same organisation."""
    if not tag:
        return organisation, None
    for rule in TagRule.objects.select_related("organisation", "location"):
        if organisation is not None and rule.organisation_id != organisation.pk:
            continue
        if fnmatch.fnmatchcase(tag.casefold(), rule.pattern.casefold()):
            return rule.organisation, rule.location
    return organisation, None


def _agent(device_id: str, protocol: str, at: datetime) -> Agent:
    """The agent's row, created on first contact, locked for the rest of the transaction:
    two inventories of one machine never interleave (and never create it twice)."""
    device_id = device_id[:200]
    # Its organisation and machine come along (two round trips fewer); only its row is locked.
    rows = Agent.objects.select_for_update(of=("self",)).select_related("organisation", "asset")
    agent = rows.filter(device_id=device_id).first()
    if agent is not None:
        return agent
    try:
        with transaction.atomic():
            Agent.objects.create(device_id=device_id, protocol=protocol, first_contact_at=at,
                                 last_contact_at=at)  # fmt: skip
    except IntegrityError:
        pass  # another request created it first: read theirs
    return rows.get(device_id=device_id)


@transaction.atomic
def contact(*, device_id: str, protocol: str, version: str = "", organisation=None,
            remote_address: str | None = None, at: datetime | None = None) -> Agent:  # fmt: skip
    """An agent said hello (PROLOG, or GLPI Agent's contact)."""
    at = at or timezone.now()
    agent = _agent(device_id, protocol, at)
    agent.protocol, agent.last_contact_at = protocol, at
    agent.version = (version or agent.version)[:100]
    agent.remote_address = remote_address or agent.remote_address
    if organisation is not None:
        agent.organisation = organisation
    agent.save(update_fields=["protocol", "last_contact_at", "version", "remote_address",
                              "organisation"])  # fmt: skip
    return agent


def _keep_conflict(agent, organisation, inventory: Inventory, outcome, at) -> Conflict:
    """One open conflict per agent, holding its latest inventory."""
    conflict = Conflict.objects.filter(agent=agent, status=ConflictStatus.OPEN).first()
    data = document.dump(inventory)
    if conflict is None:
        conflict = Conflict.objects.create(agent=agent, organisation=organisation,
                                           reason=outcome.conflict,
                                           criterion=outcome.criterion, document=data,
                                           created_at=at)  # fmt: skip
    else:
        conflict.reason, conflict.criterion = outcome.conflict, outcome.criterion
        conflict.document, conflict.organisation = data, organisation
        conflict.save(update_fields=["reason", "criterion", "document", "organisation"])
    conflict.candidates.set(outcome.candidates)
    return conflict


def _new_asset(inventory: Inventory, organisation, location, at) -> Asset:
    # The machine is created with what the agent says of it: no "changed" events after.
    values = hardware_values(Asset(kind=AssetKind.COMPUTER), inventory)
    values.setdefault("name", inventory.device_id[:200])
    return create_asset(
        actor=None,
        source=Source.AGENT,
        at=at,
        organisation=organisation,
        location=location,
        kind=AssetKind.COMPUTER,
        state=AssetState.IN_USE,
        **values,
    )


@transaction.atomic
def ingest(*, inventory: Inventory, organisation=None, remote_address: str | None = None,
           at: datetime | None = None) -> Result:  # fmt: skip
    """Take in one inventory, all or nothing: find the machine, update it (or create it),
    or keep the inventory as a conflict for a human."""
    at = at or timezone.now()
    agent = _agent(inventory.device_id, inventory.protocol, at)
    organisation, location = route(inventory.tag, organisation or agent.organisation)
    if organisation is None:
        raise Refused(_("This agent is tied to no organisation: use the organisation's agent "
                        "URL, or add a tag rule for its tag."))  # fmt: skip
    agent_asset = agent.asset
    if agent_asset is not None and agent_asset.organisation_id != organisation.pk:
        agent_asset = None  # the agent was moved to another client: reconcile afresh
    outcome = reconcile(inventory, organisation=organisation, agent_asset=agent_asset)
    agent.organisation, agent.tag = organisation, inventory.tag[:200]
    agent.version = inventory.agent[:100] or agent.version
    agent.last_contact_at = agent.last_inventory_at = at
    agent.remote_address = remote_address or agent.remote_address
    agent.last_error = ""
    fields = ["organisation", "tag", "version", "last_contact_at", "last_inventory_at",
              "remote_address", "last_error", "asset"]  # fmt: skip
    if outcome.conflict:
        conflict = _keep_conflict(agent, organisation, inventory, outcome, at)
        agent.save(update_fields=fields)
        return Result(asset=None, conflict=conflict)
    asset, created = outcome.asset, outcome.asset is None
    if asset is None:
        asset = _new_asset(inventory, organisation, location, at)
    changes = apply(asset, inventory, at=at, first=created)
    agent.asset = asset
    agent.save(update_fields=fields)
    return Result(asset=asset, created=created, changes=changes)


@transaction.atomic
def note_error(*, device_id: str, protocol: str, message: str, at: datetime | None = None) -> None:
    """Keep the last refusal on the agent's row, created if new, so the agents' list shows
    who is knocking and why they are turned away (the refused inventory's own transaction
    was rolled back)."""
    at = at or timezone.now()
    agent = _agent(device_id, protocol, at)
    agent.last_error, agent.last_contact_at = message[:2000], at
    agent.save(update_fields=["last_error", "last_contact_at"])


def require_manager(actor) -> None:
    if not may_manage_inventory(actor):
        raise Forbidden(_("Only supervisors and administrators manage inventory agents."))


def _conflict_for(actor, conflict: Conflict) -> Conflict:
    require_manager(actor)
    visible = visible_organisations(actor).values("pk")
    found = (
        Conflict.objects.select_for_update()
        .filter(pk=conflict.pk, organisation__in=visible, status=ConflictStatus.OPEN)
        .first()
    )
    if found is None:
        raise InvalidInput({"conflict": [_("This conflict is already resolved or unknown.")]})
    return found


@transaction.atomic
def resolve_conflict(*, conflict: Conflict, actor, asset: Asset | None = None,
                     at: datetime | None = None) -> Asset:  # fmt: skip
    """Apply the kept inventory to `asset` (one of the organisation's), or to a new asset
    when none is given; the agent is tied to it from then on."""
    at = at or timezone.now()
    conflict = _conflict_for(actor, conflict)
    inventory = document.load(conflict.document)
    if asset is not None:
        mine = visible_assets(actor).filter(pk=asset.pk, organisation=conflict.organisation)
        if not mine.exists():
            raise InvalidInput({"asset": [_("Choose an asset of the organisation.")]})
        asset = Asset.objects.get(pk=asset.pk)
        resolution = ConflictResolution.ATTACHED
        apply(asset, inventory, at=at)
    else:
        asset = _new_asset(inventory, conflict.organisation, None, at)
        resolution = ConflictResolution.CREATED
        apply(asset, inventory, at=at, first=True)
    agent = Agent.objects.select_for_update().get(pk=conflict.agent_id)
    agent.asset = asset
    agent.save(update_fields=["asset"])
    conflict.status, conflict.resolved_by, conflict.resolved_at = (
        ConflictStatus.RESOLVED,
        actor,
        at,
    )
    conflict.resolution, conflict.resolved_asset = resolution, asset
    conflict.save(
        update_fields=["status", "resolved_by", "resolved_at", "resolution", "resolved_asset"]
    )
    return asset


@transaction.atomic
def dismiss_conflict(*, conflict: Conflict, actor, at: datetime | None = None) -> None:
    conflict = _conflict_for(actor, conflict)
    conflict.status, conflict.resolved_by = ConflictStatus.DISMISSED, actor
    conflict.resolved_at = at or timezone.now()
    conflict.resolution = ConflictResolution.DISMISSED
    conflict.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])


@transaction.atomic
def organisation_key(*, organisation, renew: bool = False, at: datetime | None = None) -> str:
    """The organisation's agent key, made on first use; `renew` replaces it (agents with the
    old URL are refused from then on)."""
    at = at or timezone.now()
    key = InventoryKey.objects.select_for_update().filter(organisation=organisation).first()
    if key is None:
        key = InventoryKey(organisation=organisation, created_at=at)
    elif not renew:
        return key.key
    key.key, key.created_at = secrets.token_urlsafe(24), at
    key.save()
    return key.key


@transaction.atomic
def set_rules(*, actor, order: list[str], active: set[str]) -> None:
    """The reconciliation rules' order and which are on."""
    require_manager(actor)
    rules = {r.criterion: r for r in ReconciliationRule.objects.select_for_update()}
    if sorted(order) != sorted(rules):
        raise InvalidInput({"order": [_("Give every rule once.")]})
    for position, criterion in enumerate(order, start=1):
        rule = rules[criterion]
        rule.position, rule.active = position * 10, criterion in active
        rule.save(update_fields=["position", "active"])


@transaction.atomic
def add_tag_rule(*, actor, pattern: str, organisation, location=None) -> TagRule:
    require_manager(actor)
    pattern = (pattern or "").strip()
    errors = {}
    if not pattern or len(pattern) > 200 or "\x00" in pattern:
        errors["pattern"] = [_("Give a tag or a pattern of at most 200 characters.")]
    if not visible_organisations(actor).filter(pk=getattr(organisation, "pk", 0)).exists():
        errors["organisation"] = [_("Unknown organisation.")]
    if location is not None and location.organisation_id != getattr(organisation, "pk", 0):
        errors["location"] = [_("This location is not one of the organisation's sites.")]
    if errors:
        raise InvalidInput(errors)
    last = TagRule.objects.order_by("-position").values_list("position", flat=True).first() or 0
    return TagRule.objects.create(pattern=pattern, organisation=organisation, location=location,
                                  position=last + 10)  # fmt: skip


@transaction.atomic
def delete_tag_rule(*, actor, rule: TagRule) -> None:
    require_manager(actor)
    if not visible_organisations(actor).filter(pk=rule.organisation_id).exists():
        raise InvalidInput({"rule": [_("Unknown rule.")]})
    rule.delete()


@transaction.atomic
def move_tag_rule(*, actor, rule: TagRule, direction: str) -> bool:
    """Move a rule one place up or down among those `actor` sees (rules of organisations
    they do not serve keep their places); False when it is already first or last."""
    require_manager(actor)
    if direction not in ("up", "down"):
        raise InvalidInput({"direction": [_("Move a rule up or down.")]})
    rules = list(TagRule.objects.select_for_update().order_by("position", "id"))
    seen = set(visible_organisations(actor).values_list("pk", flat=True))
    places = [n for n, r in enumerate(rules) if r.organisation_id in seen]
    mine = [n for n in places if rules[n].pk == rule.pk]
    if not mine:
        raise InvalidInput({"rule": [_("Unknown rule.")]})
    at = places.index(mine[0])
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(places):
        return False
    first, second = places[at], places[other]
    rules[first], rules[second] = rules[second], rules[first]
    for position, each in enumerate(rules, start=1):
        if each.position != position * 10:
            each.position = position * 10
            each.save(update_fields=["position"])
    return True
