#!/usr/bin/env bash
# Validates the deploy assets with the tools that exist for them:
# - systemd units: `systemd-analyze verify` (ExecStart pointed at a built tujie binary);
# - compose.yaml: `docker compose config` (or Debian's `docker-compose config`);
# - Kubernetes: `kubernetes-validate` (PyPI) against the Kubernetes schemas, and deploy/k8s/schemas/keda.json
#   (written here: no package ships KEDA's schema) for the KEDA resources; the files of deploy/k8s and of the S3
#   overlay deploy/k8s-s3, and both rendered by `kubectl kustomize` (or `kustomize build`);
# - the PostgreSQL script: run against the local server with a throw-away role and database, then
#   `tujie migrate` as that role.
# Usage: deploy/check.sh [path/to/tujie]   (default target/debug/tujie). Fails, naming what to install, when a
# tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf '== %s\n' "$*" >&2; }
bin=$(realpath "${1:-target/debug/tujie}")
[ -x "$bin" ] || fail "no tujie binary at $bin; build it with: cargo build --workspace"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

say "systemd units"
command -v systemd-analyze >/dev/null || fail "systemd-analyze missing (Debian: apt-get install systemd)"
for unit in deploy/systemd/*.service; do
    sed "s#/usr/local/bin/tujie#$bin#" "$unit" >"$tmp/$(basename "$unit")"
done
# verify only warns about unknown keys and bad values; any message at all fails the check.
messages=$(cd "$tmp" && systemd-analyze verify ./tujie-worker@9187.service ./tujie-serve.service ./tujie-migrate.service 2>&1) \
    || fail "systemd-analyze verify failed: $messages"
[ -z "$messages" ] || fail "systemd-analyze verify complained: $messages"

say "compose.yaml"
if docker compose version >/dev/null 2>&1; then compose=(docker compose)
elif command -v docker-compose >/dev/null; then compose=(docker-compose)
else fail "neither 'docker compose' nor docker-compose is installed (Debian: apt-get install docker-compose)"; fi
POSTGRES_PASSWORD=check RABBITMQ_PASSWORD=check "${compose[@]}" -f deploy/compose.yaml config --quiet
# and with the S3 profile (MinIO, the bucket's one-shot set-up) and asset_store = "s3"
POSTGRES_PASSWORD=check RABBITMQ_PASSWORD=check TUJIE_ASSET_STORE=s3 TUJIE_S3_ENDPOINT=http://minio:9000 \
    TUJIE_S3_ALLOW_HTTP=true "${compose[@]}" -f deploy/compose.yaml --profile s3 config --quiet

say "Kubernetes manifests"
command -v kubernetes-validate >/dev/null || fail "kubernetes-validate missing: pip install kubernetes-validate"
if command -v kubectl >/dev/null; then kustomize=(kubectl kustomize)
elif command -v kustomize >/dev/null; then kustomize=(kustomize build)
else fail "neither kubectl nor kustomize is installed (either renders the kustomizations)"; fi
# Each kustomization rendered as kubectl apply -k would apply it: the base, and the S3 overlay (no asset volume).
for k in k8s k8s-s3; do
    "${kustomize[@]}" "deploy/$k" >"$tmp/rendered-$k.yaml" || fail "deploy/$k does not render with ${kustomize[*]}"
done
TMP="$tmp" python3 - <<'PY' || fail "a Kubernetes manifest is invalid (see above)"
import glob, json, os, subprocess, sys
import yaml, jsonschema
keda = json.load(open("deploy/k8s/schemas/keda.json"))
tmp = os.environ["TMP"]
bad = 0
files = sorted(glob.glob("deploy/k8s/*.yaml") + glob.glob("deploy/k8s-s3/*.yaml"))
rendered = [f"{tmp}/rendered-k8s.yaml", f"{tmp}/rendered-k8s-s3.yaml"]
for path in files + rendered:
    for doc in yaml.safe_load_all(open(path)):
        if not doc or not isinstance(doc, dict) or "kind" not in doc:
            continue  # a JSON 6902 patch file is a list
        if doc.get("apiVersion", "").startswith("keda.sh/"):
            errors = list(jsonschema.Draft202012Validator(keda).iter_errors(doc))
        elif doc.get("kind") == "Kustomization":
            base = os.path.dirname(path)
            errors = [f"missing {r}" for r in doc.get("resources", []) if not glob.glob(os.path.join(base, r))]
        else:
            continue
        for e in errors:
            print(f"{path}: {doc['kind']}: {getattr(e, 'message', e)}", file=sys.stderr)
        bad += len(errors)
        print(f"{path}: {doc['kind']} {'FAILED' if errors else 'passed'}", file=sys.stderr)
# The S3 overlay must leave no trace of the shared folder.
for doc in yaml.safe_load_all(open(rendered[1])):
    spec = (doc or {}).get("spec", {}).get("template", {}).get("spec", {})
    left = [doc["kind"]] if doc and doc.get("kind") == "PersistentVolumeClaim" else []
    left += [v["name"] for v in spec.get("volumes", []) if v.get("name") == "assets"]
    if left or (doc and doc.get("kind") == "ConfigMap" and doc["data"].get("TUJIE__DATABASE__ASSET_STORE") != "s3"):
        print(f"deploy/k8s-s3: {doc['kind']} {doc['metadata']['name']} still uses the asset folder", file=sys.stderr)
        bad += 1
print("deploy/k8s-s3: no asset volume, asset_store = s3" if not bad else "deploy/k8s-s3: FAILED", file=sys.stderr)
manifests = [f for f in files if not f.endswith("assets-from-s3.yaml")] + rendered
out = subprocess.run(["kubernetes-validate", "--strict", "-k", "1.30"] + manifests, capture_output=True, text=True)
for line in out.stdout.splitlines() + out.stderr.splitlines():
    if "Couldn't find schema" not in line:
        print(line, file=sys.stderr)
sys.exit(1 if bad or out.returncode else 0)
PY

say "PostgreSQL role and database script"
pg=${TUJIE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
name="tujie_deploy_check_$$"
cleanup_pg() { psql "$pg" -q -c "DROP DATABASE IF EXISTS $name" -c "DROP ROLE IF EXISTS $name" >/dev/null 2>&1 || true; }
trap 'cleanup_pg; rm -rf "$tmp"' EXIT
psql "$pg" -q -v ON_ERROR_STOP=1 -v role="$name" -v db="$name" -v password=check \
    -f deploy/postgres/create-role-and-database.sql >/dev/null
db_url=$(python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(p._replace(netloc=f'{sys.argv[2]}:check@{p.hostname}:{p.port or 5432}', path='/'+sys.argv[2]).geturl())" "$pg" "$name")
(cd "$tmp" && TUJIE_DATABASE_URL="$db_url" "$bin" migrate)
say "deploy assets valid"
