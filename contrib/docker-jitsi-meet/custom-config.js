// ${CONFIG}/web/custom-config.js: appended to config.js by docker-jitsi-meet.
// (tokenAuthUrl comes from TOKEN_AUTH_URL in .env; docker-jitsi-meet has no
// variable for tokenLogoutUrl.)
// Jitsi uses tokenLogoutUrl only from Settings > Profile > Logout, which it
// shows only when Jicofo's authentication is on (JICOFO_ENABLE_AUTH=0 here):
// link https://meet.example.org/auth/logout from your portal as well.
config.tokenLogoutUrl = 'https://meet.example.org/auth/logout';
// The token's context.features apply without any switch here. Leave
// tokenAuthInline unset: the bridge does not answer Jitsi's login popup.
