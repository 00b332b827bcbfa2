#!/usr/bin/env bash
# Install the Debian packages that the tests and benchmarks talk to, when they are missing.
# As root on Debian this installs them; otherwise it says loudly what is missing and how to get
# it, and the tests that need them are skipped with the same reason.
set -u
# spamassassin and rspamd: the phishing benchmark's references, run offline by the benchmark
# itself (their system daemons are never started, see policy-rc.d below).
want=(dovecot-imapd notmuch afew isync openssl spamassassin rspamd libharfbuzz-subset0)
[ "${ACCALMIE_SYSTEM_DEPS_EXTRA:-}" ] && want+=(${ACCALMIE_SYSTEM_DEPS_EXTRA})
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Never start the distribution's own daemons: the tests start private instances.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "!! apt-get could not install: ${missing[*]}" >&2; exit 0; }
else
  cat >&2 <<MSG
!!
!! Missing Debian packages: ${missing[*]}
!! Install them with:  sudo apt-get install ${missing[*]}
!! Until then, the tests that need them are SKIPPED (see the skip reasons in the test report)
!! and the benchmarks against the established tools cannot run.
!!
MSG
fi
exit 0
