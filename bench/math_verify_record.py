"""math-verify's record on Assay's own tuning tables (data for ``bench/math_verify.py --record``).

These tables (tests/adversarial/_math_rows_*.py and the task rows of
test_math_tasks_adversarial.py) were written over many rounds until Assay passed them, so they are
no comparison of the two verifiers: correctness is compared on the held-out table
(bench/math_heldout.py). Many "wrong" rows below are forms Assay's conventions accept or refuse
by policy (percent, degrees, units, number words, congruences) where math-verify follows another
convention. The record only tells when math-verify's own behaviour changes: ``bench/math_verify.py
--record`` re-runs it and lists the rows whose verdict moved (once, these were tests of Assay's
suite, which tested a dependency instead).
"""

MATH_VERIFY_WRONG: frozenset[str] = frozenset({
    "'(approximately)' is a qualifier",
    'a converted unit (converted, issue 10)',
    'minutes for hours (converted, issue 10)',
    "'(not sure)' is a hedge",
    "', approximately'",
    "'another possible answer'",
    "'at most' after the number",
    "'could be', then a check",
    "'ish'",
    "'it might also be'",
    "'maybe' is a hedge",
    "'negative' after a number",
    "'none' for the empty set",
    "'or fewer' is a qualifier, not a unit",
    "'or more' is a qualifier, not a unit",
    "'or so'",
    '(a, b) may be an open interval (documented ambiguity)',
    '0.999... is 1',
    'Euler form',
    '\\degree',
    '\\inf for infinity',
    '\\inf for infinity in an interval',
    'a bare number word',
    'a bold final sentence',
    'a box declared incorrect',
    'a box without braces',
    'a byte-order mark',
    'a chain with a plus-minus side',
    'a chain with a wrong side (math-verify takes the last side)',
    "a congruence is a residue class, not the number asked for (policy: congruences)",
    "a congruence without braces is a residue class, not the number asked for (policy: congruences)",
    "a correction after 'oops'",
    "a correction after 'wait'",
    'a correction after a recheck',
    'a dollar gold',
    'a double inequality',
    'a false computation ending in the gold',
    'a framebox',
    'a function name before a union',
    'a guess, then the computation',
    'a hedge in parentheses in the sentence',
    'a hedge in the sentence',
    'a hedge inside the unit',
    'a highlighted answer',
    'a hundred',
    'a hyphenated number word',
    'a lower-case constant',
    'a multiple of the constant',
    'a negative number in words',
    'a nested list',
    'a nested list for an interval',
    'a number word',
    'a ray as an inequality',
    'a red answer is still the answer',
    'a repeated answer (policy)',
    'a repeating zero',
    'a root repeated',
    'a rounded value',
    'a second value hidden in a unit',
    'a sentence contradicting itself',
    'a sentence inside the box',
    'a sentence period inside the box',
    "a sentence with 'or maybe'",
    'a set for an ordered pair',
    'a set with a repeated answer (policy)',
    'a shifted antiderivative',
    'a shifted logarithm',
    'a smashed answer is visible',
    'a soft hyphen',
    'a space after a lone zero',
    'a space before the brace',
    'a spaced number word',
    'a subscripted constant',
    'a superscript minus one',
    'a superscript two',
    'a system in cases',
    'a textcolor answer',
    'a thin space after a lone zero',
    'a thin-space digit group',
    'a union as inequalities joined by or',
    'a union as two inequalities',
    'a union as x != a',
    'a vulgar fraction (policy)',
    'a vulgar mixed number',
    'a vulgar third',
    'a word joiner',
    'a year in words',
    'a zero-width space before the answer',
    'all real numbers in words',
    'an HTML comment beside the answer',
    'an antiderivative with another constant',
    'an exponential antiderivative',
    'an implication is not an answer',
    'an operator outside the grammar is not a value (policy)',
    'an underlined answer',
    "an unequal 'equivalent'",
    'an unsolved equation for a solution',
    'an unterminated block after the answer',
    'angle-bracket vector',
    'another name for the constant',
    'another unit (math-verify strips units)',
    'antiderivatives that differ by a constant',
    'approximately',
    'approximately equal',
    'binom with single-token arguments',
    'black text',
    'bold inside text',
    'cents without the trailing zero',
    'conditions joined by a comma',
    'corrected to the right value',
    'degrees gold, radian answer',
    'degrees in words for radians',
    'dollars spelt out',
    'dotless i',
    'feet for inches',
    'five cubed is not five',
    'five halves is not five',
    'five hundred in words',
    'five hundred is not five',
    'five squared is not five',
    'five tenths is not five',
    'half a percent',
    'i squared',
    'i to a huge power',
    'inches abbreviated',
    'inf as text',
    'inline code in the answer block',
    'leq',
    'lg is base ten',
    'log without a base is natural (documented)',
    'log without a base is natural, not common (documented)',
    'markdown bold in the answer block',
    'min of candidates (policy)',
    'no solution for the empty set',
    'one half in words',
    'one hundred one',
    'one million',
    'one over i',
    'pi/6 degrees for pi/6 radians',
    'plain space separator (SI style)',
    'plain-text radical',
    'polar form',
    'python power',
    'radian gold, degree answer',
    'radians for a degree gold',
    'radians for degrees',
    'roman i',
    'scientific notation in unicode',
    'sixteen digits of an irrational',
    'square metres for metres',
    'ten to the ninth with a superscript',
    'the empty set for no solution',
    'the label on the right',
    'the last answer block is right',
    'the reals minus nothing',
    'the root of -1 for i',
    'thin space before i',
    'thin-space separator',
    'three squared with a superscript',
    'tie separator',
    'tiny different values (math-verify rounds to 6 places)',
    'twelve',
    'two cubed with a superscript',
    'two dozen is not two',
    'two hundred nested boxes are refused (policy)',
    'two thin-space separators',
    'two to the fourth with a superscript',
    'unicode degree sign',
    'upper-case tags',
    'varnothing',
    'wavering back to the right box',
    'zero in words',
})

# math-verify on the task rows of tests/adversarial/test_math_tasks_adversarial.py, against each
# problem's reference answer: how many it gets wrong per task
TASK_ROW_LIMIT_S = 5  # no bombs among the task rows: generous alarms keep math-verify's verdicts load-independent
MATH_VERIFY_WRONG_PER_TASK: dict[str, int] = {
    'math/arithmetic': 40,  # of 173
    'math/base_conversion': 18,  # of 100
    'math/binomial_coefficient': 30,  # of 156
    'math/chinese_remainder': 36,  # of 163
    'math/complex_arithmetic': 22,  # of 110
    'math/counting': 30,  # of 152
    'math/decimal_arithmetic': 36,  # of 181
    'math/definite_integral': 36,  # of 174
    'math/derivative': 30,  # of 162
    'math/determinant': 36,  # of 160
    'math/divisor_functions': 30,  # of 148
    'math/eigenvalues': 18,  # of 132
    'math/expected_value': 30,  # of 168
    'math/function_composition': 32,  # of 165
    'math/function_domain': 24,  # of 112
    'math/function_inverse': 18,  # of 102
    'math/gcd_lcm': 36,  # of 160
    'math/indefinite_integral': 42,  # of 120
    'math/inequality': 18,  # of 98
    'math/limit': 36,  # of 166
    'math/line_intersection': 18,  # of 114
    'math/linear_equation': 32,  # of 171
    'math/linear_recurrence': 30,  # of 158
    'math/linear_system': 24,  # of 126
    'math/logarithms': 38,  # of 152
    'math/matrix_inverse': 24,  # of 125
    'math/matrix_product': 30,  # of 126
    'math/matrix_rank': 36,  # of 154
    'math/modular_inverse': 36,  # of 172
    'math/modular_power': 36,  # of 172
    'math/percentages': 32,  # of 156
    'math/point_distance': 18,  # of 100
    'math/polygon_area': 30,  # of 152
    'math/polynomial_expansion': 24,  # of 108
    'math/polynomial_factoring': 30,  # of 120
    'math/prime_factorization': 30,  # of 114
    'math/probability': 30,  # of 162
    'math/quadratic_roots': 21,  # of 119
    'math/rational_simplification': 24,  # of 110
    'math/sequences': 30,  # of 146
    'math/series_sum': 36,  # of 160
    'math/trig_values': 22,  # of 97
    'math/vector_operations': 26,  # of 134
}

# rows of the adversarial table on which math-verify's verdict depends on its own 1 s alarms (the
# machine's load): not compared
MATH_VERIFY_TIMING = frozenset({"twenty parentheses", "a long product of ones", "fifty nested fractions"})
