#!/bin/sh
# scripts/host-module refuses a host that cannot take the module, each
# reason on a constructed tree (MNBENCH_HOST_ROOT, MNBENCH_HOST_UID): not
# root, no module support, no kernel build tree, Secure Boot (EFI variable or mokutil),
# enforced signatures, lockdown, module loading disabled, the module
# loaded already; a good tree passes. A refused run builds, loads and
# writes nothing. Bad arguments are exit 2. (Loading, running and
# unloading: tests/vm_host_module.sh, in a VM.)
#   tests/host_module.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
hm=$top/scripts/host-module
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 n=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# A stand-in mokutil: what it answers is in $tmp/sb-state.
mkdir "$tmp/bin"
cat >"$tmp/bin/mokutil" <<EOF
#!/bin/sh
[ "\$1" = --sb-state ] && cat "$tmp/sb-state"
EOF
chmod +x "$tmp/bin/mokutil"
PATH=$tmp/bin:$PATH
export PATH

rel=6.1.0-99-amd64
r=$tmp/root
efivar=$r/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c
# A host that can: root, headers, no Secure Boot, no lockdown.
good() {
	rm -rf "$r"
	mkdir -p "$r/proc/sys/kernel" "$r/sys/kernel/security" "$r/dev" \
		"$r/sys/module/module/parameters" "$(dirname "$efivar")" \
		"$r/lib/modules/$rel/build"
	echo "$rel" >"$r/proc/sys/kernel/osrelease"
	echo 0 >"$r/proc/sys/kernel/modules_disabled"
	: >"$r/proc/modules"
	echo '[none] integrity confidentiality' >"$r/sys/kernel/security/lockdown"
	echo N >"$r/sys/module/module/parameters/sig_enforce"
	printf '\006\000\000\000\000' >"$efivar"
	touch "$r/lib/modules/$rel/build/Makefile"
	echo 'SecureBoot disabled' >"$tmp/sb-state"
	uid=0
}

# check STATUS WORD [host-module args]: exit STATUS, WORD in its output.
check() {
	want=$1 word=$2
	shift 2
	n=$((n + 1))
	MNBENCH_HOST_ROOT=$r MNBENCH_HOST_UID=$uid "$hm" "$@" >"$tmp/msg" 2>&1
	got=$?
	if [ $got -ne "$want" ]; then
		fail "$case: exit $got, not $want"
		cat "$tmp/msg"
	elif ! grep -qF -- "$word" "$tmp/msg"; then
		fail "$case: no '$word' in:"
		cat "$tmp/msg"
	fi
}

case=good; good
check 0 "can load the module (kernel $rel)" --check
case=not-root; good; uid=1000
check 3 'refused: not root (user id 1000)' --check
case=no-headers; good; rm "$r/lib/modules/$rel/build/Makefile"
check 3 "refused: no kernel build tree for $rel at /lib/modules/$rel/build" --check
case=no-headers-with-ko; touch "$tmp/mnbench.ko"
check 0 'can load the module' --check --ko "$tmp/mnbench.ko"
case=other-release; good
check 3 'no kernel build tree for 6.12.0-1-amd64' --check --release 6.12.0-1-amd64
case=secure-boot-efivar; good; printf '\006\000\000\000\001' >"$efivar"
check 3 'refused: Secure Boot is on (EFI variable SecureBoot)' --check
case=secure-boot-mokutil; good; rm "$efivar"; echo 'SecureBoot enabled' >"$tmp/sb-state"
check 3 'refused: Secure Boot is on (mokutil --sb-state)' --check
case=sig-enforce; good; echo Y >"$r/sys/module/module/parameters/sig_enforce"
check 3 'refused: module signatures are enforced' --check
case=lockdown; good; echo 'none [integrity] confidentiality' >"$r/sys/kernel/security/lockdown"
check 3 'refused: the kernel is locked down (integrity' --check
case=no-module-support; good; rm "$r/proc/modules"
check 3 'refused: the kernel was built without module support' --check
case=modules-disabled; good; echo 1 >"$r/proc/sys/kernel/modules_disabled"
check 3 'refused: module loading is disabled' --check
case=dev-present; good; touch "$r/dev/mnbench"
check 3 'refused: the module is loaded already (/dev/mnbench exists)' --check
case=sysfs-present; good; mkdir -p "$r/sys/module/mnbench"
check 3 'refused: the module is loaded already (/sys/module/mnbench exists)' --check
case=every-reason; good; uid=1000
rm "$r/lib/modules/$rel/build/Makefile"
printf '\006\000\000\000\001' >"$efivar"
echo Y >"$r/sys/module/module/parameters/sig_enforce"
echo 'none integrity [confidentiality]' >"$r/sys/kernel/security/lockdown"
echo 1 >"$r/proc/sys/kernel/modules_disabled"
touch "$r/dev/mnbench"
rm "$r/proc/modules"
check 3 'refused: the kernel is locked down (confidentiality' --check
[ "$(grep -c '^host-module: refused: ' "$tmp/msg")" = 8 ] ||
	fail "$case: not 8 reasons, one a line: $(cat "$tmp/msg")"

# A refused run stops before building, loading or writing anything.
case=refused-run; good; uid=1000
check 3 'refused: not root' --out "$tmp/run.json" -- --strategies counter
[ ! -e "$tmp/run.json" ] || fail "$case: a refused run wrote its output"

# The real user id: a user who is not root is refused for real.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	n=$((n + 1))
	msg=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$hm" --check 2>&1)
	[ $? -eq 3 ] && printf '%s' "$msg" | grep -q 'refused: not root (user id 65534)' ||
		fail "real uid 65534: $msg"
elif [ "$(id -u)" != 0 ]; then
	n=$((n + 1))
	msg=$("$hm" --check 2>&1)
	[ $? -eq 3 ] && printf '%s' "$msg" | grep -q 'refused: not root' ||
		fail "real uid $(id -u): $msg"
fi

# Bad arguments: exit 2, naming the argument; --help: exit 0.
case=args; good
check 2 '--check or --out FILE is needed'
check 2 '--out needs a value' --out
check 2 "unknown argument '--bogus'" --check --bogus
check 2 "--ko '$tmp/none.ko': no such file" --check --ko "$tmp/none.ko"
check 2 '/etc/hostname/x.json: cannot write there' --out /etc/hostname/x.json -- --loads none
check 2 "host-module's --out" --out "$tmp/run.json" -- --out other.json
check 2 'takes no mnbench-module arguments' --check -- --loads none
check 0 'Usage: scripts/host-module --check' --help

[ $fails -eq 0 ] || { echo "FAIL: $fails of $n"; exit 1; }
echo "PASS: $n cases, each refusal named"
