"""Bearer tokens for experts, supervisors, staff and admins."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from routing import auth, login_limits
from routing.api.dependencies import Backend, DatabaseSession
from routing.api.schemas import TokenRequest, TokenResponse

TAG = {"name": "auth", "description": "Log in with a username and password; get a bearer token."}
router = APIRouter(prefix="/api/v1/auth", tags=[TAG["name"]])


@router.post("/token", response_model=TokenResponse)
def token(body: TokenRequest, request: Request, db: DatabaseSession, backend: Backend) -> TokenResponse:
    """Limited with the console's logins (routing/login_limits.py): one budget of guesses.
    The limiter commits each attempt before checking the password, so parallel guesses
    count; the token itself is committed once, with the request."""
    settings = backend.settings
    result = login_limits.attempt_login(db, body.username, body.password,
                                        request.client.host if request.client else None, settings)
    if result.locked:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            f"too many failed logins; try again in {settings.login_window_minutes} minutes",
                            headers={"Retry-After": str(settings.login_window_minutes * 60)})
    if result.user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong username or password")
    return TokenResponse(access_token=auth.issue_token(db, result.user, settings.token_hours))
