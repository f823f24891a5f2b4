"""What the organisation's spreadsheet imports share: the plan a dry run shows
(every row's fate and every problem with its row and column), the reading of
cells people type by hand (codes, names, kinds by code or label, yes/no), and the
commit: all or nothing, audited."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from core.tabular import FORMULA_PREFIXES, Table
from organisation.services.common import (
    Actor,
    org_code_normalise,
    org_code_problem,
    organisation_audit,
)

NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
NAME_MAX = 200

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


def coded_lines(
    plan: ImportPlan, table: Table
) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str]], set[int]]:
    """The file's rows with exported cells restored, each row's code normalised,
    and the lines that repeat a code seen earlier (reported on `plan`)."""
    lines = [
        (line, {column: cell_restore(value) for column, value in cells.items()})
        for line, cells in table.rows
    ]
    codes = [(line, org_code_normalise(cells.get("code", ""))) for line, cells in lines]
    return lines, codes, duplicates_mark(plan, codes)


def code_name_check(plan: ImportPlan, line: int, *, code: str, name: str) -> None:
    problem = org_code_problem(code)
    if problem:
        plan.add(line, "code", problem)
    if not name:
        plan.add(line, "name", _("Enter a name."))
    elif len(name) > NAME_MAX:
        plan.add(line, "name", _("The name is longer than %(max)d characters.") % {"max": NAME_MAX})


def kind_cell(
    plan: ImportPlan,
    line: int,
    cells: dict[str, str],
    *,
    choices: type[models.TextChoices],
    lookup: dict[str, str],
    keep: str,
    not_a_kind: str,
) -> str | None:
    """The row's kind; `keep` when the cell is empty. `not_a_kind` is the message
    (with %(value)s and %(codes)s) for a word that is none of `choices`."""
    kind_raw = cells.get("kind", "").strip()
    if not kind_raw:
        return keep
    kind = choice_parse(kind_raw, lookup)
    if kind is None:
        plan.add(line, "kind", not_a_kind % {"value": kind_raw, "codes": choice_codes(choices)})
    return kind


def active_cell(plan: ImportPlan, line: int, cells: dict[str, str], *, keep: bool) -> bool | None:
    """The row's yes/no `active`; `keep` when the cell is empty."""
    active_raw = cells.get("active", "").strip()
    if not active_raw:
        return keep
    active = flag_parse(active_raw)
    if active is None:
        plan.add(line, "active", flag_problem())
    return active


def plan_row_decide(row: PlanRow, before: dict[str, object] | None) -> None:
    """NEW when nothing has the row's code yet (`before` is None), else UPDATED
    with the columns whose value in the file (`name` and `values`) differs from
    `before`, or UNCHANGED."""
    if before is None:
        row.action = NEW
        return
    after = {"name": row.name, **row.values}
    row.changes = [column for column in before if before[column] != after[column]]
    row.action = UPDATED if row.changes else UNCHANGED


def import_commit(
    table: Table,
    *,
    check: Callable[..., ImportPlan],
    write: Callable[[ImportPlan], None],
    action: str,
    actor: Actor,
    filename: str,
    region_code: str,
    request: HttpRequest | None = None,
) -> ImportPlan:
    """Check the file again (`check`) and `write` it all, or nothing: ImportRefused
    when a row has a problem now. The audit row has the counts and the codes written."""
    with transaction.atomic():
        plan = check(table, region_code=region_code)
        if not plan.ok:
            raise ImportRefused(plan)
        write(plan)
        organisation_audit(
            action=action,
            actor=actor,
            target=filename,
            detail={
                **plan.counts,
                "created_codes": [r.code for r in plan.rows if r.action == NEW][:500],
                "updated_codes": [r.code for r in plan.rows if r.action == UPDATED][:500],
            },
            request=request,
        )
    return plan
