"""The catalog's data model: pydantic v2 models for tactics, categories and sources.

Every model is strict about its shape (unknown fields are errors) and uses enums for closed
vocabularies, so a typo in a YAML file is caught at load time with the file and line named.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TACTIC_ID_PATTERN = r"^(T|E)\d{2}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SOURCE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
VERSION_PATTERN = r"^\d+\.\d+$"

TacticId = Annotated[str, Field(pattern=TACTIC_ID_PATTERN, description="Stable ID, never reused")]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
SourceId = Annotated[str, Field(pattern=SOURCE_ID_PATTERN)]
OneLine = Annotated[str, Field(min_length=1, max_length=240, pattern=r"^[^\n]+$")]
Prose = Annotated[str, Field(min_length=1)]

DESCRIPTION_MIN_WORDS = 80
DESCRIPTION_MAX_WORDS = 250


class StrictModel(BaseModel):
    """Base for catalog records: unknown fields are errors, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Category(str, Enum):
    """The six categories of the paper."""

    DATA_CENTRIC = "data-centric"
    ALGORITHM_DESIGN = "algorithm-design"
    MODEL_OPTIMIZATION = "model-optimization"
    MODEL_TRAINING = "model-training"
    DEPLOYMENT = "deployment"
    MANAGEMENT = "management"


class QualityAttribute(str, Enum):
    """Quality attributes a tactic targets or affects."""

    ENERGY_EFFICIENCY = "energy-efficiency"
    ACCURACY = "accuracy"
    PERFORMANCE = "performance"
    DATA_REPRESENTATIVENESS = "data-representativeness"
    RECOVERABILITY = "recoverability"
    RESOURCE_UTILIZATION = "resource-utilization"
    MAINTAINABILITY = "maintainability"
    PRIVACY = "privacy"
    COST = "cost"


class Role(str, Enum):
    """Who applies a tactic (the paper's participant, plus roles practitioners use)."""

    DATA_SCIENTIST = "data-scientist"
    ML_ENGINEER = "ml-engineer"
    SOFTWARE_DESIGNER = "software-designer"
    PLATFORM_ENGINEER = "platform-engineer"


class Artifact(str, Enum):
    """What a tactic changes."""

    DATA = "data"
    ALGORITHM = "algorithm"
    ML_ALGORITHM = "ml-algorithm"
    MODEL = "model"
    MEMORY = "memory"
    HARDWARE = "hardware"
    ML_MODEL = "ml-model"
    DEPLOYMENT_TOPOLOGY = "deployment-topology"


class LifecycleStage(str, Enum):
    """Where in the ML lifecycle a tactic is applied."""

    DATA_PREPARATION = "data-preparation"
    MODEL_DESIGN = "model-design"
    TRAINING = "training"
    EVALUATION = "evaluation"
    DEPLOYMENT = "deployment"
    INFERENCE = "inference"
    MONITORING = "monitoring"


class Framework(str, Enum):
    """Frameworks a how-to-apply hint can be written for."""

    PYTORCH = "pytorch"
    KERAS = "keras"
    SCIKIT_LEARN = "scikit-learn"
    HUGGING_FACE = "hugging-face"
    GENERAL = "general"


class Effect(str, Enum):
    """Direction of a trade-off's effect on a quality attribute."""

    IMPROVES = "improves"
    DEGRADES = "degrades"
    DEPENDS = "depends"


class RelationKind(str, Enum):
    """Typed links between tactics."""

    COMPLEMENTS = "complements"
    ALTERNATIVE_TO = "alternative-to"
    CONFLICTS_WITH = "conflicts-with"
    REQUIRES = "requires"
    ENABLES = "enables"
    SPECIALIZES = "specializes"
    GENERALIZES = "generalizes"

    @property
    def inverse(self) -> RelationKind:
        """The kind the target states back (itself for symmetric kinds)."""
        return _INVERSE_RELATIONS.get(self, self)

    @property
    def symmetric(self) -> bool:
        """Whether the relation reads the same from both ends."""
        return self.inverse is self


_INVERSE_RELATIONS = {
    RelationKind.REQUIRES: RelationKind.ENABLES,
    RelationKind.ENABLES: RelationKind.REQUIRES,
    RelationKind.SPECIALIZES: RelationKind.GENERALIZES,
    RelationKind.GENERALIZES: RelationKind.SPECIALIZES,
}


class Detectability(str, Enum):
    """How far a linter can see the tactic in code."""

    STATIC = "static"
    PARTIAL = "partial"
    ARCHITECTURAL = "architectural"


class Origin(str, Enum):
    """Whether a tactic is one of the paper's 30 or a project extension."""

    PAPER = "paper"
    EXTENSION = "extension"


class Status(str, Enum):
    """Editorial status of a record."""

    DRAFT = "draft"
    STABLE = "stable"
    DEPRECATED = "deprecated"


class Qualities(StrictModel):
    """The quality attribute a tactic targets and the ones it also touches."""

    target: QualityAttribute
    related: list[QualityAttribute] = Field(default_factory=list)


class FrameworkHint(StrictModel):
    """How to apply a tactic in one framework, with an optional code snippet."""

    framework: Framework
    advice: Prose
    code: str | None = None


class HowToApply(StrictModel):
    """Concrete steps, plus framework-specific hints."""

    steps: list[Prose] = Field(min_length=1)
    frameworks: list[FrameworkHint] = Field(default_factory=list)


class Tradeoff(StrictModel):
    """One quality attribute the tactic affects, in which direction, and why."""

    quality: QualityAttribute
    effect: Effect
    note: Prose


class MeasuredImpact(StrictModel):
    """A figure reported in the literature for this tactic."""

    metric: OneLine = Field(description="What was measured, e.g. 'energy reduction'")
    value: float
    unit: OneLine = Field(description="Unit of value, e.g. '%' or 'x'")
    upper_bound: bool = Field(default=False, description="True when the source says 'up to'")
    compared: Prose = Field(description="What the tactic was compared against, in our words")
    source: SourceId


class Relationship(StrictModel):
    """A typed link from this tactic to another."""

    kind: RelationKind
    target: TacticId
    note: str | None = None


class Tactic(StrictModel):
    """One green architectural tactic."""

    id: TacticId
    slug: Slug
    name: OneLine
    aliases: list[str] = Field(default_factory=list)
    category: Category
    origin: Origin
    summary: OneLine
    description: Prose
    problem: Prose
    how_to_apply: HowToApply
    tradeoffs: list[Tradeoff] = Field(min_length=1)
    participants: list[Role] = Field(min_length=1)
    artifact: Artifact
    qualities: Qualities
    lifecycle_stages: list[LifecycleStage] = Field(min_length=1)
    measured_impact: list[MeasuredImpact] = Field(default_factory=list)
    sources: list[SourceId] = Field(min_length=1)
    relationships: list[Relationship] = Field(default_factory=list)
    detectability: Detectability
    detectability_note: Prose
    status: Status
    replaced_by: TacticId | None = None
    version: Annotated[str, Field(pattern=VERSION_PATTERN)]
    created: dt.date
    modified: dt.date
    notes: list[Prose] = Field(
        default_factory=list, description="Editorial notes, e.g. corrections to the archive"
    )

    @field_validator("description")
    @classmethod
    def _description_length(cls, value: str) -> str:
        words = len(re.findall(r"\S+", value))
        if not DESCRIPTION_MIN_WORDS <= words <= DESCRIPTION_MAX_WORDS:
            raise ValueError(
                f"description has {words} words; write {DESCRIPTION_MIN_WORDS} to "
                f"{DESCRIPTION_MAX_WORDS}"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Tactic:
        if self.modified < self.created:
            raise ValueError("modified must not be before created")
        if (self.status is Status.DEPRECATED) != (self.replaced_by is not None):
            raise ValueError("replaced_by is set exactly when status is deprecated")
        expected_prefix = "T" if self.origin is Origin.PAPER else "E"
        if not self.id.startswith(expected_prefix):
            raise ValueError(
                f"{self.origin.value} tactics have IDs starting with {expected_prefix}"
            )
        return self


class CategoryInfo(StrictModel):
    """A category of tactics, as listed in categories.yaml."""

    id: Category
    name: OneLine
    summary: OneLine
    description: Prose


class Source(StrictModel):
    """A publication cited by the catalog, listed once in sources.yaml."""

    id: SourceId
    authors: list[str] = Field(min_length=1)
    title: OneLine
    venue: OneLine
    year: int = Field(ge=1950, le=2100)
    doi: Annotated[str, Field(pattern=DOI_PATTERN)] | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    note: str | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if self.doi is None and self.url is None:
            raise ValueError("a source needs a doi or a url")
        return self

    @property
    def link(self) -> str:
        """The canonical link: the DOI resolver when a DOI exists, else the URL."""
        return f"https://doi.org/{self.doi}" if self.doi else str(self.url)
