"""Settings read from the environment (prefix SHOP_), cached for the life of the process."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_", env_file=".env")

    app_name: str = "Shop API"
    debug: bool = False
    payments_url: str = "https://payments.example.com/api"
    barista_delay_seconds: float = 0.5
    jwt_secret: str = "shop-9f2c1e7a4b"
    database_url: str = "postgresql://shop:hunter22@db.internal:5432/shop"


@lru_cache
def get_settings() -> Settings:
    return Settings()
