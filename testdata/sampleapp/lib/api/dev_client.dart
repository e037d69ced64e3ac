import 'dart:io';

/// Debug helpers that leaked into the app.
class DevClients {
  HttpClient staging() {
    final client = HttpClient();
    client.badCertificateCallback = (cert, host, port) {
      if (host == 'staging.internal') {
        return true;
      }
      return false;
    };
    return client;
  }

  HttpClient anything() => HttpClient()..badCertificateCallback = _acceptAll;

  static bool _acceptAll(X509Certificate c, String h, int p) {
    return true;
  }

  Uri legacyStock() => Uri.http(Config.legacyHost, '/stock');
}
