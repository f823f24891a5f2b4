#!/usr/bin/env python3
"""Render infra/nginx/sukowati.conf.template as the nginx image does at start-up.

The image runs `envsubst` with the list of variables defined in its environment
(narrowed by NGINX_ENVSUBST_FILTER, see infra/compose.yaml): `${NAME}` and `$NAME`
are replaced for those names only, so nginx's own `$host` or `$request_uri` are left
alone. This does the same for the tests, and refuses a template variable with no
value, where envsubst would silently write an empty string into the config.

    python infra/render_nginx.py > sukowati.conf   # values from the environment
"""

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "sukowati.conf.template"
# The variables the template uses; compose passes exactly these to the nginx image.
VARIABLES = (
    "ROOT_DOMAIN",
    "WEB_UPSTREAM",
    "DNS_RESOLVER",
    "HTTP_PORT",
    "HTTPS_PORT",
    "TLS_CERTIFICATE",
    "TLS_CERTIFICATE_KEY",
)
_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


class MissingVariable(ValueError):
    pass


def template_variables(template: str) -> set[str]:
    """The upper-case names a template refers to (nginx's own are lower-case)."""
    names = {braced or bare for braced, bare in _REFERENCE.findall(template)}
    return {name for name in names if name.isupper()}


def render(template: str, values: Mapping[str, str]) -> str:
    missing = sorted(name for name in template_variables(template) if not values.get(name))
    if missing:
        raise MissingVariable(f"No value for {', '.join(missing)}")

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values[name] if name in values else match.group(0)

    return _REFERENCE.sub(substitute, template)


def render_template(values: Mapping[str, str], template: Path = TEMPLATE) -> str:
    return render(template.read_text(), {name: values.get(name, "") for name in VARIABLES})


def main() -> int:
    try:
        sys.stdout.write(render_template(os.environ))
    except MissingVariable as error:
        print(f"render_nginx: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
