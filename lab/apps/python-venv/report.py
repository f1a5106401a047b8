"""A click CLI that prints a table with tabulate, installed in a virtual environment."""
import sys

import click
from tabulate import tabulate


@click.command()
@click.option("--fmt", default="github", help="tabulate table format")
def main(fmt):
    rows = [("venv", sys.prefix), ("click", click.__name__), ("rows", 2)]
    click.echo(tabulate(rows, headers=["key", "value"], tablefmt=fmt))


if __name__ == "__main__":
    main()
