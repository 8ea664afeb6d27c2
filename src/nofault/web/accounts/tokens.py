"""API token authentication that honours a token's optional expiry."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from nofault.web.accounts.models import TokenExpiry


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication; a token past its expiry is refused (401) with the reason."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        expiry = TokenExpiry.objects.filter(token_id=token.key).values_list("expires_at", flat=True)
        expires_at = expiry.first()
        if expires_at is not None and expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "This API token has expired: replace it on your profile page."
            )
        return user, token
