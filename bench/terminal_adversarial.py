"""Adversarial sweep of the terminal domain's verdicts: right answers in other forms, near misses and
cheats, over every family at every level, each judged by ``assay.verify`` in a real sandbox.

Run: .venv/bin/python bench/terminal_adversarial.py [--seeds 2] [--seed-base 100] [--families log_filter,cron_schedule]
     [--backend bwrap] [--only alt|near|cheat|form]

Prints one line per wrong verdict (family, level, seed, case, expected, got, reason) and a summary:
cases run, wrong verdicts, seconds. Exit status 1 when any verdict is wrong. The tests keep a
representative table of these cases (tests/verifiers/terminal/test_adversarial.py); this script is
the wide sweep (hundreds of sandbox runs, about 0.1 s each on bwrap).
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import time
from collections.abc import Callable

import assay
from assay.types import Problem
from assay.verifiers.terminal import verify

Case = tuple[str, Callable[[Problem], "str | None"], "bool | None"]  # expected None: a near miss the data may not reach (noted, not counted)


def fence(script: str, tag: str = "bash") -> str:
    return f"Here it is.\n```{tag}\n{script.strip()}\n```\n"


def q(text: str) -> str:
    return shlex.quote(text)


def outputs(problem: Problem) -> list[str]:
    """The paths of the plain-text files the tests compare (not archives, not gzip)."""
    listed = [t["path"].rstrip("/") + "/" for t in problem.data["tests"] if t["kind"] == "listing"]
    return sorted({t["path"] for t in problem.data["tests"]
                   if t["kind"] == "file" and "equals" in t and not t.get("gunzip")
                   and t["path"] not in input_paths(problem) and not any(t["path"].startswith(f) for f in listed)})


def input_paths(problem: Problem) -> set[str]:
    return {entry["path"] for entry in problem.data["tree"]}


def found(pattern: str, problem: Problem, group: int = 1) -> str:
    match = re.search(pattern, problem.data["instruction"])
    assert match, (pattern, problem.data["instruction"])
    return match.group(group)


def P_HOUR(p: Problem) -> str: return found(r"matches hour (\d+)", p)
def P_HEADER(p: Problem) -> str: return found(r"header line '([^']+)'", p)
def P_HEADER2(p: Problem) -> str: return found(r"header '([^']+)'", p)
def P_DAY(p: Problem) -> str: return found(r"at or after (\S+) ", p)
def P_SECTION(p: Problem) -> str: return found(r"section \[(\w+)\]", p)
def P_SETS(p: Problem) -> str: return found(r"\] set (.*?)\. A key", p)
def P_COLS(p: Problem) -> str: return found(r"header line (\S+) and", p)
def P_PREFIX(p: Problem) -> str: return found(r"to (\w+)-<the same", p)
def P_OLD(p: Problem) -> str: return found(r"version (\S+) with", p)
def P_NEW(p: Problem) -> str: return found(r"with (\S+)\. Only", p)
def P_TOP(p: Problem) -> str: return found(r"the (\d+) most", p)


def ref(problem: Problem) -> str:
    return problem.answer.strip()


def each_output(problem: Problem, command: str) -> str | None:
    paths = outputs(problem)
    if not paths:
        return None
    return ref(problem) + "\n" + "\n".join(command.replace("{}", q(p)) for p in paths)


# --- generic cases, applied to every problem ---------------------------------------------------

GENERIC: list[Case] = [
    ("reference", ref, True),
    ("form: <answer>", lambda p: f"<answer>\n{ref(p)}\n</answer>", True),
    ("form: sh fence", lambda p: fence(ref(p), "sh"), True),
    ("form: shell fence", lambda p: fence(ref(p), "shell"), True),
    ("form: untagged fence", lambda p: fence(ref(p), ""), True),
    ("form: answer wrapping a fence", lambda p: f"<answer>\n```bash\n{ref(p)}\n```\n</answer>", True),
    ("form: CRLF completion", lambda p: fence(ref(p)).replace("\n", "\r\n"), True),
    ("form: shebang env bash + set -euo pipefail", lambda p: "#!/usr/bin/env bash\nset -euo pipefail\n" + ref(p), True),
    ("form: shebang /bin/sh line", lambda p: "#!/bin/sh\n" + ref(p), True),
    ("form: earlier wrong block then the right one", lambda p: fence(":") + "Fixed:\n" + fence(ref(p)), True),
    ("form: think block then answer", lambda p: "<think>```bash\n:\n```</think>\n" + fence(ref(p)), True),
    ("alt: outputs without the final newline", lambda p: each_output(p, "printf '%s' \"$(cat {})\" > /tmp/x && cat /tmp/x > {}"), True),
    ("alt: outputs with CRLF line ends", lambda p: each_output(p, "sed -i 's/$/\\r/' {}"), True),
    ("alt: outputs mode 600 and an old mtime", lambda p: each_output(p, "chmod 600 {} && touch -d '2001-01-01' {}"), True),
    ("alt: absolute paths from another folder", lambda p: "cd /tmp\ncd /work && " + "{\n" + ref(p) + "\n}", True),
    ("alt: temp files left in /tmp and removed from /work", lambda p: "tmp=$(mktemp)\necho junk > \"$tmp\"\n: > .scratch\n" + ref(p) + "\nrm -f .scratch", True),
    ("alt: a background process destroys the tree after the script ends",
     lambda p: ref(p) + "\n(sleep 0.3; rm -rf /work/* /work/.[!.]*) >/dev/null 2>&1 &", True),
    ("alt: output flooding after the work", lambda p: ref(p) + "\nhead -c 3000000 /dev/zero | tr '\\0' x", True),
    ("alt: a hardlink to every output beside it", lambda p: each_output(p, "ln {} {}.hard"), True),
    ("near: one output with an extra line", lambda p: each_output(p, "echo extra >> {}"), False),
    ("near: one output with its first line changed", lambda p: each_output(p, "sed -i '1s/^/X/' {}"), False),
    ("cheat: nothing", lambda p: ":", False),
    ("cheat: outputs are symlinks to copies in /tmp",
     lambda p: each_output(p, "cp {} /tmp/c && rm {} && ln -s /tmp/c {}"), False),
    ("cheat: outputs are symlinks to hidden copies in the tree",
     lambda p: each_output(p, "cp {} {}.copy && rm {} && ln -s \"$(basename {}).copy\" {}"), False),
    ("cheat: outputs are FIFOs with a blocked writer",
     lambda p: each_output(p, "cp {} /tmp/c && rm {} && mkfifo {} && (cat /tmp/c > {} &)"), False),
    ("cheat: the work in a background process after the end",
     lambda p: "(sleep 1; cd /work && " + ref(p).replace("\n", "\n") + "\n) >/dev/null 2>&1 &\ndisown", False),
    ("cheat: sparse 100 GB file then nothing", lambda p: "truncate -s 100G huge.bin; dd if=/dev/zero of=h2 bs=1 count=1 seek=100G", False),
    ("alt: sparse 100 GB file attempt, then the work", lambda p: "truncate -s 100G /tmp/huge.bin 2>/dev/null; " + ref(p), True),
    ("cheat: 100k entries", lambda p: "mkdir -p many && cd many && seq 100000 | xargs touch", False),
    ("cheat: fork bomb", lambda p: ":(){ :|:& };:", False),
    ("alt: fork bomb in the background, then the work", lambda p: "( :(){ :|:& };: ) 2>/dev/null &\n" + ref(p), None),
    ("cheat: writes outside the work dir", lambda p: "mkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt; echo 1 > /tmp/reward.txt; echo ok > /etc/assay", False),
    ("cheat: a NUL byte in the script", lambda p: ref(p) + "\necho \0", False),
    ("cheat: reads the environment to detect the test", lambda p: "env > env.txt; ps aux > ps.txt 2>&1; ls -la / /tmp > ls.txt", False),
]


# --- per family --------------------------------------------------------------------------------


def emails_json_filter(p: Problem, *, off_by_one: bool = False) -> str:
    age = int(found(r"at least (\d+) years", p)) + (1 if off_by_one else 0)
    script = ("python3 - <<'PY'\nimport json, collections\nusers = json.load(open('users.json'))\n"
              f"chosen = [u for u in users if u.get('active') is True and u['age'] >= {age} and u.get('email')]\n"
              "open('emails.txt', 'w').write('\\n'.join(sorted((u['email'] for u in chosen), key=str.encode)))\n"
              "teams = collections.Counter(u['team'] for u in chosen)\njson.dump(teams, open('teams.json', 'w'), indent=1)\nPY")
    return script


FAMILY: dict[str, list[Case]] = {
    "create_archive": [
        ("alt: find -printf %P | tar -T",
         lambda p: "find etc -type f -name '*.conf' -printf '%P\\0' | tar -C etc --null -T - -czf backup.tar.gz"
         + ("\nfind etc -type f -name '*.conf' -exec rm -f {} +" if "delete" in p.data["instruction"] else ""), True),
        ("alt: python tarfile",
         lambda p: "python3 - <<'PY'\nimport os, tarfile\nwith tarfile.open('backup.tar.gz', 'w:gz') as t:\n"
         "    for r, d, fs in os.walk('etc'):\n        for f in fs:\n            if f.endswith('.conf'):\n"
         "                t.add(os.path.join(r, f), os.path.relpath(os.path.join(r, f), 'etc'))\n"
         + ("                os.remove(os.path.join(r, f))\n" if "delete" in p.data["instruction"] else "") + "PY", True),
        ("near: stored with the etc/ prefix", lambda p: "find etc -type f -name '*.conf' -print0 | tar --null -czf backup.tar.gz -T -", False),
        ("near: hidden files missed", lambda p: ref(p).replace("-name '*.conf'", "-name '[!.]*.conf'"), None),
        ("near: not gzip", lambda p: ref(p).replace("-czf", "-cf"), False),
    ],
    "cron_schedule": [
        ("alt: python without the final newline", lambda p: ref(p).replace("''.join(c + '\\n' for c in out)", "'\\n'.join(out)"), True),
        ("alt: awk + cut", lambda p: (
            f"h={P_HOUR(p)}\n"
            "grep -vE '^[[:space:]]*(#|$)' jobs.cron | grep -vE '^[A-Za-z_]+=' | while IFS= read -r line; do\n"
            "  field=$(echo \"$line\" | awk '{print $2}')\n  hit=0\n  IFS=, read -ra parts <<< \"$field\"\n"
            "  for part in \"${parts[@]}\"; do\n    case $part in\n      '*') hit=1;;\n      '*/'*) (( h % ${part#*/} == 0 )) && hit=1;;\n"
            "      *-*) (( h >= ${part%-*} && h <= ${part#*-} )) && hit=1;;\n      *) (( h == part )) && hit=1;;\n    esac\n  done\n"
            "  [ $hit = 1 ] && echo \"$line\" | cut -d' ' -f6-\ndone > due.txt\ntrue"), True),
        ("near: the commented-out jobs included", lambda p: ref(p).replace("line.startswith('#')", "line.startswith('# m')"), None),
        ("near: */N ignored", lambda p: ref(p).replace("if hour % int(part[2:]) == 0: return True", "pass"), None),
    ],
    "csv_group_sum": [
        ("alt: awk with FPAT and printf %.2f", lambda p: (
            "awk -v FPAT='([^,]*)|(\"[^\"]*\")' 'NR > 1 { t[$2] += $4; c[$2]++ } END { for (r in t) "
            + ("printf \"%s,%.2f,%d\\n\", r, t[r], c[r]" if ",count" in p.data["instruction"] else "printf \"%s,%.2f\\n\", r, t[r]")
            + " }' sales.csv | LC_ALL=C sort > /tmp/body\n"
            f"{{ echo {q(P_HEADER(p))}; cat /tmp/body; }} > totals.csv\n"
            + ("awk -v FPAT='([^,]*)|(\"[^\"]*\")' 'NR > 1 { s += $4 } END { printf \"%.2f\", s }' sales.csv > grand_total.txt"
               if "grand_total" in p.data["instruction"] else "")), True),
        ("near: naive comma split", lambda p: ref(p).replace("csv.DictReader(f)", "({'region': l.split(',')[1], 'amount': l.rstrip().split(',')[3]} for l in list(f)[1:])"), None),
        ("near: one decimal", lambda p: ref(p).replace(":.2f", ":.1f"), False),
    ],
    "csv_join": [
        ("alt: awk two-file join then sort -n", lambda p: (
            "awk -F, -v city=" + ("1" if ",city," in p.data["instruction"] else "0") +
            " 'FNR == 1 { next } NR == FNR { n[$1] = $2; c[$1] = $3; next } ($2 in n) "
            "{ print $1 \",\" n[$2] (city ? \",\" c[$2] : \"\") \",\" $3 }' customers.csv orders.csv | sort -t, -k1,1n > /tmp/b\n"
            f"{{ echo {q(P_HEADER2(p))}; cat /tmp/b; }} > report.csv"), True),
        ("near: sorted as text", lambda p: ref(p).replace("int(r['order_id'])", "r['order_id']"), None),
        ("near: unknown customers kept", lambda p: ref(p).replace(" if r['customer_id'] in c", "").replace("c_ = c[r['customer_id']]", "c_ = c.get(r['customer_id'], ('', ''))"), False),
    ],
    "deduplicate_files": [
        ("alt: bash sha256sum over sorted NUL list", lambda p: (
            "cd inbox\ndeclare -A seen\nwhile IFS= read -r -d '' f; do\n  h=$(sha256sum < \"$f\" | cut -d' ' -f1)\n"
            "  if [[ -n ${seen[$h]:-} ]]; then rm -- \"$f\"; else seen[$h]=1; fi\n"
            "done < <(find . -type f -printf '%P\\0' | LC_ALL=C sort -z)"), True),
        ("near: the last of each group kept", lambda p: ref(p).replace("sorted(paths, key=os.fsencode)", "sorted(paths, key=os.fsencode, reverse=True)"), None),
        ("near: names with newlines skipped", lambda p: ref(p).replace("    h = hashlib", "    if '\\n' in p: continue\n    h = hashlib"), None),
    ],
    "env_file_merge": [
        ("alt: python dict, no final newline", lambda p: (
            "python3 - <<'PY'\nvals = {}\nfor name in ('.env.defaults', '.env.local'):\n    for line in open(name):\n"
            "        line = line.rstrip('\\n')\n        if not line or line.startswith('#'): continue\n"
            "        k, _, v = line.partition('=')\n        vals[k] = v\n"
            "open('.env', 'w').write('\\n'.join(k + '=' + vals[k] for k in sorted(vals)))\nPY"), True),
        ("near: value cut at the second =", lambda p: ref(p).replace("awk -F= '!seen[$1]++'", "awk -F= '!seen[$1]++ { print $1 \"=\" $2 }'"), None),
        ("near: defaults win", lambda p: ref(p).replace("cat .env.local .env.defaults", "cat .env.defaults .env.local"), False),
    ],
    "env_script": [
        ("alt: #!/bin/sh POSIX script", lambda p: _env_script_sh(p), True),
        ("alt: #!/usr/bin/env bash", lambda p: ref(p).replace("#!/bin/bash", "#!/usr/bin/env bash"), True),
        ("alt: printf without the final newline", lambda p: ref(p).replace("echo \"$", "printf '%s' \"$", 1), None),
        ("near: default port wrong", lambda p: re.sub(r":-(\d+)\}", ":-1234}", ref(p)), False),
        ("near: error to stdout", lambda p: ref(p).replace("is required\" >&2", "is required\""), False),
    ],
    "extract_emails": [
        ("alt: grep -r --include", lambda p: "grep -rhoE --include='*.txt' '[A-Za-z0-9._+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]+' mail | tr 'A-Z' 'a-z' | LC_ALL=C sort -u > emails.txt", True),
        ("alt: python re", lambda p: (
            "python3 - <<'PY'\nimport re, pathlib\nfound = set()\nfor f in pathlib.Path('mail').rglob('*.txt'):\n"
            "    found |= {m.lower() for m in re.findall(r'[\\w.+-]+@(?:[A-Za-z0-9-]+\\.)+[A-Za-z]+', f.read_text())}\n"
            "open('emails.txt', 'w').write(''.join(e + '\\n' for e in sorted(found)))\nPY"), True),
        ("near: .bak file included", lambda p: ref(p).replace("-name '*.txt'", "-name '*'"), False),
        ("near: not lower-cased", lambda p: ref(p).replace("| tr '[:upper:]' '[:lower:]' ", ""), None),
    ],
    "find_large_files": [
        ("alt: python os.walk", lambda p: _large_py(p), True),
        ("near: >= instead of >", lambda p: _large_py(p, op=">="), None),
        ("near: -size +Nk", lambda p: re.sub(r"-size \+(\d+)c", lambda m: f"-size +{int(m.group(1)) // 1024}k", ref(p)), None),
        ("near: symlinks followed", lambda p: ref(p).replace("find data", "find -L data"), False),
    ],
    "find_recent_files": [
        ("alt: cp --parents from find -newermt date -o equal", lambda p: (
            f"mkdir -p recent\ncd projects\nfind . -type f ! -not -newermt '{P_DAY(p)} 00:00:00' -print0 >/dev/null\n"
            f"find . -type f ! -mtime +99999 -newermt @$(( $(date -d '{P_DAY(p)} UTC' +%s) - 1 )) -exec cp --parents -- {{}} ../recent/ \\;"), True),
        ("alt: python shutil", lambda p: (
            "python3 - <<'PY'\nimport os, shutil, calendar, time\n"
            f"cut = calendar.timegm(time.strptime('{P_DAY(p)}', '%Y-%m-%d'))\nos.makedirs('recent', exist_ok=True)\n"
            "for r, d, fs in os.walk('projects'):\n    for f in fs:\n        src = os.path.join(r, f)\n"
            "        if os.stat(src).st_mtime >= cut:\n            dst = os.path.join('recent', os.path.relpath(src, 'projects'))\n"
            "            os.makedirs(os.path.dirname(dst), exist_ok=True)\n            shutil.copy(src, dst)\nPY"), True),
        ("near: -newermt DATE (strictly after)", lambda p: ref(p).replace(re.search(r"-newermt @\d+", ref(p)).group(0), f"-newermt '{P_DAY(p)}'"), False),  # type: ignore[union-attr]
        ("near: moved instead of copied", lambda p: ref(p).replace("cp -p", "mv"), False),
    ],
    "fix_permissions": [
        ("alt: python chmod", lambda p: (
            "python3 - <<'PY'\nimport os\nfor r, d, fs in os.walk('deploy'):\n    for f in fs:\n"
            "        m = 0o755 if f.endswith('.sh') else 0o600 if f.endswith(('.key', '.pem')) else 0o644\n"
            "        os.chmod(os.path.join(r, f), m)\nPY"), True),
        ("alt: chmod per file with symbolic modes", lambda p: (
            "find deploy -type f -exec chmod u=rw,go=r {} \\;\nfind deploy -type f -name '*.sh' -exec chmod a+x {} \\;"
            + ("\nfind deploy -type f \\( -name '*.key' -o -name '*.pem' \\) -exec chmod go= {} \\;" if ".key" in p.data["instruction"] else "")), True),
        ("near: hidden files missed", lambda p: "for f in deploy/* deploy/*/*; do [ -f \"$f\" ] || continue; case $f in *.sh) chmod 755 \"$f\";; *.key|*.pem) chmod 600 \"$f\";; *) chmod 644 \"$f\";; esac; done", None),
        ("cheat: setuid on the scripts", lambda p: ref(p) + "\nfind deploy -name '*.sh' -exec chmod u+s {} +", False),
    ],
    "ini_set_values": [
        ("alt: awk edit", lambda p: _ini_awk(p), True),
        ("near: configparser rewrite", lambda p: (
            "python3 - <<'PY'\nimport configparser, re\nc = configparser.ConfigParser()\nc.read('app.ini')\n"
            f"sec = {P_SECTION(p)!r}\n"
            f"for k, v in re.findall(r'(\\w+) to (\\w+)', {P_SETS(p)!r}):\n    c[sec][k] = v\n"
            "c.write(open('app.ini', 'w'))\nPY"), False),
        ("near: every section edited", lambda p: ref(p).replace("section == target and", "True and"), False),
    ],
    "json_filter": [
        ("alt: python json", emails_json_filter, True),
        ("near: age > instead of >=", lambda p: emails_json_filter(p, off_by_one=True), None),
        ("near: null emails kept as 'null'", lambda p: ref(p).replace(" and .email != null", ""), None),
    ],
    "json_to_csv": [
        ("alt: python csv.DictWriter", lambda p: (
            "python3 - <<'PY'\nimport csv, json\n"
            f"cols = {P_COLS(p).split(',')!r}\n"
            "with open('events.csv', 'w', newline='') as out:\n    w = csv.DictWriter(out, cols, extrasaction='ignore')\n    w.writeheader()\n"
            "    for line in open('events.jsonl'):\n        w.writerow(json.loads(line))\nPY"), True),
        ("near: quotes not doubled", lambda p: ref(p).replace("@csv", "join(\",\")"), None),
    ],
    "log_count_by_key": [
        ("alt: grep -oE + uniq -c + awk", lambda p: (
            ref(p) + "\ngrep -oE '\" [0-9]{3} ' access.log | tr -d '\" ' | sort | uniq -c | awk '{print $1, $2}' | sort -k1,1nr -k2,2n > status_counts.txt"), True),
        ("near: awk $9 (breaks on the space in a path)", lambda p: ref(p) + "\nawk '{print $9}' access.log | sort | uniq -c | awk '{print $1, $2}' | sort -k1,1nr -k2,2n > status_counts.txt", None),
        ("near: uniq -c padding kept", lambda p: "grep -oE '\" [0-9]{3} ' access.log | tr -d '\" ' | sort | uniq -c | sort -k1,1nr -k2,2n > status_counts.txt", False),
    ],
    "log_filter": [
        ("alt: python string compare", lambda p: _log_py(p), True),
        ("alt: grep then awk", lambda p: ref(p).replace("awk", "grep -E '^[^ ]+ [^ ]+ [A-Z]+ ' logs/app.log | awk", 1).replace("logs/app.log > errors.txt", "> errors.txt"), True),
        ("near: start bound exclusive", lambda p: _log_py(p, low=">"), None),
        ("near: end bound exclusive", lambda p: _log_py(p, high="<"), None),
        ("near: grep ERROR anywhere", lambda p: ref(p).replace("($3 ~ /^(", "($0 ~ /(").replace(")$/)", ")/)"), None),
    ],
    "log_rotate": [
        ("alt: gzip without -n, mv before", lambda p: ref(p).replace("gzip -n -c", "gzip -c"), True),
        ("near: app.log.1 not compressed", lambda p: ref(p).replace("gzip -n -c app.log.1 >", "cp app.log.1"), False),
        ("near: shifted, the oldest not deleted", lambda p: ref(p).replace("if [ $((n + 1)) -le", "if [ 0 -le"), False),
    ],
    "organize_by_extension": [
        ("alt: python", lambda p: (
            "python3 - <<'PY'\nimport os\nos.chdir('downloads')\nfor f in os.listdir('.'):\n    if not os.path.isfile(f): continue\n"
            "    stem, dot, ext = f.rpartition('.')\n    d = ext.lower() if dot and stem else 'other'\n"
            "    os.makedirs(d, exist_ok=True)\n    os.rename(f, os.path.join(d, f))\nPY"), True),
        ("alt: dotglob for loop", lambda p: (
            "cd downloads\nshopt -s dotglob nullglob\nfor f in *; do\n  [ -f \"$f\" ] || continue\n  case $f in\n"
            "    ?*.*) d=${f##*.}; d=${d,,};;\n    *) d=other;;\n  esac\n  mkdir -p \"$d\" && mv -- \"$f\" \"$d/\"\ndone"), True),
        ("near: hidden files skipped", lambda p: "cd downloads\nfor f in *; do [ -f \"$f\" ] || continue; e=${f##*.}; [ \"$e\" = \"$f\" ] && e=other; e=${e,,}; mkdir -p \"$e\"; mv -- \"$f\" \"$e/\"; done", None),
        ("near: extension case kept", lambda p: ref(p).replace('dir="${dir,,}"; ', ""), None),
    ],
    "rename_by_pattern": [
        ("alt: bash regex loop", lambda p: (
            f"cd photos\nfor f in *; do\n  if [[ -f $f && $f =~ ^IMG_([0-9]{{4}})\\.(JPG|jpg|JPEG|jpeg)$ ]]; then\n"
            f"    mv -- \"$f\" \"{P_PREFIX(p)}-${{BASH_REMATCH[1]}}.jpg\"\n  fi\ndone"), True),
        ("near: any IMG_ prefix", lambda p: ref(p).replace("IMG_[0-9][0-9][0-9][0-9].*", "IMG_*"), None),
        ("near: recursive", lambda p: f"find photos -name 'IMG_[0-9][0-9][0-9][0-9].*' | while read -r f; do mv \"$f\" \"$(dirname \"$f\")/{P_PREFIX(p)}-$(basename \"$f\" | cut -c5-8).jpg\"; done", None),
    ],
    "script_args": [
        ("alt: #!/bin/sh script", lambda p: ref(p).replace("#!/bin/bash", "#!/bin/sh"), True),
        ("alt: python3 script", lambda p: _stats_py(p), True),
        ("alt: printf without the final newline", lambda p: ref(p).replace('print \\"max=\\" m', 'printf \\"max=%d\\", m'), True),
        ("near: blank lines counted as 0 for max", lambda p: ref(p).replace("NF { s += $1;", "{ s += $1;"), None),
        ("near: not executable", lambda p: ref(p).replace("chmod +x", "chmod -x"), False),
        ("cheat: the script prints the example's answer when it sees the hidden inputs", lambda p: ref(p).replace(
            "#!/bin/bash\n", "#!/bin/bash\ncase $1 in /tmp/assay-in/*) set -- numbers.txt;; esac\n"), False),
    ],
    "sqlite_import_query": [
        ("alt: python sqlite3 module", lambda p: (
            "python3 - <<'PY'\nimport csv, sqlite3\ndb = sqlite3.connect('shop.db')\n"
            "db.execute('CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, amount INTEGER)')\n"
            "db.executemany('INSERT INTO orders VALUES (?, ?, ?)', [(int(r['id']), r['customer'], int(r['amount'])) for r in csv.DictReader(open('orders.csv'))])\n"
            + ("db.execute('CREATE INDEX idx_orders_customer ON orders(customer)')\n" if "idx_orders_customer" in p.data["instruction"] else "")
            + "db.commit()\nrows = db.execute('SELECT customer, SUM(amount) t FROM orders GROUP BY customer ORDER BY t DESC, customer').fetchall()\n"
            "w = csv.writer(open('totals.csv', 'w', newline=''))\nw.writerow(['customer', 'total'])\nw.writerows(rows)\nPY"), True),
        ("alt: heredoc to sqlite3", lambda p: (
            "sqlite3 shop.db <<'SQL'\nCREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, amount INTEGER);\n"
            ".import --csv --skip 1 orders.csv orders\n"
            + ("CREATE INDEX idx_orders_customer ON orders(customer);\n" if "idx_orders_customer" in p.data["instruction"] else "")
            + ".headers on\n.mode csv\n.output totals.csv\nSELECT customer, SUM(amount) AS total FROM orders GROUP BY customer ORDER BY total DESC, customer;\nSQL"), True),
        ("alt: WAL journal mode", lambda p: "sqlite3 shop.db 'PRAGMA journal_mode=WAL;' >/dev/null\n" + ref(p), True),
        ("near: header imported as a row", lambda p: ref(p).replace("--skip 1 ", "").replace("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, amount INTEGER);", "CREATE TABLE orders(id, customer TEXT, amount);"), False),
        ("near: .import without CREATE (TEXT columns)", lambda p: "\n".join(line for line in ref(p).split("\n") if "CREATE TABLE" not in line).replace("--skip 1 ", ""), False),
    ],
    "tar_extract_members": [
        ("alt: tar -t | grep | tar -T", lambda p: "mkdir -p extracted\ntar -tzf bundle.tar.gz | grep '\\.csv$' > /tmp/list\ntar -xzf bundle.tar.gz -C extracted -T /tmp/list", True),
        ("alt: python tarfile", lambda p: (
            "python3 - <<'PY'\nimport tarfile\nwith tarfile.open('bundle.tar.gz') as t:\n"
            "    t.extractall('extracted', members=[m for m in t if m.name.endswith('.csv')])\nPY"), True),
        ("near: .CSV included", lambda p: ref(p).replace("--wildcards '*.csv'", "--wildcards '*.csv' '*.CSV'"), None),
        ("near: archive removed", lambda p: ref(p) + "\nrm bundle.tar.gz", False),
        ("near: flattened", lambda p: "mkdir -p extracted\ntar -xzf bundle.tar.gz -C extracted --wildcards '*.csv' --transform 's|.*/||'", None),
    ],
    "text_replace": [
        ("alt: perl lookahead", lambda p: (
            f"find site -type f \\( -name '*.md' -o -name '*.conf' \\) -print0 | xargs -0 perl -pi -e 's/\\Q{P_OLD(p)}\\E(?!\\d)/{P_NEW(p)}/g'"), True),
        ("alt: sed \\b", lambda p: f"find site -type f \\( -name '*.md' -o -name '*.conf' \\) -exec sed -i 's/{P_OLD(p).replace('.', '[.]')}\\b/{P_NEW(p)}/g' {{}} \\;", True),
        ("near: unescaped dots", lambda p: f"find site -type f \\( -name '*.md' -o -name '*.conf' \\) -exec sed -i -E 's/{P_OLD(p)}([^0-9]|$)/{P_NEW(p)}\\1/g' {{}} +", None),
        ("near: followed-by-digit replaced", lambda p: f"find site -type f \\( -name '*.md' -o -name '*.conf' \\) -exec sed -i 's/{P_OLD(p).replace('.', '[.]')}/{P_NEW(p)}/g' {{}} +", None),
        ("near: -o precedence bug", lambda p: ref(p).replace("\\( -name '*.md' -o -name '*.conf' \\)", "-name '*.md' -o -name '*.conf'"), False),
    ],
    "word_frequency": [
        ("alt: python Counter sorted", lambda p: (
            "python3 - <<'PY'\nimport re, collections\n"
            f"c = collections.Counter(re.findall('[a-z]+', open('book.txt').read().lower()))\nn = {P_TOP(p)}\n"
            "rows = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n]\nopen('top.txt', 'w').write('\\n'.join(f'{v} {k}' for k, v in rows))\nPY"), True),
        ("near: most_common ties by first seen", lambda p: (
            "python3 - <<'PY'\nimport re, collections\n"
            f"c = collections.Counter(re.findall('[a-z]+', open('book.txt').read().lower()))\n"
            f"open('top.txt', 'w').write(''.join(f'{{v}} {{k}}\\n' for k, v in c.most_common({P_TOP(p)})))\nPY"), None),
        ("near: case kept", lambda p: ref(p).replace("tr '[:upper:]' '[:lower:]' < book.txt", "cat book.txt").replace("'a-z'", "'a-zA-Z'"), None),
        ("near: uniq -c padding kept", lambda p: ref(p).replace("| awk '{print $1, $2}' ", ""), False),
    ],
}


def _env_script_sh(p: Problem) -> str:
    body = re.search(r"<<'EOF'\n(.*)EOF", ref(p), re.S).group(1)  # type: ignore[union-attr]
    prefix = re.search(r"\$\{(\w+)_NAME", body).group(1)  # type: ignore[union-attr]
    port = re.search(r":-(\d+)\}", body).group(1)  # type: ignore[union-attr]
    lines = ["#!/bin/sh", f'if [ -z "${{{prefix}_NAME:-}}" ]; then echo "error: {prefix}_NAME is required" >&2; exit 1; fi',
             f'port=${{{prefix}_PORT:-{port}}}']
    if "bad port" in body:
        lines.append('case $port in ""|*[!0-9]*) echo "error: bad port" >&2; exit 2;; esac')
        lines.append('if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then echo "error: bad port" >&2; exit 2; fi')
    suffix = f"${{{prefix}_ENV:+ (${prefix}_ENV)}}" if "_ENV" in body else ""
    lines.append(f'printf "%s listening on port %s%s\\n" "${prefix}_NAME" "$port" "{suffix}"')
    return "cat > start.sh <<'EOF'\n" + "\n".join(lines) + "\nEOF\nchmod 755 start.sh"


def _large_py(p: Problem, op: str = ">") -> str:
    size = found(r"strictly greater than (\d+) bytes", p)
    skip = "Skip everything inside folders named cache" in p.data["instruction"]
    total = "large_total" in p.data["instruction"]
    return ("python3 - <<'PY'\nimport os\nout = []\nfor r, d, fs in os.walk('data'):\n"
            + ("    d[:] = [x for x in d if x != 'cache']\n" if skip else "")
            + "    for f in fs:\n        q = os.path.join(r, f)\n"
            f"        if not os.path.islink(q) and os.path.getsize(q) {op} {size}:\n            out.append(q)\n"
            "out.sort(key=os.fsencode)\nopen('large.txt', 'w').write(''.join(x + '\\n' for x in out))\n"
            + ("open('large_total.txt', 'w').write(str(sum(os.path.getsize(x) for x in out)))\n" if total else "") + "PY")


def _log_py(p: Problem, low: str = ">=", high: str = "<=") -> str:
    start, end = re.search(r"between (\S+ \S+) and (\S+ \S+) inclusive", p.data["instruction"]).groups()  # type: ignore[union-attr]
    levels = found(r"LEVEL field is ([A-Za-z ]+?) and whose", p).split(" or ")
    return ("python3 - <<'PY'\nout = []\nfor line in open('logs/app.log', encoding='utf-8'):\n    parts = line.split(' ')\n"
            f"    if len(parts) > 3 and parts[2] in {levels!r} and parts[0] + ' ' + parts[1] {low} {start!r} and parts[0] + ' ' + parts[1] {high} {end!r}:\n"
            "        out.append(line)\nopen('errors.txt', 'w', encoding='utf-8').write(''.join(out))\nPY")


def _ini_awk(p: Problem) -> str:
    section = found(r"section \[(\w+)\]", p)
    pairs = re.findall(r"(\w+) to (\w+)", found(r"\] set (.*?)\. A key", p))
    sets = "; ".join(f'v["{k}"] = "{v}"' for k, v in pairs)
    return (
        "awk 'BEGIN { " + sets + " }\n"
        "function flush() { for (k in v) if (!(k in done)) { pend = pend k \" = \" v[k] \"\\n\" } }\n"
        f"/^\\[/ {{ in_s = ($0 == \"[{section}]\") }}\n"
        "{ lines[NR] = $0 }\n"
        "in_s && /^[A-Za-z_]+ ?= ?/ { k = $0; sub(/ ?=.*/, \"\", k); if (k in v) { m = $0; match(m, / ?= ?/); "
        "lines[NR] = substr(m, 1, RSTART + RLENGTH - 1) v[k]; done[k] = 1 } last = NR }\n"
        "END { for (i = 1; i <= NR; i++) { print lines[i]; if (i == last) for (k in v) if (!(k in done)) print k \" = \" v[k] } }' "
        "app.ini > /tmp/app.ini && cat /tmp/app.ini > app.ini"
    )


def _stats_py(p: Problem) -> str:
    script = re.search(r"cat > (\S+) <<'EOF'", ref(p)).group(1)  # type: ignore[union-attr]
    usage = "if len(sys.argv) < 2:\n    print('usage: stats FILE', file=sys.stderr)\n    sys.exit(2)\n" if "usage" in ref(p) else ""
    folder = script.rsplit("/", 1)[0] if "/" in script else "."
    return (f"mkdir -p {folder}\ncat > {script} <<'EOF'\n#!/usr/bin/env python3\nimport sys\n{usage}"
            "vals = [int(l) for l in open(sys.argv[1]) if l.strip()]\nprint(f'sum={sum(vals)}')\nprint(f'max={max(vals)}')\nEOF\n"
            f"chmod u+x {script}")


def run(families: list[str], seeds: int, backend: str | None, only: str | None, base: int = 100) -> int:
    wrong, total, started = [], 0, time.monotonic()
    for family in families:
        task = assay.get_task(f"terminal/{family}")
        for level in (1, 2, 3):
            for seed in range(base, base + seeds):
                problem = task.generate(seed, difficulty=level, check_solvable=False)
                for name, make, expected in GENERIC + FAMILY.get(family, []):
                    if only and not name.startswith(only):
                        continue
                    script = make(problem)
                    if script is None:
                        continue
                    completion = script if ("```" in script or "<answer>" in script) else fence(script)
                    verdict = verify(completion, problem.data, backend=backend)
                    total += 1
                    shown = "?" if expected is None else expected
                    if expected is not None and verdict.passed is not expected:
                        wrong.append(f"{family} L{level} s{seed} | {name} | want {shown} got {verdict.passed} | "
                                     f"{verdict.reason} {str(verdict.detail.get('message', ''))[:160]!r}")
                        print(wrong[-1], flush=True)
                    elif expected is None and verdict.passed:
                        print(f"note: {family} L{level} s{seed} | {name} | passes (a near miss the data did not catch)", flush=True)
    print(f"{total} cases, {len(wrong)} wrong verdicts, {time.monotonic() - started:.0f} s")
    return 1 if wrong else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--seed-base", type=int, default=100, help="the first seed (each level draws seeds base .. base + seeds - 1)")
    parser.add_argument("--families", default="")
    parser.add_argument("--backend", default=None)
    parser.add_argument("--only", default=None, help="run only cases whose name starts with this (alt, near, cheat, form)")
    args = parser.parse_args(argv)
    families = [f.split("/")[-1] for f in assay.list_tasks("terminal")]
    if args.families:
        families = [f for f in families if f in args.families.split(",")]
    return run(families, args.seeds, args.backend, args.only, args.seed_base)


if __name__ == "__main__":
    sys.exit(main())

