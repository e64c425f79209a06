"""The code's shape: the pipeline's layers import only downwards, no import cycles, no oversized
module, few modules beside the subpackages, and environment variables read in one place."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "ui")
MAX_MODULE_LINES = 400
MAX_TOP_LEVEL_MODULES = 8
# The pipeline, lowest first: a module may import its own layer and those below it, never above.
LAYERS = (
    ("assistant.version", "assistant.errors", "assistant.config", "assistant.files", "assistant.results"),
    ("assistant.text",),
    ("assistant.ingest",),
    ("assistant.embed",),
    ("assistant.search",),
    ("assistant.stores",),
    ("assistant.indexing",),
    ("assistant.answer",),
    # The interfaces: the package's public names, the command line (which starts the chat), the web chat.
    ("assistant", "assistant.__main__", "assistant.cli", "assistant.testing", "ui"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """The index in `LAYERS` of the longest prefix naming `module` or a package holding it."""
    found = [(len(prefix), index) for index, layer in enumerate(LAYERS) for prefix in layer
             if module == prefix or module.startswith(prefix + ".") and prefix != "assistant"]
    assert found, f"{module} is in no layer; add it to LAYERS"
    return max(found)[1]


def imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules `path` imports, at any depth of the file (lazy imports included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    # Importing a submodule loads its packages first anyway: an edge to one's own package says nothing.
    return {target for target in found if not name.startswith(target + ".")}


def project_files() -> list[Path]:
    return [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]


def import_graph() -> dict[str, set[str]]:
    files = project_files()
    modules = {module_name(path) for path in files}
    return {module_name(path): imports(path, modules) for path in files}


def test_no_import_cycles():
    graph = import_graph()
    done: set[str] = set()

    def visit(module: str, stack: list[str]) -> None:
        if module in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(module):] + [module]))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, stack + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_layers_import_only_downwards():
    graph = import_graph()
    assert graph["assistant.answer.assistant"] and "assistant.results" in graph["assistant.search.confidence"]
    upward = sorted(f"{module} -> {target}" for module, targets in graph.items() for target in targets
                    if layer_of(target) > layer_of(module))
    assert upward == []


def test_layer_check_sees_an_upward_import():
    assert layer_of("assistant.text.normalize") < layer_of("assistant.search.lexical") < layer_of("ui.app")
    assert layer_of("assistant.stores.local") == layer_of("assistant.stores") == 5
    assert layer_of("assistant.cli") > layer_of("assistant.answer.assistant")


def test_no_module_is_over_400_lines():
    sizes = {module_name(path): len(path.read_text(encoding="utf-8").splitlines()) for path in project_files()}
    assert {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}


def test_few_modules_beside_the_subpackages():
    modules = sorted(path.name for path in (ROOT / "assistant").glob("*.py"))
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules


def test_every_subpackage_says_its_job_and_what_it_may_import():
    for init in (ROOT / "assistant").glob("*/__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in docstring, f"{init.relative_to(ROOT)} does not say what it may import"


def test_environment_variables_are_read_in_config_only():
    reads = re.compile(r"os\.environ\.get|os\.environ\[|os\.getenv|environ\.get\(")
    readers = sorted(str(path.relative_to(ROOT)) for path in project_files()
                     if path.name != "config.py" and reads.search(path.read_text(encoding="utf-8")))
    assert readers == []
