let url = URL(string: "https://xctest.fixture-host.com")!
