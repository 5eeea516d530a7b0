"""A bounded LaTeX/plain-text math grammar: answer text in, a small immutable AST of tuples out.

Untrusted text never reaches sympy: this parser refuses inputs past its size and nesting limits,
and the AST it builds is what ``assay.verifiers.math_cas`` turns into sympy objects in a worker.

AST nodes are tuples ``(kind, ...)``:
``("num", Fraction, places)`` (``places`` = decimal places written, -1 when exact),
``("var", name)``, ``("const", "pi" | "e" | "i" | "inf")``, ``("add", terms)``, ``("mul", factors)``,
``("neg", a)``, ``("div", a, b)``, ``("pow", a, b)``, ``("fact", a)``, ``("func", name, args)``,
``("root", a, n)``, ``("abs", a)``, ``("binom", n, k)``, ``("pct", a)``, ``("deg", a)``,
``("unit", a, unit)``, ``("text", str)``, ``("pm", a, b)``, ``("tuple", items, delims)``,
``("set", items)``, ``("list", items, joins)`` (joins: the separators used, "," "or" "and"), ``("interval", lo, hi, lo_closed, hi_closed)``,
``("union", parts)``, ``("matrix", rows)``, ``("eq", sides)``, ``("rel", operands, ops)``.
"""

from __future__ import annotations

import re
from fractions import Fraction

MAX_TEXT = 3000  # longer answers are refused before tokenising
MAX_TOKENS = 1200
MAX_DEPTH = 60  # nesting of groups and operators
MAX_DIGITS = 2000  # a longer digit string is refused
MAX_ITEMS = 64  # of a list, set or tuple

FUNCTIONS = {
    "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "log", "ln", "exp", "lg",
}
GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi",
    "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
}
TEXT_COMMANDS = {"text", "textbf", "textit", "textrm", "mathrm", "mathbf", "mathit", "mbox", "textnormal", "mathsf", "texttt"}
IGNORED_COMMANDS = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
    "displaystyle", "textstyle", "limits", "nolimits", "quad", "qquad", "hfill", "middle",
}
RELATIONS = {
    "=": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!=",
    "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=", "geqslant": ">=",
    "lt": "<", "gt": ">", "ne": "!=", "neq": "!=",
}
# Unit words: the canonical name of each spelling (compared by name; never converted).
UNITS = {
    "cm": "cm", "centimeter": "cm", "centimetre": "cm", "mm": "mm", "millimeter": "mm", "km": "km",
    "kilometer": "km", "kilometre": "km", "m": "m", "meter": "m", "metre": "m", "in": "in",
    "inch": "in", "inche": "in", "ft": "ft", "foot": "ft", "feet": "ft", "yd": "yd", "yard": "yd",
    "mi": "mi", "mile": "mi", "s": "s", "sec": "s", "second": "s", "min": "min", "minute": "min",
    "h": "h", "hr": "h", "hour": "h", "day": "day", "week": "week", "year": "year", "g": "g",
    "gram": "g", "kg": "kg", "kilogram": "kg", "lb": "lb", "pound": "lb", "oz": "oz", "ounce": "oz",
    "l": "l", "liter": "l", "litre": "l", "ml": "ml", "milliliter": "ml", "dollar": "dollar",
    "cent": "cent", "degree": "degree", "radian": "radian", "unit": "unit", "mph": "mph",
}
_PLAIN_UNITS = {"cm", "mm", "km", "ft", "in", "yd", "mi", "kg", "lb", "oz", "ml", "hr", "mph", "sec", "min"}


class ParseError(ValueError):
    """The text is not an answer this grammar reads (or breaks a size limit)."""


class TooLarge(ParseError):
    """The text breaks a size, nesting or magnitude limit (an expression bomb)."""


# -- normalisation ------------------------------------------------------------------------------
_UNICODE = {
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00d7": "\\times ", "\u22c5": "\\cdot ", "\u00b7": "\\cdot ",
    "\u00f7": "\\div ", "\u03c0": "\\pi ", "\u221a": "\\sqrt", "\u221e": "\\infty ", "\u00b0": "^\\circ ",
    "\u2264": "\\le ", "\u2265": "\\ge ", "\u2260": "\\ne ", "\u222a": "\\cup ", "\u00b1": "\\pm ",
    "\u2009": " ", "\u00a0": " ", "\u202f": " ",
}
_RULES = [
    (re.compile(r"\\[dtc]frac(?![a-zA-Z])"), r"\\frac"),
    (re.compile(r"\\[dt]binom(?![a-zA-Z])"), r"\\binom"),
    (re.compile(r"(?<=\d)\{,\}(?=\d)"), ""),
    (re.compile(r"(?<=\d)\\[,!](?=\d{3}(?!\d))"), ""),
    (re.compile(r"\\[,;:! >]"), " "),
    (re.compile(r"\\\$"), ""),
    (re.compile(r"\$"), " "),
    (re.compile(r"\\[()]"), " "),
    (re.compile(r"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\\degree"), "\u00b0"),
    (re.compile(r"\\%|%"), "\u2030"),  # a private marker for percent, read by the tokenizer
]


def normalise(text: str) -> str:
    """Rewrite spellings that never change meaning into one form; the result is still LaTeX.

    >>> normalise(r"$\\dfrac{1}{2}$")
    '\\\\frac{1}{2}'
    >>> normalise("1{,}000")
    '1000'
    """
    for old, new in _UNICODE.items():
        text = text.replace(old, new)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    text = text.strip()
    if text.startswith("\\[") and text.endswith("\\]"):
        text = text[2:-2]
    return text.strip().rstrip(".").strip()


# -- tokens -------------------------------------------------------------------------------------
_NUMBER = re.compile(r"\d+\.(?=\\(?:overline|bar)\b)|\d+(?:\.\d+)?|\.\d+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_COMMAND = re.compile(r"\\([a-zA-Z]+)|\\(.)")
_LETTERS = re.compile(r"[a-zA-Z]+")
_OPERATORS = ("<=", ">=", "!=", "\\\\", "**")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The raw text of the ``{...}`` group opening at ``start`` and the index after it."""
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "{" and text[j - 1] != "\\":
            depth += 1
        elif text[j] == "}" and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1 : j], j + 1
    raise ParseError("unbalanced braces")


def tokenize(text: str) -> list[tuple[str, str]]:
    """Tokens ``(kind, value)`` of a normalised answer; kinds: num var cmd op word text.

    >>> tokenize(r"2x+\\frac{1}{2}")
    [('num', '2'), ('var', 'x'), ('op', '+'), ('cmd', 'frac'), ('op', '{'), ('num', '1'), ('op', '}'), ('op', '{'), ('num', '2'), ('op', '}')]
    """
    tokens: list[tuple[str, str]] = []
    depth = 0  # of ( [ \{ : thousands separators are read only outside them
    i, n = 0, len(text)
    while i < n:
        if len(tokens) > MAX_TOKENS:
            raise TooLarge("too many tokens")
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char.isdigit() or (char == "." and i + 1 < n and text[i + 1].isdigit()):
            match = _THOUSANDS.match(text, i) if depth == 0 else None
            if match is None or (match.end() < n and text[match.end()] == "."):
                match = _NUMBER.match(text, i)
            value = match.group(0).replace(",", "")
            if len(value) > MAX_DIGITS:
                raise TooLarge("number too long")
            tokens.append(("num", value))
            i = match.end()
            continue
        if char == "\\":
            match = _COMMAND.match(text, i)
            if match is None:
                raise ParseError("lone backslash")
            name = match.group(1) or match.group(2)
            i = match.end()
            if name in TEXT_COMMANDS or name == "operatorname":
                while i < n and text[i] == " ":
                    i += 1
                if i >= n or text[i] != "{":
                    raise ParseError(f"\\{name} without an argument")
                content, i = _braced(text, i)
                tokens.extend(_text_tokens(name, content))
            elif name in IGNORED_COMMANDS:
                continue
            elif name in ("{", "}", "|"):
                tokens.append(("op", "\\" + name))
            elif name == "\\":
                tokens.append(("op", "\\\\"))
            elif name in ("lbrace", "rbrace"):
                tokens.append(("op", "\\{" if name == "lbrace" else "\\}"))
            elif name in ("lbrack", "rbrack"):
                tokens.append(("op", "[" if name == "lbrack" else "]"))
            elif name in ("vert", "lvert", "rvert", "mid"):
                tokens.append(("op", "|"))
            elif name in ("begin", "end"):
                if i >= n or text[i] != "{":
                    raise ParseError("\\begin without an environment")
                content, i = _braced(text, i)
                if name == "begin" and content.strip() == "array" and i < n and text[i] == "{":
                    _, i = _braced(text, i)  # column spec
                tokens.append(("op", f"{name}:{content.strip().rstrip('*')}"))
            elif len(name) == 1 and not name.isalpha():
                raise ParseError(f"unknown command \\{name}")
            else:
                tokens.append(("cmd", name))
            continue
        if char.isalpha():
            match = _LETTERS.match(text, i)
            if match is None:  # a non-ASCII letter
                raise ParseError(f"unexpected character {char!r}")
            tokens.extend(_letter_tokens(match.group(0), text[match.end():]))
            i = match.end()
            continue
        if char == "\u00b0":
            tokens.append(("op", "deg"))
            i += 1
            continue
        if char == "\u2030":
            tokens.append(("op", "pct"))
            i += 1
            continue
        two = text[i : i + 2]
        if two in _OPERATORS:
            tokens.append(("op", "^" if two == "**" else two))
            i += 2
            continue
        if char in "+-*/^_!=<>,;|'&()[]{}:":
            if char in "([":
                depth += 1
            elif char in ")]":
                depth = max(0, depth - 1)
            tokens.append(("op", char))
            i += 1
            continue
        raise ParseError(f"unexpected character {char!r}")
    return tokens


def _text_tokens(command: str, content: str) -> list[tuple[str, str]]:
    words = content.strip().strip(",").strip()
    if not words:
        return []
    lowered = words.lower()
    if command == "operatorname":
        return [("cmd", words)] if words in FUNCTIONS else [("text", words)]
    if lowered in ("or", "and"):
        return [("word", lowered)]
    if command in ("mathrm", "mathbf", "mathit", "mathsf") and re.fullmatch(r"[a-zA-Z]", words):
        return [("var", words)]
    if re.fullmatch(r"[\d.,\s+-]+", words):
        return tokenize(normalise(words))
    return [("text", words)]


def _letter_tokens(run: str, rest: str) -> list[tuple[str, str]]:
    lowered = run.lower()
    if lowered in FUNCTIONS or lowered in ("sqrt", "pi", "infty"):
        return [("cmd", lowered)]
    if lowered in ("inf", "infinity"):
        return [("cmd", "infty")]
    if lowered in ("or", "and"):
        return [("word", lowered)]
    at_tail = re.fullmatch(r"\s*(?:\^\s*\{?\s*[23]\s*\}?)?\s*(?:[a-zA-Z]+\s*)*[.]?\s*", rest) is not None
    if len(run) >= 3 or (at_tail and lowered in _PLAIN_UNITS):
        return [("text", run)]
    return [("var", letter) for letter in run]


def unit_name(text: str) -> str:
    """The canonical name of a unit written as words (singular, lower case, known aliases).

    >>> unit_name("Centimeters"), unit_name("sq ft")
    ('cm', 'sq ft')
    """
    words = []
    for word in re.findall(r"[a-zA-Z]+|\^?\d", text.lower()):
        if word.endswith("es") and word[:-2] in UNITS:
            word = word[:-2]
        elif word.endswith("s") and len(word) > 2 and word[:-1] in UNITS:
            word = word[:-1]
        words.append(UNITS.get(word, word))
    return " ".join(words)


# -- parser -------------------------------------------------------------------------------------
_SEPARATORS = {",", ";"}
_CLOSERS = {")", "]", "}", "\\}", "\\\\", "&", "|"}


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    # helpers
    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

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
        node = self.sequence(top=True)
        if self.peek() is not None:
            raise ParseError(f"unexpected {self.peek()[1]!r}")
        return node

    def sequence(self, top: bool = False) -> tuple:
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
                if self.peek() is not None and self.peek()[0] == "word":
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
        while self.peek() == ("cmd", "cup") or self.peek() == ("var", "U") and len(parts) and parts[-1][0] == "interval":
            self.take()
            parts.append(self.relation())
        return parts[0] if len(parts) == 1 else ("union", tuple(parts))

    def relation(self) -> tuple:
        operands = [self.expression()]
        ops: list[str] = []
        while True:
            token = self.peek()
            if token is None:
                break
            relation = RELATIONS.get(token[1]) if token[0] in ("op", "cmd") else None
            if relation is None or (token[0] == "op" and token[1] not in ("=", "<", ">", "<=", ">=", "!=")):
                if token[0] == "cmd" and token[1] in ("approx", "sim", "equiv", "to", "rightarrow", "Rightarrow", "implies"):
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
            elif token in (("op", "/"), ("cmd", "div")):
                self.take()
                denominator = self.unary()
                left = factors[0] if len(factors) == 1 else ("mul", tuple(factors))
                factors = [("div", left, denominator)]
            elif self.starts_implicit_factor(token, factors[-1]):
                factors.append(self.power())
            else:
                break
        return factors[0] if len(factors) == 1 else ("mul", tuple(factors))

    def starts_implicit_factor(self, token: tuple[str, str], previous: tuple) -> bool:
        kind, value = token
        if kind == "num":
            # "2 3" is not 6; a number may follow only a closing group: "(1+2)3" is refused too
            return False
        if kind == "var":
            return True
        if kind == "cmd":
            return value in FUNCTIONS or value in GREEK or value in ("frac", "sqrt", "pi", "binom", "infty") or value == "exp"
        if kind == "op":
            return value in ("(", "{") or (value == "\\{" and False)
        return False

    def unary(self) -> tuple:
        if self.is_op("-"):
            self.take()
            return ("neg", self.unary())
        if self.is_op("+"):
            self.take()
            return self.unary()
        return self.power()

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
                raise ParseError("primes are not values")
            else:
                return node

    def group(self) -> tuple:
        """A ``{...}`` argument holding one expression (or a sequence, for exponents of sets)."""
        self.expect("{")
        if self.is_op("}"):
            raise ParseError("empty group")
        node = self.sequence()
        self.expect("}")
        return node

    def argument(self) -> tuple:
        """A TeX macro argument: a braced group or a single token (``\\frac12``)."""
        if self.is_op("{"):
            return self.group()
        token = self.take()
        if token[0] == "num":
            digits = token[1]
            if len(digits) > 1 and "." not in digits:
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
            if self.peek() == ("cmd", "overline") or self.peek() == ("cmd", "bar"):
                self.take()
                repeat = self.group() if self.is_op("{") else _number(self.take()[1])
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
            items = self.sequence()
            self.expect("\\}")
            return ("set", items[1] if items[0] == "list" else (items,))
        if value == "|":
            inner = self.expression()
            self.expect("|")
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
        items = inner[1] if inner[0] == "list" else (inner,)
        if len(items) == 2 and (opening, closing[1]) != ("(", ")"):
            return ("interval", items[0], items[1], opening == "[", closing[1] == "]")
        if len(items) == 1 and opening == "(" and closing[1] == ")":
            return inner
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
        if name in ("emptyset", "varnothing"):
            return ("set", ())
        if name in FUNCTIONS:
            return self.function(name)
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
            while self.peek() is not None and self.peek()[0] == "var":
                factors.append(self.power())
            argument = factors[0] if len(factors) == 1 else ("mul", tuple(factors))
        node: tuple = ("func", "ln" if name == "lg" else name, (argument,) if base is None else (argument, base))
        if name == "lg":
            node = ("func", "log", (argument, ("num", Fraction(10), -1)))
        if power is not None:
            if power == ("neg", ("num", Fraction(1), -1)):
                raise ParseError("ambiguous inverse function power")
            node = ("pow", node, power)
        return node

    def environment(self, name: str) -> tuple:
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


def _number(text: str) -> tuple:
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


def _attach_units(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Trailing unit words (``\\text{ cm}^2``, ``km``) become one ``("op", "unit:NAME")`` token."""
    end = len(tokens)
    parts: list[str] = []
    while end > 0:
        kind, value = tokens[end - 1]
        if kind == "text":
            parts.append(value)
            end -= 1
        elif kind == "num" and end >= 3 and tokens[end - 2] == ("op", "^") and tokens[end - 3][0] == "text":
            parts.append("^" + value)
            end -= 2
        elif (kind, value) == ("op", "}") and end >= 5 and tokens[end - 4 : end - 1] == [("op", "^"), ("op", "{"), tokens[end - 2]] \
                and tokens[end - 2][0] == "num" and tokens[end - 5][0] == "text":
            parts.append("^" + tokens[end - 2][1])
            end -= 4
        else:
            break
    if not parts:
        return tokens
    return tokens[:end] + [("op", "unit:" + unit_name(" ".join(reversed(parts))))]


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
    tokens = _attach_units(tokenize(text))
    unit = None
    if tokens and tokens[-1][0] == "op" and tokens[-1][1].startswith("unit:"):
        unit = tokens.pop()[1][5:]
    if not tokens:
        return ("text", text)
    node = _Parser(tokens).answer()
    if unit is None:
        return node
    if unit in ("degree", "degree s"):
        return ("deg", node)
    return ("unit", node, unit)
