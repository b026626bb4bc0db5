"""Exports of a workshop: the responses as a table or CSV, and the summary as JSON."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..bank import QuestionBank, default_bank
from ..csvsafe import frame_to_csv
from ..disclosure.policy import DEFAULT_MIN_GROUP, clamp_k
from .models import AuditEntry, WorkshopSummary
from .responses import Responses

# ----- exports -------------------------------------------------------------------------------------------

EXPORT_COLUMNS = ["participant", "name", "role", "department", "submitted", "item_id", "dimension", "value", "comment"]
# The facilitator's download: no name, no participant number from the participant list, no role or department (see
# `anonymised_frame`).
CSV_COLUMNS = ["respondent", "item_id", "dimension", "value", "comment"]


def responses_frame(responses: Responses, bank: QuestionBank | None = None) -> pd.DataFrame:
    """One row per participant x answered item (a rating, "don't know" or a comment), in bank order.

    `name` is blank for anonymous participants; `value` is 1-5 or "dont_know" (blank for a comment alone).
    """
    bank = bank or default_bank()
    has_comment = np.zeros(responses.ratings.shape, dtype=bool)
    for r, c in responses.comments:
        has_comment[r, c] = True
    rows, cols = np.nonzero(responses.answered | has_comment)
    people = responses.respondents
    item_dims = np.array([bank.item_by_id[i].dimension for i in responses.item_ids], dtype=object)
    items = np.array(responses.item_ids, dtype=object)
    ratings = responses.ratings[rows, cols]
    value = np.empty(len(rows), dtype=object)
    value[:] = ""
    rated = ~np.isnan(ratings)
    value[rated] = ratings[rated].astype(int)
    value[responses.dont_know[rows, cols]] = "dont_know"
    frame = pd.DataFrame(
        {
            "participant": np.array([p.participant_id for p in people], dtype=int)[rows],
            "name": np.array([p.name for p in people], dtype=object)[rows],
            "role": np.array([p.role for p in people], dtype=object)[rows],
            "department": np.array([p.department for p in people], dtype=object)[rows],
            "submitted": np.array([p.submitted for p in people], dtype=bool)[rows],
            "item_id": items[cols],
            "dimension": item_dims[cols],
            "value": value,
            "comment": [responses.comments.get((int(r), int(c)), "") for r, c in zip(rows, cols, strict=True)],
        },
        columns=EXPORT_COLUMNS,
    )
    return frame


def anonymised_frame(
    responses: Responses, bank: QuestionBank | None = None, *, min_group: int = DEFAULT_MIN_GROUP
) -> pd.DataFrame:
    """The answers of a release as the facilitator may download them: one row per respondent x answered item,
    with no row that can be linked to a person (`assessment.disclosure`):

    - `responses` is a release (`Store.released_responses`): frozen submitted answers that change only when at
      least k people's do, so a download before and after one person submits is the same file;
    - no name, no role and no department (a new row labelled "doctor" between two releases would be the one
      doctor who submitted in between), and a respondent number drawn afresh for each download in a random
      order, so that rows cannot be matched with the participant list, which shows progress as a status only;
    - nothing at all while fewer than k people are released.
    """
    k = clamp_k(min_group)
    frame = responses_frame(responses, bank)
    people = sorted(set(frame["participant"]))
    if len(people) < k:
        return pd.DataFrame(columns=CSV_COLUMNS)
    numbers = list(range(1, len(people) + 1))
    random.SystemRandom().shuffle(numbers)
    number = dict(zip(people, numbers, strict=True))
    out = pd.DataFrame(
        {
            "respondent": frame["participant"].map(number),
            "item_id": frame["item_id"],
            "dimension": frame["dimension"],
            "value": frame["value"],
            "comment": frame["comment"],
        },
        columns=CSV_COLUMNS,
    )
    order = {item_id: i for i, item_id in enumerate(responses.item_ids)}
    out["_item"] = out["item_id"].map(order)
    return out.sort_values(["respondent", "_item"], kind="stable").drop(columns="_item").reset_index(drop=True)


def responses_csv(
    responses: Responses,
    bank: QuestionBank | None = None,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    excel_safe: bool = True,
) -> str:
    """The answers as CSV text (UTF-8), anonymised as in `anonymised_frame`. With `excel_safe`, no cell (nor any
    `,`/`;`/tab-separated part of one) starts a formula in any spreadsheet locale (`assessment.csvsafe`)."""
    frame = anonymised_frame(responses, bank, min_group=min_group)
    if excel_safe:
        return frame_to_csv(frame, quoting=csv.QUOTE_MINIMAL)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buf.getvalue()


def summary_json(summary: WorkshopSummary, audit: Sequence[AuditEntry] | None = None) -> str:
    """The workshop's results as JSON (the pydantic model dump); with `audit`, the audit log is added under
    "audit_log", so the export says who created, exported, reopened or excluded what, and when."""
    if audit is None:
        return summary.model_dump_json(indent=2)
    data = summary.model_dump(mode="json")
    data["audit_log"] = [e.model_dump(mode="json") for e in audit]
    return json.dumps(data, indent=2, ensure_ascii=False)
