# The versions of the servers that scripts/infra.sh builds; plain KEY=value lines, so shell
# scripts source this file and other tools can read it line by line.
FERRETDB_VERSION=v2.5.0
# FerretDB v2.5.0 builds with Go 1.24 only (the module proxy serves that toolchain).
FERRETDB_GO_VERSION=1.24.6
DOCUMENTDB_VERSION=0.106.0
LIBBSON_VERSION=1.28.0
PGVECTOR_VERSION=0.8.0
PG_CRON_VERSION=1.6.3
