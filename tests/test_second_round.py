"""The second round (issue 19): after the room discussed the agenda, participants re-rate those statements; the
group result uses the re-ratings once at least k of them can be released together, and every output shows
agreement before and after. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from test_disclosure_attacker import published_sets, recovered
from test_store import CTX, QUICK, FakeClock, join

from assessment.store import Store
from assessment.workshop import AlreadySubmitted, InvalidInput, summary_json
from assessment.workshop.round_models import RoundProgress
from assessment.workshop.rounds import agreement_words, second_round_sentence

ITEM = QUICK[0]
FIRST = [1, 1, 2, 4, 5, 5]  # a wide spread: the statement leads the agenda
ROLES = ["doctor", "doctor", "nurse", "nurse", "executive", "executive"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(database_url: str, clock: FakeClock) -> Iterator[Store]:
    s = Store(database_url, clock=clock)
    yield s
    s.close()


def _workshop(store: Store, clock: FakeClock) -> tuple[str, str, list[str]]:
    created = store.create_workshop("Second round", CTX, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    tokens = []
    for i, (role, value) in enumerate(zip(ROLES, FIRST, strict=True)):
        token = join(store, code, role, client_key=f"p{i}")
        store.save_answers(token, {**dict.fromkeys(QUICK, 3), ITEM: value})
        clock.advance(seconds=1)
        store.submit(token)
        tokens.append(token)
    return code, key, tokens


def test_a_second_round_reaches_the_result_only_when_k_people_re_rated_together(store: Store, clock: FakeClock) -> None:
    code, key, tokens = _workshop(store, clock)
    first = store.summary(code, key)
    first_release = store.released_responses(code, key)
    assert [a.item_id for a in first.agenda][:1] == [ITEM]
    assert first.item_spread[ITEM].counts == [2, 1, 0, 1, 2]
    assert first.second_round is None
    assert store.second_round_task(tokens[0]) is None  # nothing open yet

    clock.advance(minutes=20)  # the reveal and the discussion
    info = store.open_second_round(code, key, [ITEM])
    assert info.second_round is not None and info.second_round.baseline == first.release.number
    task = store.second_round_task(tokens[0])
    assert task is not None and not task.done and task.answers == {ITEM: 1}  # their first answer, to keep or change

    for token in tokens[:2]:  # two re-rate: fewer than k, so the figures do not move
        clock.advance(seconds=5)
        store.submit_second_round(token, {ITEM: 3})
    waiting = store.summary(code, key)
    assert waiting.release.number == first.release.number
    assert waiting.item_spread[ITEM] == first.item_spread[ITEM]
    assert waiting.second_round is not None and not waiting.second_round.used
    assert "still uses the first-round answers" in second_round_sentence(waiting.second_round, 3)
    assert store.second_round_task(tokens[0]).done  # type: ignore[union-attr]
    assert waiting.second_round.progress == RoundProgress(asked=6, rerated=2)

    clock.advance(seconds=5)
    store.submit_second_round(tokens[5], {ITEM: 4})  # the third: k people's changed answers go in together
    after = store.summary(code, key)
    assert after.release.number == first.release.number + 1
    rc = after.second_round
    assert rc is not None and rc.used and rc.in_result == 3
    assert rc.progress == RoundProgress(asked=6, rerated=3)
    assert after.item_spread[ITEM].counts == [0, 1, 2, 2, 1]  # 3, 3, 2, 4, 4, 5
    change = rc.statements[0]
    assert change.before is not None and change.after is not None
    assert change.before.sd == first.item_spread[ITEM].sd
    assert change.after.sd is not None and change.before.sd is not None and change.after.sd < change.before.sd
    assert change.after.rwg is not None and change.before.rwg is not None and change.after.rwg > change.before.rwg
    assert [d.dimension for d in rc.dimensions] == [store.bank.item_by_id[ITEM].dimension]
    sentence = second_round_sentence(rc, 3)
    assert "3 of 6 people have re-rated 1 statement" in sentence and "uses their second-round answers" in sentence
    data = json.loads(summary_json(after))
    assert data["second_round"]["used"] is True

    # nothing the outputs published before and after lets anyone be worked out
    before_sets = published_sets(first, first_release)
    after_sets = published_sets(after, store.released_responses(code, key))
    for quantity in set(before_sets) | set(after_sets):
        assert not recovered(before_sets.get(quantity, []) + after_sets.get(quantity, [])), quantity


def test_second_round_refuses_what_it_cannot_do(store: Store, clock: FakeClock) -> None:
    created = store.create_workshop("Too early", CTX, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    with pytest.raises(InvalidInput, match="once the first results are released"):
        store.open_second_round(code, key, [ITEM])
    code, key, tokens = _workshop(store, clock)
    with pytest.raises(InvalidInput, match="at least one statement"):
        store.open_second_round(code, key, [])
    with pytest.raises(InvalidInput, match="no results the room could have seen"):
        store.open_second_round(code, key, ["no_such_statement"])
    with pytest.raises(InvalidInput, match="There is no second round"):
        store.submit_second_round(tokens[0], {ITEM: 3})
    with pytest.raises(InvalidInput, match="There is no second round"):
        store.close_second_round(code, key)
    with pytest.raises(InvalidInput, match="New answers were released since you looked"):
        store.open_second_round(code, key, [ITEM], seen_release=0)
    clock.advance(minutes=1)
    store.open_second_round(code, key, [ITEM], seen_release=1)
    with pytest.raises(InvalidInput, match="already been opened"):
        store.open_second_round(code, key, [ITEM])
    with pytest.raises(InvalidInput, match="Only the statements of the second round"):
        store.submit_second_round(tokens[0], {ITEM: 3, QUICK[1]: 2})
    with pytest.raises(InvalidInput, match="Answer every statement"):
        store.submit_second_round(tokens[0], {})
    with pytest.raises(InvalidInput):
        store.submit_second_round(tokens[0], {ITEM: 9})
    clock.advance(seconds=1)
    store.submit_second_round(tokens[0], {ITEM: "dont_know"})
    with pytest.raises(AlreadySubmitted):
        store.submit_second_round(tokens[0], {ITEM: 2})
    # a late joiner answers the whole questionnaire as usual: no second-round task until they submit
    late = join(store, code, "nurse", client_key="late")
    assert store.second_round_task(late) is None


def test_agreement_is_said_in_words() -> None:
    assert agreement_words(None) == "not enough ratings to judge agreement"
    assert agreement_words(0.95) == "very strong agreement (0.95)"
    assert agreement_words(0.1) == "no agreement (0.10)"
    assert second_round_sentence(None, 3) == ""


def test_the_group_pdf_says_the_result_uses_the_second_round(store: Store, clock: FakeClock) -> None:
    import io

    from pypdf import PdfReader

    from assessment.report.render import render_report
    from assessment.report.workshop_section import WorkshopSection

    code, key, tokens = _workshop(store, clock)
    clock.advance(minutes=5)
    store.open_second_round(code, key, [ITEM])
    for token in tokens[:3]:
        clock.advance(seconds=1)
        store.submit_second_round(token, {ITEM: 3})
    summary = store.summary(code, key)
    assert summary.second_round is not None and summary.second_round.used
    pdf = render_report(summary.result, store.bank, [], WorkshopSection.from_summary(summary))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    text = " ".join(" ".join(pages).split())
    assert "3 of 6 people have re-rated 1 statement" in text
    assert "uses their second-round answers" in " ".join(pages[0].split())  # on the cover
    assert "Workshop: second round" in text and "Before the discussion" in text and "After the second round" in text


def _roles_of_three(store: Store, clock: FakeClock) -> tuple[str, str, list[str]]:
    """Nine people, three per role, so each role's own figures are shown (k = 3)."""
    created = store.create_workshop("Three roles", CTX, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    tokens = []
    for i, (role, value) in enumerate(
        zip(["doctor"] * 3 + ["nurse"] * 3 + ["executive"] * 3, [1, 2, 1, 3, 4, 3, 5, 4, 5], strict=True)
    ):
        token = join(store, code, role, client_key=f"r{i}")
        store.save_answers(token, {**dict.fromkeys(QUICK, 3), ITEM: value})
        clock.advance(seconds=1)
        store.submit(token)
        tokens.append(token)
    return code, key, tokens


def _shown(summary: object) -> int:
    return sum(1 for a in summary.dimensions.values() if a.mean is not None)  # type: ignore[attr-defined]


def test_re_ratings_across_roles_never_cost_the_group_result(store: Store, clock: FakeClock) -> None:
    """One doctor, one nurse and one executive re-rate: after each role's own figures were shown, each role's
    change would be one person's, so those re-ratings wait (the group result stays) until closing the round
    releases everyone's answers together."""
    code, key, tokens = _roles_of_three(store, clock)
    first = store.summary(code, key)
    first_release = store.released_responses(code, key)
    assert first.release.number == 1 and _shown(first) > 0
    assert {g.role for g in first.role_groups} >= {"doctor", "nurse", "executive"}
    clock.advance(minutes=10)
    store.open_second_round(code, key, [ITEM])
    for token in (tokens[0], tokens[3], tokens[6]):
        clock.advance(seconds=1)
        store.submit_second_round(token, {ITEM: 3})
    waiting = store.summary(code, key)
    assert waiting.release.number == 1 and _shown(waiting) == _shown(first)
    assert waiting.result.recommendation.strategy == first.result.recommendation.strategy
    rc = waiting.second_round
    assert rc is not None and not rc.used and rc.progress == RoundProgress(asked=9, rerated=3)
    assert "still uses the first-round answers" in second_round_sentence(rc, 3)

    clock.advance(seconds=30)
    kept = store.close_second_round(code, key)
    assert kept == RoundProgress(asked=9, rerated=3)
    after = store.summary(code, key)
    assert after.release.number == 2 and _shown(after) == _shown(first)
    rc = after.second_round
    assert rc is not None and rc.used and rc.in_result == 3 and rc.info.closed_at is not None
    assert after.item_spread[ITEM].counts == [1, 1, 4, 2, 1]  # doctors 3 2 1, nurses 3 4 3, executives 3 4 5
    assert store.second_round_task(tokens[1]) is None  # closed before they re-rated: their first answers count
    with pytest.raises(InvalidInput, match="closed"):
        store.submit_second_round(tokens[1], {ITEM: 3})
    before_sets = published_sets(first, first_release)
    after_sets = published_sets(after, store.released_responses(code, key))
    for quantity in set(before_sets) | set(after_sets):
        assert not recovered(before_sets.get(quantity, []) + after_sets.get(quantity, [])), quantity


def test_late_joiners_and_reopened_people_are_not_counted_as_re_rating(store: Store, clock: FakeClock) -> None:
    code, key, tokens = _workshop(store, clock)
    clock.advance(minutes=5)
    store.open_second_round(code, key, [ITEM])
    late = join(store, code, "nurse", client_key="late")
    store.save_answers(late, dict.fromkeys(QUICK, 4))
    clock.advance(seconds=1)
    store.submit(late)
    assert store.second_round_task(late) is None  # not in the release the room discussed
    pid = store.participants(code, key)[1].participant_id
    store.reopen_participant(code, key, pid)
    clock.advance(seconds=1)
    store.submit(tokens[1])  # resubmitted unchanged after a reopening: not a re-rating
    progress = store.second_round_progress(code, key)
    assert progress == RoundProgress(asked=6, rerated=0)
    for token in tokens[2:5]:
        clock.advance(seconds=1)
        store.submit_second_round(token, {ITEM: 3})
    assert store.second_round_progress(code, key) == RoundProgress(asked=6, rerated=3)
    rc = store.summary(code, key).second_round
    # released: the reopened person's and the first two re-ratings with the late joiner (the third waits: with it,
    # only two first-round answers would remain, and two people's figures could be told apart)
    assert rc is not None and rc.progress.rerated == 3 and rc.in_result == 2
    assert "the second-round answers of 2 of them" in second_round_sentence(rc, 3)


def test_four_re_ratings_before_anyone_looks_release_as_many_as_can_go_together(store: Store, clock: FakeClock) -> None:
    """Four of six re-rate before the facilitator looks: all four would leave two first-round answers alone in an
    atom (fewer than k), so the earliest three go in and the fourth waits for more, or for the round to close."""
    code, key, tokens = _workshop(store, clock)
    clock.advance(minutes=5)
    store.open_second_round(code, key, [ITEM])
    for token in tokens[:4]:
        clock.advance(seconds=1)
        store.submit_second_round(token, {ITEM: 3})
    rc = store.summary(code, key).second_round
    assert rc is not None and rc.used and rc.in_result == 3
    assert "4 of 6 people have re-rated 1 statement; the group result uses the second-round answers of 3" in (
        second_round_sentence(rc, 3)
    )
    clock.advance(seconds=10)
    store.close_second_round(code, key)
    rc = store.summary(code, key).second_round
    assert rc is not None and rc.in_result == 4 and rc.progress == RoundProgress(asked=6, rerated=4)
