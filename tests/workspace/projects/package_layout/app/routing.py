"""A router class of the project's own, used by modules that never import fastapi."""

from fastapi import APIRouter

API_PREFIX = "/api"


class VersionedRouter(APIRouter):
    def __init__(self, version: int, **options: object) -> None:
        super().__init__(**options)
        self.version = version
