"""Customer tables in and out for ``crmvalue score``, one module per concern.

* :mod:`.columns`: the columns the command reads and the options that map them (no heavy
  imports: the command-line parser is built from it);
* :mod:`.sources`: the input file (CSV, Parquet, XLSX) opened safely, its header, raw pieces;
* :mod:`.numbers`: how numbers are written (decimal comma, thousands separators), told
  from a file or given;
* :mod:`.conversion`: every value checked and converted, the first bad one named;
* :mod:`.reading`: a transaction log in checked chunks, a whole customer table;
* :mod:`.dask_scoring`: a transaction log summarised on a Dask cluster;
* :mod:`.progress`: the progress bar;
* :mod:`.writing`: the scores written as CSV, Parquet or XLSX, atomically.
"""
