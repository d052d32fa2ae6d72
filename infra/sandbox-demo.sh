#!/usr/bin/env bash
# Walks a new customer and a digital giftcard through their life using only
# Leat's documented API calls: create a contact, give it a loyalty card, create
# a digital giftcard, load it, spend from it, and see Leat refuse to spend more
# than its balance. Works against the sandbox (`make sandbox`) or a Leat test
# account: export LEAT_API_URL and LEAT_API_TOKEN first.
set -euo pipefail

: "${LEAT_API_URL:?export LEAT_API_URL (make sandbox prints it)}"
: "${LEAT_API_TOKEN:?export LEAT_API_TOKEN (make sandbox prints it)}"
api="${LEAT_API_URL%/}/api/v3/oauth/clients"

# leat METHOD PATH [JSON]: prints the body, then the HTTP status on a last line.
leat() {
	local args=(-sS -X "$1" "$api$2" -H "Authorization: Bearer $LEAT_API_TOKEN" -H 'Accept: application/json' -w '\n%{http_code}')
	if [[ $# -gt 2 ]]; then args+=(-H 'Content-Type: application/json' --data "$3"); fi
	curl "${args[@]}"
}

# expect STATUS RESPONSE: fails the script unless the response has that status.
expect() {
	local status=${2##*$'\n'}
	if [[ $status != "$1" ]]; then
		echo "expected HTTP $1, got $status: ${2%$'\n'*}" >&2
		exit 1
	fi
}

# field PATH: the value at a dotted PATH ("data.uuid", "data.0.uuid") of the
# JSON response on stdin, its status line dropped. Node is on every machine
# that runs the gateway's tools.
field() {
	sed '$d' | node -e '
		let raw = "";
		process.stdin.on("data", c => raw += c).on("end", () => {
			const value = process.argv[1].split(".").reduce((v, k) => v?.[k], JSON.parse(raw));
			console.log(value ?? "");
		});' "$1"
}

suffix="$(date +%s)-$RANDOM"
email="demo-$suffix@example.com"
card="DEMO-$suffix"

r=$(leat POST /contacts "{\"email\":\"$email\"}"); expect 200 "$r"
contact=$(field data.uuid <<<"$r")
echo "1. created contact $email ($contact)"

r=$(leat POST /contact-identifiers "{\"contact_identifier_value\":\"$card\",\"contact_identifier_name\":\"Loyalty Card\",\"contact_uuid\":\"$contact\"}")
expect 200 "$r"
r=$(leat GET "/contact-identifiers/find?contact_identifier_value=$card"); expect 200 "$r"
[[ $(field data.contact.uuid <<<"$r") == "$contact" ]] || { echo "card $card does not point at $contact" >&2; exit 1; }
echo "2. gave it loyalty card $card"

r=$(leat GET /giftcard-programs); expect 200 "$r"; program=$(field data.0.uuid <<<"$r")
r=$(leat GET /shops); expect 200 "$r"; shop=$(field data.0.uuid <<<"$r")
r=$(leat POST /giftcards "{\"type\":1,\"giftcard_program_uuid\":\"$program\"}"); expect 200 "$r"
giftcard=$(field data.uuid <<<"$r"); hash=$(field data.hash <<<"$r")
echo "3. created digital giftcard $hash"

r=$(leat POST /giftcard-transactions "{\"giftcard_uuid\":\"$giftcard\",\"shop_uuid\":\"$shop\",\"amount_in_cents\":2500}"); expect 200 "$r"
echo "4. loaded it with 2500 cents"
r=$(leat POST /giftcard-transactions "{\"giftcard_uuid\":\"$giftcard\",\"shop_uuid\":\"$shop\",\"amount_in_cents\":-1000}"); expect 200 "$r"
r=$(leat GET "/giftcards/find-one-by?hash=$hash"); expect 200 "$r"
balance=$(field data.amount_in_cents <<<"$r")
[[ $balance == 1500 ]] || { echo "balance is $balance cents, want 1500" >&2; exit 1; }
echo "5. spent 1000 cents; 1500 cents left"

r=$(leat POST /giftcard-transactions "{\"giftcard_uuid\":\"$giftcard\",\"shop_uuid\":\"$shop\",\"amount_in_cents\":-5000}")
expect 400 "$r"
code=$(field code <<<"$r")
[[ $code == 5003 ]] || { echo "overspending gave code $code, want 5003" >&2; exit 1; }
echo "6. spending 5000 cents was refused: Leat error $code ($(field message <<<"$r"))"
