"""A bounded LaTeX/plain-text math grammar: answer text in, a small immutable AST of tuples out.

Untrusted text never reaches sympy: this parser refuses inputs past its size and nesting limits,
and the AST it builds is what ``assay.verifiers.math.cas`` turns into sympy objects in a worker.

AST nodes are tuples ``(kind, ...)``: ``("num", Fraction, places)`` (``places``: decimal places
written, -1 when exact), ``("var", name)``, ``("const", "pi" | "e" | "i" | "inf")``,
``("add", terms)``, ``("mul", factors)``, ``("neg", a)``, ``("div", a, b)``, ``("pow", a, b)``,
``("fact", a)``, ``("func", name, args)``, ``("root", a, n)``, ``("abs", a)``, ``("binom", n, k)``,
``("pct", a)``, ``("deg", a)``, ``("unit", a, unit)``, ``("text", str)``, ``("pm", a, b)``,
``("tuple", items, delims)``, ``("set", items)``, ``("list", items, joins)`` (joins: the
separators used: "," "or" "and"), ``("interval", lo, hi, lo_closed, hi_closed)``,
``("union", parts)``, ``("setminus", a, b)``, ``("matrix", rows)``, ``("eq", sides)``,
``("rel", operands, ops)``.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assay.verifiers.math.lexer import (
    FUNCTIONS,
    GREEK,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_ITEMS,
    MAX_TEXT,
    RELATIONS,
    ParseError,
    TooLarge,
    attach_units,
    normalise,
    tokenize,
)

__all__ = ["ParseError", "TooLarge", "normalise", "parse", "tokenize"]

# -- parser -------------------------------------------------------------------------------------
_SEPARATORS = {",", ";"}
_CLOSERS = {")", "]", "}", "\\}", "\\\\", "&", "|"}


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.bars = 0  # absolute-value bars now open

    # helpers
    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def kind(self, offset: int = 0) -> str | None:
        """The kind of the token at ``offset`` from the position ("num", "op", "var", ...), None past the end."""
        token = self.peek(offset)
        return None if token is None else token[0]

    def is_op(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in values

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ParseError("unexpected end of answer")
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token != ("op", value):
            raise ParseError(f"expected {value!r}, found {token[1]!r}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooLarge("nesting too deep")

    # grammar
    def answer(self) -> tuple:
        node = self.sequence()
        if self.peek() == ("cmd", "over"):
            self.take()  # \\boxed{1 \\over 2}: the box is the group
            node = ("div", node, self.sequence())
        token = self.peek()
        if token is not None:
            raise ParseError(f"unexpected {token[1]!r}")
        return node

    def sequence(self) -> tuple:
        """Items separated by commas, semicolons, 'or', 'and': a ("list", items) when several."""
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
        return items[0] if len(items) == 1 else ("list", tuple(items), tuple(sorted(joins)))

    def union(self) -> tuple:
        parts = [self.relation()]
        while self.peek() == ("cmd", "cup") or self.peek() == ("var", "U") and parts[-1][0] in ("interval", "tuple"):
            self.take()
            parts.append(self.relation())
        if len(parts) > 1 and parts[0][0] == "eq":
            # D = (-\\infty, -7) \\cup (-7, 2]: the name is for the whole union
            sides = parts[0][1]
            node: tuple = ("eq", (*sides[:-1], ("union", (sides[-1], *parts[1:]))))
        else:
            node = parts[0] if len(parts) == 1 else ("union", tuple(parts))
        if self.peek() == ("cmd", "setminus"):
            self.take()  # \mathbb{R} \setminus \{-3\}
            node = ("setminus", node, self.relation())
        return node

    def relation(self) -> tuple:
        operands = [self.expression()]
        ops: list[str] = []
        if self.peek() == ("cmd", "in") and operands[0][0] == "var":
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
            return ("eq", tuple(operands))
        return ("rel", tuple(operands), tuple(ops))

    def expression(self) -> tuple:
        self.enter()
        terms: list[tuple] = []
        if self.is_op("+", "-") or self.peek() in (("cmd", "pm"), ("cmd", "mp")):
            sign = self.take()[1]
            first = self.term()
            terms.append(("neg", first) if sign == "-" else ("pm", ("num", Fraction(0), -1), first) if sign in ("pm", "mp") else first)
        else:
            terms.append(self.term())
        while True:
            if self.is_op("+"):
                self.take()
                terms.append(self.term())
            elif self.is_op("-"):
                self.take()
                terms.append(("neg", self.term()))
            elif self.peek() in (("cmd", "pm"), ("cmd", "mp")):
                self.take()
                right = self.term()
                left = terms[0] if len(terms) == 1 else ("add", tuple(terms))
                terms = [("pm", left, right)]
            else:
                break
        self.depth -= 1
        return terms[0] if len(terms) == 1 else ("add", tuple(terms))

    def term(self) -> tuple:
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
                left = factors[0] if len(factors) == 1 else ("mul", tuple(factors))
                factors = [("div", left, denominator)]
            elif token in (("op", "/"), ("cmd", "div")):
                self.take()
                denominator = self.unary()
                left = factors[0] if len(factors) == 1 else ("mul", tuple(factors))
                factors = [("div", left, denominator)]
            elif self.starts_implicit_factor(token):
                factors.append(self.power())
            else:
                break
        return factors[0] if len(factors) == 1 else ("mul", tuple(factors))

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

    def unary(self) -> tuple:
        signs = 0
        while self.is_op("-", "+"):
            if self.take()[1] == "-":
                signs += 1
            if signs > MAX_DEPTH:
                raise TooLarge("too many signs")
        node = self.power()
        for _ in range(signs):
            node = ("neg", node)
        return node

    def power(self) -> tuple:
        self.enter()
        base = self.postfix(self.atom())
        if self.is_op("^"):
            self.take()
            if self.is_op("deg"):
                self.take()
                base = ("deg", base)
            else:
                exponent = self.exponent()
                base = self.postfix(("pow", base, exponent))
        self.depth -= 1
        return base

    def exponent(self) -> tuple:
        if self.is_op("{"):
            return self.group()
        if self.is_op("-"):
            self.take()
            if self.is_op("-"):
                raise ParseError("a double sign in an exponent")
            return ("neg", self.exponent())
        token = self.take()
        if token[0] == "num":
            return _number(token[1])
        if token[0] == "var":
            return ("var", token[1])
        if token[0] == "cmd":
            self.pos -= 1
            return self.atom()
        if token == ("op", "("):
            self.pos -= 1
            return self.atom()
        raise ParseError(f"bad exponent {token[1]!r}")

    def postfix(self, node: tuple) -> tuple:
        while True:
            if self.is_op("!"):
                self.take()
                node = ("fact", node)
            elif self.is_op("deg"):
                self.take()
                node = ("deg", node)
            elif self.is_op("pct"):
                self.take()
                node = ("pct", node)
            elif self.is_op("'"):
                if node[0] != "var":
                    raise ParseError("a prime on something other than a name")
                self.take()
                node = ("var", node[1] + "'")  # f'(x) = ... names a derivative
            else:
                return node

    def group(self) -> tuple:
        """A ``{...}`` argument holding one expression (or a sequence, for exponents of sets)."""
        self.expect("{")
        if self.is_op("}"):
            raise ParseError("empty group")
        node = self.sequence()
        if self.peek() == ("cmd", "choose"):
            self.take()  # {5 \\choose 2}
            node = ("binom", node, self.sequence())
        elif self.peek() == ("cmd", "over"):
            self.take()  # TeX's {1 \\over 2}
            node = ("div", node, self.sequence())
        self.expect("}")
        return node

    def argument(self) -> tuple:
        """A TeX macro argument: a braced group or a single token (``\\frac12``)."""
        if self.is_op("{"):
            return self.group()
        if self.is_op("("):  # plain text: sqrt(2)
            self.take()
            inner = self.expression()
            self.expect(")")
            return inner
        token = self.take()
        if token[0] == "num":
            digits = token[1]
            if len(digits) > 1 and digits.isdigit():
                self.pos -= 1
                self.tokens[self.pos : self.pos + 1] = [("num", digits[0]), ("num", digits[1:])]
                self.pos += 1
                return _number(digits[0])
            return _number(digits)
        if token[0] == "var":
            return ("var", token[1])
        if token[0] == "cmd" and token[1] in GREEK | {"pi", "infty"}:
            self.pos -= 1
            return self.atom()
        raise ParseError(f"bad argument {token[1]!r}")

    def atom(self) -> tuple:
        token = self.take()
        kind, value = token
        if kind == "num":
            node = _number(value)
            if "." in value and self.peek() in (("cmd", "overline"), ("cmd", "bar")):
                self.take()
                if self.is_op("{"):
                    repeat = self.group()
                elif self.kind() == "num":
                    repeat = _number(self.take()[1])
                else:
                    raise ParseError("bad repeating decimal")
                return _repeating(value, repeat)
            if self.peek() == ("cmd", "frac") and "." not in value and self._numeric_fraction_follows():
                # a mixed number: 2\frac{1}{2} is 5/2
                self.take()
                numerator, denominator = self.argument(), self.argument()
                return ("add", (node, ("div", numerator, denominator)))
            return node
        if kind == "var":
            return self.subscripted(("var", value))
        if kind == "text":
            return ("text", value)
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
                return ("set", ())
            if self.kind() == "var" and self.peek(1) in (("op", "|"), ("op", ":")):
                self.pos += 2  # set-builder notation {x | x > 2}: the condition is the answer
                condition = self.sequence()
                self.expect("\\}")
                return condition
            items = self.sequence()
            self.expect("\\}")
            return ("set", items[1] if items[0] == "list" else (items,))
        if value == "\\|":  # a norm: \\|v\\| = 5 names a length
            inner = self.expression()
            self.expect("\\|")
            return ("abs", inner)
        if value == "|":
            self.bars += 1
            inner = self.expression()
            self.expect("|")
            self.bars -= 1
            return ("abs", inner)
        if value.startswith("begin:"):
            return self.environment(value[6:])
        raise ParseError(f"unexpected {value!r}")

    def _numeric_fraction_follows(self) -> bool:
        window = self.tokens[self.pos : self.pos + 8]
        text = "".join(v for _, v in window)
        return re.match(r"frac\{\d+\}\{\d+\}|frac\d\d", text) is not None

    def subscripted(self, node: tuple) -> tuple:
        if not self.is_op("_"):
            return node
        self.take()
        if self.is_op("{"):
            start = self.pos
            self.group()
            label = "".join(v for _, v in self.tokens[start + 1 : self.pos - 1])
        else:
            label = self.take()[1]
        return ("var", f"{node[1]}_{label}")

    def bracketed(self, opening: str) -> tuple:
        if self.is_op(")", "]"):
            raise ParseError("empty brackets")
        inner = self.sequence()
        closing = self.take()
        if closing[0] != "op" or closing[1] not in (")", "]"):
            raise ParseError("unclosed bracket")
        items: tuple = inner[1] if inner[0] == "list" else (inner,)
        if len(items) == 1 and items[0][0] == "matrix":
            return items[0]  # \left[\begin{array}{cc} ... \end{array}\right]
        scalars = all(item[0] not in ("interval", "tuple", "matrix", "set", "list") for item in items)
        if len(items) == 2 and scalars and (opening, closing[1]) != ("(", ")"):
            return ("interval", items[0], items[1], opening == "[", closing[1] == "]")
        if len(items) == 1 and opening == "(" and closing[1] == ")":
            return inner
        if len(items) == 1 and (opening, closing[1]) == ("[", "]") and self.peek() == ("op", "=") \
                and _capital_letters(inner):
            return ("text", "area " + "".join(v[1] for v in (inner[1] if inner[0] == "mul" else (inner,))))  # [ABC] = 12
        if len(items) == 1:
            raise ParseError("mismatched brackets")
        return ("tuple", items, opening + closing[1])

    def command(self, name: str) -> tuple:
        if name == "frac":
            numerator = self.argument()
            return ("div", numerator, self.argument())
        if name == "binom":
            top = self.argument()
            return ("binom", top, self.argument())
        if name == "sqrt":
            index: tuple = ("num", Fraction(2), -1)
            if self.is_op("["):
                self.take()
                index = self.expression()
                self.expect("]")
            return ("root", self.argument(), index)
        if name == "pi":
            return ("const", "pi")
        if name in ("infty", "infin"):
            return ("const", "inf")
        if name in GREEK:
            return self.subscripted(("var", name.replace("var", "")))
        if name == "mathbb":
            letter = self.argument()
            if letter == ("var", "R"):
                return ("interval", ("neg", ("const", "inf")), ("const", "inf"), False, False)
            raise ParseError("unsupported \\mathbb set")
        if name == "reals":
            return ("interval", ("neg", ("const", "inf")), ("const", "inf"), False, False)
        if name in ("emptyset", "varnothing"):
            return ("set", ())
        if name in FUNCTIONS:
            return self.function(name)
        if name in ("overline", "bar"):  # a complex conjugate (a repeating decimal is read in atom)
            return ("func", "conj", (self.argument(),))
        if name in ("lfloor", "lceil"):
            inner = self.expression()
            self.expect_command("rfloor" if name == "lfloor" else "rceil")
            return ("func", "floor" if name == "lfloor" else "ceil", (inner,))
        if name in ("langle",):
            inner = self.sequence()
            self.expect_command("rangle")
            return ("tuple", inner[1] if inner[0] == "list" else (inner,), "<>")
        if name in ("boxed", "fbox"):
            return self.group()
        raise ParseError(f"unsupported command \\{name}")

    def expect_command(self, name: str) -> None:
        if self.take() != ("cmd", name):
            raise ParseError(f"expected \\{name}")

    def function(self, name: str) -> tuple:
        power = None
        base = None
        if name == "log" and self.is_op("_"):
            self.take()
            base = self.argument()
        if self.is_op("^"):
            self.take()
            power = self.exponent()
        if self.is_op("("):
            self.take()
            argument = self.expression()
            self.expect(")")
        elif self.is_op("{"):
            argument = self.group()
        else:
            # \sin 2x: the argument runs over implicit factors, up to the next operator
            factors = [self.power()]
            while self.kind() == "var":
                factors.append(self.power())
            argument = factors[0] if len(factors) == 1 else ("mul", tuple(factors))
        node: tuple = ("func", "ln" if name == "lg" else name, (argument,) if base is None else (argument, base))
        if name == "lg":
            node = ("func", "log", (argument, ("num", Fraction(10), -1)))
        if power is not None:
            if power == ("neg", ("num", Fraction(1), -1)):
                if name not in ("sin", "cos", "tan"):
                    raise ParseError("ambiguous inverse function power")
                return ("func", "arc" + name, (argument,))  # \sin^{-1} x is arcsin x
            node = ("pow", node, power)
        return node

    def system(self, name: str) -> tuple:
        """``\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}``: one row per statement, ``&`` ignored."""
        end = ("op", f"end:{name}")
        closing = next((k for k in range(self.pos, len(self.tokens)) if self.tokens[k] == end), None)
        if closing is None:
            raise ParseError(f"unclosed {name}")
        body = [t for t in self.tokens[self.pos : closing] if t != ("op", "&")]
        self.tokens[self.pos : closing] = body
        rows: list[tuple] = []
        while not self.is_op(end[1]):
            rows.append(self.relation())
            if self.is_op("\\\\"):
                self.take()
            elif not self.is_op(end[1]):
                raise ParseError("bad row")
        self.take()
        if not rows:
            raise ParseError(f"empty {name}")
        return rows[0] if len(rows) == 1 else ("list", tuple(rows), (",",))

    def environment(self, name: str) -> tuple:
        if name in ("cases", "aligned", "align", "gathered", "gather", "split", "alignedat"):
            return self.system(name)
        if name not in ("pmatrix", "bmatrix", "matrix", "vmatrix", "Bmatrix", "array", "smallmatrix"):
            raise ParseError(f"unsupported environment {name}")
        rows: list[tuple] = []
        row: list[tuple] = []
        while True:
            if self.is_op(f"end:{name}"):
                self.take()
                break
            row.append(self.expression())
            if self.is_op("&"):
                self.take()
            elif self.is_op("\\\\"):
                self.take()
                rows.append(tuple(row))
                row = []
            elif not self.is_op(f"end:{name}"):
                raise ParseError("bad matrix entry")
        if row:
            rows.append(tuple(row))
        if not rows or len({len(r) for r in rows}) != 1:
            raise ParseError("ragged matrix")
        matrix = ("matrix", tuple(rows))
        return ("func", "det", (matrix,)) if name == "vmatrix" else matrix


def _has_name(node: tuple) -> bool:
    """Whether a node holds a variable (a name such as AB or x, not e or i)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current[0] == "var" and current[1] not in ("e", "i"):
            return True
        stack.extend(child for child in current[1:] if isinstance(child, tuple) and child and isinstance(child[0], str))
        for child in current[1:]:
            if isinstance(child, tuple) and child and isinstance(child[0], tuple):
                stack.extend(item for item in child if isinstance(item, tuple) and item and isinstance(item[0], str))
    return False


def _capital_letters(node: tuple) -> bool:
    """``ABC`` read as a product of capital letters (the area [ABC] of a figure)."""
    if node[0] == "text":
        return node[1].isascii() and node[1].isalpha() and node[1].isupper()
    letters = node[1] if node[0] == "mul" else (node,)
    return len(letters) >= 2 and all(v[0] == "var" and len(v[1]) == 1 and v[1].isupper() for v in letters)


def _number(text: str) -> tuple:
    if "e" in text:  # scientific notation from the lexer: 1.5e-3
        mantissa, _, power = text.partition("e")
        exponent = int(power)
        if abs(exponent) > MAX_EXPONENT:
            raise TooLarge("exponent of a number in scientific notation")
        return ("num", _number(mantissa)[1] * Fraction(10) ** exponent, -1)
    if "." in text:
        whole, _, fraction = text.partition(".")
        return ("num", Fraction(int((whole or "0") + fraction), 10 ** len(fraction)), len(fraction))
    return ("num", Fraction(int(text)), -1)


def _repeating(prefix: str, repeat: tuple) -> tuple:
    """0.1\\overline{6} = 1/6: the digits under the bar repeat forever."""
    if repeat[0] != "num" or repeat[2] != -1:
        raise ParseError("bad repeating decimal")
    digits = str(repeat[1].numerator)
    whole, _, fixed = prefix.partition(".")
    base = Fraction(int((whole or "0") + fixed), 10 ** len(fixed))
    cycle = Fraction(int(digits), (10 ** len(digits) - 1) * 10 ** len(fixed))
    return ("num", base + cycle, -1)


def _check_depth(root: tuple) -> None:
    """Refuse an AST deeper than MAX_DEPTH (``5!!!!...``, ``3\\%\\%...``), without recursion, so
    every recursive walk downstream (exact values, sympy, comparison) stays shallow."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TooLarge("expression nested too deep")
        for child in node[1:]:
            if isinstance(child, tuple) and child and isinstance(child[0], str):
                stack.append((child, depth + 1))
            elif isinstance(child, tuple):  # a tuple of nodes (terms, items, rows)
                for item in child:
                    if isinstance(item, tuple) and item and isinstance(item[0], str):
                        stack.append((item, depth + 1))
                    elif isinstance(item, tuple):  # matrix rows
                        stack.extend((cell, depth + 2) for cell in item if isinstance(cell, tuple))


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


def parse(text: str) -> tuple:
    """The AST of an answer in LaTeX or plain text (a trailing unit gives ``("unit", value, name)``);
    ParseError when the grammar does not read it, TooLarge past a limit.

    >>> parse(r"\\frac{3}{6}")
    ('div', ('num', Fraction(3, 1), -1), ('num', Fraction(6, 1), -1))
    >>> parse("x = 2")[0], parse("[1, 2)")[0], parse("1, 2")[0]
    ('eq', 'interval', 'list')
    >>> parse(r"5\\text{ cm}")
    ('unit', ('num', Fraction(5, 1), -1), 'cm')
    """
    if len(text) > MAX_TEXT:
        raise TooLarge(f"answer of {len(text)} characters")
    text = normalise(text)
    if not text:
        raise ParseError("empty answer")
    _check_nesting(text)
    tokens = attach_units(tokenize(text))
    unit = None
    if tokens and tokens[-1][0] == "op" and tokens[-1][1].startswith("unit:"):
        unit = tokens.pop()[1][5:]
    if not tokens:
        return ("text", text)
    node = _Parser(tokens).answer()
    _check_depth(node)
    if unit is None:
        return node
    if unit in ("degree", "degree s"):
        return ("deg", node)
    return ("unit", node, unit)
