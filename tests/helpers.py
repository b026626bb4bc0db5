"""Helpers shared by the test suites: the AppTest pages (single respondent and workshop) and the rules tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

    from assessment.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
# The organiser key of the served workshop app (24 random URL-safe characters): row-level downloads need it.
ORGANISER_KEY = "Vq8mZ2rT_x4LkN7pW3cY9hJd"
HOSTILE = "<script>alert(1)</script> **bold** [click](https://evil.example) :red[red] $x$ # heading"
# A profile the rules send to two-step work (a radical innovation, step one not yet evidenced).
TWO_STEP = {
    "multiplicity": 4.5,
    "heterogeneity": 4.5,
    "ambiguity": 3.0,
    "professional_resistance": 3.0,
    "early_adopters": 4.0,
    "learning_infrastructure": 4.0,
    "mediating_managers": 4.0,
    "top_down_support": 4.0,
}


# Six people whose answers put the first two quick-scan statements on the disagreement agenda: doctors and
# executives rate them far apart, everything else 3.
SPLIT_ROLES = ["doctor", "doctor", "doctor", "executive", "executive", "executive"]
SPLIT_LOW, SPLIT_HIGH = [1, 2, 1], [5, 4, 5]


def seed_split_workshop(store: Store, title: str) -> tuple[str, str, list[str]]:
    """A quick-scan workshop (k = 3) of the six above, all submitted: its join code, facilitator key and agenda."""
    created = store.create_workshop(title, None, "quick", min_group_size=3)
    code, key = created.workshop.join_code, created.facilitator_key
    items = [i.id for i in store.bank.items_for("quick")]
    for n, role in enumerate(SPLIT_ROLES):
        token = store.join_workshop(code, role, client_key=f"{title}-{n}").participant_token
        value = SPLIT_LOW[n] if n < 3 else SPLIT_HIGH[n - 3]
        store.save_answers(token, {**{i: (3, "") for i in items}, **{i: (value, "") for i in items[:2]}})
        store.submit(token)
    return code, key, [a.item_id for a in store.summary(code, key).agenda]


def plain(markdown: str) -> str:
    """Undo Markdown backslash escapes, to compare what a reader sees with the source text."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown):
            i += 1
        out.append(markdown[i])
        i += 1
    return "".join(out)


def answer_statement(at: AppTest, key: str, value: object, *, comment: bool = False) -> AppTest:
    """Answer (or comment on) a workshop statement as a participant does, then draw the whole page again.

    The statement's callback reruns only the page's saved count and its move to the next question
    (`answering._after_statement`). A browser keeps the statements as they were drawn; AppTest's tree holds
    just what the last run drew, so the page is run once more, as a reload would show it."""
    widget = at.text_input(key=key) if comment else at.radio(key=key)
    widget.set_value(value).run()
    assert not at.exception
    return at.run()
