"""Generated data for the benchmarks: a million references that never collide."""

from signaalpunt.ops.generate import generated_reference
from signaalpunt.signals.reference import normalise_reference


def test_generated_references_are_unique_and_read_as_any_reference() -> None:
    references = [generated_reference(signal_id) for signal_id in range(1, 200_001)]
    assert len(set(references)) == len(references)
    assert all(normalise_reference(reference) == reference for reference in references[:1000])
