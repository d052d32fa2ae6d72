# The README's two commands are `make run` and `make test`; everything else here
# is what those two are built from.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
SANDBOX_ADDR ?= 127.0.0.1:8480

FUNCTIONS := $(notdir $(patsubst %/,%,$(wildcard functions/*/)))
# lambda.norpc leaves out the RPC mode provided.al2023 never uses;
# validator_novalidatefn leaves out the validator's one call of a method by a
# name known only at run time, which would make the linker keep every
# exported method of every type, the AWS clients' unused operations among them.
LAMBDA_TAGS := lambda.norpc,validator_novalidatefn

.PHONY: run test build sandbox lint vet node-deps chromium bench fuzz fuzz-short chaos

## run: the whole gateway on localhost (DynamoDB Local, local Step Functions, emulated
## API Gateway, Leat sandbox). Prints GATEWAY_URL and the demo API keys; Ctrl-C stops it.
run: node-deps
	$(GO) run ./infra/cmd/localstack -env-file build/localstack.env

## test: every check CI runs: lint, vet and all Go tests with the race detector (the
## reference POS's in headless Chromium among them), with one DynamoDB Local shared by the
## whole run. The tests build every function through the
## targets sam build runs, so the build is checked without building twice.
test: node-deps chromium lint vet fuzz-short
	$(GO) run ./infra/cmd/ddblocal -- $(GO) test -race -count=1 ./...

## chromium: Debian's Chromium, which the reference POS's browser tests drive; installed
## from Debian's packages when missing.
chromium:
	@command -v chromium >/dev/null || { \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends chromium; }

## build: every function as the bootstrap binary Lambda runs (provided.al2023, arm64),
## then each one's size.
build: $(FUNCTIONS:%=build/%/bootstrap)
	@for f in $(FUNCTIONS); do printf '%-26s %6d KiB\n' $$f $$(( $$(wc -c < build/$$f/bootstrap) / 1024 )); done

build/%/bootstrap: FORCE
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags $(LAMBDA_TAGS) -trimpath -ldflags='-s -w' -o $@ ./functions/$*

# sam build (BuildMethod: makefile) runs `make build-<LogicalId>` with ARTIFACTS_DIR set.
# A function's directory is its logical id in kebab case without "Function":
# IdentifyCustomerFunction builds functions/identify-customer.
kebab = $(shell echo '$(1)' | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr A-Z a-z)
build-%Function: FORCE
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set; sam build sets it" >&2; exit 1; }
	$(MAKE) --no-print-directory build/$(call kebab,$*)/bootstrap
	cp build/$(call kebab,$*)/bootstrap "$(ARTIFACTS_DIR)/bootstrap"

.PHONY: FORCE
FORCE:

## sandbox: run the Leat sandbox alone; prints LEAT_API_URL and LEAT_API_TOKEN.
sandbox:
	$(GO) run ./infra/cmd/leat-sandbox -addr $(SANDBOX_ADDR)

## node-deps: install the pinned npm tools (local Step Functions engine, ASL validator, DynamoDB Local).
node-deps: infra/node_modules/.package-lock.json

infra/node_modules/.package-lock.json: infra/package.json infra/package-lock.json
	npm ci --prefix infra --no-audit --no-fund --loglevel=error

## lint: the SAM template and every state machine definition.
lint: node-deps
	@command -v cfn-lint >/dev/null || { echo "cfn-lint is missing: it is preinstalled on the build machines and cannot be installed here" >&2; exit 1; }
	cfn-lint template.yaml
	@files=(statemachines/*.asl.json infra/localsfn/testdata/*.asl.json); \
	args=(); for f in "$${files[@]}"; do [[ -e $$f ]] && args+=(--json-path "$$f"); done; \
	if (( $${#args[@]} )); then infra/node_modules/.bin/asl-validator "$${args[@]}"; fi

## vet: go vet and staticcheck, pinned by go.mod's tool directive.
vet:
	@unformatted=$$(gofmt -l functions infra shared); \
	if [[ -n $$unformatted ]]; then echo "not gofmt-formatted: $$unformatted" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## bench: benchmarks that report ratios and counts measured within one run; the
## checkout's run through the local stack, so DynamoDB Local serves them too. 100
## samples each, enough for a p99; one package at a time, so no timing shares the
## machine with another package's benchmarks, and the functions' cold starts before
## DynamoDB Local's JVM starts, which keeps a core busy for a while.
bench: node-deps
	$(GO) test -run='^$$' -bench=. -benchtime=100x -benchmem ./functions
	$(GO) run ./infra/cmd/ddblocal -- $(GO) test -p 1 -run='^$$' -bench=. -benchtime=100x -benchmem \
		$$($(GO) list ./... | grep -v '/functions$$')

## fuzz: each fuzz target (request bodies, authorization headers, ids, Leat's
## answers) for FUZZTIME; fuzz-short, 20,000 inputs each (a count, not a time: a
## time limit can end a run mid-step and fail it with "context deadline exceeded"), is part of make test.
FUZZ_TARGETS := shared/api:FuzzRequestBodies shared/leat:FuzzResponses shared/tenancy:FuzzAuthorizationHeader \
	shared/tenancy:FuzzLocationAndTenantIDs shared/ledger:FuzzIDs
FUZZTIME ?= 2m

fuzz:
	@for target in $(FUZZ_TARGETS); do \
		echo "fuzzing $${target#*:} for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$${target#*:}$$" -fuzztime=$(FUZZTIME) ./$${target%%:*}; \
	done

fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

## chaos: CHAOS_RUNS randomised checkouts and returns while the sandbox fails
## CHAOS_FAULTS percent of Leat requests; prints the figures and the seed
## (CHAOS_SEED replays one), under each sandbox variant and once more with DynamoDB
## Local and the sandbox restarted and step invocations killed. make test runs 40 each.
CHAOS_RUNS ?= 1000
CHAOS_FAULTS ?= 20
CHAOS_SEED ?= 0
chaos: node-deps
	$(GO) run ./infra/cmd/ddblocal -- $(GO) test -count=1 -timeout=120m -v -run='^TestChaos$$' ./infra/localstack \
		-args -chaos.runs=$(CHAOS_RUNS) -chaos.faults=$(CHAOS_FAULTS) -chaos.seed=$(CHAOS_SEED) 2>&1 | grep -Ev '^(=== |\{)'

