import 'dart:io';

import 'package:crypto/crypto.dart';

/// Clients that look like the bad patterns but are safe.
class SafeClients {
  static const pinnedFingerprint = 'aa11bb22';
  static const hint = 'never write badCertificateCallback = (c, h, p) => true';

  HttpClient rejecting() {
    final client = HttpClient();
    client.badCertificateCallback = (cert, host, port) => false;
    // client.badCertificateCallback = (c, h, p) => true;
    /* client.badCertificateCallback = (c, h, p) => true; */
    return client;
  }

  Future<SecureSocket> pinned(String host) => SecureSocket.connect(
        host,
        443,
        onBadCertificate: (X509Certificate cert) =>
            sha256.convert(cert.der).toString() == pinnedFingerprint,
      );

  HttpClient named() => HttpClient()..badCertificateCallback = _reject;

  static bool _reject(X509Certificate c, String h, int p) => false;

  bool isReady() {
    return true;
  }
}
