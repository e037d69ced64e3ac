package targets

import (
	"github.com/tlsaudit/tlsaudit/scanner"
)

// TargetFields are the fields of a targets-file entry that scans t as it
// is: its name, host, port and server name, and each setting t holds
// away from its default. clientCert and clientKey name the files that
// hold t's client certificate, when it presents one.
func TargetFields(t *scanner.Target, clientCert, clientKey string) []Field {
	fields := []Field{
		{Key: "name", Value: t.Name, Quoted: true},
		{Key: "host", Value: t.Host, Quoted: true},
		{Key: "port", Value: t.Port},
		{Key: "servername", Value: t.ServerName, Quoted: true},
	}
	if t.ConnectTimeout != scanner.DefaultConnectTimeout {
		fields = append(fields, Field{Key: "timeout", Value: t.ConnectTimeout.String()})
	}
	if t.Profile != "" {
		fields = append(fields, Field{Key: "profile", Value: t.Profile})
	}
	if len(t.Pins) > 0 {
		pins := make([]string, len(t.Pins))
		for i, p := range t.Pins {
			pins[i] = PinPrefix + p
		}
		fields = append(fields, Field{Key: "pins", Value: pins, Flow: true, Quoted: true})
	}
	if t.ClientCert != nil {
		fields = append(fields,
			Field{Key: "client_cert", Value: clientCert, Quoted: true},
			Field{Key: "client_key", Value: clientKey, Quoted: true})
	}
	if t.OnlineRevocation {
		fields = append(fields, Field{Key: "online_revocation", Value: true})
	}
	if len(t.Clients) > 0 {
		fields = append(fields, Field{Key: "clients", Value: t.Clients, Flow: true})
	}
	if len(t.Zlint) > 0 {
		fields = append(fields, Field{Key: "zlint", Value: t.Zlint, Flow: true})
	}
	if !t.SpeaksHTTP() {
		return append(fields, Field{Key: "protocol", Value: string(t.Protocol())})
	}
	fields = append(fields, Field{Key: "http_port", Value: t.HTTPPort()})
	if t.Path != "" {
		fields = append(fields, Field{Key: "http_path", Value: t.Path, Quoted: true})
	}
	if t.HTTP.Method != "" {
		fields = append(fields, Field{Key: "http_method", Value: t.HTTPMethod()})
	}
	return fields
}
