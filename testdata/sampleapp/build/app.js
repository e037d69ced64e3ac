fetch("https://build.output-host.com/api");
