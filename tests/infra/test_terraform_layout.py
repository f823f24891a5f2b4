"""Structural invariants of terraform/, read as text (no terraform binary, no
providers and no HCL library here): Jakarta only, an encrypted Multi-AZ database
in production, private versioned buckets, exactly one beat, no transaction
pooler, a wildcard certificate, and a reason beside every accepted finding."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
MODULES = TERRAFORM / "modules"
ENVIRONMENTS = ("staging", "production")
JAKARTA = "ap-southeast-3"


# --- a small HCL reader -----------------------------------------------------------
# Enough HCL for these checks: comments, strings with ${...} interpolation, and
# nested blocks. Heredocs are not used in terraform/ and not supported here.


def strip_comments(text: str) -> str:
    """Blank out comments, keeping strings (a '#' inside a string is not one)."""
    out: list[str] = []
    i, n = 0, len(text)
    stack: list[str] = ["code"]
    while i < n:
        char, pair = text[i], text[i : i + 2]
        top = stack[-1]
        if top == "string":
            if char == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            if pair == "${":
                stack.append("interpolation")
                out.append(pair)
                i += 2
                continue
            if char == '"':
                stack.pop()
            out.append(char)
            i += 1
            continue
        if char == "#" or pair == "//":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if pair == "/*":
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
            continue
        if char == '"':
            stack.append("string")
        elif char == "{":
            stack.append("brace")
        elif char == "}" and len(stack) > 1:
            stack.pop()
        out.append(char)
        i += 1
    return "".join(out)


def matching_brace(text: str, open_index: int) -> int:
    """Index of the '}' closing the '{' at open_index (comments already stripped)."""
    stack: list[str] = []
    i = open_index
    while i < len(text):
        char, pair = text[i], text[i : i + 2]
        top = stack[-1] if stack else None
        if top == "string":
            if char == "\\":
                i += 2
                continue
            if pair == "${":
                stack.append("interpolation")
                i += 2
                continue
            if char == '"':
                stack.pop()
        elif char == '"':
            stack.append("string")
        elif char == "{":
            stack.append("brace")
        elif char == "}":
            stack.pop()
            if not stack:
                return i
        i += 1
    raise ValueError("unbalanced braces")


@dataclass
class Block:
    kind: str
    labels: tuple[str, ...]
    body: str
    path: Path

    def top_level(self) -> str:
        """The body without its nested blocks, so attributes of a nested block
        are never mistaken for the block's own."""
        out: list[str] = []
        i = 0
        while i < len(self.body):
            match = re.compile(r"^[ \t]*[A-Za-z_][\w-]*(?:[ \t]+\"[^\"]*\")*[ \t]*\{", re.M).search(
                self.body, i
            )
            if match is None:
                out.append(self.body[i:])
                break
            out.append(self.body[i : match.start()])
            i = matching_brace(self.body, match.end() - 1) + 1
        return "".join(out)

    def attribute(self, name: str) -> str | None:
        match = re.search(
            rf"^[ \t]*{re.escape(name)}[ \t]*=[ \t]*(.+?)[ \t]*$", self.top_level(), re.M
        )
        return match.group(1) if match else None

    def nested(self, kind: str) -> list["Block"]:
        return blocks_in(self.body, self.path, kind)


def blocks_in(text: str, path: Path, kind: str) -> list[Block]:
    found = []
    pattern = re.compile(rf"^[ \t]*{re.escape(kind)}((?:[ \t]+\"[^\"]*\")*)[ \t]*\{{", re.M)
    for match in pattern.finditer(text):
        close = matching_brace(text, match.end() - 1)
        labels = tuple(re.findall(r"\"([^\"]*)\"", match.group(1)))
        found.append(Block(kind, labels, text[match.end() : close], path))
    return found


def blocks(directory: Path, kind: str, *labels: str) -> list[Block]:
    """Top-level blocks of one kind (resource, module, variable, ...) in a folder's
    .tf files, optionally filtered by their leading labels."""
    found = []
    for path in sorted(directory.glob("*.tf")):
        text = strip_comments(path.read_text())
        for block in blocks_in(text, path, kind):
            if block.labels[: len(labels)] == labels:
                found.append(block)
    return found


def one(directory: Path, kind: str, *labels: str) -> Block:
    found = blocks(directory, kind, *labels)
    assert len(found) == 1, f"expected one {kind} {labels} in {directory}, found {len(found)}"
    return found[0]


def unquote(value: str | None) -> str | None:
    return value[1:-1] if value and value.startswith('"') and value.endswith('"') else value


def variable_default(directory: Path, name: str) -> str | None:
    return one(directory, "variable", name).attribute("default")


def all_tf_directories() -> list[Path]:
    return sorted(
        {path.parent for path in TERRAFORM.rglob("*.tf") if ".terraform" not in path.parts}
    )


def environment(name: str) -> Path:
    return TERRAFORM / "environments" / name


# --- the reader itself ----------------------------------------------------------------


def test_the_reader_separates_a_blocks_own_attributes_from_nested_ones():
    text = strip_comments(
        'resource "aws_x" "y" {\n'
        '  name = "a#b-${var.z}" # trailing comment\n'
        '  inner {\n    name = "nested"\n  }\n'
        '  other = "${format("%s", "}")}"\n'
        "}\n"
    )
    (block,) = blocks_in(text, Path("x.tf"), "resource")
    assert block.labels == ("aws_x", "y")
    assert block.attribute("name") == '"a#b-${var.z}"'
    assert block.attribute("other") == '"${format("%s", "}")}"'
    assert block.nested("inner")[0].attribute("name") == '"nested"'


# --- region -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_every_environment_runs_in_jakarta_only(name: str):
    directory = environment(name)
    region = one(directory, "variable", "region")
    assert unquote(region.attribute("default")) == JAKARTA
    (validation,) = region.nested("validation")
    assert re.fullmatch(rf'var\.region\s*==\s*"{JAKARTA}"', validation.attribute("condition") or "")

    provider = one(directory, "provider", "aws")
    assert provider.attribute("region") == "var.region"

    backend_example = (directory / "backend.hcl.example").read_text()
    assert re.search(rf'^region\s*=\s*"{JAKARTA}"\s*$', backend_example, re.M)
    backends = [b for t in blocks(directory, "terraform") for b in t.nested("backend")]
    assert [backend.labels for backend in backends] == [("s3",)]
    assert re.search(r"^dynamodb_table\s*=", backend_example, re.M), "state locking"


def test_no_other_aws_region_is_named_anywhere():
    region = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:gov-)?[a-z]+-\d\b")
    others = {
        (path.relative_to(TERRAFORM).as_posix(), found)
        for path in TERRAFORM.rglob("*")
        if path.is_file() and ".terraform" not in path.parts
        for found in region.findall(path.read_text())
        if found != JAKARTA
    }
    assert others == set()


# --- database -----------------------------------------------------------------------------


def test_the_database_is_encrypted_private_backed_up_and_protected():
    instance = one(MODULES / "database", "resource", "aws_db_instance")
    assert instance.attribute("storage_encrypted") == "true"
    assert instance.attribute("kms_key_id") == "var.kms_key_arn"
    assert instance.attribute("publicly_accessible") == "false"
    assert instance.attribute("multi_az") == "var.multi_az"
    assert instance.attribute("deletion_protection") == "var.deletion_protection"
    assert instance.attribute("backup_retention_period") == "var.backup_retention_days"
    assert instance.attribute("performance_insights_enabled") == "true"
    assert instance.attribute("monitoring_role_arn"), "enhanced monitoring"
    assert instance.attribute("parameter_group_name") == "aws_db_parameter_group.this.name"
    assert instance.attribute("engine_version") == "var.engine_version"
    assert unquote(variable_default(MODULES / "database", "engine_version")) == "16"


def test_production_runs_the_database_multi_az_with_deletion_protection():
    production = environment("production")
    database = one(production, "module", "database")
    assert database.attribute("multi_az") == "var.db_multi_az"
    assert variable_default(production, "db_multi_az") == "true"
    assert database.attribute("deletion_protection") == "var.db_deletion_protection"
    assert variable_default(production, "db_deletion_protection") == "true"
    assert database.attribute("skip_final_snapshot") == "false"
    assert int(variable_default(production, "db_backup_retention_days") or 0) >= 14


# --- buckets -----------------------------------------------------------------------------


def bucket_resources() -> list[Block]:
    found = []
    for directory in all_tf_directories():
        found += blocks(directory, "resource", "aws_s3_bucket")
    return found


def companion(bucket: Block, resource_type: str) -> Block:
    """The resource of `resource_type` configuring `bucket`: same folder, and its
    `bucket` argument points at that bucket resource (and at every instance of a
    for_each bucket)."""
    name = bucket.labels[1]
    reference = re.compile(rf"^aws_s3_bucket\.{re.escape(name)}(\[each\.key\])?\.(id|bucket)$")
    matches = [
        block
        for block in blocks(bucket.path.parent, "resource", resource_type)
        if reference.match(block.attribute("bucket") or "")
        and (block.attribute("for_each") == bucket.attribute("for_each"))
    ]
    assert len(matches) == 1, f"{resource_type} for aws_s3_bucket.{name}: found {len(matches)}"
    return matches[0]


def test_there_are_files_exports_and_log_buckets():
    storage = (MODULES / "storage" / "main.tf").read_text()
    assert re.search(r"^\s*files\s*=\s*\{", storage, re.M)
    assert re.search(r"^\s*exports\s*=\s*\{", storage, re.M)
    assert len(bucket_resources()) >= 2


def test_every_bucket_blocks_public_access():
    for bucket in bucket_resources():
        block = companion(bucket, "aws_s3_bucket_public_access_block")
        for flag in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ):
            assert block.attribute(flag) == "true", (bucket.labels, flag)


def test_every_bucket_is_versioned_encrypted_and_tls_only():
    for bucket in bucket_resources():
        versioning = companion(bucket, "aws_s3_bucket_versioning")
        assert (
            unquote(versioning.nested("versioning_configuration")[0].attribute("status"))
            == "Enabled"
        )

        encryption = companion(bucket, "aws_s3_bucket_server_side_encryption_configuration")
        (default,) = encryption.nested("rule")[0].nested("apply_server_side_encryption_by_default")
        assert unquote(default.attribute("sse_algorithm")) in {"aws:kms", "AES256"}

        policy = companion(bucket, "aws_s3_bucket_policy")
        document = policy.attribute("policy") or ""
        policy_name = re.match(r"data\.aws_iam_policy_document\.(\w+)", document)
        assert policy_name, bucket.labels
        (statements,) = [
            block.body
            for block in blocks(
                bucket.path.parent, "data", "aws_iam_policy_document", policy_name.group(1)
            )
        ]
        assert "aws:SecureTransport" in statements and '"Deny"' in statements


def test_tenant_buckets_use_kms_and_have_lifecycle_rules():
    storage = MODULES / "storage"
    encryption = one(
        storage, "resource", "aws_s3_bucket_server_side_encryption_configuration", "this"
    )
    (default,) = encryption.nested("rule")[0].nested("apply_server_side_encryption_by_default")
    assert unquote(default.attribute("sse_algorithm")) == "aws:kms"
    for name in ("files", "exports"):
        lifecycle = one(storage, "resource", "aws_s3_bucket_lifecycle_configuration", name)
        assert lifecycle.nested("noncurrent_version_expiration"), name
        assert lifecycle.nested("abort_incomplete_multipart_upload"), name


# --- services ------------------------------------------------------------------------------


def test_beat_runs_exactly_one_task_and_never_two_during_a_deployment():
    beat = one(MODULES / "app", "module", "beat")
    assert beat.attribute("desired_count") == "1"
    assert beat.attribute("deployment_maximum_percent") == "100"
    assert beat.attribute("deployment_minimum_healthy_percent") == "0"
    assert beat.attribute("autoscaling") == "null"
    assert beat.attribute("run_as_service") in {None, "true"}

    service = one(MODULES / "ecs_service", "resource", "aws_ecs_service", "this")
    assert service.attribute("desired_count") == "var.desired_count"
    assert service.attribute("deployment_maximum_percent") == "var.deployment_maximum_percent"

    # Nobody can configure beat's count: its size variable has cpu and memory only.
    for directory in (MODULES / "app", environment("staging"), environment("production")):
        beat_type = one(directory, "variable", "beat").attribute("type") or ""
        beat_fields = set(re.findall(r"(\w+)\s*=", one(directory, "variable", "beat").body))
        assert "count" not in beat_type and beat_fields <= {
            "description",
            "type",
            "default",
            "cpu",
            "memory",
        }


def test_web_and_worker_autoscale_and_web_sits_behind_the_load_balancer():
    app = MODULES / "app"
    web, worker = one(app, "module", "web"), one(app, "module", "worker")
    assert web.attribute("target_group_arn") == "var.target_group_arn"
    assert "request_count_per_target" in web.body and "cpu_target_percent" in web.body
    assert "cpu_target_percent" in worker.body
    policies = blocks(MODULES / "ecs_service", "resource", "aws_appautoscaling_policy")
    metrics = {
        m for p in policies for m in re.findall(r'predefined_metric_type\s*=\s*"(\w+)"', p.body)
    }
    assert metrics == {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}


def test_ecs_exec_is_off_in_production():
    production = environment("production")
    assert variable_default(production, "enable_execute_command") == "false"
    (validation,) = one(production, "variable", "enable_execute_command").nested("validation")
    assert validation.attribute("condition") == "!var.enable_execute_command"


# --- database connections ----------------------------------------------------------------


def test_no_pooler_that_loses_search_path_between_transactions():
    """django-tenants selects the regency with a session-level SET search_path;
    a transaction pooler would run one regency's queries on another's session."""
    code = "\n".join(
        strip_comments(path.read_text())
        if path.suffix == ".tf"
        # Other formats: full-line comments only ("//" is part of URLs there).
        else re.sub(r"^\s*#.*$", "", path.read_text(), flags=re.M)
        for root in (TERRAFORM, REPO / "infra")
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix in {".tf", ".yaml", ".yml", ".ini", ".conf", ".hcl", ".example"}
    )
    tf_code = "\n".join(strip_comments(path.read_text()) for path in TERRAFORM.rglob("*.tf"))
    assert not re.search(r"\baws_db_proxy", code)
    assert not re.search(r"pool_mode\s*[=:]\s*\"?transaction", code, re.I)
    # A pooler started as a container or provisioned by Terraform.
    assert not re.search(r"image:\s*[\"']?[\w./-]*pgbouncer", code, re.I)
    assert not re.search(r"\bpgbouncer\b", tf_code, re.I)

    why = (MODULES / "database" / "main.tf").read_text()
    assert "search_path" in why and "transaction" in why


# --- certificate and DNS -------------------------------------------------------------------


def test_the_certificate_covers_the_root_domain_and_every_regency_subdomain():
    dns = MODULES / "dns_cert"
    certificate = one(dns, "resource", "aws_acm_certificate", "this")
    assert certificate.attribute("domain_name") == "var.root_domain"
    assert certificate.attribute("subject_alternative_names") == '["*.${var.root_domain}"]'
    assert unquote(certificate.attribute("validation_method")) == "DNS"

    records = {
        block.attribute("name"): block
        for block in blocks(dns, "resource", "aws_route53_record")
        if block.nested("alias")
    }
    assert set(records) == {"var.root_domain", '"*.${var.root_domain}"'}
    for record in records.values():
        assert record.nested("alias")[0].attribute("name") == "var.alb_dns_name"

    for name in ENVIRONMENTS:
        alb = one(environment(name), "module", "alb")
        assert alb.attribute("certificate_arn") == "module.dns_cert.certificate_arn"


def test_http_only_redirects_and_the_health_check_is_healthz():
    alb = MODULES / "alb"
    http = one(alb, "resource", "aws_lb_listener", "http")
    (action,) = http.nested("default_action")
    assert unquote(action.attribute("type")) == "redirect"
    assert unquote(action.nested("redirect")[0].attribute("protocol")) == "HTTPS"

    https = one(alb, "resource", "aws_lb_listener", "https")
    assert unquote(https.attribute("protocol")) == "HTTPS"
    assert https.attribute("certificate_arn") == "var.certificate_arn"

    group = one(alb, "resource", "aws_lb_target_group", "web")
    assert group.nested("health_check")[0].attribute("path") == "var.health_check_path"
    assert unquote(variable_default(alb, "health_check_path")) == "/healthz"


# --- layout ---------------------------------------------------------------------------------


def test_both_environments_wire_the_same_modules():
    staging = {block.labels for block in blocks(environment("staging"), "module")}
    production = {block.labels for block in blocks(environment("production"), "module")}
    assert staging == production
    expected = {
        "network",
        "database",
        "cache",
        "storage",
        "secrets",
        "app",
        "alb",
        "dns_cert",
        "monitoring",
    }
    assert expected <= {labels[0] for labels in production}


def test_terraform_and_provider_versions_are_pinned_everywhere():
    for directory in all_tf_directories():
        (settings,) = [b for b in blocks(directory, "terraform") if b.attribute("required_version")]
        required = unquote(settings.attribute("required_version")) or ""
        assert required.startswith(">= 1.6"), directory
        (providers,) = settings.nested("required_providers")
        aws = re.search(r'aws\s*=\s*\{[^}]*version\s*=\s*"([^"]+)"', providers.body)
        assert aws, directory
        assert aws.group(1).startswith("~> 5.") or aws.group(1).endswith("< 6.0.0"), directory


def test_every_accepted_checkov_finding_says_why():
    skip = re.compile(r"checkov:skip=([A-Z0-9_]+)(?::(.*))?")
    found = 0
    for path in TERRAFORM.rglob("*.tf"):
        for line in path.read_text().splitlines():
            match = skip.search(line)
            if match:
                found += 1
                assert len((match.group(2) or "").strip()) >= 30, f"{path}: {line.strip()}"
    assert found > 0
