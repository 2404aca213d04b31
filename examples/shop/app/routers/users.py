"""Sign-up, sign-in and user lookups."""

import secrets

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from ..deps import CurrentUser, Store, StoreDep, get_store
from ..schemas import Token, UserCreate, UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.post("/login")
def login(store: StoreDep, form: OAuth2PasswordRequestForm = Depends()) -> Token:
    for user_id, user in store.users.items():
        if user["email"] == form.username and user["password"] == form.password:
            token = secrets.token_urlsafe(32)
            store.tokens[token] = user_id
            return Token(access_token=token)
    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Wrong email or password")


@router.post("/", response_model=UserPublic)
def create_user(payload: UserCreate, store: StoreDep) -> dict[str, object]:
    user_id = store.next_id(store.users)
    store.users[user_id] = {"id": user_id, **payload.model_dump()}
    return store.users[user_id]


@router.get("/")
def list_users(store: Store = Depends(get_store())) -> list[UserPublic]:
    return [UserPublic.model_validate(user) for user in store.users.values()]


@router.get("me")
def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/{user_id}")
def read_user(id: int, store: StoreDep) -> UserPublic:
    if id not in store.users:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return UserPublic.model_validate(store.users[id])


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int, store: StoreDep, user: CurrentUser) -> None:
    if user["id"] != user_id:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="You can only delete yourself")
    store.users.pop(user_id, None)
