"""The VALID and INVALID cases of FAP501 lazy-load-in-loop, kept apart from the rule for size."""

from __future__ import annotations

from ..engine.rule import Invalid, Valid

_M = ("from sqlalchemy import ForeignKey\n"
      "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n"
      "class Base(DeclarativeBase):\n    pass\n"
      "class User(Base):\n    __tablename__ = 'users'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
      "    name: Mapped[str]\n    items: Mapped[list['Item']] = relationship(back_populates='owner'{lazy})\n"
      "    roles: Mapped[list['Role']] = relationship()\n"
      "class Item(Base):\n    __tablename__ = 'items'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
      "    owner_id: Mapped[int] = mapped_column(ForeignKey('users.id'))\n"
      "    owner: Mapped[User] = relationship(back_populates='items')\n")
_MODELS = {"app/models.py": _M.format(lazy="")}
_SELECTIN = {"app/models.py": _M.format(lazy=", lazy='selectin'")}
_HEROES = {"app/models.py": (
    "from sqlmodel import Field, Relationship, SQLModel\n"
    "class Team(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
    "    heroes: list['Hero'] = Relationship(back_populates='team'{lazy})\n"
    "class Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
    "    name: str\n    team_id: int | None = Field(default=None, foreign_key='team.id')\n"
    "    team: Team | None = Relationship(back_populates='heroes')\n")}
_S = "from sqlalchemy import select\nfrom sqlalchemy.orm import Session\nfrom app.models import User\n"
_SF = "from sqlalchemy import select\nfrom sqlalchemy.orm import Session, selectinload\nfrom app.models import User\n"
_A = "from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom app.models import User\n"
_AF = ("from sqlalchemy import select\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom app.models import User\n"
       "from sqlalchemy.orm import selectinload\n")
_DEF = "def report(session: Session):\n"
_ADEF = "async def report(session: AsyncSession):\n"

VALID_CASES = (
    Valid(_S + _DEF + "    for u in session.scalars(select(User).options(selectinload(User.items))):\n"
          "        print(u.items)\n", files=_MODELS),
    Valid(_S + _DEF + "    for u in session.scalars(select(User)):\n        print(u.items)\n", files=_SELECTIN),
    Valid(_S + _DEF + "    for u in session.scalars(select(User)):\n        print(u.name, u.id)\n", files=_MODELS),
    Valid(_S + "from app.crud import all_users\n" + _DEF + "    for u in all_users(session):\n"
          "        print(u.items)\n", files=_MODELS),
    Valid(_S + "def report(session: Session, users: list[User]):\n    return [u.items for u in users]\n",
          files=_MODELS),
    Valid(_S + _DEF + "    stmt = select(User)\n    stmt = stmt.options(joinedload(User.items))\n"
          "    for u in session.scalars(stmt).unique():\n        print(u.items)\n", files=_MODELS),
    Valid(_S + "def report(session: Session, loaders: list):\n"
          "    for u in session.scalars(select(User).options(*loaders)):\n        print(u.items)\n",
          files=_MODELS),
    Valid(_S + _DEF + "    for u in session.scalars(select(User)):\n        u = session.get(User, u.id)\n"
          "        print(u.items)\n", files=_MODELS),
    Valid(_S + _DEF + "    for u in session.scalars(select(User)):\n        show(lambda: u.items)\n",
          files=_MODELS),
    Valid(_S + _DEF + "    users = session.scalars(select(User)).all()\n    for u in users:\n"
          "        print(u.name)\n"
          "    return users[0].items\n", files=_MODELS),
    Valid(_S + _DEF + "    for row in session.execute(select(User)):\n        print(row.items)\n", files=_MODELS),
    Valid("from sqlmodel import Session, select\nfrom app.models import Team\n"
          "def report(session: Session):\n    for team in session.exec(select(Team)):\n"
          "        print(team.heroes)\n",
          files={"app/models.py": _HEROES["app/models.py"].format(
              lazy=", sa_relationship_kwargs={'lazy': 'selectin'}")}),
    Valid("from app.db import select\nfrom app.models import User\ndef report(session):\n"
          "    for u in session.scalars(select(User)):\n        print(u.items)\n", files=_MODELS),
    Valid("from pydantic import BaseModel\nfrom sqlalchemy import select\nclass User(BaseModel):\n"
          "    items: list[int]\ndef report(session):\n    for u in session.scalars(select(User)):\n"
          "        print(u.items)\n"),
    Valid(_M.format(lazy=", lazy='dynamic'") + "from sqlalchemy import select\ndef report(session):\n"
          "    for u in session.scalars(select(User)):\n        print(u.items.count())\n"),
    Valid(_M.format(lazy="").replace("Mapped[list['Item']]", "WriteOnlyMapped['Item']").replace(
        "DeclarativeBase,", "DeclarativeBase, WriteOnlyMapped,") + "from sqlalchemy import select\n"
          "def report(session):\n    for u in session.scalars(select(User)):\n"
          "        print(session.scalars(u.items.select()).all())\n"),
    Valid(_M.format(lazy=", lazy=False") + "from sqlalchemy import select\n"
          "names = [[i.id for i in u.items] for u in session.scalars(select(User))]\n"),
)
INVALID_CASES = (
    Invalid(
        _S + _DEF + "    users = session.scalars(select(User)).all()\n    return [len(u.items) for u in users]\n",
        _SF + _DEF + "    users = session.scalars(select(User).options(selectinload(User.items))).all()\n"
        "    return [len(u.items) for u in users]\n", files=_MODELS, unsafe=True),
    Invalid(
        _A + _ADEF + "    stmt = select(User).where(User.id > 0)\n    result = await session.execute(stmt)\n"
        "    for user in result.scalars():\n        print(user.name, [i.id for i in user.items])\n",
        _AF + _ADEF + "    stmt = select(User).options(selectinload(User.items)).where(User.id > 0)\n"
        "    result = await session.execute(stmt)\n"
        "    for user in result.scalars():\n        print(user.name, [i.id for i in user.items])\n",
        files=_MODELS, unsafe=True),
    Invalid(
        "from app.models import User\ndef report(db):\n    for u in db.query(User).filter(User.id > 0).all():\n"
        "        u.items.append(None)\n",
        "from app.models import User\nfrom sqlalchemy.orm import selectinload\ndef report(db):\n"
        "    for u in db.query(User).options(selectinload(User.items)).filter(User.id > 0).all():\n"
        "        u.items.append(None)\n", files=_MODELS, unsafe=True, path="app/reports.py"),
    Invalid(
        "from sqlmodel import Session, select\nfrom app.models import Hero\ndef names(session: Session):\n"
        "    heroes = session.exec(select(Hero)).all()\n    return {h.name: h.team for h in heroes}\n",
        "from sqlalchemy.orm import selectinload\nfrom sqlmodel import Session, select\n"
        "from app.models import Hero\n"
        "def names(session: Session):\n"
        "    heroes = session.exec(select(Hero).options(selectinload(Hero.team))).all()\n"
        "    return {h.name: h.team for h in heroes}\n",
        files={"app/models.py": _HEROES["app/models.py"].format(lazy="")}, unsafe=True),
    Invalid(
        _SF + _DEF + "    for u in session.scalars(select(User).options(selectinload(User.roles))):\n"
        "        print(u.items, u.roles)\n",
        _SF + _DEF + "    for u in session.scalars(select(User).options(selectinload(User.roles), "
        "selectinload(User.items))):\n        print(u.items, u.roles)\n", files=_MODELS, unsafe=True),
    Invalid(
        _S + _DEF + "    for u in session.scalars(select(User)):\n        print(u.items, u.roles, u.items)\n",
        _SF + _DEF + "    for u in session.scalars(select(User).options(selectinload(User.items), "
        "selectinload(User.roles))):\n        print(u.items, u.roles, u.items)\n",
        count=2, files=_MODELS, unsafe=True),
    Invalid(
        "import sqlalchemy as sa\nfrom sqlalchemy import orm\nfrom app import models\n" + _DEF.replace(
            "Session", "orm.Session") + "    for i, u in enumerate(session.scalars(sa.select(models.User))):\n"
        "        print(i, u.items)\n",
        "import sqlalchemy as sa\nfrom sqlalchemy import orm\nfrom app import models\n"
        "from sqlalchemy.orm import selectinload\n" + _DEF.replace("Session", "orm.Session")
        + "    for i, u in enumerate(session.scalars(sa.select(models.User).options("
        "selectinload(models.User.items)))):\n"
        "        print(i, u.items)\n", files=_MODELS, unsafe=True),
    Invalid(
        _A + _ADEF + "    async for u in await session.stream_scalars(select(User)):\n        yield u.items\n",
        _AF + _ADEF + "    async for u in await session.stream_scalars(select(User).options(selectinload("
        "User.items))):\n        yield u.items\n", files=_MODELS, unsafe=True),
    Invalid(
        "from sqlalchemy import select\nfrom app.admin import Admin\ndef report(session):\n"
        "    for a in session.scalars(select(Admin)):\n        print(a.items)\n",
        "from sqlalchemy import select\nfrom app.admin import Admin\nfrom sqlalchemy.orm import selectinload\n"
        "def report(session):\n    for a in session.scalars(select(Admin).options(selectinload(Admin.items))):\n"
        "        print(a.items)\n",
        files={**_MODELS, "app/admin.py": "from app.models import User\nclass Admin(User):\n    level: int\n"},
        unsafe=True),
    Invalid(
        _M.format(lazy="") + "from sqlalchemy import select\ndef report(session):\n"
        "    for item in session.scalars(select(Item).where(Item.id < 10)):\n        print(item.owner.name)\n",
        _M.format(lazy="").replace("mapped_column, relationship", "mapped_column, relationship, selectinload")
        + "from sqlalchemy import select\ndef report(session):\n    for item in session.scalars(select(Item)"
        ".options(selectinload(Item.owner)).where(Item.id < 10)):\n        print(item.owner.name)\n", unsafe=True),
    Invalid(
        _M.format(lazy=", lazy='select'") + "from sqlalchemy import select\n"
        "users = session.execute(select(User)).scalars().all()\nnames = {u.id: sorted(u.items) for u in users}\n",
        _M.format(lazy=", lazy='select'").replace("mapped_column, relationship", "mapped_column, relationship, "
                                                  "selectinload") + "from sqlalchemy import select\n"
        "users = session.execute(select(User).options(selectinload(User.items))).scalars().all()\n"
        "names = {u.id: sorted(u.items) for u in users}\n", unsafe=True),
)
