"""The VALID and INVALID cases of FAP210 unchecked-none-return, kept apart from the rule for size."""

from __future__ import annotations

from ..engine.rule import Invalid, Valid

_H = ("from fastapi import FastAPI, HTTPException, status\nfrom sqlalchemy import func, select\n"
      "from sqlalchemy.orm import Session\nfrom app.models import User\napp = FastAPI()\n")
_A = ("from fastapi import FastAPI\nfrom sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"
      "from app.models import User\napp = FastAPI()\n")
_GET = "@app.get('/users/{user_id}')\n"
_SYNC = _H + _GET + "def read(user_id: int, session: Session):\n"
_RAISE = "raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=\"User not found\")"

VALID_CASES = (
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if user is None:\n        raise HTTPException(404)\n"
          "    return user\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if not user:\n        raise HTTPException(404)\n"
          "    return user\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if user is not None:\n        return user\n"
          "    raise HTTPException(404)\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if user:\n        print(user)\n    else:\n"
          "        raise HTTPException(404)\n    return user\n"),
    Valid(_H + "from typing import Optional\n" + _GET + "def read(user_id: int, session: Session) -> Optional[User]:\n"
          "    return session.get(User, user_id)\n"),
    Valid(_H + "@app.get('/users/{user_id}', response_model=User | None)\ndef read(user_id: int, session: Session):\n"
          "    user = session.get(User, user_id)\n    return user\n"),
    Valid(_H + _GET + "def read(user_id: int, session: Session) -> 'User | None':\n"
          "    return session.get(User, user_id)\n"),
    Valid(_H + "def find(user_id: int, session: Session):\n    return session.get(User, user_id)\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    return {'user': user}\n"),
    Valid(_H + _GET + "def read(user_id: int, settings: dict):\n    return settings.get('name', 'x')\n"),
    Valid(_SYNC + "    return session.scalar(select(func.count(User.id)))\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if user is None:\n        not_found(user_id)\n"
          "    return user\n"),
    Valid(_SYNC + "    if (user := session.get(User, user_id)) is None:\n        raise HTTPException(404)\n"
          "    return user\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    assert user is not None\n    return user\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if user is None:\n        user = User(id=user_id)\n"
          "    return user\n"),
    Valid(_SYNC + "    def later():\n        return session.get(User, user_id)\n    return later\n"),
    Valid(_SYNC + "    user = session.execute(select(User)).scalar_one()\n    return user\n"),
    Valid(_SYNC + "    user = session.get(User, user_id)\n    if user is None or not user.active:\n"
          "        raise HTTPException(404)\n    return user\n"),
    Valid(_H + "from app.errors import NoMatch\n" + _GET + "async def read(user_id: int):\n    try:\n"
          "        user = await User.objects.filter(id=user_id).first()\n    except NoMatch:\n"
          "        raise HTTPException(404) from None\n    return user\n"),
    Valid(_A + _GET + "async def read(user_id: int, db: AsyncSession):\n"
          "    users = []\n    for i in range(3):\n        user = await db.get(User, i)\n        if user is None:\n"
          "            continue\n        return user\n    raise ValueError\n"),
)

INVALID_CASES = (
    Invalid(_SYNC + "    user = session.get(User, user_id)\n    return user\n",
            _SYNC + f"    user = session.get(User, user_id)\n    if user is None:\n        {_RAISE}\n    return user\n",
            unsafe=True),
    Invalid(_SYNC + "    return session.get(User, user_id)  # by id\n",
            _SYNC + f"    user = session.get(User, user_id)\n    if user is None:\n        {_RAISE}\n"
            "    return user  # by id\n", unsafe=True),
    Invalid(_A + _GET + "async def read(user_id: int, db: AsyncSession):\n"
            "    result = await db.execute(select(User).where(User.id == user_id))\n"
            "    return result.scalar_one_or_none()\n",
            "from fastapi import FastAPI, HTTPException, status\nfrom sqlalchemy import select\n"
            "from sqlalchemy.ext.asyncio import AsyncSession\nfrom app.models import User\napp = FastAPI()\n" + _GET +
            "async def read(user_id: int, db: AsyncSession):\n"
            "    result = await db.execute(select(User).where(User.id == user_id))\n"
            f"    user = result.scalar_one_or_none()\n    if user is None:\n        {_RAISE}\n    return user\n",
            unsafe=True),
    Invalid("import fastapi\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom app.models import OrderLine\n"
            "app = fastapi.FastAPI()\n@app.get('/lines/{line_id}')\nasync def read(line_id: int, db: AsyncSession):\n"
            "    return await db.get(OrderLine, line_id)\n",
            "import fastapi\nfrom fastapi import HTTPException, status\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"
            "from app.models import OrderLine\napp = fastapi.FastAPI()\n@app.get('/lines/{line_id}')\n"
            "async def read(line_id: int, db: AsyncSession):\n    order_line = await db.get(OrderLine, line_id)\n"
            "    if order_line is None:\n        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, "
            "detail=\"OrderLine not found\")\n    return order_line\n", unsafe=True),
    Invalid(_SYNC + "    user = session.get(User, user_id)\n    if user is None:\n        print('missing')\n"
            "    return user\n"),
    Invalid(_SYNC + "    user = session.get(User, user_id)\n    if user_id > 10:\n        if user is None:\n"
            "            raise HTTPException(404)\n    return user\n"),
    Invalid(_H + "from app.db import get_db\nfrom fastapi import Depends\n" + _GET +
            "def read(user_id: int, db=Depends(get_db)):\n    user = db.query(User).filter(User.id == user_id).first()\n"
            "    return user\n"),
    Invalid("from typing import Annotated\nfrom fastapi import Depends, FastAPI\nfrom sqlmodel import Session\n"
            "from app.models import Hero\nfrom app.db import get_session\napp = FastAPI()\n"
            "SessionDep = Annotated[Session, Depends(get_session)]\n@app.get('/heroes/{hero_id}')\n"
            "def read(hero_id: int, session: SessionDep):\n    return session.get(Hero, hero_id)\n"),
    Invalid(_A + _GET + "async def read(user_id: int, db: AsyncSession, stmt):\n"
            "    row = (await db.execute(stmt)).scalar_one_or_none()\n    return row\n",
            "from fastapi import FastAPI, HTTPException, status\nfrom sqlalchemy import select\n"
            "from sqlalchemy.ext.asyncio import AsyncSession\nfrom app.models import User\napp = FastAPI()\n" + _GET +
            "async def read(user_id: int, db: AsyncSession, stmt):\n"
            "    row = (await db.execute(stmt)).scalar_one_or_none()\n    if row is None:\n"
            "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=\"Resource not found\")\n"
            "    return row\n", unsafe=True),
    Invalid(_SYNC + "    user = session.get(User, user_id)\n    if user_id < 0:\n        return user\n    return user\n",
            count=2),
    Invalid(_SYNC + "    user = session.get(User, user_id)\n    if user_id: return user\n    raise HTTPException(400)\n"),
    Invalid("from fastapi import FastAPI, HTTPException\nfrom sqlalchemy.orm import Session\nfrom app.models import User\n"
            "app = FastAPI()\n" + _GET + "def read(user_id: int, session: Session, status: str):\n"
            "    return session.get(User, user_id)\n"),
    Invalid(_SYNC + "    for attempt in range(3):\n        user = session.get(User, user_id)\n    return user\n"),
    Invalid(_SYNC + "    try:\n        user = session.get(User, user_id)\n    except KeyError:\n        raise\n"
            "    return user\n"),
)
