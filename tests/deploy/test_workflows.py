"""Every GitHub Actions workflow passes actionlint (with shellcheck on its scripts), and the
release pipeline has the shape docs/operations/release.md describes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import REPO, tool

WORKFLOWS = REPO / ".github" / "workflows"


def actionlint(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{Path(tool('shellcheck')).parent}:/usr/bin:/bin", "NO_COLOR": "1"}
    return subprocess.run([tool("actionlint"), "-no-color"], cwd=repo, env=env, capture_output=True, text=True)


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def test_every_workflow_passes_actionlint_and_shellcheck():
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml"))
    result = actionlint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path: Path):
    """The check can fail: a node20 action, an unknown expression and a shellcheck finding are reported."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for p in WORKFLOWS.glob("*.yml"):
        shutil.copy(p, tmp_path / ".github" / "workflows" / p.name)
    (tmp_path / ".github" / "workflows" / "broken.yml").write_text(
        "name: broken\n"
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.nope }}\n"
        "      - run: cd $HOME/some dir && ls\n"
    )
    result = actionlint(tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert 'runtime "node20" is deprecated' in out
    assert "github.nope" in out or "property \"nope\"" in out
    assert "shellcheck reported issue" in out
    assert "broken.yml" in out and "ci.yml" not in out


def test_no_action_runs_on_node20():
    """Only node24 majors of GitHub's own actions (node20 left GitHub's runners in September 2026)."""
    node24 = {"actions/checkout": 5, "actions/setup-node": 5, "actions/setup-python": 6, "actions/upload-artifact": 6}
    for p in WORKFLOWS.glob("*.yml"):
        for line in p.read_text().splitlines():
            line = line.strip().removeprefix("- ")
            if line.startswith("uses: actions/"):
                action, _, ref = line.removeprefix("uses: ").partition("@")
                assert action in node24, f"{p.name}: {action} is not checked here"
                assert int(ref.removeprefix("v").split(".")[0]) >= node24[action], f"{p.name}: {line}"


def test_staging_deploy_is_started_by_hand_and_production_on_a_release_tag():
    staging = load("backend-staging-deploy.yml")
    production = load("backend-production-deploy.yml")
    release = load("release.yml")
    # PyYAML reads the key `on` as True.
    assert set(staging[True]) == {"workflow_dispatch"}
    assert production[True]["push"] == {"tags": ["v*"]} and "workflow_dispatch" in production[True]
    assert release[True]["pull_request"]["types"] == ["closed"]
    assert "'release'" in release["jobs"]["tag"]["if"] and "merged == true" in release["jobs"]["tag"]["if"]
    for workflow, environment in ((staging, "staging"), (production, "production"), (release, "production")):
        job = workflow["jobs"]["deploy"]
        assert job["uses"] == "./.github/workflows/deploy-backend.yml"
        assert job["with"]["environment"] == environment
        assert job["secrets"] == "inherit"


def test_the_deploy_pushes_to_heroku_and_fails_unless_the_new_release_is_ready():
    deploy = load("deploy-backend.yml")
    steps = deploy["jobs"]["deploy"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "pnpm build" in runs
    assert 'git push --force "https://git.heroku.com/${HEROKU_APP_NAME}.git" "HEAD:refs/heads/main"' in runs
    # The API key never appears on a command line: it reaches git and curl through ~/.netrc.
    assert "heroku:${HEROKU_API_KEY}@" not in runs and "rm -f ~/.netrc" in runs
    assert "/releases" in runs and "failed" in runs
    last = [s for s in steps if "wait-ready.sh" in s.get("run", "")]
    assert last and last[0]["run"].startswith("bash scripts/wait-ready.sh")
    assert steps.index(last[0]) > max(i for i, s in enumerate(steps) if "git push" in s.get("run", ""))
