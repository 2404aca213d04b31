from fastapi import APIRouter

router = APIRouter(prefix="/catalog")


@router.get("/products/{sku}")
async def product(sku: str) -> dict[str, str]:
    return {"sku": sku}
