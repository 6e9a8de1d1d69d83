"""Bearer-token authentication for the API's write endpoints."""

from ninja.security import HttpBearer

from sti.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def optional_user(request):
    """For read endpoints: the token's user when a valid one is sent, else the session user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is not None:
            return user
    return request.user
