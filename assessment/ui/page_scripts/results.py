"""Results: the recommendation first, then why, what would change it, the evidence, charts, scores and the plan."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from assessment.advice import ActionPlan, action_plan
from assessment.bank import QuestionBank, default_bank
from assessment.chart_data import conditions_bar_data, radar_data
from assessment.engine import assess
from assessment.explanation import HEADERS, ExplanationRow, explanation_rows
from assessment.export import results_csv, scores_frame
from assessment.instrument.present import NO_FIGURES, dimension_lines, method_lines
from assessment.instrument.thresholds import ACCEPTABLE_ALPHA
from assessment.plain import citation_for_people as cite
from assessment.plain import score_text
from assessment.results import FiredRule, Result
from assessment.rules import load_rulebook
from assessment.rules.roles import ingredient_roles
from assessment.sources import reference_for
from assessment.ui import routes, state
from assessment.ui.context_choices import NOT_ASKED
from assessment.ui.figures import conditions_bar_figure, radar_figure
from assessment.ui.instrument_data import current_report
from assessment.ui.sections import overall_progress
from assessment.ui.widgets import (
    chart_name,
    esc,
    guarded,
    recommendation_card,
    roles,
    show_chart,
    slug,
    step_markdown,
    who_and_what,
)
from assessment.vocabulary import GROUP_LABELS, STAGE_LABELS, STATUS_LABELS, STRATEGY_LABELS


def _effect(rule: FiredRule) -> str:
    if rule.kind == "strategy" and rule.strategy:
        return f"Chooses the strategy: {STRATEGY_LABELS[rule.strategy]}"
    return "Raises a warning"


def explanation_table(rows: list[ExplanationRow]) -> None:
    """A fired rule's inputs as the PDF prints them (`explanation.explanation_rows`); st.table renders Markdown in
    its cells, hence esc()."""
    columns = zip(*[(r.label, r.value, r.needs, r.met_text) for r in rows], strict=True)
    st.table(
        pd.DataFrame({h: [esc(x) for x in column] for h, column in zip(HEADERS, columns, strict=True)}),
        hide_index=True,
    )


def _why(result: Result, bank: QuestionBank) -> None:
    rec = result.recommendation
    st.subheader("Why this recommendation")
    if rec.decisive_unknown_details:
        st.markdown(esc(rec.reason))  # the open questions themselves are listed in the card above
    st.markdown("The rules that applied to your answers, and the answers and scores each rule looked at.")
    if not rec.determined and rec.fired_rules and rec.fired_rules[0].kind == "strategy":
        st.caption("The first rule below could apply, depending on the questions still open.")
    innovation = " ".join(str(result.context.get("innovation_title") or "").split()) or "the innovation"
    for rule in rec.fired_rules:
        with st.container(border=True):
            st.markdown(f"**{esc(rule.title)}**  \n:small[{esc(_effect(rule))}]")
            st.markdown(esc(rule.rationale))
            if rule.inputs:
                explanation_table(explanation_rows(rule.inputs, bank, innovation))
            st.caption(f"Source: {esc(cite(rule.citation))}")


ITEM_CHANGES_SHOWN = 5


def _what_would_change(result: Result) -> None:
    st.subheader("What would change it")
    changes = result.recommendation.sensitivity
    answers = result.item_changes
    if not changes and not answers:
        st.markdown("No single change to one score, one answer or one plan fact would change this recommendation.")
        return
    if changes:
        st.markdown("\n".join(f"- {esc(c.description)}" for c in changes))
    if answers:
        st.markdown("**Single answers that would change it**")
        st.markdown("\n".join(f"- {esc(c.description)}" for c in answers[:ITEM_CHANGES_SHOWN]))
        if len(answers) > ITEM_CHANGES_SHOWN:
            st.caption(f"And {len(answers) - ITEM_CHANGES_SHOWN} more answers, each further from the one given.")


def _evidence(result: Result) -> None:
    rec = result.recommendation
    st.subheader("Evidence base and caveats")
    eb = rec.evidence_base
    lines = [f"**Evidence:** {esc(eb.strength)}"]
    if eb.contrast_cases:
        lines.append(f"**Cases that did otherwise and fared worse:** {esc(', '.join(eb.contrast_cases))}")
    if eb.judgement:
        lines.append(f"**Our judgement:** {esc(eb.judgement)}")
    lines.append(esc(eb.note))
    st.markdown("  \n".join(lines))
    try:
        reference = reference_for(eb.source)
    except StopIteration:
        reference = eb.source
    st.caption(f"Source: {esc(reference)}")
    for caveat in rec.caveats:
        st.info(f"{esc(caveat.text)}  \n:small[{esc(cite(caveat.citation))}]", icon=":material/info:")
    st.caption(esc(rec.disclaimer))


CHART_WIDTH = 820  # pixels at most: the bars' scale stays readable and a pasted PNG keeps its proportions


def _chart(result: Result, title: str, figure: go.Figure, key: str, name: str) -> None:
    st.markdown(f"**{title}**")
    show_chart(figure, key=f"results_{key}", filename=chart_name(result, name), max_width=CHART_WIDTH)


def _charts(result: Result, bank: QuestionBank) -> None:
    short = {d.id: d.short_label for d in bank.dimensions}
    st.subheader("Scores")
    # One under the other, each the page's width: side by side, the bars' labels left the chart a third of the
    # column and the scores ran past its edge (looked at in Chromium at 1024-1600 px).
    _chart(result, "The eight ingredients", radar_figure(radar_data(result, short)), "radar", "ingredients-radar")
    st.caption(esc(ingredient_roles(load_rulebook(), bank)))
    bars = conditions_bar_figure(conditions_bar_data(result, short))
    _chart(result, "Affordances and conditions", bars, "bars", "affordances-conditions")
    readiness = result.readiness
    if readiness.value is not None:
        st.markdown(
            f"Readiness index at the {esc(STAGE_LABELS.get(readiness.stage, readiness.stage).lower())} stage: "
            f"**{readiness.value:.2f} / 5** ({readiness.percent:.0f}%), weighted by what mattered most at this "
            "stage in the evidence."
        )
    frame = scores_frame(result)
    table = pd.DataFrame(
        {
            "Group": [GROUP_LABELS.get(g, g) for g in frame["group"]],
            "Dimension": frame["label"],
            "Score (1-5)": [
                "not scored" if m is None or m != m or not ok else score_text(m)
                for m, ok in zip(frame["mean"], frame["sufficient"], strict=True)
            ],
            "Status": [STATUS_LABELS.get(s, s) for s in frame["status"]],
            "Coverage": frame["coverage"] * 100,
            "Answered": [f"{a} of {n}" for a, n in zip(frame["answered"], frame["asked"], strict=True)],
            "Don't know": frame["dont_know"],
            "Higher is": frame["higher_is"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height="content",
        column_config={
            "Coverage": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%"),
        },
    )
    _instrument_lines(bank)
    thin = [s.label for s in result.scores.values() if not s.sufficient]
    if thin:
        st.warning(
            "Insufficient evidence (fewer than half the statements rated) for: "
            + esc(", ".join(thin))
            + ". The rules ignore these scores; rate more statements, or replace 'Don't know' answers, to firm "
            "up the result.",
            icon=":material/help:",
        )


def _instrument_lines(bank: QuestionBank) -> None:
    """One line per dimension on how well its statements agree in this tool's own use (instrument quality), or
    the plain statement that no figures are available yet."""
    report = current_report()
    with st.expander("How far to trust each score: how well its statements agree in real use"):
        if report is None:
            st.markdown(esc(NO_FIGURES))
        else:
            lines = dimension_lines(report)
            st.markdown(
                "\n".join(f"- **{esc(d.label)}:** {esc(lines[d.id])}" for d in bank.dimensions if d.id in lines)
            )
        st.caption(
            f"From every answer submitted in this tool's workshops (Cronbach's alpha; {ACCEPTABLE_ALPHA:.2f} or "
            "more is the usual bar). Reliability is not validity: it does not show that a score predicts success."
        )


def _steps(steps: list) -> None:
    if steps:
        st.markdown("\n".join(step_markdown(s) for s in steps))


def _action_plan(plan: ActionPlan) -> None:
    st.subheader("Action plan")
    st.markdown(f"**{esc(plan.headline)}**")
    st.markdown(esc(plan.summary))
    st.caption(f"Source: {esc(cite(plan.citation))}")
    _steps(plan.steps)
    for number, phase in enumerate(plan.phases, start=1):
        with st.container(border=True):
            here = plan.current_step == number
            title = f"#### {esc(phase.title)}"
            st.markdown(title)
            if here:
                st.badge("You are here", color="blue", icon=":material/my_location:")
            st.markdown(
                f"**Led by:** {esc(roles(phase.led_by))}"
                + (f" · **Supported by:** {esc(roles(phase.supported_by))}" if phase.supported_by else "")
            )
            st.markdown(esc(phase.summary))
            _steps(phase.steps)
            st.caption(f"Source: {esc(cite(phase.citation))}")
        if number == 1 and plan.move_on_signal:
            st.info(
                f"**When to move on to step two:** {esc(plan.move_on_signal.text)}  \n"
                f":small[{esc(cite(plan.move_on_signal.citation))}]",
                icon=":material/flag:",
            )
    if plan.weak_dimensions:
        st.markdown("#### Strengthen the weak dimensions")
        for dim in plan.weak_dimensions:
            score = "insufficient evidence" if dim.score is None else f"{score_text(dim.score)} / 5"
            with st.expander(f"{esc(dim.label)} ({score})"):
                st.markdown(esc(dim.summary))
                _steps(dim.steps)
                st.caption(f"Source: {esc(cite(dim.citation))}")
    else:
        st.caption("No dimension scored as weak, so there are no extra steps for weak dimensions.")


def _pdf_button(result: Result, bank: QuestionBank) -> None:
    from assessment.report import render_report  # imported when the button is drawn: Typst is slow to load

    answer_set = state.current_answer_set(bank)
    reliability = method_lines(current_report())  # the same cached figures as the lines above
    st.download_button(
        "Download PDF report",
        data=lambda: render_report(result, bank, [answer_set], reliability=reliability),
        file_name=f"{chart_name(result, 'report')}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="download_pdf",
        on_click="ignore",
        type="primary",
    )


def _pdf_font_warning(bank: QuestionBank) -> None:
    """Before the download: the characters of the answers (names, titles, comments) the PDF cannot print."""
    from assessment.report.fonts import unprintable  # as the PDF button: loaded when the downloads are drawn
    from assessment.ui.board import font_warning

    font_warning(unprintable(state.current_answer_set(bank).model_dump(mode="json")), "the PDF report")


def _downloads(result: Result, bank: QuestionBank) -> None:
    _pdf_font_warning(bank)
    with st.container(horizontal=True, vertical_alignment="center"):
        _pdf_button(result, bank)
        st.download_button(
            "Download results (CSV)",
            data=lambda: results_csv(result),
            file_name=f"{slug(str(result.context.get('innovation_title') or ''))}-scores.csv",
            mime="text/csv",
            icon=":material/table:",
            key="download_csv",
            on_click="ignore",
        )
        st.page_link(routes.BOARD, label="Open the board view", icon=":material/co_present:")


def render() -> None:
    bank = default_bank()
    if state.unchosen():  # the strategy is not computed until both deciding questions are answered
        st.title("Results")
        st.info(NOT_ASKED, icon=":material/help:")
        st.page_link(routes.START, label="Answer them on the Start page", icon=":material/arrow_back:")
        return
    answer_set = state.current_answer_set(bank)
    result = assess(answer_set, bank)
    st.title("Results")
    st.markdown(who_and_what(result))
    progress = overall_progress(bank, state.mode(), state.answers(), state.plan())  # type: ignore[arg-type]
    if progress.done == 0:
        st.info("You have not answered any statements yet, so there is nothing to score.", icon=":material/info:")
        st.page_link(routes.QUESTIONNAIRE, label="Go to the questionnaire", icon=":material/checklist:")
        return
    if not progress.complete:
        st.warning(
            f"You have answered {progress.done} of {progress.total} questions. The result below rests on "
            "incomplete answers.",
            icon=":material/pending:",
        )
    recommendation_card(result)
    st.page_link(routes.GLOSSARY, label="Glossary: the terms used here, in plain words", icon=":material/menu_book:")
    _downloads(result, bank)
    _why(result, bank)
    _what_would_change(result)
    _evidence(result)
    _charts(result, bank)
    _action_plan(action_plan(result))


guarded(render)
