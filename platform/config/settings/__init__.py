"""Sukowati settings: one base file plus one file per integration, all env-driven.

The order is meaningful (base first), so import sorting is off here."""
# isort: skip_file

# Production mode first: an incomplete production environment must stop start-up
# before base.py writes a secret key or database.py starts an embedded PostgreSQL.
from . import production  # noqa: F401
from .base import *  # noqa: F403
from .logging import *  # noqa: F403
from .tenancy import *  # noqa: F403
from .database import *  # noqa: F403
from .auth import *  # noqa: F403
from .cache import *  # noqa: F403
from .celery import *  # noqa: F403
from .storage import *  # noqa: F403
from .email import *  # noqa: F403
from .stripe import *  # noqa: F403
from .support import *  # noqa: F403
from .permits import *  # noqa: F403

# Last, so that production's values win over anything set above.
from .production import *  # noqa: F403
