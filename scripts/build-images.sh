#!/usr/bin/env bash
# Builds the operator and agent container images without a container engine: a root file system assembled from
# Debian packages (glibc, libstdc++, zlib; iproute2 for the agent), a Java runtime jlinked from this machine's JDK
# to the modules each jar needs, and the shaded jar; for the agent also the jar's class-data archive (AppCDS), from a
# training run in the assembled image. Writes them as OCI image archives (oci-archive), named as the Helm chart
# references them:
#   target/images/kubepd-dhcp-agent-<appVersion>.oci.tar   ghcr.io/kubepd/dhcp-agent:<appVersion>
#   target/images/kubepd-operator-<appVersion>.oci.tar     ghcr.io/kubepd/operator:<appVersion>
# Load one with `skopeo copy oci-archive:<file> docker-daemon:<name>` or `ctr images import <file>`.
#
# Needs the shaded jars (./mvnw -B install -DskipTests) and JDK 17 with jmods, and root or user namespaces (the
# training run is chrooted); installs jq and binutils with apt when root. Layers are reproducible (sorted entries,
# owner 0 and mtime 0, gzip -n), and the Debian packages, the jlinked runtimes, the finished base layers and the
# class-data archives (by jar and runtime) are cached under ${KUBEPD_CACHE_DIR:-~/.cache/kubepd}/images, so a second
# run only redoes jdeps and the jar layers.
#
# Usage: scripts/build-images.sh [agent|operator]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
start=$SECONDS
log() { echo "[images] $*" >&2; }
die() { echo "[images] error: $*" >&2; exit 1; }

CACHE=${KUBEPD_CACHE_DIR:-$HOME/.cache/kubepd}/images
OUT=$REPO/target/images
ARCH=amd64

# Debian packages of each layer. Only the shared libraries the binaries need (checked after assembly, see
# check_elf_dependencies); no shell, no package manager.
BASE_PACKAGES=(base-files netbase libc6 libgcc-s1 gcc-12-base libstdc++6 zlib1g)
# The C.UTF-8 locale from libc-bin (without its programs), so LANG=C.UTF-8 gives the JVM UTF-8 for file names and
# its default charset. Not recorded in status.d: libc-bin is glibc, which libc6 already reports.
LOCALE_PACKAGE=libc-bin LOCALE_PATH=usr/lib/locale/C.utf8
# `ip` (route programming with ip -batch / ip -json) and the libraries it links.
AGENT_PACKAGES=(iproute2 libbpf1 libelf1 libmnl0 libbsd0 libmd0 libcap2)
# iproute2 tools left out because their libraries would pull in Kerberos, OpenSSL, SELinux and Berkeley DB: ss
# (libtirpc3, libselinux1), tc and its plugins (libxtables12), arpd (libdb5.3).
AGENT_PACKAGE_EXCLUDES=(bin/ss sbin/tc usr/lib/x86_64-linux-gnu/tc usr/sbin/arpd)
# Parts of packages a container never reads: documentation (copyright files stay), locales, glibc's iconv modules
# (the JVM and ip convert no character sets through iconv).
PRUNE=(usr/share/doc/*/changelog* usr/share/doc/*/NEWS* usr/share/doc/*/README* usr/share/man usr/share/info
  usr/share/locale usr/share/lintian usr/share/bash-completion usr/include usr/lib/x86_64-linux-gnu/gconv)

# Modules jdeps reports but the jars only reach on code paths kubepd never takes: java.desktop (snakeyaml's JavaBean
# introspection, Jackson's java.beans annotations, both optional) and java.compiler (Vert.x's unused template
# compiler). jdk.crypto.ec is added because jdeps cannot see it: TLS with ECDSA certificates and ECDHE key exchange
# (the API server) loads it as a security provider.
JDEPS_DROP=(java.desktop java.compiler)
JDEPS_ADD=(jdk.crypto.ec)
# Uncompressed jimage: the gzipped layer is smaller than with --compress=2 (gzip cannot shrink zip-compressed
# resources again) and classes load without inflating.
JLINK_OPTIONS=(--strip-debug --no-header-files --no-man-pages --compress=0 --generate-cds-archive)

# Per image (named by its key in the chart's values.yaml): the jar, user, title, and the JVM's default options.
# The defaults are built into the runtime (jlink --add-options), where they rank below JAVA_TOOL_OPTIONS and the
# command line, so the chart's JAVA_TOOL_OPTIONS can change any of them. They are the chart's own (agent.javaOptions,
# the operator Deployment's JAVA_TOOL_OPTIONS; ImagesIT fails when they drift apart), so an image behaves the same
# without the chart, plus -XX:+ExitOnOutOfMemoryError: a restarted pod beats a JVM limping on after an OOM.
declare -A JAR=([agent]=dhcp-agent/target/kubepd-dhcp-agent.jar [operator]=operator/target/kubepd-operator.jar)
declare -A USER_ID=([agent]=0:0 [operator]=65532:65532)
declare -A TITLE=([agent]=kubepd-dhcp-agent [operator]=kubepd-operator)
declare -A DESCRIPTION=(
  [agent]="kubepd node agent: DHCPv6 prefix delegation client (RFC 8415) that reports PrefixLeases and programs routes"
  [operator]="kubepd operator: turns PrefixLeases into pod CIDRs and route plans")
declare -A JVM_OPTIONS=(
  [agent]="-XX:+UseSerialGC -Xms10m -Xmx24m -Xmn2m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss256k \
-XX:MaxMetaspaceSize=48m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:CompileThresholdScaling=10 \
-XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
  [operator]="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError")
# JVM options of the entrypoint itself, for what belongs to the jar rather than to every java run in the image: the
# agent's class-data archive (AppCDS, from train_class_data_archive), valid only with -jar on that jar.
declare -A ENTRYPOINT_OPTIONS=([agent]="-XX:SharedArchiveFile=/app/kubepd-dhcp-agent.jsa" [operator]="")
JAVA_DIR=opt/java
ENV_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

components=("$@")
if ((${#components[@]} == 0)); then components=(agent operator); fi
for c in "${components[@]}"; do
  [[ -n ${JAR[$c]:-} ]] || die "unknown image '$c'; choose agent or operator"
  [[ -f ${JAR[$c]} ]] || die "${JAR[$c]} is missing: build the jars first (./mvnw -B install -DskipTests)"
done

ensure_tools() {
  local missing=()
  command -v jq >/dev/null || missing+=(jq)
  command -v readelf >/dev/null && command -v strip >/dev/null || missing+=(binutils)
  if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] || die "missing tools: install the Debian packages ${missing[*]} (as root: apt-get install ${missing[*]})"
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink || echo /nonexistent/bin/jlink)")")")}
  if [[ ! -x $JAVA_HOME/bin/jlink || ! -d $JAVA_HOME/jmods ]]; then
    [[ $EUID -eq 0 ]] || die "no JDK with jmods at JAVA_HOME=$JAVA_HOME: install openjdk-17-jdk-headless or set JAVA_HOME"
    log "installing openjdk-17-jdk-headless (jlink and jmods)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless >/dev/null
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$ARCH
  fi
  JAVA_VERSION=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')
  [[ $JAVA_VERSION == 17.* ]] || die "JAVA_HOME=$JAVA_HOME is Java $JAVA_VERSION; the images ship Java 17 (set JAVA_HOME)"
}

# Value of `key:` inside the top-level `section:` block of a YAML file, unquoted (enough for Chart.yaml and
# values.yaml, whose keys are plain scalars; the images IT checks the result against the rendered chart).
yaml_value() {
  awk -v section="$2" -v key="$3" '
    /^[^ #]/ { in_section = ($0 ~ "^" section ":") }
    section == "" || in_section {
      if (match($0, "^ *" key ": *")) { v = substr($0, RLENGTH + 1); sub(/ *#.*/, "", v); gsub(/"/, "", v); print v; exit }
    }' "$1"
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

# Reproducible tar of a directory's contents: sorted, numeric owner 0, mtime 0, no atime/ctime. Entries listed in
# NONROOT_PATHS (relative paths) are owned by 65532 instead, so non-root builds need no chown.
NONROOT_PATHS=(home/nonroot)
reproducible_tar() {
  local dir=$1 out=$2 entries=()
  local common=(--format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime
    --sort=name --mtime=@0 --numeric-owner --no-recursion)
  mapfile -t entries < <(cd "$dir" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort)
  local rootowned=() nonroot=()
  for e in "${entries[@]}"; do
    local owned_by_nonroot=false
    for p in "${NONROOT_PATHS[@]}"; do [[ $e == "$p" || $e == "$p"/* ]] && owned_by_nonroot=true; done
    if $owned_by_nonroot; then nonroot+=("$e"); else rootowned+=("$e"); fi
  done
  tar -C "$dir" "${common[@]}" --owner=0 --group=0 -cf "$out" -- "${rootowned[@]}"
  if ((${#nonroot[@]})); then
    tar -C "$dir" "${common[@]}" --owner=65532 --group=65532 -rf "$out" -- "${nonroot[@]}"
  fi
}

# Turns a directory into a gzipped layer blob in directory $2 (default: the cache): sets LAYER_BLOB (digest of the
# gzipped tar) and LAYER_DIFF_ID (sha256 of the tar). Blobs are named by digest, so images share identical layers.
make_layer() {
  local dir=$1 blobs=${2:-$CACHE/blobs} tmp
  tmp=$(mktemp "$WORK/layer.XXXXXX")
  reproducible_tar "$dir" "$tmp"
  LAYER_DIFF_ID=sha256:$(sha256 "$tmp")
  gzip -n -6 -c "$tmp" >"$tmp.gz"
  rm -f "$tmp"
  LAYER_BLOB=$(sha256 "$tmp.gz")
  mkdir -p "$blobs"
  mv -f "$tmp.gz" "$blobs/$LAYER_BLOB"
}

# Path of a blob: this run's (jar layers, configs, manifests) or the cache's.
blob_path() {
  if [[ -f $RUN_BLOBS/$1 ]]; then echo "$RUN_BLOBS/$1"; else echo "$CACHE/blobs/$1"; fi
}

# Cache key of a layer: its inputs (package files, options, ...) and the code that turns inputs into a layer.
layer_key() {
  printf '%s\n' "$@" "$(declare -f reproducible_tar make_layer install_debs)" "${NONROOT_PATHS[@]}" "${PRUNE[@]}" |
    sha256sum | cut -c1-32
}

# A cached layer: `cached_layer <key> <builder function> <args...>` reuses the layer built for the same key.
cached_layer() {
  local key=$1; shift
  local record=$CACHE/layers/$key
  if [[ -f $record ]] && read -r LAYER_BLOB LAYER_DIFF_ID <"$record" && [[ -f $CACHE/blobs/$LAYER_BLOB ]]; then
    return
  fi
  local dir; dir=$(mktemp -d "$WORK/rootfs.XXXXXX")
  "$@" "$dir"
  make_layer "$dir"
  rm -rf "$dir"
  mkdir -p "$CACHE/layers"
  echo "$LAYER_BLOB $LAYER_DIFF_ID" >"$record"
}

# Downloads the candidate version of each package into the cache (once); sets DEBS to the .deb paths, in order.
fetch_debs() {
  mkdir -p "$CACHE/debs"
  local versions
  if ! versions=$(candidate_versions "$@"); then
    [[ $EUID -eq 0 ]] || die "apt does not know all of $*: run apt-get update as root"
    log "apt-get update (apt does not know all of $*)"
    apt-get update -qq
    versions=$(candidate_versions "$@") || die "no Debian package for one of $*"
  fi
  local pkg version arch file missing=()
  DEBS=()
  for pkg in "$@"; do
    read -r version arch < <(awk -v p="$pkg" '$1 == p {print $2, $3}' <<<"$versions")
    # The name apt-get download gives the file, with the epoch's colon escaped.
    file=$CACHE/debs/${pkg}_${version//:/%3a}_$arch.deb
    [[ -f $file ]] || missing+=("$pkg")
    DEBS+=("$file")
  done
  if ((${#missing[@]})); then
    log "downloading ${missing[*]}"
    # As root apt would drop to the _apt user, which cannot write to the cache in a home directory.
    (cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "${missing[@]}" >/dev/null)
  fi
  for file in "${DEBS[@]}"; do [[ -f $file ]] || die "download of $(basename "$file") failed"; done
}

# "package version architecture" per line for the candidate of each package; fails if apt lacks one.
candidate_versions() {
  apt-cache show --no-all-versions "$@" 2>/dev/null | awk '
    /^Package:/ {p = $2} /^Version:/ {v = $2} /^Architecture:/ {a = $2}
    /^$/ && p != "" {print p, v, a; p = ""} END {if (p != "") print p, v, a}' | awk -v n=$# '{print} END {exit NR != n}'
}

# Unpacks .debs into a root file system with merged /usr (Debian 12's layout) and records each package in
# var/lib/dpkg/status.d, where image scanners (Trivy, Grype, Syft) look for the packages of distroless images.
install_debs() {
  local root=$1; shift
  mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/usr/lib64" "$root/var/lib/dpkg/status.d"
  local d
  for d in bin sbin lib lib64; do [[ -e $root/$d ]] || ln -s "usr/$d" "$root/$d"; done
  local deb name
  for deb in "$@"; do
    dpkg-deb --fsys-tarfile "$deb" | tar -x -p --no-same-owner --keep-directory-symlink -C "$root"
    name=$(dpkg-deb -f "$deb" Package)
    { dpkg-deb -f "$deb" Package; echo "Status: install ok installed"
      dpkg-deb -f "$deb" | grep -v '^Package:'; } >"$root/var/lib/dpkg/status.d/$name"
  done
  (cd "$root" && for p in "${PRUNE[@]}"; do rm -rf -- $p; done)
}

build_base() {
  local root=$1
  install_debs "$root" "${BASE_DEBS[@]}"
  dpkg-deb --fsys-tarfile "$LOCALE_DEB" | tar -x -p --no-same-owner --keep-directory-symlink -C "$root" "./$LOCALE_PATH"
  mkdir -p "$root/tmp" "$root/root" "$root/home/nonroot" "$root/proc" "$root/sys" "$root/dev" "$root/run"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  # Users as in distroless: root for the agent (it needs its capabilities), nonroot 65532 for the operator.
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nonroot:x:65532:
EOF
  cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
networks: files
protocols: files
services: files
EOF
  chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/nsswitch.conf"
}

build_agent_packages() {
  local root=$1
  install_debs "$root" "${AGENT_DEBS[@]}"
  (cd "$root" && rm -rf -- "${AGENT_PACKAGE_EXCLUDES[@]}")
  # Only the merged-/usr symlinks of the base layer may own these names; a copy here would shadow them.
  rm -f "$root/bin" "$root/sbin" "$root/lib" "$root/lib64"
}

# jlink a runtime with the modules the jar needs; CDS archive for compressed oops only (heaps under 32 GiB).
build_jre() {
  local modules=$1 options=$2 root=$3
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" "${JLINK_OPTIONS[@]}" --add-options "$options" \
    --output "$root/$JAVA_DIR" >/dev/null
  rm -f "$root/$JAVA_DIR/lib/server/classes_nocoops.jsa"
  # The symbol tables only name frames in crash reports; they are a sixth of libjvm.so.
  find "$root/$JAVA_DIR" -name '*.so' -exec strip --strip-unneeded {} +
  strip --strip-unneeded "$root/$JAVA_DIR"/bin/*
}

build_app() {
  local jar=$1 root=$2
  mkdir -p "$root/app"
  cp "$jar" "$root/app/$(basename "$jar")"
  chmod 0644 "$root/app/$(basename "$jar")"
}

# The agent's class-data archive (AppCDS), made in the assembled image, chrooted, so that it records the image's own
# runtime and the jar as the container sees it: /app/kubepd-dhcp-agent.jar with mtime 0, as unpacked from its layer
# (JDK 17 checks path, size and mtime). A training run of the agent's hidden `warmup` command (the start-up warm-up,
# a state directory in a temporary one, a loopback datagram: nothing leaves the host) lists the classes a start
# loads; a static dump (-Xshare:dump, which unlike a dynamic archive can hold picocli's Java 5 classes) stores them
# with the JDK's own. JDK 17 does not dump the same bytes twice, so the archive is cached by its inputs and the same
# jar on the same layers gives the same image. Usage: train_class_data_archive <app dir> <output> <layer blob>...
train_class_data_archive() {
  local app=$1 out=$2; shift 2
  local root; root=$(mktemp -d "$WORK/train.XXXXXX")
  unpack_layers "$root" "$@"
  cp -a "$app/app" "$root/"
  touch -d @0 "$root/app/kubepd-dhcp-agent.jar"
  # A mount namespace for the chroot's /proc (the launcher finds its libraries through /proc/self/exe) and device
  # files, torn down with the process; root, or a user namespace, grants both. Without /dev/urandom the JVM would
  # seed SecureRandom (temporary file names) from thread timing, for seconds.
  local isolate=(unshare --mount --pid --fork)
  [[ $EUID -eq 0 ]] || isolate+=(--map-root-user)
  # -Xlog: the dump warns about every listed class it cannot store (generated proxies); errors only.
  "${isolate[@]}" bash -c 'mount -t proc proc "$1/proc" &&
    for d in null zero random urandom; do touch "$1/dev/$d" && mount --bind "/dev/$d" "$1/dev/$d" || exit 1; done &&
    chroot "$1" "$2" -XX:DumpLoadedClassList=/tmp/classes.lst -jar /app/kubepd-dhcp-agent.jar warmup &&
    exec chroot "$1" "$2" -Xshare:dump -XX:SharedClassListFile=/tmp/classes.lst \
      -XX:SharedArchiveFile=/app/kubepd-dhcp-agent.jsa -Xlog:disable -Xlog:all=error:stderr \
      -cp /app/kubepd-dhcp-agent.jar' train "$root" "/$JAVA_DIR/bin/java" >&2 ||
    die "making the agent's class-data archive failed (it needs root or user namespaces)"
  mkdir -p "$(dirname "$out")"
  mv -f "$root/app/kubepd-dhcp-agent.jsa" "$out"
  rm -rf "$root"
}

# Fails when an ELF file in the assembled image needs a shared library the image lacks: the loader would only
# say so when the binary runs.
check_elf_dependencies() {
  local root=$1 report
  # readelf fails on the files that are not ELF (scripts, data); only the ELF files' NEEDED entries matter.
  report=$(find "$root" -type f \( -perm -u+x -o -name '*.so*' \) -print0 |
    { xargs -0 readelf -d 2>/dev/null || true; } | awk \
    -v root="$root" -v dirs="usr/lib/x86_64-linux-gnu $JAVA_DIR/lib $JAVA_DIR/lib/server" '
      BEGIN { n = split(dirs, d, " ") }
      /^File: / { file = substr($0, 7) }
      /\(NEEDED\)/ {
        lib = $0; sub(/.*\[/, "", lib); sub(/\].*/, "", lib); found = 0
        for (i = 1; i <= n; i++) if (system("test -e \"" root "/" d[i] "/" lib "\"") == 0) { found = 1; break }
        if (!found) print substr(file, length(root) + 2) " needs " lib ", which the image lacks"
      }')
  [[ -z $report ]] || { sed 's/^/[images] /' <<<"$report" >&2; die "shared libraries missing from the image (add their Debian packages)"; }
}

# Unpacks layers (gzipped tars) into a directory, for the dependency check.
unpack_layers() {
  local root=$1; shift
  local blob
  for blob in "$@"; do tar -xzf "$(blob_path "$blob")" -C "$root" --no-same-owner; done
}

json_blob() {
  local digest; digest=$(sha256 "$1")
  mv -f "$1" "$RUN_BLOBS/$digest"
  echo "$digest"
}

# Writes the OCI layout (oci-layout, index.json, blobs) of one image and tars it into the archive.
write_archive() {
  local config=$1 manifest=$2 archive=$3 ref=$4; shift 4
  local layout; layout=$(mktemp -d "$WORK/layout.XXXXXX")
  mkdir -p "$layout/blobs/sha256"
  local blob
  for blob in "$@" "$config" "$manifest"; do ln -f "$(blob_path "$blob")" "$layout/blobs/sha256/$blob"; done
  echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  # ref.name carries the tag and io.containerd.image.name the full name, as BuildKit's OCI exporter writes them:
  # `ctr images import` and `docker load` name the image after the latter, skopeo and podman select by the former.
  jq -n --arg digest "sha256:$manifest" --argjson size "$(stat -c %s "$(blob_path "$manifest")")" \
    --arg ref "$ref" --arg tag "${ref##*:}" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $digest, size: $size,
        platform: {architecture: "amd64", os: "linux"},
        annotations: {"io.containerd.image.name": $ref, "org.opencontainers.image.ref.name": $tag}}]}' \
    >"$layout/index.json"
  mkdir -p "$(dirname "$archive")"
  (cd "$layout" && tar --format=posix --pax-option=delete=atime,delete=ctime --sort=name --mtime=@0 \
    --owner=0 --group=0 --numeric-owner -cf "$archive.tmp" oci-layout index.json blobs)
  mv -f "$archive.tmp" "$archive"
  rm -rf "$layout"
}

ensure_tools
mkdir -p "$CACHE/tmp" "$OUT"
# One build at a time per cache (several checkouts of the repository may share it).
exec {cache_lock}>"$CACHE/.lock"
if ! flock -n "$cache_lock"; then
  log "waiting for another build using $CACHE"
  flock "$cache_lock"
fi
# Leftovers of an interrupted build; no other build is running now.
rm -rf "${CACHE:?}"/tmp/*
WORK=$(mktemp -d "$CACHE/tmp/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RUN_BLOBS=$WORK/blobs
mkdir "$RUN_BLOBS"

TAG=$(yaml_value helm/kubepd/Chart.yaml "" appVersion)
REGISTRY=$(yaml_value helm/kubepd/values.yaml image registry)
[[ -n $TAG && -n $REGISTRY ]] || die "cannot read appVersion from Chart.yaml or image.registry from values.yaml"
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)

fetch_debs "${BASE_PACKAGES[@]}" "$LOCALE_PACKAGE"
BASE_DEBS=("${DEBS[@]:0:${#BASE_PACKAGES[@]}}") LOCALE_DEB=${DEBS[-1]}
key=$(layer_key "${BASE_DEBS[@]##*/}" "${LOCALE_DEB##*/}" "$(declare -f build_base)")
cached_layer "base-$key" build_base
BASE_LAYER=("$LAYER_BLOB" "$LAYER_DIFF_ID")
log "base layer: ${BASE_DEBS[*]##*/}"

declare -A MODULES
for c in "${components[@]}"; do
  # jdeps takes ~10 s per jar; the two run side by side.
  "$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 -q "${JAR[$c]}" \
    >"$WORK/jdeps-$c" 2>"$WORK/jdeps-$c.err" &
done
wait
for c in "${components[@]}"; do
  deps=$(tail -1 "$WORK/jdeps-$c")
  [[ $deps == java.base* ]] || die "jdeps failed for ${JAR[$c]}: $(cat "$WORK/jdeps-$c.err")"
  MODULES[$c]=$(tr ',' '\n' <<<"$deps" | grep -vxF -f <(printf '%s\n' "${JDEPS_DROP[@]}") |
    cat - <(printf '%s\n' "${JDEPS_ADD[@]}") | LC_ALL=C sort -u | paste -sd,)
done

for c in "${components[@]}"; do
  jar=${JAR[$c]}
  repository=$(yaml_value helm/kubepd/values.yaml "$c" repository)
  [[ -n $repository ]] || die "cannot read $c.repository from helm/kubepd/values.yaml"
  ref=$REGISTRY/$repository:$TAG
  archive=$OUT/${TITLE[$c]}-$TAG.oci.tar
  layers=("${BASE_LAYER[0]}") diff_ids=("${BASE_LAYER[1]}")
  history=("Debian 12 libraries: ${BASE_DEBS[*]##*/}")

  if [[ $c == agent ]]; then
    fetch_debs "${AGENT_PACKAGES[@]}"
    AGENT_DEBS=("${DEBS[@]}")
    key=$(layer_key "${AGENT_DEBS[@]##*/}" "$(declare -f build_agent_packages)" "${AGENT_PACKAGE_EXCLUDES[@]}")
    cached_layer "agent-packages-$key" build_agent_packages
    layers+=("$LAYER_BLOB") diff_ids+=("$LAYER_DIFF_ID")
    history+=("iproute2 for route programming: ${AGENT_DEBS[*]##*/}")
  fi

  key=$(layer_key "$JAVA_VERSION" "$(sha256 "$JAVA_HOME/lib/modules")" "${MODULES[$c]}" "${JVM_OPTIONS[$c]}" \
    "${JLINK_OPTIONS[@]}" "$(declare -f build_jre)")
  cached_layer "jre-$key" build_jre "${MODULES[$c]}" "${JVM_OPTIONS[$c]}"
  layers+=("$LAYER_BLOB") diff_ids+=("$LAYER_DIFF_ID")
  history+=("Java $JAVA_VERSION runtime (jlink: ${MODULES[$c]}; defaults: ${JVM_OPTIONS[$c]})")

  # The jar layer holds no ELF files, so the check of the layers below it is done once per combination.
  checked=$CACHE/layers/elf-checked-$(printf '%s\n' "${layers[@]}" | sha256sum | cut -c1-32)
  if [[ ! -f $checked ]]; then
    check=$(mktemp -d "$WORK/check.XXXXXX")
    unpack_layers "$check" "${layers[@]}"
    check_elf_dependencies "$check"
    rm -rf "$check"
    touch "$checked"
  fi

  app=$(mktemp -d "$WORK/app.XXXXXX")
  build_app "$jar" "$app"
  if [[ $c == agent ]]; then
    archive_file=$CACHE/cds/$(layer_key "$(sha256 "$jar")" "${layers[@]}" "$(declare -f train_class_data_archive)").jsa
    if [[ ! -f $archive_file ]]; then
      log "making the agent's class-data archive"
      train_class_data_archive "$app" "$archive_file" "${layers[@]}"
    fi
    install -m 0644 "$archive_file" "$app/app/kubepd-dhcp-agent.jsa"
  fi
  make_layer "$app" "$RUN_BLOBS"
  rm -rf "$app"
  layers+=("$LAYER_BLOB") diff_ids+=("$LAYER_DIFF_ID")
  history+=("$(basename "$jar")${ENTRYPOINT_OPTIONS[$c]:+ and its class-data archive}")


  jq -n --arg created "$CREATED" --arg user "${USER_ID[$c]}" --arg path "$ENV_PATH" \
    --arg jar "/app/$(basename "$jar")" --arg java "/$JAVA_DIR/bin/java" \
    --arg title "${TITLE[$c]}" --arg description "${DESCRIPTION[$c]}" --arg version "$TAG" \
    --arg revision "$REVISION" --arg javaVersion "$JAVA_VERSION" --arg jvmOptions "${JVM_OPTIONS[$c]}" \
    --argjson entrypointOptions "$(printf '%s\n' ${ENTRYPOINT_OPTIONS[$c]} | jq -R 'select(. != "")' | jq -s .)" \
    --argjson diffIds "$(printf '%s\n' "${diff_ids[@]}" | jq -R . | jq -s .)" \
    --argjson history "$(printf '%s\n' "${history[@]}" | jq -R . | jq -s .)" '{
      created: $created, architecture: "amd64", os: "linux",
      config: {
        User: $user,
        Env: ["PATH=\($path)", "JAVA_HOME=/\($java | ltrimstr("/") | rtrimstr("/bin/java"))", "LANG=C.UTF-8"],
        Entrypoint: ([$java] + $entrypointOptions + ["-jar", $jar]),
        WorkingDir: "/",
        Labels: {
          "org.opencontainers.image.title": $title,
          "org.opencontainers.image.description": $description,
          "org.opencontainers.image.version": $version,
          "org.opencontainers.image.revision": $revision,
          "org.opencontainers.image.created": $created,
          "org.opencontainers.image.url": "https://kubepd.io",
          "io.kubepd.java.version": $javaVersion,
          "io.kubepd.java.options": $jvmOptions
        }
      },
      rootfs: {type: "layers", diff_ids: $diffIds},
      history: ($history | map({created: $created, created_by: ("kubepd scripts/build-images.sh: " + .)}))
    }' >"$WORK/config-$c.json"
  config=$(json_blob "$WORK/config-$c.json")

  layer_json=$(for blob in "${layers[@]}"; do
    jq -n --arg d "sha256:$blob" --argjson s "$(stat -c %s "$(blob_path "$blob")")" \
      '{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}'; done | jq -s .)
  jq -n --arg cd "sha256:$config" --argjson cs "$(stat -c %s "$(blob_path "$config")")" \
    --argjson layers "$layer_json" --arg created "$CREATED" --arg title "${TITLE[$c]}" --arg version "$TAG" \
    --arg revision "$REVISION" '{
      schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
      layers: $layers,
      annotations: {"org.opencontainers.image.title": $title, "org.opencontainers.image.version": $version,
        "org.opencontainers.image.revision": $revision, "org.opencontainers.image.created": $created}
    }' >"$WORK/manifest-$c.json"
  manifest=$(json_blob "$WORK/manifest-$c.json")

  write_archive "$config" "$manifest" "$archive" "$ref" "${layers[@]}"
  compressed=0 unpacked=0
  for blob in "${layers[@]}"; do
    compressed=$((compressed + $(stat -c %s "$(blob_path "$blob")")))
    unpacked=$((unpacked + $(gzip -l "$(blob_path "$blob")" | awk 'NR==2 {print $2}')))
  done
  log "$ref -> ${archive#"$REPO"/}"
  log "  manifest sha256:$manifest, $((compressed / 1024 / 1024)) MiB compressed, $((unpacked / 1024 / 1024)) MiB unpacked"
done
log "done in $((SECONDS - start)) s"
