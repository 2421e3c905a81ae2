#!/usr/bin/env bash
# Builds one sample app of tests/fixtures/apps with the generated Dockerfile (the deploy
# pipeline's path, through the docker CLI instead of dockerode), runs it hardened the way Slipway
# runs apps, and reports what a user would see. For checking runner images and the generator by hand.
#
#   bash scripts/try-sample.sh node-hello            # build (cached layers allowed) and run
#   NO_CACHE=1 bash scripts/try-sample.sh node-hello # cold build
#   CHANGE_SOURCE=1 ...                              # a new "commit": source changed, lockfile not
#   KEEP=1 ...                                       # leave the container running
#
# Every build gets a build-time secret (SLIPWAY_TRY_SECRET and BUILD_SECRET; TRY_SECRET sets its
# value) and the script fails if the value is anywhere in the final image: layers, history or
# config. Extra CA certificates: the host bundle, like on our machines (EXTRA_CA=none to skip).
# Needs the runner images: bash scripts/build-base-images.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO"

app=${1:-}
[ -n "$app" ] && [ -d "tests/fixtures/apps/$app" ] ||
	die "usage: $0 <app>   (one of: $(ls tests/fixtures/apps | tr '\n' ' '))"
ensure_node24 >/dev/null

# preset|install|build|start|install files|expected outcome
case "$app" in
node-hello) cfg='node|npm ci|npm run build|npm start|package.json package-lock.json|ok' ;;
python-hello) cfg='python|pip install -r requirements.txt||python main.py|requirements.txt|ok' ;;
go-hello) cfg='go|go mod download|go build -o /app/server .|/app/server|go.mod|ok' ;;
static-site) cfg='static|||||ok' ;;
dockerfile-hello) cfg='dockerfile|||||ok' ;;
node-syntax-error) cfg='node|npm install|npm run build|npm start|package.json|build-fails' ;;
node-exit-1 | node-no-listen | node-oom | node-fork-bomb)
	cfg="node|npm install||npm start|package.json|${app#node-}"
	;;
*) die "no settings for $app in $0" ;;
esac
IFS='|' read -r preset install_cmd build_cmd start_cmd install_files expected <<<"$cfg"

image="slipway-try/$app:latest"
ctx=$(mktemp -d "${TMPDIR:-/tmp}/slipway-try-$app.XXXXXX")
build_log=$(mktemp "${TMPDIR:-/tmp}/slipway-try-$app.build-log.XXXXXX")
cid=''
cleanup() {
	[ -n "$cid" ] && [ "${KEEP:-0}" != 1 ] && docker rm -f "$cid" >/dev/null 2>&1 || true
	rm -rf "$ctx" "$build_log"
}
trap cleanup EXIT
# A fresh copy every time, like a fresh checkout: the cache must not depend on file timestamps.
# The "commit" (SLIPWAY_GIT_COMMIT_SHA at build time) is the hash of the sample's files.
commit=$(cd "tests/fixtures/apps/$app" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-40)
cp -R "tests/fixtures/apps/$app/." "$ctx/"
if [ "${CHANGE_SOURCE:-0}" = 1 ]; then
	date +%s%N >"$ctx/CHANGED.txt"
	commit=$(sha1sum "$ctx/CHANGED.txt" | cut -c1-40)
fi

# Stable per app, like a project's build-time vars between deployments (a new value would re-run
# the install step).
secret=${TRY_SECRET:-try-secret-$app-7c41d9e2b5}
build_args=()
dockerfile=Dockerfile
if [ "$preset" = dockerfile ]; then
	build_args=(--build-arg BASE=slipway/base-node:24)
else
	dockerfile=.slipway/Dockerfile
	ca_file=/etc/ssl/certs/ca-certificates.crt
	[ "${EXTRA_CA:-}" = none ] && ca_file=''
	# The generator, exactly as the pipeline calls it; its files are written into the context.
	PRESET=$preset INSTALL=$install_cmd BUILD=$build_cmd START=$start_cmd FILES=$install_files \
		CA_FILE=$ca_file SECRET=$secret COMMIT=$commit CTX=$ctx GENERATOR="$REPO/src/lib/server/deployments/dockerfile/generate-build-files.ts" \
		node --input-type=module <<-'JS'
			import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
			import { dirname, join } from 'node:path';
			import { pathToFileURL } from 'node:url';
			const { generateBuildFiles, GENERATED_DOCKERFILE_PATH } = await import(
				pathToFileURL(process.env.GENERATOR).href
			);
			const { runnerImageFor } = await import(
				pathToFileURL(join(dirname(process.env.GENERATOR), 'runner-images.ts')).href
			);
			const env = process.env;
			const { dockerfile, extraFiles } = generateBuildFiles({
				preset: env.PRESET,
				installCommand: env.INSTALL,
				buildCommand: env.BUILD,
				startCommand: env.START,
				installFiles: env.FILES ? env.FILES.split(' ') : [],
				runnerImage: runnerImageFor(env.PRESET),
				extraCaPem: env.CA_FILE ? readFileSync(env.CA_FILE, 'utf8') : null,
				buildEnv: { SLIPWAY_TRY_SECRET: env.SECRET, BUILD_SECRET: env.SECRET },
				deploymentEnv: { SLIPWAY_GIT_COMMIT_SHA: env.COMMIT }
			});
			for (const [path, text] of Object.entries({ ...extraFiles, [GENERATED_DOCKERFILE_PATH]: dockerfile })) {
				const file = join(env.CTX, path);
				mkdirSync(dirname(file), { recursive: true });
				writeFileSync(file, text);
			}
			for (const file of ['build-env', 'deployment-env']) chmodSync(join(env.CTX, '.slipway', file), 0o600);
		JS
	echo "--- generated $dockerfile"
	cat "$ctx/$dockerfile"
	echo "---"
fi

cache_args=()
[ "${NO_CACHE:-0}" = 1 ] && cache_args=(--no-cache)
log "docker build $image ${cache_args[*]}"
t0=$(date +%s%N)
set +e
DOCKER_BUILDKIT=0 docker build --force-rm "${cache_args[@]}" "${build_args[@]}" \
	--label dev.slipway.sample="$app" -f "$ctx/$dockerfile" -t "$image" "$ctx" 2>&1 | tee "$build_log"
build_rc=${PIPESTATUS[0]}
set -e
build_ms=$((($(date +%s%N) - t0) / 1000000))
printf 'build: exit %s in %d.%d s\n' "$build_rc" $((build_ms / 1000)) $((build_ms % 1000 / 100))
awk '/^Step [0-9]+\/[0-9]+ : / { step = $0 } /Using cache/ { print "  cached: " step }' "$build_log"
if [ "$build_rc" -ne 0 ]; then
	[ "$expected" = build-fails ] && {
		log "outcome: build failed, as expected"
		exit 0
	}
	die "build failed"
fi
[ "$expected" = build-fails ] && die "the build was expected to fail"

# No trace of the build secret in the final image: history, config, or any layer's files.
# (grep -c reads everything: with pipefail, grep -q would stop early and SIGPIPE the producers.)
found_in() { grep -acF -- "$secret" || true; }
in_history=$(docker history --no-trunc "$image" | found_in)
in_config=$(docker image inspect "$image" | found_in)
in_layers=$(docker save "$image" | tar -xO --wildcards '*/layer.tar' | tar -xOi 2>/dev/null | found_in)
if [ "$in_history$in_config$in_layers" != 000 ]; then
	die "the build secret is in the final image $image (history: $in_history, config: $in_config, layer lines: $in_layers)"
fi
log "secret check: the build secret is in no layer, history entry or config of $image"

log "docker run (uid 10001, no capabilities, no-new-privileges, init, 256 MiB, 128 pids)"
cid=$(docker run -d -p 127.0.0.1::8000 --user 10001:10001 --cap-drop ALL \
	--security-opt no-new-privileges --init --memory 256m --memory-swap 256m --pids-limit 128 \
	-e SLIPWAY=1 -e SLIPWAY_DEPLOYMENT_ID=try -e GREETING=hello "$image")
port=$(docker port "$cid" 8000/tcp | head -n 1 | sed 's/.*://')
t0=$(date +%s%N)
status=''
for _ in $(seq 1 100); do
	status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
	[ "$status" = 200 ] && break
	[ "$(docker inspect -f '{{.State.Running}}' "$cid")" = true ] || break
	sleep 0.2
done
ready_ms=$((($(date +%s%N) - t0) / 1000000))
state=$(docker inspect -f 'running={{.State.Running}} exit={{.State.ExitCode}} oom={{.State.OOMKilled}}' "$cid")
pids=$(docker stats --no-stream --format '{{.PIDs}}' "$cid" 2>/dev/null || echo '?')
echo "run: GET / -> ${status:-none} after $((ready_ms / 1000)).$((ready_ms % 1000 / 100)) s; $state; pids=$pids"
if [ "$status" = 200 ]; then
	curl -s "http://127.0.0.1:$port/" | head -c 400
	echo
	if [ "$preset" != static ]; then
		curl -s "http://127.0.0.1:$port/env" | node -e \
			'const e = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log("env:", JSON.stringify({ PORT: e.PORT, SLIPWAY: e.SLIPWAY, GREETING: e.GREETING, NODE_EXTRA_CA_CERTS: e.NODE_EXTRA_CA_CERTS, secretVisible: Object.values(e).includes(process.argv[1]) }))' \
			"$secret"
	fi
else
	docker logs --tail 5 "$cid" 2>&1 | sed 's/^/  log: /'
fi
[ "$expected" = ok ] && [ "$status" != 200 ] && die "$app did not answer 200"
[ "$expected" != ok ] && [ "$status" = 200 ] && die "$app answered 200 but should fail ($expected)"
log "outcome: $expected"
