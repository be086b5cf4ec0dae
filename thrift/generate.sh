#!/usr/bin/env bash
# Regenerates the committed Java from the IDL. Needs the thrift compiler 0.17.0 (Debian: apt-get install thrift-compiler).
# The build itself never runs this: the generated code is committed.
#
# libthrift 0.18 changed ProcessFunction and AsyncProcessFunction to carry the result type as well
# (ProcessFunction<I, ARGS, RESULT>, a getEmptyResultInstance() method, a public isOneway()). Debian's 0.17 compiler
# still emits the older shape, so the service processors are brought to the libthrift 0.25 shape below; structs and
# clients need no change. The rewrite is mechanical and idempotent, and the build checks the result compiles.
set -euo pipefail
cd "$(dirname "$0")"
command -v thrift >/dev/null || { echo "thrift compiler not found: apt-get install thrift-compiler" >&2; exit 1; }
out=src/main/java
rm -rf "$out/io/gfs/thrift/gen"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
thrift --gen java:generated_annotations=suppress,private_members -out "$tmp" src/main/thrift/gfs.thrift
for f in "$tmp"/io/gfs/thrift/gen/*Service.java; do
  perl -0pi -e '
    s/ProcessFunction<I, \?\s+extends\s+org\.apache\.thrift\.TBase>/ProcessFunction<I, ? extends org.apache.thrift.TBase, ? extends org.apache.thrift.TBase>/g;
    s/AsyncProcessFunction<I, \?\s+extends\s+org\.apache\.thrift\.TBase,\s*\?>/AsyncProcessFunction<I, ? extends org.apache.thrift.TBase, ?, ? extends org.apache.thrift.TBase>/g;
    s/(class (\w+)<I extends Iface> extends org\.apache\.thrift\.ProcessFunction<I, \w+_args)>( \{)/$1, $2_result>$3\n      \@Override\n      public $2_result getEmptyResultInstance() {\n        return new $2_result();\n      }\n/g;
    s/(class (\w+)<I extends AsyncIface> extends org\.apache\.thrift\.AsyncProcessFunction<I, \w+_args, [\w.<>]+)>( \{)/$1, $2_result>$3\n      \@Override\n      public $2_result getEmptyResultInstance() {\n        return new $2_result();\n      }\n/g;
    s/protected boolean isOneway\(\)/public boolean isOneway()/g;
  ' "$f"
done
mkdir -p "$out/io/gfs/thrift"
cp -r "$tmp/io/gfs/thrift/gen" "$out/io/gfs/thrift/"
