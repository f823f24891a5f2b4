"""Every Celery task of the project carries the schema it was queued in (the
tenant-aware task class of config/celery.py), or is listed here as public with a
reason. A task added tomorrow without its schema fails the first test."""

import inspect
from typing import Any

import pytest
from celery import Celery
from django_tenants.utils import schema_context
from tenant_schemas_celery.task import TenantTask

from config.celery import app

# The areas whose tasks the brief names, and the platform's own around them.
OWNED = ("modules.", "staff.", "organisation.", "billing.", "support.")
PLATFORM = ("accounts.", "core.", "tenants.", "console.")

# Task name -> why it may run without a regency's schema. Empty today: even the
# fan-outs and platform-wide jobs (invoice runs, dunning, SLA sweep) are tenant
# tasks queued from the public schema, so they run there, and what they queue
# for a regency runs in that regency.
PUBLIC_TASKS: dict[str, str] = {}


def project_tasks(prefixes: tuple[str, ...]) -> dict[str, Any]:
    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    return {
        name: task
        for name, task in sorted(app.tasks.items())
        if (task.__module__ or "").startswith(prefixes)
    }


OWNED_TASKS = project_tasks(OWNED)
ALL_TASKS = project_tasks(OWNED + PLATFORM)


def test_the_registry_holds_the_tasks_of_the_owned_areas():
    areas = {name.split(".")[0] for name in OWNED_TASKS}
    # organisation/ has no task today; the others do.
    assert {"modules", "staff", "billing", "support"} <= areas


@pytest.mark.parametrize("name", sorted(ALL_TASKS))
def test_each_task_carries_its_schema_or_is_listed_public(name: str):
    task = ALL_TASKS[name]
    if name in PUBLIC_TASKS:
        assert PUBLIC_TASKS[name].strip(), "a public task needs its reason"
        return
    assert isinstance(task, TenantTask), (
        f"{name} is not tenant-aware: define it with @shared_task (the app's TenantTask) "
        "or list it in PUBLIC_TASKS with a reason"
    )


def test_public_tasks_list_only_existing_tasks():
    assert set(PUBLIC_TASKS) <= set(ALL_TASKS)


def _dummy_arguments(task: Any) -> tuple[list[Any], dict[str, Any]]:
    """Arguments that satisfy the task's signature (Celery checks it on queueing)."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(task.run).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = 0
        elif parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            args.append(0)
    return args, kwargs


@pytest.mark.parametrize("name", sorted(set(ALL_TASKS) - set(PUBLIC_TASKS)))
def test_a_task_queued_in_dumai_is_sent_with_dumais_schema(
    name: str, db: None, monkeypatch: pytest.MonkeyPatch
):
    """What the class promises, on the wire: the message's headers name the schema
    the task was queued in (nothing reaches a broker: sending is captured)."""
    sent: list[dict[str, Any]] = []

    def capture(self: Celery, task_name: str, *args: Any, **options: Any) -> None:
        sent.append({"name": task_name, **options})

    monkeypatch.setattr(Celery, "send_task", capture)
    args, kwargs = _dummy_arguments(ALL_TASKS[name])
    with schema_context("dumai"):
        ALL_TASKS[name].apply_async(args=args, kwargs=kwargs)
    assert [message["name"] for message in sent] == [name]
    assert sent[0]["headers"]["_schema_name"] == "dumai"
