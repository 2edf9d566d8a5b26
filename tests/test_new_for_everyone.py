"""``new`` for everyone: names in any script, the folder a fresh clone leaves, and clean output."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from sphinx_refinery.commands import template
from sphinx_refinery.commands.cli import main
from sphinx_refinery.commands.output import CommandError
from tests.test_new import copier, files  # noqa: F401 (a fixture)


def answers(folder):
    return yaml.safe_load((folder / ".copier-answers.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "title", "short"),
    [
        ("äidinkieli-ja-kirjallisuus", "Äidinkieli ja kirjallisuus", "aidinkieli-ja-kirjallisuus"),
        ("データ", "データ", "lesson"),
        ("Ökonomie_für_alle", "Ökonomie für alle", "okonomie-fur-alle"),
    ],
)
def test_the_title_keeps_the_letters_of_the_name(copier, tmp_path, name, title, short):  # noqa: F811
    assert main(["new", str(tmp_path / name), "--no-input"]) == 0
    recorded = answers(tmp_path / name)
    assert recorded["title"] == title and recorded["short_name"] == short


def test_a_folder_holding_only_git_and_ds_store_is_used(copier, tmp_path, capsys):  # noqa: F811
    folder = tmp_path / "lesson"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    assert main(["new", str(folder), "--no-input"]) == 0
    assert "conf.py" in " ".join(files(folder))
    assert (folder / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    out = capsys.readouterr().out
    assert "git init" not in out and "git add . && git commit" in out


def test_output_is_clean_and_its_next_steps_work_here(copier, tmp_path):  # noqa: F811
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", "new", str(tmp_path / "git-intro"), "--no-input"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    both = done.stdout + done.stderr
    assert "\x1b" not in both and "Copying from template" not in both and "None" not in both
    assert "" not in done.stdout.rstrip("\n").split("\n")  # no blank lines
    from sphinx_refinery import __version__

    if template.upstream_ref(__version__) is None:
        assert "development version" in done.stdout
        assert "pip install -r requirements.txt\n" not in done.stdout


def test_os_errors_are_told_without_errno():
    def read_only(**_kwargs):
        raise OSError(30, "Read-only file system", "lesson/conf.py")

    with pytest.raises(CommandError) as caught:
        template.call_copier(read_only)
    assert str(caught.value) == "Read-only file system: lesson/conf.py"
