"""What the organisation's spreadsheet imports share: the plan a dry run shows
(every row's fate and every problem with its row and column), and the reading
of cells people type by hand (kinds by code or label, yes/no)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from core.tabular import FORMULA_PREFIXES

NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "ya", "aktif", "active"})
FALSE_WORDS = frozenset(
    {"no", "n", "false", "0", "tidak", "nonaktif", "non-aktif", "tidak aktif", "inactive"}
)


class ImportRefused(Exception):
    """The file has problems (or gained some since the dry run): nothing written."""

    def __init__(self, plan: "ImportPlan") -> None:
        super().__init__("import refused")
        self.plan = plan


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class PlanRow:
    """One row of the file and what committing would do with it."""

    line: int
    code: str
    name: str
    action: str = NEW
    changes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[PlanRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.action for row in self.rows)
        return {action: counted.get(action, 0) for action in (NEW, UPDATED, UNCHANGED)}

    @property
    def problem_lines(self) -> int:
        return len({p.line for p in self.problems})

    def add(self, line: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(line=line, column=column, message=message))

    def finish(self) -> "ImportPlan":
        """Problems in the order of the file; a file with only a header is one."""
        if not self.rows and not self.problems:
            self.add(1, "", _("The file has no rows below the header."))
        self.problems.sort(key=lambda p: p.line)
        return self


def cell_restore(value: str) -> str:
    """A cell as it was before an export neutralised it: our exports prefix an
    apostrophe to text a spreadsheet would run as a formula, and re-importing an
    export must not add that apostrophe to the name."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Each choice's code, English label and Indonesian label, lower-cased, to its code."""
    lookup: dict[str, str] = {}
    for language in ("en", "id"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).strip().lower()] = str(value)
    for value in choices.values:
        lookup[str(value).lower()] = str(value)
    return lookup


def choice_parse(raw: str, lookup: dict[str, str]) -> str | None:
    return lookup.get(" ".join(raw.split()).lower())


def choice_codes(choices: type[models.TextChoices]) -> str:
    return ", ".join(str(value) for value in choices.values)


def flag_parse(raw: str) -> bool | None:
    word = " ".join(raw.split()).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def flag_text(value: bool) -> str:
    return "yes" if value else "no"


def flag_problem() -> str:
    return _("Write yes or no (or leave the cell empty to keep it as it is).")


def duplicates_mark(plan: ImportPlan, lines: Iterable[tuple[int, str]]) -> set[int]:
    """Report a code seen earlier in the same file; returns the lines that repeat one."""
    first: dict[str, int] = {}
    repeated: set[int] = set()
    for line, code in lines:
        if not code:
            continue
        if code in first:
            plan.add(
                line,
                "code",
                _("The code %(code)s appears again in this file (first on row %(first)d).")
                % {"code": code, "first": first[code]},
            )
            repeated.add(line)
        else:
            first[code] = line
    return repeated
