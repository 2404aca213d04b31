"""Snippet bodies for whole modules (app, models, settings, database, authentication, tests) and the exception
handler fragment.

Module snippets carry their own imports and refer to the user's package through one placeholder (`app` by
default), so `fastapi-settings`, `fastapi-db-session`, `fastapi-current-user` and `fastapi-test` fit together.
The exception handler is a fragment for a module that already has `app`, `Request`, `status` and
`JSONResponse`.
"""

APP = '''\
"""${1:My API}: the application, its lifespan, middleware and routes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Start-up: open shared clients and pools once and keep them on app.state.
    yield
    # Shut-down: close what start-up opened.


app = FastAPI(title="${1:My API}", lifespan=lifespan)
app.add_middleware(
    CORSMiddleware,
    allow_origins=[${2:"http://localhost:3000"}],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)


@app.get("/health", tags=["health"])
def health() -> dict[str, str]:
    """Report that the service is up."""
    return {"status": "ok"}
$0'''

MODELS = '''\
"""Request and response models for ${1:Item}."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ${1:Item}Base(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = None


class ${1:Item}Create(${1:Item}Base):
    """What a client sends to create ${2:an item}."""


class ${1:Item}Update(BaseModel):
    """A partial update: every field is optional and only the fields sent change."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = None


class ${1:Item}Response(${1:Item}Base):
    """What the API returns, read straight from the ORM object."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
$0'''

SETTINGS = '''\
"""Settings from the environment and `.env`, built once by `get_settings`."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "${1:My API}"
    database_url: str = "${2:sqlite+aiosqlite:///./app.db}"
    secret_key: str
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = 30
    cors_origins: list[str] = ["http://localhost:3000"]


@lru_cache
def get_settings() -> Settings:
    """Build the settings on first use and return the same object afterwards."""
    return Settings()
$0'''

DB_SESSION = '''\
"""Database access: one async engine per process, one session per request (`get_db`)."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from ${1:app}.config import get_settings

engine = create_async_engine(get_settings().database_url, pool_pre_ping=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    """Base class of the ORM models."""


async def get_db() -> AsyncIterator[AsyncSession]:
    """Yield one session per request and close it afterwards, even after an error."""
    async with SessionLocal() as session:
        yield session
$0'''

CURRENT_USER = '''\
"""Authentication: the user named by the request's bearer token (a signed JWT)."""

from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from ${1:app}.config import Settings, get_settings
from ${1:app}.database import get_db
from ${1:app}.models import ${2:User}

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="${3:/auth/token}")


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)],
    settings: Annotated[Settings, Depends(get_settings)],
    db: Annotated[AsyncSession, Depends(get_db)],
) -> ${2:User}:
    """Decode the token and load its user; any failure is a 401 asking for a token."""
    credentials_error = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        payload = jwt.decode(
            token, settings.secret_key, algorithms=[settings.jwt_algorithm]
        )
    except jwt.InvalidTokenError:
        raise credentials_error from None
    subject = payload.get("sub")
    if not isinstance(subject, str) or not subject.isdigit():
        raise credentials_error
    user = await db.get(${2:User}, int(subject))
    if user is None:
        raise credentials_error
    return user


CurrentUser = Annotated[${2:User}, Depends(get_current_user)]
$0'''

EXCEPTION_HANDLER = '''\
class ${1:ItemNotFound}Error(Exception):
    """Raised when ${2:the requested item does not exist}."""


@app.exception_handler(${1:ItemNotFound}Error)
async def handle_${3:item_not_found}(
    request: Request, exc: ${1:ItemNotFound}Error
) -> JSONResponse:
    """Answer `${1:ItemNotFound}Error` with a JSON error instead of a 500."""
    return JSONResponse(
        status_code=status.${4:HTTP_404_NOT_FOUND}, content={"detail": str(exc)}
    )$0
'''

TEST = '''\
"""API tests through a TestClient (which runs the lifespan) and an async client."""

import secrets
from collections.abc import Iterator

import pytest
from fastapi import status
from fastapi.testclient import TestClient
from httpx import ASGITransport, AsyncClient

from ${1:app}.config import Settings, get_settings
from ${1:app}.main import app


def get_test_settings() -> Settings:
    return Settings(
        database_url="sqlite+aiosqlite:///:memory:",
        secret_key=secrets.token_urlsafe(32),
    )


@pytest.fixture(autouse=True)
def use_test_settings() -> Iterator[None]:
    """Use the test settings in every test, then restore the real dependencies."""
    app.dependency_overrides[get_settings] = get_test_settings
    yield
    app.dependency_overrides.clear()


@pytest.fixture
def anyio_backend() -> str:
    """Run the async tests on asyncio only."""
    return "asyncio"


@pytest.fixture
def client() -> Iterator[TestClient]:
    """Yield a client whose `with` block runs the app's lifespan."""
    with TestClient(app) as test_client:
        yield test_client


def test_${2:health}(client: TestClient) -> None:
    response = client.get("${3:/health}")
    assert response.status_code == status.HTTP_200_OK


@pytest.mark.anyio
async def test_${2:health}_async() -> None:
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as async_client:
        response = await async_client.get("${3:/health}")
    assert response.status_code == status.HTTP_200_OK
$0'''
