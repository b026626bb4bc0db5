"""Page, CLI, results page and PDF agree: with a store holding generated workshops, the Instrument quality page
(AppTest), `assessment instrument --format json`, the results page's line per dimension and the PDF report's
method section (`assessment report --database`) give the same alpha and n for every dimension. Without a
database, the results page and the PDF say plainly that no reliability figures are available yet.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import APP, ROOT, plain
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from test_instrument_store import seed_released

from assessment import store as store_module
from assessment.answers import load_answers
from assessment.bank import default_bank
from assessment.cli import main
from assessment.instrument.present import NO_FIGURES
from assessment.instrument.thresholds import MIN_RESPONDENTS
from assessment.organisers import ORGANISER_KEY_ENV
from assessment.store import Store
from assessment.ui import routes, state

BANK = default_bank()
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
LABELS = {d.label: d.id for d in BANK.dimensions}
# 75 submitted respondents, 8 % "don't know": the short dimensions reach the minimum of complete responses, the
# six-item ones do not, so both kinds of line are compared
SIZES = (40, 35)
DONT_KNOW = 0.08

Figures = dict[str, tuple[str | None, int]]  # dimension id -> (alpha as shown, "0.81", or None; n)

COMPUTED = re.compile(r"in ([\d,]+) responses \(alpha (\d\.\d\d)\)\.")
NOT_YET = re.compile(rf"\(([\d,]+) complete responses?; {MIN_RESPONDENTS} needed\)\.")


def parse_line(line: str) -> tuple[str | None, int]:
    """(alpha, n) from one dimension's sentence, as the results page and the PDF print it."""
    if m := COMPUTED.search(line):
        return m.group(2), int(m.group(1).replace(",", ""))
    m = NOT_YET.search(line)
    assert m, f"no figures in {line!r}"
    return None, int(m.group(1).replace(",", ""))


def shown(alpha: float | None) -> str | None:
    return None if alpha is None else f"{alpha:.2f}"


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('agree') / 'store.sqlite'}"
    s = Store(url)
    # released, as a facilitator's dashboard releases them: the instrument reads released answers only
    seed_released(s, BANK, SIZES, research_use=(True, False), seed=31, dont_know=DONT_KNOW)
    s.close()
    return url


@pytest.fixture
def configured(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's store is the seeded one, and no organiser key is set."""
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, seeded_url)
    monkeypatch.delenv(ORGANISER_KEY_ENV, raising=False)
    monkeypatch.setattr(store_module, "_default", None)
    yield seeded_url
    if store_module._default is not None:
        store_module._default.close()


# ----- the four views, each read as its reader sees it -----


def cli_figures(url: str, capsys: pytest.CaptureFixture[str]) -> Figures:
    assert main(["instrument", "--database", url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return {d: (shown(q["alpha"]), q["n"]) for d, q in data["dimensions"].items()}


def page_figures() -> Figures:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(routes.INSTRUMENT).run()
    assert not at.exception
    (table,) = [df.value for df in at.dataframe if "Respondents" in df.value.columns]  # the summary table
    return {
        LABELS[row["Dimension"]]: (None if row["Alpha"] == "–" else row["Alpha"], row["Respondents"])  # text cells
        for row in table.to_dict("records")
    }


def results_page_text() -> str:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    saved: dict[str, Any] = {}
    state.init_state(saved)
    state.restore(load_answers(EXAMPLE, BANK), BANK, saved)
    for key in (state.ANSWERS, state.CONTEXT, state.CHOSEN, state.PLAN, state.MODE, state.SECTION):
        at.session_state[key] = saved[key]
    at.switch_page(routes.RESULTS).run()
    assert not at.exception
    (expander,) = [e for e in at.expander if "How far to trust each score" in e.label]
    return "\n".join(plain(m.value) for m in expander.markdown)


def results_figures() -> Figures:
    text = results_page_text()
    figures: Figures = {}
    for label, sentence in re.findall(r"^- \*\*(.+?):\*\* (.+)$", text, flags=re.MULTILINE):
        figures[LABELS[label]] = parse_line(sentence)
    return figures


def pdf_method_text(pdf: Path) -> str:
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    text = re.sub(r"\s+", " ", text.replace("\u200b", ""))
    start = text.index("How well the questions agree in use")
    return text[start : text.index("The limits of a self-assessment", start)]


def pdf_figures(pdf: Path) -> Figures:
    method = pdf_method_text(pdf)
    # each dimension's line starts with its label; labels are found in the order the bank lists them
    starts = sorted((method.index(f"{label}: "), label) for label in LABELS)
    figures: Figures = {}
    for (at, label), (nxt, _) in zip(starts, [*starts[1:], (len(method), "")], strict=True):
        figures[LABELS[label]] = parse_line(method[at + len(label) + 2 : nxt])
    return figures


# ----- agreement -----


def test_page_cli_results_and_pdf_give_the_same_alpha_and_n(
    configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = cli_figures(configured, capsys)
    assert set(cli) == {d.id for d in BANK.dimensions}
    assert any(a is None for a, _ in cli.values()) and any(a is not None for a, _ in cli.values()), (
        "the seeded store should hold dimensions on both sides of the minimum n"
    )
    assert all((a is None) == (n < MIN_RESPONDENTS) for a, n in cli.values())
    pdf = tmp_path / "report.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(pdf), "--database", configured]) == 0
    assert pdf_figures(pdf) == cli
    assert page_figures() == cli
    assert results_figures() == cli


# ----- no database: said plainly, never blank or "None" -----


@pytest.fixture
def no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    missing = tmp_path / "never-created.sqlite"
    monkeypatch.setenv(store_module.DATABASE_URL_ENV, f"sqlite:///{missing}")
    monkeypatch.setattr(store_module, "_default", None)
    return missing


def test_without_a_database_the_pdf_says_no_figures_are_available(no_database: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(pdf)]) == 0
    method = pdf_method_text(pdf)
    assert NO_FIGURES in method
    assert "None" not in method and "alpha 0" not in method
    assert not no_database.exists()  # reading the figures never creates a database


def test_a_report_naming_a_missing_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.sqlite"
    out = tmp_path / "report.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--database", f"sqlite:///{missing}"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not out.exists() and not missing.exists()


def test_without_a_database_the_results_page_says_no_figures_are_available(no_database: Path) -> None:
    text = results_page_text()
    assert text == plain(NO_FIGURES)
    assert not no_database.exists()


def test_the_readme_method_section_quotes_the_lines_the_app_prints() -> None:
    """The README's method section explains the line with the app's own sentences and cut points."""
    from assessment.instrument.report import statement, status_for
    from assessment.instrument.thresholds import ACCEPTABLE_ALPHA, GOOD_ALPHA

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    method = readme[readme.index("## How the result is computed") : readme.index("## Workshops")]
    assert statement(status_for(0.81, 1240), 0.81, 1240) in method
    assert statement(status_for(None, 12), None, 12) in method
    assert NO_FIGURES.split(". ")[0] in method
    assert f"from an alpha of {GOOD_ALPHA:.2f}" in method and f"from {ACCEPTABLE_ALPHA:.2f}" in method
    assert f"below {MIN_RESPONDENTS} respondents" in method
    assert "reliability, not validity" in method
