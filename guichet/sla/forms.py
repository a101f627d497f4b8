"""Forms of the service contracts configuration screens.

They parse what administrators type (opening hours as "08:30-12:30, 13:30-18:00", closed days
one per line, durations as "90", "4h" or "1h30") and check its shape; the actions decide the
rest, and `add_action_errors` places their refusals next to the fields.
"""

import re
from datetime import date
from functools import lru_cache
from zoneinfo import available_timezones

import holidays
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation, Team
from guichet.lib.form_errors import ActionErrors
from guichet.sla.actions import Closure, Opening, StepIn, TargetIn
from guichet.sla.actions.contracts import MAX_TARGET_MINUTES
from guichet.sla.choices import ClockKind, EscalationAction, ReopenRule, TargetKind, Weekday
from guichet.sla.models import MINUTES_A_DAY, Calendar, CalendarVersion, Contract
from guichet.tickets.models import PendingReason

PRIORITIES = range(6, 0, -1)  # as the queues show them: the most urgent first
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")
CLOSURE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\s+(.*))?")
DURATION = re.compile(r"(?:(\d{1,6})\s*h\s*(?:(\d{1,2})\s*(?:min|m)?)?|(\d{1,7})\s*(?:min|m)?)")


# --- Reading and writing what people type ------------------------------------------------------
def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def ranges_text(pairs) -> str:
    return ", ".join(f"{hhmm(start)}-{hhmm(end)}" for start, end in pairs)


def duration_text(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return str(rest)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def _clock(hours: str, minutes: str) -> int | None:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


class TypedTextField(forms.Field):
    """A text input parsed into a value: `parse` gets the stripped text (at most `max_chars`)."""

    max_chars = 200

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value).strip()
        if len(text) > self.max_chars:
            raise forms.ValidationError(
                _("At most %(n)d characters.") % {"n": self.max_chars}, code="max_length"
            )
        return self.parse(text)

    def parse(self, text: str):
        raise NotImplementedError


class RangesField(TypedTextField):
    """One weekday's opening ranges: "08:30-12:30, 13:30-18:00" → [(510, 750), (810, 1080)]."""

    default_error_messages = {
        "invalid": _("Write ranges as 08:30-12:30, separated by commas."),
        "order": _("A range must close after it opens, between 00:00 and 24:00."),
        "overlap": _("Two ranges overlap."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"placeholder": "08:30-12:30, 13:30-18:00", "spellcheck": "false", "size": 30}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def parse(self, text: str):
        if not text:
            return []
        pairs = []
        for piece in text.split(","):
            found = RANGE.fullmatch(piece.strip())
            if found is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            start, end = _clock(*found.group(1, 2)), _clock(*found.group(3, 4))
            if start is None or end is None or not start < end <= MINUTES_A_DAY:
                raise forms.ValidationError(self.error_messages["order"], code="order")
            pairs.append((start, end))
        pairs.sort()
        if any(after[0] < before[1] for before, after in zip(pairs, pairs[1:], strict=False)):
            raise forms.ValidationError(self.error_messages["overlap"], code="overlap")
        return pairs

    def prepare_value(self, value):
        return ranges_text(value) if isinstance(value, list) else value


class ClosuresField(TypedTextField):
    """Closed days, one a line: "2026-05-15 Bridge day" → [Closure(date(2026, 5, 15), ...)]."""

    default_error_messages = {
        "invalid": _("Line %(line)d: write the date as 2026-05-15, then a label if you wish."),
        "label": _("Line %(line)d: a label has at most 100 characters."),
    }

    max_chars = 50_000

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))
        super().__init__(**kwargs)

    def parse(self, text: str):
        closures = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            found = CLOSURE.fullmatch(line.strip())
            try:
                day = date.fromisoformat(found.group(1)) if found else None
            except ValueError:
                day = None
            if found is None or day is None:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"line": number}
                )
            label = (found.group(2) or "").strip()
            if len(label) > 100:
                raise forms.ValidationError(
                    self.error_messages["label"], code="label", params={"line": number}
                )
            closures.append(Closure(day, label))
        return closures

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{c.day.isoformat()} {c.label}".rstrip() for c in value)
        return value


class MinutesField(TypedTextField):
    """A time in business minutes, typed "90", "90m", "4h" or "1h30"; blank is none."""

    default_error_messages = {
        "invalid": _("Write minutes (90) or hours (4h, 1h30)."),
        "range": _("From 1 minute to a year."),
    }

    max_chars = 20

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"size": 6, "maxlength": 20, "autocomplete": "off", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def parse(self, text: str):
        text = text.replace(" ", "").lower()
        if not text:
            return None
        found = DURATION.fullmatch(text)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hours, rest, plain = found.groups()
        if plain is not None:
            minutes = int(plain)
        elif rest is not None and int(rest) > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        else:
            minutes = int(hours) * 60 + int(rest or 0)
        if not 1 <= minutes <= MAX_TARGET_MINUTES:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return minutes

    def prepare_value(self, value):
        return duration_text(value) if isinstance(value, int) else value


# --- Choices -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones())]


def _spaced(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    """The countries whose public holidays the `holidays` package knows, by their English
    name (the package names them in English only)."""
    names = {info[1]: _spaced(info[0]) for info in holidays.registry.COUNTRIES.values()}
    codes = holidays.list_supported_countries(include_aliases=False)
    return sorted(((code, f"{names.get(code, code)} ({code})") for code in codes), key=_second)


def _second(pair):
    return pair[1]


def subdivisions_of(country: str) -> list[str]:
    return list(holidays.list_supported_countries(include_aliases=False).get(country, []))


# --- Calendars ---------------------------------------------------------------------------------
class CalendarForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Europe/Paris")
    always_open = forms.BooleanField(
        label=_("Open 24/7"),
        required=False,
        help_text=_("Every hour of every day counts; the weekly hours are ignored."),
    )
    holiday_country = forms.ChoiceField(label=_("Public holidays of"), required=False)
    holiday_subdivision = forms.CharField(
        label=_("Region"),
        max_length=10,
        required=False,
        help_text=_("For instance 57 (Moselle) or 6AE (Alsace) in France."),
        widget=forms.TextInput(attrs={"list": "subdivisions", "size": 10}),
    )
    closures = ClosuresField(
        label=_("Other closed days"),
        help_text=_("One a line: the date, then a label, e.g. 2026-05-15 Bridge day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]
        self.fields["holiday_country"].choices = [  # type: ignore[attr-defined]
            ("", _("— none —")),
            *country_choices(),
        ]
        for day in Weekday:
            self.fields[f"day_{day.value}"] = RangesField(label=day.label)

    @classmethod
    def initial_of(cls, version: CalendarVersion | None) -> dict:
        if version is None:
            return {"time_zone": "Europe/Paris", "holiday_country": "FR"}
        initial = {
            "name": version.calendar.name,
            "time_zone": version.time_zone,
            "always_open": version.always_open,
            "holiday_country": version.holiday_country,
            "holiday_subdivision": version.holiday_subdivision,
            "closures": [Closure(c.day, c.label) for c in version.closures.all()],
        }
        for day in Weekday:
            initial[f"day_{day.value}"] = [
                (r.start_minute, r.end_minute) for r in version.ranges.all() if r.weekday == day
            ]
        return initial

    def day_fields(self) -> list:
        return [self[f"day_{day.value}"] for day in Weekday]

    def openings(self) -> list[Opening]:
        return [
            Opening(day.value, start, end)
            for day in Weekday
            for start, end in self.cleaned_data[f"day_{day.value}"]
        ]

    def subdivisions(self) -> list[str]:
        country = self["holiday_country"].value() or ""
        return subdivisions_of(str(country))


# --- Contracts ---------------------------------------------------------------------------------
class StepForm(forms.Form):
    """One rung of the escalation ladder; a blank row is left out."""

    kind = forms.ChoiceField(
        label=_("Clock"), required=False, choices=[("", _("—")), *ClockKind.choices]
    )
    percent = forms.IntegerField(
        label=_("At % of the target"), required=False, min_value=1, max_value=1000
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("—")), *EscalationAction.choices]
    )
    team = forms.ModelChoiceField(
        label=_("Team (hand-over only)"),
        required=False,
        queryset=Team.objects.all(),
        empty_label=_("—"),
    )

    def clean(self):
        data = super().clean()
        filled = [
            name for name in ("kind", "percent", "action") if data.get(name) not in ("", None)
        ]
        if filled and len(filled) < 3 and not self.errors:
            raise forms.ValidationError(_("Give the clock, the percentage and the action."))
        return data

    def step(self) -> StepIn | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        return StepIn(
            kind=data["kind"], percent=data["percent"], action=data["action"], team=data["team"]
        )


StepFormSet = forms.formset_factory(StepForm, extra=3, max_num=50, validate_max=True)


class ContractForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— none —"),
        help_text=_("Its tickets follow this contract during its period."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_WIDGET, required=False)
    calendar = forms.ModelChoiceField(
        label=_("Calendar"), queryset=Calendar.objects.all(), empty_label=None
    )
    reopen_rule = forms.ChoiceField(
        label=_("When a ticket is reopened"),
        choices=ReopenRule.choices,
        widget=forms.RadioSelect,
        initial=ReopenRule.CONTINUE,
    )
    pausing_reasons = forms.ModelMultipleChoiceField(
        label=_("Pending reasons that stop the clocks"),
        queryset=PendingReason.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    flat_fee = forms.DecimalField(
        label=_("Flat fee of on-site work"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    cost_threshold = forms.DecimalField(
        label=_("Cost threshold"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("An on-site job costing more needs a signed quote first."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )

    def __init__(self, *args, contract: Contract | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        if contract is not None and contract.is_default:
            # The default contract serves every client without one of their own.
            del self.fields["organisation"]
        chosen = [r.pk for r in contract.pausing_reasons.all()] if contract else []
        reasons = self.fields["pausing_reasons"]
        reasons.queryset = PendingReason.objects.filter(  # type: ignore[attr-defined]
            Q(active=True) | Q(pk__in=chosen)
        )
        for kind in TargetKind:
            for priority in PRIORITIES:
                self.fields[f"t_{kind.value}_{priority}"] = MinutesField(
                    label=_("%(kind)s, priority %(priority)d")
                    % {"kind": kind.label, "priority": priority}
                )

    @classmethod
    def initial_of(cls, contract: Contract | None) -> dict:
        if contract is None:
            return {"reopen_rule": ReopenRule.CONTINUE}
        initial = {
            "name": contract.name,
            "organisation": contract.organisation_id,
            "starts_on": contract.starts_on,
            "ends_on": contract.ends_on,
            "calendar": contract.calendar_id,
            "reopen_rule": contract.reopen_rule,
            "pausing_reasons": [r.pk for r in contract.pausing_reasons.all()],
            "flat_fee": contract.flat_fee,
            "cost_threshold": contract.cost_threshold,
            "notes": contract.notes,
        }
        for target in contract.targets.all():
            initial[f"t_{target.kind}_{target.priority}"] = target.minutes
        return initial

    def target_rows(self) -> list:
        """The targets grid: a row per kind, a cell per priority."""
        return [
            (kind.label, [self[f"t_{kind.value}_{p}"] for p in PRIORITIES]) for kind in TargetKind
        ]

    def targets(self) -> list[TargetIn]:
        return [
            TargetIn(kind.value, priority, minutes)
            for kind in TargetKind
            for priority in PRIORITIES
            if (minutes := self.cleaned_data.get(f"t_{kind.value}_{priority}")) is not None
        ]


def steps_initial(contract: Contract | None) -> list[dict]:
    if contract is None:
        return []
    return [
        {"kind": s.kind, "percent": s.percent, "action": s.action, "team": s.team_id}
        for s in contract.escalation_steps.all()
    ]


# --- Pending reasons and team targets ----------------------------------------------------------
class PendingReasonForm(ActionErrors, forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Fixed once created: the API and integrations refer to it."),
    )
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, reason: PendingReason | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if reason is not None:
            self.fields["code"].disabled = True
            self.fields["code"].initial = reason.code


class TeamTargetsForm(ActionErrors, forms.Form):
    """The OLA grid: a row per team, a cell per priority."""

    def __init__(self, *args, teams: list[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = teams
        for team in teams:
            for priority in PRIORITIES:
                self.fields[f"team{team.pk}_p{priority}"] = MinutesField(
                    label=_("%(team)s, priority %(priority)d")
                    % {"team": team.name, "priority": priority}
                )

    @staticmethod
    def initial_of(teams: list[Team]) -> dict:
        return {
            f"team{target.team_id}_p{target.priority}": target.minutes
            for team in teams
            for target in team.operational_targets.all()
        }

    def rows(self) -> list:
        return [(team, [self[f"team{team.pk}_p{p}"] for p in PRIORITIES]) for team in self.teams]

    def targets_of(self, team: Team) -> dict[int, int | None]:
        return {p: self.cleaned_data.get(f"team{team.pk}_p{p}") for p in PRIORITIES}
