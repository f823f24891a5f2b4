from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from accounts.invitations import invitation_refused
from accounts.models import User


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts come from provisioning and invitations, never from public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_password_reset_mail(
        self, user: AbstractBaseUser, email: str, context: dict[str, Any]
    ) -> None:
        # Someone whose invitation was revoked must not get in through "forgot
        # password" either. Nothing tells the visitor (the form's answer is the
        # same for every address), and the link would be refused anyway.
        if isinstance(user, User) and invitation_refused(user):
            return
        super().send_password_reset_mail(user, email, context)
