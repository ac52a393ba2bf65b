"""The Dask engine of ``crmvalue score``: the transaction log summarised on a Dask cluster.

Each partition of the log (a block of a CSV file, a row group of a Parquet file) is
checked and converted exactly as the in-memory reader does
(:func:`addin.tables.conversion.convert_transactions`) and reduced to a
:class:`crmvalue_core.scoring.PurchaseTotals`; the partial totals are merged pairwise on
the cluster as they finish. Only the per-customer summary comes back to this
process, where the models are fitted and the customers scored as in the in-memory path,
so the results are the same (see :mod:`crmvalue_core.scoring` on floating-point sums:
money sums differ by rounding between partitionings, and the fits, summed in sorted order
and settled by Newton steps, give parameters equal to about 1e-12).

Without ``--scheduler`` a local cluster runs in this process (threads, no worker
processes: the machine's cores without copying data between processes). With
``--scheduler ADDRESS`` the work goes to that cluster, whose workers must be able to read
the input path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import pandas as pd

from crmvalue_core import CrmValueError
from crmvalue_core.scoring import PurchaseTotals

from ..cli.errors import UsageError
from .columns import Columns
from .conversion import RowProblem
from .progress import Progress
from .reading import locate_problem, transaction_check, transaction_columns
from .sources import CSV, PARQUET, Source, csv_dtypes, csv_options

__all__ = ["dask_totals"]


def _import_dask() -> tuple[Any, Any, Any]:
    try:
        import dask
        import dask.dataframe as dd
        import distributed
    except ImportError:  # pragma: no cover - dask is a test dependency
        raise UsageError(
            "--engine dask needs dask and distributed: pip install 'crmvalue[dask]'"
        ) from None
    return dask, dd, distributed


@contextmanager
def _client(scheduler: str | None, workers: int | None) -> Any:
    """A client of the cluster at ``scheduler``, or of a local in-process cluster."""
    _, _, distributed = _import_dask()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as error:
            raise UsageError(
                f"cannot reach the Dask scheduler at {scheduler} ({error}); check the "
                "address (e.g. tcp://host:8786) or leave out --scheduler for a local cluster"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=workers or None,
        processes=False,
        # no dashboard, and the scheduler's HTTP routes on a free local port (not 8787)
        dashboard_address="127.0.0.1:0",
        scheduler_kwargs={"dashboard": False},
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _partition_totals(
    frame: pd.DataFrame, number: int, check: Callable[[pd.DataFrame], Any], until: Any
) -> PurchaseTotals:
    """The purchase totals of one partition; a bad value raises RowProblem with its number."""
    frame = frame.reset_index(drop=True)
    try:
        chunk = check(frame)
    except RowProblem as problem:
        raise PartitionProblem(number, problem.row, problem.text) from None
    return PurchaseTotals(until).add(chunk.customer_ids, chunk.dates, chunk.amounts)


def _merge(first: PurchaseTotals, second: PurchaseTotals) -> PurchaseTotals:
    return first.merge(second)


class PartitionProblem(Exception):
    """A bad value in partition ``number`` at its row ``row`` (0-based)."""

    def __init__(self, number: int, row: int, text: str) -> None:
        super().__init__(number, row, text)
        self.number = number
        self.row = row
        self.text = text


def _read(source: Source, wanted: list[str], blocksize: int) -> Any:
    """The log as a Dask data frame of the wanted columns (amounts parsed as numbers when
    they are written in the standard style, else as text for the check to read)."""
    _, dd, _ = _import_dask()
    if source.format == CSV:
        if source.options.encoding.lower().replace("_", "-").startswith("utf-16"):
            raise UsageError(
                f"{source.name}: is UTF-16 text, which --engine dask cannot split into "
                "blocks; score it without --engine dask, or save it as UTF-8"
            )
        plain = source.options.number_style().plain
        frame = dd.read_csv(  # every column parsed: see sources.csv_reader
            str(source.path),
            dtype=csv_dtypes(source, {wanted[2]: "float64"} if plain else {}),
            na_values={wanted[2]: [""]} if plain else None,
            blocksize=blocksize,
            index_col=False,
            **csv_options(source.options),
        )
        return frame[wanted]
    if source.format == PARQUET:
        return dd.read_parquet(str(source.path), columns=wanted)
    raise UsageError(
        f"{source.name}: --engine dask reads CSV and Parquet files; score an .xlsx file "
        "without --engine dask (a sheet holds at most about a million rows)"
    )


def dask_totals(
    source: Source,
    columns: Columns,
    until: Any,
    scheduler: str | None = None,
    workers: int | None = None,
    blocksize: int = 64 * 2**20,
    show_progress: bool = True,
) -> PurchaseTotals:
    """Summarise the transaction log of ``source`` on a Dask cluster.

    Returns the merged :class:`~crmvalue_core.scoring.PurchaseTotals`; a bad value raises a
    UsageError naming its line or row and column, as the in-memory reader does. The
    progress bar counts partitions.
    """
    dask, _, distributed = _import_dask()
    wanted = transaction_columns(source, columns)
    check = transaction_check(source, columns)
    frame = _read(source, wanted, blocksize)
    tasks = [
        dask.delayed(_partition_totals)(part, number, check, until)
        for number, part in enumerate(frame.to_delayed())
    ]
    progress = Progress(f"{source.name} (dask)", len(tasks), show_progress, unit="parts")
    with _client(scheduler, workers) as client:
        try:
            futures = client.compute(tasks)
            partitions = {future.key for future in futures}
            pending: list[Any] = []
            done = 0
            merging = distributed.as_completed(futures)
            for future in merging:
                if future.status == "error":
                    future.result()  # raises the partition's error here
                if future.key in partitions:
                    done += 1
                    progress.update(done, done)
                pending.append(future)
                if len(pending) == 2:
                    merging.add(client.submit(_merge, *pending, pure=False))
                    pending = []
            totals = pending[0].result()
        except PartitionProblem as problem:
            before = frame.partitions[: problem.number].map_partitions(len).compute()
            row = int(sum(before)) + problem.row
            raise UsageError(f"{source.name}, {source.where(row)}: {problem.text}") from None
        except CrmValueError:
            raise
        except ValueError as error:  # pandas could not parse a number: find where
            if source.format == CSV:
                raise locate_problem(source, wanted, check, error) from None
            raise UsageError(f"{source.name}: cannot be read ({error})") from None
    progress.close()
    return totals
