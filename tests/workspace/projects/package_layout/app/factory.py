from fastapi import FastAPI

from .admin.panel import panel
from .routers import health_router, orders, reports
from .routing import API_PREFIX


def register_routers(target: FastAPI) -> None:
    target.include_router(orders.router, prefix=API_PREFIX)
    target.include_router(reports.router, prefix=API_PREFIX)


def build() -> FastAPI:
    app = FastAPI()
    register_routers(app)
    app.include_router(health_router)
    app.mount("/admin", panel)
    return app
