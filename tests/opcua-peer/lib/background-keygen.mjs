// Tames node-opcua's start-up self-test on Node 20 and 21.
//
// When node-opcua-secure-channel is loaded on Node 20 or 21 it checks, in the background, whether
// RSA PKCS#1 v1.5 decryption still works (it does not since the CVE-2023-46809 fix; the check
// then prints warning NODE-OPCUA-W27, which only matters for SecurityPolicy Basic128Rsa15). For
// that it generates a 4096-bit RSA key pair: 0.5 to 4.5 s of CPU on a libuv thread at a random
// moment, nothing awaits it, and a process cannot exit before it is over.
//
// This module, imported before node-opcua, wraps crypto.subtle.generateKey:
//   - that self-test's key is made with 2048 bits instead (about 0.3 s); the verdict of the check
//     does not depend on the key size;
//   - every key generation is recorded, so that server.mjs (before READY) and bench-client.mjs
//     (before measuring) can wait until the background work is over.

import { webcrypto } from "node:crypto";

const pending = [];
const { subtle } = webcrypto;
const generateKey = subtle.generateKey;

function isSelfTestKey(algorithm) {
    return algorithm?.name === "RSA-OAEP" && algorithm.modulusLength === 4096 && algorithm.hash === "SHA-512";
}

subtle.generateKey = function trackedGenerateKey(algorithm, ...rest) {
    const effective = isSelfTestKey(algorithm) ? { ...algorithm, modulusLength: 2048 } : algorithm;
    const promise = generateKey.call(this, effective, ...rest);
    pending.push(promise);
    return promise;
};

/** Resolves once every key generation started so far has finished (successfully or not). */
export async function backgroundKeyGenerationDone() {
    await Promise.allSettled(pending);
}
