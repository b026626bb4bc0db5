"""The group board and slide show disagreement (issue 19, finding 5): each ingredient's agreement band, a line
counting the bands, and a key message on roles whose own answers give another recommendation or none. The slide
stays one page however divided the room was."""

from __future__ import annotations

import io

from pypdf import PdfReader
from test_workshop import person

from assessment import default_bank
from assessment.report.board import GroupAgreement, render_slide, slide_data
from assessment.vocabulary import AGREEMENT_LABELS, DIMENSION_IDS, INGREDIENTS, STRONG_AGREEMENT_ABOVE
from assessment.workshop import WorkshopSummary, summarise_answer_sets
from assessment.workshop.wording import agreement_line, role_board_message

BANK = default_bank()


def divided() -> WorkshopSummary:
    """Executives answer 5 and nurses 1 everywhere but partnerships (all 3); doctors answer "don't know"."""
    high, low = dict.fromkeys(DIMENSION_IDS, 5), dict.fromkeys(DIMENSION_IDS, 1)
    high["partnerships"] = low["partnerships"] = 3
    unsure = {i.id: "dont_know" for i in BANK.items_for("full")}
    sets = [person("executive", high) for _ in range(3)] + [person("nurse", low) for _ in range(3)]
    sets += [person("doctor", items=unsure) for _ in range(3)]
    return summarise_answer_sets(sets, BANK, title="Divided room")


def test_the_divided_workshop_is_what_the_issue_describes() -> None:
    s = divided()
    below = [d for d, a in s.dimensions.items() if a.rwg is not None and a.rwg < STRONG_AGREEMENT_ABOVE]
    assert len(below) == 14
    doctor = next(g for g in s.role_groups if g.role == "doctor")
    assert doctor.enough and doctor.strategy == "insufficient_evidence"


def test_the_slide_stays_one_page_and_says_the_room_did_not_agree() -> None:
    s = divided()
    group = GroupAgreement.from_summary(s)
    facts = ["7 December 2026", "Adoption stage", "workshop of 9 participants", "full assessment"]
    notes = ["Group result computed from the participants' answers (no agreed scores recorded)."]
    pdf = render_slide(s.result, BANK, facts=facts, notes=notes, fmt="pdf", group=group)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Agreement was weak or absent on 7 of 8 ingredients and strong on 1." in text
    assert "Doctor respondents' own answers give no recommendation." in text
    assert "Nurse respondents' own answers point to hold back." in text
    assert text.count("no agreement") == 7 and "very strong agreement" in text


def test_the_roles_message_is_a_key_message_and_the_bands_are_the_summarys() -> None:
    s = divided()
    group = GroupAgreement.from_summary(s)
    assert group.bands == {d: s.dimensions[d].agreement for d in INGREDIENTS}
    data = slide_data(s.result, BANK, group=group)
    assert len(data["messages"]) == 3 and data["messages"][1] == group.roles
    assert "very strong agreement" in data["radar"]["alt"]
    assert slide_data(s.result, BANK)["agreement"] == ""  # a single respondent's board has no agreement line


def test_agreement_line_counts_the_summarys_bands() -> None:
    dims = divided().dimensions
    assert agreement_line(dims) == "Agreement was weak or absent on 7 of 8 ingredients and strong on 1."
    one_moderate = {**dims, "societal_value": dims["societal_value"].model_copy(update={"agreement": "moderate"})}
    assert agreement_line(one_moderate).startswith("Agreement was weak or absent on 6 of 8 ingredients, moderate on 1")
    unknown = {d: a.model_copy(update={"agreement": "unknown"}) for d, a in dims.items()}
    assert agreement_line(unknown) == "Too few answers to judge agreement on any of the 8 ingredients."


def test_roles_without_their_own_result_are_never_named_and_agreeing_roles_are_not_either() -> None:
    s = divided()
    final = s.result.recommendation.strategy
    small = [g.model_copy(update={"enough": False, "strategy": None}) for g in s.role_groups]
    assert role_board_message(small, final) is None
    assert role_board_message([g for g in s.role_groups if g.role == "executive"], final) is None  # same as board
    # measured against the board's outcome (agreed scores may have moved it), not the computed group's
    nurse = [g for g in s.role_groups if g.role == "nurse"]
    assert role_board_message(nurse, "hold_back") is None
    assert role_board_message(nurse, final) == "Nurse respondents' own answers point to hold back."


def test_the_board_radar_prints_each_band_on_its_own_unbroken_line() -> None:
    from assessment.chart_data import radar_data
    from assessment.ui.figures import radar_figure

    s = divided()
    group = GroupAgreement.from_summary(s)
    notes = [AGREEMENT_LABELS[group.bands[d]].lower() for d in INGREDIENTS]
    theta = list(radar_figure(radar_data(s.result), spoke_notes=notes).data[0].theta)[:-1]  # closed: first again
    assert len(theta) == 8
    for label, note in zip(theta, notes, strict=True):
        assert label.split("<br>")[-1] == f"<b>{note.replace(' ', chr(0xA0))}</b>"
