"""Response models of the yearly duty (`duty.py`); field names are API contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.messages import Message

UnitType = Literal["perangkat_daerah", "kecamatan", "puskesmas"]


class DutyUnit(BaseModel):
    """A unit of the regional government and what it launched in the year."""

    id: str = Field(description="Actor id of the unit.")
    name: str = Field(description="Unit name.")
    type: UnitType = Field(description="Kind of unit (origin vocabulary).")
    parent_id: str = Field(description="The organisation it is part of (PART_OF).")
    launched: list[str] = Field(description="Ids of innovations it owns launched in the year.")
    met: bool = Field(description="Whether it launched at least one innovation in the year.")
    note: Message = Field(description="`duty_met` or `duty_missing`, in the language asked.")


class DutyCount(BaseModel):
    """Units of one type, and how many met the duty."""

    units: int = Field(description="Units of the type.")
    met: int = Field(description="Units that launched at least one innovation in the year.")
    missing: int = Field(description="Units that launched none.")


class YearlyDuty(BaseModel):
    """Which units launched no innovation in a year (the Sekda's instruction: at least one per
    perangkat daerah per year)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "year": 2025,
                    "region": "63.03",
                    "by_type": {
                        "perangkat_daerah": {"units": 20, "met": 18, "missing": 2},
                        "kecamatan": {"units": 20, "met": 4, "missing": 16},
                        "puskesmas": {"units": 11, "met": 7, "missing": 4},
                    },
                    "undated": 0,
                    "units": [
                        {
                            "id": "rsud-ratu-zalecha",
                            "name": "RSUD Ratu Zalecha Martapura",
                            "type": "perangkat_daerah",
                            "parent_id": "pemkab-banjar",
                            "launched": [],
                            "met": False,
                            "note": {
                                "code": "duty_missing",
                                "params": {"unit": "RSUD Ratu Zalecha Martapura", "year": 2025},
                                "text": "RSUD Ratu Zalecha Martapura belum meluncurkan inovasi "
                                "pada tahun 2025",
                            },
                        }
                    ],
                }
            ]
        }
    )

    year: int = Field(description="The year asked for.")
    region: str | None = Field(description="Region code asked for; null: all regions.")
    by_type: dict[str, DutyCount] = Field(description="Counts per unit type.")
    undated: int = Field(
        description="Innovations owned by these units with no launch day (not counted in any year)."
    )
    units: list[DutyUnit] = Field(
        description="Every unit: those that launched nothing first, then by type and name."
    )
