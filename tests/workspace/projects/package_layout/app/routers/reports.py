import functools

from fastapi import APIRouter

router = APIRouter(prefix="/reports")


def cached(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


@router.api_route("/daily", methods=["GET", "POST"])
@cached
def daily_report() -> dict[str, str]:
    return {}


def export_report() -> bytes:
    return b""


router.add_api_route("/export", export_report, methods=["GET"])


@router.websocket("/live")
async def live_reports(websocket) -> None:
    await websocket.accept()
