# shellcheck shell=bash
# Helpers for scripts/build-base-images.sh: building Docker images without a registry. Source
# scripts/lib/common.sh first; do not run this file.
#
# Every image gets a label dev.slipway.recipe: a hash of what it is made from (its Dockerfile
# folder, the image it builds FROM, versions asked for). An existing image whose label matches is
# skipped without any network access; FORCE=1 rebuilds everything.

IMAGES_DIR="$REPO/runner-images"
RECIPE_LABEL=dev.slipway.recipe

# image_recipe IMAGE: the recipe label of IMAGE, or nothing when the image does not exist.
image_recipe() {
	docker image inspect --format "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$1" 2>/dev/null || true
}

image_id() {
	docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

# image_is_current IMAGE RECIPE: IMAGE exists with that recipe, and FORCE is not 1.
image_is_current() {
	[ "${FORCE:-0}" != 1 ] && [ -n "$(image_id "$1")" ] && [ "$(image_recipe "$1")" = "$2" ]
}

# recipe_of TEXT... FILES-OR-DIRS: a short hash of the texts and of every file under the paths
# except documentation: the recipe is a label, so a new one means a new image ID, and every app
# build FROM the image would lose its layer cache over a README edit.
recipe_of() {
	local arg
	{
		for arg in "$@"; do
			if [ -d "$arg" ]; then
				(cd "$arg" && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 sha256sum)
			elif [ -f "$arg" ]; then
				sha256sum <"$arg"
			else
				printf '%s\n' "$arg"
			fi
		done
	} | sha256sum | cut -c1-16
}

# debian_mirror: the machine's Debian archive URI (first URIs line of debian.sources that is not
# the security archive, else the first bookworm `deb` line of sources.list). DEBIAN_MIRROR wins.
debian_mirror() {
	local uri=''
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		uri=$DEBIAN_MIRROR
	elif [ -f /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i+1) == "bookworm") { print $i; exit } } }' \
			/etc/apt/sources.list)
	fi
	printf '%s' "${uri:-http://deb.debian.org/debian}"
}

# debian_security_mirror: same for the security archive.
debian_security_mirror() {
	local uri=''
	if [ -n "${DEBIAN_SECURITY_MIRROR:-}" ]; then
		uri=$DEBIAN_SECURITY_MIRROR
	elif [ -f /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /security/) { print $i; exit } }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	printf '%s' "${uri:-http://deb.debian.org/debian-security}"
}

# npm_fetch DEST SPEC...: downloads the packages with one `npm pack` (through npm's cache and the
# machine's CA bundle) and unpacks the Nth spec into DEST/N (1, 2, ...).
npm_fetch() {
	local dest=$1 i=0 tarball
	shift
	mkdir -p "$dest/tarballs"
	(cd "$dest/tarballs" && npm pack --silent "$@" >../packed.txt 2>../pack-errors.txt) || {
		cat "$dest/pack-errors.txt" >&2
		die "npm pack $* failed (is the npm registry reachable?)"
	}
	while IFS= read -r tarball; do
		[ -n "$tarball" ] || continue
		i=$((i + 1))
		mkdir -p "$dest/$i"
		tar -xzf "$dest/tarballs/$tarball" -C "$dest/$i" --strip-components=1
		log "  fetched $tarball"
	done <"$dest/packed.txt"
	[ "$i" -eq $# ] || die "npm pack $* produced $i tarballs instead of $#"
}

# build_image_logged LOG TAG CONTEXT [docker build args...]: classic-builder build, output in LOG.
build_image_logged() {
	local logfile=$1 tag=$2 context=$3
	shift 3
	# The classic builder on purpose: it is what the engine here (20.10, no buildx) has, and what
	# the deploy pipeline uses through the API.
	DOCKER_BUILDKIT=0 docker build --force-rm -t "$tag" "$@" "$context" >"$logfile" 2>&1
}

# elapsed_since START_SECONDS: "12 s"
elapsed_since() { printf '%d s' $((SECONDS - $1)); }
