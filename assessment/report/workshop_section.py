"""What a facilitated workshop adds to the report: who took part, how far they agreed, and what to discuss.

The workshop feature fills this model; the report only prints it. Roles and dimensions use the ids of
`assessment.vocabulary`, so a typo is rejected here rather than printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..disclosure.policy import DEFAULT_MIN_GROUP, LOWEST_MIN_GROUP
from ..vocabulary import DIMENSION_IDS, Outcome, Role

if TYPE_CHECKING:  # the workshop domain pulls in numpy and pandas; import it only when it is used
    from ..workshop import WorkshopSummary


def _role(group: str) -> str:
    """The report's role id for a shown group: the merged group of small roles is printed as "Other"."""
    return "other" if group == "other_roles" else group


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DimensionSpread(_Model):
    """How the respondents' scores for one dimension were spread."""

    mean: float | None = Field(default=None, ge=1, le=5)
    """Mean of the respondents' dimension scores (1-5); None when nobody gave enough answers."""
    sd: float | None = Field(default=None, ge=0)
    """Standard deviation of the respondents' dimension scores."""
    r_wg: float | None = Field(default=None, ge=0, le=1)
    """Within-group agreement index: 1 = full agreement, 0 = no more agreement than random answers."""
    n: int = Field(ge=0)
    """Number of respondents with a usable score for the dimension."""


class AgendaItem(_Model):
    """An item the respondents disagreed on, to discuss at the workshop."""

    item_id: str
    text: str
    sd: float = Field(ge=0)
    means_by_role: dict[Role, float | None] = Field(default_factory=dict)
    """Mean rating per role (1-5, as answered; reverse items are not flipped)."""
    comments: list[str] = Field(default_factory=list)
    """A few of the respondents' comments on the item, if any."""


class RoleRecommendation(_Model):
    """The strategy one role's answers alone would lead to, where it differs from the overall one."""

    role: Role
    strategy: Outcome  # "insufficient_evidence": the role's answers alone cannot decide a strategy
    n: int = Field(ge=0)
    note: str = ""


class RoundRow(_Model):
    """One statement or dimension of a second round: agreement before the discussion and after the re-rating."""

    label: str
    before: str
    after: str


class SecondRound(_Model):
    """What the second round changed: one sentence (whether the result uses it) and agreement before and after."""

    sentence: str = Field(max_length=2000)
    rows: list[RoundRow] = Field(default_factory=list)


class WorkshopSection(_Model):
    title: str = Field(max_length=200)
    respondents_by_role: dict[Role, int]
    spread: dict[str, DimensionSpread] = Field(default_factory=dict)
    """Per dimension id."""
    agenda: list[AgendaItem] = Field(default_factory=list)
    """Items with the widest disagreement, most divided first."""
    role_recommendations: list[RoleRecommendation] = Field(default_factory=list)
    """Only the roles whose answers would lead to a different strategy."""
    consensus_used: bool = False
    """True when the facilitator recorded agreed scores and the report's result is built on them."""
    agreed_dimensions: list[str] = Field(default_factory=list)
    """Dimensions whose score in this report is the agreed one."""
    averaged_dimensions: list[str] = Field(default_factory=list)
    """Dimensions whose score is the mean of the individual scores."""
    min_group: int = Field(default=DEFAULT_MIN_GROUP, ge=LOWEST_MIN_GROUP)
    """No figure in the workshop part describes fewer people than this."""
    disagreement_index: float | None = None
    """Mean difference between role groups' scores for the same dimension (1-5 points)."""
    disagreement_note: str = Field(default="", max_length=2000)
    perception_gaps: list[str] = Field(default_factory=list)
    """One sentence per perception-gap dimension (managers against clinicians)."""
    pockets: str = Field(default="", max_length=2000)
    """Whether engagement is concentrated in some departments."""
    note: str = Field(default="", max_length=2000)
    """Optional facilitator's note on how the scores were combined."""
    second_round: SecondRound | None = None
    """Agreement before and after a second round, once one was opened."""

    @field_validator("spread")
    @classmethod
    def _known_dimensions(cls, v: dict[str, DimensionSpread]) -> dict[str, DimensionSpread]:
        unknown = sorted(set(v) - set(DIMENSION_IDS))
        if unknown:
            raise ValueError(f"unknown dimension id(s): {', '.join(unknown)}")
        return v

    def score_basis(self, label: dict[str, str]) -> str:
        """Which scores are agreed and which averaged, in one sentence (never "all agreed" when some are not)."""
        total = len(self.agreed_dimensions) + len(self.averaged_dimensions)
        if self.consensus_used and not self.agreed_dimensions:  # built without the lists
            return (
                "Agreed scores recorded by the facilitator are used where the group agreed one; the other scores "
                "are the mean of the respondents' own scores."
            )
        if not self.agreed_dimensions:
            return f"The scores are the mean of the respondents' own scores ({total} dimensions with enough answers)."
        names = ", ".join(label.get(d, d) for d in self.agreed_dimensions)
        return (
            f"Agreed scores recorded by the facilitator are used for {len(self.agreed_dimensions)} of {total} "
            f"dimensions ({names}); the other {len(self.averaged_dimensions)} are the mean of the respondents' own "
            "scores."
        )

    @property
    def respondents(self) -> int:
        return sum(self.respondents_by_role.values())

    @classmethod
    def from_summary(cls, summary: WorkshopSummary) -> WorkshopSection:
        """Build the report's workshop section from the workshop domain's summary."""
        spread = {d: DimensionSpread(mean=a.mean, sd=a.sd, r_wg=a.rwg, n=a.n) for d, a in summary.dimensions.items()}
        agenda = [
            AgendaItem(
                item_id=a.item_id,
                text=a.text,
                sd=a.sd or 0.0,
                means_by_role={_role(r): g.mean for r, g in a.by_role.items() if _role(r)},
                comments=list(a.comments),
            )
            for a in summary.agenda
        ]
        roles = [
            RoleRecommendation(role=g.role, strategy=g.strategy, n=g.respondents)
            for g in summary.role_groups
            if g.differs_from_group and g.strategy is not None
        ]
        note = summary.method
        if summary.consensus_dimensions:
            note += f" Agreed scores were recorded for {len(summary.consensus_dimensions)} dimension(s)."
        return cls(
            title=summary.title,
            # the shown groups (roles of fewer than the workshop's minimum are merged into "Other")
            respondents_by_role={_role(g.role): g.respondents for g in summary.role_groups if _role(g.role)},
            spread=spread,
            agenda=agenda,
            role_recommendations=roles,
            consensus_used=summary.consensus_used,
            agreed_dimensions=list(summary.consensus_dimensions),
            averaged_dimensions=list(summary.averaged_dimensions),
            min_group=summary.min_group,
            disagreement_index=summary.role_disagreement.index,
            disagreement_note=summary.role_disagreement.explanation[:2000],
            perception_gaps=[g.explanation for g in summary.perception_gaps],
            pockets=summary.department_pockets.explanation[:2000],
            note=note[:2000],
            second_round=second_round_of(summary),
        )


def second_round_of(summary: WorkshopSummary) -> SecondRound | None:
    """The second round as the report prints it: agreement in words with r_wg and SD, per statement and dimension."""
    from ..workshop.rounds import second_round_sentence, spread_text

    rc = summary.second_round
    if rc is None:
        return None
    pairs = [(c.text, c.before, c.after) for c in rc.statements]
    pairs += [(f"Dimension: {d.label}", d.before, d.after) for d in rc.dimensions]
    after = "not in the figures yet"
    rows = [RoundRow(label=t, before=spread_text(b), after=spread_text(a) if rc.used else after) for t, b, a in pairs]
    return SecondRound(sentence=second_round_sentence(rc, summary.min_group), rows=rows)
