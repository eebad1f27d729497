#!/usr/bin/env node
// CPU cost of receiving data changes with node-opcua's client, for the benchmark that compares
// it with Factory's own OPC UA client.
//
// Usage:
//   node bench-client.mjs <endpointUrl> (--nodes <id,id,...> | --prefix <text> --count <N> [--width 3] [--start 0])
//                         --warmup <ms> --duration <ms>
//                         [--sampling <ms>] [--publishing <ms>] [--queue <n>] [--timeout <ms>] [--pki <dir>]
//
//   --nodes      comma-separated node ids to monitor, e.g. "ns=1;s=Changing.Item000,ns=1;s=Changing.Item001"
//   --prefix     node id prefix completed with a zero-padded number: --prefix "ns=1;s=Changing.Item"
//                --count 100 --width 3 monitors Item000 .. Item099 (--start shifts the first number)
//   --warmup     time between the monitored items' creation and the start of the measurement
//   --duration   length of the measurement window
//   --sampling / --publishing / --queue   monitored item and subscription parameters
//                (defaults 0, 100 and 100)
//   --timeout    limit for connecting and setting up (default 20000), on top of warmup + duration
//   --pki        PKI folder for the client certificate (default: a temporary folder removed at exit)
//
// Connects anonymously with SecurityPolicy None, creates one subscription with one monitored
// item per node, waits the warm-up, then counts the data changes received and the process CPU
// time (process.cpuUsage(), user + system) spent during the measurement window only, and prints
// one JSON line: {"changes", "cpuMicros", "cpuMicrosPerChange", "wallMs", "items"}.
// Errors: {"error": {"message": ...}} on stdout, the message on stderr, non-zero exit code.

import { CliError, ExitCode, describeError, parseArguments, writeJson } from "./lib/stdio.mjs";
import { backgroundKeyGenerationDone } from "./lib/background-keygen.mjs";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OPCUACertificateManager, opcua } from "./lib/opcua-client.mjs";

const { AttributeIds, ClientMonitoredItemGroup, MessageSecurityMode, OPCUAClient, SecurityPolicy, TimestampsToReturn, resolveNodeId } = opcua;

function parseCommandLine(argv) {
    const { values, positionals } = parseArguments(argv, {
        nodes: { type: "string" },
        items: { type: "string" }, // alias of --nodes
        prefix: { type: "string" },
        count: { type: "string" },
        width: { type: "string", default: "3" },
        start: { type: "string", default: "0" },
        warmup: { type: "string" },
        duration: { type: "string" },
        sampling: { type: "string", default: "0" },
        publishing: { type: "string", default: "100" },
        queue: { type: "string", default: "100" },
        timeout: { type: "string", default: "20000" },
        pki: { type: "string" }
    });
    const [endpointUrl, ...extra] = positionals;
    if (!endpointUrl || !/^opc\.tcp:\/\//.test(endpointUrl) || extra.length > 0) {
        throw new CliError("usage: bench-client.mjs <endpointUrl> --prefix <text> --count <N> --warmup <ms> --duration <ms> [...]", ExitCode.usage);
    }
    if (values.warmup === undefined || values.duration === undefined) {
        throw new CliError("--warmup <ms> and --duration <ms> are required", ExitCode.usage);
    }
    return {
        endpointUrl,
        nodeIds: nodeIdsFromOptions(values),
        warmup: integerOption("--warmup", values.warmup, 0),
        duration: integerOption("--duration", values.duration, 1),
        sampling: numberOption("--sampling", values.sampling),
        publishing: numberOption("--publishing", values.publishing),
        queue: integerOption("--queue", values.queue, 0),
        timeout: integerOption("--timeout", values.timeout, 1),
        pki: values.pki === undefined ? undefined : path.resolve(values.pki)
    };
}

function nodeIdsFromOptions(values) {
    const list = values.nodes ?? values.items;
    let texts;
    if (list !== undefined && values.prefix === undefined) {
        texts = list.split(",").map((text) => text.trim()).filter((text) => text.length > 0);
        if (values.count !== undefined && integerOption("--count", values.count, 1) !== texts.length) {
            throw new CliError(`--count ${values.count} does not match the ${texts.length} node ids of --nodes`, ExitCode.usage);
        }
    } else if (values.prefix !== undefined && list === undefined) {
        if (values.count === undefined) {
            throw new CliError("--prefix needs --count <N>", ExitCode.usage);
        }
        const count = integerOption("--count", values.count, 1);
        const width = integerOption("--width", values.width, 0);
        const start = integerOption("--start", values.start, 0);
        texts = Array.from({ length: count }, (_, i) => `${values.prefix}${String(start + i).padStart(width, "0")}`);
    } else {
        throw new CliError("give the node ids with either --nodes <id,id,...> or --prefix <text> --count <N>", ExitCode.usage);
    }
    if (texts.length === 0) {
        throw new CliError("no node ids to monitor", ExitCode.usage);
    }
    for (const text of texts) {
        try {
            resolveNodeId(text);
        } catch {
            throw new CliError(`not a NodeId: "${text}"`, ExitCode.usage);
        }
    }
    return texts;
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where the handler puts each value, so that the work of producing it cannot be skipped. */
export let valueSink;

async function bench(options, cleanup) {
    const client = OPCUAClient.create({
        applicationName: "FactoryOpcUaPeerBenchClient",
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
        securityMode: MessageSecurityMode.None,
        securityPolicy: SecurityPolicy.None,
        endpointMustExist: false,
        keepSessionAlive: false,
        clientCertificateManager: new OPCUACertificateManager({
            rootFolder: options.pki,
            automaticallyAcceptUnknownCertificate: true,
            disableFileWatchers: true
        })
    });
    let lostReason = null;
    client.on("connection_lost", () => {
        lostReason ??= "connection to the server lost";
    });
    cleanup.push(() => client.disconnect());

    await client.connect(options.endpointUrl);
    const session = await client.createSession();
    cleanup.unshift(() => session.close(true));
    const subscription = await session.createSubscription2({
        requestedPublishingInterval: options.publishing,
        requestedLifetimeCount: 6000,
        requestedMaxKeepAliveCount: 10,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 0
    });

    // the measured handler: count, and take the value so that it is really decoded and used
    let changes = 0;
    const group = ClientMonitoredItemGroup.create(
        subscription,
        options.nodeIds.map((text) => ({ nodeId: resolveNodeId(text), attributeId: AttributeIds.Value })),
        { samplingInterval: options.sampling, queueSize: options.queue, discardOldest: true },
        TimestampsToReturn.Both
    );
    group.on("changed", (_monitoredItem, dataValue) => {
        changes += 1;
        valueSink = dataValue.value.value;
    });
    await new Promise((resolve, reject) => {
        group.once("initialized", resolve);
        group.once("err", (message) => reject(new Error(`CreateMonitoredItems failed: ${message}`)));
    });
    const failed = group.monitoredItems.map((item, i) => [options.nodeIds[i], item.statusCode]).filter(([, statusCode]) => !statusCode.isGood());
    if (failed.length > 0) {
        throw new Error(`${failed.length} monitored item(s) failed, first: ${failed[0][0]} ${failed[0][1].name}`);
    }

    // node-opcua's start-up self-test can burn seconds of CPU at any moment: not in the window
    await backgroundKeyGenerationDone();
    await sleep(options.warmup);
    const changesBefore = changes;
    const cpuBefore = process.cpuUsage();
    const wallBefore = process.hrtime.bigint();
    await sleep(options.duration);
    const cpu = process.cpuUsage(cpuBefore);
    const wallNs = process.hrtime.bigint() - wallBefore;
    const measured = changes - changesBefore;
    if (lostReason) {
        throw new Error(lostReason);
    }
    const cpuMicros = cpu.user + cpu.system;
    return {
        changes: measured,
        cpuMicros,
        cpuMicrosPerChange: measured > 0 ? cpuMicros / measured : null,
        wallMs: Number(wallNs) / 1e6,
        items: options.nodeIds.length
    };
}

async function runCleanup(cleanup, limitMs) {
    for (const step of cleanup) {
        try {
            await Promise.race([step(), sleep(limitMs)]);
        } catch {
            // best effort
        }
    }
}

async function main() {
    const cleanup = [];
    let temporaryPki;
    try {
        const options = parseCommandLine(process.argv.slice(2));
        if (!options.pki) {
            temporaryPki = fs.mkdtempSync(path.join(os.tmpdir(), "opcua-peer-bench-"));
            options.pki = temporaryPki;
        }
        let timer;
        const timeout = new Promise((_resolve, reject) => {
            const limit = options.timeout + options.warmup + options.duration;
            timer = setTimeout(() => reject(new CliError(`timed out after ${limit} ms`, ExitCode.timeout)), limit);
        });
        try {
            const result = await Promise.race([bench(options, cleanup), timeout]);
            writeJson(result);
        } finally {
            clearTimeout(timer);
        }
        await runCleanup(cleanup, 2000);
        return ExitCode.ok;
    } catch (err) {
        const exitCode = err instanceof CliError ? err.exitCode : ExitCode.failure;
        const message = describeError(err);
        writeJson({ error: { message, exitCode } });
        process.stderr.write(`bench-client.mjs: error: ${message}\n`);
        await runCleanup(cleanup, 1000);
        return exitCode;
    } finally {
        if (temporaryPki) {
            fs.rmSync(temporaryPki, { recursive: true, force: true });
        }
    }
}

process.exit(await main());
