"""Stripe. Billing works fully offline without a key; Stripe sync is then reported as off."""

from config.env import env_int, env_str

STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# Seconds a signed webhook stays acceptable (Stripe's own default): older ones are replays.
STRIPE_WEBHOOK_TOLERANCE = env_int("STRIPE_WEBHOOK_TOLERANCE", default=300, minimum=1)
STRIPE_API_BASE = env_str("STRIPE_API_BASE")  # a local test double in tests
STRIPE_ENABLED = STRIPE_SECRET_KEY is not None
