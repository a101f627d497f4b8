"""The clock engine: a ticket's service clocks computed from its history.

The history is the ticket as it was opened (`Start`) and the changes since (`Change`), in
time order. Between two changes the ticket's state is constant; each clock counts the business
time of the stretches where it is *active* (its condition holds) and not *paused* (pending
for a reason the contract in force then says stops the clocks), each stretch in the hours of
the calendar of the contract in force then, as the calendar stood then. So:

- elapsed time never depends on the priority: changing it only changes the target the
  elapsed time is compared with, and so the due date (nothing lost, nothing invented);
- a contract change counts what came before in the old contract's hours, what follows in the
  new one's, against the new contract's target;
- reopening continues the resolution clock, or restarts it from zero, per the contract.

The clocks (kind: active while ...):
- own: open and nobody has responded yet (an assignment to someone, a public update by the
  staff, or a solution is a response);
- resolve: open (not solved or closed);
- next_response: open and responded; starts again at each response and reopening;
- intervene: open and an on-site visit is required and nobody has arrived yet; again if a
  new visit is required;
- ola: open and with a team; starts again when the ticket changes team.

A clock that restarts begins a new *cycle*; what it shows is its current cycle. Its due date
is the instant its elapsed time reaches the target: in the past if it did, in the future if it
runs and goes on as it is, none if it is paused, stopped before or has no target.

This module is plain Python; the reference data comes in through `Reference`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from guichet.sla.businesstime import NeverOpen, Timeline, timeline_add, timeline_seconds

OPEN = frozenset({"new", "assigned", "planned", "pending"})
KINDS = ("own", "resolve", "next_response", "intervene", "ola")


class Start(NamedTuple):
    """The ticket as it was opened."""

    at: datetime
    status: str
    priority: int
    contract_id: int
    team_id: int | None = None
    assignee_id: int | None = None


class Change(NamedTuple):
    """One change of the history. `what` is one of: status, pending_reason, priority,
    contract, team, assignee, response, reopen, visit ("required" / "arrived"), handover
    (an escalation to the supervisor)."""

    at: datetime
    what: str
    value: Any = None


@dataclass(frozen=True)
class Reference:
    """What the engine needs to know of contracts, calendars and teams."""

    timeline: Callable[[int], Timeline]  # contract id -> the hours it counts in
    pausing: Callable[[int], frozenset[int]]  # contract id -> pending reasons that pause
    restarts: Callable[[int], bool]  # contract id -> reopening restarts resolution
    target: Callable[[int, str, int], int | None]  # contract, kind, priority -> seconds
    team_target: Callable[[int, int], int | None]  # team, priority -> seconds (OLA)


@dataclass
class State:
    status: str
    priority: int
    contract_id: int
    team_id: int | None
    assignee_id: int | None
    pending_reason: int | None = None
    responded: bool = False
    visit: str = ""

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def active(self, kind: str) -> bool:
        if not self.open:
            return False
        if kind == "own":
            return not self.responded
        if kind == "next_response":
            return self.responded
        if kind == "intervene":
            return self.visit == "required"
        if kind == "ola":
            return self.team_id is not None
        return True  # resolve


class Span(NamedTuple):
    """A stretch the clock counted: from `start`, `seconds` of business time in `timeline`."""

    start: datetime
    seconds: float
    timeline: Timeline


@dataclass
class Clock:
    """One clock of a ticket, as of `as_of`."""

    kind: str
    contract_id: int
    priority: int
    as_of: datetime
    team_id: int | None = None
    target_seconds: int | None = None
    elapsed_seconds: float = 0.0
    paused_seconds: float = 0.0
    cycle: int = 0
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    running: bool = False
    paused: bool = False
    due_at: datetime | None = None
    # The counted stretches of the current cycle, and the hours the clock counts in now.
    spans: list[Span] = field(default_factory=list, repr=False)
    timeline: Timeline | None = field(default=None, repr=False)

    @property
    def breached(self) -> bool:
        return self.target_seconds is not None and self.elapsed_seconds > self.target_seconds

    def reach(self, seconds: float) -> datetime | None:
        """When the elapsed time of this cycle reaches `seconds`: in the past, or ahead if the
        clock runs unpaused and goes on as it is; None if it will not."""
        counted = 0.0
        for span in self.spans:
            if counted + span.seconds >= seconds:
                return _add(span.timeline, span.start, seconds - counted)
            counted += span.seconds
        if self.running and not self.paused and self.timeline is not None:
            # Running unpaused, the last stretch lasts until now and goes on in today's hours.
            return _add(self.timeline, self.as_of, seconds - counted)
        return None


def _add(timeline: Timeline, start: datetime, seconds: float) -> datetime | None:
    try:
        return timeline_add(timeline, start, seconds)
    except NeverOpen:
        return None


@dataclass
class _Tracker:
    kind: str
    started: bool = False
    active: bool = False
    cycle: int = 0
    elapsed: float = 0.0
    paused: float = 0.0
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    spans: list[Span] = field(default_factory=list)

    def restart(self, at: datetime) -> None:
        """Begin a new cycle at `at` (from zero)."""
        if self.started:
            self.cycle += 1
        self.elapsed = self.paused = 0.0
        self.spans = []
        self.started_at = at if self.active else None
        self.stopped_at = None

    def settle(self, state: State, at: datetime) -> None:
        """Take note of whether the clock is active from `at` on."""
        now_active = state.active(self.kind)
        if now_active and not self.active:
            if self.started_at is None:
                self.started_at = at
            self.started = True
            self.stopped_at = None
        elif self.active and not now_active:
            self.stopped_at = at
        self.active = now_active


def _history(changes: Iterable[Change], now: datetime) -> list[Change]:
    return sorted((c for c in changes if c.at <= now), key=lambda c: c.at)


def compute(
    start: Start, changes: Iterable[Change], now: datetime, reference: Reference
) -> tuple[dict[str, Clock], dict[str, int]]:
    """The ticket's clocks as of `now` (only those that ever ran), and facts of its history
    the reports use: `handovers` (changes of hands after the first owner, escalations to the
    supervisor), `waits` (times it went pending) and `reopenings`."""
    state = State(
        status=start.status,
        priority=start.priority,
        contract_id=start.contract_id,
        team_id=start.team_id,
        assignee_id=start.assignee_id,
        responded=start.assignee_id is not None,
    )
    trackers = {kind: _Tracker(kind) for kind in KINDS}
    for tracker in trackers.values():
        tracker.settle(state, start.at)
    facts = {"handovers": 0, "waits": 0, "reopenings": 0}
    moment = start.at
    for change in [*_history(changes, now), Change(now, "end")]:
        _count(trackers, state, reference, moment, max(moment, change.at))
        moment = max(moment, change.at)
        _apply(trackers, state, reference, change, facts)
        for tracker in trackers.values():
            tracker.settle(state, moment)
    clocks = {
        kind: _clock(tracker, state, reference, now)
        for kind, tracker in trackers.items()
        if tracker.started
    }
    return clocks, facts


def _count(
    trackers: dict[str, _Tracker], state: State, reference: Reference, a: datetime, b: datetime
) -> None:
    if b <= a:
        return
    timeline = reference.timeline(state.contract_id)
    paused = state.status == "pending" and state.pending_reason in reference.pausing(
        state.contract_id
    )
    seconds: float | None = None
    for tracker in trackers.values():
        if not tracker.active:
            continue
        if seconds is None:
            seconds = timeline_seconds(timeline, a, b)
        if paused:
            tracker.paused += seconds
        else:
            tracker.elapsed += seconds
            tracker.spans.append(Span(a, seconds, timeline))


def _apply(
    trackers: dict[str, _Tracker],
    state: State,
    reference: Reference,
    change: Change,
    facts: dict[str, int],
) -> None:
    what, value, at = change.what, change.value, change.at
    if what == "status":
        if value == "pending" and state.status != "pending":
            facts["waits"] += 1
        state.status = value
        if value == "solved":
            state.responded = True
    elif what == "pending_reason":
        state.pending_reason = value
    elif what == "priority":
        state.priority = value
    elif what == "contract":
        state.contract_id = value
    elif what == "assignee":
        if state.assignee_id is not None:
            facts["handovers"] += 1
        state.assignee_id = value
        if value is not None:
            _respond(trackers, state, at)
    elif what == "team":
        if state.team_id is not None:
            facts["handovers"] += 1
        state.team_id = value
        if value is not None:
            trackers["ola"].restart(at)  # a new team's share begins
    elif what == "handover":
        facts["handovers"] += 1
    elif what == "response":
        _respond(trackers, state, at)
    elif what == "reopen":
        facts["reopenings"] += 1
        if reference.restarts(state.contract_id):
            trackers["resolve"].restart(at)
        trackers["next_response"].restart(at)
    elif what == "visit":
        if value == "required" and state.visit != "required":
            trackers["intervene"].restart(at)
        state.visit = value


def _respond(trackers: dict[str, _Tracker], state: State, at: datetime) -> None:
    if state.responded:
        trackers["next_response"].restart(at)
    state.responded = True


def _clock(tracker: _Tracker, state: State, reference: Reference, now: datetime) -> Clock:
    kind = tracker.kind
    team = state.team_id  # the ticket's team; for an OLA, the team whose share it is
    if kind == "ola":
        target = reference.team_target(team, state.priority) if team is not None else None
    else:
        target = reference.target(state.contract_id, kind, state.priority)
    paused = (
        tracker.active
        and state.status == "pending"
        and state.pending_reason in reference.pausing(state.contract_id)
    )
    clock = Clock(
        kind=kind,
        contract_id=state.contract_id,
        priority=state.priority,
        as_of=now,
        team_id=team,
        target_seconds=target,
        elapsed_seconds=tracker.elapsed,
        paused_seconds=tracker.paused,
        cycle=tracker.cycle,
        started_at=tracker.started_at,
        stopped_at=None if tracker.active else tracker.stopped_at,
        running=tracker.active,
        paused=paused,
        spans=tracker.spans,
        timeline=reference.timeline(state.contract_id),
    )
    if target is not None:
        clock.due_at = clock.reach(target)
    return clock
