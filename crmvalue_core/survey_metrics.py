"""Survey metrics: Net Promoter Score, customer satisfaction and customer effort.

Scores come as a range of answers, one per respondent. A blank (``None`` or an empty
string, what xlwings hands over for an empty cell) is "no answer" and is skipped; every
other cell must hold a number, and the first bad cell is named in the error, counted
1-based in the range as given (blanks included), e.g.
``NPS: scores item 4 is 11, above 10; enter a whole score from 0 to 10 or leave it blank``.
NaN is not a blank: a pandas user drops missing answers first (``scores.dropna()``).

Validation by metric:

* NPS, NPS_MOE, NPS_CI: whole scores from 0 to 10 (the standard 11-point question);
* CSAT, CES: finite numbers >= 0 (scales differ: 1-5, 1-7, 1-10, 0-100; no common scale
  goes below 0, and a negative answer is usually a "-1 = no answer" code);
* CSAT_TOPBOX: whole scores from 1 to ``scale_max``.

At least one answer is required.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._inputs import (
    as_count,
    as_number,
    fail,
    first_true,
    is_omitted,
    number_or_none,
    position,
    scalar_or_array,
    to_array,
)
from ._shapes import common_shape
from .cells import describe, format_number, is_blank

__all__ = ["ces", "csat", "csat_topbox", "nps", "nps_ci", "nps_counts", "nps_moe"]

_NPS_HINT = "a whole score from 0 to 10 or leave it blank"
_SCORE_HINT = "a score >= 0 or leave it blank"
_CONFIDENCE = "a confidence level between 0 and 1, such as 0.95"


def nps(scores: ArrayLike) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), on -100..100.

    Parameters
    ----------
    scores : array_like
        Answers to "How likely are you to recommend us?", whole numbers from 0 to 10;
        blanks (``None``, ``""``) are skipped.

    Returns
    -------
    float
        The NPS in points, from -100 to 100.

    Raises
    ------
    CrmValueError
        ``NPS: ...`` naming the first cell that is text, a boolean, NaN, infinity, not a
        whole number or outside 0..10, or when there are no answers.

    Notes
    -----
    .. math:: NPS = 100 \\left(\\frac{P}{n} - \\frac{D}{n}\\right)

    with :math:`P` the answers of 9 or 10, :math:`D` those of 0 to 6 and :math:`n` all
    answers (passives, 7 or 8, count in :math:`n` only). F. F. Reichheld, "The One Number
    You Need to Grow", *Harvard Business Review*, December 2003.

    Examples
    --------
    >>> nps([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    -40.0
    >>> nps([9, 10, None, 6, 8])
    25.0
    """
    promoters, _, detractors, n = _nps_counts("NPS", scores)
    return 100.0 * (promoters - detractors) / n


def nps_counts(
    promoters: ArrayLike, passives: ArrayLike, detractors: ArrayLike
) -> float | np.ndarray:
    """Net Promoter Score from the counts of promoters, passives and detractors.

    Parameters
    ----------
    promoters, passives, detractors : scalar or array_like
        Numbers of answers of 9-10, 7-8 and 0-6: whole numbers >= 0, not all 0.
        Arrays give one NPS per element (e.g. per month).

    Returns
    -------
    float or ndarray
        The NPS in points, from -100 to 100.

    Raises
    ------
    CrmValueError
        ``NPS_COUNTS: ...`` for text, booleans, NaN, infinity, negative or fractional
        counts, ranges of different lengths, or no answers at all (all counts 0).

    Notes
    -----
    .. math:: NPS = 100 \\, \\frac{P - D}{P + A + D}

    with :math:`A` the passives (Reichheld, HBR 2003).

    Examples
    --------
    >>> nps_counts(60, 20, 20)
    40.0
    >>> nps_counts([60, 10], [20, 30], [20, 60])
    array([ 40., -50.])
    """
    func = "NPS_COUNTS"
    p = as_count(func, "promoters", promoters)
    a = as_count(func, "passives", passives)
    d = as_count(func, "detractors", detractors)
    shape = common_shape(func, ("promoters", p), ("passives", a), ("detractors", d))
    total = p + a + d
    if np.any(np.asarray(total) == 0):
        where = ""
        if shape:
            index = first_true(np.broadcast_to(total, shape) == 0)
            where = f" ({position(index, shape)})"
        raise fail(
            func,
            f"promoters, passives and detractors are all 0{where}, so there are no answers; "
            "enter at least one answer",
        )
    return scalar_or_array(100.0 * (p - d) / total)


def nps_moe(scores: ArrayLike, confidence: float = 0.95) -> float:
    """Margin of error of the Net Promoter Score, in points (Wald).

    Parameters
    ----------
    scores : array_like
        Whole scores from 0 to 10; blanks are skipped.
    confidence : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.

    Returns
    -------
    float
        Half the width of the confidence interval, in NPS points: the NPS is
        ``nps(scores) ± nps_moe(scores)``.

    Raises
    ------
    CrmValueError
        ``NPS_MOE: ...`` for a bad score (as :func:`nps`), no answers, or a confidence
        level outside (0, 1).

    Notes
    -----
    .. math:: MOE = 100 \\, z \\sqrt{\\frac{p + d - (p - d)^2}{n}}

    with :math:`p`, :math:`d` the promoter and detractor shares and :math:`z` the normal
    quantile :math:`\\Phi^{-1}((1 + \\text{confidence})/2)` (1.96 for 95%): the Wald
    interval of a difference of two multinomial shares. It is 0 when every answer is the
    same; :func:`nps_ci` gives the better-behaved adjusted-Wald interval (both are
    discussed by Rocks, *The American Statistician* 70(4), 2016).

    Examples
    --------
    50 promoters, 30 passives, 20 detractors (NPS 30):

    >>> round(nps_moe([10] * 50 + [8] * 30 + [3] * 20), 2)
    15.31
    """
    func = "NPS_MOE"
    z = _z(func, confidence)
    promoters, _, detractors, n = _nps_counts(func, scores)
    p, d = promoters / n, detractors / n
    return 100.0 * z * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)


def nps_ci(scores: ArrayLike, confidence: float = 0.95) -> list[float]:
    """Confidence interval of the Net Promoter Score: adjusted Wald (Rocks 2016).

    Parameters
    ----------
    scores : array_like
        Whole scores from 0 to 10; blanks are skipped.
    confidence : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.

    Returns
    -------
    list of float
        ``[low, high]`` in NPS points, within [-100, 100] (a row in Excel).

    Raises
    ------
    CrmValueError
        ``NPS_CI: ...`` for a bad score (as :func:`nps`), no answers, or a confidence
        level outside (0, 1).

    Notes
    -----
    Add 3/4 of an answer to the promoters and to the detractors (and 3/2 to the
    passives), then take the Wald interval of the adjusted shares:

    .. math::
        n' = n + 3, \\quad p' = \\frac{P + 0.75}{n'}, \\quad d' = \\frac{D + 0.75}{n'}

        100 \\left[(p' - d') \\pm z \\sqrt{\\frac{p' + d' - (p' - d')^2}{n'}}\\right]

    clipped to [-100, 100]. Unlike the plain Wald interval (:func:`nps_moe`) it keeps a
    width when all answers agree and covers close to the nominal level in small samples.

    References
    ----------
    B. Rocks, "Interval Estimation for the 'Net Promoter Score'", *The American
    Statistician* 70(4), 2016, pp. 365-372.

    Examples
    --------
    >>> [round(x, 2) for x in nps_ci([10] * 50 + [8] * 30 + [3] * 20)]
    [14.05, 44.2]
    """
    func = "NPS_CI"
    z = _z(func, confidence)
    promoters, _, detractors, n = _nps_counts(func, scores)
    n_adj = n + 3.0
    p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    centre = p - d
    half = z * math.sqrt(max(p + d - centre**2, 0.0) / n_adj)
    return [max(-100.0, 100.0 * (centre - half)), min(100.0, 100.0 * (centre + half))]


def csat(scores: ArrayLike) -> float:
    """Customer satisfaction score: the mean answer.

    Parameters
    ----------
    scores : array_like
        Satisfaction answers on the survey's scale (1-5, 1-10, ...): finite numbers
        >= 0; blanks are skipped.

    Returns
    -------
    float
        The mean score, on the survey's own scale.

    Raises
    ------
    CrmValueError
        ``CSAT: ...`` naming the first cell that is text, a boolean, NaN, infinity or
        negative, or when there are no answers.

    Notes
    -----
    .. math:: CSAT = \\frac{1}{n} \\sum_{k=1}^{n} s_k

    The mean-score form of the American Customer Satisfaction Index style question;
    :func:`csat_topbox` gives the "% satisfied" form (both compared by Morgan & Rego,
    "The value of different customer satisfaction and loyalty metrics in predicting
    business performance", *Marketing Science* 25(5), 2006).

    Examples
    --------
    >>> csat([4, 5, None, 3, 4])
    4.0
    """
    return float(np.mean(_answers("CSAT", scores, minimum=0.0, hint=_SCORE_HINT)))


def csat_topbox(scores: ArrayLike, scale_max: int, boxes: int = 2) -> float:
    """Share of satisfied customers: answers in the top ``boxes`` points of the scale.

    Parameters
    ----------
    scores : array_like
        Answers on a 1..``scale_max`` scale, whole numbers; blanks are skipped.
    scale_max : int
        The highest point of the scale (5 for a 1-5 scale), a whole number >= 2.
    boxes : int, optional
        How many top points count as satisfied, from 1 to ``scale_max``; default 2 (4
        and 5 on a 1-5 scale: "top-2-box").

    Returns
    -------
    float
        The share of answers in the top boxes, as a decimal (0.6 = 60%).

    Raises
    ------
    CrmValueError
        ``CSAT_TOPBOX: ...`` naming the first score that is not a whole number from 1 to
        ``scale_max``, when there are no answers, or for a bad ``scale_max`` or ``boxes``.

    Notes
    -----
    .. math:: CSAT_{top} = \\frac{\\#\\{k : s_k > S - b\\}}{n}

    with :math:`S` the scale maximum and :math:`b` the boxes: the "top-2-box"
    satisfaction of market research for :math:`b = 2` (Morgan & Rego, *Marketing
    Science* 25(5), 2006).

    Examples
    --------
    >>> csat_topbox([5, 4, 3, 5, 1], 5)
    0.6
    >>> csat_topbox([5, 4, 3, 5, 1], 5, boxes=1)
    0.4
    """
    func = "CSAT_TOPBOX"
    top = as_number(func, "scale_max", scale_max, minimum=2.0, whole=True)
    count = 2.0 if is_omitted(boxes) else as_number(func, "boxes", boxes, minimum=1.0, whole=True)
    if count > top:
        raise fail(
            func,
            f"boxes is {format_number(count)}, more than the {format_number(top)} points of the "
            "scale; enter "
            f"a whole number from 1 to {format_number(top)}",
        )
    answers = _answers(
        func,
        scores,
        minimum=1.0,
        maximum=top,
        whole=True,
        hint=f"a whole score from 1 to {format_number(top)} or leave it blank",
    )
    return float(np.count_nonzero(answers > top - count)) / answers.size


def ces(scores: ArrayLike) -> float:
    """Customer effort score: the mean answer to "how easy was it?".

    Parameters
    ----------
    scores : array_like
        Effort answers on the survey's scale (usually 1-7): finite numbers >= 0; blanks
        are skipped.

    Returns
    -------
    float
        The mean score, on the survey's own scale.

    Raises
    ------
    CrmValueError
        ``CES: ...`` naming the first cell that is text, a boolean, NaN, infinity or
        negative, or when there are no answers.

    Notes
    -----
    .. math:: CES = \\frac{1}{n} \\sum_{k=1}^{n} s_k

    M. Dixon, K. Freeman and N. Toman, "Stop Trying to Delight Your Customers",
    *Harvard Business Review*, July 2010 (CES 2.0 asks agreement on a 1-7 scale, higher
    is easier).

    Examples
    --------
    >>> ces([6, 7, "", 5])
    6.0
    """
    return float(np.mean(_answers("CES", scores, minimum=0.0, hint=_SCORE_HINT)))


def _z(func: str, confidence: Any) -> float:
    """The two-sided normal quantile for a confidence level in (0, 1)."""
    level = (
        0.95
        if is_omitted(confidence)
        else as_number(func, "confidence", confidence, above=0.0, below=1.0, hint=_CONFIDENCE)
    )
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def _nps_counts(func: str, scores: ArrayLike) -> tuple[int, int, int, int]:
    """Promoters, passives, detractors and answers among valid NPS scores."""
    answers = _answers(func, scores, minimum=0.0, maximum=10.0, whole=True, hint=_NPS_HINT)
    promoters = int(np.count_nonzero(answers >= 9))
    detractors = int(np.count_nonzero(answers <= 6))
    return promoters, answers.size - promoters - detractors, detractors, answers.size


def _answers(
    func: str,
    scores: ArrayLike,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
    hint: str,
    name: str = "scores",
) -> np.ndarray:
    """The answers of a scores range as a flat float array, blanks skipped.

    Positions in messages are those of the range as given (blanks counted), and the
    first bad cell is named whatever is wrong with it.
    """
    array = to_array(func, name, scores)
    blank = np.zeros(array.shape, dtype=bool)
    if array.dtype.kind in "iuf":
        numbers = array.astype(float, copy=False)
        not_number = ~np.isfinite(numbers)
    elif array.dtype.kind == "b":  # a range of TRUE / FALSE
        numbers = np.zeros(array.shape)
        not_number = np.ones(array.shape, dtype=bool)
    else:
        numbers = np.zeros(array.shape)
        not_number = np.zeros(array.shape, dtype=bool)
        for index, item in np.ndenumerate(array):
            number = number_or_none(item)
            if number is not None:
                numbers[index] = number
            elif is_blank(item):
                blank[index] = True
            else:
                not_number[index] = True
    bad = not_number.copy()
    with np.errstate(invalid="ignore"):
        if minimum is not None:
            bad |= numbers < minimum
        if maximum is not None:
            bad |= numbers > maximum
        if whole:
            bad |= numbers != np.round(numbers)
    bad &= ~blank
    if bad.any():
        index = first_true(bad) if array.ndim else ()
        where = f"{name} {position(index, array.shape)}" if array.ndim else name
        if not_number[index]:
            raise fail(func, f"{where} is {describe(array[index])}; enter {hint}")
        value = float(numbers[index])
        if minimum is not None and value < minimum:
            reason = f"below {format_number(minimum)}"
        elif maximum is not None and value > maximum:
            reason = f"above {format_number(maximum)}"
        else:
            reason = "not a whole number"
        raise fail(func, f"{where} is {format_number(value)}, {reason}; enter {hint}")
    answers = numbers[~blank]
    if answers.size == 0:
        raise fail(func, f"{name} has no answers (all blank or empty); give at least one score")
    return answers
