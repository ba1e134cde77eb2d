#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the team-server tests: Debian's server binaries, a data
# folder under /tmp, loopback only, password (SCRAM) authentication, a free port. The tests are
# run against it, never against a mock.
#   tests/pg/cluster.sh start   starts it (or finds it running) and prints its admin URL; the CA
#                               that signed its TLS certificate is ca.pem in its folder
#   tests/pg/cluster.sh stop    stops it and removes its folder
#   tests/pg/cluster.sh halt    stops the server, keeping its data (a server gone away)
#   tests/pg/cluster.sh resume  starts the halted server again, on the same port
set -euo pipefail
state=${YUNWEI_PG_STATE:-/tmp/yunwei-test-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/postgres" ] || { echo "PostgreSQL server not installed (make deps installs Debian's postgresql)" >&2; exit 1; }
# initdb and the server refuse to run as root: run them as Debian's postgres user then.
as=()
[ "$(id -u)" = 0 ] && as=(runuser -u postgres --)

exec 9>"$state.lock"
flock 9

# Starts the server of $state on the port it keeps.
serve() {
  local port
  port=$(cat "$state/port")
  "${as[@]}" "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $state -c fsync=off -c synchronous_commit=off -c ssl=on -c ssl_cert_file=$state/server.pem -c ssl_key_file=$state/server.key" \
    start >/dev/null 9>&-
}

case "${1:-}" in
  start)
    if [ -f "$state/url" ] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$(cat "$state/port")"; then
      cat "$state/url"
      exit 0
    fi
    [ -f "$state/data/postmaster.pid" ] && "${as[@]}" "$bin/pg_ctl" -D "$state/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$state"
    mkdir -p "$state"
    [ "$(id -u)" = 0 ] && chown postgres: "$state"
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    printf '%s\n' "$password" >"$state/password"
    [ "$(id -u)" = 0 ] && chown postgres: "$state/password"
    chmod 600 "$state/password"
    "${as[@]}" "$bin/initdb" -D "$state/data" -U yunwei_admin --pwfile="$state/password" \
      -A scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$state/initdb.log" 2>&1
    # TLS as a team server has it: a CA of its own signs the server's certificate (for
    # 127.0.0.1); a second CA, which signed nothing here, is what an impostor would offer.
    (
      cd "$state"
      for ca in ca other-ca; do
        openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=Yunwei test $ca" -keyout "$ca.key" -out "$ca.pem" \
          -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
      done
      openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3 -extfile server.ext -out server.pem 2>/dev/null
      chmod 600 server.key
      [ "$(id -u)" = 0 ] && chown postgres: server.key server.pem
      true
    )
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" >"$state/port"
    serve
    echo "postgresql://yunwei_admin:$password@127.0.0.1:$port/postgres" >"$state/url"
    cat "$state/url"
    ;;
  stop)
    if [ -f "$state/data/postmaster.pid" ]; then
      "${as[@]}" "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null
    fi
    rm -rf "$state"
    ;;
  halt)
    "${as[@]}" "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null
    ;;
  resume)
    serve
    ;;
  *)
    echo "usage: $0 start|stop|halt|resume" >&2
    exit 2
    ;;
esac
