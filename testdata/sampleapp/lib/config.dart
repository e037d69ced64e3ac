/// Where the app's backends live.
class Config {
  // The API host; clients build URLs with Uri.https(Config.apiHost, ...).
  static const apiHost = 'good.tlsaudit.test';
  static const _authority = 'self-signed.tlsaudit.test:8443';

  // The legacy catalogue still speaks plain HTTP.
  static const legacyBase = 'http://legacy.shop-api.com/v1';

  // Old staging server, kept for reference: https://staging.commented-host.com
  /* static const oldBase = 'https://old.commented-host.com'; */

  static const docs = 'https://dart.dev/guides/libraries/library-tour';
  static const placeholder = 'https://api.example.com/v1';
  static const fixtures = 'https://fixtures.other.test/';
  static const mockServer = 'http://127.0.0.1:4010';
  static const status = 'https://203.0.113.10/health';

  static Uri catalogue(String id) => Uri.https(_authority, '/catalogue/$id');
  static Uri dynamicHost(String region) => Uri.parse('https://$region.dynamic-host.com/');

  // Host only: the legacy clients build their URLs with Uri.http.
  static const legacyHost = 'legacy.shop-api.com';
}
