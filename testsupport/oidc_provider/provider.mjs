// A local OpenID provider for Heimveg's tests (node-oidc-provider, pinned in package-lock.json),
// configured like HelseID (PAR required, private_key_jwt, PKCE, the helseid://claims/... claims)
// and like ID-porten (acr idporten-loa-substantial/high, the pid claim). Test only: it runs on
// http://127.0.0.1 and trusts the accounts it is given.
//
//   node provider.mjs CONFIG.json
//
// CONFIG: {"port", "issuer", "clients": [{client_id, jwks, redirect_uris, post_logout_redirect_uris}],
//          "accounts": {"login": {"sub", "acr", "claims": {...}}}, "id_token_ttl"}
// It prints "ready <issuer>" on stdout once it listens. Its signing keys are made at start, so two
// instances sign with different keys.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const HELSEID_CLAIMS = {
  'helseid://scopes/identity/pid': ['helseid://claims/identity/pid'],
  'helseid://scopes/identity/security_level': ['helseid://claims/identity/security_level'],
  'helseid://scopes/hpr/hpr_number': ['helseid://claims/hpr/hpr_number'],
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `test-${config.port}`, alg: 'RS256', use: 'sig' };

const accountsBySub = Object.fromEntries(Object.values(config.accounts).map((account) => [account.sub, account]));

// The provider's sign-out confirmation (RP-initiated logout), plain: the default loads web fonts.
async function logoutSource(ctx, form) {
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-out</title></head>
<body><main><h1>Sign out of the test identity provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
}

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...client,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['heimveg-test-provider-cookie-key'] },
  scopes: ['openid', 'profile', ...Object.keys(HELSEID_CLAIMS)],
  claims: { openid: ['sub', 'pid'], profile: ['name'], ...HELSEID_CLAIMS },
  acrValues: ['idporten-loa-substantial', 'idporten-loa-high'],
  conformIdTokenClaims: false,
  clockTolerance: 300,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
    rpInitiatedLogout: { enabled: true, logoutSource },
  },
  ttl: { IdToken: config.id_token_ttl || 60, AccessToken: 600, Session: 3600, Interaction: 600, Grant: 3600 },
  async findAccount(ctx, sub) {
    const account = accountsBySub[sub];
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account.claims }; } };
  },
  // No consent screen: the grant is given at once (HelseID and ID-porten show none to staff).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;
// Test only: the Heimveg under test runs on a port chosen at random (the browser tests' live
// server), so any port of 127.0.0.1 is accepted for the callback and the sign-out's return.
const anyPort = (path) => (uri) => /^http:\/\/(127\.0\.0\.1|localhost):\d+\//.test(uri) && new URL(uri).pathname === path;
provider.Client.prototype.redirectUriAllowed = anyPort('/accounts/oidc/callback/');
provider.Client.prototype.postLogoutRedirectUriAllowed = anyPort('/accounts/oidc/signed-out/');

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">User name</label> <input id="login" name="login" autocomplete="off">
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST') {
    const form = await readForm(req);
    const account = config.accounts[form.get('login')];
    if (!account) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(details.uid, 'Unknown user'));
      return;
    }
    const result = { login: { accountId: account.sub, acr: account.acr } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page(details.uid));
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`ready ${config.issuer}\n`));
