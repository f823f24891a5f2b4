"""Benchmarks talk to the database outside the per-test transaction: a request
handler closes a connection found inside a transaction it did not open, and a
production request never runs inside one either."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

from core.db import tenant_connection


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_keepdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """The test database, seeded like the suite's (tests/conftest.py).

    pytest-django creates only the databases that collected tests ask for through
    `db`, `transactional_db` or the `django_db` mark, and benchmarks use none of
    them; without this override they would run against the development database."""
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            keepdb=django_db_keepdb,
            aliases={"default": {}},
            serialized_aliases=set(),  # nothing rolls back to a serialized copy here
        )
        call_command("seed_demo", verbosity=0)
        tenant_connection().set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=verbosity, keepdb=django_db_keepdb)


@pytest.fixture
def bench_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Database access in autocommit mode on one persistent connection (no
    expiry during the run, so no round pays for reconnecting)."""
    assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["CONN_MAX_AGE"] = max_age
