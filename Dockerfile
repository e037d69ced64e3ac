# tlsaudit in a container: a static binary on distroless, run as non-root.
#
#   docker build -t tlsaudit --build-arg VERSION=v1.2.3 .
#   docker run --rm tlsaudit demo
#   docker run --rm -v "$PWD:/work" -w /work tlsaudit scan -f targets.yaml
#
# Build stage: the Go version go.mod names; CGO_ENABLED=0 makes a binary
# that needs no C library, so the image needs none either.
FROM golang:1.27.3 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# VERSION is the one version string (see cli/version.go); without it the
# binary reports the module version or "dev".
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w ${VERSION:+-X github.com/tlsaudit/tlsaudit/cli.version=$VERSION}" \
      -o /out/tlsaudit . \
 && /out/tlsaudit version

# Run stage: distroless "static" has CA certificates (for the system-roots
# trust verdict), /etc/passwd with the nonroot user, and no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tlsaudit /usr/local/bin/tlsaudit
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/tlsaudit"]
CMD ["--help"]
