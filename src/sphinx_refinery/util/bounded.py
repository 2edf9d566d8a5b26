"""JSON and YAML from outside (plans, manifests, answers files, caches): bounded in
size and depth, so that a huge or deeply nested file is a one-line error, not a
``MemoryError`` or a ``RecursionError`` in whatever walks it next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Larger than this, a plan, a manifest or a cache is not one.
MAX_BYTES = 20 * 1024 * 1024
#: Deeper than this, nesting is not data anybody wrote (a manifest needs 4).
MAX_DEPTH = 64
#: More values than this, once YAML aliases are expanded, is a "billion laughs".
MAX_NODES = 1_000_000


class InputError(ValueError):
    """Input that is too large, too deep or not what it should be; the message says why."""


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """At most ``limit`` bytes of ``path`` (MAX_BYTES); InputError when there are more."""
    limit = MAX_BYTES if limit is None else limit
    with open(path, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{path} is larger than {limit} bytes")
    return data


def read_text(path: Path, limit: int | None = None) -> str:
    """``path`` as UTF-8 text of at most ``limit`` bytes (OSError as is)."""
    try:
        return read_bytes(path, limit).decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path} is not UTF-8 text") from err


def loads_json(text: str | bytes, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parsed JSON, at most ``max_depth`` deep; InputError otherwise."""
    import json

    if len(text) > MAX_BYTES:
        raise InputError(f"{where} is larger than {MAX_BYTES} bytes")
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"{where} is nested more than {max_depth} levels deep") from None
    except ValueError as err:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(f"{where} is not JSON: {err}") from err
    _check_depth(data, where, max_depth, _json_children)
    return data


def compose_yaml(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """YAML's node tree (lines kept, aliases not expanded), at most ``max_depth`` deep.

    yaml.YAMLError for what is not YAML; InputError for the size and depth.
    """
    import yaml

    if len(text) > MAX_BYTES:
        raise InputError(f"{where} is larger than {MAX_BYTES} bytes")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise InputError(f"{where} is nested more than {max_depth} levels deep") from None
    _check_depth(root, where, max_depth, _node_children)
    return root


def load_yaml(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """YAML's plain value (``safe_load``), bounded as :func:`compose_yaml`."""
    import yaml

    root = compose_yaml(text, where, max_depth)
    if root is None:
        return None
    if _expanded_size(root) > MAX_NODES:  # a "billion laughs": aliases of aliases
        raise InputError(f"{where} holds more than {MAX_NODES} values once its YAML aliases are expanded")
    return yaml.SafeLoader("").construct_document(root)


def _expanded_size(root: Any) -> int:
    """How many nodes the value has once each alias is copied out (memoised, no recursion)."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose children are being counted
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _node_children(node)
        if done or not children:
            open_.discard(id(node))
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes.get(id(child), 0) for child in children))
            continue
        if id(node) in open_:
            return MAX_NODES + 1  # a value that holds itself never ends when expanded
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _json_children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    return []


def _node_children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_depth(root: Any, where: str, max_depth: int, children) -> None:
    # Without recursion: the point is not to trust the depth.
    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise InputError(f"{where} is nested more than {max_depth} levels deep")
        if id(value) in seen:  # a YAML alias: its node was walked already
            continue
        found = children(value)
        if found:
            seen.add(id(value))
        stack.extend((child, depth + 1) for child in found)
