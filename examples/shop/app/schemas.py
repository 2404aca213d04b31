"""Request and response bodies."""

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class UserBase(BaseModel):
    email: EmailStr
    full_name: str = Field(min_length=1, max_length=120)


class UserCreate(UserBase):
    password: str = Field(min_length=12)


class UserPublic(UserBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    is_active: bool = True


class Item(BaseModel):
    id: int
    name: str
    price_cents: int = Field(gt=0)
    in_stock: bool = True


class ItemCreate(BaseModel):
    name: str
    price_cents: int = Field(gt=0)


class ItemUpdate(BaseModel):
    name: str
    price_cents: int | None = Field(default=None, gt=0)
    in_stock: bool | None

    class Config:
        orm_mode = True
        anystr_strip_whitespace = True


class Order(BaseModel):
    id: int
    item_id: int
    quantity: int = Field(ge=1, le=20)
    note: str = ""


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
