"""`assay sandbox build-images` and `assay sandbox check`: set up and inspect the sandboxes here.

build-images makes the docker base image locally; check prints which backends work and what they enforce.
"""

from __future__ import annotations

import argparse
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sandbox", help="build sandbox images, check which backends work here")
    commands = parser.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND")
    parser.set_defaults(run=lambda args: (parser.print_help(), 2)[1])

    build = commands.add_parser("build-images", help="build the docker base image(s) locally (debootstrap + docker import)")
    build.add_argument("--force", action="store_true", help="rebuild even if the image and the cached rootfs exist")
    build.add_argument("--image", action="append", help="only this image (default: all known images)")
    build.set_defaults(run=build_images)

    check = commands.add_parser("check", help="print which sandbox backends work here and how they enforce limits")
    check.add_argument("--try", dest="try_run", action="store_true", help="also run print(1) on each working backend")
    check.set_defaults(run=check_backends)

    gc = commands.add_parser("gc", help="remove the containers, temp dirs and cgroups of sandbox owners that are gone")
    gc.set_defaults(run=collect_garbage)


def collect_garbage(args: argparse.Namespace) -> int:
    from assay.sandbox import gc

    for kind, removed in gc().items():
        print(f"{kind}: removed {len(removed)}")
        for item in removed:
            print(f"    {item}")
    return 0


def build_images(args: argparse.Namespace) -> int:
    from assay.sandbox.images import IMAGES, build_image

    for name in args.image or sorted(IMAGES):
        started = time.monotonic()
        built = build_image(name, force=args.force)
        verb = "built" if built else "exists, skipped (--force rebuilds)"
        print(f"{name}: {verb} ({time.monotonic() - started:.1f}s)")
    return 0


def check_backends(args: argparse.Namespace) -> int:
    from assay.sandbox import close_all, enforcement, run_python
    from assay.sandbox.api import BACKENDS, availability
    from assay.sandbox.backends import get
    from assay.sandbox.cgroups import support

    cgroups = support()
    print(f"cgroups: {cgroups.describe()}")
    working = 0
    for name in BACKENDS:
        works, why = availability(name)
        print(f"{name:8} {'works' if works else 'unavailable'}" + ("" if works else f": {why}"))
        if not works:
            continue
        working += 1
        for limit, how in enforcement(name).items():
            print(f"    {limit:12} {how}")
        for weakness in get(name).weaknesses():
            print(f"    weakness     {weakness}")
        if args.try_run:
            result = run_python("print(1)", backend=name)
            print(f"    print(1)     {result.status} {result.stdout.strip()!r} {result.message}")
    close_all()
    return 0 if working else 1
