"""The TeX layer of the answer grammar: the token cursor, macro arguments, ``\\frac``, ``\\sqrt``,
functions, ``\\begin{...}`` environments (matrices, cases) and numbers as written.

``assay.verifiers.math.parse`` builds the operator grammar (lists, relations, sums, products,
powers, brackets) on this class; the two call each other through the methods named here.
"""

from __future__ import annotations

from fractions import Fraction

from assay.verifiers.math.lexer import (
    FUNCTIONS,
    GREEK,
    MAX_DEPTH,
    MAX_EXPONENT,
    ParseError,
    TooLarge,
)
from assay.verifiers.math.nodes import (
    INF,
    MINUS_ONE,
    NEG_INF,
    Binom,
    Const,
    Div,
    Func,
    Interval,
    List,
    Matrix,
    Mul,
    Node,
    Num,
    Pow,
    Root,
    Set,
    Tuple,
    Var,
    integer,
)


class TexReader:
    """A cursor over the lexer's tokens that reads TeX macros and environments."""

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


    # the operator grammar, defined by the parser (assay.verifiers.math.parse)
    def sequence(self) -> Node:
        raise NotImplementedError

    def expression(self) -> Node:
        raise NotImplementedError

    def relation(self) -> Node:
        raise NotImplementedError

    def power(self) -> Node:
        raise NotImplementedError

    def exponent(self) -> Node:
        raise NotImplementedError

    def atom(self) -> Node:
        raise NotImplementedError

    # TeX macros and environments
    def group(self) -> Node:
        """A ``{...}`` argument holding one expression (or a sequence, for exponents of sets)."""
        self.expect("{")
        if self.is_op("}"):
            raise ParseError("empty group")
        node = self.sequence()
        if self.peek() == ("cmd", "choose"):
            self.take()  # {5 \\choose 2}
            node = Binom(node, self.sequence())
        elif self.peek() == ("cmd", "over"):
            self.take()  # TeX's {1 \\over 2}
            node = Div(node, self.sequence())
        self.expect("}")
        return node

    def argument(self) -> Node:
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
                return number(digits[0])
            return number(digits)
        if token[0] == "var":
            return Var(token[1])
        if token[0] == "cmd" and token[1] in GREEK | {"pi", "infty"}:
            self.pos -= 1
            return self.atom()
        raise ParseError(f"bad argument {token[1]!r}")

    def subscripted(self, node: Var) -> Var:
        if not self.is_op("_"):
            return node
        self.take()
        if self.is_op("{"):
            start = self.pos
            self.group()
            label = "".join(v for _, v in self.tokens[start + 1 : self.pos - 1])
        else:
            label = self.take()[1]
        return Var(f"{node.name}_{label}")

    def command(self, name: str) -> Node:
        if name == "frac":
            numerator = self.argument()
            return Div(numerator, self.argument())
        if name == "binom":
            top = self.argument()
            return Binom(top, self.argument())
        if name == "sqrt":
            index: Node = integer(2)
            if self.is_op("["):
                self.take()
                index = self.expression()
                self.expect("]")
            return Root(self.argument(), index)
        if name == "pi":
            return Const("pi")
        if name in ("infty", "infin"):
            return INF
        if name in GREEK:
            return self.subscripted(Var(name.replace("var", "")))
        if name == "mathbb":
            letter = self.argument()
            if letter == Var("R"):
                return Interval(NEG_INF, INF, False, False)
            raise ParseError("unsupported \\mathbb set")
        if name == "reals":
            return Interval(NEG_INF, INF, False, False)
        if name in ("emptyset", "varnothing"):
            return Set(())
        if name in FUNCTIONS:
            return self.function(name)
        if name in ("overline", "bar"):  # a complex conjugate (a repeating decimal is read in atom)
            return Func("conj", (self.argument(),))
        if name in ("lfloor", "lceil"):
            inner = self.expression()
            self.expect_command("rfloor" if name == "lfloor" else "rceil")
            return Func("floor" if name == "lfloor" else "ceil", (inner,))
        if name in ("langle",):
            inner = self.sequence()
            self.expect_command("rangle")
            return Tuple(inner.items if isinstance(inner, List) else (inner,), "<>")
        if name in ("boxed", "fbox"):
            return self.group()
        raise ParseError(f"unsupported command \\{name}")

    def expect_command(self, name: str) -> None:
        if self.take() != ("cmd", name):
            raise ParseError(f"expected \\{name}")

    def function(self, name: str) -> Node:
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
            argument = factors[0] if len(factors) == 1 else Mul(tuple(factors))
        node: Node = Func("ln" if name == "lg" else name, (argument,) if base is None else (argument, base))
        if name == "lg":
            node = Func("log", (argument, integer(10)))
        if power is not None:
            if power == MINUS_ONE:
                if name not in ("sin", "cos", "tan"):
                    raise ParseError("ambiguous inverse function power")
                return Func("arc" + name, (argument,))  # \sin^{-1} x is arcsin x
            node = Pow(node, power)
        return node

    def system(self, name: str) -> Node:
        """``\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}``: one row per statement, ``&`` ignored."""
        end = ("op", f"end:{name}")
        closing = next((k for k in range(self.pos, len(self.tokens)) if self.tokens[k] == end), None)
        if closing is None:
            raise ParseError(f"unclosed {name}")
        body = [t for t in self.tokens[self.pos : closing] if t != ("op", "&")]
        self.tokens[self.pos : closing] = body
        rows: list[Node] = []
        while not self.is_op(end[1]):
            rows.append(self.relation())
            if self.is_op("\\\\"):
                self.take()
            elif not self.is_op(end[1]):
                raise ParseError("bad row")
        self.take()
        if not rows:
            raise ParseError(f"empty {name}")
        return rows[0] if len(rows) == 1 else List(tuple(rows), (",",))

    def environment(self, name: str) -> Node:
        if name in ("cases", "aligned", "align", "gathered", "gather", "split", "alignedat"):
            return self.system(name)
        if name not in ("pmatrix", "bmatrix", "matrix", "vmatrix", "Bmatrix", "array", "smallmatrix"):
            raise ParseError(f"unsupported environment {name}")
        matrix_rows: list[tuple[Node, ...]] = []
        row: list[Node] = []
        while True:
            if self.is_op(f"end:{name}"):
                self.take()
                break
            row.append(self.expression())
            if self.is_op("&"):
                self.take()
            elif self.is_op("\\\\"):
                self.take()
                matrix_rows.append(tuple(row))
                row = []
            elif not self.is_op(f"end:{name}"):
                raise ParseError("bad matrix entry")
        if row:
            matrix_rows.append(tuple(row))
        if not matrix_rows or len({len(r) for r in matrix_rows}) != 1:
            raise ParseError("ragged matrix")
        matrix = Matrix(tuple(matrix_rows))
        return Func("det", (matrix,)) if name == "vmatrix" else matrix


def number(text: str) -> Num:
    if "e" in text:  # scientific notation from the lexer: 1.5e-3
        mantissa, _, power = text.partition("e")
        exponent = int(power)
        if abs(exponent) > MAX_EXPONENT:
            raise TooLarge("exponent of a number in scientific notation")
        return Num(number(mantissa).value * Fraction(10) ** exponent, -1)
    if "." in text:
        whole, _, fraction = text.partition(".")
        return Num(Fraction(int((whole or "0") + fraction), 10 ** len(fraction)), len(fraction))
    return Num(Fraction(int(text)), -1)


def repeating(prefix: str, repeat: Node) -> Num:
    """0.1\\overline{6} = 1/6: the digits under the bar repeat forever."""
    if not isinstance(repeat, Num) or repeat.places != -1:
        raise ParseError("bad repeating decimal")
    digits = str(repeat.value.numerator)
    whole, _, fixed = prefix.partition(".")
    base = Fraction(int((whole or "0") + fixed), 10 ** len(fixed))
    cycle = Fraction(int(digits), (10 ** len(digits) - 1) * 10 ** len(fixed))
    return Num(base + cycle, -1)
