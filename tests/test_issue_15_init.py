"""Issue 15: `brief init`, `brief new`, `brief template copy`, the pre-commit hook and shell
completion. Every project made here is checked and built for real."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from briefwright import __version__
from briefwright.cli import cli
from briefwright.cli.init import SCHEMES as CLI_SCHEMES
from briefwright.markings import BUILTIN_SCHEMES
from briefwright.project import find_project
from briefwright.scaffold.config import DEFAULT_NOTES, config_text
from briefwright.scaffold.init import SCHEMES, project_files
from briefwright.spec.schema import Defaults
from briefwright.templates import find_template
from tests.helpers import (
    REPO,
    assert_no_crash,
    output_files,
    pdf_pages,
    run,
    squash,
    without_manifest,
)

BRIEF = Path(sys.executable).parent / "brief"
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "new.yaml").read_text(encoding="utf-8")
)
MADE = [
    "briefings/.gitkeep",
    "sources/.gitkeep",
    "templates/.gitkeep",
    "output/.gitkeep",
    "briefwright.toml",
    ".gitignore",
    ".github/workflows/briefs.yml",
    ".pre-commit-config.yaml",
]
EXAMPLE = ["sources/nato-peacekeeping.md", "briefings/example-brief.yaml"]


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert_no_crash(result)
    return result


def init(folder: Path, *options: str) -> Path:
    result = invoke("init", str(folder), *options)
    assert result.exit_code == 0, result.output
    return folder


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def lowest(scheme: str) -> str | None:
    return BUILTIN_SCHEMES[scheme].levels[0].banner if scheme != "none" else None


# --- brief init ------------------------------------------------------------------------------


def test_the_command_offers_every_scheme() -> None:
    assert CLI_SCHEMES == SCHEMES


@pytest.mark.parametrize("scheme", SCHEMES)
def test_init_without_example_checks_and_builds(scheme: str, tmp_path: Path) -> None:
    project = init(tmp_path / "new" / "project", "--scheme", scheme)  # made, parents too
    assert files_under(project) == sorted(MADE)
    check = run(project, "check")
    assert (check.exit_code, check.stdout, check.stderr) == (0, "0 briefing(s) OK\n", "")
    build = run(project, "build")
    assert build.exit_code == 0, build.output
    assert output_files(project) == []
    config = tomllib.loads((project / "briefwright.toml").read_text(encoding="utf-8"))
    assert config["markings"]["scheme"] == scheme


@pytest.mark.parametrize("scheme", SCHEMES)
def test_init_with_example_checks_and_builds(scheme: str, tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path), "--scheme", scheme, "--example")
    assert result.exit_code == 0, result.output
    for name in [*MADE, *EXAMPLE]:  # what it made, listed, then the next commands
        assert f"created {tmp_path / name}\n" in result.stdout
    assert "brief build" in result.stdout.split("Next:")[1]
    check = run(tmp_path, "check")
    assert (check.exit_code, check.stdout, check.stderr) == (0, "1 briefing(s) OK\n", "")
    build = run(tmp_path, "build")
    assert build.exit_code == 0, build.output
    assert "0 warning(s)" in build.stdout
    names = ["example-brief.docx", "example-brief.html", "example-brief.pdf"]
    assert output_files(tmp_path) == names
    pages = pdf_pages(tmp_path / "output" / "example-brief.pdf")
    text = squash("".join(pages))
    for heading in ("Bottomlineupfront", "Lessonsfrompastmissions", "Constraints", "KFOR"):
        assert heading in text
    banner = lowest(scheme)
    if banner is None:
        assert not any(
            level.banner in "".join(pages) for s in BUILTIN_SCHEMES.values() for level in s.levels
        )
    else:
        assert all(banner in page for page in pages)


@pytest.mark.parametrize("example", [False, True])
def test_the_next_commands_init_prints_work(example: bool, tmp_path: Path) -> None:
    """Run what `brief init` says to run next, as printed, in a shell."""
    options = ["--example"] if example else []
    made = subprocess.run(
        [BRIEF, "init", "my project", "--scheme", "nato", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    steps = [line.strip() for line in made.stdout.split("Next:\n")[1].splitlines()]
    assert steps[0] == "cd 'my project'"
    steps = [step for step in steps if "pre-commit" not in step]  # needs git and pre-commit
    env = {**os.environ, "PATH": f"{BRIEF.parent}{os.pathsep}{os.environ['PATH']}"}
    script = "\n".join(["set -e", *steps])  # one line each: their comments end there
    ran = subprocess.run(
        ["sh", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "0 briefing(s) failed; 0 warning(s)" in ran.stdout
    pdfs = sorted(p.name for p in (tmp_path / "my project" / "output").glob("*.pdf"))
    assert pdfs == (["example-brief.pdf"] if example else ["my-brief.pdf"])


def test_init_refuses_every_existing_file_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "briefwright.toml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "nato-peacekeeping.md").write_text("## Mine\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = invoke("init", str(tmp_path), "--example")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {tmp_path}/briefwright.toml: already exists\n"
        f"error: {tmp_path}/.gitignore: already exists\n"
        f"error: {tmp_path}/sources/nato-peacekeeping.md: already exists\n"
        "error: brief init wrote nothing: 3 file(s) exist; move or delete these, or choose "
        "another name or folder\n"
    )
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".gitignore",
        "briefwright.toml",
        "sources",
    ]


def test_init_refuses_a_file_where_a_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "briefings").write_text("not a folder\n", encoding="utf-8")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path}/briefings: already exists\n")
    assert files_under(tmp_path) == ["briefings"]


def test_init_in_the_current_folder_by_default(tmp_path: Path) -> None:
    result = subprocess.run(
        [BRIEF, "init", "--example"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "created briefwright.toml\n" in result.stdout
    assert "cd " not in result.stdout
    assert files_under(tmp_path) == sorted([*MADE, *EXAMPLE])


def test_output_is_ignored_by_git_and_kept_as_a_folder(tmp_path: Path) -> None:
    project = init(tmp_path, "--example")
    assert run(project, "build").exit_code == 0
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    staged = subprocess.run(
        ["git", "diff", "--cached", "--name-only"], cwd=project, capture_output=True, text=True
    ).stdout.split()
    assert sorted(staged) == sorted([*MADE, *EXAMPLE])  # output/ only by its .gitkeep


def test_config_describes_every_default() -> None:
    names = [f.name for f in dataclasses.fields(Defaults)]
    assert list(DEFAULT_NOTES) == names
    for scheme in SCHEMES:
        text = config_text(scheme)
        config = tomllib.loads(text)
        for name in names:
            value = getattr(Defaults(), name)
            if value is None:
                assert re.search(rf"^# {name} =", text, re.M), name
                assert name not in config["defaults"]
            else:
                assert config["defaults"][name] == value, name
        assert config["markings"].get("default") == lowest(scheme)


def test_the_example_source_is_the_repositorys_own_material() -> None:
    example = next(f for f in project_files("none", True) if f.path.name.endswith(".md"))
    text = example.content.decode("utf-8")
    own = (REPO / "sources" / "nato-peacekeeping.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2].strip()
    chunks = re.split(r"\n(?=## )", body)
    assert len(chunks) == 3  # the introduction and two sections
    for chunk in chunks:
        assert chunk in own


def test_the_workflow_checks_builds_and_keeps_outputs_and_thumbnails(tmp_path: Path) -> None:
    project = init(tmp_path)
    workflow = yaml.safe_load((project / ".github/workflows/briefs.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert f'pip install "briefwright=={__version__}"' in runs
    assert "brief build --thumbnails --report output/report.json" in runs  # the uploaded sheets
    assert runs.index("brief check --locked") < next(
        i for i, r in enumerate(runs) if r.startswith("brief build")
    )
    upload = next(
        step for step in steps if step.get("uses", "").startswith("actions/upload-artifact")
    )
    assert upload["if"] == "always()"
    paths = upload["with"]["path"].split()
    for pattern in ("output/*.pdf", "output/*.docx", "output/*.html", "output/*.pages.png"):
        assert pattern in paths
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    # and GitHub's own schema for workflow files accepts it (check-jsonschema ships it)
    command: list[str | Path] = [BRIEF.parent / "check-jsonschema", "--builtin-schema"]
    command.append("vendor.github-workflows")
    schema = subprocess.run(
        [*command, project / ".github/workflows/briefs.yml"], capture_output=True, text=True
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


# --- pre-commit ----------------------------------------------------------------------------------

HOOK_FILES = [
    "briefings/a.yaml",
    "sources/x.md",
    "sources/sub/y.md",
    "templates/t/style.css",
    "briefwright.toml",
]
OTHER_FILES = [
    "README.md",
    "output/a.pdf",
    "docs/briefwright.toml",
    "briefwright.toml.bak",
    "src/briefings/a.yaml",
]


def test_the_repository_offers_brief_check_as_a_pre_commit_hook(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "brief-check"
    assert hook["entry"] == "brief check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    project = init(tmp_path)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = config["repos"][0]["hooks"]
    assert local["id"] == hook["id"] and local["entry"] == hook["entry"]
    assert local["files"] == hook["files"] and local["pass_filenames"] is False
    pre_commit = BRIEF.parent / "pre-commit"  # and pre-commit's own validation accepts both
    for what, path in (
        ("manifest", REPO / ".pre-commit-hooks.yaml"),
        ("config", project / ".pre-commit-config.yaml"),
    ):
        valid = subprocess.run(
            [pre_commit, f"validate-{what}", path], capture_output=True, text=True
        )
        assert valid.returncode == 0, valid.stdout + valid.stderr
    pattern = re.compile(hook["files"])
    assert [f for f in HOOK_FILES if pattern.search(f)] == HOOK_FILES
    assert [f for f in OTHER_FILES if pattern.search(f)] == []


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def pre_commit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pre-commit as a person runs it, with the `brief` of this environment on PATH."""
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "PATH": f"{BRIEF.parent}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
    }
    command: list[str | Path] = [BRIEF.parent / "pre-commit", *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_the_pre_commit_configuration_runs_brief_check(tmp_path: Path) -> None:
    project = init(tmp_path / "project", "--example")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    passed = pre_commit(project, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^brief check\.+Passed$", passed.stdout, re.M)
    git_env = {**os.environ, **GIT_IDENTITY}
    subprocess.run(["git", "commit", "-qm", "new project"], cwd=project, env=git_env, check=True)
    briefing = project / "briefings" / "example-brief.yaml"
    briefing.write_text(briefing.read_text("utf-8").replace("#notable-", "#notable-x"), "utf-8")
    (project / "notes.txt").write_text("not a project file\n", encoding="utf-8")
    subprocess.run(["git", "add", "notes.txt"], cwd=project, check=True)
    skipped = pre_commit(project, "run")  # only notes.txt is staged: nothing to check
    assert re.search(r"^brief check\.+\(no files to check\)Skipped$", skipped.stdout, re.M), (
        skipped.stdout
    )
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    failed = pre_commit(project, "run")
    assert failed.returncode == 1
    assert re.search(r"^brief check\.+Failed$", failed.stdout, re.M)
    assert "error: briefings/example-brief.yaml:13: no section 'notable-xnato-" in failed.stdout


# --- brief new -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_new_transcript(case: dict[str, Any], tmp_path: Path) -> None:
    project = init(tmp_path, "--example", "--scheme", case["scheme"])
    for name, content in case.get("files", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(content, encoding="utf-8")
    before = files_under(project)
    result = run(project, *case["args"])
    assert_no_crash(result)
    assert result.exit_code == case["exit"], result.output
    if "stderr" in case:
        assert result.stderr == case["stderr"]
    if "stderr_contains" in case:
        assert case["stderr_contains"] in result.stderr
    if case["exit"] != 0:
        assert files_under(project) == before
        assert not (project / case.get("absent", "missing")).exists()
        return
    assert result.stdout.startswith(f"created {case['file']}\n")
    text = (project / case["file"]).read_text(encoding="utf-8")
    for wanted in case.get("contains", []):
        assert wanted in text
    for unwanted in case.get("lacks", []):
        assert unwanted not in text
    if case.get("check"):
        check = run(project, "check")
        assert check.exit_code == 0, check.output
        assert "error" not in check.stderr


def test_a_new_briefing_builds(tmp_path: Path) -> None:
    project = init(tmp_path, "--example", "--scheme", "tlp")
    assert run(project, "new", "source", "notes").exit_code == 0
    result = run(
        project,
        "new",
        "briefing",
        "weekly",
        "--from",
        "notes#summary",
        "--from",
        "nato-peacekeeping#notable-nato-peacekeeping-missions-and-cases",
    )
    assert result.exit_code == 0, result.output
    build = run(project, "build", "weekly", "--strict")
    assert build.exit_code == 0, build.output
    text = squash("".join(pdf_pages(project / "output" / "weekly.pdf")))
    for wanted in ("Weekly", "Bottomlineupfront", "Summary", "Writethesource", "KosovoForce"):
        assert wanted in text


# --- brief template copy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "as_name"), [("briefing", None), ("memo", "agency"), ("briefing", "house")]
)
def test_a_copied_template_builds_the_same_and_is_self_contained(
    name: str, as_name: str | None, tmp_path: Path
) -> None:
    builtin = init(tmp_path / "builtin", "--example", "--scheme", "tlp")
    briefing = builtin / "briefings" / "example-brief.yaml"
    briefing.write_text(f"template: {name}\n" + briefing.read_text("utf-8"), encoding="utf-8")
    copied = tmp_path / "copied"
    shutil.copytree(builtin, copied)
    result = run(copied, "template", "copy", name, *([as_name] if as_name else []))
    assert result.exit_code == 0, result.output
    target = as_name or name
    folder = copied / "templates" / target
    shipped = {p.name for p in (REPO / "src/briefwright/templates").glob(f"{name}/*")}
    shared = {p.name for p in (REPO / "src/briefwright/templates/_shared").iterdir()}
    assert {p.name for p in folder.iterdir()} == shipped | shared
    if as_name:
        copy_briefing = copied / "briefings" / "example-brief.yaml"
        text = copy_briefing.read_text("utf-8").replace(f"template: {name}", f"template: {as_name}")
        copy_briefing.write_text(text, encoding="utf-8")
    # everything the copy is made of is its own: stylesheets, Jinja files, reference.docx
    template = find_template(find_project(copied), target)
    assert template.info.replace and template.info.name == target
    for path in [*template.stylesheets(), *(template.file(f) for f in sorted(shipped | shared))]:
        assert path.parent == folder.resolve(), path
    for project in (builtin, copied):
        assert run(project, "build", "--format", "pdf").exit_code == 0
    pdfs = [p / "output" / "example-brief.pdf" for p in (builtin, copied)]
    assert pdf_pages(pdfs[0]) == pdf_pages(pdfs[1])
    # the same pages; the provenance manifests differ, naming each one's template files
    assert without_manifest("pdf", pdfs[0].read_bytes()) == without_manifest(
        "pdf", pdfs[1].read_bytes()
    )


def test_a_copied_template_is_the_one_used(tmp_path: Path) -> None:
    project = init(tmp_path, "--example")
    assert run(project, "template", "copy", "briefing").exit_code == 0
    base = project / "templates" / "briefing" / "base.css"
    base.write_text(base.read_text("utf-8").replace("--accent: #1f3a5f", "--accent: #7a1010"))
    assert run(project, "build", "--format", "html").exit_code == 0
    html = (project / "output" / "example-brief.html").read_text("utf-8")
    assert "--accent: #7a1010" in html and "#1f3a5f" not in html  # the built-in one is gone


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (
            ["briefng"],
            2,
            "error: no built-in template 'briefng'; did you mean 'briefing'? "
            "(built in: briefing, memo)\n",
        ),
        (["_shared"], 2, "error: no built-in template '_shared' (built in: briefing, memo)\n"),
        (
            ["memo", "../x"],
            2,
            "error: template name '../x' must be letters, digits, '-' and '_', "
            "starting with a letter or digit, e.g. weekly-update\n",
        ),
    ],
)
def test_template_copy_refuses(args: list[str], code: int, stderr: str, tmp_path: Path) -> None:
    project = init(tmp_path)
    result = run(project, "template", "copy", *args)
    assert (result.exit_code, result.stderr) == (code, stderr)
    assert files_under(project / "templates") == [".gitkeep"]


def test_template_copy_never_writes_over(tmp_path: Path) -> None:
    project = init(tmp_path)
    own = project / "templates" / "memo" / "style.css"
    own.parent.mkdir()
    own.write_text(".title { color: red }\n", encoding="utf-8")
    result = run(project, "template", "copy", "memo")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: templates/memo/style.css: already exists\n")
    assert files_under(project / "templates") == [".gitkeep", "memo/style.css"]


# --- shell completion ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F"),
        ("zsh", "#compdef brief"),
        ("fish", "complete --no-files --command brief"),
    ],
)
def test_completion_script_for_each_shell(shell: str, marker: str) -> None:
    env = {**os.environ, "_BRIEF_COMPLETE": f"{shell}_source"}
    result = subprocess.run([BRIEF], env=env, capture_output=True, text=True)
    assert result.returncode == 0
    assert marker in result.stdout
    assert "_BRIEF_COMPLETE" in result.stdout


def complete(shell: str, words: str, cwd: Path | None = None) -> list[str]:
    """What `brief` offers for the last of `words`, as the shell's script asks (Click's
    protocol: COMP_WORDS and COMP_CWORD; fish passes the word being completed)."""
    parts = words.split(" ")
    cword = parts[-1] if shell == "fish" else str(len(parts) - 1)
    env = {
        **os.environ,
        "_BRIEF_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
    }
    result = subprocess.run([BRIEF], env=env, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if shell == "zsh":  # type, value, help: three lines each
        lines = result.stdout.splitlines()
        return [lines[i + 1] for i in range(0, len(lines), 3)]
    lines = [line for line in result.stdout.splitlines() if line]
    return [line.split(",", 1)[1].split("\t")[0] for line in lines]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completing_a_command(shell: str) -> None:
    assert complete(shell, "brief b") == ["build"]
    assert complete(shell, "brief template c") == ["copy"]
    assert complete(shell, "brief template copy m") == ["memo"]


def test_completing_briefing_and_template_names(tmp_path: Path) -> None:
    project = init(tmp_path, "--example")
    (project / "briefings" / "exec.yaml").write_text("title: x\n", encoding="utf-8")
    (project / "templates" / "house").mkdir()
    assert complete("bash", "brief build ex", project) == ["example-brief", "exec"]
    assert complete("bash", "brief check exa", project / "sources") == ["example-brief"]
    assert complete("bash", "brief new briefing x --template ", project) == [
        "briefing",
        "house",
        "memo",
    ]
    assert complete("bash", "brief build ex", tmp_path.parent) == []  # no project: nothing


# --- the README ----------------------------------------------------------------------------------


def test_the_readme_commands_for_a_new_project_work(tmp_path: Path) -> None:
    """The first block under "## Starting a project", run as printed, line by line."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Starting a project") :]
    found = re.search(r"```\n(.*?)```", section, re.S)
    assert found is not None
    script = "set -e\n" + found.group(1)
    env = {**os.environ, "PATH": f"{BRIEF.parent}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(
        ["sh", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    project = tmp_path / "my-briefs"
    assert (project / "templates" / "house" / "template.toml").is_file()
    check = run(project, "check")
    assert (check.exit_code, check.stdout) == (0, "2 briefing(s) OK\n"), check.output
