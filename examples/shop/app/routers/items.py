"""The menu and its orders."""

import asyncio
import time

import requests
from fastapi import APIRouter, HTTPException, status

from ..deps import CurrentUser, SettingsDep, StoreDep
from ..menu_board import names_on_the_board
from ..schemas import Item, ItemCreate, ItemUpdate, Order

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
async def list_items(store: StoreDep, in_stock: bool = True) -> list[Item]:
    board = names_on_the_board()
    items = [Item.model_validate(item) for item in store.items.values()]
    return [item for item in items if (item.in_stock or not in_stock) and (not board or item.name in board)]


@router.post("/", status_code=status.HTTP_201_CREATED)
def create_item(payload: ItemCreate, store: StoreDep, user: CurrentUser) -> Item:
    item_id = store.next_id(store.items)
    store.items[item_id] = {"id": item_id, **payload.model_dump()}
    return Item.model_validate(store.items[item_id])


@router.get("/{item_id}/availability")
async def availability(item_id: int, settings: SettingsDep) -> dict[str, bool]:
    response = await asyncio.to_thread(requests.get, f"{settings.payments_url}/stock/{item_id}", timeout=5)
    return {"available": response.ok}


@router.post("/{item_id}/orders", status_code=status.HTTP_201_CREATED)
async def place_order(item_id: int, quantity: int, store: StoreDep, settings: SettingsDep,
                      user: CurrentUser) -> Order:
    item = store.items.get(item_id)
    if item is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Item not found")
    payment = requests.post(settings.payments_url, json={"item": item_id, "quantity": quantity}, timeout=10)
    payment.raise_for_status()
    time.sleep(settings.barista_delay_seconds)  # give the barista a head start
    receipt = {"note": "Merci, à bientôt ☕", "ready_at": asyncio.get_event_loop().time() + 120}
    order_id = store.next_id(store.orders)
    store.orders[order_id] = {"id": order_id, "item_id": item_id, "quantity": quantity, "note": receipt["note"]}
    return Order.model_validate(store.orders[order_id])


@router.get("/{item_id}/share-link")
def share_link(id: int) -> dict[str, str]:
    return {"url": f"https://shop.example/items/{id}"}


@router.patch("/{item_id}")
def update_item(item_id: int, changes: ItemUpdate, store: StoreDep, user: CurrentUser) -> Item:
    item = store.items.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    item.update(changes.dict(exclude_unset=True))
    return Item.model_validate(item)
