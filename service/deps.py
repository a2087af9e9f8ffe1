"""FastAPI dependencies: the objects the app opened in its lifespan."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from graph.store import Store
from service.routes.params import day_param
from service.settings import Settings


def get_store(request: Request) -> Store:
    """The process's store."""
    store: Store = request.app.state.store
    return store


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
DayDep = Annotated[date, Depends(day_param)]
