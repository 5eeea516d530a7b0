"""terminal/json_filter: select records from a JSON array by conditions (jq) and write one field per line."""

from __future__ import annotations

import json
import random

from assay.generators.terminal._base import (
    Spec,
    TerminalConfig,
    TerminalTask,
    sorted_names,
)
from assay.generators.terminal._data import UNICODE, person, word
from assay.registry import register_task
from assay.verifiers.terminal.tree import file_entry


@register_task
class JsonFilter(TerminalTask):
    id = "terminal/json_filter"
    description = "Filter a JSON array of users (active, age at least N, email present) and write their emails sorted."
    verification = ("emails.txt must list exactly the matching emails in byte order; users with a null or missing email "
                    "are skipped; with more steps a JSON count file is checked as a JSON value. One active user with an "
                    "email is exactly the minimum age and one a year younger (an off-by-one fails); with traps two users "
                    "who meet the rest have a null and a missing email.")
    version = 2  # v2: active users with an email at the minimum age and a year under it, and with traps a null and a
    # missing email among users who qualify otherwise (v1: all drawn, so the bounds and traps were often not reached)

    def make(self, rng: random.Random, config: TerminalConfig) -> Spec:
        minimum = rng.randrange(20, 40)
        by_team: dict[str, int]
        users, emails, by_team = [], [], {}
        for index in range(config.items * 2):
            name = person(rng) + (f" {rng.choice(UNICODE)}" if config.traps >= 2 and rng.random() < 0.3 else "")
            user: dict = {"id": index + 1, "name": name, "age": rng.randrange(16, 60), "active": rng.random() < 0.6,
                          "team": word(rng) if index % 3 else "core"}
            email: str | None = f"{name.split()[0]}.{index + 1}@example.org"
            if config.traps >= 1 and rng.random() < 0.2:
                email = None if rng.random() < 0.5 else email
                if email is None and rng.random() < 0.5:
                    user["email"] = None
            if email is not None:
                user["email"] = email
            if index < 2:  # the bounds of the age condition: one at the minimum (chosen), one a year younger
                user.update(age=minimum - index, active=True, email=f"{name.split()[0]}.{index + 1}@example.org")
            elif index < 4 and config.traps:  # users who meet the rest: one with a null email, one with none
                user.update(age=minimum + index, active=True, email=None)
                if index == 3:
                    del user["email"]
            users.append(user)
            if user["active"] and user["age"] >= minimum and user.get("email"):
                emails.append(user["email"])
                by_team[user["team"]] = by_team.get(user["team"], 0) + 1
        instruction = (
            "The file /work/users.json holds a JSON array of user objects with the keys id, name, age, active "
            "(true/false), team and, usually, email (which may be missing or null). Write to /work/emails.txt the email "
            f"of every user who is active and at least {minimum} years old and has an email, one per line, sorted in "
            "byte order (LC_ALL=C sort)."
        )
        expected = "".join(e + "\n" for e in sorted_names(emails))
        tests = [{"kind": "file", "path": "emails.txt", "equals": expected, "compare": "text", "name": "emails.txt"}]
        reference = f"jq -r '.[] | select(.active == true and .age >= {minimum} and .email != null) | .email' users.json | LC_ALL=C sort > emails.txt"
        if config.steps >= 2:
            instruction += (" Also write /work/teams.json: a JSON object mapping each team to the number of those users "
                            "in it (teams with none left out).")
            tests.append({"kind": "file", "path": "teams.json", "equals": json.dumps(by_team, sort_keys=True), "compare": "json", "name": "teams.json"})
            reference += (f"\njq '[.[] | select(.active == true and .age >= {minimum} and .email != null)] | group_by(.team) "
                          "| map({key: .[0].team, value: length}) | from_entries' users.json > teams.json")
        indent = 2 if config.steps >= 2 else None
        text = json.dumps(users, indent=indent, ensure_ascii=config.traps < 2) + "\n"
        return Spec(instruction, [file_entry("users.json", text)], tests, reference)
