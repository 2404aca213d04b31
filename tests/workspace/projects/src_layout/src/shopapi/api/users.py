from fastapi import APIRouter, Depends, status

from .deps import CurrentUser, get_db
from ..schemas import UserOut

router = APIRouter()


@router.get("/", response_model=list[UserOut])
def list_users(db: dict[str, str] = Depends(get_db)) -> list[dict[str, str]]:
    return []


@router.get("/{user_id}")
async def read_user(user_id: int, user: CurrentUser) -> UserOut:
    return UserOut(id=user_id, name=user)


@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_user(user: CurrentUser) -> UserOut:
    return UserOut(id=1, name=user)
