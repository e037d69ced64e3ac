package com.example.shop

import java.security.cert.X509Certificate
import javax.net.ssl.HostnameVerifier
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.X509TrustManager
import okhttp3.CertificatePinner
import okhttp3.OkHttpClient

const val BASE_URL = "https://expired.tlsaudit.test/api/"
// val OLD_URL = "https://old.kotlin-host.com"
private const val BACKUP_PIN = "sha256/CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCA="

object Network {
    private val pinner = CertificatePinner.Builder()
        .add("expired.tlsaudit.test", "sha256/DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDA=")
        .add("expired.tlsaudit.test", BACKUP_PIN)
        .build()

    // Accepts every certificate: the classic copy-paste.
    private val trustAll = object : X509TrustManager {
        override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
        override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
        override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
    }

    // Delegates to the platform: fine.
    class Delegating(private val platform: X509TrustManager) : X509TrustManager {
        override fun checkClientTrusted(chain: Array<out X509Certificate>, authType: String) =
            platform.checkClientTrusted(chain, authType)
        override fun checkServerTrusted(chain: Array<out X509Certificate>, authType: String) {
            platform.checkServerTrusted(chain, authType)
        }
        override fun getAcceptedIssuers(): Array<X509Certificate> = platform.acceptedIssuers
    }

    val client: OkHttpClient = OkHttpClient.Builder()
        .certificatePinner(pinner)
        .hostnameVerifier { _, _ -> true }
        .build()

    val checked: OkHttpClient = OkHttpClient.Builder()
        .hostnameVerifier { hostname, session ->
            HttpsURLConnection.getDefaultHostnameVerifier().verify(hostname, session)
        }
        .build()

    val message = "hostnameVerifier { _, _ -> true } is a bad idea"
}

const val HELP_URL = "https://help.shop-docs.com/app"
