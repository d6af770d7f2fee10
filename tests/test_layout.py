"""The layout rules of docs/architecture.md, checked on the source tree."""

import ast
from pathlib import Path

PORTIER = Path(__file__).resolve().parent.parent / "portier"
MAX_LINES = 400


def _modules():
    for path in sorted(PORTIER.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _is_test_code(path: Path, root: Path = PORTIER) -> bool:
    relative = path.relative_to(root).parts
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


def _module_name(path: Path, root: Path = PORTIER) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private_imports(path: Path, root: Path = PORTIER):
    """(module, name) for each `from portier.x import _name` of another module's private name.
    An app's own tests may test its internals (`portier/<app>/tests/` importing `portier.<app>`)."""
    me = _module_name(path, root)
    app = me.split(".")[:2]
    own_tests = "tests" in path.relative_to(root).parts
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
            continue
        if not node.module.startswith("portier") or node.module == me:
            continue
        if own_tests and node.module.split(".")[:2] == app:
            continue
        yield from ((node.module, a.name) for a in node.names if a.name.startswith("_"))


def test_no_module_imports_another_modules_private_names():
    offenders = [
        f"{path.relative_to(PORTIER.parent)}: from {module} import {name}"
        for path in _modules()
        for module, name in _private_imports(path)
    ]
    assert offenders == []


def test_the_check_sees_an_import_of_a_private_name(tmp_path):
    package = tmp_path / "portier"
    (package / "visits").mkdir(parents=True)
    module = package / "visits" / "reconcile.py"
    module.write_text("def f():\n    from portier.invitations.services import _write\n")
    (package / "visits" / "tests").mkdir()
    own_test = package / "visits" / "tests" / "test_it.py"
    own_test.write_text("from portier.visits.reconcile import _internal\n")
    other_test = package / "visits" / "tests" / "test_other.py"
    other_test.write_text("from portier.sync.engine import _finish\n")
    found = list(_private_imports(module, package))
    assert found == [("portier.invitations.services", "_write")]
    assert list(_private_imports(own_test, package)) == []
    assert list(_private_imports(other_test, package)) == [("portier.sync.engine", "_finish")]


def _import_graph(root: Path = PORTIER) -> dict[str, set[str]]:
    """Product module -> the product modules it imports, at any depth of the file: an import
    inside a function is still a circle (it only moves the failure to run time), which is how
    the old `invitations.services -> tasks -> delivery -> decisions -> services` hid. A package's
    `__init__` is the module named like the package; importing a submodule does not count as
    importing its parents' `__init__` (they hold no imports that could close a circle)."""
    product = {
        _module_name(p, root): p
        for p in sorted(root.rglob("*.py"))
        if "migrations" not in p.parts and not _is_test_code(p, root)
    }
    graph = {}
    for name, path in product.items():
        targets = set()
        tree = ast.parse(path.read_text(), filename=str(path))
        type_only = _type_checking_imports(tree)
        for node in ast.walk(tree):
            if node in type_only:
                continue
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in product}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in product:
                        targets.add(full)
                    elif node.module in product:
                        targets.add(node.module)
        graph[name] = targets - {name}
    return graph


def _type_checking_imports(tree: ast.AST) -> set[ast.AST]:
    """Imports under `if TYPE_CHECKING:` run only for the type checker, never at run time, so
    they close no circle (the usual way for a part to name the type of the whole it serves)."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                found |= set(ast.walk(child))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circle_between_product_modules():
    assert _cycles(_import_graph()) == []


def test_the_check_sees_an_import_circle(tmp_path):
    package = tmp_path / "portier" / "a"
    package.mkdir(parents=True)
    (package / "services.py").write_text("def wake():\n    from portier.a import tasks\n")
    (package / "tasks.py").write_text("from portier.a.services import wake\n")
    (package / "views.py").write_text("import portier.a.services\n")
    graph = _import_graph(tmp_path / "portier")
    assert graph["portier.a.views"] == {"portier.a.services"}
    assert _cycles(graph) == [["portier.a.services", "portier.a.tasks"]]


def test_an_import_only_for_the_type_checker_closes_no_circle(tmp_path):
    package = tmp_path / "portier" / "a"
    package.mkdir(parents=True)
    (package / "whole.py").write_text("from portier.a import part\n")
    (package / "part.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from portier.a import whole\n"
    )
    assert _cycles(_import_graph(tmp_path / "portier")) == []


def test_the_cycle_finder_finds_the_old_outbox_circle():
    graph = {
        "a.services": {"a.tasks", "lib"},
        "a.tasks": {"a.delivery"},
        "a.delivery": {"a.decisions"},
        "a.decisions": {"a.services"},
        "lib": set(),
        "b": {"lib"},
    }
    assert _cycles(graph) == [["a.decisions", "a.delivery", "a.services", "a.tasks"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_outbox_imports_no_domain_app():
    """Kinds are registered with the outbox by the apps that own them, never imported by it."""
    graph = _import_graph()
    imported = {
        target
        for module, targets in graph.items()
        if module.startswith("portier.outbox.")
        for target in targets
    }
    assert {t for t in imported if not t.startswith(("portier.outbox", "portier.lib"))} == set()
