"""MkDocs hook: the table of every finding code, read from the engine's source at every build.

A finding is made by ``Finding(...)`` or by a function that passes its own arguments on to one
(``finding``, a check's helper). This hook reads ``recognition_engine/`` (never imports it),
follows each such call back to the literal values of its element, verdict, blocking flag and
message code (through ``x if c else y``, local assignments that reach the call, and a helper's
arguments), and replaces the page's marker with one row per code. A new check appears in the
table without anyone writing it there; ``tests/messages/test_finding_codes.py`` fails on a call
it cannot follow and on a finding the engine emits that the table does not list.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = "<!-- finding-codes -->"
ENGINE = Path(__file__).resolve().parents[2] / "recognition_engine"
SLOTS = ("element", "verdict", "code", "blocking")
Token = tuple[str, Any]  # ("Element", "LEVEL"), ("code", "LEVEL_MEETS"), ("param", "said") …


@dataclass
class Producer:
    """A function that makes a finding: each slot's values, some of them its parameters."""

    params: list[str]
    defaults: dict[str, ast.expr]
    slots: dict[str, set[Token]]
    function: ast.FunctionDef | None = None


@dataclass
class Site:
    """A call that makes a finding, resolved: where it is and what it can say."""

    where: str
    rows: list[dict[str, set[Token]]] = field(default_factory=list)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node  # type: ignore[misc]


def _blocks(
    function: ast.FunctionDef,
) -> tuple[dict[int, list[int]], dict[int, list[ast.stmt]]]:
    """Each statement's chain of enclosing blocks (ids of statement lists), outermost first,
    and the blocks by id."""
    chains: dict[int, list[int]] = {}
    lists: dict[int, list[ast.stmt]] = {}

    def visit(body: list[ast.stmt], chain: list[int]) -> None:
        lists[id(body)] = body
        for statement in body:
            chains[id(statement)] = [*chain, id(body)]
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(statement, name, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    visit(inner, [*chain, id(body)])
            for handler in getattr(statement, "handlers", []):
                visit(handler.body, [*chain, id(body)])

    visit(function.body, [])
    return chains, lists


class Scope:
    """One function's parameters, its statements' blocks and its assignments."""

    def __init__(self, function: ast.FunctionDef) -> None:
        self.function = function
        arguments = function.args
        self.params = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
        self.params += [a.arg for a in arguments.kwonlyargs]
        self.defaults: dict[str, ast.expr] = {}
        if arguments.defaults:
            positional = [*arguments.posonlyargs, *arguments.args]
            for arg, default in zip(
                positional[-len(arguments.defaults) :], arguments.defaults, strict=True
            ):
                self.defaults[arg.arg] = default
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            if default is not None:
                self.defaults[arg.arg] = default
        self.chains, self.lists = _blocks(function)
        self.statement_of: dict[int, ast.stmt] = {}
        self.assignments: dict[str, list[tuple[ast.stmt, ast.expr]]] = defaultdict(list)
        for statement in ast.walk(function):
            if not isinstance(statement, ast.stmt) or id(statement) not in self.chains:
                continue
            for node in ast.walk(statement):
                self.statement_of[id(node)] = statement  # the innermost, walked last
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self.assignments[target.id].append((statement, statement.value))
            elif (
                isinstance(statement, ast.AnnAssign)
                and statement.value is not None
                and isinstance(statement.target, ast.Name)
            ):
                self.assignments[statement.target.id].append((statement, statement.value))

    def reaching(self, name: str, use: ast.AST) -> list[ast.expr]:
        """The values assigned to ``name`` that can reach ``use``: before it, and not in a
        block that returns or raises before getting there."""
        used_in = self.statement_of.get(id(use))
        if used_in is None:
            return [value for _, value in self.assignments.get(name, [])]
        use_chain = set(self.chains[id(used_in)])
        found = []
        for statement, value in self.assignments.get(name, []):
            if statement.lineno >= used_in.lineno:
                continue
            closed = any(
                block not in use_chain and isinstance(self.lists[block][-1], ast.Return | ast.Raise)
                for block in self.chains[id(statement)]
            )
            if not closed:
                found.append(value)
        return found

    def values(self, node: ast.expr | None, depth: int = 0) -> set[Token]:
        """The literal values an argument can take here (a parameter stays a parameter)."""
        if node is None or depth > 8:
            return set()
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in {"Element", "Verdict", "codes"}:
                kind = "code" if node.value.id == "codes" else node.value.id
                return {(kind, node.attr)}
            if node.attr == "code":  # ``said.code``: the code of a message
                return self.values(node.value, depth + 1)
            return set()
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return {("bool", node.value)}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, depth + 1) | self.values(node.orelse, depth + 1)
        if isinstance(node, ast.Call) and _name_of(node.func) == "coded" and node.args:
            return self.values(node.args[0], depth + 1)
        if isinstance(node, ast.Name):
            reaching = self.reaching(node.id, node)
            if reaching:
                return set().union(*(self.values(v, depth + 1) for v in reaching))
            if node.id in self.params:
                return {("param", node.id)}
            return {("unknown", node.id)}
        return {("unknown", ast.unparse(node)[:60])}


def _name_of(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _arguments(call: ast.Call, producer: Producer) -> dict[str, ast.expr | None]:
    # positional arguments first; the parameters they do not reach are given by name, or not
    given: dict[str, ast.expr | None] = dict(zip(producer.params, call.args, strict=False))
    given |= {k.arg: k.value for k in call.keywords if k.arg is not None}
    return given


def _pairs(verdict: ast.expr | None, said: ast.expr | None) -> list[tuple[Any, Any]]:
    """``V1 if c else V2`` with ``coded(C1 if c else C2)``: (V1, C1) and (V2, C2), not all four."""
    inner = said
    if isinstance(inner, ast.Call) and _name_of(inner.func) == "coded" and inner.args:
        inner = inner.args[0]
    if (
        isinstance(verdict, ast.IfExp)
        and isinstance(inner, ast.IfExp)
        and ast.dump(verdict.test) == ast.dump(inner.test)
    ):
        return [(verdict.body, inner.body), (verdict.orelse, inner.orelse)]
    return [(verdict, said)]


def _resolve(scope: Scope, call: ast.Call, producer: Producer) -> list[dict[str, set[Token]]]:
    """Each alternative of the call's slots, with the producer's parameters filled in."""
    given = _arguments(call, producer)
    param_of = {
        slot: next(iter(v))[1]
        for slot, v in producer.slots.items()
        if len(v) == 1 and next(iter(v))[0] == "param"
    }
    alternatives = _pairs(
        given.get(param_of.get("verdict", "")),
        given.get(param_of.get("code", "")),
    )
    rows = []
    for verdict_node, code_node in alternatives:
        row: dict[str, set[Token]] = {}
        for slot, tokens in producer.slots.items():
            filled: set[Token] = set()
            for kind, value in tokens:
                if kind != "param":
                    filled.add((kind, value))
                    continue
                if value == param_of.get("verdict") and slot == "verdict":
                    filled |= scope.values(verdict_node)
                elif value == param_of.get("code") and slot == "code":
                    filled |= scope.values(code_node)
                elif value in given:
                    filled |= scope.values(given[value])
                elif value in producer.defaults:
                    filled |= Scope(producer.function).values(producer.defaults[value])
                else:
                    filled.add(("unknown", value))
            row[slot] = filled
        rows.append(row)
    return rows


def _finding_constructor() -> Producer:
    slots = {slot: {("param", slot)} for slot in SLOTS}
    false = ast.Constant(value=False)
    empty = ast.parse("def _(): pass").body[0]
    return Producer(list(SLOTS), {"blocking": false}, slots, empty)  # type: ignore[arg-type]


def finding_sites(root: Path = ENGINE) -> list[Site]:
    """Every call in the engine that makes a finding with values of its own, resolved."""
    scopes = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        relative = path.relative_to(root.parent)
        scopes += [(relative, Scope(function)) for function in _functions(tree)]
    producers = {"Finding": _finding_constructor()}
    while True:
        sites, new = [], {}
        for relative, scope in scopes:
            for call in ast.walk(scope.function):
                name = _name_of(call.func) if isinstance(call, ast.Call) else None
                if name not in producers or name == scope.function.name:
                    continue
                rows = _resolve(scope, call, producers[name])  # type: ignore[arg-type]
                params = {v for row in rows for t in row.values() for k, v in t if k == "param"}
                if params:
                    merged = {s: set().union(*(row[s] for row in rows)) for s in SLOTS}
                    new[scope.function.name] = Producer(
                        scope.params, scope.defaults, merged, scope.function
                    )
                else:
                    sites.append(Site(f"{relative}:{call.lineno}", rows))
        if new.keys() <= producers.keys():
            return sites
        producers |= new


@dataclass
class CodeRow:
    code: str
    elements: set[str] = field(default_factory=set)
    verdicts: set[str] = field(default_factory=set)
    blocking: set[bool] = field(default_factory=set)
    where: set[str] = field(default_factory=set)


def unresolved(sites: Iterable[Site]) -> list[str]:
    """The calls whose element, verdict, code or blocking flag could not be followed."""
    return sorted(
        f"{site.where}: {slot} {value}"
        for site in sites
        for row in site.rows
        for slot in SLOTS
        for kind, value in (row[slot] or {("unknown", "nothing")})
        if kind in {"unknown", "param"}
    )


def code_rows(sites: Iterable[Site] | None = None) -> dict[str, CodeRow]:
    """Every finding code the engine can emit (its dotted code) with what it can carry."""
    from recognition_engine.messages import codes

    constant_of = {name: value for name, value in vars(codes).items() if isinstance(value, str)}
    table: dict[str, CodeRow] = {}
    for site in finding_sites() if sites is None else sites:
        for row in site.rows:
            for kind, name in row["code"]:
                if kind != "code":
                    continue
                code = constant_of.get(name, name)
                entry = table.setdefault(code, CodeRow(code))
                entry.elements |= {v for k, v in row["element"] if k == "Element"}
                entry.verdicts |= {v for k, v in row["verdict"] if k == "Verdict"}
                entry.blocking |= {v for k, v in row["blocking"] if k == "bool"}
                entry.where.add(site.where.split(":")[0])
    return dict(sorted(table.items()))


def finding_codes_table() -> str:
    from recognition_engine.domain import Element, Verdict
    from recognition_engine.messages.codes import MESSAGES

    rows = [
        "| code | element | verdict | blocks | says (English) |",
        "|---|---|---|---|---|",
    ]
    for code, row in code_rows().items():
        elements = ", ".join(sorted(Element[name].value for name in row.elements))
        verdicts = ", ".join(
            Verdict[name].value
            for name in sorted(row.verdicts, key=list(Verdict.__members__).index)
        )
        blocks = {frozenset({True}): "yes", frozenset({False}): "no"}.get(
            frozenset(row.blocking), "yes or no"
        )
        says = " ".join(MESSAGES.get(code, "").split()).replace("|", "\\|")
        rows.append(f"| `{code}` | {elements} | {verdicts} | {blocks} | {says} |")
    return "\n".join(rows) + "\n"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, finding_codes_table())
