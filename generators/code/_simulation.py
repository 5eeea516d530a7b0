"""The code/simulation family's specification builder and reference implementations, shared
with the tasks that reuse them (bug_fix, stdio_programs); the task itself is registered in
``simulation.py``.
"""

from __future__ import annotations

import random

from assay.generators.code._base import CodeConfig, FunctionTask, Spec


def _robot(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    walls = config.steps >= 2
    bound = rng.randint(2, 6)
    clamp = f"\n        x, y = max(-{bound}, min({bound}, x)), max(-{bound}, min({bound}, y))" if walls else ""
    clamp_alt = f"\n        if abs(nx) <= {bound} and abs(ny) <= {bound}:\n            x, y = nx, ny\n        else:\n            x, y = max(-{bound}, min({bound}, nx)), max(-{bound}, min({bound}, ny))" if walls else "\n        x, y = nx, ny"
    source = (f"def {name}(moves):\n    x = y = 0\n    seen = {{(0, 0)}}\n    for m in moves:\n"
              f"        dx, dy = {{'U': (0, 1), 'D': (0, -1), 'L': (-1, 0), 'R': (1, 0)}}.get(m, (0, 0))\n"
              f"        x, y = x + dx, y + dy{clamp}\n        seen.add((x, y))\n    return (x, y, len(seen))\n")
    alternative = (f"def {name}(moves):\n    x, y = 0, 0\n    seen = [(0, 0)]\n    for m in moves:\n        nx, ny = x, y\n"
                   f"        if m == 'U':\n            ny += 1\n        elif m == 'D':\n            ny -= 1\n        elif m == 'L':\n"
                   f"            nx -= 1\n        elif m == 'R':\n            nx += 1{clamp_alt}\n        if (x, y) not in seen:\n"
                   f"            seen.append((x, y))\n    return x, y, len(seen)\n")
    inputs = [("",), ("U",), ("UD",), ("X?",), ("RRRRRRRRRRRR",)] + [("".join(rng.choice("UDLRUDLRx") for _ in range(rng.randint(1, config.size * 2))),) for _ in range(config.tests - 5)]
    fence = f" The robot cannot leave the square -{bound} <= x, y <= {bound}: a move past the edge leaves it on the edge." if walls else ""
    description = (f"A robot starts at (0, 0). It takes a string `moves`; 'U' adds 1 to y, 'D' subtracts 1, 'R' adds 1 to x, "
                   f"'L' subtracts 1, any other character does nothing.{fence} Return a tuple (x, y, visited): the final "
                   "position and the number of distinct cells visited, the start included.")
    return Spec(name, f"{name}(moves: str) -> tuple[int, int, int]", description, source, alternative, inputs)


def _stack(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    source = (f"def {name}(program):\n    stack = []\n    for line in program:\n        op, *arg = line.split()\n"
              f"        if op == 'push':\n            stack.append(int(arg[0]))\n        elif op == 'pop' and stack:\n            stack.pop()\n"
              f"        elif op == 'dup' and stack:\n            stack.append(stack[-1])\n        elif op == 'add' and len(stack) >= 2:\n"
              f"            stack.append(stack.pop() + stack.pop())\n        elif op == 'swap' and len(stack) >= 2:\n"
              f"            stack[-1], stack[-2] = stack[-2], stack[-1]\n    return stack\n")
    alternative = (f"def {name}(program):\n    s = []\n    for line in program:\n        parts = line.split()\n        op = parts[0]\n"
                   f"        if op == 'push':\n            s = s + [int(parts[1])]\n        elif op == 'pop':\n            s = s[:-1]\n"
                   f"        elif op == 'dup':\n            s = s + s[-1:]\n        elif op == 'add':\n            if len(s) >= 2:\n"
                   f"                s = s[:-2] + [s[-2] + s[-1]]\n        elif op == 'swap':\n            if len(s) >= 2:\n"
                   f"                s = s[:-2] + [s[-1], s[-2]]\n    return list(s)\n")
    m = config.magnitude

    def program() -> list[str]:
        return [rng.choice((f"push {rng.randint(-m, m)}", "pop", "dup", "add", "swap", f"push {rng.randint(0, 9)}")) for _ in range(rng.randint(1, config.size))]

    inputs = [([],), (["pop"],), (["push 1", "add"],), (["push 2", "dup", "add"],), (["push 1", "push 2", "swap"],)] + [(program(),) for _ in range(config.tests - 5)]
    description = ("Simulate a stack machine. It takes a list `program` of instructions: 'push N' pushes the integer N; 'pop' "
                   "removes the top; 'dup' pushes a copy of the top; 'add' pops the top two and pushes their sum; 'swap' "
                   "exchanges the top two. An instruction that needs more items than the stack holds does nothing. Return "
                   "the final stack as a list, bottom first.")
    return Spec(name, f"{name}(program: list[str]) -> list[int]", description, source, alternative, inputs)


def _bank(rng: random.Random, config: CodeConfig, name: str) -> Spec:
    fee = rng.randint(1, 5) if config.steps >= 2 else 0
    source = (f"def {name}(start, changes):\n    balance, refused = start, 0\n    for c in changes:\n"
              f"        if balance + c < 0:\n            refused += 1\n            balance -= {fee} if balance >= {fee} else 0\n"
              f"        else:\n            balance += c\n    return (balance, refused)\n")
    alternative = (f"def {name}(start, changes):\n    balance = start\n    refused = 0\n    for c in changes:\n        if c >= 0 or balance >= -c:\n"
                   f"            balance = balance + c\n            continue\n        refused = refused + 1\n        if balance >= {fee}:\n"
                   f"            balance = balance - {fee}\n    return balance, refused\n")
    m = config.magnitude
    inputs = [(0, []), (5, [-5]), (0, [-1]), (3, [-4, 1, -4])] + [(rng.randint(0, m), [rng.randint(-m, m) for _ in range(rng.randint(1, config.size))]) for _ in range(config.tests - 4)]
    penalty = f" and costs a fee of {fee} when the balance is at least {fee} (otherwise no fee)" if fee else ""
    description = (f"Simulate a bank account. It takes a starting balance `start` (>= 0) and a list `changes` of integers; each "
                   f"change is added in order, except that a change that would make the balance negative is refused{penalty}. "
                   "Return a tuple (final balance, number of refused changes).")
    return Spec(name, f"{name}(start: int, changes: list[int]) -> tuple[int, int]", description, source, alternative, inputs)


class Simulation(FunctionTask):
    id = "code/simulation"
    description = "Write a function simulating a small process step by step: a robot on a grid, a stack machine, a bank account."

    def make_spec(self, rng: random.Random, config: CodeConfig) -> Spec:
        name = rng.choice(("simulate", "run", "step_all"))
        return rng.choice((_robot, _stack, _bank))(rng, config, name)
