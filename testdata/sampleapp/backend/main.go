package main

import (
	"crypto/tls"
	"net/http"
)

// client skips verification: the staging certificate was self-signed.
var client = &http.Client{Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
}}

var upstream = "https://self-signed.tlsaudit.test:8443/"
