#!/bin/sh
# The command line: --help, --version, usage errors, --issue-token on real
# IdP claim shapes (allow, deny, moderator, features), --check exit codes.
. "$(dirname "$0")/lib.sh"

data=$BR_SRCDIR/tests/data/claims
key=$TMP/signing.pem
"$BR_BIN" --generate-key "$key" >/dev/null

# Output and exit status each checked (a pipe into grep would hide the
# status). Not $out: check() sets that.
version_out=$("$BR_BIN" --version 2>&1)
rc=$?
check "--version exits 0" test "$rc" -eq 0
check "--version prints the version" sh -c 'printf "%s\n" "$1" | grep -q "^jitsi-oidc-bridge [0-9]"' sh "$version_out"
help_out=$("$BR_BIN" --help 2>&1)
rc=$?
check "--help exits 0" test "$rc" -eq 0
check "--help shows the usage" sh -c 'printf "%s\n" "$1" | grep -q -- "--issue-token"' sh "$help_out"
"$BR_BIN" --bogus >/dev/null 2>&1
check "an unknown option exits 2" test $? -eq 2
"$BR_BIN" --issue-token --room x >/dev/null 2>&1
check "--issue-token without --claims exits 2" test $? -eq 2

conf() {
	cat >"$TMP/cli.conf" <<CONF
[server]
public_url = https://meet.example.org/auth

[provider]
issuer = http://127.0.0.1:1/
client_id = jitsi
client_secret = secret

[claims]
name = name preferred_username
groups = $1

[jitsi]
url = https://meet.example.org
domain = meet.example.org
signing_key = $key

[rules]
allow = $2
moderator = $3

[features]
recording = $3
livestreaming = false
CONF
}

# issue NAME CLAIMS ROOM EXPECTED_EXIT PATTERN...: runs --issue-token and
# checks the exit status and that each pattern is in its output.
issue() {
	name=$1 claims=$2 room=$3 want=$4
	shift 4
	"$BR_BIN" -c "$TMP/cli.conf" --issue-token --room "$room" --claims "$claims" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		not_ok "$name" "exit $rc, wanted $want: $(cat "$TMP/err")"
		return
	fi
	for p in "$@"; do
		if ! grep -q -- "$p" "$TMP/out" "$TMP/err"; then
			not_ok "$name" "no '$p' in: $(cat "$TMP/err" "$TMP/out")"
			return
		fi
	done
	ok "$name"
}

payload() {
	python3 -c 'import sys,json,base64; t=open(sys.argv[1]).read().strip(); p=t.split(".")[1]; print(json.dumps(json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4))), sort_keys=True))' "$TMP/out"
}

conf groups 'inGroup("jitsi-meet")' 'inGroup("jitsi-moderators")'
issue "LemonLDAP::NG claims: allowed, moderator" "$data/lemonldap-id-token.json" "Board Room" 0 \
	"allow: true" "moderator: true" "feature recording: true" "feature livestreaming: false" 'token room "board%20room"'
p=$(payload)
case "$p" in
*'"affiliation": "owner"'*'"moderator": true'*'"room": "board%20room"'*) ok "the printed token carries the decisions" ;;
*) not_ok "the printed token carries the decisions" "$p" ;;
esac
# [rules] lobby_bypass (here from the environment): shown and in the token
# only for those it holds for.
export JITSI_OIDC_BRIDGE_RULES_LOBBY_BYPASS='inGroup("jitsi-moderators")'
issue "--issue-token shows lobby_bypass when its rule holds" "$data/lemonldap-id-token.json" "x" 0 \
	"moderator: true" "lobby_bypass: true"
case "$(payload)" in
*'"lobby_bypass": true'*) ok "the printed token carries context.user.lobby_bypass" ;;
*) not_ok "the printed token carries context.user.lobby_bypass" "$(payload)" ;;
esac
issue "--issue-token: lobby_bypass rule false" "$data/keycloak-id-token.json" "x" 0 "moderator: false"
# The payload must decode (an empty one would hold no "bypass" either).
p=$(payload)
if grep -q "bypass" "$TMP/err" "$TMP/out"; then
	not_ok "no bypass shown or in the token when the rule is false" "$(cat "$TMP/err")"
else
	case "$p" in
	*bypass*) not_ok "no bypass shown or in the token when the rule is false" "$p" ;;
	*'"affiliation": "member"'*) ok "no bypass shown or in the token when the rule is false" ;;
	*) not_ok "no bypass shown or in the token when the rule is false" "no token payload: $p" ;;
	esac
fi
unset JITSI_OIDC_BRIDGE_RULES_LOBBY_BYPASS

# Keycloak's full paths: "/jitsi-meet" matches inGroup("jitsi-meet"), the
# nested "/staff/jitsi-moderators" only inGroup("staff/jitsi-moderators").
issue "Keycloak top-level group path matches, nested one does not" "$data/keycloak-id-token.json" "x" 0 "allow: true" "moderator: false"
conf groups 'inGroup("jitsi-meet")' 'inGroup("staff/jitsi-moderators")'
issue "Keycloak nested group by its path" "$data/keycloak-id-token.json" "x" 0 "allow: true" "moderator: true"
issue "Entra ID without the groups: denied, exit 3" "$data/azure-id-token.json" "x" 3 "denied by \[rules\] allow"

conf roles '"Jitsi.Moderator" in roles or inGroup("Jitsi.Member")' '"Jitsi.Moderator" in roles'
issue "Entra ID app roles as groups" "$data/azure-id-token.json" "x" 0 "allow: true" "moderator: true"

conf groups '"admin" in realm_access.roles and not room =~ "^board-"' 'false'
issue "Keycloak realm role, room rule allows" "$data/keycloak-id-token.json" "Team" 0 "allow: true" "moderator: false"
issue "room regex denies board- rooms" "$data/keycloak-id-token.json" "Board-Meeting" 3 "denied"
issue "an invalid room is refused (exit 2)" "$data/keycloak-id-token.json" "a/b" 2 "room"

# Regexes see characters, not bytes: "." is one "é" (main sets a UTF-8 locale).
conf groups 'room =~ "^caf.$"' 'room =~ "^[[:alpha:]]+$"'
issue "a rule regex matches non-ASCII room names by character" "$data/lemonldap-id-token.json" "Café" 0 "allow: true" "moderator: true"

printf '{"sub": 5, "sub": 6}' >"$TMP/dup.json"
issue "claims with duplicate keys are refused" "$TMP/dup.json" "x" 1 "duplicate object key"
printf '{"name": "x"}' >"$TMP/nosub.json"
issue "claims without the id claim are refused" "$TMP/nosub.json" "x" 1 "sub"

conf groups 'inGroup("jitsi-meet"' 'true'
issue "a rule syntax error names file, line and column" "$data/lemonldap-id-token.json" "x" 1 "cli.conf:19:"

# --check: config errors exit 1, an unreachable IdP exits 4
conf groups 'true' 'true'
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
rc=$?
if [ $rc -eq 4 ] && grep -q "FAIL  discovery" "$TMP/check.out"; then
	ok "--check with the IdP unreachable exits 4 and says what failed"
else
	not_ok "--check with the IdP unreachable exits 4 and says what failed" "rc=$rc $(cat "$TMP/check.out")"
fi
# ... having printed the Jitsi side first (check_settings.py runs each part)
if grep -q "^    enable_domain_verification = true$" "$TMP/check.out" &&
	grep -q "^JICOFO_ENABLE_AUTH=0$" "$TMP/check.out" &&
	grep -q "^config.tokenAuthUrl = 'https://meet.example.org/auth/login?room={room}&state={state}';$" "$TMP/check.out"; then
	ok "--check with the IdP unreachable still prints the Jitsi side"
else
	not_ok "--check with the IdP unreachable still prints the Jitsi side" "$(cat "$TMP/check.out")"
fi
# The rules are left wide open: --check says so, word for word.
cat >"$TMP/open.want" <<'WANT'
warn  [rules] allow and moderator are both true: everyone the identity provider knows
      gets a token as a moderator (owner); restrict them, e.g. allow = inGroup("jitsi-meet")
      and moderator = inGroup("jitsi-moderators")
WANT
if grep -A2 '^warn  \[rules\]' "$TMP/check.out" | cmp -s - "$TMP/open.want"; then
	ok "--check warns when allow and moderator are both true"
else
	not_ok "--check warns when allow and moderator are both true" "$(cat "$TMP/check.out")"
fi
conf groups 'inGroup("jitsi-meet")' ' ( true ) '
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
cat >"$TMP/open.want" <<'WANT'
warn  [rules] moderator is true: everyone [rules] allow lets in is a moderator (owner);
      restrict it, e.g. moderator = inGroup("jitsi-moderators")
WANT
if grep -A1 '^warn  \[rules\]' "$TMP/check.out" | cmp -s - "$TMP/open.want"; then
	ok "--check warns when moderator is true"
else
	not_ok "--check warns when moderator is true" "$(cat "$TMP/check.out")"
fi
conf groups 'true' 'inGroup("jitsi-moderators")'
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
if grep -q '^ok    rules' "$TMP/check.out" && ! grep -q '^warn  \[rules\]' "$TMP/check.out"; then
	ok "--check does not warn when moderator is restricted"
else
	not_ok "--check does not warn when moderator is restricted" "$(cat "$TMP/check.out")"
fi

# room = wildcard with a rule that reads room: a config error, naming it.
conf groups 'inGroup("jitsi-meet") and not room =~ "^board-"' 'false'
sed -i 's/^domain = meet.example.org$/&\nroom = wildcard/' "$TMP/cli.conf"
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
rc=$?
want='FAIL  '"$TMP"'/cli.conf:20: [rules] allow: reads room, but [jitsi] room = wildcard gives one token for every room: a decision made for one room would hold in all of them (use room = requested, or a rule without room)'
if [ $rc -eq 1 ] && grep -qxF "$want" "$TMP/check.out"; then
	ok "--check: room = wildcard with a rule reading room exits 1 naming the rule"
else
	not_ok "--check: room = wildcard with a rule reading room exits 1 naming the rule" "rc=$rc $(cat "$TMP/check.out")"
fi

# The tenant the rules see is the one the token carries (lower case).
conf groups 'tenant != "sales" or inGroup("sales")' 'false'
"$BR_BIN" -c "$TMP/cli.conf" --issue-token --room x --tenant SALES --claims "$data/keycloak-id-token.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 3 ] && grep -q "denied by \[rules\] allow" "$TMP/err"; then
	ok "--issue-token --tenant SALES: a rule for tenant sales applies (denied)"
else
	not_ok "--issue-token --tenant SALES: a rule for tenant sales applies (denied)" "rc=$rc $(cat "$TMP/err")"
fi

# An accent colour too light for the white page: --check warns, word for word.
conf groups 'inGroup("jitsi-meet")' 'false'
printf '\n[pages]\naccent_colour = #FC0\n' >>"$TMP/cli.conf"
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
want='warn  '"$TMP"'/cli.conf:27: [pages] accent_colour: #ffcc00 has a contrast of 1.51:1 with the white page and the button'"'"'s white text; WCAG 2 AA asks for at least 4.5:1 (choose a darker colour)'
if grep -qxF "$want" "$TMP/check.out"; then
	ok "--check warns when the accent colour's contrast is below 4.5:1"
else
	not_ok "--check warns when the accent colour's contrast is below 4.5:1" "$(cat "$TMP/check.out")"
fi
if grep -qx 'ok    pages: languages en de fr es it nl pt, default en' "$TMP/check.out"; then
	ok "--check names the page languages"
else
	not_ok "--check names the page languages" "$(cat "$TMP/check.out")"
fi
sed -i 's/^accent_colour = .*/accent_colour = #0b6e4f/' "$TMP/cli.conf"
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
if grep -q '^ok    configuration' "$TMP/check.out" && ! grep -q 'accent_colour' "$TMP/check.out"; then
	ok "--check is quiet about a readable accent colour"
else
	not_ok "--check is quiet about a readable accent colour" "$(cat "$TMP/check.out")"
fi

printf '[jitsi]\nbogus = 1\n' >"$TMP/bad.conf"
"$BR_BIN" -c "$TMP/bad.conf" --check >"$TMP/check.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "bad.conf:2: \[jitsi\] bogus" "$TMP/check.out"; then
	ok "--check with a config error exits 1 naming FILE:LINE"
else
	not_ok "--check with a config error exits 1 naming FILE:LINE" "rc=$rc $(cat "$TMP/check.out")"
fi

# A [claims] path the mapping could never read fails at load, not at login.
conf groups 'true' 'false'
sed -i 's/^name = name preferred_username$/name = sub a..b claims["x"/' "$TMP/cli.conf"
"$BR_BIN" -c "$TMP/cli.conf" --check >"$TMP/check.out" 2>&1
rc=$?
want='FAIL  '"$TMP"'/cli.conf:10: [claims] name: claim path "a..b" at column 3: expected a claim name after '"'.'"
if [ $rc -eq 1 ] && grep -qxF "$want" "$TMP/check.out"; then
	ok "--check with a malformed [claims] path exits 1 naming the path"
else
	not_ok "--check with a malformed [claims] path exits 1 naming the path" "rc=$rc $(cat "$TMP/check.out")"
fi

finish
