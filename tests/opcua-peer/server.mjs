#!/usr/bin/env node
// node-opcua server used as the independent peer in Factory's OPC UA interop tests.
//
// Usage:
//   node server.mjs --port <n> --pki <dir> [--changing <N>] [--interval <ms>] [--manifest <file>]
//                   [--max-sessions <n>] [--security <p>:<m>[,...]] [--user <name>] [--no-anonymous]
//                   [--trust <certificate.der>] [--strict-pki]
//
//   --port          TCP port to listen on, on 127.0.0.1 only (required)
//   --pki           folder for the server's own certificate and PKI stores (required; use a
//                   temporary folder, never one inside the repository)
//   --changing      number of Changing.ItemNNN counters (default 100)
//   --interval      tick period of the counters in ms (default 100)
//   --manifest      write a JSON description of the served nodes and their values to this file
//   --max-sessions  maximum number of sessions and of connections (default 50)
//   --security      the endpoints' policies and modes, e.g. Basic256Sha256:SignAndEncrypt (default None)
//   --user          a user who may log in, with the password in the PEER_PASSWORD environment variable
//   --no-anonymous  refuse anonymous users
//   --trust         a client certificate (DER) to trust
//   --strict-pki    refuse client certificates not trusted (default: accept any)
//
// Offers SecurityPolicy None / MessageSecurityMode None with anonymous users. When listening it
// prints exactly one line "READY opc.tcp://127.0.0.1:<port>" on stdout (the manifest, if asked
// for, is complete by then), then runs until SIGTERM or SIGINT, shuts down and exits 0.
// Failures are reported on stderr with a non-zero exit code. See README.md for the address space.

import { CliError, ExitCode, describeError, parseArguments, writeLine } from "./lib/stdio.mjs";
import { parseSecurity } from "./lib/security.mjs";
import { backgroundKeyGenerationDone } from "./lib/background-keygen.mjs";

import fs from "node:fs";
import path from "node:path";
import opcua from "node-opcua";
import { requireFromNodeOpcua } from "./lib/opcua-client.mjs";
import { arrayTypeName, builtInTypeName, jsonToScalar, nodeIdToText, variantToJson } from "./lib/values.mjs";

const {
    DataType,
    DataValue,
    DiagnosticInfo,
    MessageSecurityMode,
    MonitoringMode,
    OPCUACertificateManager,
    OPCUAServer,
    SecurityPolicy,
    StatusCodes,
    Variant,
    VariantArrayType
} = opcua;

const HOST = "127.0.0.1";
const NAMESPACE_URI = "urn:factory:opcua-peer";
const SHUTDOWN_GRACE_MS = 5000;

// ---------------------------------------------------------------------------------------------
// Values served. Written in the JSON conventions of lib/values.mjs and converted with the same
// code client.mjs uses for writes. The manifest lists them as defined here; reading them back
// with client.mjs gives the same JSON (see README.md, "Checking the peer").
// ---------------------------------------------------------------------------------------------

const SAMPLES = [
    { type: "Boolean", scalar: true, array: [true, false, true] },
    { type: "SByte", scalar: -128, array: [-128, -1, 0, 127] },
    { type: "Byte", scalar: 255, array: [0, 128, 255] },
    { type: "Int16", scalar: -32768, array: [-32768, -1, 0, 32767] },
    { type: "UInt16", scalar: 65535, array: [0, 1, 65535] },
    { type: "Int32", scalar: -2147483648, array: [-2147483648, -7, 0, 2147483647] },
    { type: "UInt32", scalar: 4294967295, array: [0, 1, 4294967295] },
    { type: "Int64", scalar: "-9223372036854775808", array: ["-9223372036854775808", "-1", "0", "4294967296", "9223372036854775807"] },
    { type: "UInt64", scalar: "18446744073709551615", array: ["0", "4294967296", "18446744073709551615"] },
    { type: "Float", scalar: -1.5, array: [-1.5, 0.25, 3.4028234663852886e38, -1.401298464324817e-45] },
    { type: "Double", scalar: -6.02214076e23, array: [3.141592653589793, -2.5e-300, 1.7976931348623157e308, 5e-324] },
    { type: "String", scalar: "Prüfstand 7 — 温度", array: ["Prüfstand 7 — 温度", "", 'tab\tnew line\n"quotes"', "😀"] },
    {
        type: "DateTime",
        scalar: "2024-02-29T13:45:30.1234567Z",
        array: ["2000-01-01T00:00:00.0000000Z", "2024-02-29T13:45:30.1234567Z", "1970-01-01T00:00:00.0000001Z"]
    },
    {
        type: "Guid",
        scalar: "72962b91-fa75-4ae6-8d28-b404dc7daf63",
        array: ["00000000-0000-0000-0000-000000000000", "72962b91-fa75-4ae6-8d28-b404dc7daf63", "ffffffff-ffff-ffff-ffff-ffffffffffff"]
    },
    { type: "ByteString", scalar: "AAF/gP7/", array: ["AAEC", "", "/w==", "3q2+7w=="] },
    {
        type: "XmlElement",
        scalar: '<Machine id="7"><Temperature unit="°C">21.5</Temperature></Machine>',
        array: ["<a/>", '<b x="1">text</b>', "<c><d>ü</d></c>"]
    },
    {
        type: "NodeId",
        scalar: "ns=1;g=09087e75-8e5e-499b-954f-f2a9603db28a",
        array: ["i=85", "ns=1;s=Scalars.Int32", "ns=1;g=09087e75-8e5e-499b-954f-f2a9603db28a", "ns=1;b=AAECAw==", "ns=2;i=4294967295"]
    },
    {
        // node-opcua's Read copies a scalar ExpandedNodeId with Variant.clone(), which keeps only
        // the NodeId part: the scalar carries no NamespaceUri / ServerIndex, the array does
        type: "ExpandedNodeId",
        scalar: "ns=1;s=Remote.Node",
        array: ["i=2253", "ns=1;s=Peer", "svr=1;nsu=urn:factory:elsewhere;i=42"]
    },
    { type: "StatusCode", scalar: 0x80340000, array: [0, 0x40920000, 0x80340000] },
    {
        type: "QualifiedName",
        scalar: { namespaceIndex: 1, name: "Spindle Speed" },
        array: [
            { namespaceIndex: 0, name: "Objects" },
            { namespaceIndex: 1, name: "Prüfstand" },
            { namespaceIndex: 3, name: "Ω-Achse" }
        ]
    },
    {
        type: "LocalizedText",
        scalar: { locale: "de-DE", text: "Prüfstand" },
        array: [
            { locale: "en-US", text: "Test bench" },
            { locale: null, text: "no locale" },
            { locale: "ja-JP", text: "温度" }
        ]
    }
];

const MATRICES = [
    { name: "Int32", type: "Int32", dimensions: [2, 3], elements: [1, -2, 3, -4, 5, -2147483648] },
    { name: "Double", type: "Double", dimensions: [2, 2, 2], elements: [0.5, -1.25, 2, -3.75, 0.001, -1000, 6.02214076e23, -0.125] },
    { name: "String", type: "String", dimensions: [2, 2], elements: ["a0", "a1", "b0", "Prüfstand"] }
];

const WRITABLES = [
    { name: "Boolean", type: "Boolean", value: false },
    { name: "Int32", type: "Int32", value: 0 },
    { name: "UInt32", type: "UInt32", value: 0 },
    { name: "Int64", type: "Int64", value: "0" },
    { name: "UInt64", type: "UInt64", value: "0" },
    { name: "Float", type: "Float", value: 0 },
    { name: "Double", type: "Double", value: 0 },
    { name: "String", type: "String", value: "" },
    { name: "DateTime", type: "DateTime", value: "2000-01-01T00:00:00.0000000Z" },
    { name: "Guid", type: "Guid", value: "00000000-0000-0000-0000-000000000000" },
    { name: "ByteString", type: "ByteString", value: "" },
    { name: "NodeId", type: "NodeId", value: "i=0" },
    { name: "LocalizedText", type: "LocalizedText", value: { locale: "en", text: "initial" } },
    { name: "DoubleArray", type: "Double", value: [0, 0, 0] },
    { name: "Int32Array", type: "Int32", value: [] },
    { name: "StringArray", type: "String", value: ["", ""] }
];

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseCommandLine(argv) {
    const { values, positionals } = parseArguments(argv, {
        port: { type: "string" },
        pki: { type: "string" },
        changing: { type: "string", default: "100" },
        interval: { type: "string", default: "100" },
        manifest: { type: "string" },
        "max-sessions": { type: "string", default: "50" },
        security: { type: "string", default: "None" },
        user: { type: "string" },
        "no-anonymous": { type: "boolean", default: false },
        trust: { type: "string" },
        "strict-pki": { type: "boolean", default: false }
    });
    if (positionals.length > 0) {
        throw new CliError(`unexpected argument "${positionals[0]}"`, ExitCode.usage);
    }
    if (values.port === undefined) {
        throw new CliError("--port <n> is required", ExitCode.usage);
    }
    if (values.pki === undefined) {
        throw new CliError("--pki <dir> is required (a temporary folder for the server's certificates)", ExitCode.usage);
    }
    return {
        port: integerOption("--port", values.port, 1, 65535),
        pki: path.resolve(values.pki),
        changing: integerOption("--changing", values.changing, 0, 100000),
        interval: integerOption("--interval", values.interval, 1, 3600000),
        manifest: values.manifest === undefined ? undefined : path.resolve(values.manifest),
        maxSessions: integerOption("--max-sessions", values["max-sessions"], 1, 100000),
        security: values.security.split(",").map((text) => parseSecurity(text, { SecurityPolicy, MessageSecurityMode })),
        user: values.user,
        allowAnonymous: !values["no-anonymous"],
        trust: values.trust === undefined ? undefined : path.resolve(values.trust),
        strictPki: values["strict-pki"]
    };
}

function integerOption(name, text, min, max) {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new CliError(`${name} must be an integer between ${min} and ${max}, got "${text}"`, ExitCode.usage);
    }
    return value;
}

// ---------------------------------------------------------------------------------------------
// Address space
// ---------------------------------------------------------------------------------------------

/** Builds ns=1;s=Peer and everything below it; returns what the manifest and the ticker need. */
function buildAddressSpace(addressSpace, options) {
    const namespace = addressSpace.getOwnNamespace();
    const ns = namespace.index;
    const id = (name) => `ns=${ns};s=${name}`;
    const described = []; // nodes listed in the manifest with their values

    const addFolder = (parent, name, browseName = name.split(".").pop()) =>
        namespace.addFolder(parent, { nodeId: id(name), browseName });

    const addVariable = (parent, name, { dataType, valueRank, arrayDimensions, variant, writable = false, constant = false }) => {
        const variable = namespace.addVariable({
            nodeId: id(name),
            browseName: name.split(".").pop(),
            organizedBy: parent,
            dataType,
            valueRank,
            arrayDimensions,
            accessLevel: writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
            userAccessLevel: writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
            // a getter-bound variable must declare how often it may be sampled (else W30/W31 warnings)
            minimumSamplingInterval: constant ? 1000 : 0,
            // a constant getter, for values that setValueFromSource refuses (see structuredSamples)
            value: constant ? { get: () => variant } : undefined
        });
        if (!constant) {
            variable.setValueFromSource(variant, StatusCodes.Good, new Date(Date.UTC(2024, 0, 1)));
        }
        described.push({ folder: name.split(".")[0], variable, variant, writable });
        return variable;
    };

    const peer = addFolder(addressSpace.rootFolder.objects, "Peer");
    const scalars = addFolder(peer, "Scalars");
    const arrays = addFolder(peer, "Arrays");
    const matrices = addFolder(peer, "Matrices");
    const writable = addFolder(peer, "Writable");
    const changing = addFolder(peer, "Changing");

    // Scalars.<Type> and Arrays.<Type> for every built-in type of SAMPLES
    for (const sample of SAMPLES) {
        const dataType = DataType[sample.type];
        addVariable(scalars, `Scalars.${sample.type}`, {
            dataType: sample.type,
            valueRank: -1,
            variant: scalarVariant(dataType, jsonToScalar(dataType, sample.scalar))
        });
        addVariable(arrays, `Arrays.${sample.type}`, {
            dataType: sample.type,
            valueRank: 1,
            arrayDimensions: [0],
            variant: arrayVariant(dataType, sample.array.map((element) => jsonToScalar(dataType, element)))
        });
    }
    addVariable(arrays, "Arrays.EmptyDouble", { dataType: "Double", valueRank: 1, arrayDimensions: [0], variant: arrayVariant(DataType.Double, []) });

    // the types that are not plain JSON: structures, Variant, DataValue, DiagnosticInfo
    for (const extra of structuredSamples(addressSpace)) {
        addVariable(extra.name.startsWith("Scalars.") ? scalars : arrays, extra.name, extra);
    }

    for (const matrix of MATRICES) {
        const dataType = DataType[matrix.type];
        addVariable(matrices, `Matrices.${matrix.name}`, {
            dataType: matrix.type,
            valueRank: matrix.dimensions.length,
            arrayDimensions: matrix.dimensions,
            variant: new Variant({
                dataType,
                arrayType: VariantArrayType.Matrix,
                dimensions: matrix.dimensions,
                value: matrix.elements.map((element) => jsonToScalar(dataType, element))
            })
        });
    }

    for (const item of WRITABLES) {
        const dataType = DataType[item.type];
        const isArray = Array.isArray(item.value);
        addVariable(writable, `Writable.${item.name}`, {
            dataType: item.type,
            valueRank: isArray ? 1 : -1,
            arrayDimensions: isArray ? [0] : undefined,
            writable: true,
            variant: isArray
                ? arrayVariant(dataType, item.value.map((element) => jsonToScalar(dataType, element)))
                : scalarVariant(dataType, jsonToScalar(dataType, item.value))
        });
    }

    const tree = buildTree(namespace, peer, id);
    const changingItems = buildChangingItems(namespace, changing, id, options.changing);
    return { namespace, described, tree, changingItems };
}

function scalarVariant(dataType, value) {
    return new Variant({ dataType, arrayType: VariantArrayType.Scalar, value });
}

function arrayVariant(dataType, value) {
    return new Variant({ dataType, arrayType: VariantArrayType.Array, value });
}

/** Variables whose values are structures or OPC UA containers rather than plain JSON values. */
function structuredSamples(addressSpace) {
    const structure = (typeName, fields) => addressSpace.constructExtensionObject(addressSpace.findDataType(typeName), fields);
    const range = (low, high) => structure("Range", { low, high });
    const celsius = structure("EUInformation", {
        namespaceUri: "http://www.opcfoundation.org/UA/units/un/cefact",
        unitId: 4408652, // UNECE code "CEL"
        displayName: { locale: "en", text: "°C" },
        description: { locale: "en", text: "degree Celsius" }
    });
    const sourceTimestamp = new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 123));
    const sourcePicoseconds = 456_700_000; // + 4567 x 100 ns: 2024-02-29T13:45:30.1234567Z
    const dataValue = (dataType, value, statusCode) =>
        new DataValue({ value: { dataType, value }, statusCode, sourceTimestamp, sourcePicoseconds, serverTimestamp: null });
    const diagnosticInfo = new DiagnosticInfo({
        symbolicId: 1,
        namespaceURI: 2,
        locale: 3,
        localizedText: 4,
        additionalInfo: "spindle overload",
        innerStatusCode: StatusCodes.BadTimeout
    });

    return [
        { name: "Scalars.ExtensionObject", dataType: "Range", valueRank: -1, variant: scalarVariant(DataType.ExtensionObject, range(-10.5, 99.25)) },
        {
            // setValueFromSource() insists that an ExtensionObject matches a concrete structure
            // DataType (it asserts on BaseDataType), so this one is served from a getter
            name: "Scalars.BaseDataType",
            dataType: "BaseDataType",
            valueRank: -1,
            constant: true,
            variant: scalarVariant(DataType.ExtensionObject, celsius)
        },
        {
            name: "Scalars.DataValue",
            dataType: "DataValue",
            valueRank: -1,
            variant: scalarVariant(DataType.DataValue, dataValue(DataType.Double, 21.5, StatusCodes.UncertainLastUsableValue))
        },
        { name: "Scalars.DiagnosticInfo", dataType: "DiagnosticInfo", valueRank: -1, variant: scalarVariant(DataType.DiagnosticInfo, diagnosticInfo) },
        {
            name: "Arrays.ExtensionObject",
            dataType: "Range",
            valueRank: 1,
            arrayDimensions: [0],
            variant: arrayVariant(DataType.ExtensionObject, [range(0, 1), range(-1000, 1000), range(-0.5, 0.5)])
        },
        {
            name: "Arrays.Variant",
            dataType: "BaseDataType",
            valueRank: 1,
            arrayDimensions: [0],
            variant: arrayVariant(DataType.Variant, [
                scalarVariant(DataType.Int32, -42),
                scalarVariant(DataType.String, "Prüfstand"),
                scalarVariant(DataType.Double, 2.5),
                arrayVariant(DataType.UInt16, [1, 2, 3])
            ])
        },
        {
            name: "Arrays.DataValue",
            dataType: "DataValue",
            valueRank: 1,
            arrayDimensions: [0],
            variant: arrayVariant(DataType.DataValue, [
                dataValue(DataType.Int32, 7, StatusCodes.Good),
                dataValue(DataType.String, "offline", StatusCodes.BadCommunicationError)
            ])
        }
    ];
}

/** ns=1;s=Tree: 3 areas x 3 lines x (Speed, State) below it, 31 nodes, for browse tests. */
function buildTree(namespace, peer, id) {
    const nodes = [];
    const record = (node, parent, referenceType) =>
        nodes.push({
            nodeId: nodeIdToText(node.nodeId),
            parentNodeId: nodeIdToText(parent.nodeId),
            referenceType,
            browseName: node.browseName.name,
            nodeClass: node.nodeClass === opcua.NodeClass.Variable ? "Variable" : "Object"
        });

    const tree = namespace.addFolder(peer, { nodeId: id("Tree"), browseName: "Tree" });
    record(tree, peer, "Organizes");
    for (let a = 1; a <= 3; a++) {
        const area = namespace.addObject({ nodeId: id(`Tree.Area${a}`), browseName: `Area${a}`, organizedBy: tree });
        record(area, tree, "Organizes");
        for (let l = 1; l <= 3; l++) {
            const lineName = `Tree.Area${a}.Line${l}`;
            const line = namespace.addObject({ nodeId: id(lineName), browseName: `Line${l}`, componentOf: area });
            record(line, area, "HasComponent");
            const speed = namespace.addVariable({
                nodeId: id(`${lineName}.Speed`),
                browseName: "Speed",
                componentOf: line,
                dataType: "Double",
                minimumSamplingInterval: 0,
                value: { dataType: DataType.Double, value: a * 10 + l + 0.5 }
            });
            record(speed, line, "HasComponent");
            const state = namespace.addVariable({
                nodeId: id(`${lineName}.State`),
                browseName: "State",
                componentOf: line,
                dataType: "String",
                minimumSamplingInterval: 0,
                value: { dataType: DataType.String, value: l === 2 ? "Stopped" : "Running" }
            });
            record(state, line, "HasComponent");
        }
    }
    return nodes;
}

/** ns=1;s=Changing.Tick and Changing.Item000..: UInt32 counters, item i starting at 1000*i. */
function buildChangingItems(namespace, folder, id, count) {
    const width = Math.max(3, String(Math.max(count - 1, 0)).length);
    const addCounter = (name, initial) => {
        const variable = namespace.addVariable({
            nodeId: id(name),
            browseName: name.split(".").pop(),
            organizedBy: folder,
            dataType: "UInt32",
            valueRank: -1,
            accessLevel: "CurrentRead",
            userAccessLevel: "CurrentRead",
            minimumSamplingInterval: 0 // exception-based: see README "How every change is reported"
        });
        variable.setValueFromSource(scalarVariant(DataType.UInt32, initial), StatusCodes.Good, new Date());
        return variable;
    };
    const tick = addCounter("Changing.Tick", 0);
    const items = [];
    for (let i = 0; i < count; i++) {
        items.push({ variable: addCounter(`Changing.Item${String(i).padStart(width, "0")}`, 1000 * i), offset: 1000 * i });
    }
    return { tick, items, width };
}

// ---------------------------------------------------------------------------------------------
// The tick that advances every Changing counter
// ---------------------------------------------------------------------------------------------

/**
 * Runs onTick every intervalMs on node-opcua's shared sampling timer for that interval.
 *
 * node-opcua samples every monitored item whose (revised) samplingInterval is S > 0 from one
 * setInterval(S) shared by all such items (node-opcua-server/dist/node_sampler.js), each item
 * through its own setImmediate, in the order the items joined the timer. Registering the tick on
 * that timer first makes every sample of an item with samplingInterval == intervalMs run after
 * exactly one tick, so no change is skipped or seen twice. With a timer of our own, the phase
 * between the two timers would drift and now and then a sample would straddle two ticks.
 * Exception-based items (samplingInterval 0) get every change from setValueFromSource anyway.
 */
function startTicker(intervalMs, onTick) {
    const sampler = requireFromNodeOpcua("node-opcua-server/dist/node_sampler.js");
    if (typeof sampler.appendToTimer !== "function" || typeof sampler.removeFromTimer !== "function") {
        throw new Error("node-opcua-server/dist/node_sampler.js no longer exports appendToTimer/removeFromTimer; update startTicker()");
    }
    // the duck-typed MonitoredItem that node_sampler expects
    const ticker = {
        monitoredItemId: "factory-opcua-peer-ticker",
        samplingInterval: intervalMs,
        monitoringMode: MonitoringMode.Reporting,
        _samplingId: undefined,
        _on_sampling_timer: onTick
    };
    ticker._samplingId = sampler.appendToTimer(ticker);
    return () => sampler.removeFromTimer(ticker);
}

function makeTick({ tick, items }) {
    let count = 0;
    return () => {
        count += 1;
        const sourceTimestamp = new Date();
        for (const { variable, offset } of items) {
            variable.setValueFromSource(scalarVariant(DataType.UInt32, offset + count), StatusCodes.Good, sourceTimestamp);
        }
        tick.setValueFromSource(scalarVariant(DataType.UInt32, count), StatusCodes.Good, sourceTimestamp);
    };
}

// ---------------------------------------------------------------------------------------------
// Manifest
// ---------------------------------------------------------------------------------------------

function buildManifest({ namespace, described, tree, changingItems }, endpointUrl, options) {
    // the values as defined here; the interop tests check that they arrive like this on the wire
    const nodes = described.map(({ folder, variable, variant, writable }) => {
        return {
            nodeId: nodeIdToText(variable.nodeId),
            folder,
            browseName: variable.browseName.name,
            dataTypeId: nodeIdToText(variable.dataType),
            builtInType: builtInTypeName(variant.dataType),
            arrayType: arrayTypeName(variant.arrayType),
            valueRank: variable.valueRank,
            arrayDimensions: variable.arrayDimensions ? Array.from(variable.arrayDimensions) : null,
            writable,
            value: variantToJson(variant)
        };
    });
    return {
        generator: `node-opcua ${requireFromNodeOpcua("node-opcua/package.json").version}`,
        namespaceUri: namespace.namespaceUri,
        namespaceIndex: namespace.index,
        endpointUrl,
        securityPolicies: [...new Set(options.security.map((s) => s.policy))],
        folders: ["Peer", "Scalars", "Arrays", "Matrices", "Writable", "Changing", "Tree"].map((name) => `ns=${namespace.index};s=${name}`),
        nodes,
        tree,
        changing: {
            intervalMs: options.interval,
            count: changingItems.items.length,
            builtInType: "UInt32",
            valueOffsetPerItem: 1000,
            tickNodeId: nodeIdToText(changingItems.tick.nodeId),
            nodeIds: changingItems.items.map(({ variable }) => nodeIdToText(variable.nodeId))
        }
    };
}

function writeFileAtomically(file, text) {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
    const options = parseCommandLine(process.argv.slice(2));
    fs.mkdirSync(options.pki, { recursive: true });
    const certificateManager = (name) =>
        new OPCUACertificateManager({
            rootFolder: path.join(options.pki, name),
            automaticallyAcceptUnknownCertificate: !options.strictPki,
            disableFileWatchers: true
        });
    const serverCertificates = certificateManager("server");
    if (options.user !== undefined && process.env.PEER_PASSWORD === undefined) {
        throw new CliError("--user needs the password in the PEER_PASSWORD environment variable", ExitCode.usage);
    }

    const server = new OPCUAServer({
        port: options.port,
        host: HOST, // the interface to listen on
        hostname: HOST, // the host name in the advertised endpoint URL
        securityPolicies: [...new Set(options.security.map((s) => s.policy))],
        securityModes: [...new Set(options.security.map((s) => s.mode))],
        allowAnonymous: options.allowAnonymous,
        userManager: {
            isValidUser: (userName, password) => options.user !== undefined && userName === options.user && password === process.env.PEER_PASSWORD
        },
        serverCertificateManager: serverCertificates,
        userCertificateManager: certificateManager("user"),
        serverInfo: {
            applicationUri: NAMESPACE_URI, // node-opcua names its own namespace (ns=1) after it
            productUri: NAMESPACE_URI,
            applicationName: { locale: "en", text: "Factory OPC UA peer (node-opcua)" }
        },
        buildInfo: { productName: "factory-opcua-peer", manufacturerName: "Factory" },
        maxConnectionsPerEndpoint: options.maxSessions,
        serverCapabilities: {
            maxSessions: options.maxSessions,
            maxSubscriptions: 1000,
            maxSubscriptionsPerSession: 100,
            maxMonitoredItems: 1_000_000,
            maxMonitoredItemsPerSubscription: 100_000,
            // 0: a monitored item asking for samplingInterval 0 on a Variable whose
            // MinimumSamplingInterval is 0 gets every change, uncoalesced (see README)
            minSupportedSampleRate: 0
        },
        isAuditing: false
    });

    await server.initialize();
    if (options.trust) {
        await serverCertificates.trustCertificate(fs.readFileSync(options.trust));
    }
    const built = buildAddressSpace(server.engine.addressSpace, options);
    if (built.namespace.index !== 1 || built.namespace.namespaceUri !== NAMESPACE_URI) {
        throw new Error(`own namespace is ${built.namespace.index}:${built.namespace.namespaceUri}, expected 1:${NAMESPACE_URI}`);
    }

    try {
        await server.start();
    } catch (err) {
        if (err?.code === "EADDRINUSE" || /EADDRINUSE/.test(String(err?.message))) {
            throw new CliError(`cannot listen on ${HOST}:${options.port}: the port is already in use`);
        }
        throw err;
    }

    const endpointUrl = `opc.tcp://${HOST}:${options.port}`;
    const advertised = server.endpoints.flatMap((endpoint) => endpoint.endpointDescriptions().map((description) => description.endpointUrl));
    if (!advertised.includes(endpointUrl)) {
        throw new Error(`the server advertises ${JSON.stringify(advertised)}, not ${endpointUrl}`);
    }

    await backgroundKeyGenerationDone(); // so that the server is quiet once READY is out
    const stopTicker = startTicker(options.interval, makeTick(built.changingItems));
    if (options.manifest) {
        writeFileAtomically(options.manifest, `${JSON.stringify(buildManifest(built, endpointUrl, options), null, 2)}\n`);
    }
    writeLine(`READY ${endpointUrl}`);

    await stopRequested;
    stopTicker();
    const forcedExit = setTimeout(() => {
        process.stderr.write(`server.mjs: shutdown took longer than ${SHUTDOWN_GRACE_MS} ms\n`);
        process.exit(ExitCode.failure);
    }, SHUTDOWN_GRACE_MS);
    await server.shutdown(0);
    clearTimeout(forcedExit);
}

function exitWithError(err) {
    process.stderr.write(`server.mjs: error: ${describeError(err)}\n`);
    if (!(err instanceof CliError) && err?.stack) {
        process.stderr.write(`${err.stack}\n`);
    }
    process.exit(err instanceof CliError ? err.exitCode : ExitCode.failure);
}

process.on("uncaughtException", exitWithError);
process.on("unhandledRejection", exitWithError);

// installed before anything slow, so that a signal during start-up also ends in a clean shutdown
const stopRequested = new Promise((resolve) => {
    const onSignal = (signal) => {
        process.stderr.write(`server.mjs: ${signal} received, shutting down\n`);
        resolve(signal);
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
});

main().then(() => process.exit(ExitCode.ok), exitWithError);
