"""What the API's endpoints share: the backend's services, the database session, who is
calling (an expert's token or the action server's), and pagination.

One session and one commit per request. The session is a dependency with the
"function" scope: FastAPI ends it after the endpoint has returned and its response
model has been serialised, but before the response is sent. So the commit happens
exactly once, before she or a colleague can see the answer; a second request sent the
moment the first returns reads what it wrote; and when the endpoint, the serialisation
or the commit fails, everything the request wrote is rolled back. Endpoints never
commit themselves. (With the default "request" scope, FastAPI would commit only after
sending the response.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Iterator, Optional

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from routing import auth
from routing.api.pagination import PageRequest, page_request
from routing.models import User
from routing.settings import Settings

bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Services:
    """Built once by `create_app` and kept in `app.state.services`."""

    settings: Settings
    session_factory: sessionmaker
    relay: Any  # RasaRelay, or a stand-in in tests


async def services(request: Request) -> Services:
    """`async`, as every dependency that neither waits nor computes much: FastAPI runs a plain
    `def` dependency on a worker thread, a hop that cost more than the lookup."""
    return request.app.state.services


def database_session(backend: Annotated[Services, Depends(services)]) -> Iterator[Session]:
    """See the module's docstring: commit once, after the endpoint, before the response."""
    with backend.session_factory() as db:
        try:
            yield db
        except Exception:
            db.rollback()
            raise
        try:
            db.commit()
        except Exception:
            db.rollback()
            raise


DatabaseSession = Annotated[Session, Depends(database_session, scope="function")]
Credentials = Annotated[Optional[HTTPAuthorizationCredentials], Depends(bearer)]


def token_of(credentials: Optional[HTTPAuthorizationCredentials]) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    return credentials.credentials


def current_user(credentials: Credentials, db: DatabaseSession) -> User:
    user = auth.user_for_token(db, token_of(credentials))
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or expired token",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


async def service_caller(credentials: Credentials, backend: Annotated[Services, Depends(services)]) -> None:
    """The action server's calls. Without a usable ROUTING_SERVICE_TOKEN (demo mode) there are none."""
    if not backend.settings.service_token_usable:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "service calls are refused: ROUTING_SERVICE_TOKEN is not set to a real secret")
    if not auth.is_service_token(token_of(credentials), backend.settings.service_token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not the service token")


CurrentUser = Annotated[User, Depends(current_user)]
Backend = Annotated[Services, Depends(services)]
ServiceCaller = Depends(service_caller)  # for `dependencies=[...]`: it returns nothing
Pagination = Annotated[PageRequest, Depends(page_request)]
