"""Transaction logs with one mistake each, and the words the message about it must hold.

Shared by the tests of ``crmvalue score`` (tests/test_score_cli.py) and of its DuckDB path
(tests/test_engine_reading.py), which checks that both engines give the same message.
"""

from __future__ import annotations

GOOD = "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-03,20\nA,2024-02-01,5\n"
BAD_FILES = {
    "missing_column": (
        "cust,date,amount\nA,2024-01-01,10\n",
        ["no column 'customer_id'", "'cust'", "--customer-id"],
    ),
    "misnamed_column": (
        "customer_id,date,amonut\nA,2024-01-01,10\n",
        ["'amonut'", "--amount", "customer table needs"],
    ),
    "bad_date": (
        GOOD + "C,2024-13-45,7\n",
        ["line 5", "column 'date'", "'2024-13-45'", "not a date", "--date-format"],
    ),
    "negative_amount": (
        "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,-4.5\n",
        ["line 3", "column 'amount'", "-4.5, below 0"],
    ),
    "text_amount": (
        GOOD + 'C,2024-01-05,"12,50"\n',
        ["line 5", "column 'amount'", "the text '12,50'"],
    ),
    "blank_amount": (GOOD + "C,2024-01-05,\n", ["line 5", "column 'amount' is blank"]),
    "blank_customer": (GOOD + ",2024-01-05,3\n", ["line 5", "column 'customer_id' is blank"]),
    "duplicate_header": (
        GOOD + "customer_id,date,amount\nC,2024-01-05,3\n",
        ["line 5", "repeats the header row"],
    ),
    "empty_file": ("", ["empty"]),
    "header_only": ("customer_id,date,amount\n", ["no transactions"]),
    "ragged_row": (
        GOOD + "C,2024-01-05,1,234.50\n",
        ["cannot be read as CSV", "Expected 3 fields in line 5, saw 4", "--sep"],
    ),
}
