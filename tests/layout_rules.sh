#!/bin/sh
# Which folder may use which (docs/layout.md, "What depends on what"), by
# the quoted includes of every C source:
#   strategies/           itself only; the build environment supplies
#                         <mn_compat.h> and <mn_user_access.h>
#   module/               itself, its uapi/ and strategies/
#   bench/lib/            itself and the module's uapi/ header: the
#                         libraries know no program
#   bench/model/          itself, strategies/ and bench/lib/
#   bench/suite/          itself, the model, strategies/ and bench/lib/
#   bench/module_client/  itself, bench/lib/, the uapi/ header, and of
#                         strategies/ only the headers that name strategies
#                         and lay rings out (no code: it talks to the module)
# And mnbench-module links no model or strategy code; no two source files
# share a name unless they are one API implemented twice.
#   layout_rules.sh BUILD_DIR
set -u
build=$1
. "$(dirname "$0")/checks.sh"

# check_includes DIR ALLOWED...: every quoted include of a C source in
# DIR (and below) resolves, next to the file or in an ALLOWED folder, to
# a file inside one of the ALLOWED folders, or to an ALLOWED file itself;
# no angle include names a file of the tree, but the environment's
# headers.
check_includes() {
	dir=$1
	shift
	find "$top/$dir" -name '*.[ch]' -o -name '*.cc' | while read -r f; do
		sed -n 's/^#include \([<"]\)\([^>"]*\)[>"].*/\1 \2/p' "$f" |
		while read -r kind name; do
			if [ "$kind" = '"' ]; then
				resolve_allowed "$f" "$name" "$@" ||
					echo "FAIL: ${f#$top/} includes \"$name\" from outside" \
						"$(echo "$*" | sed "s|$top/||g")"
			elif [ "$name" != mn_compat.h ] &&
			     [ "$name" != mn_user_access.h ]; then
				hit=$(find "$top/bench" "$top/module" "$top/strategies" \
					-path "*/$name" | head -1)
				[ -n "$hit" ] && echo "FAIL: ${f#$top/} includes <$name>: ${hit#$top/}"
			fi
		done
	done
}

# resolve_allowed FILE NAME ALLOWED...: the first of FILE's folder and
# the ALLOWED folders (a file's folder, for an ALLOWED file) holding NAME
# holds it inside what is ALLOWED.
resolve_allowed() {
	f=$1 name=$2
	shift 2
	for base in "$(dirname "$f")" "$@"; do
		[ -f "$base" ] && base=$(dirname "$base")
		[ -e "$base/$name" ] || continue
		real=$(realpath "$base/$name")
		for ok in "$@"; do
			ok=$(realpath "$ok")
			if [ -f "$ok" ]; then
				[ "$real" = "$ok" ] && return 0
			else
				case $real in "$ok"/*) return 0 ;; esac
			fi
		done
	done
	return 1
}

s=$top/strategies
lib=$top/bench/lib
check_includes strategies "$s" >"$tmp/inc"
check_includes module "$top/module" "$top/module/uapi" "$s" >>"$tmp/inc"
{
	check_includes bench/lib "$lib" "$top/module/uapi"
	check_includes bench/model "$top/bench/model" "$s" "$lib"
	check_includes bench/suite "$top/bench/suite" "$top/bench/model" "$s" "$lib"
	check_includes bench/module_client "$top/bench/module_client" "$lib" \
		"$top/module/uapi" "$s/strategy_names.h" "$s/strategy_list.h" \
		"$s/vq/vring.h"
} >>"$tmp/inc"
if [ -s "$tmp/inc" ]; then
	cat "$tmp/inc"
	fails=$((fails + $(wc -l <"$tmp/inc")))
fi

# One name, one meaning: a basename two source files share must be one
# API implemented twice, each build environment supplying its own.
#   mn_compat.h, mn_user_access.h: the kernel API the shared code is
#   written against, in the model (bench/model/) and in the module
#   (module/); docs/layout.md explains the pair.
same_api="mn_compat.h mn_user_access.h"
find "$top" \( -path "$top/.git" -o -path "$top/build" -o -path "$top/build-*" \
	-o -path "$top/results" \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print |
	sed 's|.*/||' | sort | uniq -d >"$tmp/dups"
while read -r name; do
	case " $same_api " in *" $name "*) continue ;; esac
	fail "two source files are named $name: $(find "$top" -path "$top/build*" \
		-prune -o -name "$name" -print | sed "s|$top/||" | tr '\n' ' ')"
done <"$tmp/dups"
for name in $same_api; do
	[ "$(find "$top/bench/model" "$top/module" -maxdepth 1 -name "$name" |
		wc -l)" -eq 2 ] || fail "$name: not one in bench/model/ and one in module/"
done

# Both builds compile every strategies/*.c; registry.c registers the
# listed ones. A file the list lacks, or a listed name without its file,
# is a mistake: the strategies of build/strategies.json and the files
# must be the same names.
json=$build/strategies.json
if [ -f "$json" ]; then
	/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1, "schema_version"
for s in d["strategies"]:
    print(s["name"])' "$json" | sort >"$tmp/listed" ||
		fail "$json is not strategies JSON"
	find "$top/strategies" -maxdepth 1 -name '*.c' ! -name registry.c |
		sed 's|.*/||; s|\.c$||' | sort >"$tmp/files"
	comm -3 "$tmp/listed" "$tmp/files" | while read -r name; do
		echo "FAIL: strategy $name: in only one of strategy_list.h and strategies/*.c"
	done >"$tmp/agree"
	[ -s "$tmp/agree" ] && { cat "$tmp/agree"; fails=$((fails + $(wc -l <"$tmp/agree"))); }
else
	fail "no $json: CMake writes it from strategy_list.h"
fi

# mnbench-module: its link line and its symbols.
link=$build/bench/CMakeFiles/mnbench-module.dir/link.txt
if [ -f "$link" ]; then
	grep -q 'libmnmodel' "$link" && fail "mnbench-module links the model library"
	grep -q 'strategies/' "$link" && fail "mnbench-module links strategy objects"
else
	fail "no link line for mnbench-module in $build"
fi
bin=$build/bench/mnbench-module
if [ -x "$bin" ] && command -v nm >/dev/null; then
	nm "$bin" | grep -wE 'model_run|oracle_report|mn_strategy_find|mn_vq_process' &&
		fail "mnbench-module contains model or strategy code"
fi
finish
