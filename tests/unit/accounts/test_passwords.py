import pytest

from signaalpunt.accounts.passwords import password_problem

GUESSABLE = "Dit wachtwoord is te makkelijk te raden."


@pytest.mark.parametrize(
    "password",
    [
        "Welkom2024!!",
        "Zomer2025!!!",
        "Hallo2024!!!",
        "Goedemorgen1!",
        "December2026!",
        "Password2024!",
        "Qwerty123456!",
        "iloveyou1234",
        "1234567890123",
    ],
)
def test_seasonal_greeting_and_breached_patterns_are_refused(app, password: str) -> None:
    assert password_problem(password, "Sanne de Wit", "sanne.dewit@gemeente.nl").startswith(GUESSABLE)


@pytest.mark.parametrize("password", ["Sanne2024!!!!", "DeWit2026!!!!", "Sanne.Dewit99", "Gemeente2026!"])
def test_the_persons_own_name_or_address_with_a_year_is_refused(app, password: str) -> None:
    assert password_problem(password, "Sanne de Wit", "sanne.dewit@gemeente.nl").startswith(GUESSABLE)


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "Fietsbel-Regenjas-77", "paars konijn eet stille soep"]
)
def test_long_uncommon_passphrases_are_accepted(app, password: str) -> None:
    assert password_problem(password, "Sanne de Wit", "sanne.dewit@gemeente.nl") is None


def test_a_short_password_is_refused_with_the_minimum(app) -> None:
    assert password_problem("kort") == "Kies een wachtwoord van minstens 12 tekens."
