// ${CONFIG}/web/custom-config.js: appended to config.js by docker-jitsi-meet.
// (tokenAuthUrl comes from TOKEN_AUTH_URL in .env; docker-jitsi-meet has no
// variable for tokenLogoutUrl.)
// Jitsi uses tokenLogoutUrl only from Settings > Profile > Logout: link
// https://meet.example.org/auth/logout from your portal as well.
config.tokenLogoutUrl = 'https://meet.example.org/auth/logout';
// The bridge is served under the Jitsi host (/auth), so Jitsi's inline mode
// works: sign-in in a popup without leaving the meeting, renewal, logout in
// a hidden frame.  Remove this line if the bridge is on another host.
config.tokenAuthInline = true;
// The token's context.features apply without any switch here.
