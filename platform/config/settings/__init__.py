"""Sukowati settings: one base file plus one file per integration, all env-driven.

The order is meaningful (base first), so import sorting is off here."""
# isort: skip_file

from .base import *  # noqa: F403
from .tenancy import *  # noqa: F403
from .database import *  # noqa: F403
from .auth import *  # noqa: F403
from .cache import *  # noqa: F403
from .celery import *  # noqa: F403
from .storage import *  # noqa: F403
from .email import *  # noqa: F403
from .stripe import *  # noqa: F403
