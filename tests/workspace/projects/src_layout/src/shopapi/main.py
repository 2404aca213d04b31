from fastapi import FastAPI

from shopapi.api import api_router
from shopapi.core.config import settings


def create_app() -> FastAPI:
    application = FastAPI(title=settings.PROJECT_NAME)
    application.include_router(api_router, prefix=settings.API_V1_STR)

    @application.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return application


app = create_app()
