"""Every cut point of the instrument-quality report, defined once (the README's method section explains them).

MIN_RESPONDENTS: below this many complete responses a dimension shows "not enough data" instead of figures.
  With 50 respondents and 4 items, the 95 % interval around an alpha of 0.75 runs from about 0.61 to 0.85
  (Feldt), already straddling the 0.70 line; with 30 it runs from 0.56 to 0.87, too wide to tell a usable
  dimension from a poor one; with 100, from 0.66 to 0.82. Fifty is where the interval first becomes narrow
  enough (about +/- 0.12) to be worth showing. `tests/test_instrument_core.py` checks these widths.
ACCEPTABLE_ALPHA: the conventional floor for scores used to compare groups (Nunnally); GOOD_ALPHA the usual
  "good" line.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

MIN_RESPONDENTS = 50
ACCEPTABLE_ALPHA = 0.70
GOOD_ALPHA = 0.80

# items flagged for revision
ALPHA_GAIN_MARGIN = 0.01  # dropping the item raises alpha by more than this: it lowers reliability
MIN_ITEM_TOTAL_R = 0.30  # corrected item-total correlation below this: the item measures something else
NO_VARIANCE_SHARE = 0.95  # this share or more give the same rating: the item never varies
DONT_KNOW_SHARE = 0.20  # this share or more of those who answered chose "don't know"

# the 95 % intervals
CONFIDENCE = 0.95
SIMULATION_DRAWS = 1000  # omega's interval; the seed is fixed so every view shows the same interval
SIMULATION_SEED = 20261201

# the structure check (confirmatory factor analysis)
MIN_CFA_RESPONDENTS = 200  # and at least CFA_RESPONDENTS_PER_PARAMETER per free parameter
CFA_RESPONDENTS_PER_PARAMETER = 5

# the validation-study export
# fewest submitted respondents a workshop needs to enter the export (or its anonymity threshold k, if higher)
EXPORT_MIN_WORKSHOP_RESPONDENTS = 5


class Thresholds(BaseModel):
    """The cut points a report was made with, carried in its JSON so a reader can see them."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min_respondents: int = MIN_RESPONDENTS
    acceptable_alpha: float = ACCEPTABLE_ALPHA
    good_alpha: float = GOOD_ALPHA
    alpha_gain_margin: float = ALPHA_GAIN_MARGIN
    min_item_total_r: float = MIN_ITEM_TOTAL_R
    no_variance_share: float = NO_VARIANCE_SHARE
    dont_know_share: float = DONT_KNOW_SHARE
    confidence: float = CONFIDENCE
    simulation_draws: int = SIMULATION_DRAWS
