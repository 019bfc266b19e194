"""ASGI entry point for servers that import an app by name (``uvicorn zhengce.api.asgi:app``)."""

from . import create_app

app = create_app()
