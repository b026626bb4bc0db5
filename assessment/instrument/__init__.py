"""Instrument quality: how well the question bank's items hang together in real use.

Pure statistics (`responses`, `reliability`, `report`, `structure`) take item-level answers and the bank and
never touch the store; `source` reads pooled answers from the store and `export` writes the validation-study CSV.
Import the heavy statistics library (semopy, for the structure check) only through these modules, lazily from
the UI and the CLI.
"""

from .models import DimensionQuality, InstrumentReport, Interval, ItemFlag, ItemQuality, StructureCheck
from .responses import InstrumentDataError, ItemResponses
from .thresholds import ACCEPTABLE_ALPHA, MIN_RESPONDENTS, Thresholds

__all__ = [
    "ACCEPTABLE_ALPHA",
    "MIN_RESPONDENTS",
    "DimensionQuality",
    "InstrumentDataError",
    "InstrumentReport",
    "Interval",
    "ItemFlag",
    "ItemQuality",
    "ItemResponses",
    "StructureCheck",
    "Thresholds",
]
