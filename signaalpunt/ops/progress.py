"""How far a long job is: a bar on a terminal (rich), a plain line per tenth in a service's log."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

Advance = Callable[[int], None]


@contextmanager
def progress(description: str, total: int) -> Iterator[Advance]:
    """Yields ``advance(n)``, to be called as each batch of ``n`` is done."""
    if sys.stderr.isatty():
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done: bar.advance(task, done)
        return
    done = told = 0

    def tell(more: int) -> None:
        nonlocal done, told
        done += more
        if done * 10 // max(total, 1) > told:
            told = done * 10 // max(total, 1)
            click.echo(f"{description}: {done} of {total}", err=True)

    yield tell
