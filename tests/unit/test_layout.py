"""The package's layering, checked on the source: what may import what, and who commits."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "signaalpunt"
BLUEPRINTS = ("intake", "board", "admin", "auth", "figures", "initiatives")
DOMAINS = ("signals", "organisations", "accounts", "socialmap")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
    return modules


def sources(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_a_blueprint_never_imports_another(blueprint: str) -> None:
    others = {f"signaalpunt.{other}" for other in BLUEPRINTS if other != blueprint}
    for path in sources(blueprint):
        crossing = {m for m in imported_modules(path) if any(m == o or m.startswith(o + ".") for o in others)}
        assert not crossing, (path.name, crossing)


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_package_knows_nothing_of_http(domain: str) -> None:
    forbidden = {f"signaalpunt.{name}" for name in (*BLUEPRINTS, "web", "forms")}
    for path in sources(domain):
        modules = imported_modules(path)
        assert "flask.request" not in modules, path
        assert not {m for m in modules if any(m == f or m.startswith(f + ".") for f in forbidden)}, path


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_views_never_commit(blueprint: str) -> None:
    for path in sources(blueprint):
        assert ".commit()" not in path.read_text(), f"{path}: the request commits once, after the view"


def test_every_package_says_what_it_holds() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text())), init
