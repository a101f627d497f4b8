"""The clock engine (`sla.clocks.compute`) against a brute-force replay, minute by minute.

The replay below is written from the engine's module docstring, not from its code: it walks
the ticket's life one minute at a time, applies the changes due at that minute (in list
order), and gives each clock 60 s for every minute in which the clock is active, not paused
and the calendar of the contract in force is open (`is_open` of the schedule in force then).
Every change in the histories falls on a minute boundary, and every calendar opens and
closes on quarter hours, so a minute is either wholly open or wholly closed and the replay
is exact.

Random worlds: one to three contracts, each with a calendar (several ranges a day, closed
days, sometimes around the clock, sometimes edited on a date) in Paris, New York, UTC or
Lord Howe, its pausing reasons, its reopening rule and its targets; random histories around
the daylight-saving changes and New Year.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.sla.businesstime import Schedule, Timeline, is_open
from guichet.sla.clocks import KINDS, Change, Reference, Start, compute
from guichet.sla.tests.test_businesstime import day_ranges

MINUTE = timedelta(minutes=1)
HOUR = 3600
PARIS = ZoneInfo("Europe/Paris")
ZONES = [
    PARIS,
    PARIS,
    ZoneInfo("America/New_York"),
    ZoneInfo("UTC"),
    ZoneInfo("Australia/Lord_Howe"),
]
STATUSES = ("new", "assigned", "planned", "pending", "solved", "closed")
OPEN = ("new", "assigned", "planned", "pending")
REASONS = (None, 1, 2, 3)
TEAMS = (None, 1, 2, 3)
PEOPLE = (None, 1, 2, 3)
# Where mistakes hide: Paris goes forward (29 March) and back (25 October), New Year, New York
# goes forward (8 March), Lord Howe goes back half an hour (5 April), May Day in Paris.
LANDMARKS = [
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 12, 0, tzinfo=UTC),
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 15, 0, tzinfo=UTC),
    datetime(2026, 4, 30, 8, 0, tzinfo=UTC),
]
HOLIDAYS = frozenset(
    {date(2026, 3, 30), date(2026, 5, 1), date(2026, 10, 26), date(2027, 1, 1), date(2026, 12, 31)}
)
# How far past `now` the replay walks to find a due date ahead.
HORIZON = timedelta(days=15)


# --- The brute-force replay --------------------------------------------------------------
@dataclass
class Contract:
    timeline: Timeline
    pausing: frozenset
    restarts: bool
    targets: dict  # kind -> minutes at priority 1, or None
    factors: tuple  # priority - 1 -> multiplier of the target


@dataclass
class World:
    contracts: dict  # id -> Contract
    teams: dict  # team id -> (minutes, factors) or None

    def target(self, contract: int, kind: str, priority: int) -> int | None:
        spec = self.contracts[contract]
        minutes = spec.targets[kind]
        return None if minutes is None else minutes * spec.factors[priority - 1] * 60

    def team_target(self, team: int, priority: int) -> int | None:
        spec = self.teams[team]
        return None if spec is None else spec[0] * spec[1][priority - 1] * 60

    def reference(self) -> Reference:
        return Reference(
            timeline=lambda c: self.contracts[c].timeline,
            pausing=lambda c: self.contracts[c].pausing,
            restarts=lambda c: self.contracts[c].restarts,
            target=self.target,
            team_target=self.team_target,
        )

    def open_at(self, contract: int, moment: datetime) -> bool:
        """Is the calendar of `contract`, as it stood at `moment`, open then?"""
        changes = self.contracts[contract].timeline.changes
        schedule = changes[0][1]
        for since, later in changes[1:]:
            if moment >= since:
                schedule = later
        return is_open(schedule, moment)


@dataclass
class Tally:
    """One clock in the replay."""

    ever: bool = False  # it was active at some point (so it is shown)
    cycle: int = 0
    counted: list = field(default_factory=list)  # the minutes counted in this cycle
    paused_minutes: int = 0
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    active: bool = False


@dataclass
class Ticket:
    status: str
    priority: int
    contract: int
    team: int | None
    assignee: int | None
    reason: int | None = None
    responded: bool = False
    visit: str = ""

    def active(self, kind: str) -> bool:
        if self.status not in OPEN:
            return False
        return {
            "own": not self.responded,
            "resolve": True,
            "next_response": self.responded,
            "intervene": self.visit == "required",
            "ola": self.team is not None,
        }[kind]


@dataclass
class Replay:
    ticket: Ticket
    tallies: dict
    waits: int = 0
    handovers: int = 0
    reopenings: int = 0


def replay(world: World, start: Start, changes: list[Change], now: datetime) -> Replay:
    ticket = Ticket(
        status=start.status,
        priority=start.priority,
        contract=start.contract_id,
        team=start.team_id,
        assignee=start.assignee_id,
        responded=start.assignee_id is not None,
    )
    run = Replay(ticket, {kind: Tally() for kind in KINDS})

    def look(moment):  # how the clocks stand after a change (or at the opening)
        for kind, tally in run.tallies.items():
            active = ticket.active(kind)
            if active:
                tally.ever = True
                tally.stopped_at = None
                if tally.started_at is None:
                    tally.started_at = moment
            elif tally.active:
                tally.stopped_at = moment
            tally.active = active

    def restart(kind):
        tally = run.tallies[kind]
        if tally.ever:
            tally.cycle += 1
        tally.counted, tally.paused_minutes = [], 0
        tally.started_at = tally.stopped_at = None

    def respond():
        if ticket.responded:
            restart("next_response")
        ticket.responded = True

    def apply(change):
        what, value = change.what, change.value
        if what == "status":
            if value == "pending" and ticket.status != "pending":
                run.waits += 1
            ticket.status = value
            if value == "solved":
                ticket.responded = True
        elif what == "pending_reason":
            ticket.reason = value
        elif what == "priority":
            ticket.priority = value
        elif what == "contract":
            ticket.contract = value
        elif what == "assignee":
            run.handovers += ticket.assignee is not None
            ticket.assignee = value
            if value is not None:
                respond()
        elif what == "team":
            run.handovers += ticket.team is not None
            ticket.team = value
            if value is not None:
                restart("ola")
        elif what == "handover":
            run.handovers += 1
        elif what == "response":
            respond()
        elif what == "reopen":
            run.reopenings += 1
            if world.contracts[ticket.contract].restarts:
                restart("resolve")
            restart("next_response")
        elif what == "visit":
            if value == "required" and ticket.visit == "arrived":
                restart("intervene")
            ticket.visit = value

    due = sorted((c for c in changes if c.at <= now), key=lambda c: c.at)
    look(start.at)
    moment, index = start.at, 0
    while True:
        while index < len(due) and due[index].at == moment:
            apply(due[index])
            look(moment)
            index += 1
        if moment >= now:
            break
        if any(ticket.active(kind) for kind in KINDS) and world.open_at(ticket.contract, moment):
            pausing = (
                ticket.status == "pending"
                and ticket.reason in world.contracts[ticket.contract].pausing
            )
            for kind, tally in run.tallies.items():
                if ticket.active(kind):
                    if pausing:
                        tally.paused_minutes += 1
                    else:
                        tally.counted.append(moment)
        moment += MINUTE
    return run


NOT_WITHIN_HORIZON = object()


def brute_clocks(
    world: World, start: Start, changes: list[Change], now: datetime
) -> tuple[dict, dict]:
    """What each clock shown should say (the Clock's fields by kind), and the facts."""
    run = replay(world, start, changes, now)
    ticket = run.ticket
    paused_now = (
        ticket.status == "pending" and ticket.reason in world.contracts[ticket.contract].pausing
    )
    expected = {}
    for kind, tally in run.tallies.items():
        if not tally.ever:
            continue
        if kind == "ola":
            target = (
                None if ticket.team is None else world.team_target(ticket.team, ticket.priority)
            )
        else:
            target = world.target(ticket.contract, kind, ticket.priority)
        due = None
        if target is not None:
            need = target // 60
            if len(tally.counted) >= need:
                due = tally.counted[need - 1] + MINUTE
            elif tally.active and not paused_now:
                # Goes on as it is: the minutes ahead in the calendar in force.
                left, moment, due = need - len(tally.counted), now, NOT_WITHIN_HORIZON
                while moment < now + HORIZON:
                    left -= world.open_at(ticket.contract, moment)
                    moment += MINUTE
                    if left == 0:
                        due = moment
                        break
        expected[kind] = {
            "elapsed_seconds": 60 * len(tally.counted),
            "paused_seconds": 60 * tally.paused_minutes,
            "cycle": tally.cycle,
            "running": tally.active,
            "paused": tally.active and paused_now,
            "started_at": tally.started_at,
            "stopped_at": None if tally.active else tally.stopped_at,
            "contract_id": ticket.contract,
            "priority": ticket.priority,
            "team_id": ticket.team,
            "target_seconds": target,
            "due_at": due,
            "_counted": tally.counted,
        }
    return expected, {"waits": run.waits, "handovers": run.handovers, "reopenings": run.reopenings}


def assert_matches(clocks, expected, now):
    assert set(clocks) == set(expected)
    for kind, fields in expected.items():
        clock = clocks[kind]
        for name, value in fields.items():
            if name.startswith("_"):
                continue
            actual = getattr(clock, name)
            if value is NOT_WITHIN_HORIZON:
                assert actual is None or actual > now + HORIZON, (kind, name)
            else:
                assert actual == value, (kind, name, actual, value)


# --- Random worlds and histories -----------------------------------------------------------
@st.composite
def schedules(draw):
    zone = draw(st.sampled_from(ZONES))
    if draw(st.integers(0, 5)) == 0:
        return Schedule(zone=zone, always_open=True)
    weekly = tuple(draw(day_ranges()) for _ in range(7))
    if draw(st.booleans()):  # an office week: the same ranges Monday to Friday
        weekly = (draw(day_ranges()),) * 5 + weekly[5:]
    closed = frozenset(draw(st.lists(st.dates(date(2026, 2, 20), date(2027, 1, 25)), max_size=8)))
    if draw(st.booleans()):
        closed |= HOLIDAYS
    return Schedule(zone=zone, weekly=weekly, closed=closed.__contains__)


factors = st.tuples(*[st.integers(1, 4)] * 6)
targets = st.one_of(st.integers(1, 240), st.integers(1, 3 * 1440), st.none())


@st.composite
def contracts(draw, opening: datetime, minutes: int):
    first = draw(schedules())
    timeline = Timeline.of(first)
    if draw(st.integers(0, 3)) == 0:  # the calendar is edited during the ticket's life
        since = opening + draw(st.integers(0, minutes)) * MINUTE
        timeline = Timeline(((None, first), (since, draw(schedules()))))
    return Contract(
        timeline=timeline,
        pausing=frozenset(draw(st.sets(st.sampled_from((1, 2, 3))))),
        restarts=draw(st.booleans()),
        targets={kind: draw(targets) for kind in KINDS if kind != "ola"},
        factors=draw(factors),
    )


def one_change(ids):
    """A change, or a few at the same minute as the ticket verbs make them."""
    wait = st.sampled_from(REASONS).map(lambda r: [("pending_reason", r), ("status", "pending")])
    visit = st.tuples(st.just("visit"), st.sampled_from(["required", "required", "arrived"])).map(
        lambda c: [c]
    )
    status = st.tuples(st.just("status"), st.sampled_from(STATUSES)).map(lambda c: [c])
    return st.one_of(
        status,
        status,
        wait,
        visit,
        st.tuples(st.just("pending_reason"), st.sampled_from(REASONS)).map(lambda c: [c]),
        # A wait: the reason, then the status, as set_pending writes them.
        st.sampled_from(REASONS).map(lambda r: [("pending_reason", r), ("status", "pending")]),
        # A reopening: the status first, then the reopening, as _reopen writes them.
        st.sampled_from(OPEN).map(lambda s: [("status", s), ("reopen", None)]),
        st.tuples(st.just("priority"), st.integers(1, 6)).map(lambda c: [c]),
        st.tuples(st.just("contract"), st.sampled_from(ids)).map(lambda c: [c]),
        st.tuples(st.just("team"), st.sampled_from(TEAMS)).map(lambda c: [c]),
        st.tuples(st.just("assignee"), st.sampled_from(PEOPLE)).map(lambda c: [c]),
        st.sampled_from(["response", "reopen", "handover"]).map(lambda w: [(w, None)]),
        st.tuples(st.just("visit"), st.sampled_from(["required", "arrived"])).map(lambda c: [c]),
    )


@dataclass
class Case:
    world: World
    start: Start
    changes: list
    now: datetime


def _without_no_ops(start: Start, changes: list[Change]) -> list[Change]:
    """Drop a change of team or assignee to the one already there: the ticket verbs write
    no event for it."""
    current = {"team": start.team_id, "assignee": start.assignee_id}
    kept = []
    for change in changes:
        if change.what in current:
            if change.value == current[change.what]:
                continue
            current[change.what] = change.value
        kept.append(change)
    return kept


@st.composite
def cases(draw, max_changes=25, max_days=20):
    opening = draw(st.sampled_from(LANDMARKS)) + draw(st.integers(-3 * 1440, 1440)) * MINUTE
    minutes = draw(st.one_of(st.integers(1, 2 * 1440), st.integers(1, max_days * 1440)))
    now = opening + minutes * MINUTE
    count = draw(st.integers(1, 3))
    ids = list(range(1, count + 1))
    world = World(
        contracts={i: draw(contracts(opening, minutes)) for i in ids},
        teams={
            t: draw(st.one_of(st.none(), st.tuples(st.integers(1, 3 * 1440), factors)))
            for t in (1, 2, 3)
        },
    )
    start = Start(
        at=opening,
        status=draw(st.sampled_from(("new", "new", "assigned", "planned", "pending"))),
        priority=draw(st.integers(1, 6)),
        contract_id=draw(st.sampled_from(ids)),
        team_id=draw(st.sampled_from(TEAMS)),
        assignee_id=draw(st.sampled_from(PEOPLE)),
    )
    # Some changes fall after `now` (ignored), at `now` exactly (applied, nothing counted),
    # or together in the same minute (applied in list order).
    busy = st.sampled_from(sorted({0, minutes // 3, minutes // 2, minutes}))
    offsets = st.one_of(st.integers(0, minutes + 60), st.integers(0, minutes + 60), busy)
    raw = draw(st.lists(st.tuples(offsets, one_change(ids)), max_size=max_changes))
    raw.sort(key=lambda item: item[0])  # stable: the order within a minute is kept
    changes = [
        Change(opening + offset * MINUTE, what, value)
        for offset, group in raw
        for what, value in group
    ]
    return Case(world, start, _without_no_ops(start, changes), now)


# --- Properties ----------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(cases())
def test_every_clock_is_the_brute_force_replay(case):
    clocks, facts = compute(case.start, case.changes, case.now, case.world.reference())
    expected, expected_facts = brute_clocks(case.world, case.start, case.changes, case.now)
    assert_matches(clocks, expected, case.now)
    assert facts == expected_facts


@settings(max_examples=150, deadline=None)
@given(
    cases(), st.lists(st.tuples(st.integers(0, 100_000), st.integers(1, 6)), min_size=1, max_size=6)
)
def test_changing_the_priority_never_changes_elapsed_time(case, extra):
    reference = case.world.reference()
    span = int((case.now - case.start.at) / MINUTE)
    changes = list(case.changes)
    for offset, priority in extra:
        at = case.start.at + (offset % (span + 1)) * MINUTE
        # After the changes of that minute, or before them: both are fine.
        position = sum(c.at <= at for c in changes) - (offset % 2)
        changes.insert(max(position, 0), Change(at, "priority", priority))
    plain, _ = compute(case.start, case.changes, case.now, reference)
    shuffled, _ = compute(case.start, changes, case.now, reference)
    assert set(plain) == set(shuffled)
    for kind, clock in plain.items():
        other = shuffled[kind]
        assert (clock.elapsed_seconds, clock.paused_seconds, clock.cycle) == (
            other.elapsed_seconds,
            other.paused_seconds,
            other.cycle,
        )
        assert (clock.running, clock.paused, clock.started_at, clock.stopped_at) == (
            other.running,
            other.paused,
            other.started_at,
            other.stopped_at,
        )


@settings(max_examples=150, deadline=None)
@given(cases(), st.lists(st.integers(0, 30 * 1440), min_size=2, max_size=5))
def test_elapsed_time_only_grows_with_now_within_a_cycle(case, offsets):
    reference = case.world.reference()
    previous: dict = {}
    for offset in sorted(offsets):
        clocks, _ = compute(case.start, case.changes, case.start.at + offset * MINUTE, reference)
        assert set(previous) <= set(clocks)
        for kind, before in previous.items():
            after = clocks[kind]
            assert after.cycle >= before.cycle
            if after.cycle == before.cycle:
                assert after.elapsed_seconds >= before.elapsed_seconds
                assert after.paused_seconds >= before.paused_seconds
        previous = clocks


def brute_business(world: World, contract: int, start: datetime, end: datetime) -> int:
    minutes, moment = 0, start
    while moment < end:
        minutes += world.open_at(contract, moment)
        moment += MINUTE
    return 60 * minutes


@settings(max_examples=100, deadline=None)
@given(cases(max_changes=8, max_days=10), st.data())
def test_reach_finds_when_the_elapsed_time_was_reached(case, data):
    clocks, _ = compute(case.start, case.changes, case.now, case.world.reference())
    expected, _ = brute_clocks(case.world, case.start, case.changes, case.now)
    for kind, clock in clocks.items():
        minutes = int(clock.elapsed_seconds) // 60
        if not minutes:
            continue
        x = data.draw(st.integers(1, minutes), label=kind) * 60
        reached = clock.reach(x)
        assert reached is not None and clock.started_at < reached <= case.now
        # The end of the minute in which the replay counted the x-th second.
        assert reached == expected[kind]["_counted"][x // 60 - 1] + MINUTE
        # Nothing happened to the ticket in between (but priority): it ran unpaused in one
        # contract all along, so the business time between the two is x.
        between = [
            c for c in case.changes if clock.started_at < c.at < reached and c.what != "priority"
        ]
        if not between:
            contract = replay(
                case.world, case.start, case.changes, clock.started_at
            ).ticket.contract
            assert brute_business(case.world, contract, clock.started_at, reached) == x


# --- Worked examples -----------------------------------------------------------------------
OFFICE = Schedule(
    zone=PARIS,
    weekly=(((9 * HOUR, 12 * HOUR), (14 * HOUR, 18 * HOUR)),) * 5 + ((), ()),
    closed={date(2026, 5, 1), date(2026, 7, 14), date(2026, 12, 25)}.__contains__,
)
AROUND_THE_CLOCK = Schedule(zone=PARIS, always_open=True)
CUSTOMER = 1  # the pending reason "waiting on the customer"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def reference(
    schedule=OFFICE, *, restarts=False, resolve: dict | None = None, own=2 * HOUR
) -> Reference:
    """One contract (id 1) whose clocks stop while waiting on the customer."""
    resolve = resolve or {}
    targets = {"own": own, "next_response": 4 * HOUR, "intervene": None}
    return Reference(
        timeline=lambda contract: Timeline.of(schedule),
        pausing=lambda contract: frozenset({CUSTOMER}),
        restarts=lambda contract: restarts,
        target=lambda contract, kind, priority: (
            resolve.get(priority, 8 * HOUR) if kind == "resolve" else targets[kind]
        ),
        team_target=lambda team, priority: None,
    )


def test_waiting_on_the_customer_over_a_weekend_and_may_day_counts_nothing():
    # Thursday 30 April 2026, 10:00: opened; 11:00 someone answers; 16:00 it waits on the
    # customer, who answers on Monday 4 May at 11:00. Friday 1 May is a public holiday.
    start = Start(paris(2026, 4, 30, 10), "new", 3, 1)
    changes = [
        Change(paris(2026, 4, 30, 11), "response"),
        Change(paris(2026, 4, 30, 16), "pending_reason", CUSTOMER),
        Change(paris(2026, 4, 30, 16), "status", "pending"),
        Change(paris(2026, 5, 4, 11), "status", "assigned"),
    ]
    clocks, facts = compute(start, changes, paris(2026, 5, 4, 15), reference())

    resolve = clocks["resolve"]
    # Thursday 10–12 and 14–16, then Monday 11–12 and 14–15.
    assert resolve.elapsed_seconds == 6 * HOUR
    # Thursday 16–18 and Monday 09–11; nothing on the holiday nor the weekend.
    assert resolve.paused_seconds == 4 * HOUR
    assert (resolve.running, resolve.paused) == (True, False)
    # 2 h of the 8 h left: Monday 17:00.
    assert resolve.due_at == paris(2026, 5, 4, 17)
    own = clocks["own"]
    assert (own.elapsed_seconds, own.running, own.stopped_at) == (
        HOUR,
        False,
        paris(2026, 4, 30, 11),
    )
    assert facts["waits"] == 1

    # Still waiting on the Monday morning: paused, so no due date.
    waiting, _ = compute(start, changes, paris(2026, 5, 4, 10), reference())
    assert waiting["resolve"].paused and waiting["resolve"].due_at is None
    assert waiting["resolve"].elapsed_seconds == 4 * HOUR


def test_a_ticket_opened_before_bastille_day_is_due_after_it():
    # Monday 13 July 2026, 17:00, 4 h to resolve: 1 h on Monday, Tuesday 14 July is closed,
    # 3 h on Wednesday morning.
    start = Start(paris(2026, 7, 13, 17), "new", 1, 1)
    clocks, _ = compute(start, [], paris(2026, 7, 13, 17, 30), reference(resolve={1: 4 * HOUR}))
    assert clocks["resolve"].due_at == paris(2026, 7, 15, 12)


def test_around_the_clock_the_spring_night_lasts_23_hours_and_the_autumn_one_25():
    always = reference(AROUND_THE_CLOCK, resolve={3: 24 * HOUR})
    spring, _ = compute(
        Start(paris(2026, 3, 28, 12), "new", 3, 1), [], paris(2026, 3, 29, 12), always
    )
    autumn, _ = compute(
        Start(paris(2026, 10, 24, 12), "new", 3, 1), [], paris(2026, 10, 25, 12), always
    )
    assert spring["resolve"].elapsed_seconds == 23 * HOUR
    assert autumn["resolve"].elapsed_seconds == 25 * HOUR
    # 24 h of real time after the opening: 13:00 on the spring Sunday, 11:00 on the autumn one.
    assert spring["resolve"].due_at == paris(2026, 3, 29, 13)
    assert autumn["resolve"].due_at == paris(2026, 10, 25, 11)
    assert autumn["resolve"].breached


def test_raising_the_priority_moves_the_due_date_not_the_elapsed_time():
    # Monday 8 June 2026, 09:00, priority 4 (16 h to resolve); raised to 1 (4 h) at 10:00.
    targets = reference(resolve={4: 16 * HOUR, 1: 4 * HOUR})
    start = Start(paris(2026, 6, 8, 9), "new", 4, 1)
    changes = [Change(paris(2026, 6, 8, 10), "priority", 1)]

    before, _ = compute(start, changes, paris(2026, 6, 8, 9, 30), targets)
    # 16 h from Monday 09:00: 7 h on Monday, 7 h on Tuesday, 2 h on Wednesday.
    assert before["resolve"].due_at == paris(2026, 6, 10, 11)

    after, _ = compute(start, changes, paris(2026, 6, 8, 14, 30), targets)
    assert after["resolve"].elapsed_seconds == 3.5 * HOUR  # 09–12 and 14–14:30
    assert after["resolve"].due_at == paris(2026, 6, 8, 15)
    assert after["resolve"].target_seconds == 4 * HOUR

    late, _ = compute(start, changes, paris(2026, 6, 8, 16), targets)
    assert late["resolve"].breached and late["resolve"].due_at == paris(2026, 6, 8, 15)


def test_a_reopening_continues_or_restarts_the_resolution_clock_per_the_contract():
    # Around the clock in Paris: opened Monday 1 June 2026 at 00:00 with an assignee, solved
    # at 10:00, reopened at 20:00; it is 23:00.
    start = Start(paris(2026, 6, 1, 0), "assigned", 3, 1, assignee_id=7)
    changes = [
        Change(paris(2026, 6, 1, 10), "status", "solved"),
        Change(paris(2026, 6, 1, 20), "status", "assigned"),
        Change(paris(2026, 6, 1, 20), "reopen"),
    ]
    now = paris(2026, 6, 1, 23)

    kept, _ = compute(start, changes, now, reference(AROUND_THE_CLOCK, restarts=False))
    assert kept["resolve"].elapsed_seconds == 13 * HOUR  # 10 h before, 3 h since
    assert (kept["resolve"].cycle, kept["resolve"].started_at) == (0, paris(2026, 6, 1, 0))
    assert kept["resolve"].due_at is not None and kept["resolve"].breached  # 8 h target

    again, _ = compute(start, changes, now, reference(AROUND_THE_CLOCK, restarts=True))
    assert again["resolve"].elapsed_seconds == 3 * HOUR
    assert (again["resolve"].cycle, again["resolve"].started_at) == (1, paris(2026, 6, 1, 20))
    assert again["resolve"].due_at == paris(2026, 6, 2, 4)

    # Either way the wait for the next response starts again at the reopening.
    for clocks in (kept, again):
        assert clocks["next_response"].cycle == 1
        assert clocks["next_response"].elapsed_seconds == 3 * HOUR
