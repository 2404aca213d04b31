from typing import Annotated

from fastapi import Depends, Header


def get_db() -> dict[str, str]:
    return {}


async def get_current_user(authorization: str = Header()) -> str:
    return authorization


CurrentUser = Annotated[str, Depends(get_current_user)]
