"""What an import did or would do: one entry per line of the file, and the file's problems."""

from dataclasses import dataclass, field

from guichet.assets.models import Asset

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"


@dataclass
class LineError:
    column: str
    message: str


@dataclass
class Line:
    number: int
    label: str
    action: str = UNCHANGED
    # Headings (as the file writes them) of the columns that change the asset.
    changes: list[str] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    asset: Asset | None = None
    # What the verb is given: the changed fields only, for an update.
    values: dict = field(default_factory=dict)


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    # The heading the file gives each field it has.
    headings: dict[str, str] = field(default_factory=dict)
    applied: bool = False

    def heading(self, name: str) -> str:
        return self.headings.get(name, name)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(line.errors for line in self.lines)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, REFUSED), 0)
        for line in self.lines:
            counts[line.action] += 1
        return counts

    @property
    def pending(self) -> bool:
        """Something to save."""
        return self.ok and any(line.action in (CREATE, UPDATE) for line in self.lines)
