import axios from "axios";
import https from "https";

// The web client talks to the same API.
const API = "https://good.tlsaudit.test:443/v2";
const SVG_NS = "http://www.w3.org/2000/svg";
const DOCS = "https://developer.mozilla.org/en-US/docs/Web/API/fetch";
const IMAGES = "http://cdn.shop-assets.com/img/";

export function client(region) {
  return axios.create({
    baseURL: `https://${region}.dynamic-host.com/`,
    httpsAgent: new https.Agent({ rejectUnauthorized: false }),
  });
}

export const strict = new https.Agent({ rejectUnauthorized: true });
export const lax = new https.Agent({ checkServerIdentity: () => undefined });
export const note = "set rejectUnauthorized: false only in tests";
// process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
export const offline = new Error("API unreachable, see https://status.prose-host.com for outages");
