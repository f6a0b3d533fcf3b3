"""A fast yes-or-no check of a stored shape, compiled from its declaration.

Every data file is checked against its shapes when a new version of it is
read (``store/shape_check.py``), and the generic :meth:`Shape.check` walks
thousands of records with a method call for every value: about as long as
parsing the file. :func:`compiled_check` turns a :class:`Document` into one
plain Python function, written out field by field (as ``dataclasses`` and
``collections.namedtuple`` write theirs), that answers only *does this record
have its shape?* under :attr:`Rules.SHAPE`, with no call per value.

It asks exactly what the generic check asks (the same types, required
fields, ids, offsets, years, finite numbers within reach and ``read_checks``), so a record passes
one if and only if it passes the other (``tests/test_shape_compiler.py`` holds
them to it on every kind of damage). It cannot say what is wrong: when it
answers no, the caller asks the generic check, which names the field.

:func:`module_source` writes the same functions out as the text of a module,
for a check that must run before the declarations are worth importing (the
index, checked as the app starts: ``store/index_shapes.py``).
"""

from __future__ import annotations

import builtins
import importlib
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from .shapes import (
    _ID,
    _IS_ID,
    FIRST_YEAR,
    LAST_YEAR,
    Boolean,
    Day,
    Document,
    Ident,
    Invalid,
    ListOf,
    MapOf,
    Maybe,
    Name,
    Number,
    OneOf,
    Rules,
    Shape,
    Text,
    Timestamp,
)

#: A compiled check: True when the record has the shape. The set holds the ids
#: already found good in this file (the check adds to it).
Check = Callable[[Any, set[str]], bool]


class _Writer:
    """The source of one check function, and the names its code refers to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, object] = {
            "_is_id": _IS_ID,
            "_datetime_from": datetime.fromisoformat,
            "_date_from": date.fromisoformat,
            "_isfinite": math.isfinite,
            "_real": (int, float),
        }
        self._count = 0

    def fresh(self, stem: str) -> str:
        self._count += 1
        return f"{stem}{self._count}"

    def name(self, value: object, stem: str) -> str:
        """A module-level name for ``value`` in the generated code."""
        name = self.fresh(f"_{stem}")
        self.names[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def value(self, shape: Shape, var: str, indent: int) -> None:
        """Code that returns False unless ``var`` has ``shape``."""
        emit = self.emit
        if isinstance(shape, Ident):
            # Ids repeat (members, the group, commitments named in sessions):
            # one seen in this file already is a good id.
            emit(indent, f"if type({var}) is not str: return False")
            emit(indent, f"if {var} not in ids:")
            emit(indent + 1, f"if _is_id({var}) is None: return False")
            emit(indent + 1, f"ids.add({var})")
        elif isinstance(shape, Text):
            emit(indent, f"if not isinstance({var}, str): return False")
        elif isinstance(shape, Name):
            emit(indent, f"if not isinstance({var}, str) or not {var}.strip(): return False")
        elif isinstance(shape, Boolean):
            emit(indent, f"if not isinstance({var}, bool): return False")
        elif isinstance(shape, Number):
            if shape.whole:
                emit(
                    indent,
                    f"if isinstance({var}, bool) or not isinstance({var}, int): return False",
                )
            else:
                emit(
                    indent,
                    f"if isinstance({var}, bool) or not isinstance({var}, _real) "
                    f"or not _isfinite({var}): return False",
                )
            emit(indent, f"if not {-shape.reach!r} <= {var} <= {shape.reach!r}: return False")
        elif isinstance(shape, Timestamp):
            self._parsed(indent, var, "_datetime_from", offset=True)
        elif isinstance(shape, Day):
            self._parsed(indent, var, "_date_from", offset=False)
        elif isinstance(shape, OneOf):
            emit(indent, f"if {var} not in {self.name(shape.allowed, 'allowed')}: return False")
        elif isinstance(shape, Maybe):
            emit(indent, f"if {var} is not None:")
            self.value(shape.inner, var, indent + 1)
        elif isinstance(shape, ListOf):
            emit(indent, f"if not isinstance({var}, list): return False")
            item = self.fresh("item")
            emit(indent, f"for {item} in {var}:")
            self.value(shape.inner, item, indent + 1)
        elif isinstance(shape, MapOf):
            emit(indent, f"if not isinstance({var}, dict): return False")
            key, item = self.fresh("key"), self.fresh("item")
            emit(indent, f"for {key}, {item} in {var}.items():")
            emit(indent + 1, f"if {key} not in ids:")
            emit(indent + 2, f"if _is_id({key}) is None: return False")
            emit(indent + 2, f"ids.add({key})")
            self.value(shape.inner, item, indent + 1)
        elif isinstance(shape, Document):
            self.document(shape, var, indent)
        else:
            # A shape this compiler does not know: ask its own check.
            check = self.name(shape.check, "check")
            emit(indent, "try:")
            emit(indent + 1, f"{check}({var}, '', _SHAPE)")
            emit(indent, "except _Invalid: return False")
            self.names["_SHAPE"] = Rules.SHAPE
            self.names["_Invalid"] = Invalid

    def _parsed(self, indent: int, var: str, parser: str, *, offset: bool) -> None:
        parsed = self.fresh("parsed")
        self.emit(indent, f"if not isinstance({var}, str): return False")
        self.emit(indent, "try:")
        self.emit(indent + 1, f"{parsed} = {parser}({var})")
        self.emit(indent, "except ValueError: return False")
        if offset:
            self.emit(indent, f"if {parsed}.tzinfo is None: return False")
        self.emit(indent, f"if not {FIRST_YEAR} <= {parsed}.year <= {LAST_YEAR}: return False")

    def document(self, shape: Document, var: str, indent: int) -> None:
        emit = self.emit
        emit(indent, f"if not isinstance({var}, dict): return False")
        for key, spec in shape.fields.items():
            field = self.fresh("field")
            if spec.required:
                # A missing key raises KeyError, caught once for the whole function.
                emit(indent, f"{field} = {var}[{key!r}]")
                self.value(spec.shape, field, indent)
            else:
                emit(indent, f"if {key!r} in {var}:")
                emit(indent + 1, f"{field} = {var}[{key!r}]")
                self.value(spec.shape, field, indent + 1)
        for rule in shape.read_checks:
            emit(indent, "try:")
            emit(indent + 1, f"{self.name(rule, 'rule')}({var})")
            emit(indent, "except ValueError: return False")


#: Each shape's compiled check, by the shape's identity (a ``Document`` holds a
#: dict, so it cannot be hashed), with the shape kept alive beside it.
_COMPILED: dict[int, tuple[Document, Check]] = {}


def compiled_check(shape: Document) -> Check:
    """``shape``'s check under :attr:`Rules.SHAPE` as one function (made once per shape)."""
    known = _COMPILED.get(id(shape))
    if known is not None and known[0] is shape:
        return known[1]
    check = _compile(shape)
    _COMPILED[id(shape)] = (shape, check)
    return check


def _compile(shape: Document) -> Check:
    writer = _Writer()
    writer.emit(0, "def check(record, ids):")
    writer.emit(1, "try:")
    writer.document(shape, "record", 2)
    writer.emit(1, "except KeyError:")
    writer.emit(2, "return False")
    writer.emit(1, "return True")
    namespace = dict(writer.names)
    exec(compile("\n".join(writer.lines), f"<shape check: {shape.title}>", "exec"), namespace)
    check: Check = namespace["check"]  # type: ignore[assignment]
    return check


def module_source(shapes: Mapping[str, Document], *, schema: int, header: str) -> str:
    """A module of compiled checks, one ``check_<table>(record, ids)`` per table of
    ``shapes``, and ``has_shapes(tables)``: True when every record of every table
    has its shape. Everything the checks refer to is written out as source (a
    rule by the module and name it is imported from), so importing the module
    imports no declaration. ``header`` is its docstring."""
    writer = _Writer()
    for table, shape in shapes.items():
        if not table.isidentifier():
            raise ValueError(f"table {table!r} cannot name a function")
        writer.emit(0, "")
        writer.emit(0, "")
        writer.emit(0, f"def check_{table}(record: Any, ids: set[str]) -> bool:")
        writer.emit(
            1, f'"""Whether a record of the {table!r} table has the {shape.title} shape."""'
        )
        writer.emit(1, "try:")
        writer.document(shape, "record", 2)
        writer.emit(1, "except KeyError:")
        writer.emit(2, "return False")
        writer.emit(1, "return True")
    lines = [
        f'"""{header}"""',
        "",
        "# Generated: do not edit (see the docstring for how to write it again).",
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        *(_name_source(name, value) for name, value in writer.names.items()),
        "",
        "#: The schema version the checks describe.",
        f"SCHEMA = {schema!r}",
        *writer.lines,
        "",
        "",
        "def has_shapes(tables: dict[str, dict[str, Any]]) -> bool:",
        '    """Whether every record of every table has its shape."""',
        "    ids: set[str] = set()",
        *(
            line
            for table in shapes
            for line in (
                f"    for record in tables.get({table!r}, {{}}).values():",
                f"        if not check_{table}(record, ids):",
                "            return False",
            )
        ),
        "    return True",
        "",
    ]
    return "\n".join(lines)


def _name_source(name: str, value: object) -> str:
    """The line of source that defines ``name`` as ``value`` in a generated module."""
    if value is _IS_ID:
        return f"_is_id = __import__('re').compile({_ID.pattern!r}).fullmatch"
    if value == datetime.fromisoformat:
        return f"{name} = __import__('datetime').datetime.fromisoformat"
    if value == date.fromisoformat:
        return f"{name} = __import__('datetime').date.fromisoformat"
    if value is math.isfinite:
        return f"{name} = __import__('math').isfinite"
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return f"{name} = {value!r}"
    if isinstance(value, tuple) and all(
        isinstance(v, type) and getattr(builtins, v.__name__, None) is v for v in value
    ):
        items = ", ".join(v.__name__ for v in value)
        return f"{name} = ({items},)" if len(value) == 1 else f"{name} = ({items})"
    if callable(value):
        module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", "")
        if (
            module
            and qualname.isidentifier()
            and getattr(importlib.import_module(module), qualname, None) is value
        ):
            return f"from {module} import {qualname} as {name}"
    raise ValueError(f"{name}: {value!r} cannot be written out as source")
