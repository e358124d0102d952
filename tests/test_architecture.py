"""How the code hangs together: apps depend one way (core <- accounts <- blog <- comments
<- wordpress <- config; core holds plain helpers, no models; config wires the site
together), and the modules inside an app import each other without going round in a circle.

Both read the source with ``ast``, so an import inside a function counts as much as one at
the top: a lazy import hides a dependency, it does not remove it.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first: each may import the ones before it, never the ones after it.
LAYERS = ("core", "accounts", "blog", "comments", "wordpress", "config")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _python_files(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def _imported_names(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) for each import in ``path``; relative imports resolved.

    ``import a.b`` gives ("a.b", []); ``from a import b, c`` gives ("a", ["b", "c"]).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module, [alias.name for alias in node.names]


def _app_imports(app: str) -> Iterator[tuple[str, int, str]]:
    """(file, line, imported app) for every import of one of our apps inside ``app``."""
    for path in _python_files(app):
        for line, module, _names in _imported_names(path):
            top = module.split(".")[0]
            if top in LAYERS and top != app:
                yield str(path.relative_to(ROOT)), line, top


def test_the_scan_sees_imports_between_apps():
    # Guards the guard: if the parsing found nothing, the test below would pass vacuously.
    assert ("blog", "accounts") in {
        (app, imported) for app in LAYERS for _f, _l, imported in _app_imports(app)
    }
    assert any(imported == "blog" for _f, _l, imported in _app_imports("comments"))


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_never_imports_a_higher_one(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    wrong = [
        f"{file}:{line} imports {imported}"
        for file, line, imported in _app_imports(app)
        if imported in higher
    ]
    assert wrong == [], f"{app} may only use {LAYERS[: LAYERS.index(app)]}: " + "; ".join(wrong)


def _import_graph(app: str) -> dict[str, set[str]]:
    """Module -> the modules of ``app`` it imports.

    ``from a import b`` points at ``a.b`` when that is a module, otherwise at ``a``. The
    parent packages Python runs first are left out: a package whose ``__init__`` re-exports
    its submodules would otherwise look like a cycle with each of them.
    """
    modules = {_module_name(path): path for path in _python_files(app)}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _line, module, names in _imported_names(path):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules]
            if not targets:
                while module and module not in modules:
                    module = module.rpartition(".")[0]
                targets = [module] if module else []
            graph[name].update(t for t in targets if t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_resolves_packages_and_submodules():
    graph = _import_graph("comments")
    assert "comments.services.posting" in graph["comments.services"]
    assert "comments.models" in graph["comments.selectors"]


@pytest.mark.parametrize("app", LAYERS)
def test_modules_inside_an_app_import_each_other_one_way(app):
    assert _cycles(_import_graph(app)) == []


# --- Where things live -----------------------------------------------------------------


def _app_files() -> list[Path]:
    return [path for app in LAYERS for path in _python_files(app)]


def _in_admin(path: Path) -> bool:
    """An app's admin.py or admin/ package; config wires the admin site itself."""
    parts = path.relative_to(ROOT).parts
    return parts[0] == "config" or parts[1] == "admin" or parts[-1] == "admin.py"


def test_only_admin_modules_use_the_admin():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _app_files()
        if not _in_admin(path)
        for line, module, names in _imported_names(path)
        if module.startswith("django.contrib.admin")
        or (module == "django.contrib" and "admin" in names)
    ]
    assert wrong == [], "an app's admin lives in its admin.py or admin/ package"


def _task_functions(path: Path) -> list[tuple[int, str]]:
    """(line, name) of each function in ``path`` decorated with ``@task`` (or ``@task(...)``)."""

    def name(decorator: ast.expr) -> str:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute):
            return target.attr
        return target.id if isinstance(target, ast.Name) else ""

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(name(decorator) == "task" for decorator in node.decorator_list)
    ]


def test_the_task_finder_finds_tasks():
    found = {name for _line, name in _task_functions(ROOT / "comments/tasks.py")}
    assert "send_comment_notifications" in found


def test_tasks_are_defined_in_tasks_modules():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in _app_files()
        if path.name != "tasks.py"
        for line, name in _task_functions(path)
    ]
    assert wrong == [], "each app's background tasks live in its tasks.py"


def _file_system_uses(path: Path) -> list[tuple[int, str]]:
    """(line, what) for each place in ``path`` that reaches past the storage API to the disk:
    MEDIA_ROOT, FileSystemStorage, or writing a file through pathlib."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        if name in {"MEDIA_ROOT", "FileSystemStorage", "write_bytes", "write_text"}:
            found.append((node.lineno, name))
    return found


def test_the_file_system_finder_finds_media_root():
    # By name, not line: config/urls.py grows as apps add their addresses.
    assert "MEDIA_ROOT" in {name for _line, name in _file_system_uses(ROOT / "config/urls.py")}


def test_apps_store_files_through_the_storage_only():
    # Uploads may live in a bucket (DJANGO_S3_BUCKET): every file an app writes or reads
    # goes through default_storage or a FileField. config wires the storage itself.
    # core.backup writes its archive and a scratch copy of the database, not uploads.
    wrong = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in _app_files()
        if path.relative_to(ROOT).parts[0] != "config" and path != ROOT / "core/backup.py"
        for line, name in _file_system_uses(path)
    ]
    assert wrong == [], "apps store files through django.core.files.storage"


def _tasks_without_retry(path: Path) -> list[tuple[int, str]]:
    """(line, name) of each ``@task`` function in ``path`` that sends e-mail (its source
    names ``mailers`` or a helper that sends) without ``@retry_on_mail_errors`` under it."""
    source = path.read_text(encoding="utf-8")
    tasks = dict(_task_functions(path))
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef) or node.lineno not in tasks:
            continue
        decorators = {ast.unparse(decorator) for decorator in node.decorator_list}
        body = ast.get_source_segment(source, node) or ""
        sends = any(word in body for word in ("mailers", "_send(", "notifications_send"))
        if sends and "retry_on_mail_errors" not in decorators:
            found.append((node.lineno, node.name))
    return found


def test_tasks_that_send_email_are_retried_when_the_server_refuses():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in _app_files()
        if path.name == "tasks.py"
        for line, name in _tasks_without_retry(path)
    ]
    assert wrong == [], "an e-mail task is decorated with core.mail.retry_on_mail_errors"
