// The --security option of client.mjs and server.mjs: "None", or "<policy>:<mode>" with a
// node-opcua SecurityPolicy name and Sign or SignAndEncrypt.

import { CliError, ExitCode } from "./stdio.mjs";

/**
 * Parses one security: returns { policy, mode } in node-opcua's values. SecurityPolicy and
 * MessageSecurityMode come from the node-opcua package the script loaded.
 */
export function parseSecurity(text, { SecurityPolicy, MessageSecurityMode }) {
    if (text === "None") {
        return { policy: SecurityPolicy.None, mode: MessageSecurityMode.None };
    }
    const [policyName, modeName] = text.split(":");
    const policy = SecurityPolicy[policyName];
    const mode = { Sign: MessageSecurityMode.Sign, SignAndEncrypt: MessageSecurityMode.SignAndEncrypt }[modeName];
    if (!policy || policyName === "None" || mode === undefined) {
        throw new CliError(`--security must be None or <policy>:<Sign|SignAndEncrypt>, e.g. Basic256Sha256:SignAndEncrypt; got "${text}"`, ExitCode.usage);
    }
    return { policy, mode };
}
