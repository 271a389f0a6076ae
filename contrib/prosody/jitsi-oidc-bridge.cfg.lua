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
    -- A list here replaces the default (app_id); keep them equal to the
    -- bridge's app_id and audience.
    asap_accepted_issuers = { "jitsi" }
    asap_accepted_audiences = { "jitsi" }
    -- Keep the existing settings of this VirtualHost (ssl, modules_enabled
    -- with "bosh", "websocket", "ping", ..., c2s_require_encryption, ...).

-- The conference MUC: check the token's room on join, and take the
-- moderator role from the token (context.user.affiliation / .moderator).
Component "conference.meet.example.org" "muc"
    -- add to the existing modules_enabled list:
    modules_enabled = {
        "token_verification";
        "token_affiliation";
        -- Only users whose token makes them owners may open a room:
        -- "token_owner_party";
    }

-- Optional: guests without an account may join rooms that an authenticated
-- user has opened (config.js: hosts.anonymousdomain = "guest.meet.example.org").
-- VirtualHost "guest.meet.example.org"
--     authentication = "anonymous"
--     c2s_require_encryption = false
