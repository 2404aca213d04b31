from ..routing import VersionedRouter

router = VersionedRouter(1, prefix="/orders", tags=["orders"])
lines = VersionedRouter(1, prefix="/{order_id}/lines")


@router.get("/")
@router.head("/")
def list_orders() -> list[str]:
    return []


@lines.get("/{line_id}")
def read_line(order_id: int, line_id: int) -> dict[str, int]:
    return {"order": order_id, "line": line_id}


router.include_router(lines)
