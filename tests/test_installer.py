"""The packaging scripts refer only to what the build produces, and never to the data folder."""

from __future__ import annotations

import re
from pathlib import Path

INSTALLER = Path(__file__).resolve().parent.parent / "installer"


def _programs() -> set[str]:
    spec = (INSTALLER / "cashier.spec").read_text(encoding="utf-8")
    return set(re.findall(r'program\(ours\[\d\], "([a-z-]+)"', spec))


def test_spec_builds_the_three_programs_from_existing_entry_scripts():
    assert _programs() == {"cashier", "cashier-admin", "cashier-upstream"}
    spec = (INSTALLER / "cashier.spec").read_text(encoding="utf-8")
    for script in re.findall(r'HERE / "([\w.-]+)"', spec):
        assert (INSTALLER / script).exists(), script


def test_inno_setup_installs_only_files_of_the_build_and_keeps_the_data():
    iss = (INSTALLER / "hall-cashier.iss").read_text(encoding="utf-8")
    sources = re.findall(r'^Source: "\.\.\\dist\\hall-cashier\\([^"]+)"', iss, re.M)
    assert sources, "no [Files] entries"
    for source in sources:
        name = source.split("\\")[0]
        assert name == "_internal" or name.removesuffix(".exe") in _programs(), source
    assert set(s.removesuffix(".exe") for s in sources if s.endswith(".exe")) == _programs()
    assert (INSTALLER / re.search(r"^SetupIconFile=(.+)$", iss, re.M).group(1)).exists()
    exe = re.search(r'#define MyAppExe "([^"]+)"', iss).group(1)
    assert exe.removesuffix(".exe") in _programs()
    directives = "\n".join(line for line in iss.splitlines() if not line.lstrip().startswith(";"))
    assert "[UninstallDelete]" not in directives and "localappdata" not in directives.lower()


def test_deb_wrappers_and_desktop_entry_name_built_programs():
    script = (INSTALLER / "build-deb.sh").read_text(encoding="utf-8")
    wrapped = set(re.search(r"for program in ([\w -]+); do", script).group(1).split())
    assert wrapped == _programs()
    assert "Exec=/opt/hall-cashier/cashier\n" in script
    assert "Depends:" in script and "fonts-wqy-microhei" in script


def test_deb_test_walks_the_technicians_whole_path():
    """test-deb.sh (CI, on the built package) takes each step of issue 17's path, with the installed programs
    for everything but what a person does in the counter's windows (installer/e2e_counter.py)."""
    script = (INSTALLER / "test-deb.sh").read_text(encoding="utf-8")
    for needed in ('apt-get install -y -q "./$DEB"', "cashier-upstream import-demo", "cashier-upstream serve",
                   "cashier-upstream enroll-code", "e2e_counter.py wizard",
                   'e2e_counter.py sign-in --data-dir "$DATA" --user banzhang',
                   "admin users add", "e2e_counter.py pay", "admin sync", "e2e_counter.py upstream-has",
                   "audit-verify --upstream", "admin backup", "restore \"$BACKUP\" --yes", "--reinstall",
                   "tests/data/schema_v1.db", "apt-get remove -y -q hall-cashier"):
        assert needed in script, needed
    import subprocess
    import sys

    steps = set(re.findall(r"\"\$PY\" installer/e2e_counter\.py ([a-z-]+)", script))
    assert steps == {"wizard", "sign-in", "pay", "upstream-has"}
    for step in steps:
        run = subprocess.run([sys.executable, str(INSTALLER / "e2e_counter.py"), step, "--help"],
                             capture_output=True, text=True)
        assert run.returncode == 0, (step, run.stderr)
