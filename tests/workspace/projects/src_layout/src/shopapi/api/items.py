from fastapi import APIRouter, Depends

from .deps import get_current_user

router = APIRouter(prefix="/items", tags=["items"])
admin_router = APIRouter(tags=["admin"], dependencies=[Depends(get_current_user)])


@router.get("/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


@admin_router.delete("/items/{item_id}", status_code=204)
async def delete_item(item_id: int) -> None:
    return None
