"""Debian tools the tests use to look at outputs as a reader would (a browser, PDF pages as PNG).

They are installed on first use when the tests run as root on Debian (CI's clean machine);
elsewhere a test that needs one is skipped, saying why.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

import pytest


@functools.cache
def debian_tool(binary: str, package: str) -> str | None:
    found = shutil.which(binary)
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
    if subprocess.run(install, env=env, capture_output=True, timeout=900).returncode != 0:
        # package lists may be missing or stale on a fresh machine
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        subprocess.run(install, env=env, capture_output=True, timeout=900)
    return shutil.which(binary)


def require(binary: str, package: str) -> str:
    path = debian_tool(binary, package)
    if path is None:
        reason = "not root" if os.geteuid() != 0 else "apt-get install failed (no Debian package source reachable?)"
        pytest.skip(f"{binary} (Debian package {package}) is not installed and could not be installed: {reason}")
    return path
