from fastapi import FastAPI

from services.catalog.api import router as catalog_router

app = FastAPI()
app.include_router(catalog_router, prefix="/v2")
