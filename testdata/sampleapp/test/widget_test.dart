void main() {
  final client = HttpClient()..badCertificateCallback = (c, h, p) => true;
  client.getUrl(Uri.parse('https://test.fixture-host.com/'));
}
