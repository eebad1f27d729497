#!/usr/bin/env node
// node-opcua client used by Factory's interop tests to exercise an OPC UA server (ours).
//
// Usage:
//   node client.mjs <endpointUrl> endpoints
//   node client.mjs <endpointUrl> browse <nodeId> [--depth <n>] [--max-refs <n>]
//   node client.mjs <endpointUrl> read <nodeId>...
//   node client.mjs <endpointUrl> write <nodeId> <BuiltInType> <jsonValue>
//   node client.mjs <endpointUrl> subscribe <nodeId>... --duration <ms> [--sampling <ms>]
//                   [--publishing <ms>] [--queue <n>]
//
// Common options:
//   --timeout <ms>      give up after this long (default 20000; subscribe adds --duration)
//   --pki <dir>         PKI folder for the client certificate (default: a fresh temporary folder,
//                       removed at exit)
//   --security <p>:<m>  security policy and mode, e.g. Basic256Sha256:SignAndEncrypt (default None)
//   --user <name>       log in as this user, with the password in the PEER_PASSWORD environment
//                       variable (default: anonymous)
//   --trace             log every request sent and response received on stderr
//
// Output: one JSON document on stdout (endpoints, browse, read, write) or JSON lines (subscribe:
// one line per data change, then a {"summary": true, ...} line). Values follow the JSON
// conventions of README.md / lib/values.mjs. On failure: {"error": {"message": ...}} on stdout,
// the message on stderr, and exit code 1 (failure), 2 (usage) or 3 (timeout).

import { CliError, ExitCode, describeError, parseArguments, writeJson } from "./lib/stdio.mjs";
import { parseSecurity } from "./lib/security.mjs";
import "./lib/background-keygen.mjs"; // before node-opcua: see the file

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OPCUACertificateManager, opcua } from "./lib/opcua-client.mjs";
import {
    arrayTypeName,
    builtInTypeName,
    dateTimeToJson,
    expandedNodeIdToText,
    jsonToVariant,
    nodeIdToText,
    statusCodeToJson,
    variantToJson
} from "./lib/values.mjs";

const {
    AttributeIds,
    BrowseDirection,
    ClientMonitoredItemGroup,
    MessageSecurityMode,
    NodeClass,
    OPCUAClient,
    SecurityPolicy,
    TimestampsToReturn,
    UserTokenType,
    resolveNodeId
} = opcua;

const COMMANDS = ["endpoints", "browse", "read", "write", "subscribe"];

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseCommandLine(argv) {
    const { values, positionals } = parseArguments(argv, {
        timeout: { type: "string", default: "20000" },
        pki: { type: "string" },
        security: { type: "string", default: "None" },
        user: { type: "string" },
        depth: { type: "string", default: "1" },
        "max-refs": { type: "string", default: "0" },
        duration: { type: "string" },
        sampling: { type: "string", default: "0" },
        publishing: { type: "string", default: "100" },
        queue: { type: "string", default: "100" },
        trace: { type: "boolean", default: false }
    });
    const [endpointUrl, command, ...args] = positionals;
    if (!endpointUrl || !/^opc\.tcp:\/\//.test(endpointUrl)) {
        throw new CliError("first argument must be an endpoint URL opc.tcp://host:port", ExitCode.usage);
    }
    if (!COMMANDS.includes(command)) {
        throw new CliError(`command must be one of ${COMMANDS.join(", ")}`, ExitCode.usage);
    }
    const security = parseSecurity(values.security, { SecurityPolicy, MessageSecurityMode });
    if (values.user !== undefined && process.env.PEER_PASSWORD === undefined) {
        throw new CliError("--user needs the password in the PEER_PASSWORD environment variable", ExitCode.usage);
    }
    const options = {
        security,
        user: values.user,
        endpointUrl,
        command,
        args,
        timeout: integerOption("--timeout", values.timeout, 1),
        pki: values.pki === undefined ? undefined : path.resolve(values.pki),
        depth: integerOption("--depth", values.depth, 1),
        maxRefs: integerOption("--max-refs", values["max-refs"], 0),
        duration: values.duration === undefined ? undefined : integerOption("--duration", values.duration, 0),
        sampling: numberOption("--sampling", values.sampling),
        publishing: numberOption("--publishing", values.publishing),
        queue: integerOption("--queue", values.queue, 0),
        trace: values.trace
    };
    checkCommandArguments(options);
    return options;
}

function checkCommandArguments({ command, args, duration }) {
    const usage = (text) => {
        throw new CliError(`usage: client.mjs <endpointUrl> ${text}`, ExitCode.usage);
    };
    switch (command) {
        case "endpoints":
            if (args.length !== 0) usage("endpoints");
            break;
        case "browse":
            if (args.length !== 1) usage("browse <nodeId> [--depth n] [--max-refs n]");
            break;
        case "read":
            if (args.length === 0) usage("read <nodeId>...");
            break;
        case "write":
            if (args.length !== 3) usage("write <nodeId> <BuiltInType> <jsonValue>");
            break;
        case "subscribe":
            if (args.length === 0 || duration === undefined) usage("subscribe <nodeId>... --duration <ms> [--sampling ms] [--publishing ms] [--queue n]");
            break;
    }
    if (command !== "endpoints" && command !== "write") {
        args.forEach(parseNodeId);
    }
    if (command === "write") {
        parseNodeId(args[0]);
    }
}

function integerOption(name, text, min) {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
        throw new CliError(`${name} must be an integer >= ${min}, got "${text}"`, ExitCode.usage);
    }
    return value;
}

function numberOption(name, text) {
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
        throw new CliError(`${name} must be a number, got "${text}"`, ExitCode.usage);
    }
    return value;
}

function parseNodeId(text) {
    try {
        return resolveNodeId(text);
    } catch {
        throw new CliError(`not a NodeId: "${text}"`, ExitCode.usage);
    }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

async function endpointsCommand(client) {
    const endpoints = await client.getEndpoints();
    writeJson({
        endpoints: endpoints.map((endpoint) => ({
            endpointUrl: endpoint.endpointUrl,
            securityMode: MessageSecurityMode[endpoint.securityMode],
            securityPolicyUri: endpoint.securityPolicyUri,
            securityLevel: endpoint.securityLevel,
            transportProfileUri: endpoint.transportProfileUri,
            server: {
                applicationUri: endpoint.server?.applicationUri ?? null,
                productUri: endpoint.server?.productUri ?? null,
                applicationName: endpoint.server?.applicationName?.text ?? null
            },
            userIdentityTokens: (endpoint.userIdentityTokens ?? []).map((token) => ({
                policyId: token.policyId,
                tokenType: UserTokenType[token.tokenType],
                securityPolicyUri: token.securityPolicyUri ?? null
            }))
        }))
    });
}

/**
 * Browses forward hierarchical references (with subtypes), recursively to --depth.
 *
 * node-opcua's session.browse() sends one Browse request with requestedMaxReferencesPerNode
 * taken from session.requestedMaxReferencesPerNode and returns the BrowseResult as it is,
 * continuation point included: it does not call BrowseNext. This command follows every
 * continuation point with session.browseNext() itself and reports how many calls it took;
 * --max-refs sets requestedMaxReferencesPerNode (0, the default, lets the server decide).
 */
async function browseCommand(session, { args, depth, maxRefs }) {
    session.requestedMaxReferencesPerNode = maxRefs;
    const visited = new Set();
    const browseNode = async (nodeId, remainingDepth) => {
        visited.add(nodeIdToText(nodeId));
        const result = await session.browse({
            nodeId,
            browseDirection: BrowseDirection.Forward,
            referenceTypeId: "HierarchicalReferences",
            includeSubtypes: true,
            nodeClassMask: 0,
            resultMask: 0x3f
        });
        const references = [...result.references];
        let continuationPoint = result.continuationPoint;
        let browseNextCalls = 0;
        let statusCode = result.statusCode;
        while (statusCode.isGood() && continuationPoint && continuationPoint.length > 0) {
            const next = await session.browseNext(continuationPoint, false);
            browseNextCalls += 1;
            statusCode = next.statusCode;
            references.push(...next.references);
            continuationPoint = next.continuationPoint;
        }
        const node = { nodeId: nodeIdToText(nodeId), statusCode: statusCodeToJson(statusCode), browseNextCalls, references: [] };
        for (const reference of references) {
            const entry = referenceToJson(reference);
            const target = reference.nodeId;
            if (remainingDepth > 1 && !target.serverIndex && !visited.has(nodeIdToText(target))) {
                entry.children = await browseNode(target, remainingDepth - 1);
            }
            node.references.push(entry);
        }
        return node;
    };
    writeJson(await browseNode(parseNodeId(args[0]), depth));
}

function referenceToJson(reference) {
    return {
        referenceTypeId: nodeIdToText(reference.referenceTypeId),
        isForward: reference.isForward,
        nodeId: expandedNodeIdToText(reference.nodeId),
        browseName: { namespaceIndex: reference.browseName.namespaceIndex, name: reference.browseName.name },
        displayName: { locale: reference.displayName?.locale ?? null, text: reference.displayName?.text ?? null },
        nodeClass: NodeClass[reference.nodeClass] ?? reference.nodeClass,
        typeDefinition: reference.typeDefinition ? expandedNodeIdToText(reference.typeDefinition) : null
    };
}

async function readCommand(session, { args }) {
    const nodesToRead = args.map((text) => ({ nodeId: parseNodeId(text), attributeId: AttributeIds.Value }));
    const dataValues = await session.read(nodesToRead, 0);
    writeJson({ results: dataValues.map((dataValue, i) => dataValueToReadResult(args[i], dataValue)) });
}

function dataValueToReadResult(nodeId, dataValue) {
    const variant = dataValue.value;
    return {
        nodeId,
        statusCode: statusCodeToJson(dataValue.statusCode),
        builtInType: builtInTypeName(variant.dataType),
        arrayType: arrayTypeName(variant.arrayType),
        dimensions: variant.dimensions ? Array.from(variant.dimensions) : null,
        value: variantToJson(variant),
        sourceTimestamp: dateTimeToJson(dataValue.sourceTimestamp, dataValue.sourcePicoseconds),
        serverTimestamp: dateTimeToJson(dataValue.serverTimestamp, dataValue.serverPicoseconds)
    };
}

async function writeCommand(session, { args }) {
    const [nodeIdText, typeName, jsonText] = args;
    let variant;
    try {
        variant = jsonToVariant(typeName, JSON.parse(jsonText));
    } catch (err) {
        throw new CliError(`cannot make a ${typeName} value from ${jsonText}: ${err.message}`, ExitCode.usage);
    }
    const statusCode = await session.write({ nodeId: parseNodeId(nodeIdText), attributeId: AttributeIds.Value, value: { value: variant } });
    writeJson({ nodeId: nodeIdText, statusCode: statusCodeToJson(statusCode) });
}

/** One subscription, one monitored item per node id, JSON lines until --duration has passed. */
async function subscribeCommand(session, { args, duration, sampling, publishing, queue }) {
    const subscription = await session.createSubscription2({
        requestedPublishingInterval: publishing,
        requestedLifetimeCount: 6000,
        requestedMaxKeepAliveCount: 10,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 0
    });
    let changes = 0;
    let keepAlives = 0;
    let collecting = true;
    subscription.on("keepalive", () => {
        if (collecting) keepAlives += 1;
    });
    const group = ClientMonitoredItemGroup.create(
        subscription,
        args.map((text) => ({ nodeId: parseNodeId(text), attributeId: AttributeIds.Value })),
        { samplingInterval: sampling, queueSize: queue, discardOldest: true },
        TimestampsToReturn.Both
    );
    group.on("changed", (_monitoredItem, dataValue, index) => {
        if (!collecting) return;
        changes += 1;
        writeJson({
            nodeId: args[index],
            value: variantToJson(dataValue.value),
            sourceTimestamp: dateTimeToJson(dataValue.sourceTimestamp, dataValue.sourcePicoseconds),
            statusCode: statusCodeToJson(dataValue.statusCode)
        });
    });
    await new Promise((resolve, reject) => {
        group.once("initialized", resolve);
        group.once("err", (message) => reject(new Error(`CreateMonitoredItems failed: ${message}`)));
    });
    const items = group.monitoredItems.map((item, i) => ({
        nodeId: args[i],
        statusCode: statusCodeToJson(item.statusCode),
        revisedSamplingInterval: item.result?.revisedSamplingInterval ?? null,
        revisedQueueSize: item.result?.revisedQueueSize ?? null
    }));

    await new Promise((resolve) => setTimeout(resolve, duration));
    collecting = false;
    writeJson({
        summary: true,
        changes,
        keepAlives,
        subscriptionId: subscription.subscriptionId,
        revisedPublishingInterval: subscription.publishingInterval,
        revisedMaxKeepAliveCount: subscription.maxKeepAliveCount,
        items
    });
    await subscription.terminate();
}

// ---------------------------------------------------------------------------------------------
// Connection and main
// ---------------------------------------------------------------------------------------------

async function run(options, cleanup) {
    const client = OPCUAClient.create({
        applicationName: "FactoryOpcUaPeerClient",
        // fail fast: no reconnection attempts, a broken server gives an error at once
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
        securityMode: options.security.mode,
        securityPolicy: options.security.policy,
        endpointMustExist: false,
        keepSessionAlive: false,
        requestedSessionTimeout: 60000,
        clientCertificateManager: new OPCUACertificateManager({
            rootFolder: options.pki,
            automaticallyAcceptUnknownCertificate: true,
            disableFileWatchers: true
        })
    });
    if (options.trace) {
        client.on("send_request", (request) => process.stderr.write(`client.mjs: > ${request.constructor.name}\n`));
        client.on("receive_response", (response) =>
            process.stderr.write(`client.mjs: < ${response.constructor.name} ${response.responseHeader?.serviceResult?.name ?? ""}\n`)
        );
    }
    let closing = false;
    const lost = new Promise((_resolve, reject) => {
        client.on("connection_lost", () => {
            if (!closing) reject(new Error("connection to the server lost"));
        });
    });
    lost.catch(() => {}); // only observed through Promise.race below
    cleanup.push(async () => {
        closing = true;
        await client.disconnect();
    });

    const step = (promise) => Promise.race([promise, lost]);
    await step(client.connect(options.endpointUrl));
    if (options.command === "endpoints") {
        await step(endpointsCommand(client));
        return;
    }
    const identity = options.user === undefined
        ? undefined // anonymous
        : { type: UserTokenType.UserName, userName: options.user, password: process.env.PEER_PASSWORD };
    const session = await step(client.createSession(identity));
    cleanup.unshift(() => session.close(true));
    switch (options.command) {
        case "browse":
            await step(browseCommand(session, options));
            break;
        case "read":
            await step(readCommand(session, options));
            break;
        case "write":
            await step(writeCommand(session, options));
            break;
        case "subscribe":
            await step(subscribeCommand(session, options));
            break;
    }
}

/** Runs the cleanup steps in order, each bounded so a dead server cannot hold the exit. */
async function runCleanup(cleanup, limitMs) {
    for (const step of cleanup) {
        try {
            await Promise.race([step(), new Promise((resolve) => setTimeout(resolve, limitMs))]);
        } catch {
            // best effort: the result has already been printed
        }
    }
}

async function main() {
    let options;
    const cleanup = [];
    let temporaryPki;
    try {
        options = parseCommandLine(process.argv.slice(2));
        if (!options.pki) {
            temporaryPki = fs.mkdtempSync(path.join(os.tmpdir(), "opcua-peer-client-"));
            options.pki = temporaryPki;
        }
        const limit = options.timeout + (options.command === "subscribe" ? options.duration : 0);
        let timer;
        const timeout = new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new CliError(`timed out after ${limit} ms`, ExitCode.timeout)), limit);
        });
        try {
            await Promise.race([run(options, cleanup), timeout]);
        } finally {
            clearTimeout(timer);
        }
        await runCleanup(cleanup, 2000);
        return ExitCode.ok;
    } catch (err) {
        const exitCode = err instanceof CliError ? err.exitCode : ExitCode.failure;
        const message = describeError(err);
        writeJson({ error: { message, command: options?.command ?? null, exitCode } });
        process.stderr.write(`client.mjs: error: ${message}\n`);
        await runCleanup(cleanup, 1000);
        return exitCode;
    } finally {
        if (temporaryPki) {
            fs.rmSync(temporaryPki, { recursive: true, force: true });
        }
    }
}

process.exit(await main());
