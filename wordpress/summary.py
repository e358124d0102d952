"""How a WordPress import reports: its progress while it runs and its summary at the end
(created, updated, unchanged, and each skipped object with the reason)."""

from collections import Counter
from dataclasses import asdict, dataclass, field

from wordpress.models import ImportedObject

Kind = ImportedObject.Kind

# The words the summary uses for each kind of object, one and many.
KIND_NAMES = {
    Kind.AUTHOR: ("author", "authors"),
    Kind.CATEGORY: ("category", "categories"),
    Kind.TAG: ("tag", "tags"),
    Kind.POST: ("post", "posts"),
    Kind.PAGE: ("page", "pages"),
    Kind.ATTACHMENT: ("image", "images"),
    Kind.COMMENT: ("comment", "comments"),
}


@dataclass
class Progress:
    done_bytes: int
    total_bytes: int
    counts: dict[str, int]


@dataclass
class Skipped:
    """A WordPress object the import left out, and why."""

    kind: str
    wp_id: str
    title: str
    reason: str


@dataclass
class ImportSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        """The summary as plain JSON values (the admin keeps it with the import)."""
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": [asdict(item) for item in self.skipped],
            "dry_run": self.dry_run,
        }

    def counts(self) -> dict[str, int]:
        """How many of each kind the import has dealt with so far (for progress)."""
        total = self.created + self.updated + self.unchanged
        return {**dict(total), "skipped": len(self.skipped)}

    def lines(self) -> list[str]:
        """The summary for people: one line for each outcome, then each skipped item."""
        lines = [
            _outcome_line("Created", self.created),
            _outcome_line("Updated", self.updated),
            _outcome_line("Unchanged", self.unchanged),
        ]
        if self.dry_run:
            lines.insert(0, "Dry run: nothing was stored; this is what the import would do.")
        if not self.skipped:
            lines.append("Skipped: nothing.")
            return lines
        by_kind = Counter(item.kind for item in self.skipped)
        listed = ", ".join(f"{n} {_skipped_kind_name(kind, n)}" for kind, n in by_kind.items())
        lines.append(f"Skipped: {listed}.")
        for item in self.skipped:
            title = f" “{item.title}”" if item.title else ""
            lines.append(f"  {item.kind} {item.wp_id}{title}: {item.reason}")
        return lines


def kind_name(kind: str, n: int) -> str:
    """The word for ``n`` objects of ``kind``: "1 post", "3 categories"."""
    one, many = KIND_NAMES.get(kind, (kind, f"{kind}s"))
    return one if n == 1 else many


def _skipped_kind_name(kind: str, n: int) -> str:
    name = kind.replace("_", " ")
    return name if n == 1 else f"{name}s"


def _outcome_line(label: str, counter: Counter) -> str:
    order = [*KIND_NAMES, *(kind for kind in counter if kind not in KIND_NAMES)]
    parts = [f"{counter[kind]} {kind_name(kind, counter[kind])}" for kind in order if counter[kind]]
    return f"{label}: {', '.join(parts) if parts else 'nothing'}."
