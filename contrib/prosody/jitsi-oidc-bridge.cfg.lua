-- Prosody settings for Jitsi Meet with jitsi-oidc-bridge (RS256 tokens).
--
-- Merge into /etc/prosody/conf.avail/meet.example.org.cfg.lua (the file the
-- jitsi-meet-prosody package wrote); needs the jitsi-meet-tokens package
-- (Debian/Ubuntu: apt install jitsi-meet-tokens) for mod_auth_token.
-- `jitsi-oidc-bridge -c /etc/jitsi-oidc-bridge/bridge.conf --check` prints
-- this with the values of your bridge.conf filled in.
--
-- The values below must match bridge.conf:
--   app_id                   = [jitsi] app_id    (the token's iss)
--   asap_accepted_audiences  = [jitsi] audience  (the token's aud)
--   VirtualHost name         = [jitsi] domain    (the token's sub)
--   asap_key_server          = [server] public_url .. "/asap"

VirtualHost "meet.example.org"
    authentication = "token"
    app_id = "jitsi"
    -- RS*: Prosody fetches <asap_key_server>/<sha256hex(kid)>.pem.
    -- NO trailing slash: Prosody joins the strings with "/" itself, and
    -- ".../asap//<hash>.pem" is not found (the login then fails or hangs).
    -- The bridge on the same host can be asked directly instead:
    -- asap_key_server = "http://127.0.0.1:8800/auth/asap"
    asap_key_server = "https://meet.example.org/auth/asap"
    -- HS* instead (algorithm = HS256 in bridge.conf): no asap_key_server,
    -- app_secret = "<the same secret as [jitsi] app_secret>"
    allow_empty_token = false
    -- The token's sub must be this domain (or the tenant of /tenant/room).
    -- Prosody's default is false (and docker-jitsi-meet's too): then only
    -- the room name is compared, and a token for /tenant/room is refused.
    enable_domain_verification = true
    -- Defaults: issuers { app_id }, audiences { '*' } (any aud). A list
    -- replaces the default; keep them equal to the bridge's app_id and
    -- audience.
    asap_accepted_issuers = { "jitsi" }
    asap_accepted_audiences = { "jitsi" }
    -- Keep the existing settings of this VirtualHost (ssl, modules_enabled
    -- with "bosh", "websocket", "ping", ..., c2s_require_encryption, ...).

-- The conference MUC: check the token's room on join, and take the
-- moderator role from the token (context.user.affiliation / .moderator).
-- token_affiliation ships with jitsi-meet's Prosody plugins since 2026. On an
-- older install (no /usr/share/jitsi-meet/prosody-plugins/mod_token_affiliation.lua)
-- install jitsi-contrib's copy and enable "token_affiliation_legacy" instead:
--   wget -O /usr/share/jitsi-meet/prosody-plugins/mod_token_affiliation_legacy.lua \
--     https://raw.githubusercontent.com/jitsi-contrib/prosody-plugins/main/token_affiliation_legacy/mod_token_affiliation_legacy.lua
-- Jicofo must not hand out ownership itself: in /etc/jitsi/jicofo/jicofo.conf
--   jicofo.authentication.enabled = false
--   jicofo.conference.enable-auto-owner = false
-- and no org.jitsi.jicofo.auth.URL in sip-communicator.properties.
Component "conference.meet.example.org" "muc"
    -- add to the existing modules_enabled list:
    modules_enabled = {
        "token_verification";
        "token_affiliation";
        -- Only users whose token makes them owners may open a room
        -- (jitsi-contrib/prosody-plugins, installed like the module above;
        -- not together with muc_wait_for_host):
        -- "token_owner_party";
    }

-- Guests. With a guest VirtualHost and config.js hosts.anonymousdomain, Jitsi
-- joins a browser without a token as a guest and never sends it to
-- tokenAuthUrl; with Jicofo's authentication off a guest can then open a
-- room. Either leave guests out (as above), or make them wait for a
-- signed-in host:
--   VirtualHost "meet.example.org": add "persistent_lobby" to modules_enabled
--     (muc_lobby_rooms, lobby_muc and main_muc as jitsi-meet's packages set them)
--   Component "conference.meet.example.org": add "muc_wait_for_host" to
--     modules_enabled, and
--     wait_for_host_disable_auto_owners = true -- else every token holder is an owner
-- A waiting guest is then offered Jitsi's log-in (tokenAuthUrl); signed-in
-- people start at https://meet.example.org/auth/ or link to
-- https://meet.example.org/auth/login?room=<room>.
-- VirtualHost "guest.meet.example.org"
--     authentication = "anonymous"
--     c2s_require_encryption = false
