from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts come from provisioning and invitations, never from public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
