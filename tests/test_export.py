"""The CSV export and the comparison table between two assessments."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from assessment import assess, default_bank, load_answers
from assessment.export import (
    COMPARISON_COLUMNS,
    SCORE_COLUMNS,
    comparison_csv,
    comparison_frame,
    recommendation_change,
    results_csv,
    scores_frame,
)
from assessment.vocabulary import DIMENSION_IDS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def results():
    bank = default_bank()
    return {
        name: assess(load_answers(EXAMPLES / f"{name}.json", bank), bank)
        for name in ("riverside_two_step", "eastvale_centralized", "northmoor_hold_back", "riverside_quick_scan")
    }


def test_scores_frame_has_one_row_per_dimension_in_order(results):
    frame = scores_frame(results["riverside_two_step"])
    assert list(frame.columns) == list(SCORE_COLUMNS)
    assert list(frame["dimension"]) == list(DIMENSION_IDS)
    assert set(frame["recommended_strategy"]) == {"two_step"}


def test_scores_frame_matches_the_result(results):
    result = results["northmoor_hold_back"]
    frame = scores_frame(result).set_index("dimension")
    for dim, score in result.scores.items():
        assert frame.loc[dim, "answered"] == score.answered
        assert frame.loc[dim, "status"] == score.status
        if score.mean is None:
            assert pd.isna(frame.loc[dim, "mean"])
        else:
            assert frame.loc[dim, "mean"] == pytest.approx(score.mean, abs=0.005)


def test_results_csv_round_trips_through_pandas(results):
    data = results_csv(results["riverside_quick_scan"])
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read the file as UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(SCORE_COLUMNS)
    assert len(back) == len(DIMENSION_IDS)
    assert set(back["mode"]) == {"quick"}


def test_comparison_with_itself_shows_no_change(results):
    result = results["riverside_two_step"]
    frame = comparison_frame(result, result)
    assert list(frame.columns) == list(COMPARISON_COLUMNS)
    comparable = frame[frame["direction"] != "not comparable"]
    assert (comparable["change"] == 0).all()
    assert set(comparable["direction"]) == {"no change"}
    assert not recommendation_change(result, result).moved


def test_comparison_between_two_assessments(results):
    current, earlier = results["riverside_two_step"], results["northmoor_hold_back"]
    frame = comparison_frame(current, earlier).set_index("dimension")
    change = recommendation_change(current, earlier)
    assert change.moved
    assert change.describe() == "The recommendation moved from Hold back to Two-step institutional work."
    for dim in DIMENSION_IDS:
        a, b = earlier.scores[dim].usable, current.scores[dim].usable
        if a is None or b is None:
            assert frame.loc[dim, "direction"] == "not comparable"
            continue
        assert frame.loc[dim, "change"] == pytest.approx(b - a, abs=0.011)


def test_direction_respects_higher_is_worse(results):
    current, earlier = results["riverside_two_step"], results["northmoor_hold_back"]
    row = comparison_frame(current, earlier).set_index("dimension").loc["professional_resistance"]
    assert row["higher_is"] == "worse"
    if row["change"] < 0:
        assert row["direction"] == "better"
    elif row["change"] > 0:
        assert row["direction"] == "worse"


def test_comparison_csv_is_parseable(results):
    data = comparison_csv(results["riverside_two_step"], results["eastvale_centralized"])
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(COMPARISON_COLUMNS)
