"""The layout rules of docs/architecture.md, checked on the source tree."""

import ast
from pathlib import Path

PORTIER = Path(__file__).resolve().parent.parent / "portier"
MAX_LINES = 400


def _modules():
    for path in sorted(PORTIER.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _is_test_code(path: Path) -> bool:
    relative = path.relative_to(PORTIER).parts
    return relative[0] == "testing" or "tests" in relative or path.name == "conftest.py"


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_no_product_module_imports_portier_testing():
    offenders = [
        f"{path.relative_to(PORTIER.parent)} imports {name}"
        for path in _modules()
        if not _is_test_code(path)
        for name in _imported_modules(path)
        if name == "portier.testing" or name.startswith("portier.testing.")
    ]
    assert offenders == []


def test_the_check_sees_an_import_of_portier_testing(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from portier.testing import factories\n")
    assert "portier.testing" in set(_imported_modules(module))


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(PORTIER.parent)): n
        for path in _modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
