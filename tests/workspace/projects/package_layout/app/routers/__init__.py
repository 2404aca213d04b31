from . import orders, reports
from .health import router as health_router

__all__ = ["health_router", "orders", "reports"]
