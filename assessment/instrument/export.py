"""The validation-study export: pooled item-level answers as CSV, with nothing that names a person or a place.

Included: submitted answers from workshops whose facilitator allowed research use when creating the workshop
(off by default; the join page tells participants), and only workshops with at least
EXPORT_MIN_WORKSHOP_RESPONDENTS such respondents, or the workshop's own anonymity threshold if it is higher.
Per row: a respondent pseudonym, a workshop pseudonym, a department pseudonym (only "the same department within
the same workshop" survives), the role as chosen, with roles, departments and roles within a department of fewer
than the workshop's k people merged ("other_roles", department blank), the bank version and mode, then one
column per item of the bank: the rating as answered (1-5, before reverse scoring), "dont_know", or blank.
Never: names, comments, department names, workshop titles, join codes, innovation names, dates. Pseudonyms are
drawn afresh for every export, and rows are shuffled, so two exports cannot be linked row by row and the order
says nothing about who joined first.
"""

from __future__ import annotations

import random

import pandas as pd

from ..bank import QuestionBank
from ..csvsafe import frame_to_csv
from ..disclosure.policy import OTHER_DEPARTMENTS, clamp_k, shown_pairs
from ..store import Store
from .source import pooled_answers
from .thresholds import EXPORT_MIN_WORKSHOP_RESPONDENTS

ID_COLUMNS = ("respondent", "workshop", "department", "role", "bank_version", "mode")


def validation_frame(store: Store, bank: QuestionBank | None = None, *, seed: int | None = None) -> pd.DataFrame:
    """The export as a table (see the module docstring); `seed` only for tests."""
    bank = bank or store.bank
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    pooled = pooled_answers(store, bank, research_only=True)
    people = pooled.respondents
    sizes = people["workshop_id"].map(people["workshop_id"].value_counts())
    keep = (sizes >= people["min_group_size"].clip(lower=EXPORT_MIN_WORKSHOP_RESPONDENTS)).to_numpy()
    people = people[keep]
    ratings = pooled.responses.ratings[keep]
    dont_know = pooled.responses.dont_know[keep]

    workshops = list(dict.fromkeys(people["workshop_id"]))
    rng.shuffle(workshops)
    workshop_name = {w: f"W{k + 1:03d}" for k, w in enumerate(workshops)}
    # Within each workshop, roles, departments and roles within a department of fewer than its k people are
    # merged (the workshop's own anonymity rule): a lone doctor is not singled out by the pooled file either.
    people = people.reset_index(drop=True)
    shown_role = people["role"].astype(str).to_list()
    shown_department = [""] * len(people)
    for w in workshops:
        rows = people.index[people["workshop_id"] == w].to_list()
        k = clamp_k(int(people.loc[rows[0], "min_group_size"]))
        departments = [str(people.loc[i, "department"]).strip() or "(none)" for i in rows]
        pairs = shown_pairs([shown_role[i] for i in rows], departments, k)
        named = sorted({d for _, d in pairs if d not in ("(none)", OTHER_DEPARTMENTS)})
        rng.shuffle(named)
        pseudonym = {d: f"{workshop_name[w]}-D{n + 1}" for n, d in enumerate(named)}
        for i, (role, department) in zip(rows, pairs, strict=True):
            shown_role[i] = role
            shown_department[i] = pseudonym.get(department, "")

    values = ratings.astype("Int64").astype(object).where(ratings.notna(), "")
    values = values.mask(dont_know, "dont_know")
    order = list(range(len(people)))
    rng.shuffle(order)
    frame = pd.DataFrame(
        {
            "workshop": [workshop_name[w] for w in people["workshop_id"]],
            "department": shown_department,
            "role": shown_role,
            "bank_version": people["bank_version"].to_list(),
            "mode": people["mode"].to_list(),
        }
    )
    frame = pd.concat([frame, values.reset_index(drop=True)], axis=1).iloc[order].reset_index(drop=True)
    frame.insert(0, "respondent", [f"R{k + 1:05d}" for k in range(len(frame))])
    return frame


def validation_csv(store: Store, bank: QuestionBank | None = None, *, seed: int | None = None) -> str:
    return frame_to_csv(validation_frame(store, bank, seed=seed))
