"""The Excel functions of :mod:`crmvalue_core.cohort_retention` (section Cohort retention).

The shifted-beta-geometric model of a cohort: its fit, survival, retention, discounted
expected (residual) lifetime and CLV.
"""

from __future__ import annotations

from .arguments import (
    confidence_argument,
    rate_argument,
)
from .model import (
    COHORT,
    NUMBER,
    RANGE,
    ROW,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]


def _alpha_beta() -> tuple[Argument, Argument]:
    return (
        Argument("alpha", NUMBER, "sBG alpha (> 0), e.g. from SBG_FIT."),
        Argument("beta", NUMBER, "sBG beta (> 0), e.g. from SBG_FIT."),
    )


_REGULAR_COHORT = [1000, 631, 468, 382, 326, 289, 262, 241]
_HIGH_END_COHORT = [1000, 869, 743, 653, 593, 551, 517, 491]

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="SBG_FIT",
        section=COHORT,
        summary="Fit the shifted-beta-geometric model to one cohort: a row [alpha, beta] "
        "(maximum likelihood, Fader & Hardie 2007).",
        description="A row [alpha, beta]: maximum likelihood from the customers still active "
        "at periods 0, 1, ..., n of one cohort (first value = cohort size, non-increasing). "
        "Those still active at n are censored.",
        args=(
            Argument(
                "survivors",
                RANGE,
                "Customers still active at periods 0, 1, ..., n; the first is the cohort size.",
            ),
            confidence_argument(),
        ),
        returns=ROW,
        core="crmvalue_core.cohort_retention.sbg_fit",
        examples=(
            Example(
                "SBG_FIT(A1:A8)",
                [[0.704, 1.182]],
                cells={"A1:A8": _REGULAR_COHORT},
                where="A1:A8 holds the 'regular' cohort 1000, 631, 468, 382, 326, 289, 262, "
                "241; the paper's estimates, to 3 decimals",
                abs_tol=1.5e-3,
            ),
            Example(
                "SBG_FIT(A1:A8, 0.95)",
                [
                    [0.7040773360, 1.1820430779],
                    [0.0655989690, 0.1524756421],
                    [0.5865618539, 0.9179816600],
                    [0.8451366072, 1.5220629115],
                ],
                cells={"A1:A8": _REGULAR_COHORT},
                where="A1:A8 holds the 'regular' cohort; rows: estimates, standard errors, "
                "lower and upper 95% bounds",
                rel_tol=1e-6,
                source="computed by crmvalue; the standard errors equal those of a Hessian "
                "of the paper's log-likelihood by second differences to 1e-4 (tests)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_SURVIVAL",
        section=COHORT,
        summary="sBG survival S(t) = B(alpha, beta+t) / B(alpha, beta): share of a cohort "
        "still active after t periods.",
        description="S(t) = B(alpha, beta+t)/B(alpha, beta): the share of a cohort still "
        "active after t periods.",
        args=(*_alpha_beta(), Argument("t", NUMBER, "Periods since acquisition (>= 0).")),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_survival",
        examples=(
            Example(
                "SBG_SURVIVAL(1, 1, 3)",
                0.25,
                source="by hand: alpha = beta = 1 gives S(t) = 1/(1+t)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_RETENTION",
        section=COHORT,
        summary="sBG retention rate in period t: (beta+t-1) / (alpha+beta+t-1), t >= 1.",
        description="r_t = (beta+t-1)/(alpha+beta+t-1), t >= 1: the share of those active "
        "in period t-1 who renew in period t.",
        args=(*_alpha_beta(), Argument("t", NUMBER, "The period (>= 1).")),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_retention",
        examples=(Example("SBG_RETENTION(1, 1, 3)", 0.75, source="by hand: (1+3-1)/(1+1+3-1)"),),
    ),
    ExcelFunction(
        name="SBG_DEL",
        section=COHORT,
        summary="sBG discounted expected lifetime from acquisition, sum over t >= 0 of "
        "S(t)/(1+d)^t; x margin for a CLV.",
        description="Discounted expected lifetime from acquisition, sum over t >= 0 of "
        "S(t)/(1+d)^t. Multiply by a margin for a CLV (or use SBG_CLV).",
        args=(*_alpha_beta(), rate_argument("discount_rate")),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_del",
        examples=(
            Example(
                "SBG_DEL(1, 1, 0.1)",
                2.6376848000782,
                abs_tol=1e-9,
                source="by hand: alpha = beta = 1 gives 1.1 ln(11)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_DERL",
        section=COHORT,
        summary="sBG discounted expected residual lifetime of a customer who has made "
        "`renewals` renewals (Fader & Hardie 2010).",
        description="Discounted expected residual lifetime of a customer who has made "
        "`renewals` renewals (Fader & Hardie 2010, with n = renewals + 1). Multiply by a "
        "margin for the residual value (or use SBG_CLV).",
        args=(
            *_alpha_beta(),
            rate_argument("discount_rate"),
            Argument("renewals", NUMBER, "Renewals the customer has made so far (>= 0)."),
        ),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_derl",
        examples=(
            Example(
                "SBG_DERL(1, 1, 0.1, 0)",
                1.8014532800860,
                abs_tol=1e-9,
                source="by hand: alpha = beta = 1 gives the sum over k >= 0 of (1/1.1)^k / (k+2)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_CLV",
        section=COHORT,
        summary="sBG customer lifetime value: margin x SBG_DEL, or margin x SBG_DERL when "
        "renewals is given.",
        description="margin x SBG_DEL (the value at acquisition), or margin x SBG_DERL when "
        "renewals is given (the residual value of a customer who has renewed that often).",
        args=(
            *_alpha_beta(),
            Argument("margin", NUMBER, "Margin per period while the customer is active."),
            rate_argument("discount_rate"),
            Argument(
                "renewals",
                NUMBER,
                "Renewals made so far; omitted, the value at acquisition.",
                optional=True,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_clv",
        examples=(
            Example(
                "SBG_CLV(1, 1, 100, 0.1)",
                263.76848000782,
                abs_tol=1e-7,
                source="by hand: 100 x SBG_DEL(1, 1, 0.1)",
            ),
            Example(
                "SBG_CLV(1, 1, 100, 0.1, 0)",
                180.14532800860,
                abs_tol=1e-7,
                source="by hand: 100 x SBG_DERL(1, 1, 0.1, 0)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_FIT_COHORTS",
        section=COHORT,
        summary="Fit one shifted-beta-geometric model to several acquisition cohorts: a row "
        "[alpha, beta] from a table, one row of survivors per cohort.",
        description="A row [alpha, beta]: maximum likelihood from a retention table, one row "
        "per cohort with the customers still active at periods 0, 1, ... (the first is the "
        "cohort size); cells beyond a younger cohort's age are left blank. All cohorts share "
        "alpha and beta. With confidence, three more rows: standard errors, lower, upper.",
        args=(
            Argument(
                "table",
                RANGE,
                "One row per cohort: survivors at periods 0, 1, ...; blank beyond its age.",
            ),
            confidence_argument(),
        ),
        returns=ROW,
        core="crmvalue_core.cohort_retention.sbg_fit_cohorts",
        examples=(
            Example(
                "SBG_FIT_COHORTS(A1:H2)",
                [[0.5807397788, 1.6785542414]],
                cells={"A1:H2": [_REGULAR_COHORT, _HIGH_END_COHORT]},
                where="A1:H2 holds the paper's 'regular' and 'high end' cohorts, one per row",
                rel_tol=1e-6,
                source="computed by crmvalue; each row alone gives the paper's estimates "
                "(0.704, 1.182 and 0.668, 3.806), and the joint log-likelihood at those is the "
                "sum of the two (tests)",
            ),
            Example(
                "SBG_FIT_COHORTS(A1:H2)",
                [[0.7015509959, 2.0821264230]],
                cells={"A1:H2": [_REGULAR_COHORT, [*_HIGH_END_COHORT[:5], None, None, None]]},
                where="row 2 is the 'high end' cohort observed for 4 periods only (blank after)",
                rel_tol=1e-6,
                source="computed by crmvalue",
            ),
            Example(
                "SBG_FIT_COHORTS({1000, 600, 650; 500, 300, 200})",
                error=("cohort 1 (row 1), period 2", "the survivors rise"),
                source="a cohort only loses customers",
            ),
        ),
    ),
)
