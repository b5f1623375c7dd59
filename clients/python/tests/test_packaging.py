"""`pip install ./clients/python` gives a typed package that imports with the standard
library alone (numpy and pandas are optional)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_pip_installs_a_typed_package_that_needs_only_the_standard_library(tmp_path):
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        pytest.skip("pip is not installed for this interpreter")
    source = tmp_path / "src-copy"  # build in a copy: pip leaves build/ and *.egg-info behind
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    target = tmp_path / "site"
    # offline: no build isolation (setuptools comes from the system), no index
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-index", "--no-deps", "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (target / "modelwatch" / "py.typed").exists()
    # the exporter's limits the client checks before sending ship with it
    assert (target / "modelwatch" / "limits.json").exists()
    # -I: isolated (no user site, no PYTHONPATH); numpy/pandas must not be imported by the package
    probe = (
        f"import sys; sys.path.insert(0, {str(target)!r}); import modelwatch; "
        "assert modelwatch.__file__.startswith(sys.path[0]), modelwatch.__file__; "
        "bad = [m for m in ('numpy', 'pandas') if m in sys.modules]; assert not bad, bad; "
        "print(modelwatch.__version__)"
    )
    out = subprocess.run([sys.executable, "-I", "-c", probe], check=True, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "0.1.0"


def test_python_version_floor_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.9"' in text
    assert "dependencies = []" in text


def test_the_package_type_checks_strictly_for_python_3_9():
    # py.typed promises users checked types; Debian's python3-mypy (installed by .ci/run) holds us to it
    if subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True).returncode != 0:
        pytest.skip("MYPY MISSING: apt-get install python3-mypy (.ci/run does) to type-check the client")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.9", "--no-incremental", "--cache-dir", os.devnull, str(ROOT / "src" / "modelwatch")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
