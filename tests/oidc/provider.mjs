// A real OpenID Connect provider (the `oidc-provider` package from npm, pinned in package-lock.json) for
// tests/test_oidc.py. Its development sign-in form accepts any login and password: the login becomes the
// account's subject and e-mail address (verified). Configuration from the environment:
//   OIDC_PORT       the port to listen on (127.0.0.1)
//   OIDC_CLIENTS    a JSON list of clients: [{client_id, client_secret, redirect_uris: [...]}]
// Prints "listening <issuer>" on standard output once it takes requests.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS).map((c) => ({
  ...c,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
}));

const provider = new Provider(issuer, {
  clients,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: ['test-only-cookie-key-not-a-secret'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id.split('@')[0] };
      },
    };
  },
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
