"""A bounded LaTeX/plain-text math grammar: answer text in, a small immutable AST out.

Untrusted text never reaches sympy: this parser refuses inputs past its size and nesting limits,
and the AST it builds (the nodes of ``assay.verifiers.math.nodes``) is what
``assay.verifiers.math.cas`` turns into sympy objects in a worker.
"""

from __future__ import annotations

import re

from assay.verifiers.math.lexer import (
    FUNCTIONS,
    GREEK,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_TEXT,
    RELATIONS,
    ParseError,
    TooLarge,
    attach_units,
    normalise,
    tokenize,
)
from assay.verifiers.math.nodes import (
    Abs,
    Add,
    Deg,
    Div,
    Eq,
    Fact,
    Interval,
    List,
    Matrix,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pm,
    Pow,
    Rel,
    Set,
    SetMinus,
    Text,
    Tuple,
    Union,
    Unit,
    Var,
    children,
    integer,
    walk,
)
from assay.verifiers.math.tex import TexReader, number, repeating

__all__ = ["ParseError", "TooLarge", "normalise", "parse", "tokenize"]

# -- parser -------------------------------------------------------------------------------------
_SEPARATORS = {",", ";"}
_CLOSERS = {")", "]", "}", "\\}", "\\\\", "&", "|"}


class _Parser(TexReader):
    """The operator grammar, from a whole answer down to atoms."""

    def answer(self) -> Node:
        node = self.sequence()
        if self.peek() == ("cmd", "over"):
            self.take()  # \\boxed{1 \\over 2}: the box is the group
            node = Div(node, self.sequence())
        token = self.peek()
        if token is not None:
            raise ParseError(f"unexpected {token[1]!r}")
        return node

    def sequence(self) -> Node:
        """Items separated by commas, semicolons, 'or', 'and': a List when several."""
        items = [self.union()]
        joins: set[str] = set()
        while True:
            token = self.peek()
            if token is None:
                break
            if token[0] == "op" and token[1] in _SEPARATORS:
                self.take()
                joins.add(",")
                if self.kind() == "word":
                    joins.add(self.take()[1])  # "1, 2, and 3"
            elif token[0] == "word":
                joins.add(self.take()[1])
            else:
                break
            if len(items) >= MAX_ITEMS:
                raise TooLarge("too many items")
            items.append(self.union())
        return items[0] if len(items) == 1 else List(tuple(items), tuple(sorted(joins)))

    def union(self) -> Node:
        parts = [self.relation()]
        while self.peek() == ("cmd", "cup") or self.peek() == ("var", "U") and isinstance(parts[-1], (Interval, Tuple)):
            self.take()
            parts.append(self.relation())
        node: Node
        if len(parts) > 1 and isinstance(parts[0], Eq):
            # D = (-\\infty, -7) \\cup (-7, 2]: the name is for the whole union
            sides = parts[0].sides
            node = Eq((*sides[:-1], Union((sides[-1], *parts[1:]))))
        else:
            node = parts[0] if len(parts) == 1 else Union(tuple(parts))
        if self.peek() == ("cmd", "setminus"):
            self.take()  # \mathbb{R} \setminus \{-3\}
            node = SetMinus(node, self.relation())
        return node

    def relation(self) -> Node:
        operands = [self.expression()]
        ops: list[str] = []
        if self.peek() == ("cmd", "in") and isinstance(operands[0], Var):
            self.take()  # x \in [1, 2): the set is the answer
            return self.union()
        while True:
            token = self.peek()
            if token is None:
                break
            relation = RELATIONS.get(token[1]) if token[0] in ("op", "cmd") else None
            if relation is None or (token[0] == "op" and token[1] not in ("=", "<", ">", "<=", ">=", "!=")):
                if token[0] == "cmd" and token[1] in ("approx", "sim", "to", "rightarrow", "Rightarrow", "implies"):
                    raise ParseError(f"\\{token[1]} in an answer")
                break
            self.take()
            ops.append(relation)
            operands.append(self.expression())
        if not ops:
            return operands[0]
        if all(op == "=" for op in ops):
            return Eq(tuple(operands))
        return Rel(tuple(operands), tuple(ops))

    def expression(self) -> Node:
        self.enter()
        terms: list[Node] = []
        if self.is_op("+", "-") or self.peek() in (("cmd", "pm"), ("cmd", "mp")):
            sign = self.take()[1]
            first = self.term()
            terms.append(Neg(first) if sign == "-" else Pm(integer(0), first) if sign in ("pm", "mp") else first)
        else:
            terms.append(self.term())
        while True:
            if self.is_op("+"):
                self.take()
                terms.append(self.term())
            elif self.is_op("-"):
                self.take()
                terms.append(Neg(self.term()))
            elif self.peek() in (("cmd", "pm"), ("cmd", "mp")):
                self.take()
                right = self.term()
                left = terms[0] if len(terms) == 1 else Add(tuple(terms))
                terms = [Pm(left, right)]
            else:
                break
        self.depth -= 1
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def term(self) -> Node:
        factors = [self.unary()]
        while True:
            token = self.peek()
            if token is None:
                break
            if token in (("op", "*"), ("cmd", "cdot"), ("cmd", "times"), ("cmd", "ast")):
                self.take()
                factors.append(self.unary())
            elif token == ("op", ":") and self.pos + 1 < len(self.tokens) and all(
                    _has_name(f) for f in factors):
                # a ratio of named quantities, NO:BO = 2 or AB:BC = 3 (a name; "3:45" stays unread)
                self.take()
                denominator = self.unary()
                if not _has_name(denominator):
                    raise ParseError("a ratio of a name and a number")
                left = factors[0] if len(factors) == 1 else Mul(tuple(factors))
                factors = [Div(left, denominator)]
            elif token in (("op", "/"), ("cmd", "div")):
                self.take()
                denominator = self.unary()
                left = factors[0] if len(factors) == 1 else Mul(tuple(factors))
                factors = [Div(left, denominator)]
            elif self.starts_implicit_factor(token):
                factors.append(self.power())
            elif token[0] == "op" and token[1] in _MATRIX_OPENINGS and factors:
                factors.append(self.power())  # \frac{1}{5}\begin{pmatrix} ... \end{pmatrix}
            else:
                break
        if len(factors) > 1 and isinstance(factors[-1], Matrix):
            return _scaled(factors[:-1], factors[-1])
        return factors[0] if len(factors) == 1 else Mul(tuple(factors))

    def starts_implicit_factor(self, token: tuple[str, str]) -> bool:
        """Whether ``token`` multiplies what came before without an operator: ``2x``, ``3\\sqrt{2}``."""
        kind, value = token
        if kind == "num":
            return False  # "2 3" is not 6, and "(1+2)3" is refused too
        if kind == "text":
            return True  # \angle ABC: words inside a name
        if kind == "var":
            # "(1, 2) U (3, 4)": a capital U before a bracket is a union, not a factor
            return not (value == "U" and self.peek(1) in (("op", "("), ("op", "[")))
        if kind == "cmd":
            return value in FUNCTIONS or value in GREEK or value in (
                "frac", "sqrt", "pi", "binom", "infty", "lfloor", "lceil", "overline", "bar",
            )
        if kind == "op":
            return value in ("(", "{") or value == "|" and self.bars == 0  # 2|x|, but not the bar closing |2x|
        return False

    def unary(self) -> Node:
        signs = 0
        while self.is_op("-", "+"):
            if self.take()[1] == "-":
                signs += 1
            if signs > MAX_DEPTH:
                raise TooLarge("too many signs")
        node = self.power()
        for _ in range(signs):
            node = Neg(node)
        return node

    def power(self) -> Node:
        self.enter()
        base = self.postfix(self.atom())
        if self.is_op("^"):
            self.take()
            if self.is_op("deg"):
                self.take()
                base = Deg(base)
            else:
                exponent = self.exponent()
                base = self.postfix(Pow(base, exponent))
        self.depth -= 1
        return base

    def exponent(self) -> Node:
        if self.is_op("{"):
            return self.group()
        if self.is_op("-"):
            self.take()
            if self.is_op("-"):
                raise ParseError("a double sign in an exponent")
            return Neg(self.exponent())
        token = self.take()
        if token[0] == "num":
            return number(token[1])
        if token[0] == "var":
            return Var(token[1])
        if token[0] == "cmd":
            self.pos -= 1
            return self.atom()
        if token == ("op", "("):
            self.pos -= 1
            return self.atom()
        raise ParseError(f"bad exponent {token[1]!r}")

    def postfix(self, node: Node) -> Node:
        while True:
            if self.is_op("!"):
                self.take()
                node = Fact(node)
            elif self.is_op("deg"):
                self.take()
                node = Deg(node)
            elif self.is_op("pct"):
                self.take()
                node = Pct(node)
            elif self.is_op("'"):
                if not isinstance(node, Var):
                    raise ParseError("a prime on something other than a name")
                self.take()
                node = Var(node.name + "'")  # f'(x) = ... names a derivative
            else:
                return node

    def atom(self) -> Node:
        token = self.take()
        kind, value = token
        if kind == "num":
            node = number(value)
            if "." in value and self.peek() in (("cmd", "overline"), ("cmd", "bar")):
                self.take()
                if self.is_op("{"):
                    repeat = self.group()
                elif self.kind() == "num":
                    repeat = number(self.take()[1])
                else:
                    raise ParseError("bad repeating decimal")
                return repeating(value, repeat)
            if self.peek() == ("cmd", "frac") and "." not in value and self._numeric_fraction_follows():
                # a mixed number: 2\frac{1}{2} is 5/2; with an improper fraction (2\frac{3}{2}: 7/2 or 3?) it is
                # no mixed number and no product either: refused as ambiguous
                self.take()
                numerator, denominator = self.argument(), self.argument()
                if not (isinstance(numerator, Num) and isinstance(denominator, Num)
                        and 0 < numerator.value < denominator.value):
                    raise ParseError("a whole number before an improper fraction is ambiguous")
                return Add((node, Div(numerator, denominator)))
            return node
        if kind == "var":
            return self.subscripted(Var(value))
        if kind == "text":
            return Text(value)
        if kind == "word":
            raise ParseError(f"unexpected {value!r}")
        if kind == "cmd":
            return self.command(value)
        if value == "(" or value == "[":
            return self.bracketed(value)
        if value == "{":
            self.pos -= 1
            return self.group()
        if value == "\\{":
            if self.is_op("\\}"):
                self.take()
                return Set(())
            reals = [("cmd", "in"), ("cmd", "mathbb"), ("op", "{"), ("var", "R"), ("op", "}")]
            over_reals = self.kind() == "var" and [self.peek(k) for k in range(1, 6)] == reals
            builder = self.kind() == "var" and self.peek(1) in (("op", "|"), ("op", ":"))
            if over_reals and self.peek(6) in (("op", "|"), ("op", ":")):
                builder = True  # {x \in \mathbb{R} : x > 2} is {x : x > 2} (over the integers it would not be)
                self.pos += 5
            if builder:
                self.pos += 2  # set-builder notation {x | x > 2}: the condition is the answer
                condition = self.sequence()
                self.expect("\\}")
                return condition
            items = self.sequence()
            self.expect("\\}")
            return Set(items.items if isinstance(items, List) else (items,))
        if value == "\\|":  # a norm: \\|v\\| = 5 names a length
            inner = self.expression()
            self.expect("\\|")
            return Abs(inner)
        if value == "|":
            self.bars += 1
            inner = self.expression()
            self.expect("|")
            self.bars -= 1
            return Abs(inner)
        if value.startswith("begin:"):
            return self.environment(value[6:])
        raise ParseError(f"unexpected {value!r}")

    def _numeric_fraction_follows(self) -> bool:
        window = self.tokens[self.pos : self.pos + 8]
        text = "".join(v for _, v in window)
        return re.match(r"frac\{\d+\}\{\d+\}|frac\d\d", text) is not None

    def bracketed(self, opening: str) -> Node:
        if self.is_op(")", "]"):
            raise ParseError("empty brackets")
        inner = self.sequence()
        closing = self.take()
        if closing[0] != "op" or closing[1] not in (")", "]"):
            raise ParseError("unclosed bracket")
        items = inner.items if isinstance(inner, List) else (inner,)
        if len(items) == 1 and isinstance(items[0], Matrix):
            return items[0]  # \left[\begin{array}{cc} ... \end{array}\right]
        scalars = not any(isinstance(item, (Interval, Tuple, Matrix, Set, List)) for item in items)
        if len(items) == 2 and scalars and (opening, closing[1]) != ("(", ")"):
            return Interval(items[0], items[1], opening == "[", closing[1] == "]")
        if len(items) == 1 and opening == "(" and closing[1] == ")":
            return inner
        if len(items) == 1 and (opening, closing[1]) == ("[", "]") and self.peek() == ("op", "=") \
                and _capital_letters(inner):
            return Text("area " + _letters(inner))  # [ABC] = 12
        if len(items) == 1:
            raise ParseError("mismatched brackets")
        return Tuple(items, opening + closing[1])

def _has_name(node: Node) -> bool:
    """Whether a node holds a variable (a name such as AB or x, not e or i; not inside a matrix)."""
    return any(isinstance(n, Var) and n.name not in ("e", "i") for n in walk(node, matrices=False))


def _capital_letters(node: Node) -> bool:
    """``ABC`` read as a product of capital letters (the area [ABC] of a figure)."""
    if isinstance(node, Text):
        return node.text.isascii() and node.text.isalpha() and node.text.isupper()
    letters = node.factors if isinstance(node, Mul) else (node,)
    return len(letters) >= 2 and all(isinstance(v, Var) and len(v.name) == 1 and v.name.isupper() for v in letters)


_MATRIX_OPENINGS = {"begin:pmatrix", "begin:bmatrix", "begin:matrix", "begin:Bmatrix"}


def _scaled(scalars: list[Node], matrix: Matrix) -> Matrix:
    """A scalar times a matrix, the scalar taken into every entry: \\frac{1}{5}\\begin{pmatrix} 2 & 1
    \\end{pmatrix} is the matrix of 2/5 and 1/5 (a product of matrices, or a matrix times a scalar after
    it, is no answer)."""
    if any(any(isinstance(part, (Matrix, Tuple, Set, List, Interval, Union, Rel, Eq, Text)) for part in walk(f))
           for f in scalars):
        raise ParseError("only a scalar may multiply a matrix")
    scalar = scalars[0] if len(scalars) == 1 else Mul(tuple(scalars))
    return Matrix(tuple(tuple(Mul((scalar, entry)) for entry in row) for row in matrix.rows))


def _letters(node: Node) -> str:
    """The letters of a node that ``_capital_letters`` accepts."""
    if isinstance(node, Text):
        return node.text
    return "".join(v.name for v in (node.factors if isinstance(node, Mul) else (node,)) if isinstance(v, Var))


def _check_depth(root: Node) -> None:
    """Refuse an AST deeper than MAX_DEPTH (``5!!!!...``, ``3\\%\\%...``), without recursion, so
    every recursive walk downstream (exact values, sympy, comparison) stays shallow (a matrix cell
    counts two levels below its matrix)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth + (1 if isinstance(node, (List, Rel)) else 0) > MAX_DEPTH:  # (separators count as a level)
            raise TooLarge("expression nested too deep")
        step = 2 if isinstance(node, Matrix) else 1
        stack.extend((child, depth + step) for child in children(node))


_BRACKET = re.compile(r"[{}()\[\]]")


def _check_nesting(text: str) -> None:
    """Refuse brackets nested deeper than MAX_DEPTH in one linear scan, before anything recurses or
    rescans a nested argument (``\\text{\\text{...}}`` 600 deep once cost a second, then a RecursionError).

    >>> _check_nesting("{" * 61 + "}" * 61)
    Traceback (most recent call last):
    ...
    assay.verifiers.math.lexer.TooLarge: brackets nested too deep
    """
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group(0) in "{([":
            depth += 1
            if depth > MAX_DEPTH:
                raise TooLarge("brackets nested too deep")
        else:
            depth = max(0, depth - 1)


def parse(text: str) -> Node:
    """The AST of an answer in LaTeX or plain text (a trailing unit gives ``Unit(value, name)``);
    ParseError when the grammar does not read it, TooLarge past a limit.

    >>> parse(r"\\frac{3}{6}")
    Div(num=Num(value=Fraction(3, 1), places=-1), den=Num(value=Fraction(6, 1), places=-1))
    >>> [type(parse(text)).__name__ for text in ("x = 2", "[1, 2)", "1, 2")]
    ['Eq', 'Interval', 'List']
    >>> parse(r"5\\text{ cm}")
    Unit(value=Num(value=Fraction(5, 1), places=-1), unit='cm')
    """
    if len(text) > MAX_TEXT:
        raise TooLarge(f"answer of {len(text)} characters")
    text = normalise(text)
    if not text:
        raise ParseError("empty answer")
    _check_nesting(text)
    tokens = attach_units(tokenize(text))
    if len(tokens) > 1 and tokens[0] == ("op", "="):
        tokens = tokens[1:]  # "\text{answer} = 5" with the answer word dropped: the value after "="
    unit = None
    if tokens and tokens[-1][0] == "op" and tokens[-1][1].startswith("unit:"):
        unit = tokens.pop()[1][5:]
    if not tokens:
        return Text(text)
    node = _Parser(tokens).answer()
    _check_depth(node)
    if unit is None:
        return node
    if unit in ("degree", "degree s"):
        return Deg(node)
    return Unit(node, unit)
