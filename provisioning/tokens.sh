#!/bin/sh
# Derives the compose stack's tokens from the variables the README asks for, then runs the
# service's own command ("$@"). docker-compose.yml mounts it as the entrypoint of the exporter
# and Grafana, so setting MODELWATCH_ADMIN_TOKEN alone moves every token with it:
#   MODELWATCH_GRAFANA_TOKEN     the app's exporter token (provisioning/grafana/plugins);
#                                unset or empty: MODELWATCH_ADMIN_TOKEN.
#   MODELWATCH_GRAFANA_TOKEN_ID  the token whose X-Grafana-User the exporter trusts; unset or
#                                empty: the id inside a minted MODELWATCH_GRAFANA_TOKEN (mw_<id>_…).
set -eu
MODELWATCH_GRAFANA_TOKEN="${MODELWATCH_GRAFANA_TOKEN:-${MODELWATCH_ADMIN_TOKEN:-}}"
if [ -z "${MODELWATCH_GRAFANA_TOKEN_ID:-}" ]; then
  case "$MODELWATCH_GRAFANA_TOKEN" in
    mw_[a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9][a-z0-9]_*)
      id="${MODELWATCH_GRAFANA_TOKEN#mw_}"
      MODELWATCH_GRAFANA_TOKEN_ID="${id%%_*}"
      ;;
  esac
fi
export MODELWATCH_GRAFANA_TOKEN
export MODELWATCH_GRAFANA_TOKEN_ID="${MODELWATCH_GRAFANA_TOKEN_ID:-}"
exec "$@"
