"""The shared input rules: what counts as a number, a blank, and how errors read."""

import numpy as np
import pandas as pd
import pytest

from crmvalue_core import CrmValueError
from crmvalue_core._fitting import FitResult
from crmvalue_core._inputs import as_count, as_number, as_rate, as_share, as_values


def test_blank_in_cash_flows_counts_as_zero():
    assert as_values("NPV_CRM", "flows", [-100, None, "", 3]).tolist() == [-100, 0, 0, 3]


def test_blank_in_scores_is_skipped():
    assert as_values("NPS", "scores", [9, None, 10, ""], blank="skip").tolist() == [9, 10]


def test_pandas_and_numpy_inputs_are_read_as_they_are():
    assert as_values("X", "flows", pd.Series([1, 2])).tolist() == [1, 2]
    assert as_values("X", "flows", np.arange(3)).tolist() == [0, 1, 2]
    assert as_values("X", "flows", [[1, 2], [3, None]]).tolist() == [[1, 2], [3, 0]]


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ([1, "n/a"], "flows item 2 is the text 'n/a'"),
        ([1, True], "flows item 2 is the logical value TRUE"),
        ([1, float("nan")], "flows item 2 is not a number (NaN)"),
        ([1, "#N/A"], "flows item 2 is the error value #N/A"),
        (np.array([1.0, np.inf]), "flows item 2 is infinite"),
        (np.array([True, False]), "flows item 1 is the logical value TRUE"),
        ([[1, 2], [3, "x"]], "flows row 2, column 2 is the text 'x'"),
        ([[1, 2], [3]], "rows of different lengths"),
        ([], "flows is empty"),
    ],
)
def test_bad_values_name_the_function_the_place_and_the_problem(bad, words):
    with pytest.raises(CrmValueError) as caught:
        as_values("NPV_CRM", "flows", bad)
    message = str(caught.value)
    assert message.startswith("NPV_CRM: ")
    assert words in message


def test_required_blank_is_an_error():
    with pytest.raises(CrmValueError, match="CLV: margin is blank"):
        as_number("CLV", "margin", None)


def test_ranges_are_checked_with_a_hint():
    with pytest.raises(CrmValueError, match="discount_rate is -1, at or below -1"):
        as_rate("CLV", "discount_rate", -1)
    with pytest.raises(CrmValueError, match=r"customers_lost is 2\.5, not a whole number"):
        as_count("CHURN_RATE", "customers_lost", 2.5)
    with pytest.raises(CrmValueError, match=r"retention item 2 is 1\.8, above 1"):
        as_share("CLV", "retention", [0.5, 1.8])
    assert as_share("CLV", "retention", 0.5) == 0.5
    assert isinstance(as_share("CLV", "retention", [0.5]), np.ndarray)


def test_fit_result_unpacks_as_the_published_parameters():
    fit = FitResult("sBG", ("alpha", "beta"), (0.7, 1.2), -100.0, 1000)
    alpha, beta = fit
    assert (alpha, beta) == (0.7, 1.2)
    assert fit.beta == 1.2 and fit["alpha"] == 0.7 and fit[1] == 1.2
    assert fit.params == {"alpha": 0.7, "beta": 1.2}
    assert "log_likelihood=-100" in repr(fit)
    with pytest.raises(AttributeError):
        _ = fit.gamma


def test_a_range_of_blanks_is_no_input_at_all():
    with pytest.raises(CrmValueError, match="NPV_CRM: flows is all blank"):
        as_values("NPV_CRM", "flows", [None, "", None])
