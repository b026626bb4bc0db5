"""Instrument quality from a store holding generated workshops: pooling, the CLI, and the validation export."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from assessment.answers import load_answers
from assessment.bank import default_bank
from assessment.cli import main
from assessment.instrument.export import ID_COLUMNS, validation_csv, validation_frame
from assessment.instrument.present import NO_FIGURES, dimension_lines, method_lines
from assessment.instrument.simulate import seed_store
from assessment.instrument.source import pooled_answers, report_from_store
from assessment.instrument.thresholds import EXPORT_MIN_WORKSHOP_RESPONDENTS, MIN_RESPONDENTS
from assessment.store import Store
from assessment.vocabulary import ROLE_LABELS

BANK = default_bank()
ROOT = Path(__file__).resolve().parent.parent
SIZES = (45, 30, EXPORT_MIN_WORKSHOP_RESPONDENTS - 1)  # submitted respondents per workshop
RESEARCH = (True, False, True)


def seed_released(store: Store, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
    """`seed_store`, then each workshop's first release, cut as a facilitator's dashboard would cut it: the
    instrument reads released answers only, never live ones."""
    codes = seed_store(store, *args, **kwargs)
    for code, key in codes:
        store.refresh_release(code, key)
    return codes


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    path = tmp_path_factory.mktemp("instrument") / "store.sqlite"
    url = f"sqlite:///{path}"
    store = Store(url)
    codes = seed_released(store, BANK, SIZES, research_use=RESEARCH, seed=3, unsubmitted=2, dont_know=0.03)
    store.close()
    yield url, codes


@pytest.fixture()
def store(seeded: tuple[str, list[tuple[str, str]]]) -> Iterator[Store]:
    s = Store(seeded[0])
    yield s
    s.close()


def test_pooled_answers_hold_every_submitted_respondent_and_nobody_else(store: Store) -> None:
    pooled = pooled_answers(store)
    assert pooled.responses.n == sum(SIZES)  # the two unsubmitted per workshop are left out
    assert set(pooled.respondents["workshop_id"].value_counts()) == set(SIZES)
    answered = pooled.responses.ratings.notna() | pooled.responses.dont_know
    assert answered.all().all()  # every generated respondent answered every item
    assert 0.01 < pooled.responses.dont_know.to_numpy().mean() < 0.06  # 3 % "don't know" generated
    research = pooled_answers(store, research_only=True)
    assert research.responses.n == SIZES[0] + SIZES[2]


def test_the_report_from_the_store_crosses_the_minimum_only_when_pooled(store: Store) -> None:
    report = report_from_store(store, structure=True)
    assert report.respondents == sum(SIZES) >= MIN_RESPONDENTS > max(SIZES)
    assert report.structure is not None and report.structure.status == "not_enough_data"
    computed = [d for d in report.dimensions.values() if d.alpha is not None]
    assert computed, "the pooled workshops reach the minimum n for some dimensions"
    assert "respondents who submitted" in report.notes[0]


def test_cli_json_and_text_agree_with_the_report(seeded: tuple[str, list], capsys: pytest.CaptureFixture) -> None:
    url = seeded[0]
    assert main(["instrument", "--database", url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    s = Store(url)
    report = report_from_store(s)
    s.close()
    for dim_id, q in report.dimensions.items():
        got = data["dimensions"][dim_id]
        assert (got["alpha"], got["omega"], got["n"]) == (q.alpha, q.omega, q.n)
        assert [i["item_total_r"] for i in got["items"]] == [i.item_total_r for i in q.items]
        assert [i["alpha_if_dropped"] for i in got["items"]] == [i.alpha_if_dropped for i in q.items]
        assert [i["dont_know_share"] for i in got["items"]] == [i.dont_know_share for i in q.items]
    assert main(["instrument", "--database", url, "--format", "text"]) == 0
    text = capsys.readouterr().out
    for line in dimension_lines(report).values():
        assert line in text
    assert "Reliability is not validity" in text


def test_cli_refuses_a_database_that_is_not_there(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nope.sqlite"
    assert main(["instrument", "--database", f"sqlite:///{missing}"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not missing.exists()


def test_method_lines_name_each_dimension_once(store: Store) -> None:
    report = report_from_store(store, structure=False)
    lines = method_lines(report)
    assert "not validity" in lines.intro and lines.note is None
    assert [line.label for line in lines.lines] == [q.label for q in report.dimensions.values()]
    assert sorted(line.label for line in lines.lines) == sorted(d.label for d in BANK.dimensions)
    assert [line.text for line in lines.lines] == [q.statement for q in report.dimensions.values()]


def test_the_pdf_sets_each_reliability_pair_as_given_without_parsing_it() -> None:
    """A label the bank does not know, or one holding ": ", still prints whole beside its own text (the method
    section used to find the label by prefix in a joined "Label: text" line)."""
    from pypdf import PdfReader

    from assessment.instrument.present import LabelledLine, MethodLines
    from assessment.report import build_report

    pairs = (
        LabelledLine(label="Odd label: with a colon", text="Items agree well in 1,240 responses (alpha 0.81)."),
        LabelledLine(label="Early adopters", text="Too few responses to judge yet (12)."),
    )
    lines = MethodLines(intro="How well the items agree.", lines=pairs)
    answers = load_answers(ROOT / "examples" / "riverside_two_step.json", BANK)
    reader = PdfReader(io.BytesIO(build_report(answers, BANK, reliability=lines)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for pair in pairs:
        assert f"{pair.label}: {pair.text}" in text
    assert NO_FIGURES not in text


# ----- the validation export -----


def test_export_only_research_workshops_large_enough_with_no_names_comments_or_departments(
    store: Store, seeded: tuple[str, list[tuple[str, str]]]
) -> None:
    text = validation_csv(store, seed=5)
    for leak in ("Person ", "Comment by", "Ward ", "Generated workshop", "Riverside", "Remote monitoring"):
        assert leak not in text
    for code, key in seeded[1]:
        assert code not in text and key not in text
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == [*ID_COLUMNS, *(i.id for i in BANK.items)]
    # workshop 1 allowed research use; workshop 2 did not; workshop 3 did but is below the minimum size
    assert len(frame) == SIZES[0]
    assert frame["workshop"].nunique() == 1 and frame["workshop"].iloc[0].startswith("W")
    assert set(frame["department"]) <= {f"{frame['workshop'].iloc[0]}-D{k}" for k in (1, 2, 3)} | {""}
    assert frame["department"].nunique() > 1  # same department stays together, under a pseudonym
    assert frame["respondent"].is_unique
    assert set(frame["role"]) <= set(ROLE_LABELS) | {"other_roles"} and frame["role"].nunique() > 1
    # nobody is singled out: every role, department and role within a department describes at least k people
    k = 3
    for columns in (["role"], ["department"], ["role", "department"]):
        assert frame.groupby(columns).size().min() >= k, columns
    values = set(frame[[i.id for i in BANK.items]].to_numpy().ravel())
    assert values <= {"1", "2", "3", "4", "5", "dont_know", ""}
    assert "dont_know" in values


def test_export_keeps_the_answers_exactly(store: Store) -> None:
    frame = validation_frame(store, seed=1)
    pooled = pooled_answers(store, research_only=True)
    sizes = pooled.respondents["workshop_id"].value_counts()
    keep = pooled.respondents["workshop_id"].map(sizes) >= EXPORT_MIN_WORKSHOP_RESPONDENTS
    original = pooled.responses.ratings[keep.to_numpy()]
    items = [i.id for i in BANK.items]
    exported = frame[items].replace({"dont_know": None, "": None}).astype(float)
    # rows are shuffled: compare the multiset of rows
    as_rows = lambda df: sorted(map(tuple, df.fillna(0).to_numpy().tolist()))  # noqa: E731
    assert as_rows(exported) == as_rows(original.reset_index(drop=True))


def test_two_exports_use_fresh_pseudonyms(store: Store) -> None:
    a, b = validation_frame(store), validation_frame(store)
    assert len(a) == len(b)
    assert list(a["respondent"]) == list(b["respondent"])  # numbered in row order
    items = [i.id for i in BANK.items]
    assert a[items].to_numpy().tolist() != b[items].to_numpy().tolist()  # ... but rows are shuffled afresh


def test_research_use_is_off_by_default_and_kept(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'r.sqlite'}")
    default = s.create_workshop("Default")
    allowed = s.create_workshop("Allowed", research_use=True)
    assert default.workshop.research_use is False
    assert s.open_workshop(allowed.workshop.join_code, allowed.facilitator_key).research_use is True
    s.close()


def test_method_lines_for_the_pdf_come_from_the_same_report(store: Store, tmp_path: Path) -> None:
    from assessment.instrument.source import method_lines_from_store

    assert method_lines_from_store(store.url) == method_lines(report_from_store(store, structure=False))
    # no database: the lines say so plainly (never an empty section), and no database file is created
    lines = method_lines_from_store(f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert lines == method_lines(None) and lines.note == NO_FIGURES and not lines.lines
    assert not (tmp_path / "none.sqlite").exists()


def test_excluded_participants_are_left_out(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    unreleased = seed_store(s, BANK, (8,), research_use=(True,), seed=2, unsubmitted=0)
    assert pooled_answers(s).responses.n == 0  # submitted but not yet released: not in the statistics
    ((code, key),) = unreleased
    assert s.refresh_release(code, key)
    everyone = pooled_answers(s).responses.n
    assert everyone == 8
    first, second, third = (int(p) for p in pooled_answers(s).respondents.index[:3])
    s.exclude_participant(code, key, first)
    assert not s.refresh_release(code, key)  # one exclusion alone changes no figure, here neither
    assert pooled_answers(s).responses.n == everyone and first in pooled_answers(s).respondents.index
    s.exclude_participant(code, key, second)
    s.exclude_participant(code, key, third)
    assert s.refresh_release(code, key)  # k = 3 exclusions together: the next release leaves them out
    pooled = pooled_answers(s)
    assert pooled.responses.n == everyone - 3 and not {first, second, third} & set(pooled.respondents.index)
    s.close()
