from fastapi import FastAPI

panel = FastAPI()


@panel.get("/stats")
def stats() -> dict[str, int]:
    return {}
