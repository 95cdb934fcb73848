#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the consent-page browser test (Playwright drives it via
# ExecutablePath; no browser is ever downloaded). Installs the `chromium` package with apt-get when it is missing.
# Source it and call havale_chromium_ensure, as ./test.sh does.

havale_chromium_ensure() {
    [[ -x /usr/bin/chromium ]] && return 0
    if (( EUID != 0 )); then
        printf 'chromium.sh: /usr/bin/chromium is missing and we are not root; install the chromium package\n' >&2
        return 1
    fi
    printf 'chromium.sh: installing Debian'"'"'s chromium package\n' >&2
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >&2 < /dev/null
}
