"""``python -m kg.cli``: the ``kg`` command, where the console script is not installed."""

from kg.cli import app

app(prog_name="kg")
