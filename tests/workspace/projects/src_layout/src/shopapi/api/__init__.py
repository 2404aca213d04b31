from fastapi import APIRouter

from .items import admin_router, router as items_router
from .users import router as users_router

api_router = APIRouter()
api_router.include_router(users_router, prefix="/users", tags=["users"])
api_router.include_router(items_router)
api_router.include_router(admin_router, prefix="/admin")
