"""The Excel functions of :mod:`crmvalue_core.purchase_history` (section Purchase history).

BG/NBD and Gamma-Gamma: fitting them to customers' purchase histories, expected purchases,
the probability of being alive, expected spend and the predicted CLV of each customer, and
the holdout test of the model (:mod:`crmvalue_core.purchase_history.validation`). An
extension beyond the catalogue, documented in ``docs/purchase_history.md``; the examples
use a slice of the CDNOW sample (:mod:`addin.excel.example_data`).
"""

from __future__ import annotations

from ..example_data import (
    CDNOW_EVERY_12TH_AGE,
    CDNOW_EVERY_12TH_CLV_INTERVALS,
    CDNOW_EVERY_12TH_FREQUENCY,
    CDNOW_EVERY_12TH_MONETARY,
    CDNOW_EVERY_12TH_RECENCY,
)
from .arguments import confidence_argument
from .model import (
    NUMBER,
    PURCHASE_HISTORY,
    RANGE,
    ROW,
    TABLE,
    TEXT,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]

_CDNOW_12TH_WHERE = (
    "A2:A197, B2:B197, C2:C197 and D2:D197 hold frequency, recency and age (weeks) and the "
    "mean repeat spend of every 12th customer of the CDNOW sample (IDs 12, 24, ..., 2352; "
    "addin/example_data.py)"
)
_CDNOW_12TH_CELLS = {
    "A2:A197": list(CDNOW_EVERY_12TH_FREQUENCY),
    "B2:B197": list(CDNOW_EVERY_12TH_RECENCY),
    "C2:C197": list(CDNOW_EVERY_12TH_AGE),
    "D2:D197": list(CDNOW_EVERY_12TH_MONETARY),
}
_PAPER_BGNBD = "0.243, 4.414, 0.793, 2.426"
_PAPER_GG = "6.25, 3.74, 15.44"
_CDNOW_HISTORIES = "{2; 7; 0}, {30.43; 29.43; 0}, {38.86; 38.86; 38.86}"
_CDNOW_CUSTOMERS = (
    "the papers' CDNOW estimates (weeks) and CDNOW sample customers 1, 6 and 3; lifetimes "
    "0.11.3 gives the same to 1e-8"
)


def _bgnbd_parameters() -> tuple[Argument, ...]:
    return (
        Argument("r", NUMBER, "BG/NBD r (> 0), e.g. from BGNBD_FIT."),
        Argument("alpha", NUMBER, "BG/NBD alpha (> 0), in the time unit of the data."),
        Argument("a", NUMBER, "BG/NBD a (> 0), e.g. from BGNBD_FIT."),
        Argument("b", NUMBER, "BG/NBD b (> 0), e.g. from BGNBD_FIT."),
    )


def _gg_parameters() -> tuple[Argument, ...]:
    return (
        Argument("p", NUMBER, "Gamma-Gamma p (> 0), e.g. from GG_FIT."),
        Argument("q", NUMBER, "Gamma-Gamma q (> 1), e.g. from GG_FIT."),
        Argument("gamma", NUMBER, "Gamma-Gamma gamma (> 0), e.g. from GG_FIT."),
    )


def _history(optional: bool = False) -> tuple[Argument, ...]:
    return (
        Argument(
            "frequency",
            RANGE,
            "Repeat purchases of each customer (whole numbers >= 0), one per row.",
            optional=optional,
        ),
        Argument(
            "recency",
            RANGE,
            "Time from each customer's first to last purchase (0 without repeat purchases).",
            optional=optional,
        ),
        Argument(
            "age",
            RANGE,
            "Time from each customer's first purchase to the end of the observation period.",
            optional=optional,
        ),
    )


_MONETARY = Argument(
    "monetary_value", RANGE, "Mean value of each customer's repeat purchases (0 without)."
)

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="BGNBD_FIT",
        section=PURCHASE_HISTORY,
        summary="Fit the BG/NBD purchase model to customers' histories: a row [r, alpha, a, b] "
        "(maximum likelihood, Fader, Hardie & Lee 2005).",
        description="A row [r, alpha, a, b]: the maximum-likelihood BG/NBD parameters of the "
        "customers' histories (one row per customer: repeat purchases, recency, age, in one "
        "time unit such as weeks). alpha is in that time unit. For speed, fit once: put "
        "BGNBD_FIT in one cell and point PREDICTED_CLV and BGNBD_P_ALIVE at the cells of its "
        "row; a fit typed inside many cells on the same ranges is kept for its exact inputs "
        "and computed once per recalculation.",
        args=(*_history(), confidence_argument()),
        returns=ROW,
        core="crmvalue_core.purchase_history.bgnbd_fit",
        examples=(
            Example(
                "BGNBD_FIT(A2:A197, B2:B197, C2:C197)",
                [[0.2186308927, 4.141582836, 0.8472418691, 2.276531938]],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE,
                rel_tol=1e-6,
                source="computed by crmvalue; lifetimes 0.11.3 BetaGeoFitter gives the same "
                "to 1e-5 (the whole sample gives the paper's 0.243, 4.414, 0.793, 2.426)",
            ),
            Example(
                "BGNBD_FIT(A2:A197, B2:B197, C2:C197, 0.95)",
                [
                    [0.2186308927, 4.141582836, 0.8472418691, 2.276531938],
                    [0.04059207271, 1.311452009, 0.6633378929, 2.185789589],
                    [0.1519404185, 2.226533907, 0.1826288302, 0.3467376628],
                    [0.3145934949, 7.703771469, 3.930479016, 14.94673991],
                ],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE + "; rows: estimates, standard errors, lower and upper "
                "95% bounds",
                rel_tol=1e-5,
                source="computed by crmvalue; lifetimes 0.11.3 summary['se(coef)'] gives the "
                "same standard errors to 1e-5",
            ),
            Example(
                "BGNBD_FIT({0; 0; 0}, {0; 0; 0}, {10; 20; 30})",
                error=("no customer made a repeat purchase",),
                source="nobody buys twice: nothing to fit",
            ),
            Example(
                "BGNBD_FIT({1; 2}, {5; 40}, {30; 30})",
                error=("recency item 2", "above age"),
                source="a last purchase after the end of the period",
            ),
        ),
    ),
    ExcelFunction(
        name="BGNBD_PURCHASES",
        section=PURCHASE_HISTORY,
        summary="BG/NBD expected purchases in the next t time units: of a new customer, or "
        "of each customer given frequency, recency and age (a column).",
        description="The expected number of purchases in (T, T+t] under BG/NBD: without the "
        "history, of a customer who has just made a first purchase (paper eq. 9); with it, "
        "of each customer given its history (eq. 10), one value per row.",
        args=(
            *_bgnbd_parameters(),
            Argument("t", NUMBER, "Length of the forecast period, in the time unit of the data."),
            *_history(optional=True),
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.bgnbd_purchases",
        per_row=True,
        examples=(
            Example(
                f"BGNBD_PURCHASES({_PAPER_BGNBD}, 39)",
                1.1967231933207982,
                rel_tol=1e-10,
                source="the paper's CDNOW estimates, a new customer over 39 weeks; lifetimes "
                "0.11.3 gives the same to 1e-8",
            ),
            Example(
                f"BGNBD_PURCHASES({_PAPER_BGNBD}, 39, {_CDNOW_HISTORIES})",
                [[1.226028174767141], [3.3370532748513844], [0.19509805201125427]],
                rel_tol=1e-10,
                source=_CDNOW_CUSTOMERS,
            ),
            Example(
                f"BGNBD_PURCHASES({_PAPER_BGNBD}, 39, {{2; 7}})",
                error=("frequency, recency and age together",),
                source="a history needs all three ranges",
            ),
        ),
    ),
    ExcelFunction(
        name="BGNBD_P_ALIVE",
        section=PURCHASE_HISTORY,
        summary="BG/NBD probability that each customer is still alive (has not dropped out), "
        "from frequency, recency and age; 1 without repeat purchases.",
        description="P(alive | x, t_x, T) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) "
        "for x > 0, and 1 for a customer without repeat purchases; one value per row.",
        args=(*_bgnbd_parameters(), *_history()),
        returns=VALUE,
        core="crmvalue_core.purchase_history.bgnbd_p_alive",
        per_row=True,
        examples=(
            Example(
                "BGNBD_P_ALIVE(1, 1, 1, 2, {1; 0}, {1; 0}, {3; 3})",
                [[1 / 3], [1.0]],
                rel_tol=1e-12,
                source="by hand: 1 / (1 + 1/2 x (4/2)^2) = 1/3; no repeat purchase gives 1",
            ),
            Example(
                f"BGNBD_P_ALIVE({_PAPER_BGNBD}, {_CDNOW_HISTORIES})",
                [[0.726578570080673], [0.6417563459461072], [1.0]],
                rel_tol=1e-10,
                source=_CDNOW_CUSTOMERS,
            ),
            Example(
                "BGNBD_P_ALIVE(1, 1, 1, 2, {1; 0}, {0; 0}, {3; 3})",
                error=("recency item 1", "frequency is 1"),
                source="repeat purchases need a recency above 0",
            ),
        ),
    ),
    ExcelFunction(
        name="GG_FIT",
        section=PURCHASE_HISTORY,
        summary="Fit the Gamma-Gamma spend model: a row [p, q, gamma] from repeat purchases "
        "and mean repeat spend (maximum likelihood, Fader, Hardie & Lee 2005).",
        description="A row [p, q, gamma]: the maximum-likelihood Gamma-Gamma parameters of "
        "the customers' mean repeat spend. Customers without repeat purchases are left out "
        "of the fit. As for BGNBD_FIT, fit once in one cell and point GG_SPEND and "
        "PREDICTED_CLV at its row; the same ranges in many cells are fitted once.",
        args=(
            Argument(
                "frequency",
                RANGE,
                "Repeat purchases of each customer (whole numbers >= 0), one per row.",
            ),
            _MONETARY,
            confidence_argument(),
        ),
        returns=ROW,
        core="crmvalue_core.purchase_history.gg_fit",
        examples=(
            Example(
                "GG_FIT(A2:A197, D2:D197)",
                [[5.579425478, 3.411794047, 15.63314419]],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE,
                rel_tol=1e-6,
                source="computed by crmvalue; lifetimes 0.11.3 GammaGammaFitter gives the same "
                "to 1e-5 (the whole sample gives the paper's 6.25, 3.74, 15.44)",
            ),
            Example(
                "GG_FIT(A2:A197, D2:D197, 0.95)",
                [
                    [5.579425478, 3.411794047, 15.63314419],
                    [3.192750731, 0.8614379514, 12.68139147],
                    [1.817610891, 2.080005140, 3.188330646],
                    [17.12687177, 5.596302813, 76.65302768],
                ],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE + "; rows: estimates, standard errors, lower and upper "
                "95% bounds",
                rel_tol=1e-5,
                source="computed by crmvalue; lifetimes 0.11.3 summary['se(coef)'] gives the "
                "same standard errors to 1e-5",
            ),
            Example(
                "GG_FIT({0; 0; 3}, {0; 0; 20})",
                error=("fewer than 2 customers with repeat purchases",),
                source="one repeat buyer cannot identify a spread",
            ),
        ),
    ),
    ExcelFunction(
        name="GG_SPEND",
        section=PURCHASE_HISTORY,
        summary="Gamma-Gamma expected spend per purchase of each customer: a weighted mean of "
        "the population mean and the customer's own mean repeat spend.",
        description="E[Z | x, zbar] = (q-1)/(px+q-1) x gamma p/(q-1) + px/(px+q-1) x zbar: "
        "the population mean gamma p/(q-1) for a customer without repeat purchases, moving "
        "toward the customer's own mean with more purchases. One value per row.",
        args=(
            *_gg_parameters(),
            Argument(
                "frequency",
                RANGE,
                "Repeat purchases of each customer (whole numbers >= 0), one per row.",
            ),
            _MONETARY,
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.gg_spend",
        per_row=True,
        examples=(
            Example(
                "GG_SPEND(1, 2, 10, {2; 0}, {20; 0})",
                [[50 / 3], [10.0]],
                rel_tol=1e-12,
                source="by hand: weight 2/3 on the own mean 20 and 1/3 on the population "
                "mean 10 x 1 / (2 - 1) = 10",
            ),
            Example(
                f"GG_SPEND({_PAPER_GG}, 2, 22.35)",
                24.663713910761157,
                rel_tol=1e-12,
                source="the paper's estimates and CDNOW customer 1",
            ),
            Example(
                "GG_SPEND(6.25, 0.9, 15.44, 2, 22.35)",
                error=("q is 0.9", "q > 1"),
                source="q <= 1: the population mean spend is infinite",
            ),
        ),
    ),
    ExcelFunction(
        name="PREDICTED_CLV",
        section=PURCHASE_HISTORY,
        summary="Discounted predicted CLV of each customer over a horizon in months, from "
        "the BG/NBD and Gamma-Gamma parameters and the customer's history.",
        description="margin x GG expected spend x sum over months i = 1..months of "
        "(E[Y(t_i)] - E[Y(t_(i-1))]) / (1+d)^i, with E[Y(t)] the BG/NBD conditional expected "
        "purchases and a month of 4.345 weeks or 30 days (as lifetimes). One value per row.",
        args=(
            *_bgnbd_parameters(),
            *_gg_parameters(),
            *_history(),
            _MONETARY,
            Argument("months", NUMBER, "Horizon in months (a whole number >= 1).", True, 12.0),
            Argument(
                "discount_rate",
                NUMBER,
                "Monthly discount rate, as a decimal (1% = 0.01).",
                True,
                0.01,
            ),
            Argument(
                "margin", NUMBER, "Profit margin as a share of spend (1 = revenue).", True, 1.0
            ),
            Argument(
                "time_unit",
                TEXT,
                'Unit of recency and age: "W" weeks, "D" days or "M" months.',
                True,
                "W",
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.predicted_clv",
        per_row=True,
        examples=(
            Example(
                f"PREDICTED_CLV({_PAPER_BGNBD}, {_PAPER_GG}, {_CDNOW_HISTORIES}, "
                "{22.35; 73.74; 0}, 12, 0.01, 0.3)",
                [[10.886763337679795], [85.05983289512702], [2.5107013076760576]],
                rel_tol=1e-10,
                source=_CDNOW_CUSTOMERS + " (customer_lifetime_value x the 30% margin)",
            ),
            Example(
                f"PREDICTED_CLV({_PAPER_BGNBD}, {_PAPER_GG}, 2, 30.43, 38.86, 22.35, 12, 0.01, "
                '0.3, "Y")',
                error=("time_unit", '"W"'),
                source="an unknown time unit",
            ),
        ),
    ),
    ExcelFunction(
        name="BGNBD_PROB_PURCHASES",
        section=PURCHASE_HISTORY,
        summary="BG/NBD probability that a new customer makes exactly x repeat purchases "
        "in a period of length t (Fader, Hardie & Lee 2005, eq. 8).",
        description="P(X(t) = x) for a customer who has just made a first purchase: the "
        "distribution of repeat purchases the model expects over a period of length t "
        "(in the time unit of the fit). Give a column of x (0, 1, 2, ...) for the whole "
        "distribution; one value per row.",
        args=(
            *_bgnbd_parameters(),
            Argument("t", NUMBER, "Length of the period, in the time unit of the data."),
            Argument("x", NUMBER, "Number of repeat purchases (a whole number >= 0)."),
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.bgnbd_prob_purchases",
        examples=(
            Example(
                "BGNBD_PROB_PURCHASES(1, 1, 1, 2, 1, 0)",
                0.5,
                rel_tol=1e-12,
                source="by hand: P(X(t)=0) = (alpha/(alpha+t))^r = (1/2)^1",
            ),
            Example(
                f"BGNBD_PROB_PURCHASES({_PAPER_BGNBD}, 39, {{0; 1; 2}})",
                [[0.5737863520960094], [0.19939528083591135], [0.08542975953906072]],
                rel_tol=1e-9,
                source="the paper's CDNOW estimates over 39 weeks; lifetimes 0.11.3 "
                "probability_of_n_purchases_up_to_time gives the same to 1e-9",
            ),
            Example(
                f"BGNBD_PROB_PURCHASES({_PAPER_BGNBD}, 39, 1.5)",
                error=("x is 1.5",),
                source="purchases are counted in whole numbers",
            ),
        ),
    ),
    ExcelFunction(
        name="HOLDOUT_SUMMARY",
        section=PURCHASE_HISTORY,
        summary="From a transaction log, each customer's calibration history and holdout "
        "purchases: the inputs of a holdout test of BG/NBD (a table with a header).",
        description="One row per customer who first bought on or before calibration_end: "
        "customer_id, frequency, recency, age (the calibration history, as BGNBD_FIT "
        "takes it), monetary_value (with amounts), holdout_purchases (purchase days from "
        "the day after calibration_end to holdout_end), holdout_spend (with amounts) and "
        "holdout_duration. Purchases are counted by distinct days.",
        args=(
            Argument("customer_ids", RANGE, "The customer of each transaction, one per row."),
            Argument("dates", RANGE, "The date of each transaction, one per row."),
            Argument("calibration_end", NUMBER, "Last day of the calibration period (a date)."),
            Argument("holdout_end", NUMBER, "Last day of the holdout period (a date after it)."),
            Argument("amounts", RANGE, "The value of each transaction (>= 0).", optional=True),
            Argument(
                "time_unit",
                TEXT,
                'Unit of recency, age and holdout_duration: "W" weeks or "D" days.',
                True,
                "W",
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.purchase_history.holdout_summary",
        examples=(
            Example(
                'HOLDOUT_SUMMARY({"A"; "A"; "A"; "B"; "A"}, {"2024-01-01"; "2024-01-15"; '
                '"2024-01-15"; "2024-01-08"; "2024-02-12"}, "2024-01-29", "2024-02-26", '
                "{10; 20; 5; 30; 40})",
                [
                    [
                        "customer_id",
                        "frequency",
                        "recency",
                        "age",
                        "monetary_value",
                        "holdout_purchases",
                        "holdout_spend",
                        "holdout_duration",
                    ],
                    ["A", 1, 2.0, 4.0, 25.0, 1, 40.0, 4.0],
                    ["B", 0, 0.0, 3.0, 0.0, 0, 0.0, 4.0],
                ],
                rel_tol=1e-12,
                source="by hand: A buys on Jan 1 and Jan 15 (two transactions, one day: "
                "20 + 5) before Jan 29, then on Feb 12 (40); B once on Jan 8; weeks",
            ),
            Example(
                'HOLDOUT_SUMMARY({"A"}, {"2024-01-01"}, "2024-01-29", "2024-01-29")',
                error=("holdout_end 2024-01-29 is not after calibration_end",),
                source="an empty holdout",
            ),
        ),
    ),
    ExcelFunction(
        name="HOLDOUT_CONDITIONAL",
        section=PURCHASE_HISTORY,
        summary="Holdout test of BG/NBD: mean actual and predicted holdout purchases by "
        "repeat purchases in calibration (0, 1, ..., 7+; a table with a header).",
        description="Customers grouped by their repeat purchases in the calibration "
        "period (the last group pools max_frequency and more): how many, their mean "
        "repeat purchases in the holdout, and the mean the model predicted for them "
        "(BGNBD_PURCHASES over holdout_duration). A group without customers shows empty "
        "cells and a note.",
        args=(
            *_bgnbd_parameters(),
            *_history(),
            Argument(
                "holdout_purchases",
                RANGE,
                "Each customer's repeat purchases in the holdout period, one per row.",
            ),
            Argument(
                "holdout_duration",
                NUMBER,
                "Length of the holdout period in the unit of age (or a column, one per customer).",
            ),
            Argument(
                "max_frequency",
                NUMBER,
                "The last group holds this many repeat purchases or more.",
                True,
                7.0,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.purchase_history.holdout_conditional",
        examples=(
            Example(
                f"HOLDOUT_CONDITIONAL({_PAPER_BGNBD}, {_CDNOW_HISTORIES}, {{1; 4; 0}}, 39, 2)",
                [
                    ["repeat_purchases", "customers", "actual", "predicted", "note"],
                    ["0", 1, 0.0, 0.19509805201125427, ""],
                    ["1", 0, "", "", "no customer with 1 repeat purchase(s)"],
                    ["2+", 2, 2.5, 2.2815407248092627, ""],
                ],
                rel_tol=1e-10,
                source="by hand from the BGNBD_PURCHASES example (CDNOW customers 1, 6 "
                "and 3): 2+ is the mean of 1.2260 and 3.3371, and of 1 and 4 purchases",
            ),
            Example(
                f"HOLDOUT_CONDITIONAL({_PAPER_BGNBD}, {_CDNOW_HISTORIES}, {{1; 4}}, 39)",
                error=("frequency has 3 values but holdout_purchases has 2",),
                source="one holdout count per customer",
            ),
        ),
    ),
    ExcelFunction(
        name="HOLDOUT_SPEND",
        section=PURCHASE_HISTORY,
        summary="Holdout test of Gamma-Gamma: mean actual and predicted spend per purchase "
        "in the holdout by repeat purchases in calibration (1, 2, ..., 7+; a table with a "
        "header).",
        description="The customers with a repeat purchase and a positive mean spend in the "
        "calibration period (those the spend model is fitted on) who bought in the "
        "holdout, grouped by their calibration repeat purchases (the last group pools "
        "max_frequency and more): how many, the mean of their holdout spend per purchase "
        "(holdout_total / holdout_purchases), and the mean the model predicted for them "
        "(GG_SPEND). A group without customers shows empty cells and a note.",
        args=(
            *_gg_parameters(),
            Argument(
                "frequency",
                RANGE,
                "Repeat purchases of each customer in calibration, one per row.",
            ),
            Argument(
                "monetary_value",
                RANGE,
                "Mean value of each customer's repeat purchases in calibration.",
            ),
            Argument(
                "holdout_purchases",
                RANGE,
                "Each customer's purchases in the holdout period, one per row.",
            ),
            Argument(
                "holdout_total",
                RANGE,
                "Each customer's total spend in the holdout period, one per row.",
            ),
            Argument(
                "max_frequency",
                NUMBER,
                "The last group holds this many repeat purchases or more.",
                True,
                7.0,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.purchase_history.holdout_spend",
        examples=(
            Example(
                f"HOLDOUT_SPEND({_PAPER_GG}, {{1; 2; 0}}, {{30; 50; 0}}, {{2; 0; 1}}, "
                "{70; 0; 12}, 2)",
                [
                    ["repeat_purchases", "customers", "actual", "predicted", "note"],
                    ["1", 1, 35.0, 31.590656284760843, ""],
                    ["2+", 0, "", "", "no customer with 2+ repeat purchase(s)"],
                ],
                rel_tol=1e-10,
                source="by hand: 70 / 2 = 35; (15.44 x 6.25 + 6.25 x 30) / (6.25 + 3.74 - 1) "
                "= 31.5907 (Fader, Hardie & Lee 2005, JMR, eq. 5); the second customer did "
                "not buy in the holdout, the third made no repeat purchase",
            ),
        ),
    ),
    ExcelFunction(
        name="BGNBD_HISTOGRAM",
        section=PURCHASE_HISTORY,
        summary="Customers by repeat purchases in calibration (0, 1, ..., 7+): the actual "
        "count against the count BG/NBD expects (a table with a header).",
        description="For each number of repeat purchases (the last row pools "
        "max_frequency and more): the customers who made it, and the customers the "
        "model expects, the sum over customers of BGNBD_PROB_PURCHASES at each one's "
        "age.",
        args=(
            *_bgnbd_parameters(),
            Argument(
                "frequency",
                RANGE,
                "Repeat purchases of each customer in calibration, one per row.",
            ),
            Argument(
                "age",
                RANGE,
                "Time from each customer's first purchase to the calibration end.",
            ),
            Argument(
                "max_frequency",
                NUMBER,
                "The last row holds this many repeat purchases or more.",
                True,
                7.0,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.purchase_history.bgnbd_histogram",
        examples=(
            Example(
                "BGNBD_HISTOGRAM(1, 1, 1, 2, {0; 2}, {1; 3}, 1)",
                [
                    ["repeat_purchases", "customers", "expected"],
                    ["0", 1, 0.75],
                    ["1+", 1, 1.25],
                ],
                rel_tol=1e-12,
                source="by hand: P(X(T)=0) = 1/(1+T) with r = alpha = 1, so 1/2 + 1/4 "
                "customers with none, and the other 1.25 with one or more",
            ),
        ),
    ),
    ExcelFunction(
        name="HOLDOUT_TRACKING",
        section=PURCHASE_HISTORY,
        summary="Holdout test of BG/NBD: cumulative repeat purchases of the whole base, "
        "actual and expected, period by period (a table with a header).",
        description="From the first date of the log to holdout_end, one row per period "
        "of period_days days: its number, its last day (a date serial: format it as a "
        "date), calibration or holdout, the actual and the expected cumulative repeat "
        "purchases, and both for the period alone. Each customer is expected to buy "
        "from the first purchase on (BGNBD_PURCHASES without a history).",
        args=(
            *_bgnbd_parameters(),
            Argument("customer_ids", RANGE, "The customer of each transaction, one per row."),
            Argument("dates", RANGE, "The date of each transaction, one per row."),
            Argument("calibration_end", NUMBER, "Last day of the calibration period (a date)."),
            Argument("holdout_end", NUMBER, "Last day of the holdout period (a date after it)."),
            Argument("period_days", NUMBER, "Length of a period in days (7 = weeks).", True, 7.0),
            Argument(
                "time_unit",
                TEXT,
                'Time unit of the parameters (alpha): "W" weeks or "D" days.',
                True,
                "W",
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.purchase_history.holdout_tracking",
        examples=(
            Example(
                f'HOLDOUT_TRACKING({_PAPER_BGNBD}, {{"A"; "A"; "B"; "A"}}, {{"2024-01-01"; '
                '"2024-01-10"; "2024-01-03"; "2024-01-20"}, "2024-01-14", "2024-01-21")',
                [
                    [
                        "period",
                        "period_end",
                        "phase",
                        "actual",
                        "expected",
                        "actual_in_period",
                        "expected_in_period",
                    ],
                    [1, 45298.0, "calibration", 0, 0.09166340320754787, 0, 0.09166340320754787],
                    [2, 45305.0, "calibration", 1, 0.19274801189668267, 1, 0.1010846086891348],
                    [3, 45312.0, "holdout", 2, 0.2884124245141281, 1, 0.0956644126174454],
                ],
                rel_tol=1e-9,
                source="the paper's CDNOW estimates; lifetimes 0.11.3 "
                "expected_cumulative_transactions gives the same to 1e-9",
            ),
            Example(
                f'HOLDOUT_TRACKING({_PAPER_BGNBD}, {{"A"}}, {{"2024-01-01"}}, "2023-12-31", '
                '"2024-01-21")',
                error=("no transaction falls on or before calibration_end 2023-12-31",),
                source="a calibration period before the first purchase",
            ),
        ),
    ),
    ExcelFunction(
        name="PREDICTED_CLV_INTERVALS",
        section=PURCHASE_HISTORY,
        summary="Predicted CLV of each customer and of the customer equity with P10, P50 and "
        "P90 from the fits' uncertainty (a table with a header).",
        description="Fits BG/NBD and Gamma-Gamma with their standard errors to the histories "
        "(as BGNBD_FIT and GG_FIT with a confidence; the same ranges are fitted once), draws "
        "the parameters from their sampling distribution (seeded) and gives a table: a "
        "header, one row per customer (its position, the predicted CLV as PREDICTED_CLV at "
        "the fitted parameters, P10, P50, P90) and a last row for the customer equity (the "
        "sum over customers) with its own P10, P50 and P90.",
        args=(
            *_history(),
            _MONETARY,
            Argument("months", NUMBER, "Horizon in months (a whole number >= 1).", True, 12.0),
            Argument(
                "discount_rate",
                NUMBER,
                "Monthly discount rate, as a decimal (1% = 0.01).",
                True,
                0.01,
            ),
            Argument(
                "margin", NUMBER, "Profit margin as a share of spend (1 = revenue).", True, 1.0
            ),
            Argument(
                "time_unit",
                TEXT,
                'Unit of recency and age: "W" weeks, "D" days or "M" months.',
                True,
                "W",
            ),
            Argument("draws", NUMBER, "Parameter draws (a whole number >= 2).", True, 1000.0),
            Argument(
                "seed", NUMBER, "Seed of the draws: the same seed, the same result.", True, 0.0
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.purchase_history.predicted_clv_intervals_table",
        examples=(
            Example(
                'PREDICTED_CLV_INTERVALS(A2:A197, B2:B197, C2:C197, D2:D197, 12, 0.01, 0.3, "W", '
                "200, 1)",
                [
                    ["customer", "predicted_clv", "p10", "p50", "p90"],
                    *([i, *row] for i, row in enumerate(CDNOW_EVERY_12TH_CLV_INTERVALS[:-1], 1)),
                    ["equity", *CDNOW_EVERY_12TH_CLV_INTERVALS[-1]],
                ],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE + "; 200 draws, seed 1, a 30% margin",
                rel_tol=1e-6,
                source="computed by crmvalue; the predicted_clv column is PREDICTED_CLV at the "
                "BGNBD_FIT and GG_FIT of the same ranges and the equity row's is their sum, and "
                "P50 agrees with evaluating every draw exactly "
                "(tests/test_clv_intervals_udf.py)",
            ),
            Example(
                "PREDICTED_CLV_INTERVALS(A2:A31, B2:B31, C2:C31, D2:D31)",
                error=("q are at or below 1", "too uncertain"),
                cells={
                    ref.replace("197", "31"): values[:30]
                    for ref, values in _CDNOW_12TH_CELLS.items()
                },
                where="the first 30 of those customers",
                source="too few repeat buyers to pin down the spend model",
            ),
        ),
    ),
)
