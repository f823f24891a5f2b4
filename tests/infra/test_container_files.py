"""The container files' invariants, checked statically (no Docker engine here):
the image is multi-stage with no build tools in its final stage, runs as a user
other than root, checks its health and collects static files; compose migrates
once before web and worker start; every variable is documented."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from infra import render_nginx

INFRA = Path(__file__).resolve().parents[2] / "infra"
BUILD_TOOLS = re.compile(r"\b(build-essential|gcc|g\+\+|make|clang|[a-z0-9.+-]+-dev)\b")


@dataclass
class Stage:
    image: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def of(self, keyword: str) -> list[str]:
        return [argument for word, argument in self.instructions if word == keyword]


def dockerfile_stages() -> list[Stage]:
    text = (INFRA / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, argument = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            image, *alias = argument.split()
            stages.append(Stage(image=image, name=alias[-1] if alias else ""))
        elif stages:
            stages[-1].instructions.append((keyword, " ".join(argument.split())))
    return stages


def test_the_image_is_built_in_stages():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    assert len({stage.name for stage in stages}) == len(stages)


def test_base_images_name_a_version_not_latest():
    for stage in dockerfile_stages():
        _repository, _, tag = stage.image.partition(":")
        assert tag and tag != "latest", stage.image


def test_build_tools_stay_in_the_builder_stage():
    builder, *_, final = dockerfile_stages()
    assert any(BUILD_TOOLS.search(run) for run in builder.of("RUN"))
    assert not any(BUILD_TOOLS.search(run) for run in final.of("RUN") if "apt-get" in run)
    assert not any("apt-get install" in run or "apk add" in run for run in final.of("RUN"))
    assert any(copy.startswith("--from=builder /opt/venv") for copy in final.of("COPY"))


def test_the_final_stage_runs_as_a_user_other_than_root():
    final = dockerfile_stages()[-1]
    users = final.of("USER")
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # The user exists in the image it runs in.
    assert any(f"--uid {user}" in run for run in final.of("RUN"))


def test_the_image_checks_its_health_on_healthz():
    final = dockerfile_stages()[-1]
    (healthcheck,) = final.of("HEALTHCHECK")
    assert '"/app/infra/entrypoint.py", "healthcheck"' in healthcheck


def test_the_image_starts_the_entrypoint_with_web_by_default():
    final = dockerfile_stages()[-1]
    assert final.of("ENTRYPOINT") == ['["python", "/app/infra/entrypoint.py"]']
    assert final.of("CMD") == ['["web"]']
    assert final.of("EXPOSE") == ["8000"]


def test_static_files_are_collected_at_build_time():
    final = dockerfile_stages()[-1]
    assert any("entrypoint.py collectstatic" in run for run in final.of("RUN"))


def test_nothing_is_fetched_with_add_and_apt_is_kept_lean():
    for stage in dockerfile_stages():
        assert stage.of("ADD") == []
        for run in stage.of("RUN"):
            if "apt-get install" in run:
                assert "--no-install-recommends" in run
                assert "rm -rf /var/lib/apt/lists/*" in run
                assert "apt-get update" in run  # never cached apart from the install


def test_the_build_context_is_an_allow_list_without_secrets_or_local_state():
    patterns = [
        line.strip()
        for line in (INFRA / "Dockerfile.dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "**"
    included = {pattern[1:] for pattern in patterns if pattern.startswith("!")}
    for needed in ("manage.py", "pyproject.toml", "platform", "tenants", "modules", "billing"):
        assert needed in included
    assert "infra/entrypoint.py" in included
    for never in ("var", ".venv", ".git", "tests", "infra"):
        assert not any(path == never or path.startswith(f"{never}/**") for path in included)
    assert "**/.env" in patterns


# --- compose ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read infra/compose.yaml")
    return yaml.safe_load((INFRA / "compose.yaml").read_text())


def test_compose_runs_the_whole_stack(compose):
    assert set(compose["services"]) == {
        "postgres",
        "redis",
        "migrate",
        "web",
        "worker",
        "beat",
        "nginx",
    }


def test_migrations_run_once_before_web_worker_and_beat_start(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_web_scales_out_and_beat_stays_single(compose):
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == "${WEB_REPLICAS:-2}"
    assert services["beat"]["deploy"]["replicas"] == 1


def test_only_nginx_is_reachable_from_outside(compose):
    published = {name for name, service in compose["services"].items() if "ports" in service}
    assert published == {"nginx"}
    assert compose["services"]["nginx"]["ports"] == ["80:80", "443:443"]


def test_compose_images_name_a_version_not_latest(compose):
    for name, service in compose["services"].items():
        image = service["image"]
        if image.startswith("${"):
            continue  # the app's own image, built here
        assert ":" in image and not image.endswith(":latest"), name


def test_app_containers_run_locked_down(compose):
    for name in ("migrate", "web", "worker", "beat"):
        service = compose["services"][name]
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "user" not in service  # the image's own, not root


def test_nginx_gets_exactly_the_templates_variables(compose):
    nginx = compose["services"]["nginx"]
    environment = nginx["environment"]
    assert set(render_nginx.VARIABLES) <= set(environment)
    # The image substitutes only names matching the filter: exactly the template's.
    pattern = re.compile(environment["NGINX_ENVSUBST_FILTER"].replace("$$", "$"))
    matching = {name for name in environment if pattern.search(name)}
    assert matching == set(render_nginx.VARIABLES)
    assert "./nginx:/etc/nginx/templates:ro" in nginx["volumes"]
    assert (INFRA / "nginx" / "sukowati.conf.template").is_file()


# --- every variable documented -------------------------------------------------------------


def documented_variables() -> set[str]:
    text = (INFRA / "env.example").read_text()
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_env_example_documents_every_variable_the_containers_read():
    entrypoint = (INFRA / "entrypoint.py").read_text()
    read = set(re.findall(r'(?:_int|_str)\(env, "([A-Z0-9_]+)"', entrypoint))
    read |= set(re.findall(r'env_(?:int|bool|url|str)\(\s*"([A-Z0-9_]+)"', entrypoint))
    settings = INFRA.parent / "platform" / "config" / "settings"
    for path in settings.glob("*.py"):
        read |= set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', path.read_text()))
    compose = (INFRA / "compose.yaml").read_text()
    read |= set(re.findall(r"\$\{([A-Z0-9_]+)", compose)) - set(render_nginx.VARIABLES)
    assert "WEB_CONCURRENCY" in read and "SUKOWATI_ROOT_DOMAIN" in read
    assert sorted(read - documented_variables()) == []
