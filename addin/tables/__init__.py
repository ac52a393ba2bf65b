"""Customer tables in and out for ``crmvalue score``: column options, reading, writing, Dask."""
