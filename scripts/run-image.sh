#!/usr/bin/env bash
# Runs an OCI image archive (as scripts/build-images.sh writes them) without a container engine, the way a
# container runtime would: the layers unpacked once into a root file system, an overlay on it so runs leave it
# untouched, read-only unless --read-write, fresh /proc, /sys and a minimal /dev, the image's Env, User and
# Entrypoint, and (with --caps) only the given capabilities. It is not a container: the process shares the caller's
# network and PID namespaces and cgroup, so run it under `ip netns exec` for a network of its own. The process keeps
# this script's PID (everything execs), so signals reach it directly.
#
# Usage: scripts/run-image.sh [options] ARCHIVE [ARG...]     (needs root: mount namespace and chroot)
#   --entrypoint PATH     run PATH (inside the image) instead of the image's entrypoint
#   --env NAME=VALUE      add or override an environment variable
#   --volume SRC:DST[:ro] bind-mount a host file or directory
#   --tmpfs DIR           mount an empty tmpfs (an emptyDir), e.g. /tmp
#   --caps LIST           keep only these capabilities (e.g. net_admin,net_raw; "" for none); default: all of root's
#   --user UID:GID        run as this user instead of the image's
#   --read-write          leave the root file system writable (the writes vanish with the process)
# The unpacked root file system is kept next to the archive in rootfs/ (or $KUBEPD_ROOTFS_DIR), per manifest.
set -euo pipefail
die() { echo "run-image: $*" >&2; exit 2; }

if [[ ${1:-} == --inside ]]; then
  shift
  # In a private mount namespace now: assemble the container's file system tree, then chroot into it.
  rootfs=$1 mnt=$2 entrypoint=$3 user=$4 read_write=$5 caps=$6 tmpfs_list=$7 volume_list=$8; shift 8
  env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  shift
  mount -t tmpfs -o mode=0700 run-image "$mnt"
  mkdir "$mnt/upper" "$mnt/work" "$mnt/root"
  root=$mnt/root
  mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$mnt/upper,workdir=$mnt/work" "$root"
  mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/etc"
  mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  # A sysfs mounted here shows the network devices of the caller's network namespace, as in a container.
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys" 2>/dev/null || mount --rbind -o ro /sys "$root/sys"
  mount -t tmpfs -o mode=0755,nosuid,size=64k dev "$root/dev"
  for node in null zero full random urandom tty; do
    touch "$root/dev/$node"
    mount --bind "/dev/$node" "$root/dev/$node"
  done
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  for file in /etc/hosts /etc/resolv.conf; do
    [[ -f $file ]] || continue
    touch "$root$file"
    mount --bind "$file" "$root$file"
    mount -o remount,bind,ro "$root$file"
  done
  while IFS= read -r dir; do
    [[ -n $dir ]] || continue
    mkdir -p "$root$dir"
    mount -t tmpfs -o mode=1777,nosuid,nodev,size=64m tmpfs "$root$dir"
  done <<<"$tmpfs_list"
  while IFS= read -r volume; do
    [[ -n $volume ]] || continue
    IFS=: read -r src dst mode <<<"$volume"
    if [[ -d $src ]]; then mkdir -p "$root$dst"; else mkdir -p "$(dirname "$root$dst")"; touch "$root$dst"; fi
    mount --bind "$src" "$root$dst"
    [[ $mode != ro ]] || mount -o remount,bind,ro "$root$dst"
  done <<<"$volume_list"
  [[ $read_write == true ]] || mount -o remount,ro "$root"

  capsh_args=(--chroot="$root")
  if [[ $caps != all ]]; then
    last=$(cat /proc/sys/kernel/cap_last_cap)
    every=$(capsh --decode="$(printf '%x' $(((1 << (last + 1)) - 1)))" | cut -d= -f2)
    drop=$(tr ',' '\n' <<<"$every" | grep -vxF -f <(tr ',' '\n' <<<"$caps" | sed 's/^\(cap_\)\{0,1\}/cap_/' | tr 'A-Z' 'a-z') | paste -sd,)
    capsh_args+=(--drop="$drop")
  fi
  uid=${user%%:*} gid=${user#*:}
  if [[ $uid != 0 || $gid != 0 ]]; then capsh_args+=(--gid="$gid" --groups="$gid" --uid="$uid"); fi
  # Like allowPrivilegeEscalation: false.
  capsh_args+=(--no-new-privs --shell="$entrypoint" --)
  exec env -i "${env[@]}" capsh "${capsh_args[@]}" "$@"
fi

entrypoint_override="" user_override="" read_write=false caps=all
extra_env=() tmpfs=() volumes=()
while (($#)); do
  case $1 in
    --entrypoint) entrypoint_override=$2; shift 2 ;;
    --env) extra_env+=("$2"); shift 2 ;;
    --volume) volumes+=("$2"); shift 2 ;;
    --tmpfs) tmpfs+=("$2"); shift 2 ;;
    --caps) caps=$2; shift 2 ;;
    --user) user_override=$2; shift 2 ;;
    --read-write) read_write=true; shift ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
(($# >= 1)) || die "usage: $0 [options] ARCHIVE [ARG...]"
archive=$(readlink -f "$1"); shift
[[ -f $archive ]] || die "$archive: no such file"
[[ $EUID -eq 0 ]] || die "needs root (a mount namespace and chroot)"
for tool in jq unshare capsh flock; do command -v "$tool" >/dev/null || die "$tool is missing (Debian: jq, util-linux, libcap2-bin)"; done

blob() { tar -xOf "$archive" "blobs/sha256/${1#sha256:}"; }
manifest_digest=$(tar -xOf "$archive" index.json | jq -er '.manifests[0].digest')
manifest=$(blob "$manifest_digest")
config=$(blob "$(jq -er .config.digest <<<"$manifest")")

# Unpack once per manifest; a run that finds the directory complete reuses it. The lock serialises runs that start
# together (the agents of several nodes); it is released before the image starts.
base=${KUBEPD_ROOTFS_DIR:-$(dirname "$archive")/rootfs}/$(basename "$archive" .tar)
rootfs=$base/${manifest_digest#sha256:}
mkdir -p "$base"
exec {lock}>"$base/.lock"
flock "$lock"
if [[ ! -f $rootfs.complete ]]; then
  rm -rf "$rootfs"
  tmp=$(mktemp -d "$base/unpack.XXXXXX")
  chmod 0755 "$tmp"
  while IFS= read -r layer; do
    blob "$layer" | tar -xz -C "$tmp" --numeric-owner
  done < <(jq -r '.layers[].digest' <<<"$manifest")
  if find "$tmp" -name '.wh.*' -print -quit | grep -q .; then
    rm -rf "$tmp"
    die "$archive has whiteout files (layers deleting files); this runner only stacks layers"
  fi
  # Trees of other versions of this image are of no further use.
  find "$base" -mindepth 1 -maxdepth 1 ! -path "$tmp" ! -name .lock ! -name .mnt -exec rm -rf {} +
  mv "$tmp" "$rootfs"
  touch "$rootfs.complete"
fi
exec {lock}>&-
mkdir -p "$base/.mnt"

mapfile -t entrypoint < <(jq -r '.config.Entrypoint // [] | .[]' <<<"$config")
mapfile -t cmd < <(jq -r '.config.Cmd // [] | .[]' <<<"$config")
if [[ -n $entrypoint_override ]]; then entrypoint=("$entrypoint_override") cmd=(); fi
(($# == 0)) || cmd=("$@")
((${#entrypoint[@]} + ${#cmd[@]} > 0)) || die "the image has no entrypoint; pass --entrypoint"
command=("${entrypoint[@]}" "${cmd[@]}")

user=${user_override:-$(jq -r '.config.User // "0:0"' <<<"$config")}
[[ $user == *:* ]] || user=$user:$(awk -F: -v u="$user" '$1 == u || $3 == u {print $4}' "$rootfs/etc/passwd")
[[ $user =~ ^[0-9]+:[0-9]+$ ]] || die "user '$user' is not numeric UID:GID"
home=$(awk -F: -v u="${user%%:*}" '$3 == u {print $6}' "$rootfs/etc/passwd")
mapfile -t env < <(jq -r '.config.Env // [] | .[]' <<<"$config")
env=("HOME=${home:-/}" "HOSTNAME=$(hostname)" "${env[@]}" "${extra_env[@]}")

exec unshare --mount --propagation private -- "$0" --inside "$rootfs" "$base/.mnt" "${command[0]}" "$user" \
  "$read_write" "$caps" "$(printf '%s\n' "${tmpfs[@]}")" "$(printf '%s\n' "${volumes[@]}")" \
  "${env[@]}" -- "${command[@]:1}"
