"""Dependencies shared by the routers: the data store, the settings, and the signed-in user."""

from typing import Annotated, Iterator

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from .config import Settings, get_settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/users/login")


class Store:
    """An in-memory stand-in for the database, good enough for the demo."""

    def __init__(self) -> None:
        self.users: dict[int, dict[str, object]] = {}
        self.items: dict[int, dict[str, object]] = {}
        self.orders: dict[int, dict[str, object]] = {}
        self.tokens: dict[str, int] = {}

    def next_id(self, table: dict[int, dict[str, object]]) -> int:
        return max(table, default=0) + 1


_store = Store()


def get_store() -> Iterator[Store]:
    yield _store


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_current_user(store: StoreDep, token: str = Depends(oauth2_scheme)) -> dict[str, object]:
    user_id = store.tokens.get(token)
    if user_id is None:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Not signed in")
    return store.users[user_id]


CurrentUser = Annotated[dict[str, object], Depends(get_current_user)]
