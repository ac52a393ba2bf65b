"""The Excel functions of :mod:`crmvalue_core.survey_metrics` (section Customer metrics).

NPS from answers or counts, its margin of error and interval, CSAT, top-box CSAT and CES.
"""

from __future__ import annotations

from .model import (
    METRICS,
    NUMBER,
    RANGE,
    ROW,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]


def _scores(help_text: str = "The answers, one per cell; blank cells are skipped.") -> Argument:
    return Argument("scores", RANGE, help_text)


def _nps_scores_and_confidence() -> tuple[Argument, Argument]:
    """The arguments of NPS_MOE and NPS_CI: NPS answers and a confidence level."""
    return (
        _scores("The answers (whole scores 0 to 10), one per cell; blanks are skipped."),
        Argument(
            "confidence",
            NUMBER,
            "Confidence level between 0 and 1.",
            optional=True,
            default=0.95,
        ),
    )


_SCORES_50_30_20 = [10] * 50 + [8] * 30 + [0] * 20
_SCORES_WHERE = "A1:A100 holds 50 scores of 10, 30 of 8 and 20 of 0"

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="NPS",
        section=METRICS,
        summary="Net Promoter Score on -100..100: % promoters (9-10) minus % detractors "
        "(0-6); blank cells are skipped.",
        description="% promoters (9-10) minus % detractors (0-6) of the answers, on "
        "-100..100. Blanks are skipped; a non-integer or a score outside 0..10 is an error "
        "naming the first bad cell; no answers at all is an error.",
        args=(_scores("The answers (whole scores 0 to 10), one per cell; blanks are skipped."),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.nps",
        examples=(
            Example("NPS({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})", -40.0),
            Example("NPS({9, 10, 6, 8})", 25.0),
            Example(
                "NPS({9, 11, 6})",
                error=("NPS", "scores item 2", "11"),
                source="by hand: 11 is outside 0..10",
            ),
        ),
    ),
    ExcelFunction(
        name="NPS_COUNTS",
        section=METRICS,
        summary="Net Promoter Score from the counts of promoters, passives and detractors.",
        description="NPS from counts: 100 x (promoters - detractors) / (promoters + passives "
        "+ detractors).",
        args=(
            Argument("promoters", NUMBER, "Number of promoters (scores 9-10)."),
            Argument("passives", NUMBER, "Number of passives (scores 7-8)."),
            Argument("detractors", NUMBER, "Number of detractors (scores 0-6)."),
        ),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.nps_counts",
        examples=(Example("NPS_COUNTS(60, 20, 20)", 40.0),),
    ),
    ExcelFunction(
        name="NPS_MOE",
        section=METRICS,
        summary="Margin of error of the NPS in points (Wald): z x sqrt((p + d - (p - d)^2) / "
        "n) x 100.",
        description="Margin of error of the NPS in points (Wald): z x sqrt((p + d - (p - "
        "d)^2) / n) x 100, p and d the promoter and detractor shares, z from the confidence "
        "level (default 0.95).",
        args=(*_nps_scores_and_confidence(),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.nps_moe",
        examples=(
            Example(
                "NPS_MOE(A1:A100)",
                15.31,
                cells={"A1:A100": _SCORES_50_30_20},
                where=_SCORES_WHERE + " (NPS 30)",
                abs_tol=0.005,
            ),
        ),
    ),
    ExcelFunction(
        name="NPS_CI",
        section=METRICS,
        summary="Confidence interval of the NPS as a row [low, high] (adjusted Wald, Rocks "
        "2016), clipped to -100..100.",
        description="A row [low, high]: the adjusted-Wald interval (Rocks, The American "
        "Statistician, 2016): n' = n + 3, promoters + 0.75, detractors + 0.75, then the Wald "
        "interval of the adjusted shares, clipped to [-100, 100].",
        args=(*_nps_scores_and_confidence(),),
        returns=ROW,
        core="crmvalue_core.survey_metrics.nps_ci",
        examples=(
            Example(
                "NPS_CI(A1:A100)",
                [[14.05113018, 44.20129701]],
                cells={"A1:A100": _SCORES_50_30_20},
                where=_SCORES_WHERE,
                abs_tol=5e-8,
                source="by hand from the adjusted-Wald formula",
            ),
        ),
    ),
    ExcelFunction(
        name="CSAT",
        section=METRICS,
        summary="Customer satisfaction: the mean score of the answers; blank cells are skipped.",
        description="CSAT: the mean score of the answers (100 answers summing to 800 give 8). "
        "Blanks are skipped.",
        args=(_scores("The answers (scores >= 0), one per cell; blanks are skipped."),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.csat",
        examples=(
            Example(
                "CSAT(A1:A100)",
                8.0,
                cells={"A1:A100": [7] * 50 + [9] * 50},
                where="A1:A100 holds 50 scores of 7 and 50 of 9 (100 answers summing to 800)",
            ),
        ),
    ),
    ExcelFunction(
        name="CSAT_TOPBOX",
        section=METRICS,
        summary="Top-box CSAT: share of answers in the top boxes (default 2) points of a "
        "1..scale_max scale.",
        description="Share of the answers in the top `boxes` (default 2) points of a "
        "1..scale_max scale, as a decimal. Blanks are skipped.",
        args=(
            _scores("The answers (whole scores 1 to scale_max), one per cell; blanks skipped."),
            Argument("scale_max", NUMBER, "Highest score of the scale (5 for a 1-5 scale)."),
            Argument(
                "boxes",
                NUMBER,
                "How many top points count as satisfied.",
                optional=True,
                default=2.0,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.csat_topbox",
        examples=(
            Example(
                "CSAT_TOPBOX({5, 4, 3, 5, 1}, 5)",
                0.6,
                source="by hand: 3 of 5 answers are 4 or 5",
            ),
        ),
    ),
    ExcelFunction(
        name="CES",
        section=METRICS,
        summary="Customer effort score: the mean effort score of the answers; blank cells are "
        "skipped.",
        description="CES: the mean effort score of the answers. Blanks are skipped.",
        args=(_scores("The answers (scores >= 0), one per cell; blanks are skipped."),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.ces",
        examples=(Example("CES({2, 3, 4})", 3.0, source="by hand: the mean"),),
    ),
)
