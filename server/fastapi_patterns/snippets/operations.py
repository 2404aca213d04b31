"""Snippet bodies for path operations: the whole `fastapi-router` module and the one-operation fragments.

The fragments expect what a router module already has: the imports (`Annotated`, `APIRouter`, `Depends`,
`HTTPException`, `status`, `AsyncSession`), a `router`, a `get_db` dependency, the ORM model and its
`Create`/`Update`/`Response` schemas. Every operation is typed, documents the 404 it raises, checks for a missing
row before using it, and uses status constants.
"""

ROUTER = '''\
"""${1:Item} endpoints: list, read, create, update and delete."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ${3:app}.database import get_db
from ${3:app}.models import ${1:Item}
from ${3:app}.schemas import ${1:Item}Create, ${1:Item}Response, ${1:Item}Update

router = APIRouter(prefix="/${2:items}", tags=["${2:items}"])

DbSession = Annotated[AsyncSession, Depends(get_db)]


@router.get("/")
async def list_${2:items}(
    db: DbSession,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[${1:Item}Response]:
    """List ${2:items}, one page at a time."""
    rows = await db.scalars(select(${1:Item}).offset(offset).limit(limit))
    return [${1:Item}Response.model_validate(row) for row in rows]


@router.get(
    "/{${4:item}_id}",
    responses={status.HTTP_404_NOT_FOUND: {"description": "${1:Item} not found"}},
)
async def get_${4:item}(${4:item}_id: int, db: DbSession) -> ${1:Item}Response:
    """Return one ${4:item} by id."""
    ${4:item} = await db.get(${1:Item}, ${4:item}_id)
    if ${4:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${1:Item} not found"
        )
    return ${1:Item}Response.model_validate(${4:item})


@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_${4:item}(payload: ${1:Item}Create, db: DbSession) -> ${1:Item}Response:
    """Create a new ${4:item}."""
    ${4:item} = ${1:Item}(**payload.model_dump())
    db.add(${4:item})
    await db.commit()
    await db.refresh(${4:item})
    return ${1:Item}Response.model_validate(${4:item})


@router.patch(
    "/{${4:item}_id}",
    responses={status.HTTP_404_NOT_FOUND: {"description": "${1:Item} not found"}},
)
async def update_${4:item}(${4:item}_id: int, payload: ${1:Item}Update, db: DbSession) -> ${1:Item}Response:
    """Change the fields sent in the request; the others keep their values."""
    ${4:item} = await db.get(${1:Item}, ${4:item}_id)
    if ${4:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${1:Item} not found"
        )
    for field, value in payload.model_dump(exclude_unset=True).items():
        setattr(${4:item}, field, value)
    await db.commit()
    await db.refresh(${4:item})
    return ${1:Item}Response.model_validate(${4:item})


@router.delete(
    "/{${4:item}_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={status.HTTP_404_NOT_FOUND: {"description": "${1:Item} not found"}},
)
async def delete_${4:item}(${4:item}_id: int, db: DbSession) -> None:
    """Delete one ${4:item}."""
    ${4:item} = await db.get(${1:Item}, ${4:item}_id)
    if ${4:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${1:Item} not found"
        )
    await db.delete(${4:item})
    await db.commit()
$0'''

GET = '''\
@router.get(
    "/{${1:item}_id}",
    responses={status.HTTP_404_NOT_FOUND: {"description": "${2:Item} not found"}},
)
async def get_${1:item}(
    ${1:item}_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> ${2:Item}Response:
    """Return one ${1:item} by id."""
    ${1:item} = await db.get(${2:Item}, ${1:item}_id)
    if ${1:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${2:Item} not found"
        )
    return ${2:Item}Response.model_validate(${1:item})$0
'''

POST = '''\
@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_${1:item}(
    payload: ${2:Item}Create, db: Annotated[AsyncSession, Depends(get_db)]
) -> ${2:Item}Response:
    """Create a new ${1:item}."""
    ${1:item} = ${2:Item}(**payload.model_dump())
    db.add(${1:item})
    await db.commit()
    await db.refresh(${1:item})
    return ${2:Item}Response.model_validate(${1:item})$0
'''

PUT = '''\
@router.put(
    "/{${1:item}_id}",
    responses={status.HTTP_404_NOT_FOUND: {"description": "${2:Item} not found"}},
)
async def replace_${1:item}(
    ${1:item}_id: int,
    payload: ${2:Item}Create,
    db: Annotated[AsyncSession, Depends(get_db)],
) -> ${2:Item}Response:
    """Replace every field of one ${1:item}."""
    ${1:item} = await db.get(${2:Item}, ${1:item}_id)
    if ${1:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${2:Item} not found"
        )
    for field, value in payload.model_dump().items():
        setattr(${1:item}, field, value)
    await db.commit()
    await db.refresh(${1:item})
    return ${2:Item}Response.model_validate(${1:item})$0
'''

PATCH = '''\
@router.patch(
    "/{${1:item}_id}",
    responses={status.HTTP_404_NOT_FOUND: {"description": "${2:Item} not found"}},
)
async def update_${1:item}(
    ${1:item}_id: int,
    payload: ${2:Item}Update,
    db: Annotated[AsyncSession, Depends(get_db)],
) -> ${2:Item}Response:
    """Change the fields sent in the request; the others keep their values."""
    ${1:item} = await db.get(${2:Item}, ${1:item}_id)
    if ${1:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${2:Item} not found"
        )
    for field, value in payload.model_dump(exclude_unset=True).items():
        setattr(${1:item}, field, value)
    await db.commit()
    await db.refresh(${1:item})
    return ${2:Item}Response.model_validate(${1:item})$0
'''

DELETE = '''\
@router.delete(
    "/{${1:item}_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={status.HTTP_404_NOT_FOUND: {"description": "${2:Item} not found"}},
)
async def delete_${1:item}(
    ${1:item}_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> None:
    """Delete one ${1:item}."""
    ${1:item} = await db.get(${2:Item}, ${1:item}_id)
    if ${1:item} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="${2:Item} not found"
        )
    await db.delete(${1:item})
    await db.commit()$0
'''
