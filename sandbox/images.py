"""Local base images for the docker backend: debootstrap a minimal Debian, then `docker import`.

No registry is reachable where Assay runs, so images are built here; the rootfs tarball is cached.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assay.errors import SandboxError

logger = logging.getLogger(__name__)

# The tools terminal tasks may use; minbase already brings bash, coreutils, grep, sed, tar, gzip,
# findutils, diffutils and dpkg.
TERMINAL_PACKAGES = (
    "python3", "sqlite3", "jq", "gawk", "procps", "bc", "xz-utils", "bzip2", "unzip", "zip",
    "file", "patch", "less", "tree", "ca-certificates",
)


@dataclass(frozen=True)
class ImageSpec:
    """One base image: its docker name and how debootstrap builds its root filesystem."""

    name: str
    suite: str = "bookworm"
    mirror: str = "http://deb.debian.org/debian"
    packages: tuple[str, ...] = TERMINAL_PACKAGES

    @property
    def fingerprint(self) -> str:
        text = "\n".join((self.suite, self.mirror, *sorted(self.packages)))
        return hashlib.sha256(text.encode()).hexdigest()[:12]


DEFAULT_IMAGE = "assay/base:bookworm"
IMAGES = {DEFAULT_IMAGE: ImageSpec(DEFAULT_IMAGE)}


def cache_dir() -> Path:
    """Where rootfs tarballs are cached: $ASSAY_CACHE_DIR, else $XDG_CACHE_HOME/assay, else ~/.cache/assay.

    >>> cache_dir().name in ("sandbox",)
    True
    """
    root = os.environ.get("ASSAY_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "assay"
    )
    return Path(root) / "sandbox"


def rootfs_tarball(spec: ImageSpec) -> Path:
    return cache_dir() / f"rootfs-{spec.suite}-{spec.fingerprint}.tar"


def image_exists(name: str) -> bool:
    """Whether the local Docker daemon has image ``name`` (False when no daemon answers)."""
    from assay.sandbox.backends.docker import docker_client

    client = docker_client()
    if client is None:
        return False
    import docker.errors

    try:
        client.images.get(name)
        return True
    except docker.errors.ImageNotFound:
        return False


def build_rootfs(spec: ImageSpec, *, force: bool = False) -> Path:
    """Debootstrap ``spec`` into a temporary folder and cache it as a tarball; returns its path."""
    tarball = rootfs_tarball(spec)
    if tarball.exists() and not force:
        logger.info("reusing cached root filesystem %s", tarball)
        return tarball
    if tarball.with_suffix("").is_dir():  # an extracted copy of the tarball being replaced
        shutil.rmtree(tarball.with_suffix(""))
    if shutil.which("debootstrap") is None:
        raise SandboxError("debootstrap is not installed (apt-get install debootstrap)")
    if os.geteuid() != 0:
        raise SandboxError("building a root filesystem with debootstrap needs root")
    tarball.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="assay-rootfs-", dir=tarball.parent) as work:
        root = Path(work) / "root"
        command = [
            "debootstrap", "--variant=minbase", f"--include={','.join(spec.packages)}",
            spec.suite, str(root), spec.mirror,
        ]
        logger.info("running %s", " ".join(command))
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            raise SandboxError(f"debootstrap failed ({done.returncode}): {done.stdout[-2000:]}")
        _trim(root)
        partial = tarball.with_suffix(".tar.partial")
        subprocess.run(["tar", "-C", str(root), "-cf", str(partial), "."], check=True)
        os.replace(partial, tarball)
    return tarball


def _trim(root: Path) -> None:
    """Drop caches and docs that only make the image bigger, and add the sandbox user."""
    for sub in ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info"):
        target = root / sub
        if target.is_dir():
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
    with open(root / "etc/passwd", "a") as passwd:
        passwd.write("sandbox:x:1000:1000:sandbox:/work:/bin/bash\n")
    with open(root / "etc/group", "a") as group:
        group.write("sandbox:x:1000:\n")
    (root / "work").mkdir(exist_ok=True)
    os.chown(root / "work", 1000, 1000)


def build_image(name: str = DEFAULT_IMAGE, *, force: bool = False) -> bool:
    """Build docker image ``name`` locally unless it exists; returns True when it was (re)built."""
    spec = IMAGES.get(name)
    if spec is None:
        raise SandboxError(f"unknown image {name!r}; known: {', '.join(sorted(IMAGES))}")
    if image_exists(name) and not force:
        logger.info("image %s exists", name)
        return False
    if shutil.which("docker") is None:
        raise SandboxError("the docker command line is not installed")
    tarball = build_rootfs(spec, force=force)
    previous = subprocess.run(["docker", "image", "inspect", "--format", "{{.Id}}", name], capture_output=True, text=True).stdout.strip()
    with open(tarball, "rb") as source:
        done = subprocess.run(
            ["docker", "import", "--change", "USER 1000:1000", "--change", "WORKDIR /work",
             "--change", 'CMD ["/bin/bash"]', "-", name],
            stdin=source, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
    if done.returncode != 0:
        raise SandboxError(f"docker import failed: {done.stdout[-2000:]}")
    if previous:  # the rebuilt image took the tag: drop the old one unless something still uses it
        subprocess.run(["docker", "image", "rm", previous], capture_output=True)
    logger.info("built image %s from %s", name, tarball)
    return True


def check_root(root: str | os.PathLike | None) -> str | None:
    """A root file system folder (for bwrap's ``root=``), resolved: it must hold /bin/sh and an
    empty /work to mount the work dir on.

    >>> check_root(None) is None
    True
    """
    if root is None:
        return None
    path = Path(root).resolve()
    if not (path / "bin" / "sh").exists() or not (path / "work").is_dir():
        raise SandboxError(f"{path} is not a root file system with /bin/sh and /work (see assay.sandbox.images.extract_rootfs)")
    return str(path)


def extract_rootfs(name: str = DEFAULT_IMAGE) -> Path:
    """The image's root file system as a folder (extracted once from the cached tarball), for bwrap's
    ``root=``: terminal tasks then see the same tools with or without a Docker daemon.

    >>> extract_rootfs().joinpath("usr/bin/jq").exists()  # doctest: +SKIP
    True
    """
    spec = IMAGES.get(name)
    if spec is None:
        raise SandboxError(f"unknown image {name!r}; known: {', '.join(sorted(IMAGES))}")
    tarball = rootfs_tarball(spec)
    folder = tarball.with_suffix("")
    if folder.is_dir():
        return folder
    if not tarball.exists():
        build_rootfs(spec)
    partial = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        subprocess.run(["tar", "-C", str(partial), "-xf", str(tarball)], check=True, capture_output=True)
        os.chmod(partial, 0o755)
        os.rename(partial, folder)
    except (OSError, subprocess.CalledProcessError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        if folder.is_dir():
            return folder  # another process extracted it first
        raise SandboxError(f"could not extract {tarball}: {error}") from error
    return folder
