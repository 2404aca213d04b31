"""The VALID and INVALID cases of FAP503 joinedload-without-unique, kept apart from the rule for size."""

from __future__ import annotations

from ..engine.rule import Invalid, Valid

_M = ("from sqlalchemy import ForeignKey, select\n"
      "from sqlalchemy.orm import DeclarativeBase, Mapped, joinedload, mapped_column, relationship\n"
      "class Base(DeclarativeBase):\n    pass\n"
      "class User(Base):\n    __tablename__ = 'users'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
      "    items: Mapped[list['Item']] = relationship(back_populates='owner')\n"
      "class Item(Base):\n    __tablename__ = 'items'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
      "    owner_id: Mapped[int] = mapped_column(ForeignKey('users.id'))\n"
      "    owner: Mapped[User] = relationship(back_populates='items')\n")
_MODELS = {"app/models.py": _M}
_I = "from sqlalchemy import select\nfrom sqlalchemy.orm import joinedload\nfrom app.models import Item, User\n"
_STMT = "    stmt = select(User).options(joinedload(User.items))\n"
_DEF = "def users(session):\n" + _STMT
_LEGACY = ("from sqlalchemy import select\nfrom sqlalchemy.orm import joinedload, relationship\n"
           "from app.db import Base\n")
_ADEF = "async def users(session):\n" + _STMT

VALID_CASES = (
    Valid(_I + _DEF + "    return session.execute(stmt).unique().scalars().all()\n", files=_MODELS),
    Valid(_I + _DEF + "    return session.scalars(stmt).unique().all()\n", files=_MODELS),
    Valid(_I + _ADEF + "    result = await session.execute(stmt)\n    result.unique()\n"
          "    return result.scalars().all()\n", files=_MODELS),
    Valid(_I + "def items(session):\n    stmt = select(Item).options(joinedload(Item.owner))\n"
          "    return session.scalars(stmt).all()\n", files=_MODELS),
    Valid(_I + "def users(session):\n    return session.query(User).options(joinedload(User.items)).all()\n",
          files=_MODELS),
    Valid(_I + _DEF + "    first = session.execute(stmt).scalars().first()\n"
          "    return first, session.scalar(stmt)\n", files=_MODELS),
    Valid(_I.replace("joinedload", "selectinload") + "def users(session):\n"
          "    return session.scalars(select(User).options(selectinload(User.items))).all()\n", files=_MODELS),
    Valid("from sqlalchemy import select\nfrom app.loaders import joinedload\nfrom app.models import User\n"
          "def users(session):\n    return session.scalars(select(User).options(joinedload(User.items))).all()\n",
          files=_MODELS),
    Valid(_I + "def users(session, stmt):\n    return session.scalars(stmt).all()\n", files=_MODELS),
    Valid(_I + _DEF + "    return stmt\n", files=_MODELS),
    Valid("from sqlalchemy import Column, Integer, select\n"
          "from sqlalchemy.orm import declarative_base, joinedload, relationship\nBase = declarative_base()\n"
          "class User(Base):\n    __tablename__ = 'users'\n"
          "    id = Column(Integer, primary_key=True)\n    items = relationship('Item')\n"
          "def users(session):\n    return session.scalars(select(User).options(joinedload(User.items))).all()\n"),
    Valid(_M + "def users(session):\n    rows = session.execute(select(User).options(joinedload(User.items)))\n"
          "    rows = rows.unique()\n    return [row.User for row in rows]\n"),
)
INVALID_CASES = (
    Invalid(
        _I + _ADEF + "    return (await session.execute(stmt)).scalars().all()\n",
        _I + _ADEF + "    return (await session.execute(stmt)).unique().scalars().all()\n", files=_MODELS),
    Invalid(
        _I + _DEF + "    result = session.execute(stmt)\n    found = result.scalars()\n    return found.all()\n",
        _I + _DEF + "    result = session.execute(stmt)\n    found = result.unique().scalars()\n"
        "    return found.all()\n",
        files=_MODELS),
    Invalid(
        _M + "def users(session):\n"
        "    return session.scalars(select(User).options(joinedload(User.items))).all()\n",
        _M + "def users(session):\n"
        "    return session.scalars(select(User).options(joinedload(User.items))).unique().all()\n"),
    Invalid(
        "from sqlalchemy.orm import joinedload\nfrom sqlmodel import Session, select\nfrom app.models import Team\n"
        "def teams(session: Session):\n"
        "    return session.exec(select(Team).options(joinedload(Team.heroes))).all()\n",
        "from sqlalchemy.orm import joinedload\nfrom sqlmodel import Session, select\nfrom app.models import Team\n"
        "def teams(session: Session):\n"
        "    return session.exec(select(Team).options(joinedload(Team.heroes))).unique().all()\n",
        files={"app/models.py": "from sqlmodel import Field, Relationship, SQLModel\n"
               "class Team(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
               "    heroes: list['Hero'] = Relationship(back_populates='team')\n"}),
    Invalid(
        _I + _DEF + "    return session.execute(stmt.where(User.id == 1)).scalar_one()\n",
        _I + _DEF + "    return session.execute(stmt.where(User.id == 1)).unique().scalar_one()\n", files=_MODELS),
    Invalid(
        _I + _DEF + "    for user in session.scalars(stmt):\n        print(user)\n",
        _I + _DEF + "    for user in session.scalars(stmt).unique():\n        print(user)\n", files=_MODELS),
    Invalid(
        _I + _ADEF + "    return [u.id for u in await session.scalars(stmt)]\n",
        _I + _ADEF + "    return [u.id for u in (await session.scalars(stmt)).unique()]\n", files=_MODELS),
    Invalid(
        _I + "def items(session):\n    stmt = select(Item).options(joinedload(Item.owner).joinedload(User.items))\n"
        "    return list(session.scalars(stmt))\n",
        _I + "def items(session):\n    stmt = select(Item).options(joinedload(Item.owner).joinedload(User.items))\n"
        "    return list(session.scalars(stmt).unique())\n", files=_MODELS),
    Invalid(
        "import sqlalchemy as sa\nfrom sqlalchemy import orm\nfrom app import models\ndef users(session):\n"
        "    query = sa.select(models.User).options(orm.joinedload(models.User.items))\n"
        "    return session.execute(query).fetchall()\n",
        "import sqlalchemy as sa\nfrom sqlalchemy import orm\nfrom app import models\ndef users(session):\n"
        "    query = sa.select(models.User).options(orm.joinedload(models.User.items))\n"
        "    return session.execute(query).unique().fetchall()\n", files=_MODELS),
    Invalid(
        _LEGACY + "class User(Base):\n    __tablename__ = 'users'\n    items = relationship('Item', uselist=True)\n"
        + _ADEF + "    result = await session.stream(stmt)\n    return await result.all()\n",
        _LEGACY + "class User(Base):\n    __tablename__ = 'users'\n    items = relationship('Item', uselist=True)\n"
        + _ADEF + "    result = await session.stream(stmt)\n    return await result.unique().all()\n"),
    Invalid(
        _I + _ADEF + "    users = (\n        (await session.execute(stmt))\n        .scalars()\n"
        "        .all()\n    )\n"
        "    return users\n",
        _I + _ADEF + "    users = (\n        (await session.execute(stmt))\n        .unique().scalars()\n"
        "        .all()\n    )\n    return users\n", files=_MODELS),
    Invalid(
        _I + _DEF + "    result = session.execute(stmt)\n    if result:\n        return result.all()\n"
        "    return result.scalars().one()\n",
        _I + _DEF + "    result = session.execute(stmt)\n    if result:\n        return result.unique().all()\n"
        "    return result.unique().scalars().one()\n", files=_MODELS, count=2),
)
