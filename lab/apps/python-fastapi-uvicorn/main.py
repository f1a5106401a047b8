from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str
    price: float
    quantity: int = 1


@app.get("/")
def root():
    return {"app": "fastapi", "server": "uvicorn"}


@app.get("/items/{name}")
def item(name: str, price: float = 2.5, quantity: int = 4) -> dict:
    order = Item(name=name, price=price, quantity=quantity)
    return {"name": order.name, "total": order.price * order.quantity}
