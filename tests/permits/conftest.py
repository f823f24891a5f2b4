"""Fixtures of the permit tests: a regency using the module with Sragen's
catalogue loaded, and file storage in a temporary folder."""

from typing import Any

import pytest

from tests.permits.support import catalogue_ready


@pytest.fixture
def lebak(regencies: dict[str, Any], media_root: Any) -> Any:
    catalogue_ready("lebak")
    return regencies["lebak"]


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
