#!/usr/bin/env bash
# npm run bench:start — cold start to ready (TARGETS.md: ≤ 3 s): starts the built API (production
# settings, api role) N times against the local PostgreSQL/Redis and times spawn → /health/ready 200.
# Upstreams are unreachable placeholders: readiness does not depend on them (ARCHITECTURE.md §4).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-5}
port=${BENCH_PORT:-3777}
node=node_modules/.bin/node
# the image's own Node flags (Dockerfile runtime stage), as the other benchmarks use them
# (bench/lib/image-node-options.ts); BENCH_NODE_OPTIONS overrides
image_options=$(sed -n 's/^ *NODE_OPTIONS="\(.*\)".*$/\1/p' Dockerfile | tail -1)
export NODE_OPTIONS=${BENCH_NODE_OPTIONS:-$image_options}
echo "NODE_OPTIONS=$NODE_OPTIONS"
db=myna_bench_coldstart
psql -h 127.0.0.1 -U postgres -d postgres -qtc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -d postgres -qtc "CREATE DATABASE $db" >/dev/null
trap 'psql -h 127.0.0.1 -U postgres -d postgres -qtc "DROP DATABASE IF EXISTS '$db' WITH (FORCE)" >/dev/null' EXIT

jwk=$($node -e "const {generateKeyPairSync}=require('crypto');const k=generateKeyPairSync('ec',{namedCurve:'P-256'}).privateKey.export({format:'jwk'});console.log(JSON.stringify({...k,kid:'bench'}))")
key=$($node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
export NODE_ENV=production APP_ROLE=api PORT=$port LOG_LEVEL=warn REDIS_KEY_PREFIX=bench-coldstart \
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db REDIS_URL=redis://127.0.0.1:6379 \
  OIDC_ISSUER=https://issuer.invalid/api/realms/main OIDC_CLIENT_ID=RP00000001 OIDC_CLIENT_PRIVATE_JWK="$jwk" \
  OIDC_REDIRECT_URI=https://app.myna.example/link/callback TOKEN_ENCRYPTION_KEYS="k1:$key" \
  TOKEN_ENCRYPTION_ACTIVE_KEY_ID=k1 MYNAPORTAL_BASE_URL=https://mynaportal.invalid
$node dist/database/migrate.js >/dev/null

mkdir -p bench/results
results=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  $node dist/main.js & pid=$!
  until curl -sf "localhost:$port/health/ready" >/dev/null 2>&1; do sleep 0.01; done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 )); rss=$(( $(ps -o rss= -p $pid) / 1024 ))
  echo "run $i: cold start to ready ${ms} ms, RSS ${rss} MiB"
  results+=("{\"ms\":$ms,\"rssMiB\":$rss}")
  kill -TERM $pid; wait $pid 2>/dev/null || true
done
file="bench/results/cold-start-$(date -u +%Y-%m-%dT%H-%M-%SZ).json"
(IFS=,; echo "{\"targetMs\":3000,\"runs\":[${results[*]}]}") > "$file"
echo "report: $file"
