// ${CONFIG}/web/custom-config.js: appended to config.js by docker-jitsi-meet.
// (tokenAuthUrl comes from TOKEN_AUTH_URL in .env.)
config.tokenLogoutUrl = 'https://meet.example.org/auth/logout';
// Without this, the token's context.features (recording, livestreaming, ...)
// are ignored.
config.enableFeaturesBasedOnToken = true;
