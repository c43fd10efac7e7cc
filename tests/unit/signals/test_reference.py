import math
import re

from hypothesis import given
from hypothesis import strategies as st

from signaalpunt.signals.reference import ALPHABET, generate_reference, normalise_reference

FORMAT = re.compile(r"^SP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_reference_has_the_public_format() -> None:
    for _ in range(200):
        assert FORMAT.match(generate_reference())


def test_alphabet_is_crockford_without_ambiguous_letters() -> None:
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_reference_carries_at_least_40_random_bits() -> None:
    random_characters = len(generate_reference().replace("SP-", "").replace("-", ""))
    assert random_characters * math.log2(len(ALPHABET)) >= 40


def test_references_do_not_repeat() -> None:
    references = [generate_reference() for _ in range(20_000)]
    assert len(set(references)) == len(references)


def test_every_alphabet_character_is_used() -> None:
    seen = set("".join(generate_reference()[3:].replace("-", "") for _ in range(2_000)))
    assert seen == set(ALPHABET)


def test_reference_typed_loosely_is_understood() -> None:
    assert normalise_reference("sp-7k3m-q9xa") == "SP-7K3M-Q9XA"
    assert normalise_reference(" SP 7K3M Q9XA ") == "SP-7K3M-Q9XA"
    assert normalise_reference("7K3MQ9XA") == "SP-7K3M-Q9XA"
    # Word processors and phones turn the hyphen into an en dash, em dash or minus sign.
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        assert normalise_reference(f"SP{dash}7K3M{dash}Q9XA") == "SP-7K3M-Q9XA", repr(dash)
    assert normalise_reference("SP-7K3M-Q9XO") == "SP-7K3M-Q9X0"
    assert normalise_reference("SP-1L1I-0000") == "SP-1111-0000"


def test_malformed_reference_is_refused() -> None:
    for typed in ["", "SP-", "SP-7K3M", "SP-7K3M-Q9XA-1", "SP-7K3M-Q9XU", "<script>", "' OR 1=1 --"]:
        assert normalise_reference(typed) is None


@given(st.builds(lambda: generate_reference()))
def test_generated_reference_survives_normalising(reference: str) -> None:
    assert normalise_reference(reference) == reference
    assert normalise_reference(reference.lower().replace("-", " ")) == reference


def test_ten_characters_without_the_prefix_are_no_reference() -> None:
    assert normalise_reference("AB-7K3M-Q9XA") is None
    assert normalise_reference("AB7K3MQ9XA") is None
